//! `--output FORMAT=FILE`: one scan writes several formats to files while stdout keeps
//! `--format`; the GitHub-facing formats (`github`, `markdown`, `github-output`) as a workflow
//! would read them; bad values exit 2 with a clear message.
mod common;

use common::*;
use std::process::Command;

/// The binary without the GitHub Actions variables or NO_COLOR of the environment the tests
/// run in, so that each test sets exactly what a workflow would.
fn command_outside_ci() -> Command {
    let mut c = command();
    for k in [
        "GITHUB_WORKSPACE",
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
        "NO_COLOR",
    ] {
        c.env_remove(k);
    }
    c
}

#[test]
fn one_scan_writes_every_format() {
    let tmp = tempdir();
    let d = tmp.path();
    let out = output_of(
        command_outside_ci()
            .env("GITHUB_SERVER_URL", "https://github.example")
            .env("GITHUB_REPOSITORY", "acme/chat")
            .env("GITHUB_SHA", "abc123")
            .arg("scan")
            .arg(fixture("py-chat-server"))
            .args(["--format", "text"])
            .arg("--output")
            .arg(format!("json={}", d.join("r/out.json").display()))
            .arg("--output")
            .arg(format!("markdown={}", d.join("summary.md").display()))
            .arg("-o")
            .arg(format!("github={}", d.join("ann.txt").display()))
            .arg("-o")
            .arg(format!("github-output={}", d.join("outputs.txt").display())),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = stdout(&out);
    assert!(
        stdout.contains("This workload fits the NodeJS profile"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("\x1b["),
        "no colour when stdout is not a terminal"
    );

    let json: serde_json::Value =
        serde_json::from_str(&read(&d.join("r/out.json"))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["verdict"]["profile"], "node");

    let md = read(&d.join("summary.md"));
    assert!(
        md.starts_with("## stackfit: NodeJS-shaped workload\n"),
        "{md}"
    );
    assert!(md.contains("xychart-beta"));
    // Paths relative to the repository (the current directory), linked at the commit.
    assert!(
        md.contains("](https://github.example/acme/chat/blob/abc123/fixtures/py-chat-server/chat/server.py#L"),
        "{md}"
    );

    let ann = read(&d.join("ann.txt"));
    let notice = ann
        .lines()
        .find(|l| l.starts_with("::notice title=stackfit verdict::"))
        .unwrap_or_else(|| panic!("{ann}"));
    assert!(notice.contains("%0ANodeJS profile 0.97"), "{notice}");

    let outputs = read(&d.join("outputs.txt"));
    for want in [
        "profile=node\n",
        "implementation-language=python\n",
        "mismatch=true\n",
        "diagnostics=",
    ] {
        assert!(outputs.contains(want), "{want} in {outputs}");
    }
}

#[test]
fn stdout_can_be_any_format() {
    let out = output_of(
        command_outside_ci()
            .arg("scan")
            .arg(fixture("py-chat-server"))
            .args(["--format", "github-output"]),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("profile=node\n"));
}

#[test]
fn bad_output_values_exit_2() {
    for (arg, msg) in [
        ("json", "expected FORMAT=FILE"),
        ("yaml=x.yaml", "unknown format `yaml`"),
        ("json=", "no file after `json=`"),
    ] {
        let out = output_of(
            command_outside_ci()
                .arg("scan")
                .arg(fixture("py-chat-server"))
                .args(["--output", arg]),
        );
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let err = stderr(&out);
        assert!(err.contains(msg), "{arg}: {err}");
    }
    // A file that cannot be written is an error too.
    let tmp = tempdir();
    let blocker = tmp.path().join("file");
    write(&blocker, "");
    let out = output_of(
        command_outside_ci()
            .arg("scan")
            .arg(fixture("py-chat-server"))
            .arg("--output")
            .arg(format!("json={}", blocker.join("x.json").display())),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot"));
}

#[test]
fn markdown_lists_components_of_a_monorepo() {
    let out = output_of(
        command_outside_ci()
            .current_dir(repo().join("fixtures"))
            .args(["scan", "monorepo-fullstack", "--format", "markdown"]),
    );
    assert_eq!(out.status.code(), Some(0));
    let md = stdout(&out);
    assert!(md.contains("### Components\n"), "{md}");
    // Named from the repository root (the directory holding .git), not the current directory.
    assert!(
        md.contains("| fixtures/monorepo-fullstack/frontend (churn-dashboard) | **node** |"),
        "{md}"
    );
    assert!(
        md.contains("| fixtures/monorepo-fullstack/training | **python** |"),
        "{md}"
    );
}

/// `--color`: piped output is plain by default, FORCE_COLOR (as CI logs that render ANSI set)
/// or `--color always` colours it, `--color never` wins over FORCE_COLOR.
#[test]
fn colour_follows_the_flag_and_the_environment() {
    let fx = fixture("py-textkit");
    let run_with = |args: &[&str], force: Option<&str>| {
        let mut cmd = command();
        cmd.arg("scan")
            .arg(&fx)
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR");
        if let Some(v) = force {
            cmd.env("FORCE_COLOR", v);
        }
        stdout(&output_of(&mut cmd))
    };
    assert!(!run_with(&[], None).contains('\u{1b}'));
    assert!(run_with(&[], Some("1")).contains("\u{1b}["));
    assert!(
        !run_with(&[], Some("0")).contains('\u{1b}'),
        "FORCE_COLOR=0 is off"
    );
    assert!(run_with(&["--color", "always"], None).contains("\u{1b}["));
    assert!(!run_with(&["--color", "never"], Some("1")).contains('\u{1b}'));
    assert!(!run_with(&["--no-color"], Some("1")).contains('\u{1b}'));
}

/// `scan --help` names the JSON schema version the binary writes.
#[test]
fn help_names_the_schema_version() {
    let help = run_ok(&["scan", "--help"]);
    let v = scan_json(fixture("py-textkit"), &[]);
    let version = v["schema_version"].as_str().unwrap_or("?");
    assert!(
        help.contains(&format!("schema_version {version}")),
        "{help}"
    );
}

/// `rules --help` offers only the formats `rules` writes; another is a usage error (exit 2).
#[test]
fn rules_lists_only_its_own_formats() {
    let help = run_ok(&["rules", "--help"]);
    assert!(help.contains("text") && help.contains("json"), "{help}");
    assert!(
        !help.contains("sarif") && !help.contains("github-output"),
        "{help}"
    );
    let o = run(&["rules", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(2));
}
