//! Hostile repositories, built in a temp dir and scanned by the real binary: binary files with
//! source extensions, NUL bytes, UTF-16 and latin-1 source, a 3 MB single line, 20,000-deep
//! nesting, symlink loops and links out of the root, dangling links, unreadable files and
//! directories, a FIFO named like a source file, broken and deeply nested notebooks and
//! manifests. The scan must finish (exit 0, valid JSON), name every file it did not read with
//! its reason (`stats.skipped_files`, or `stats.walk_errors` for entries the walker does not
//! follow), and still find the real finding planted next to them.
#![cfg(unix)]
mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The finding planted in every hostile repository, and how the report shows it.
const PLANTED: (&str, &str) = ("app.py", "import torch\n");
const PLANTED_FINDING: &str = "SF320 app.py:1:8";

/// `stackfit scan ROOT --format json EXTRA...` that must end within `limit` (a FIFO or an
/// endless file must never hang it): exit 0 and the report.
#[track_caller]
fn scan_within(root: &Path, extra: &[&str], limit: Duration) -> Value {
    let child = Command::new(env!("CARGO_BIN_EXE_stackfit"))
        .args([
            "scan".as_ref(),
            root.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run stackfit: {e}"));
    let pid = child.id();
    // The output is read while waiting (a full pipe would block the scan, not a hang of its own).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap_or_else(|e| panic!("wait: {e}")),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("scan of {} still running after {limit:?}", root.display());
        }
    };
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    json_stdout(&out, "hostile scan")
}

fn walk_errors(r: &Value) -> Vec<String> {
    r["stats"]["walk_errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn is_root() -> bool {
    // chmod 000 does not stop root (CI runs as root): the unreadable cases check their reason
    // only for other users.
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(true)
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Bytes that are no text at all: every byte value, NULs, a PNG header.
fn binary_bytes() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    for i in 0..4096u32 {
        b.push((i.wrapping_mul(2654435761) >> 13) as u8);
    }
    b
}

/// Brackets nested `n` deep, one per line (so no minified-code check skips the file).
fn nested(open: &str, close: &str, n: usize) -> String {
    format!(
        "{}{}",
        format!("{open}\n").repeat(n),
        format!("{close}\n").repeat(n)
    )
}

#[test]
fn bad_bytes_and_encodings() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(PLANTED.0), PLANTED.1);
    write(&root.join("binary.py"), binary_bytes());
    write(&root.join("binary.ts"), binary_bytes());
    write(
        &root.join("nul.js"),
        b"const a = 1;\0\0\0\nrequire('ws');\n\0".as_slice(),
    );
    write(
        &root.join("utf16.py"),
        utf16le_with_bom("import numpy\nx = 'é'\n"),
    );
    write(
        &root.join("latin1.py"),
        b"# -*- coding: latin-1 -*-\ns = 'caf\xe9'\nimport pandas\n".as_slice(),
    );
    write(
        &root.join("bom.js"),
        b"\xEF\xBB\xBFrequire('socket.io');\n".as_slice(),
    );
    let r = scan_within(root, &[], Duration::from_secs(120));
    let f = findings(&r);
    for want in [
        PLANTED_FINDING,
        "SF360 utf16.py:1:8",
        "SF360 latin1.py:3:8",
        "SF120 nul.js:2:",
        "SF120 bom.js:1:",
    ] {
        assert!(f.iter().any(|x| x.starts_with(want)), "{want} not in {f:?}");
    }
    // Nothing here is skipped: every file is decoded (lossily if need be) and parsed.
    assert_eq!(skipped(&r), Vec::<String>::new());
    assert_eq!(r["stats"]["files_scanned"], 7, "{}", r["stats"]);
}

#[test]
fn huge_and_deep_files_are_bounded() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(PLANTED.0), PLANTED.1);
    let line = format!("var x = [{}];\n", "1,".repeat(1_500_000));
    write(&root.join("one_line.js"), &line);
    let n = 20_000;
    write(
        &root.join("deep.py"),
        format!(
            "import threading\ndef g():\n    for i in range(3):\n        y = {}threading.Thread(target=g).start()\n",
            nested("[", "]", n)
        ),
    );
    write(
        &root.join("deep.js"),
        format!(
            "async function f() {{\n  const x = {};\n  fs.readFileSync('a');\n}}\n",
            nested("(", ")", n) + "1"
        ),
    );
    write(
        &root.join("deep.ts"),
        format!("function g({}) {{}}\n", nested("[", "]", n) + "a"),
    );
    write(
        &root.join("blocks.js"),
        format!("async function f() {{\n{}}}\nf();\n", nested("{", "}", n)),
    );
    let mut indent = String::from("import time\nasync def f():\n");
    for i in 1..3000 {
        indent.push_str(&format!("{}if x:\n", " ".repeat(i)));
    }
    indent.push_str(&format!("{}time.sleep(1)\n", " ".repeat(3000)));
    write(&root.join("indent.py"), &indent);
    // One match under 3,000 nested blocks: its checks' climbs were quadratic with
    // tree-sitter's own `Node::parent` (5 s), and are linear through the model's parent cache.
    write(
        &root.join("nested_if.js"),
        format!(
            "const fs = require('fs');\nasync function f() {{\n{}fs.readFileSync('a');\n{}}}\n",
            "if (x) {\n".repeat(3000),
            "}\n".repeat(3000)
        ),
    );
    // A match in each of 3,000 nested blocks, each resolving its callee through up to 6,000
    // ancestors: only the matching time limit stops them.
    write(
        &root.join("nested_calls.js"),
        format!(
            "const fs = require('fs');\nasync function f() {{\n{}{}}}\n",
            "if (x) {\nfs.readFileSync('a');\n".repeat(3000),
            "}\n".repeat(3000)
        ),
    );
    write(
        &root.join("chain.js"),
        format!("fs\n{};\n", "  .readFileSync('a')\n".repeat(100_000)),
    );
    // Default limits: the 3 MB line is over --max-file-size.
    let r = scan_within(root, &[], Duration::from_secs(300));
    assert!(findings(&r).iter().any(|x| x == PLANTED_FINDING));
    let s = skipped(&r);
    assert!(s.contains(&"one_line.js: too_large".to_string()), "{s:?}");
    assert!(!s.iter().any(|x| x.starts_with("nested_if.js")), "{s:?}");
    // Every file is either analysed or skipped with a reason: nothing lost.
    let total = 10;
    let scanned = r["stats"]["files_scanned"].as_u64().unwrap_or(0);
    assert_eq!(scanned + s.len() as u64, total, "{s:?} {}", r["stats"]);
    // Raised limits and generated code included: the work bounds still hold, the skips name them.
    let r = scan_within(
        root,
        &[
            "--max-file-size",
            "10000000",
            "--include-generated",
            "--parse-timeout-ms",
            "500",
        ],
        Duration::from_secs(300),
    );
    assert!(findings(&r).iter().any(|x| x == PLANTED_FINDING));
    let s = skipped(&r);
    let scanned = r["stats"]["files_scanned"].as_u64().unwrap_or(0);
    assert_eq!(scanned + s.len() as u64, total, "{s:?} {}", r["stats"]);
    assert!(
        s.contains(&"nested_calls.js: query_timeout".to_string()),
        "{s:?}"
    );
    for skip in &s {
        assert!(
            ["query_timeout", "parse_timeout", "resolve_budget"]
                .iter()
                .any(|why| skip.ends_with(why)),
            "{skip}"
        );
    }
}

#[test]
fn links_fifos_and_permissions() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let outside = dir.path().join("outside");
    let root = dir.path().join("root");
    write(&outside.join("secret.py"), "import tensorflow\n");
    write(&root.join(PLANTED.0), PLANTED.1);
    let link = |to: &Path, at: &str| {
        symlink(to, root.join(at)).unwrap_or_else(|e| panic!("symlink {at}: {e}"));
    };
    link(&outside.join("secret.py"), "out.py");
    link(&outside, "out_dir");
    link(&root.join("missing.py"), "dangling.py");
    link(&root, "loop");
    write(&root.join("sub/a.py"), "import os\n");
    link(&root.join("sub"), "sub/again");
    link(&root.join("self.js"), "self.js");
    let fifo = mkfifo(&root.join("x.py"));
    write(&root.join("locked.py"), "import keras\n");
    write(&root.join("locked_dir/inner.py"), "import keras\n");
    chmod(&root.join("locked.py"), 0o000);
    chmod(&root.join("locked_dir"), 0o000);
    let r = scan_within(&root, &[], Duration::from_secs(120));
    chmod(&root.join("locked_dir"), 0o755);
    let f = findings(&r);
    assert!(f.iter().any(|x| x == PLANTED_FINDING), "{f:?}");
    assert!(
        !f.iter()
            .any(|x| x.contains("secret") || x.starts_with("SF330")),
        "nothing outside the root is read: {f:?}"
    );
    let errors = walk_errors(&r);
    let mut expected = vec!["out.py", "dangling.py", "self.js"];
    if fifo {
        expected.push("x.py");
    }
    for name in expected {
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{name}: "))),
            "{name} not reported: {errors:?}"
        );
    }
    if fifo {
        assert!(
            errors
                .iter()
                .any(|e| e.contains("x.py") && e.contains("not a regular file")),
            "{errors:?}"
        );
    }
    if !is_root() {
        assert!(
            skipped(&r).contains(&"locked.py: unreadable".to_string()),
            "{:?}",
            skipped(&r)
        );
        assert!(
            errors.iter().any(|e| e.contains("locked_dir")),
            "{errors:?}"
        );
    }
}

#[test]
fn broken_notebooks_and_manifests() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(PLANTED.0), PLANTED.1);
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: &[(&str, &[u8])] = &[
        (
            "nb/truncated.ipynb",
            b"{\"cells\": [{\"cell_type\": \"code\", \"sour",
        ),
        ("nb/not_object.ipynb", b"[1, 2, 3]"),
        (
            "nb/cells_string.ipynb",
            b"{\"cells\": \"import torch\", \"nbformat\": 4}",
        ),
        ("nb/binary.ipynb", b"\x00\x01\x02\xff\xfe"),
        ("nb/deep.ipynb", deep_json.as_bytes()),
        ("npm/package.json", b"{\"dependencies\": {\"ws\": "),
        ("deep/package.json", deep_json.as_bytes()),
        ("py/pyproject.toml", b"[project\ndependencies = ["),
        ("cfg/setup.cfg", b"[options\ninstall_requires =\n\0\0"),
        ("pip/Pipfile", b"[packages]\ntorch = {version = "),
        ("conda/environment.yml", b"dependencies:\n  - [\n\t- : {"),
        (
            "setup/setup.py",
            b"from setuptools import setup\nsetup(install_requires=[\0\xff",
        ),
        (
            "req/requirements.txt",
            b"\xff\xfe\0-r \0\n--requirement\n-r ../../../../etc/passwd\n",
        ),
    ];
    for (rel, bytes) in cases {
        write(&root.join(rel), bytes);
    }
    let toml_deep = format!(
        "[project]\nname = {}1{}\n",
        "{a=".repeat(5_000),
        "}".repeat(5_000)
    );
    write(&root.join("tomldeep/pyproject.toml"), toml_deep);
    let r = scan_within(root, &[], Duration::from_secs(120));
    assert!(findings(&r).iter().any(|x| x == PLANTED_FINDING));
    let s = skipped(&r);
    for (rel, why) in [
        ("nb/truncated.ipynb", "notebook_invalid"),
        ("nb/not_object.ipynb", "notebook_invalid"),
        ("nb/cells_string.ipynb", "notebook_invalid"),
        ("nb/binary.ipynb", "notebook_invalid"),
        ("nb/deep.ipynb", "notebook_invalid"),
        ("npm/package.json", "manifest_invalid"),
        ("deep/package.json", "manifest_invalid"),
        ("py/pyproject.toml", "manifest_invalid"),
        ("pip/Pipfile", "manifest_invalid"),
        ("tomldeep/pyproject.toml", "manifest_invalid"),
    ] {
        assert!(
            s.contains(&format!("{rel}: {why}")),
            "{rel}: {why} not in {s:?}"
        );
    }
    // Every manifest is listed as read, with its error if it had one.
    let manifests = r["stats"]["manifests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(manifests.len(), 9, "{manifests:?}");
}

/// A requirements file that includes a FIFO, a directory and a device must not block on them.
#[test]
fn requirements_includes_of_special_files_do_not_hang() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(PLANTED.0), PLANTED.1);
    write(
        &root.join("requirements.txt"),
        "numpy\n-r pipe.in\n-r sub\n-r /dev/zero\n-r link.in\n",
    );
    write(&root.join("sub/x.in"), "pandas\n");
    let fifo = mkfifo(&root.join("pipe.in"));
    std::os::unix::fs::symlink(root.join("pipe.in"), root.join("link.in"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = scan_within(root, &[], Duration::from_secs(60));
    assert!(findings(&r)
        .iter()
        .any(|x| x == "SF369 requirements.txt:1:1"));
    let problems: Vec<String> = r["stats"]["manifest_problems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            format!(
                "{}:{} {}",
                p["path"].as_str().unwrap_or(""),
                p["line"],
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    if fifo {
        assert!(
            problems
                .iter()
                .any(|p| p.contains("-r pipe.in") && p.contains("not a regular file")),
            "{problems:?}"
        );
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("-r /dev/zero") && p.contains("outside")),
        "{problems:?}"
    );
}

/// A file that vanishes between the walk and the read (a dangling path handed to the
/// analyzer's read layer) is skipped as unreadable, with the cause.
#[test]
fn a_file_deleted_before_it_is_read_is_skipped_with_its_reason() {
    use stackfit::analyze::{Analyzer, FileEvent, FileRef, Limits, SkipReason};
    use stackfit::classify::generated::Attributes;
    let dir = tempdir();
    let path = dir.path().join("gone.py");
    write(&path, "import torch\n");
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let rs = stackfit::rules::Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
    let limits = Limits {
        max_file_bytes: 1 << 20,
        parse_timeout: Duration::from_secs(2),
        include_generated: false,
        engine: Default::default(),
    };
    let mut an = Analyzer::new(&rs, &limits, dir.path());
    let attrs = Attributes::default();
    let mut out = Vec::new();
    an.file(
        &FileRef {
            path: &path,
            rel: "gone.py",
            attrs: &attrs,
        },
        &mut out,
    );
    match out.as_slice() {
        [FileEvent::Skipped {
            path,
            reason: SkipReason::Unreadable(why),
        }] => {
            assert_eq!(&**path, "gone.py");
            assert!(why.contains("No such file"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}
