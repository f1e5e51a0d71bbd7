//! The friction rules (F1–F4), suppressions, config and exit codes, end to end: the real binary
//! on the `fixtures/friction-*` projects, asserting the exact code, file, line and column of
//! every diagnostic. Each fixture holds a must-trigger and a must-not-trigger case for every
//! rule and every exemption (the comments in the fixtures say which is which); comparing the
//! complete list means a case that must not trigger fails the test as surely as a missing one.
mod common;

use common::*;
use serde_json::Value;

/// The diagnostics of a fixture scanned without any config, SF001 (verdict-dependent) aside.
fn friction_of(name: &str) -> (Value, Vec<Diag>) {
    let (code, v) = scan_json_exit(fixture(name), &["--no-config"]);
    assert_eq!(
        code, 0,
        "default --fail-on error: no shipped rule is an error"
    );
    let d = friction_diagnostics(&v);
    (v, d)
}

#[test]
fn python_friction_rules() {
    let (v, got) = friction_of("friction-python");
    let want = diags(&[
        // F1 threads: SF210 CPU-bound target, SF211 I/O-bound or unknown target fanned out.
        // Not flagged: ProcessPoolExecutor, multiprocessing.Process, an unrelated `submit`,
        // builtin map, and single background threads with an I/O-bound target.
        ("ingest/workers.py", 51, 16, "SF210"), // self.pool = ThreadPool(4); self.pool.map(checksum)
        ("ingest/workers.py", 56, 21, "SF210"), // with ThreadPoolExecutor() as ex: ex.map(checksum)
        ("ingest/workers.py", 57, 17, "SF211"), // [ex.submit(upload, b) for b in batches]
        ("ingest/workers.py", 58, 9, "SF210"),  // ex.submit(functools.partial(rolling_mean))
        ("ingest/workers.py", 60, 5, "SF210"),  // Thread(target=summarise): CPU-bound helper
        ("ingest/workers.py", 62, 9, "SF211"),  // Thread(target=on_done) in a loop: not visible
        // F2 blocking calls in async def
        ("ingest/handlers.py", 25, 5, "SF220"),  // time.sleep
        ("ingest/handlers.py", 26, 5, "SF220"),  // from time import sleep
        ("ingest/handlers.py", 29, 9, "SF220"),  // requests.post
        ("ingest/handlers.py", 31, 5, "SF220"),  // requests.Session().get
        ("ingest/handlers.py", 39, 15, "SF220"), // with open() as fh: fh.read()
        ("ingest/handlers.py", 40, 11, "SF220"), // subprocess.check_output
        ("ingest/handlers.py", 41, 12, "SF220"), // urllib.request.urlopen
        ("ingest/handlers.py", 54, 12, "SF220"), // socket.create_connection
        ("ingest/handlers.py", 55, 12, "SF220"), // sock.recv
        // F4 dropped asyncio tasks
        ("ingest/background.py", 13, 5, "SF242"), // asyncio.create_task
        ("ingest/background.py", 14, 5, "SF242"), // asyncio.ensure_future
        ("ingest/background.py", 16, 5, "SF242"), // loop = get_running_loop(); loop.create_task
        ("ingest/background.py", 31, 9, "SF242"), // self._loop.create_task
        // suppressions: only what is not silenced, and the unknown code
        ("ingest/quiet.py", 16, 5, "SF220"), // ignore[SF210] names another rule
        ("ingest/quiet.py", 16, 23, "SF003"), // ... so that ignore[SF210] silences nothing
        ("ingest/quiet.py", 17, 5, "SF220"), // ignore[SF22O] is a typo
        ("ingest/quiet.py", 17, 23, "SF002"), // ... reported at the comment
        ("ingest/quiet.py", 19, 5, "SF220"), // a `stackfit:` inside a string is no suppression
    ]);
    assert_same_diagnostics(&got, &want);
    // quiet.py: trailing ignore[SF220], ignore[SF220] on the line above, bare ignore, and the
    // file-level ignore-file[SF211] of a Thread call
    assert_eq!(v["suppressed"], 4);
}

#[test]
fn javascript_and_typescript_friction_rules() {
    let (v, got) = friction_of("friction-js");
    let want = diags(&[
        // F2 sync APIs in async code and handlers
        ("src/server.js", 19, 19, "SF221"), // execSync in app.get handler
        ("src/server.js", 24, 15, "SF221"), // crypto.pbkdf2Sync in async route
        ("src/server.js", 29, 44, "SF221"), // fs.statSync in inline .map callback of a handler
        ("src/server.js", 34, 15, "SF221"), // async function
        ("src/server.js", 42, 36, "SF221"), // new Promise executor
        ("src/server.js", 43, 23, "SF221"), // .then callback
        ("src/server.js", 48, 3, "SF221"),  // server.on('request')
        ("src/server.js", 54, 5, "SF221"),  // Atomics.wait in socket.on handler
        ("src/server.js", 64, 19, "SF221"), // a Node-RED node's on('input') handler
        ("src/report.ts", 12, 15, "SF221"), // import { readFileSync } from 'fs'
        ("src/report.ts", 13, 16, "SF221"), // import * as fs from 'node:fs'
        ("src/quiet.js", 7, 3, "SF003"),    // ignore[SF221, SF241]: no SF241 on the next line
        ("src/quiet.js", 10, 13, "SF221"),  // not suppressed
        // F4 floating promises
        ("src/jobs.js", 15, 5, "SF241"), // this.flush(): async method
        ("src/jobs.js", 24, 3, "SF241"), // fetch(url)
        ("src/jobs.js", 25, 3, "SF241"), // fetch().then(onFulfilled)
        ("src/jobs.js", 27, 3, "SF241"), // fs.promises.unlink
        ("src/jobs.js", 28, 3, "SF241"), // fsp.rm(...).finally()
        ("src/jobs.js", 30, 3, "SF241"), // cleanup(): async function of the file
        ("src/report.ts", 14, 3, "SF241"), // import { promises as fsp } from 'fs'
        // F4 streams and emitters without 'error' listeners
        ("src/streams.js", 9, 3, "SF240"), // createReadStream(...).pipe(res)
        ("src/streams.js", 17, 16, "SF240"), // const sock = net.connect(); sock.write()
        ("src/streams.js", 30, 3, "SF240"), // https.get(url, cb);
        ("src/streams.js", 49, 19, "SF243"), // this.events emits 'error', no listener
    ]);
    assert_same_diagnostics(&got, &want);
    // quiet.js: trailing ignore, line-above ignore with two codes, bare /* */ ignore, ignore-file
    assert_eq!(v["suppressed"], 4);
    // A NodeJS-shaped workload in JavaScript: no mismatch diagnostic.
    assert!(!diagnostics(&v).iter().any(|d| d.3 == "SF001"));
}

#[test]
fn model_work_on_the_event_loop() {
    let (_, got) = friction_of("friction-tfjs");
    let want = diags(&[
        ("src/server.js", 18, 9, "SF230"),  // model.fit in a route handler
        ("src/server.js", 24, 3, "SF231"),  // nested arithmetic loop in a handler
        ("src/server.js", 33, 3, "SF231"),  // loop over tensor.dataSync()
        ("src/server.js", 44, 3, "SF231"),  // loop to 5,000,000
        ("src/server.js", 51, 10, "SF230"), // model.fit in a function of a server file
    ]);
    // Not flagged: layout.fit (not a model), a single cheap loop, the same nested loop in a
    // plain function, and scripts/train.js (training in a process that serves nothing).
    assert_same_diagnostics(&got, &want);
}

#[test]
fn workload_mismatch_sits_on_the_manifest() {
    let (_, v) = scan_json_exit(fixture("friction-tfjs"), &["--no-config"]);
    assert_eq!(v["verdict"]["mismatch"], true, "{}", v["verdict"]);
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "SF001"))
        .cloned()
        .unwrap_or_else(|| panic!("no SF001: {}", v["diagnostics"]));
    assert_eq!(d["path"], "package.json");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(d["end_line"], 1);
    assert_eq!(
        d["end_column"], 2,
        "the region is the manifest's first line, `{{`"
    );
    assert_eq!(d["severity"], "note");
    // It says what to check, not the headline again.
    assert_ne!(d["message"], v["verdict"]["summary"]);
    let m = d["message"].as_str().unwrap_or("");
    assert!(
        m.starts_with("JavaScript code with a Python-shaped workload (neural networks in ")
            && m.contains("check where the heavy computation runs"),
        "{m}"
    );
}

#[test]
fn json_report_shape() {
    let (_, v) = scan_json_exit(fixture("friction-python"), &["--no-config"]);
    assert_eq!(v["schema_version"], "2.3");
    let d = &v["diagnostics"][0];
    for key in [
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "fix",
        "fingerprint",
    ] {
        assert!(d.get(key).is_some(), "diagnostic has no `{key}`: {d}");
    }
    assert!(v["suppressed"].is_u64());
}

#[test]
fn config_file_selects_excludes_overrides_and_fails() {
    let dir = fixture("friction-config");
    let (code, v) = scan_json_exit(&dir, &[]);
    let got = diagnostics(&v);
    let want = diags(&[
        ("app/runner.py", 11, 5, "SF220"),       // warning
        ("app/runner.py", 12, 5, "SF242"),       // error per [severity]
        ("tests/test_runner.py", 7, 5, "SF242"), // SF220 there is ignored by [[overrides]]
    ]);
    assert_same_diagnostics(&got, &want);
    let sev = |i: usize| {
        v["diagnostics"][i]["severity"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!((sev(0), sev(1)), ("warning".into(), "error".into()));
    // vendor/ is excluded: not even scanned
    assert_eq!(v["stats"]["files_scanned"], 2);
    // SF220 in tests/ (per-path ignore) counts as suppressed; SF211 (ignored rule) does not
    assert_eq!(v["suppressed"], 1);
    assert_eq!(code, 1, "fail-on = \"warning\" in stackfit.toml");
    assert_eq!(scan_json_exit(&dir, &["--fail-on", "none"]).0, 0);
    assert_eq!(scan_json_exit(&dir, &["--fail-on", "error"]).0, 1);
    // without the config: defaults, including --fail-on error with no error-level diagnostic
    let (code, v) = scan_json_exit(&dir, &["--no-config"]);
    assert_eq!(code, 0);
    assert!(diagnostics(&v).iter().any(|d| d.3 == "SF211"));
}

#[test]
fn pyproject_tool_stackfit_found_from_a_subdirectory() {
    for path in [
        fixture("friction-pyproject"),
        fixture("friction-pyproject/svc"),
    ] {
        let (code, v) = scan_json_exit(&path, &[]);
        let got: Vec<_> = diagnostics(&v)
            .into_iter()
            .map(|d| (d.1, d.2, d.3))
            .collect();
        assert_eq!(got, vec![(7, 5, "SF242".to_string())], "{}", path.display());
        assert_eq!(v["diagnostics"][0]["severity"], "note");
        assert_eq!(code, 1, "fail-on = \"note\"");
    }
}

#[test]
fn explicit_config_and_bad_config() {
    // --config names a file: its rules apply even though the scanned tree has its own
    let (_, v) = scan_json_exit(
        fixture("friction-config"),
        &["--config", "fixtures/friction-pyproject/pyproject.toml"],
    );
    assert!(!diagnostics(&v).iter().any(|d| d.3 == "SF220"));
    assert!(diagnostics(&v).iter().any(|d| d.3 == "SF211"));

    let out = run(&["scan", "fixtures/friction-bad-config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("friction-bad-config/stackfit.toml:5:9:")
            && err.contains("SF221")
            && err.contains("fatal"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no report when the config is bad");

    let out = run(&[
        "scan",
        "fixtures/friction-python",
        "--config",
        "no/such/stackfit.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fail_on_thresholds_and_exit_codes() {
    let dir = fixture("friction-python");
    assert_eq!(
        scan_json_exit(&dir, &["--no-config"]).0,
        0,
        "default: error"
    );
    assert_eq!(
        scan_json_exit(&dir, &["--no-config", "--fail-on", "warning"]).0,
        1
    );
    assert_eq!(
        scan_json_exit(&dir, &["--no-config", "--fail-on", "note"]).0,
        1
    );
    assert_eq!(
        scan_json_exit(&dir, &["--no-config", "--fail-on", "none"]).0,
        0
    );
    let out = run(&["scan", "--fail-on", "fatal", "."]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_and_explain_show_friction_docs() {
    let list = run_ok(&["rules"]);
    for code in [
        "SF001", "SF002", "SF210", "SF211", "SF220", "SF221", "SF230", "SF231", "SF240", "SF241",
        "SF242", "SF243",
    ] {
        let line = list
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} not listed"));
        assert!(
            line.contains("note") || line.contains("warning") || line.contains("error"),
            "{line}"
        );
    }
    let ex = run_ok(&["explain", "sf220"]);
    for part in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## What to do",
        "Fix:",
        "stackfit: ignore[SF220]",
        "1 Architecture",
    ] {
        assert!(ex.contains(part), "explain SF220 lacks `{part}`:\n{ex}");
    }
}

/// Fingerprints survive lines inserted above: the same diagnostics and findings keep their
/// identity, lines move; two identical calls in one function stay distinct.
#[test]
fn fingerprints_survive_inserted_lines() {
    let dir = tempdir();
    let body = "import time\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/a\")\nasync def a():\n    time.sleep(1)\n    time.sleep(1)\n    return 1\n\n\n@app.get(\"/b\")\nasync def b():\n    time.sleep(1)\n    return 2\n";
    write(&dir.path().join("app.py"), body);
    let fps = |r: &serde_json::Value, key: &str| -> Vec<(String, u64)> {
        r[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| {
                        (
                            d["fingerprint"].as_str().unwrap_or("").to_string(),
                            d["line"].as_u64().unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = scan_json(dir.path(), &["--no-config"]);
    let d0 = fps(&before, "diagnostics");
    assert_eq!(d0.len(), 3, "{d0:?}");
    let distinct: std::collections::BTreeSet<&String> = d0.iter().map(|(f, _)| f).collect();
    assert_eq!(
        distinct.len(),
        3,
        "twins in a() and the call in b() all differ: {d0:?}"
    );
    assert!(d0
        .iter()
        .all(|(f, _)| f.len() == 16 && f.chars().all(|c| c.is_ascii_hexdigit())));
    write(
        &dir.path().join("app.py"),
        format!("\"\"\"Endpoints.\"\"\"\n# a comment\n\n{body}"),
    );
    let after = scan_json(dir.path(), &["--no-config"]);
    let d1 = fps(&after, "diagnostics");
    assert_eq!(
        d0.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        d1.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        "same identities"
    );
    assert!(
        d0.iter().zip(&d1).all(|((_, l0), (_, l1))| l1 == &(l0 + 3)),
        "{d0:?} {d1:?}"
    );
    let f0: Vec<String> = fps(&before, "findings")
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let f1: Vec<String> = fps(&after, "findings")
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(f0, f1);
    // SARIF carries them as partialFingerprints.
    let sarif = scan_report(dir.path(), "sarif", &["--no-config"]);
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let in_sarif: Vec<&str> = results
        .iter()
        .filter_map(|r| r["partialFingerprints"]["stackfit/v1"].as_str())
        .collect();
    assert_eq!(
        in_sarif,
        d1.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>()
    );
}

/// SF003: a suppression that silences nothing is reported at the comment, one finding per
/// unused code; a used one is not. A block comment followed by code covers its own line.
#[test]
fn unused_suppressions_and_same_line_block_comments() {
    let dir = tempdir();
    write(
        &dir.path().join("app.js"),
        "const fs = require('fs'); const http = require('http');\n\nasync function handler() {\n  /* stackfit: ignore[SF221] */ const a = fs.readFileSync('a');\n  const b = await fs.promises.readFile('b'); // stackfit: ignore[SF221]\n  // stackfit: ignore\n  const c = 1;\n  return [a, b, c];\n}\nhttp.createServer(handler).listen(8080);\n",
    );
    let v = scan_json(dir.path(), &["--no-config"]);
    let got: Vec<(u64, String, String)> = v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["line"].as_u64().unwrap_or(0),
                        d["code"].as_str().unwrap_or("").to_string(),
                        d["message"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let codes: Vec<(u64, &str)> = got.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    // Line 4's block comment silences the readFileSync after it; lines 5 and 6 silence nothing.
    assert_eq!(codes, [(5, "SF003"), (6, "SF003")], "{got:?}");
    assert!(
        got[0]
            .2
            .contains("`stackfit: ignore[SF221]` silences nothing"),
        "{got:?}"
    );
    assert!(
        got[1].2.contains("`stackfit: ignore` silences nothing"),
        "{got:?}"
    );
    // A config can turn SF003 off like any rule.
    write(&dir.path().join("stackfit.toml"), "ignore = [\"SF003\"]\n");
    let quiet = scan_json(dir.path(), &[]);
    assert!(
        quiet["diagnostics"].as_array().is_some_and(Vec::is_empty),
        "{}",
        quiet["diagnostics"]
    );
}

/// A friction diagnostic inside a notebook carries its cell and the line in it, as findings do.
#[test]
fn notebook_diagnostics_carry_their_cell() {
    let dir = tempdir();
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Fetch"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
             "source": ["import time\n", "import asyncio\n"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
             "source": ["async def poll(feed):\n", "    while True:\n", "        time.sleep(1)\n", "        await feed.next()\n"]}
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    write(
        &dir.path().join("poll.ipynb"),
        serde_json::to_string_pretty(&nb).unwrap_or_default(),
    );
    let v = scan_json(dir.path(), &["--no-config"]);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "SF220", "{}", v["diagnostics"]);
    assert_eq!(d["cell"]["index"], 2);
    assert_eq!(d["cell"]["line"], 3);
    assert!(scan_text(dir.path(), &["--no-config"]).contains("[cell 2, line 3] warning SF220"));
}
