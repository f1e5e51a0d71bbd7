//! `--changed-since REF` on git repositories built here, in a temp dir: only the changed and
//! untracked files' diagnostics are reported (paths mapped onto a sub-directory root), the rest
//! are counted, the verdict reads the whole repository; a bad REF, a REF that looks like an
//! option and a directory outside git are exit 2; the repository's own git config cannot run
//! programs.
mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SLEEPS: &str = "import time\n\nasync def handler():\n    time.sleep(1)\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
}

/// A repository whose `main` holds `files`, then a `topic` branch checked out.
fn repo(parent: &Path, files: &[&str]) -> PathBuf {
    let dir = parent.join("proj");
    for f in files {
        write(&dir, f, SLEEPS);
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    git(&dir, &["checkout", "-q", "-b", "topic"]);
    dir
}

fn scan(dir: &Path, extra: &[&str]) -> std::process::Output {
    output_of(
        command()
            .arg("scan")
            .arg(dir)
            .args(extra)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1"),
    )
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("invalid JSON: {e}\nstderr: {}", stderr(o)))
}

fn paths(j: &Value) -> Vec<String> {
    j["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| d["path"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn only_changed_and_untracked_files_are_reported() {
    let t = tempdir();
    let proj = repo(t.path(), &["a.py", "b.py", "c.py"]);
    // b.py changed in a commit on the branch, c.py in the working tree, d.py is untracked.
    write(&proj, "b.py", &format!("{SLEEPS}\nx = 1\n"));
    git(&proj, &["commit", "-q", "-am", "change b"]);
    write(&proj, "c.py", &format!("# edited\n{SLEEPS}"));
    write(&proj, "d.py", SLEEPS);
    let out = scan(&proj, &["--changed-since", "main", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j = json_of(&out);
    assert_eq!(paths(&j), vec!["b.py", "c.py", "d.py"]);
    assert_eq!(j["changed_since"]["reference"], "main");
    assert_eq!(j["changed_since"]["files_changed"], 3);
    assert_eq!(j["changed_since"]["diagnostics_not_shown"], 1);
    // The verdict still reads all four files.
    assert_eq!(j["stats"]["files_scanned"], 4);
    assert_valid(&j);

    let text = scan(&proj, &["--changed-since", "main", "--fail-on", "warning"]);
    assert_eq!(text.status.code(), Some(1));
    let s = stdout(&text);
    assert!(
        s.contains("1 diagnostic in files unchanged since main not shown (3 files changed)"),
        "{s}"
    );
    assert!(!s.contains("a.py:"), "{s}");

    // A baseline written in pull-request mode still holds the whole repository's diagnostics.
    let base = t.path().join("b.json");
    let b = base.to_string_lossy().into_owned();
    let out = scan(&proj, &["--changed-since", "main", "--write-baseline", &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(4));

    // Only an unchanged file has a warning: nothing fails.
    let clean = repo(&t.path().join("clean"), &["a.py"]);
    write(&clean, "notes.py", "x = 1\n");
    let out = scan(&clean, &["--changed-since", "main", "--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn paths_are_relative_to_a_sub_directory_root() {
    let t = tempdir();
    let proj = repo(t.path(), &["svc/api/app.py", "svc/api/old.py", "top.py"]);
    write(&proj, "svc/api/app.py", &format!("{SLEEPS}\ny = 2\n"));
    write(&proj, "top.py", &format!("{SLEEPS}\ny = 2\n"));
    let out = scan(
        &proj.join("svc/api"),
        &["--changed-since", "main", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j = json_of(&out);
    assert_eq!(paths(&j), vec!["app.py"]);
    assert_eq!(j["changed_since"]["files_changed"], 1);
    assert_eq!(j["changed_since"]["diagnostics_not_shown"], 1);
}

#[test]
fn a_missing_ref_an_option_like_ref_and_a_non_git_dir_are_errors() {
    let t = tempdir();
    let proj = repo(t.path(), &["a.py"]);
    let out = scan(&proj, &["--changed-since", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no commit `no-such-branch`"), "{err}");
    assert_eq!(stdout(&out), "");

    let out = scan(&proj, &["--changed-since=--output=/tmp/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("starts with `-`"), "{}", stderr(&out));

    let plain = t.path().join("plain");
    write(&plain, "a.py", SLEEPS);
    let out = output_of(
        command()
            .args(["scan", "--changed-since", "main"])
            .arg(&plain)
            .env("GIT_CEILING_DIRECTORIES", t.path()),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("not in one") && err.contains("plain"), "{err}");
}

#[test]
fn the_repository_config_cannot_run_programs() {
    let t = tempdir();
    let proj = repo(t.path(), &["a.py"]);
    let marker = t.path().join("ran");
    let script = t.path().join("evil.sh");
    write(
        t.path(),
        "evil.sh",
        &format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let s = script.to_str().unwrap_or_default();
    git(&proj, &["config", "core.fsmonitor", s]);
    git(&proj, &["config", "diff.external", s]);
    git(&proj, &["config", "core.pager", s]);
    write(&proj, "a.py", &format!("{SLEEPS}\nz = 3\n"));
    let out = scan(&proj, &["--changed-since", "main", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(paths(&json_of(&out)), vec!["a.py"]);
    assert!(
        !marker.exists(),
        "git ran a program from the repository's config"
    );
}
