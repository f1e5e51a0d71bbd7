//! `stackfit batch`: one NDJSON line per repository (the `scan --format json` report plus
//! `git`), an error line for a path that cannot be scanned and exit 2, `--repos-from`, the
//! atomic `--output` file, and git state read from a real checkout.
mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

fn lines(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line ({e}): {l}")))
        .collect()
}

/// Every fixture directory but the one whose config is broken on purpose.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with("friction-bad-config") && !p.ends_with("rules"))
        .collect();
    v.sort();
    v
}

fn roots(lines: &[Value]) -> BTreeSet<String> {
    lines
        .iter()
        .map(|l| l["root"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[test]
fn fixtures_plus_a_missing_path_give_one_line_each_and_exit_2() {
    let mut dirs = fixture_dirs();
    let missing = repo().join("fixtures/no-such-repository");
    dirs.push(missing.clone());
    let out = output_of(command().arg("batch").args(&dirs).args(["--threads", "3"]));
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    // Progress goes to a terminal only.
    assert_eq!(stderr(&out), "");
    let got = lines(&out);
    assert_eq!(got.len(), dirs.len());
    assert_eq!(roots(&got), dirs.iter().map(|d| shown(d)).collect());
    let errors: Vec<&Value> = got.iter().filter(|l| l.get("error").is_some()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["root"], shown(&missing));
    let msg = errors[0]["error"].as_str().unwrap_or_default();
    assert!(msg.contains("no such file or directory"), "{msg}");
    for l in got.iter().filter(|l| l.get("error").is_none()) {
        assert_eq!(l["schema_version"], "2.3");
        assert!(l["verdict"]["profile"].is_string(), "{}", l["root"]);
        // The fixtures sit inside this repository's checkout, not at the top of their own.
        assert!(l["git"].is_null(), "{}", l["root"]);
    }
}

#[test]
fn a_line_is_the_scan_report_plus_git() {
    let dir = fixture("py-chat-server");
    let out = output_of(command().arg("batch").arg(&dir));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    let mut line = lines(&out).remove(0);
    let mut scan = json_stdout(&scan_output(&dir, "json", &[]), "scan");
    let obj = line
        .as_object_mut()
        .unwrap_or_else(|| panic!("not an object"));
    assert_eq!(obj.remove("git"), Some(Value::Null));
    for doc in [&mut line, &mut scan] {
        doc["stats"]["elapsed_ms"] = Value::from(0);
    }
    assert_eq!(line, scan);
}

#[test]
fn bad_paths_and_bad_configs_are_error_lines() {
    let file = fixture("README.md");
    let bad = fixture("friction-bad-config");
    let good = fixture("node-cli-tool");
    let out = output_of(command().arg("batch").args([&file, &bad, &good]));
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    let by_root = |p: &Path| {
        got.iter()
            .find(|l| l["root"] == shown(p))
            .unwrap_or_else(|| panic!("no line for {}", p.display()))
    };
    let e = by_root(&file)["error"].as_str().unwrap_or_default();
    assert!(e.contains("not a directory"), "{e}");
    let e = by_root(&bad)["error"].as_str().unwrap_or_default();
    assert!(
        e.contains("invalid config") && e.contains("stackfit.toml"),
        "{e}"
    );
    assert!(by_root(&good).get("error").is_none());
}

#[test]
fn repos_from_a_file_and_output_to_a_file() {
    let tmp = tempdir();
    let list = tmp.path().join("repos.txt");
    let a = fixture("py-textkit");
    let b = fixture("ws-library");
    std::fs::write(
        &list,
        format!(
            "# the org's repositories\n{}\n\n  {}  \n# end\n",
            a.display(),
            b.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let dest = tmp.path().join("out/org.ndjson");
    let out = output_of(
        command()
            .arg("batch")
            .arg(fixture("node-cli-tool"))
            .arg("--repos-from")
            .arg(&list)
            .arg("--output")
            .arg(&dest),
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "", "the lines go to the file");
    let text = std::fs::read_to_string(&dest).unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let want: BTreeSet<String> = [fixture("node-cli-tool"), a, b]
        .iter()
        .map(|p| shown(p))
        .collect();
    assert_eq!(roots(&got), want);
    // Written to a temporary file and renamed: nothing else is left in the directory.
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("out"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("org.ndjson")]);

    let out = run(&["batch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no repository"), "{}", stderr(&out));
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn git_state_of_a_checkout() {
    let tmp = tempdir();
    let d = tmp.path().join("svc");
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join("app.py"), "import numpy as np\nprint(np.zeros(3))\n")
        .unwrap_or_else(|e| panic!("{e}"));
    if git(&d, &["init", "-q"]).is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    git(&d, &["add", "."]).unwrap_or_else(|| panic!("git add"));
    git(&d, &["commit", "-q", "-m", "first"]).unwrap_or_else(|| panic!("git commit"));
    let sha = git(&d, &["rev-parse", "HEAD"]).unwrap_or_else(|| panic!("rev-parse"));

    let no_remote = lines(&output_of(command().arg("batch").arg(&d)));
    assert_eq!(no_remote[0]["git"]["commit"], sha.as_str());
    assert!(no_remote[0]["git"]["remote"].is_null());

    git(
        &d,
        &[
            "remote",
            "add",
            "origin",
            "https://bot:secret@git.example.com/acme/svc.git",
        ],
    )
    .unwrap_or_else(|| panic!("git remote add"));
    let got = lines(&output_of(command().arg("batch").arg(&d)));
    let g = &got[0]["git"];
    assert_eq!(g["commit"], sha.as_str());
    // The token in the URL is not published.
    assert_eq!(g["remote"], "https://git.example.com/acme/svc.git");
    let date = g["commit_date"].as_str().unwrap_or_default();
    assert!(
        date.len() >= 20 && date.as_bytes().get(10) == Some(&b'T'),
        "ISO 8601: {date}"
    );
}
