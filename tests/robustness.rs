//! Hostile and odd inputs: syntax errors, extensionless scripts, oversized files, slow parses,
//! symlinks out of the root, ignored and dependency directories, and bad command lines. The scan
//! must go on (exit 0, valid JSON, the file reported as skipped) or, when it cannot run at all,
//! exit 2 with a one-line error naming the cause. Never a panic. (Files that are not UTF-8 are
//! decoded, not skipped: `tests/decoding.rs`.)
mod common;

use common::*;

/// A file that does not parse everywhere still yields the findings outside its error.
#[test]
fn syntax_errors_keep_findings_outside_the_error() {
    let r = scan_fixture("robustness");
    assert_lines(
        &findings_under(&r, "broken."),
        &expect(&[
            // `return msg +` on line 8 does not parse; imports above and code below still count.
            "SF110 broken.py:2:8",
            "SF120 broken.py:4:8",
            "SF122 broken.py:12:16",
            "SF111 broken.py:13:9",
            "SF113 broken.py:16:1",
            // an unclosed call on line 6 and `x +;` on line 9; express() and app.listen count.
            "SF170 broken.ts:1:22",
            "SF171 broken.ts:3:13 x2",
        ]),
        "broken files",
    );
    assert_eq!(r["stats"]["files_skipped"], 0);
}

/// Extensionless files are scanned when their shebang names python or node, and only then.
#[test]
fn extensionless_scripts_by_shebang() {
    let r = scan_fixture("robustness");
    assert_lines(
        &findings_under(&r, "bin/"),
        &expect(&[
            "SF170 bin/serve:3:23",
            "SF171 bin/serve:5:1 x2",
            "SF371 bin/train:1:1 x2",
            "SF320 bin/train:5:8",
        ]),
        "bin/",
    );
    // bin/notes (no shebang) and bin/backup (#!/bin/sh) both say `import torch`: never parsed.
    let langs = &r["stats"]["languages"];
    assert_eq!(r["stats"]["files_scanned"], 4, "{}", r["stats"]);
    assert_eq!(langs["python"]["files"], 2);
    assert_eq!(langs["javascript"]["files"], 1);
    assert_eq!(langs["typescript"]["files"], 1);
}

#[test]
fn files_over_max_file_size_are_skipped_and_reported() {
    let dir = tempdir();
    let mut big = String::from("import torch\n\n");
    for i in 0..100 {
        big.push_str(&format!("def layer_{i}(x):\n    return x * {i}\n\n"));
    }
    assert!(big.len() > 2000);
    write(&dir.path().join("big.py"), &big);
    write(&dir.path().join("small.py"), "import pandas as pd\n");
    let r = scan_json(dir.path(), &["--max-file-size", "1000"]);
    assert_eq!(skipped(&r), ["big.py: too_large"]);
    let detail = r["stats"]["skipped_files"][0]["detail"]
        .as_str()
        .unwrap_or("");
    assert!(detail.contains("1000"), "{detail}");
    assert_lines(&findings(&r), &expect(&["SF360 small.py:1:8"]), "size cap");
    // With the default cap the same file is scanned.
    let r = scan_json(dir.path(), &[]);
    assert!(skipped(&r).is_empty());
    assert!(trait_score(&r, "P2") > 0.0);
}

#[test]
fn slow_parses_are_skipped_and_reported() {
    let dir = tempdir();
    // It imports a library, so the prefilter cannot skip it: it must be parsed.
    write(
        &dir.path().join("huge.py"),
        format!("import numpy\n{}", "x = [1, 2, 3]\n".repeat(60_000)),
    );
    write(&dir.path().join("tiny.js"), "const ws = require('ws');\n");
    let r = scan_json(dir.path(), &["--parse-timeout-ms", "1", "-j", "1"]);
    // tiny.js is scanned (one line parses well within 1 ms); huge.py is not.
    assert!(
        skipped(&r).contains(&"huge.py: parse_timeout".to_string()),
        "{:?}",
        skipped(&r)
    );
    assert!(
        findings(&r).is_empty() || findings(&r) == ["SF120 tiny.js:1:21"],
        "{:?}",
        findings(&r)
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let outside = dir.path().join("outside");
    let root = dir.path().join("root");
    write(&outside.join("secret.py"), "import torch\n");
    write(&outside.join("pkg/model.py"), "import tensorflow as tf\n");
    write(&root.join("app.py"), "import argparse\n");
    symlink(outside.join("secret.py"), root.join("linked.py")).unwrap_or_else(|e| panic!("{e}"));
    symlink(&outside, root.join("linked_dir")).unwrap_or_else(|e| panic!("{e}"));
    symlink(root.join("missing.py"), root.join("dangling.py")).unwrap_or_else(|e| panic!("{e}"));
    symlink(&root, root.join("loop")).unwrap_or_else(|e| panic!("{e}"));
    let r = scan_json(&root, &[]);
    assert_lines(&findings(&r), &expect(&["SF370 app.py:1:8"]), "symlinks");
    assert_eq!(r["stats"]["files_scanned"], 1);
    assert_eq!(trait_score(&r, "P2"), 0.0);
}

#[test]
fn ignored_hidden_and_dependency_directories_are_skipped() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join(".gitignore"), "generated/\n*.min.js\n");
    write(&root.join("generated/model_pb2.py"), "import torch\n");
    write(
        &root.join("static/vendor.min.js"),
        "require('socket.io-client');\n",
    );
    write(&root.join("node_modules/ws/index.js"), "require('ws');\n");
    write(
        &root.join("web/node_modules/react/index.js"),
        "require('react');\n",
    );
    write(&root.join(".venv/lib/site.py"), "import numpy\n");
    write(&root.join("env/pyvenv.cfg"), "home = /usr/bin\n");
    write(&root.join("env/lib/x.py"), "import pandas\n");
    write(&root.join(".hidden/tool.py"), "import cv2\n");
    write(&root.join("src/app.py"), "import click\n");
    let r = scan_json(root, &[]);
    assert_lines(&findings(&r), &expect(&["SF370 src/app.py:1:8"]), "ignored");
    assert_eq!(r["stats"]["files_scanned"], 1);
    let pruned: Vec<&str> = r["stats"]["directories_pruned"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
        .unwrap_or_default();
    for dir in ["node_modules", "web/node_modules", "env"] {
        assert!(pruned.contains(&dir), "{dir} not pruned: {pruned:?}");
    }
}

/// A single file named on the command line is scanned as it is.
#[test]
fn a_single_file_can_be_scanned() {
    let r = scan_json("fixtures/py-chat-server/chat/server.py", &[]);
    assert_eq!(r["stats"]["files_scanned"], 1);
    assert_eq!(findings(&r)[0], "SF110 server.py:2:8");
}

#[test]
fn an_empty_directory_is_nothing_to_judge() {
    let dir = tempdir();
    let r = scan_json(dir.path(), &[]);
    // Not "neutral (confidence 1.00)": there is no code to call neutral.
    assert_eq!(r["verdict"]["profile"], "none");
    assert_eq!(r["verdict"]["confidence"], 0.0);
    assert!(r["verdict"]["implementation_language"].is_null());
    assert_eq!(r["verdict"]["mismatch"], false);
    assert!(r["verdict"]["opened_by"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert!(findings(&r).is_empty());
    // The text report says so in words, and shows no scores.
    let text = scan_text(dir.path(), &[]);
    assert!(
        text.contains(
            "Nothing to judge: no Python, JavaScript or TypeScript source code was found."
        ),
        "{text}"
    );
    assert!(!text.contains("NodeJS profile"), "{text}");
}

/// Every kind of trouble in one tree: the text report still renders, and lists the skips.
#[test]
fn text_report_survives_a_hostile_tree() {
    let dir = tempdir();
    write(&dir.path().join("bad.py"), b"import torch\n\xff\xfe\n");
    write(
        &dir.path().join("types.d.ts"),
        "export declare const x: number;\n",
    );
    write(&dir.path().join("half.py"), "import asyncio\ndef f(:\n");
    let text = scan_text(dir.path(), &[]);
    assert!(
        text.contains("Skipped 1 file: 1 declaration file"),
        "{text}"
    );
    // Invalid UTF-8 is decoded lossily and analysed, not skipped.
    assert!(text.contains("bad.py:1  SF320"), "{text}");
    assert!(!text.contains('\x1b'), "colour with NO_COLOR set: {text}");
}

#[test]
fn a_missing_path_exits_2_with_one_line() {
    let out = run(&["scan", "fixtures/no-such-project", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("stackfit: error: ")
            && err.contains("fixtures/no-such-project")
            && err.contains("no such file or directory"),
        "{err}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["scan", ".", "--format", "yaml"], "yaml"),
        (&["scan", ".", "--max-file-size", "big"], "big"),
        (&["scan", ".", "--no-such-flag"], "--no-such-flag"),
        (&["frobnicate"], "frobnicate"),
        (&[], "Usage"),
    ];
    for (args, named) in cases {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: stdout {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(named), "{args:?}: {err}");
    }
    // Values that parse but cannot work: one line, naming the option.
    for (args, named) in [
        (["scan", ".", "--max-file-size", "0"], "--max-file-size"),
        (
            ["scan", ".", "--parse-timeout-ms", "0"],
            "--parse-timeout-ms",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("stackfit: error: ") && err.contains(named),
            "{err}"
        );
    }
    let out = run(&["explain", "SF999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("SF999"), "{}", stderr(&out));
}
