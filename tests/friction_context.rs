//! Friction rules where they matter (issue 14): product code only by default (`[lint]
//! classes`), and blocking calls judged by whether the code runs on a serving event loop, not
//! merely inside async code. The real binary on `fixtures/friction-classes` and
//! `fixtures/friction-serving`, comparing the complete list of diagnostics so a case that must
//! not trigger fails as surely as a missing one.
mod common;

use common::*;

/// (path, code) of each friction diagnostic of a report.
fn path_codes(v: &serde_json::Value) -> Vec<(String, String)> {
    friction_diagnostics(v)
        .into_iter()
        .map(|(p, _, _, c)| (p, c))
        .collect()
}

#[test]
fn friction_rules_judge_product_code_by_default() {
    let (_, v) = scan_json_exit(fixture("friction-classes"), &["--no-config"]);
    assert_same_diagnostics(
        &friction_diagnostics(&v),
        &diags(&[("app/server.py", 8, 5, "SF220")]),
    );
    let out = &v["diagnostics_outside_product"];
    assert_eq!(out["total"], 3, "{out}");
    assert_eq!(
        (&out["test"], &out["example"], &out["build"]),
        (&1.into(), &1.into(), &1.into())
    );
    assert!(out.get("product").is_none(), "{out}");
    // nothing hidden silently: the text report says how many and how to opt in
    let text = scan_text(fixture("friction-classes"), &["--no-config"]);
    assert!(
        text.contains("3 diagnostics in tests, examples and scripts not shown (test 1, example 1, build 1; [lint] classes opts in)"),
        "{text}"
    );
}

#[test]
fn lint_classes_opts_in() {
    let (_, v) = scan_json_exit(
        fixture("friction-classes"),
        &["--config", "fixtures/friction-classes/lint-all.toml"],
    );
    assert_same_diagnostics(
        &friction_diagnostics(&v),
        &diags(&[
            ("app/server.py", 8, 5, "SF220"),
            ("examples/client.py", 5, 5, "SF220"),
            ("scripts/release.js", 5, 3, "SF241"),
            ("tests/test_server.py", 6, 5, "SF220"),
        ]),
    );
    assert_eq!(v["diagnostics_outside_product"]["total"], 0);
}

#[test]
fn blocking_calls_count_on_a_serving_loop_only() {
    let (_, v) = scan_json_exit(fixture("friction-serving"), &["--no-config"]);
    // Not flagged: the coroutines of an `asyncio.run(main())` CLI (svc/sync_cli.py), a
    // lifespan, an `on_event("startup")` hook, the coroutine run under the main guard, an aiohttp
    // app factory (`init_app`), `restartServer()` reading TLS certificates, `loadConfig`, and a
    // function that starts the server itself (`createServer(...).listen()`), and a shebang
    // script that starts no server (bin/tool.js).
    assert_same_diagnostics(
        &friction_diagnostics(&v),
        &diags(&[
            ("svc/api.py", 25, 5, "SF220"),     // @app.get route
            ("svc/api.py", 31, 5, "SF220"),     // a route named `setup`: the route decides
            ("svc/api.py", 40, 5, "SF220"),     // another coroutine of a serving file
            ("svc/web.py", 8, 5, "SF220"),      // aiohttp handler
            ("svc/store.py", 16, 10, "SF220"),  // sqlite3.connect in a route (not aiosqlite)
            ("svc/store.py", 17, 12, "SF220"),  // sync redis.Redis().get (not redis.asyncio)
            ("web/server.js", 10, 12, "SF221"), // readdirSync in an express route
            ("web/server.js", 23, 10, "SF221"), // async function in a server file
        ]),
    );
}

/// A script run as `node train.js` (it calls its own `main()` at the top level and starts no
/// server) runs once: its sync reads block nobody. The same function in a module that is only
/// imported, or in a script that also serves, still counts.
#[test]
fn an_entry_script_runs_once() {
    let dir = tempdir();
    let body = "const fs = require('fs');\n\nasync function main() {\n  const text = fs.readFileSync('corpus.txt', 'utf8');\n  return text.length;\n}\n";
    write(
        &dir.path().join("train.js"),
        format!("{body}\nmain().catch((e) => {{ console.error(e); process.exit(1); }});\n"),
    );
    write(
        &dir.path().join("lib.js"),
        format!("{body}\nmodule.exports = {{ main }};\n"),
    );
    write(
        &dir.path().join("serve.js"),
        format!("const http = require('http');\n{body}\nhttp.createServer(async (req, res) => res.end(String(await main()))).listen(8080);\nmain();\n"),
    );
    let v = scan_json(dir.path(), &["--no-config"]);
    let got = path_codes(&v);
    assert_eq!(
        got,
        [("serve.js".to_string(), "SF221".to_string())],
        "{got:?}"
    );
    // lib.js's async code is not seen to serve: SF224, a preview rule that `select` turns on.
    write(
        &dir.path().join("stackfit.toml"),
        "select = [\"SF\", \"SF224\"]\n",
    );
    let v = scan_json(dir.path(), &[]);
    let got = path_codes(&v);
    assert_eq!(
        got,
        [
            ("lib.js".to_string(), "SF224".to_string()),
            ("serve.js".to_string(), "SF221".to_string())
        ],
        "{got:?}"
    );
}

/// SF240 in a run-once script: an uncaught stream error ends that run, which is how a CLI fails
/// anyway. The same stream in a module a server imports still counts.
#[test]
fn stream_errors_in_a_run_once_script_are_not_reported() {
    let dir = tempdir();
    let body = "const fs = require('fs');\n\nfunction copy(src, dst) {\n  fs.createReadStream(src).pipe(fs.createWriteStream(dst));\n}\n";
    write(
        &dir.path().join("bin/copy.js"),
        format!("{body}\ncopy(process.argv[2], process.argv[3]);\n"),
    );
    write(
        &dir.path().join("lib/copy.js"),
        format!("{body}\nmodule.exports = {{ copy }};\n"),
    );
    let v = scan_json(dir.path(), &["--no-config"]);
    let got = path_codes(&v);
    assert!(
        got.iter().all(|(p, _)| p == "lib/copy.js") && got.iter().any(|(_, c)| c == "SF240"),
        "{got:?}"
    );
}

/// A project whose own name says it is a collection of examples (`ml-examples`) has example
/// code throughout, whatever its directories are called: friction rules leave it alone by
/// default (and say so), while the verdict still reads it. The same tree named for a service is
/// linted.
#[test]
fn a_project_named_for_examples_is_examples() {
    let server = "const express = require('express');\nconst fs = require('fs');\nconst tf = require('@tensorflow/tfjs-node');\nconst app = express();\n\napp.get('/predict', async (req, res) => {\n  const model = fs.readFileSync('model.json', 'utf8');\n  res.json({ ok: model.length, v: tf.version });\n});\n\napp.listen(3000);\n";
    let run = |name: &str| {
        let dir = tempdir();
        write(
            &dir.path().join("package.json"),
            format!("{{\"name\": \"{name}\", \"private\": true}}\n"),
        );
        write(&dir.path().join("mnist-serving/server.js"), server);
        scan_json(dir.path(), &["--no-config"])
    };
    let examples = run("ml-examples");
    assert!(friction_diagnostics(&examples).is_empty(), "{examples}");
    assert_eq!(examples["diagnostics_outside_product"]["example"], 1);
    assert_eq!(
        examples["file_classes"]["named"], "example",
        "{}",
        examples["file_classes"]
    );
    let service = run("ml-service");
    assert_eq!(
        path_codes(&service),
        [("mnist-serving/server.js".to_string(), "SF221".to_string())],
        "{service}"
    );
}

/// Startup work one call away: a private helper whose only callers are startup paths
/// (`start()`, an `on_startup` hook, a client's `connect()`) runs at startup too. The same
/// blocking call in a helper a request handler also calls, or in an exported helper, counts.
#[test]
fn startup_helpers_one_call_away_are_startup() {
    let dir = tempdir();
    write(
        &dir.path().join("server.js"),
        "const express = require('express');\nconst fs = require('fs');\nconst app = express();\n\n\
         async function checkDist() {\n  return fs.existsSync('dist/index.html');\n}\n\n\
         async function listFiles() {\n  return fs.readdirSync('data');\n}\n\n\
         app.get('/files', async (req, res) => res.json(await listFiles()));\n\n\
         async function start() {\n  await checkDist();\n  await listFiles();\n  app.listen(8080);\n}\n\n\
         start();\n",
    );
    write(
        &dir.path().join("mqtt.ts"),
        "import * as fs from 'fs';\nimport express from 'express';\nexport const app = express();\n\n\
         export class Mqtt {\n  async connect(): Promise<void> {\n    const ca = fs.readFileSync('ca.pem');\n    await this.subscribe(ca);\n  }\n\n\
         async subscribe(ca: Buffer): Promise<void> {}\n\n\
         async onMessage(topic: string): Promise<void> {\n    fs.writeFileSync('last', topic);\n  }\n}\n\napp.listen(1883);\n",
    );
    write(
        &dir.path().join("api.py"),
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n\
         async def _load_certs():\n    with open('cert.pem') as f:\n        return f.read()\n\n\n\
         async def _read_note():\n    with open('note.txt') as f:\n        return f.read()\n\n\n\
         @app.on_event('startup')\nasync def on_startup():\n    await _load_certs()\n\n\n\
         @app.get('/note')\nasync def note():\n    return await _read_note()\n",
    );
    let v = scan_json(dir.path(), &["--no-config"]);
    assert_same_diagnostics(
        &friction_diagnostics(&v),
        &diags(&[
            ("api.py", 13, 16, "SF220"),    // _read_note: a route calls it
            ("mqtt.ts", 14, 5, "SF221"),    // onMessage is a handler, not startup
            ("server.js", 10, 10, "SF221"), // listFiles: a route calls it too
        ]),
    );
}
