//! The verdict on repositories, one test per failure class of issue 9 ("prevalence, not
//! presence"). Each fixture is a small sample repository shaped like the real ones that were
//! misjudged: generic plumbing read as a workload, a domain library that imports no library,
//! a small front end or a few examples saturating a second profile.
mod common;

use common::*;
use serde_json::Value;

fn verdict(r: &Value) -> (&str, f64) {
    (
        r["verdict"]["profile"].as_str().unwrap_or(""),
        r["verdict"]["confidence"].as_f64().unwrap_or(-1.0),
    )
}

fn reason(r: &Value) -> &str {
    r["verdict"]["reason"].as_str().unwrap_or("")
}

fn opened_by(r: &Value) -> Vec<&str> {
    r["verdict"]["opened_by"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn trait_field<'a>(r: &'a Value, id: &str, field: &str) -> &'a Value {
    r["traits"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["id"] == id))
        .map_or(&Value::Null, |t| &t[field])
}

fn class_count(r: &Value, class: &str) -> u64 {
    r["file_classes"]["counts"][class]["files"]
        .as_u64()
        .unwrap_or(0)
}

/// A CLI toolkit that imports itself in every module (its name is in the library table, as a
/// command-line parsing library) and ships a Pillow example: neither counts.
#[test]
fn a_cli_library_importing_itself_is_neutral() {
    let r = scan_fixture("py-cli-toolkit");
    assert_eq!(verdict(&r).0, "neutral", "{}", reason(&r));
    let first_party = r["file_classes"]["first_party"].to_string();
    assert!(first_party.contains("\"docopt\""), "{first_party}");
    // Its own imports are not library use: no import finding names docopt.
    let fs = finding_objects(&r);
    assert!(
        !fs.iter()
            .any(|f| f["rule"] == "SF370"
                && f["message"].as_str().is_some_and(|m| m.contains("docopt"))),
        "{:?}",
        findings(&r)
    );
    // It is the command-line parsing library of the table: generic evidence, which opens nothing.
    let own = finding_objects(&r)
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("library itself"))
        })
        .unwrap_or_else(|| panic!("{:?}", findings(&r)));
    assert_eq!(own["rule"], "SF378");
    assert_eq!(own["evidence_class"], "generic");
    // The Pillow example is seen, classified, and not scored.
    assert!(has_finding(&r, "SF340", "examples/thumbnails.py", 5));
    assert_eq!(class_count(&r, "example"), 1);
    assert_eq!(class_count(&r, "test"), 1);
    assert_eq!(trait_field(&r, "P4", "score"), 0.0);
    assert!(trait_field(&r, "P4", "outside_product").as_u64() >= Some(1));
    assert!(
        reason(&r).contains("Only in tests, examples"),
        "{}",
        reason(&r)
    );
}

/// A Node CLI whose tests use EventEmitter and child_process: generic evidence, in tests.
#[test]
fn a_node_cli_with_events_in_its_tests_is_neutral() {
    let r = scan_fixture("node-cli-tool");
    let (profile, confidence) = verdict(&r);
    assert_eq!(profile, "neutral", "{}", reason(&r));
    assert!(confidence >= 0.8, "{confidence}");
    assert!(opened_by(&r).is_empty());
    assert!(reason(&r).contains("generic evidence, which never makes a workload on its own"));
    assert_eq!(trait_field(&r, "N1", "evidence_class"), "generic");
    assert!(trait_field(&r, "N1", "outside_product").as_u64() >= Some(2));
    let test_findings: Vec<&Value> = finding_objects(&r)
        .iter()
        .filter(|f| f["file_class"] == "test")
        .collect();
    assert!(!test_findings.is_empty());
    // The text report explains itself.
    let text = scan_text(fixture("node-cli-tool"), &[]);
    assert!(text.contains("Why: "), "{text}");
    assert!(text.contains("not scored: 1 test file"), "{text}");
}

/// A Python plotting library with a small React page that shows its charts: the front end is
/// the Python workload's UI, not a second profile.
#[test]
fn a_dataviz_library_with_a_react_viewer_is_python() {
    let r = scan_fixture("py-dataviz-react");
    assert_eq!(verdict(&r).0, "python", "{}", reason(&r));
    let opened = opened_by(&r);
    assert!(opened.contains(&"P3"), "{opened:?}");
    assert!(!opened.contains(&"N6"), "{opened:?}");
    // The SPA evidence is there, and explained.
    assert!(trait_field(&r, "N6", "domain_score").as_f64() >= Some(0.3));
    assert!(reason(&r).contains("counted as its UI"), "{}", reason(&r));
}

/// An examples-only repository of tfjs training scripts, one of which serves predictions with
/// express: the examples are the product, and they train neural networks.
#[test]
fn an_examples_collection_of_tfjs_training_is_python() {
    let r = scan_fixture("tfjs-examples");
    assert_eq!(verdict(&r).0, "python", "{}", reason(&r));
    assert_eq!(
        r["file_classes"]["promoted"],
        serde_json::json!(["example"])
    );
    assert_eq!(opened_by(&r), ["P2"]);
    assert!(r["verdict"]["mismatch"].as_bool() == Some(true));
    // express is generic support, never a second opening.
    assert_eq!(trait_field(&r, "N7", "domain_score"), 0.0);
    assert!(trait_field(&r, "N7", "generic_score").as_f64() > Some(0.0));
}

/// A websocket library implements the protocol and never imports one; it *is* the `ws`
/// library of the table.
#[test]
fn a_websocket_library_that_never_imports_itself_is_node() {
    let r = scan_fixture("ws-library");
    assert_eq!(verdict(&r).0, "node", "{}", reason(&r));
    assert!(opened_by(&r).contains(&"N2"), "{:?}", opened_by(&r));
    assert!(!finding_objects(&r).iter().any(|f| f["rule"] == "SF120"));
    // Its package name is the table's `ws`: it is that library.
    let own = finding_objects(&r)
        .iter()
        .find(|f| f["library"] == "ws")
        .unwrap_or_else(|| panic!("{:?}", findings(&r)));
    assert_eq!(own["rule"], "SF128");
    assert_eq!(own["path"], "package.json");
    assert_eq!(own["evidence_class"], "domain");
    assert!(own["message"]
        .as_str()
        .is_some_and(|m| m.contains("is the ws library itself")));
    assert_eq!(r["file_classes"]["first_party"], serde_json::json!(["ws"]));
    assert_eq!(class_count(&r, "bench"), 1);
}

/// Nothing to judge is not neutral.
#[test]
fn a_directory_without_code_has_nothing_to_judge() {
    let dir = tempdir();
    write(&dir.path().join("README.md"), "# notes\n");
    let r = scan_json(dir.path(), &[]);
    assert_eq!(verdict(&r), ("none", 0.0));
    assert!(r["verdict"]["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("Nothing to judge")));
}

/// Generic evidence alone never makes a workload, however much of it there is; a domain
/// trait in a real share of the product does.
#[test]
fn generic_alone_is_neutral_and_a_real_domain_share_opens() {
    let dir = tempdir();
    for i in 0..6 {
        write(
            &dir.path().join(format!("lib/worker{i}.js")),
            "const { EventEmitter } = require('events');\nconst { spawn } = require('child_process');\nclass W extends EventEmitter {\n  async run() { await this.step(); await this.step(); }\n  async step() { spawn('true'); }\n}\nmodule.exports = W;\n",
        );
    }
    let r = scan_json(dir.path(), &[]);
    assert_eq!(verdict(&r).0, "neutral", "{}", reason(&r));
    write(
        &dir.path().join("lib/feed.js"),
        "const { Kafka } = require('kafkajs');\nconst kafka = new Kafka({ brokers: ['k:9092'] });\nexport async function consume(topic, onMessage) {\n  const consumer = kafka.consumer({ groupId: 'g' });\n  await consumer.subscribe({ topic });\n  await consumer.run({ eachMessage: onMessage });\n}\n",
    );
    let r = scan_json(dir.path(), &[]);
    assert_eq!(verdict(&r).0, "node", "{}", reason(&r));
    assert_eq!(opened_by(&r), ["N5"]);
}
