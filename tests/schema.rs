//! The JSON Schema of the report (`stackfit schema`, committed as `schemas/report.schema.json`)
//! and of a batch line (`stackfit schema --batch`, `schemas/batch-line.schema.json`): the
//! committed files match the binary, every fixture's report and every batch line validate, and
//! wrong documents are rejected. Validated with `boon` (draft 2020-12).
mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A compiled schema.
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new(schema: Value) -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let loc = "urn:stackfit:schema";
        compiler
            .add_resource(loc, schema)
            .unwrap_or_else(|e| panic!("{e}"));
        let index = compiler
            .compile(loc, &mut schemas)
            .unwrap_or_else(|e| panic!("the schema does not compile: {e:#}"));
        Validator { schemas, index }
    }

    fn check(&self, doc: &Value) -> Result<(), String> {
        self.schemas
            .validate(doc, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}

fn schema_of(batch: bool) -> Value {
    let args: &[&str] = if batch {
        &["schema", "--batch"]
    } else {
        &["schema"]
    };
    serde_json::from_str(&run_ok(args)).unwrap_or_else(|e| panic!("schema is not JSON: {e}"))
}

/// Every directory a fixture lives in: fixtures/*, fixtures/rules/* and fixtures/rules/*/*.
fn fixture_dirs() -> Vec<PathBuf> {
    fn dirs(p: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v
    }
    let top = dirs(&repo().join("fixtures"));
    let rules: Vec<PathBuf> = dirs(&repo().join("fixtures/rules"));
    let cases: Vec<PathBuf> = rules.iter().flat_map(|r| dirs(r)).collect();
    top.into_iter().chain(rules).chain(cases).collect()
}

/// `stackfit batch` over every fixture directory, as parsed lines.
fn batch_lines(dirs: &[PathBuf]) -> Vec<Value> {
    let out = output_of(command().arg("batch").args(dirs));
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "batch: {}",
        stderr(&out)
    );
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line ({e}): {l}")))
        .collect()
}

#[test]
fn committed_schemas_are_current() {
    for (batch, file) in [
        (false, "schemas/report.schema.json"),
        (true, "schemas/batch-line.schema.json"),
    ] {
        let args: &[&str] = if batch {
            &["schema", "--batch"]
        } else {
            &["schema"]
        };
        let want = run_ok(args);
        let path = repo().join(file);
        if std::env::var_os("STACKFIT_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{file} is stale: run `STACKFIT_BLESS=1 cargo test --test schema` and commit it \
             (and bump schema_version as docs/json-schema.md says)"
        );
    }
}

#[test]
fn schema_is_draft_2020_12_and_closes_the_profile() {
    let s = schema_of(false);
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        s["$defs"]["Verdict"]["properties"]["profile"]["enum"],
        json!(["node", "python", "mixed", "neutral", "none"])
    );
}

#[test]
fn every_fixture_report_and_batch_line_validates() {
    let report = Validator::new(schema_of(false));
    let line = Validator::new(schema_of(true));
    let dirs = fixture_dirs();
    let lines = batch_lines(&dirs);
    assert_eq!(lines.len(), dirs.len(), "one line per fixture directory");
    let mut reports = 0;
    for l in &lines {
        line.check(l)
            .unwrap_or_else(|e| panic!("batch line for {} is invalid: {e}", l["root"]));
        if l.get("error").is_some() {
            continue;
        }
        reports += 1;
        // A batch line is a report: without `git` it is valid against the report schema.
        let mut r = l.clone();
        r.as_object_mut().map(|o| o.remove("git"));
        report
            .check(&r)
            .unwrap_or_else(|e| panic!("report of {} is invalid: {e}", l["root"]));
    }
    // Only the fixture whose config is broken on purpose cannot be scanned.
    assert!(reports + 1 >= lines.len(), "{reports} of {}", lines.len());
    // And `scan --format json` itself, on a few fixtures of every kind.
    for name in [
        "py-chat-server",
        "notebook-magics",
        "monorepo-workspaces",
        "robustness",
    ] {
        let out = scan_output(fixture(name), "json", &[]);
        let doc = json_stdout(&out, name);
        report
            .check(&doc)
            .unwrap_or_else(|e| panic!("scan --format json of {name} is invalid: {e}"));
    }
}

/// A valid report to break.
fn valid_report() -> Value {
    json_stdout(
        &scan_output(fixture("py-chat-server"), "json", &[]),
        "scan py-chat-server",
    )
}

#[test]
fn wrong_documents_are_rejected() {
    let report = Validator::new(schema_of(false));
    let line = Validator::new(schema_of(true));
    let good = valid_report();
    report
        .check(&good)
        .unwrap_or_else(|e| panic!("the valid report is rejected: {e}"));

    let mut maybe = good.clone();
    maybe["verdict"]["profile"] = json!("maybe");
    let e = report.check(&maybe).expect_err("profile `maybe` accepted");
    assert!(e.contains("profile"), "{e}");

    let mut no_verdict = good.clone();
    no_verdict.as_object_mut().map(|o| o.remove("verdict"));
    let e = report
        .check(&no_verdict)
        .expect_err("missing verdict accepted");
    assert!(e.contains("verdict"), "{e}");

    let mut bad_line = good.clone();
    bad_line["traits"][0]["score"] = json!("high");
    assert!(report.check(&bad_line).is_err(), "a string score accepted");

    let mut component_profile = good.clone();
    if let Some(c) = component_profile["components"].get_mut(0) {
        c["verdict"]["profile"] = json!("maybe");
        assert!(report.check(&component_profile).is_err());
    }

    // A batch line: a report needs `git` (null or the object); an error line is exactly
    // `{root, error}`.
    let mut with_git = good.clone();
    with_git["git"] = Value::Null;
    line.check(&with_git)
        .unwrap_or_else(|e| panic!("a report line is rejected: {e}"));
    assert!(line.check(&good).is_err(), "a line without `git` accepted");
    with_git["git"] = json!({"remote": null, "commit": "abc"});
    assert!(line.check(&with_git).is_err(), "git without commit_date");
    let err = json!({"root": "x", "error": "cannot scan `x`: no such file or directory"});
    line.check(&err)
        .unwrap_or_else(|e| panic!("an error line is rejected: {e}"));
    assert!(line.check(&json!({"root": "x"})).is_err());
    assert!(line
        .check(&json!({"root": "x", "error": "e", "extra": 1}))
        .is_err());
}
