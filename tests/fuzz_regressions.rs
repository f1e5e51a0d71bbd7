//! Replays every input that once crashed or hung stackfit (`tests/fuzz_regressions/inputs/`,
//! listed in its README.md with the fix) through the real binary: exit 0, a valid JSON report,
//! and every input analysed or skipped with its reason.
mod common;

use common::*;

#[test]
fn every_regression_input_is_scanned_or_skipped_with_a_reason() {
    let inputs = repo().join("tests/fuzz_regressions/inputs");
    let mut names: Vec<String> = std::fs::read_dir(&inputs)
        .unwrap_or_else(|e| panic!("{}: {e}", inputs.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{names:?}");
    let r = scan_json(&inputs, &["--include-generated"]);
    let scanned = r["stats"]["files_scanned"].as_u64().unwrap_or(0);
    let skipped = skipped(&r);
    assert_eq!(
        scanned + skipped.len() as u64,
        names.len() as u64,
        "inputs {names:?}, skipped {skipped:?}"
    );
}

/// The stack-overflow inputs at the depth the issue names (20,000), built here rather than
/// stored: the scan finishes and analyses them.
#[test]
fn twenty_thousand_levels_do_not_overflow_the_stack() {
    let dir = tempdir();
    let n = 20_000;
    write(
        &dir.path().join("threads.py"),
        format!(
            "import threading\ndef g():\n    for i in range(3):\n        y = {}{}\nthreading.Thread(target=g).start()\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    write(
        &dir.path().join("params.js"),
        format!(
            "const fs = require('fs');\nasync function f({}a{}) {{ fs.readFileSync('x'); }}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    write(
        &dir.path().join("params.ts"),
        format!(
            "import * as fs from 'fs';\nasync function f({}b{}) {{ fs.readFileSync('x'); }}\n",
            "{a:".repeat(n),
            "}".repeat(n)
        ),
    );
    let r = scan_json(dir.path(), &["--include-generated"]);
    assert_eq!(r["stats"]["files_scanned"], 3, "{}", r["stats"]);
}
