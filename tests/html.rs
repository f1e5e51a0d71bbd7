//! The HTML report (`scan --format html`) and the org dashboard (`stackfit dashboard`) from the
//! command line: what each page shows, that every string from a scan is escaped, and that the
//! dashboard reads NDJSON with error lines, broken lines and two snapshots. The browser test
//! (tests/html/test_render.sh, run by .ci/run) loads the same pages in headless Chromium.
mod common;

use common::*;
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn write(path: &std::path::Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn report_page_shows_the_verdict_and_escapes_paths() {
    let dir = tmp();
    let evil = "<script>alert(1)<.py";
    write(
        &dir.path().join("app").join(evil),
        "import websockets\n\nasync def handler(ws):\n    async for m in ws:\n        await websockets.broadcast(ws, m)\n",
    );
    let page = run_ok(&[
        "scan".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
    ]);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;.py:1"), "{page}");
    assert!(
        !page.contains("<script"),
        "a script tag in the page: {page}"
    );
    for what in [
        "id=\"trait-chart\"",
        "NodeJS score",
        "Python score",
        "<h2>Evidence</h2>",
        "<h2>File classes</h2>",
        "<h2>Components</h2>",
        "<h2>Diagnostics</h2>",
    ] {
        assert!(page.contains(what), "no {what}");
    }
    // Nothing is fetched: no src, href, url() or @import.
    for bad in ["src=", "href=", "url(", "@import"] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
}

#[test]
fn report_page_of_a_fixture() {
    let page = run_ok(&["scan", "fixtures/py-chat-server", "--format", "html"]);
    let doc = scan_fixture("py-chat-server");
    let summary = doc["verdict"]["summary"].as_str().unwrap_or("");
    assert!(page.contains(summary), "no summary {summary}");
    assert!(page.contains("chat/server.py:23"), "no file:line evidence");
    assert_eq!(page.matches("<g><title>").count(), 14, "one bar per trait");
    // Written by --output too.
    let dir = tmp();
    let out = dir.path().join("r.html");
    let arg = format!("html={}", out.display());
    run_ok(&["scan", "fixtures/py-chat-server", "--output", &arg]);
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(written.contains(summary));
}

/// `scan --format json` of each fixture as one NDJSON line, with `git.commit`.
fn ndjson(fixtures: &[&str], commit: &str) -> String {
    fixtures
        .iter()
        .map(|f| {
            let mut doc = scan_fixture(f);
            doc["git"] = serde_json::json!({ "commit": commit });
            doc.to_string() + "\n"
        })
        .collect()
}

#[test]
fn dashboard_counts_verdicts_and_lists_mismatches_first() {
    let dir = tmp();
    let file = dir.path().join("org.ndjson");
    let mut text = ndjson(
        &[
            "ws-library",
            "py-chat-server",
            "ml-dashboard",
            "node-cli-tool",
            "js-tfjs-trainer",
        ],
        "c1",
    );
    text.push_str("{\"root\": \"/gone/<b>x</b>\", \"error\": \"no such file or directory\"}\n");
    text.push_str("this line is broken\n");
    write(&file, &text);
    let out = dir.path().join("org.html");
    let o = run(&[
        "dashboard".as_ref(),
        file.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(&out).unwrap_or_default();
    let count = |v: &str| {
        let at = format!("data-verdict=\"{v}\"><b>");
        page.split(&at)
            .nth(1)
            .and_then(|s| s.split('<').next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    let verdicts: Vec<Value> = [
        "ws-library",
        "py-chat-server",
        "ml-dashboard",
        "node-cli-tool",
        "js-tfjs-trainer",
    ]
    .iter()
    .map(|f| scan_fixture(f)["verdict"].clone())
    .collect();
    for p in ["node", "python", "mixed", "neutral", "none"] {
        let n = verdicts.iter().filter(|v| v["profile"] == p).count();
        assert_eq!(count(p), Some(n), "{p}");
    }
    assert_eq!(count("error"), Some(2));
    let mismatched = verdicts.iter().filter(|v| v["mismatch"] == true).count();
    assert!(mismatched >= 2);
    assert_eq!(count("mismatch"), Some(mismatched));
    // In the table, the mismatches come first.
    let table = page.split("id=\"repos\"").nth(1).unwrap_or("");
    let rows: Vec<&str> = table.split("<tr><td").skip(1).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows[..mismatched]
        .iter()
        .all(|r| r.contains("data-v=\"1\"")));
    assert!(page.contains("py-chat-server") && page.contains("js-tfjs-trainer"));
    assert_eq!(page.matches("class=\"dot\"").count(), 5);
    assert!(page.contains("/gone/&lt;b&gt;x&lt;/b&gt;") && !page.contains("<b>x</b>"));
    assert!(page.contains("is not JSON"));
    assert!(
        !page.contains("What changed"),
        "one snapshot, nothing to compare"
    );
}

#[test]
fn dashboard_compares_two_snapshots() {
    let dir = tmp();
    let before = dir.path().join("before.ndjson");
    let now = dir.path().join("now.ndjson");
    let mut old = scan_fixture("py-chat-server");
    old["verdict"]["profile"] = "python".into();
    write(
        &before,
        &format!("{}\n{}", old, ndjson(&["ws-library", "ml-dashboard"], "c1")),
    );
    write(
        &now,
        &ndjson(&["py-chat-server", "ws-library", "node-cli-tool"], "c2"),
    );
    let page = run_ok(&["dashboard".as_ref(), before.as_os_str(), now.as_os_str()]);
    let changes = page.split("id=\"changes\"").nth(1).unwrap_or("");
    let changes = changes.split("</ul>").next().unwrap_or("");
    assert!(
        changes.contains("<b>py-chat-server</b>: <span class=\"badge b-python\">"),
        "{changes}"
    );
    assert!(changes.contains("<b>node-cli-tool</b>: new"), "{changes}");
    assert!(
        changes.contains("<b>ml-dashboard</b>: removed"),
        "{changes}"
    );
    assert!(!changes.contains("ws-library"), "unchanged: {changes}");
}

#[test]
fn dashboard_errors() {
    let o = run(&["dashboard", "no/such/file.ndjson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `no/such/file.ndjson`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["dashboard"]);
    assert_eq!(o.status.code(), Some(2));
}
