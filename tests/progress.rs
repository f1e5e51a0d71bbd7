//! The progress line is for terminals only: with stderr a pipe (CI logs, `2> file`), or with
//! `CI` set, or `--quiet`, a scan writes nothing on stderr, and stdout holds the report alone.
mod common;

use common::*;

/// A scan of a fixture long enough to pass the bar's delay on a terminal.
fn scan_with(env_ci: Option<&str>, extra: &[&str]) -> std::process::Output {
    let mut cmd = command();
    cmd.args([
        "scan",
        "fixtures/friction-js",
        "--format",
        "json",
        "-j",
        "1",
    ])
    .args(extra);
    match env_ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    output_of(&mut cmd)
}

#[test]
fn nothing_on_stderr_when_it_is_not_a_terminal() {
    for (ci, extra) in [
        (None, &[][..]),
        (Some("true"), &[][..]),
        (None, &["--quiet"][..]),
    ] {
        let out = scan_with(ci, extra);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "CI={ci:?} {extra:?}");
        let report = json_stdout(&out, "scan");
        assert!(report["stats"]["files_scanned"].as_u64() > Some(0));
    }
}
