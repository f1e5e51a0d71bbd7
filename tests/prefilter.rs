//! The prefilter (`rules::anchors`) skips parsing files, and matching patterns, that cannot yield
//! a finding. It must change nothing but the time: every fixture directory scanned with it and
//! with `--no-prefilter` gives the same JSON report (findings, diagnostics, verdict, stats),
//! except the elapsed time. `bench/compare.py prefilter` runs the same check on the benchmark
//! corpus.
mod common;

use common::{json_stdout, scan_output, stderr};
use serde_json::Value;

/// The report without what depends on the clock.
fn timeless(mut v: Value) -> Value {
    if let Some(stats) = v.get_mut("stats").and_then(Value::as_object_mut) {
        stats.remove("elapsed_ms");
    }
    v
}

fn fixture_dirs() -> Vec<std::path::PathBuf> {
    let dir = common::repo().join("fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn same_with_and_without(extra: &[&str]) {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 10, "fixtures/ has {} directories", dirs.len());
    for dir in dirs {
        let name = dir.display().to_string();
        let on = scan_output(&dir, "json", extra);
        let mut off_args = extra.to_vec();
        off_args.push("--no-prefilter");
        let off = scan_output(&dir, "json", &off_args);
        assert_eq!(on.status.code(), off.status.code(), "{name}: exit codes");
        if on.status.code() == Some(2) {
            assert_eq!(stderr(&on), stderr(&off), "{name}: errors");
            continue;
        }
        let on = timeless(json_stdout(&on, &name));
        let off = timeless(json_stdout(&off, &name));
        assert_eq!(on, off, "{name}: the prefilter changed the report");
    }
}

#[test]
fn every_fixture_reports_the_same_with_and_without_the_prefilter() {
    same_with_and_without(&[]);
}

#[test]
fn generated_code_too() {
    // Vendored, generated and minified files are parsed too: more files through the prefilter.
    same_with_and_without(&["--include-generated"]);
}

#[test]
fn parse_only_reports_no_findings() {
    let dir = common::fixture("import-forms");
    let out = scan_output(&dir, "json", &["--parse-only"]);
    let v = json_stdout(&out, "scan --parse-only");
    let full = json_stdout(&scan_output(&dir, "json", &[]), "scan");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{v}");
    assert!(full["findings"].as_array().is_some_and(|f| !f.is_empty()));
    assert_eq!(v["stats"]["files_scanned"], full["stats"]["files_scanned"]);
}
