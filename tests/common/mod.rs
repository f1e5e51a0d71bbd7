//! Shared helpers for the integration tests: run the built `stackfit` binary, parse its JSON
//! report, and render findings as short strings (`"SF120 hit/app.py:3:8 x2"`) so that
//! expectations and failure diffs stay readable.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root: tests run the binary from here so report paths are stable.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `stackfit ARGS` from the crate root with colour off.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackfit"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run stackfit: {e}"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `stackfit scan PATH --format json EXTRA...`: asserts exit 0 and a valid JSON document.
pub fn scan_json<P: AsRef<Path>>(path: P, extra: &[&str]) -> Value {
    let path = path.as_ref();
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), path.into()];
    args.extend(["--format".into(), "json".into()]);
    args.extend(extra.iter().map(Into::into));
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "scan of {} failed\nstderr: {}",
        path.display(),
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "scan of {} printed invalid JSON ({e}):\n{}",
            path.display(),
            stdout(&out)
        )
    })
}

/// Scans a fixture under `fixtures/`.
pub fn scan_fixture(name: &str) -> Value {
    scan_json(format!("fixtures/{name}"), &[])
}

/// One finding as `"RULE path:line:column"`, with ` xN` when N occurrences were folded into it.
pub fn finding_str(f: &Value) -> String {
    let count = f["count"].as_u64().unwrap_or(1);
    let mut s = format!(
        "{} {}:{}:{}",
        f["rule"].as_str().unwrap_or("?"),
        f["path"].as_str().unwrap_or("?"),
        f["line"],
        f["column"]
    );
    if count > 1 {
        s.push_str(&format!(" x{count}"));
    }
    s
}

/// Every finding of the report, in report order (path, line, column, rule).
pub fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| a.iter().map(finding_str).collect())
        .unwrap_or_default()
}

/// The findings whose path starts with `prefix`.
pub fn findings_under(report: &Value, prefix: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["path"].as_str().is_some_and(|p| p.starts_with(prefix)))
                .map(finding_str)
                .collect()
        })
        .unwrap_or_default()
}

pub fn expect(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn trait_entry<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["traits"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == id))
        .unwrap_or_else(|| panic!("no trait {id} in the report"))
}

pub fn trait_score(report: &Value, id: &str) -> f64 {
    trait_entry(report, id)["score"]
        .as_f64()
        .unwrap_or(f64::NAN)
}

pub fn trait_evidence(report: &Value, id: &str) -> f64 {
    trait_entry(report, id)["evidence"]
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// The ids of the traits with a score above zero, strongest first (ties by id).
pub fn traits_by_score(report: &Value) -> Vec<String> {
    let mut ts: Vec<(f64, String)> = report["traits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["score"].as_f64().unwrap_or(0.0),
                        t["id"].as_str().unwrap_or("?").to_string(),
                    )
                })
                .filter(|(s, _)| *s > 0.0)
                .collect()
        })
        .unwrap_or_default();
    ts.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ts.into_iter().map(|(_, id)| id).collect()
}

/// The paths skipped, with their reason key, as `"path: reason"`.
pub fn skipped(report: &Value) -> Vec<String> {
    report["stats"]["skipped_files"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    format!(
                        "{}: {}",
                        s["path"].as_str().unwrap_or("?"),
                        s["reason"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `path` (creating parent directories).
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// `assert_eq!` for lists of findings, printing both sides one item a line.
#[track_caller]
pub fn assert_lines(actual: &[String], expected: &[String], what: &str) {
    if actual != expected {
        panic!(
            "{what}: findings differ\n--- expected\n{}\n--- actual\n{}\n",
            expected.join("\n"),
            actual.join("\n")
        );
    }
}
