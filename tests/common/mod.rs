//! Shared helpers for the integration tests: run the built `stackfit` binary, parse its JSON
//! report, and render findings as short strings (`"SF120 hit/app.py:3:8 x2"`) so that
//! expectations and failure diffs stay readable.
#![allow(dead_code)]

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root: tests run the binary from here so report paths are stable.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The absolute path of `fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures").join(name)
}

/// The built binary, to run from the crate root with colour off; add arguments and
/// environment, then run it with [`output_of`].
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stackfit"));
    c.current_dir(repo()).env("NO_COLOR", "1");
    c
}

/// Runs `cmd` to its end and collects its output.
pub fn output_of(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run stackfit: {e}"))
}

/// Runs `stackfit ARGS` from the crate root with colour off.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    output_of(command().args(args))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `stackfit ARGS`: asserts exit 0 and returns what it printed.
#[track_caller]
pub fn run_ok<S: AsRef<OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stackfit {args:?} failed\nstderr: {}",
        stderr(&out)
    );
    stdout(&out)
}

/// The JSON document `o` printed on stdout; `what` names the command in the panic message.
#[track_caller]
pub fn json_stdout(o: &Output, what: &str) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} printed invalid JSON ({e}); exit {:?}\nstderr: {}\nstdout: {}",
            o.status.code(),
            stderr(o),
            stdout(o)
        )
    })
}

/// `stackfit scan PATH --format FORMAT EXTRA...`, whatever its exit code.
pub fn scan_output<P: AsRef<Path>>(path: P, format: &str, extra: &[&str]) -> Output {
    let mut args: Vec<OsString> = vec!["scan".into(), path.as_ref().into()];
    args.extend(["--format".into(), format.into()]);
    args.extend(extra.iter().map(Into::into));
    run(&args)
}

/// `stackfit scan PATH --format FORMAT EXTRA...` for a JSON format (`json`, `sarif`): asserts
/// exit 0 and a valid JSON document.
#[track_caller]
pub fn scan_report<P: AsRef<Path>>(path: P, format: &str, extra: &[&str]) -> Value {
    let path = path.as_ref();
    let out = scan_output(path, format, extra);
    assert_eq!(
        out.status.code(),
        Some(0),
        "scan of {} failed\nstderr: {}",
        path.display(),
        stderr(&out)
    );
    json_stdout(&out, &format!("scan of {}", path.display()))
}

/// `stackfit scan PATH --format json EXTRA...`: asserts exit 0 and a valid JSON document.
#[track_caller]
pub fn scan_json<P: AsRef<Path>>(path: P, extra: &[&str]) -> Value {
    scan_report(path, "json", extra)
}

/// `stackfit scan PATH --format json EXTRA...` whatever the exit code: (exit code, report).
#[track_caller]
pub fn scan_json_exit<P: AsRef<Path>>(path: P, extra: &[&str]) -> (i32, Value) {
    let path = path.as_ref();
    let out = scan_output(path, "json", extra);
    let report = json_stdout(&out, &format!("scan of {}", path.display()));
    (out.status.code().unwrap_or(-1), report)
}

/// Scans a fixture under `fixtures/`.
#[track_caller]
pub fn scan_fixture(name: &str) -> Value {
    scan_json(format!("fixtures/{name}"), &[])
}

/// The text report of `stackfit scan PATH EXTRA...` (colour off): asserts exit 0.
#[track_caller]
pub fn scan_text<P: AsRef<Path>>(path: P, extra: &[&str]) -> String {
    let mut args: Vec<OsString> = vec!["scan".into(), path.as_ref().into()];
    args.extend(extra.iter().map(Into::into));
    run_ok(&args)
}

/// `stackfit rules --format json`: every rule with its code, kind, source and weight.
#[track_caller]
pub fn rules_json() -> Value {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json_stdout(&out, "stackfit rules --format json")
}

/// The report's findings as JSON objects, in report order (none when there are none).
pub fn finding_objects(report: &Value) -> &[Value] {
    report["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Whether the report has a finding of `rule` at `path:line` (any column).
pub fn has_finding(report: &Value, rule: &str, path: &str, line: u64) -> bool {
    finding_objects(report)
        .iter()
        .any(|f| f["rule"] == rule && f["path"] == path && f["line"].as_u64() == Some(line))
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
    finding_objects(report).iter().map(finding_str).collect()
}

/// The findings whose path starts with `prefix`.
pub fn findings_under(report: &Value, prefix: &str) -> Vec<String> {
    finding_objects(report)
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.starts_with(prefix)))
        .map(finding_str)
        .collect()
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

/// A temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

/// The text of `path`.
#[track_caller]
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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

/// A diagnostic as the friction tests compare it: path, line, column, code.
pub type Diag = (String, u64, u64, String);

/// Every diagnostic of a report, as `Diag`s, in report order.
pub fn diagnostics(report: &Value) -> Vec<Diag> {
    report["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array"))
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The same without SF001 (the verdict-dependent mismatch note): the friction diagnostics.
pub fn friction_diagnostics(report: &Value) -> Vec<Diag> {
    diagnostics(report)
        .into_iter()
        .filter(|d| d.3 != "SF001")
        .collect()
}

/// Expected diagnostics, written as `(path, line, column, code)`.
pub fn diags(list: &[(&str, u64, u64, &str)]) -> Vec<Diag> {
    list.iter()
        .map(|(p, l, c, code)| (p.to_string(), *l, *c, code.to_string()))
        .collect()
}

/// The two lists hold the same diagnostics; a miss and an extra are both failures.
#[track_caller]
pub fn assert_same_diagnostics(got: &[Diag], want: &[Diag]) {
    let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing (must trigger): {missing:#?}\nunexpected (must not trigger): {extra:#?}"
    );
}

/// Checks `doc` against `stackfit schema` (draft 2020-12, with `boon`).
#[track_caller]
pub fn assert_valid(doc: &Value) {
    let schema: Value = serde_json::from_str(&run_ok(&["schema"]))
        .unwrap_or_else(|e| panic!("schema is not JSON: {e}"));
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:stackfit:schema", schema)
        .unwrap_or_else(|e| panic!("{e}"));
    let index = compiler
        .compile("urn:stackfit:schema", &mut schemas)
        .unwrap_or_else(|e| panic!("{e:#}"));
    if let Err(e) = schemas.validate(doc, index) {
        panic!("the report does not match the schema: {e:#}");
    }
}

/// `git ARGS` in `dir`, hermetic (no global or system config), asserting success.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
