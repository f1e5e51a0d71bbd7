//! Nested configs: a `stackfit.toml` in a sub-directory applies to its sub-tree when the root
//! is scanned (the closest config wins, globs relative to its directory); the verdict and the
//! exit code stay the root config's; a broken nested config is exit 2 naming it.
mod common;

use common::*;
use serde_json::Value;

const PY_HANDLER: &str = "import time\n\nfrom aiohttp import web\n\n\nasync def health(request):\n    time.sleep(0.1)\n    return web.json_response({\"ok\": True})\n\n\ndef make_app():\n    app = web.Application()\n    app.router.add_get(\"/health\", health)\n    web.run_app(app)\n";

const JS_HANDLER: &str = "const fs = require('fs');\nconst express = require('express');\nconst app = express();\napp.get('/a', (req, res) => {\n  res.send(fs.readFileSync('a.txt'));\n});\napp.listen(3000);\n";

/// A root config raising SF220 to error, Python in `top.py` and `pkg/`, JavaScript in `web/`.
fn project() -> tempfile::TempDir {
    let dir = tempdir();
    let p = dir.path();
    write(&p.join("stackfit.toml"), "[severity]\nSF220 = \"error\"\n");
    write(&p.join("requirements.txt"), "aiohttp\n");
    for f in ["top.py", "pkg/a.py", "pkg/other.py", "pkg/sub/s.py"] {
        write(&p.join(f), PY_HANDLER);
    }
    for f in ["web/b.js", "web/lib/c.js"] {
        write(&p.join(f), JS_HANDLER);
    }
    dir
}

fn summary(r: &Value) -> Vec<String> {
    r["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
                    format!("{} {} {}", s("path"), s("code"), s("severity"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_closest_config_wins_for_its_files() {
    let dir = project();
    let p = dir.path();
    write(&p.join("web/stackfit.toml"), "ignore = [\"SF221\"]\n");
    // Globs relative to pkg/; its own severity; SF220 back to the rule's default elsewhere in
    // pkg/ is not inherited from the root (no merging).
    write(
        &p.join("pkg/stackfit.toml"),
        "exclude = [\"other.py\"]\n\n[[overrides]]\npaths = [\"sub/**\"]\nignore = [\"SF220\"]\n",
    );
    write(&p.join("web/lib/stackfit.toml"), "select = [\"SF221\"]\n");
    let (code, r) = scan_json_exit(p, &[]);
    assert_eq!(
        summary(&r),
        vec![
            "pkg/a.py SF220 warning",
            "top.py SF220 error",
            "web/lib/c.js SF221 warning",
        ],
        "web/ ignores SF221 but web/lib/ (closer) selects it; pkg/ excludes other.py and \
         overrides sub/**; the root's severity stays at the root"
    );
    assert_eq!(r["suppressed"], 1, "pkg/sub/s.py, by pkg's override");
    assert_eq!(code, 1, "top.py's error, from the root config");
}

#[test]
fn lint_classes_and_severity_per_sub_tree() {
    let dir = project();
    let p = dir.path();
    write(&p.join("pkg/tests/test_a.py"), PY_HANDLER);
    write(&p.join("tests/test_top.py"), PY_HANDLER);
    write(
        &p.join("pkg/stackfit.toml"),
        "[lint]\nclasses = [\"product\", \"test\"]\n\n[severity]\nSF220 = \"note\"\n",
    );
    let r = scan_json(p, &["--fail-on", "none"]);
    assert_eq!(
        summary(&r),
        vec![
            "pkg/a.py SF220 note",
            "pkg/other.py SF220 note",
            "pkg/sub/s.py SF220 note",
            "pkg/tests/test_a.py SF220 note",
            "top.py SF220 error",
            "web/b.js SF221 warning",
            "web/lib/c.js SF221 warning",
        ],
        "tests under pkg/ are linted, tests/ at the root are not"
    );
    assert_eq!(r["diagnostics_outside_product"]["test"], 1);
}

#[test]
fn the_verdict_and_fail_on_are_the_root_configs() {
    let dir = project();
    let p = dir.path();
    let plain = scan_json(p, &["--fail-on", "none"]);
    write(
        &p.join("web/stackfit.toml"),
        "ignore = [\"SF1\", \"SF221\"]\nfail-on = \"none\"\n\n[weights.traits]\nN7 = 5.0\n",
    );
    let (code, nested) = scan_json_exit(p, &[]);
    assert_eq!(
        nested["verdict"], plain["verdict"],
        "signals pass the root config"
    );
    assert_eq!(nested["traits"], plain["traits"]);
    assert_eq!(code, 1, "the nested fail-on does not apply");
    assert!(!summary(&nested).iter().any(|d| d.starts_with("web/")));
}

#[test]
fn a_broken_nested_config_is_exit_2_naming_it() {
    let dir = project();
    write(
        &dir.path().join("web/lib/stackfit.toml"),
        "ignore = [\"SF2\"]\nbogus = 1\n",
    );
    let out = scan_output(dir.path(), "json", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("web/lib/stackfit.toml:2:1:") && err.contains("bogus"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn config_and_no_config_turn_nested_configs_off() {
    let dir = project();
    let p = dir.path();
    write(
        &p.join("web/stackfit.toml"),
        "ignore = [\"SF221\"]\nbogus = 1\n",
    );
    let root_cfg = p.join("stackfit.toml");
    let with_file = scan_json(
        p,
        &["--config", &root_cfg.to_string_lossy(), "--fail-on", "none"],
    );
    assert!(summary(&with_file).contains(&"web/b.js SF221 warning".to_string()));
    let none = scan_json(p, &["--no-config"]);
    assert!(summary(&none).contains(&"web/b.js SF221 warning".to_string()));
    assert!(summary(&none).contains(&"top.py SF220 warning".to_string()));
}

#[test]
fn a_nested_config_in_an_excluded_or_ignored_directory_is_not_read() {
    let dir = project();
    let p = dir.path();
    write(&p.join("stackfit.toml"), "exclude = [\"old\"]\n");
    write(&p.join("old/stackfit.toml"), "bogus = 1\n");
    write(&p.join("node_modules/x/stackfit.toml"), "bogus = 1\n");
    let r = scan_json(p, &[]);
    assert!(!summary(&r).is_empty());
}
