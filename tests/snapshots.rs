//! Snapshots of both report formats, so any change to their shape or wording is a visible diff:
//! the JSON report of `fixtures/py-chat-server` (without `stats.elapsed_ms`) and the text report
//! of `fixtures/ml-dashboard` (run with NO_COLOR; the elapsed time is masked).
//! After an intended change, rewrite them with `STACKFIT_BLESS=1 cargo test --test snapshots`
//! and review the diff.
mod common;

use common::*;

fn check_snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("STACKFIT_BLESS").is_some_and(|v| v == "1") {
        write(&path, actual);
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\nrun `STACKFIT_BLESS=1 cargo test --test snapshots` to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             --- actual output\n{actual}\n\
             If the change is intended: STACKFIT_BLESS=1 cargo test --test snapshots",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

/// The report as printed (field order included) without the `"elapsed_ms": N` line; the comma
/// before it goes too when it was the last field, so the snapshot stays valid JSON.
fn drop_elapsed_ms(json: &str) -> String {
    let lines: Vec<&str> = json.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let t = line.trim_start();
        if t.starts_with("\"elapsed_ms\":") {
            if !t.ends_with(',') {
                if let Some(prev) = out.last_mut() {
                    if let Some(p) = prev.strip_suffix(',') {
                        *prev = p.to_string();
                    }
                }
            }
            continue;
        }
        out.push(line.to_string());
    }
    out.join("\n") + "\n"
}

#[test]
fn json_report_shape() {
    let printed = run_ok(&["scan", "fixtures/py-chat-server", "--format", "json"]);
    // The checkout's directory name (root_identity.name) is this clone's, not the fixture's.
    let mut full: serde_json::Value =
        serde_json::from_str(&printed).unwrap_or_else(|e| panic!("invalid JSON: {e}"));
    let checkout = full["root_identity"]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let printed = printed.replacen(
        &format!("\"root_identity\": {{\n    \"name\": {checkout:?},"),
        "\"root_identity\": {\n    \"name\": \"<checkout>\",",
        1,
    );
    full["root_identity"]["name"] = "<checkout>".into();
    let text = drop_elapsed_ms(&printed);
    // What is compared is the report itself, less elapsed_ms.
    let stats = full["stats"]
        .as_object_mut()
        .unwrap_or_else(|| panic!("stats is not an object"));
    assert!(stats.remove("elapsed_ms").is_some(), "no stats.elapsed_ms");
    let snap: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the snapshot text is not JSON: {e}\n{text}"));
    assert_eq!(snap, full);
    assert!(
        printed.trim_start().starts_with("{\n  \"schema_version\""),
        "schema_version must come first"
    );
    check_snapshot("py-chat-server.json", &text);
}

/// The first line ends with the scan time (`· 153 ms`); everything else is deterministic.
fn mask_elapsed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        match line
            .trim_end()
            .strip_suffix(" ms")
            .and_then(|l| l.rsplit_once(' '))
        {
            Some((head, n)) if i == 0 && n.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str(head);
                out.push_str(" <elapsed> ms\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[test]
fn text_report() {
    let text = scan_text("fixtures/ml-dashboard", &[]);
    assert!(
        !text.contains('\x1b'),
        "NO_COLOR is set but the report has colour"
    );
    check_snapshot("ml-dashboard.txt", &mask_elapsed(&text));
}

#[test]
fn elapsed_ms_is_dropped_cleanly() {
    assert_eq!(
        drop_elapsed_ms("{\n  \"a\": {\n    \"x\": 1,\n    \"elapsed_ms\": 12\n  }\n}\n"),
        "{\n  \"a\": {\n    \"x\": 1\n  }\n}\n"
    );
}

#[test]
fn masking_keeps_everything_but_the_time() {
    assert_eq!(
        mask_elapsed("stackfit 0.1.0 · 2 files · 153 ms\n\nbody 7 ms\n"),
        "stackfit 0.1.0 · 2 files · <elapsed> ms\n\nbody 7 ms\n"
    );
}
