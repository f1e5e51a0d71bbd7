//! `stackfit scan PATH...`: several files or directories of one project are linted from the
//! project root, with its config and manifests; one PATH keeps its own behaviour.
mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const PY_HANDLER: &str = "import time\n\nfrom aiohttp import web\n\n\nasync def health(request):\n    time.sleep(0.1)\n    return web.json_response({\"ok\": True})\n\n\ndef make_app():\n    app = web.Application()\n    app.router.add_get(\"/health\", health)\n    web.run_app(app)\n";

const JS_HANDLER: &str = "const fs = require('fs');\nconst express = require('express');\nconst app = express();\napp.get('/a', (req, res) => {\n  res.send(fs.readFileSync('a.txt'));\n});\napp.listen(3000);\n";

/// A project with a config (SF220 raised to error), a manifest, `.git`, and two Python and two
/// JavaScript files with one diagnostic each.
fn project() -> tempfile::TempDir {
    let dir = tempdir();
    let p = dir.path();
    std::fs::create_dir_all(p.join(".git")).unwrap_or_else(|e| panic!("{e}"));
    write(&p.join("stackfit.toml"), "[severity]\nSF220 = \"error\"\n");
    write(&p.join("requirements.txt"), "aiohttp\n");
    for f in ["pkg/a.py", "pkg/other.py", ".svc/hidden.py"] {
        write(&p.join(f), PY_HANDLER);
    }
    for f in ["web/b.js", "web/c.js"] {
        write(&p.join(f), JS_HANDLER);
    }
    dir
}

/// `stackfit scan ARGS --format json` run from `cwd`: (exit code, report).
fn scan_in(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let out = output_of(
        command()
            .current_dir(cwd)
            .arg("scan")
            .args(args)
            .args(["--format", "json"]),
    );
    let report = json_stdout(&out, &format!("scan {args:?}"));
    (out.status.code().unwrap_or(-1), report)
}

fn codes(report: &Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
                    (s("path"), s("code"), s("severity"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn d(path: &str, code: &str, sev: &str) -> (String, String, String) {
    (path.into(), code.into(), sev.into())
}

#[test]
fn two_files_lint_exactly_those_with_the_projects_config_and_manifests() {
    let dir = project();
    let (code, r) = scan_in(dir.path(), &["pkg/a.py", "web/b.js"]);
    assert_eq!(
        codes(&r),
        vec![
            d("pkg/a.py", "SF220", "error"),
            d("web/b.js", "SF221", "warning")
        ],
        "only the two targets, paths from the project root, SF220 raised by its config"
    );
    assert_eq!(
        code, 1,
        "the config's error severity trips the default --fail-on"
    );
    assert_eq!(r["root"], ".");
    assert_eq!(r["stats"]["files_scanned"], 2);
    let manifests: Vec<&str> = r["stats"]["manifests"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(manifests, vec!["requirements.txt"]);
}

#[test]
fn the_project_root_is_found_from_anywhere() {
    let dir = project();
    let a = dir.path().join("pkg/a.py");
    let b = dir.path().join("pkg/other.py");
    // From another directory, with absolute paths: still relative to the project root.
    let (_, r) = scan_in(&repo(), &[&a.to_string_lossy(), &b.to_string_lossy()]);
    assert_eq!(
        codes(&r),
        vec![
            d("pkg/a.py", "SF220", "error"),
            d("pkg/other.py", "SF220", "error")
        ]
    );
    // The common directory `pkg` holds no marker: the root is the project above it.
    let root = r["root"].as_str().unwrap_or("");
    let want = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Path::new(root), want);
}

#[test]
fn directories_and_named_hidden_files() {
    let dir = project();
    let (_, r) = scan_in(dir.path(), &["web", ".svc/hidden.py"]);
    assert_eq!(
        codes(&r),
        vec![
            d(".svc/hidden.py", "SF220", "error"),
            d("web/b.js", "SF221", "warning"),
            d("web/c.js", "SF221", "warning"),
        ],
        "a named file is linted even in a hidden directory; a directory is walked as usual"
    );
}

#[test]
fn one_file_in_project_mode_matches_several() {
    let dir = project();
    let (_, r) = scan_in(dir.path(), &["--in-project", "pkg/a.py"]);
    assert_eq!(codes(&r), vec![d("pkg/a.py", "SF220", "error")]);
    // Without it, one PATH is its own root, as before.
    let (_, r) = scan_in(dir.path(), &["pkg/a.py"]);
    assert_eq!(codes(&r)[0], d("a.py", "SF220", "error"));
}

#[test]
fn the_configs_exclude_applies_to_named_files() {
    let dir = project();
    write(
        &dir.path().join("stackfit.toml"),
        "exclude = [\"web/c.js\"]\n",
    );
    let (code, r) = scan_in(dir.path(), &["web/b.js", "web/c.js"]);
    assert_eq!(codes(&r), vec![d("web/b.js", "SF221", "warning")]);
    assert_eq!(code, 0);
}

#[test]
fn a_missing_path_is_exit_2_naming_it() {
    let dir = project();
    let out =
        output_of(
            command()
                .current_dir(dir.path())
                .args(["scan", "pkg/a.py", "nope/gone.py"]),
        );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`nope/gone.py`") && err.contains("no such file"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn pre_commit_hook_runs_stackfit_scan_on_the_files() {
    let text = read(&repo().join(".pre-commit-hooks.yaml"));
    for want in [
        "- id: stackfit",
        "entry: stackfit scan",
        "language: rust",
        "pass_filenames: true",
        "--in-project",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
}
