//! `scan --add-suppressions`: every friction diagnostic gets an inline suppression in its
//! file's comment style, a scan afterwards reports nothing, and a second run changes no byte.
mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const PY: &str = "import asyncio\nimport time\n\nfrom aiohttp import web\n\n\nasync def health(request):\n    time.sleep(0.1)\n    asyncio.create_task(work(time.sleep(0.2)))  # stackfit: ignore[SF242]\n    x = time.sleep(3) or f(\"\"\"a\n    b\"\"\")\n    return web.json_response({\"ok\": True})\n\n\ndef make_app():\n    app = web.Application()\n    app.router.add_get(\"/health\", health)\n    web.run_app(app)\n";

const JS: &str = "const fs = require('fs');\r\nconst express = require('express');\r\nconst app = express();\r\napp.get('/a', (req, res) => {\r\n  res.send(fs.readFileSync('a.txt'));\r\n});\r\napp.listen(3000);\r\n";

const TSX: &str = "import fs from 'fs';\nimport express from 'express';\nconst app = express();\napp.get('/', (req, res) => {\n  const page = (\n    <ul>\n      <li>{fs.readFileSync('a.txt', 'utf8')}</li>\n    </ul>\n  );\n  res.send(page);\n});\napp.listen(3000);\n";

fn project() -> tempfile::TempDir {
    let dir = tempdir();
    let p = dir.path();
    write(&p.join("requirements.txt"), "aiohttp\n");
    write(&p.join("app/server.py"), PY);
    write(&p.join("web/server.js"), JS);
    write(&p.join("web/page.tsx"), TSX);
    dir
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
            let path = e.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                out.insert(path.display().to_string(), bytes);
            }
        }
    }
    out
}

fn add(dir: &Path) -> (i32, String) {
    let out = output_of(command().args(["scan", "--add-suppressions"]).arg(dir));
    assert!(stdout(&out).is_empty(), "no report: {}", stdout(&out));
    (out.status.code().unwrap_or(-1), stderr(&out))
}

#[test]
fn a_scan_after_it_is_clean_and_a_second_run_changes_nothing() {
    let dir = project();
    let before = friction_diagnostics(&scan_json(dir.path(), &[]));
    assert_same_diagnostics(
        &before,
        &diags(&[
            ("app/server.py", 8, 5, "SF220"),
            ("app/server.py", 9, 30, "SF220"),
            ("app/server.py", 10, 9, "SF220"),
            ("web/page.tsx", 7, 12, "SF221"),
            ("web/server.js", 5, 12, "SF221"),
        ]),
    );
    let (code, err) = add(dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("added 5 suppressions on 5 lines in 3 files"),
        "{err}"
    );
    let r = scan_json(dir.path(), &[]);
    assert_eq!(diagnostics(&r), vec![], "nothing left, no SF003");
    assert_eq!(r["suppressed"], 6, "the five and the SF242 already there");

    let py = read(&dir.path().join("app/server.py"));
    assert!(
        py.contains("    time.sleep(0.1)  # stackfit: ignore[SF220]\n"),
        "{py}"
    );
    assert!(
        py.contains("(0.2)))  # stackfit: ignore[SF242, SF220]\n"),
        "the existing comment is extended, not doubled:\n{py}"
    );
    assert!(
        py.contains("    # stackfit: ignore[SF220]\n    x = time.sleep(3) or f(\"\"\"a\n"),
        "a line ending in a string gets its comment above:\n{py}"
    );
    let js = read(&dir.path().join("web/server.js"));
    assert!(
        js.contains("  res.send(fs.readFileSync('a.txt'));  // stackfit: ignore[SF221]\r\n"),
        "`//` and the file's CRLF:\n{js}"
    );
    let tsx = read(&dir.path().join("web/page.tsx"));
    assert!(
        tsx.contains("</li>  {/* stackfit: ignore[SF221] */}\n"),
        "JSX text takes a braced block comment, not `//`:\n{tsx}"
    );

    let once = snapshot(dir.path());
    let (code, err) = add(dir.path());
    assert_eq!(code, 0);
    assert!(err.contains("no suppression added"), "{err}");
    assert_eq!(snapshot(dir.path()), once, "the second run changed a byte");
}

#[cfg(unix)]
#[test]
fn permissions_kept_and_symlinks_and_notebooks_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let script = dir.path().join("app/server.py");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    let outside = tempdir();
    write(&outside.path().join("x.js"), JS);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cell = "import time\\n\\nfrom aiohttp import web\\n\\nasync def health(request):\\n    time.sleep(1)\\n    return web.Response()\\n\\napp = web.Application()\\napp.router.add_get('/', health)\\nweb.run_app(app)\\n";
    let nb = format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"metadata\": {{}}, \"source\": \"{cell}\", \"outputs\": [], \"execution_count\": null}}], \"metadata\": {{\"kernelspec\": {{\"language\": \"python\", \"name\": \"python3\"}}}}, \"nbformat\": 4, \"nbformat_minor\": 5}}"
    );
    write(&dir.path().join("nb/serve.ipynb"), &nb);
    let (code, err) = add(dir.path());
    assert_eq!(code, 0, "{err}");
    let mode = std::fs::metadata(&script)
        .unwrap_or_else(|e| panic!("{e}"))
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755, "the executable bit is kept");
    assert_eq!(
        read(&outside.path().join("x.js")),
        JS,
        "not written through a link"
    );
    assert_eq!(read(&dir.path().join("nb/serve.ipynb")), nb);
    assert!(
        err.contains("nb/serve.ipynb: 1 diagnostic in a notebook"),
        "the notebook is named: {err}"
    );
    let left: Vec<String> = diagnostics(&scan_json(dir.path(), &[]))
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(left, vec!["nb/serve.ipynb".to_string()]);
}
