//! `--baseline` and `--write-baseline` on git repositories built here, in a temp dir: known
//! diagnostics never fail the build, a new one does and is the only one reported as new, in
//! every format; a baseline of another root, format version or a malformed file is exit 2.
mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SLEEPS: &str = "import time\n\nasync def handler():\n    time.sleep(1)\n";
const WAITS: &str = "import time\n\nasync def worker():\n    time.sleep(2)\n";

/// A git repository `parent/name` holding `files`, committed.
fn repo_with(parent: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap_or_else(|e| panic!("{e}"));
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    dir
}

fn scan(dir: &Path, extra: &[&str]) -> std::process::Output {
    output_of(command().arg("scan").arg(dir).args(extra))
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("invalid JSON: {e}\nstderr: {}", stderr(o)))
}

#[test]
fn known_diagnostics_pass_and_only_the_new_warning_fails() {
    let t = tempdir();
    let proj = repo_with(t.path(), "proj", &[("app.py", SLEEPS)]);
    let base = t.path().join("baseline.json");
    let b = base.to_str().unwrap_or_default();
    // Without a baseline the warning fails the build; the baseline is written all the same.
    let first = scan(&proj, &["--fail-on", "warning", "--write-baseline", b]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap_or_default())
        .unwrap_or_else(|e| panic!("baseline is not JSON: {e}"));
    assert_eq!(doc["kind"], "stackfit-baseline");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["root"]["name"], "proj");
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(1));

    // Nothing new, even after unrelated lines moved the diagnostic down.
    std::fs::write(proj.join("app.py"), format!("# a comment\n\n{SLEEPS}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let same = scan(&proj, &["--fail-on", "warning", "--baseline", b]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let text = stdout(&same);
    assert!(text.contains("0 new, 1 known (baseline)"), "{text}");
    assert!(
        !text.contains("app.py:6:5"),
        "a known one is not listed: {text}"
    );

    // One new warning: exit 1, and it alone is new.
    std::fs::write(proj.join("worker.py"), WAITS).unwrap_or_else(|e| panic!("{e}"));
    let new = scan(&proj, &["--fail-on", "warning", "--baseline", b]);
    assert_eq!(new.status.code(), Some(1), "{}", stderr(&new));
    let text = stdout(&new);
    assert!(text.contains("1 new, 1 known (baseline)"), "{text}");
    assert!(text.contains("worker.py:4:5: warning SF220") && text.contains("[new]"));
    assert_eq!(text.matches("[new]").count(), 1, "{text}");

    let j = json_of(&scan(&proj, &["--format", "json", "--baseline", b]));
    let states: Vec<(String, String)> = j["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            (s("path"), s("baseline_state"))
        })
        .collect();
    assert_eq!(
        states,
        vec![
            ("app.py".into(), "unchanged".into()),
            ("worker.py".into(), "new".into())
        ]
    );
    assert_eq!(j["baseline"]["new"], 1);
    assert_eq!(j["baseline"]["known"], 1);
    assert_eq!(j["baseline"]["fixed"], 0);
    assert_valid(&j);

    let sarif = json_of(&scan(&proj, &["--format", "sarif", "--baseline", b]));
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or(""),
                r["baselineState"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(got, vec![("app.py", "unchanged"), ("worker.py", "new")]);

    let gh = stdout(&scan(&proj, &["--format", "github", "--baseline", b]));
    let annotated: Vec<&str> = gh.lines().filter(|l| l.starts_with("::warning")).collect();
    assert_eq!(annotated.len(), 1, "{gh}");
    assert!(annotated[0].contains("file=worker.py"), "{gh}");
    assert!(gh.contains("1 new, 1 known (baseline"), "{gh}");

    let outputs = stdout(&scan(
        &proj,
        &["--format", "github-output", "--baseline", b],
    ));
    assert!(
        outputs.contains("\ndiagnostics=2\n") && outputs.contains("\nnew-diagnostics=1\n"),
        "{outputs}"
    );

    let md = stdout(&scan(&proj, &["--format", "markdown", "--baseline", b]));
    assert!(md.contains("**1 new**, 1 known"), "{md}");
    assert!(md.contains("most important new diagnostic"), "{md}");
}

#[test]
fn a_json_report_is_a_baseline_and_another_checkout_path_matches() {
    let t = tempdir();
    let proj = repo_with(t.path(), "proj", &[("app.py", SLEEPS)]);
    let report = t.path().join("report.json");
    let out = scan(&proj, &["--output", &format!("json={}", report.display())]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The same repository cloned elsewhere, as a CI runner checks it out.
    let elsewhere = t.path().join("runner").join("work");
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    git(
        &elsewhere,
        &["clone", "-q", proj.to_str().unwrap_or_default(), "proj"],
    );
    let r = report.to_str().unwrap_or_default();
    let ok = scan(
        &elsewhere.join("proj"),
        &["--fail-on", "warning", "--baseline", r],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("0 new, 1 known (baseline)"));
}

#[test]
fn a_baseline_of_another_root_is_an_error() {
    let t = tempdir();
    let alpha = repo_with(t.path(), "alpha", &[("app.py", SLEEPS)]);
    let beta = repo_with(t.path(), "beta", &[("app.py", SLEEPS)]);
    let base = t.path().join("alpha.json");
    let b = base.to_str().unwrap_or_default();
    let w = scan(&alpha, &["--write-baseline", b]);
    assert_eq!(w.status.code(), Some(0), "{}", stderr(&w));
    let out = scan(&beta, &["--baseline", b]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("alpha.json") && err.contains("another root") && err.contains("`alpha`"),
        "{err}"
    );
    assert_eq!(
        stdout(&out),
        "",
        "no report when the baseline does not apply"
    );
}

#[test]
fn malformed_and_other_version_baselines_are_errors_naming_the_file() {
    let t = tempdir();
    let proj = repo_with(t.path(), "proj", &[("app.py", SLEEPS)]);
    let cases = [
        ("broken.json", "{\"kind\": ", "invalid JSON"),
        (
            "future.json",
            r#"{"kind": "stackfit-baseline", "version": 9, "diagnostics": []}"#,
            "format version 9",
        ),
        (
            "old-report.json",
            r#"{"schema_version": "2.2", "diagnostics": []}"#,
            "schema_version 2.2",
        ),
        (
            "other.json",
            r#"{"results": []}"#,
            "neither a stackfit baseline",
        ),
    ];
    for (name, text, why) in cases {
        let f = t.path().join(name);
        std::fs::write(&f, text).unwrap_or_else(|e| panic!("{e}"));
        let out = scan(&proj, &["--baseline", f.to_str().unwrap_or_default()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains(why), "{name}: {err}");
    }
    let missing = scan(&proj, &["--baseline", "no-such-baseline.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-baseline.json"));
}
