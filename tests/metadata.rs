//! The metadata rules (SF1k8/SF3k8, `source = "metadata"`): what a project's own manifest
//! declares about it (package.json `description` and `keywords`; pyproject.toml, setup.cfg and
//! setup.py `description`, `keywords` and trove `classifiers`), read through the vocabulary of
//! `queries/metadata.toml`. Each fixture's findings are listed exactly (rule, path, line,
//! column, `xN` for the number of distinct vocabulary entries matched); `metadata-neutral` and
//! the `lookalikes` package are the near-misses that must not give domain evidence.
mod common;

use common::*;
use serde_json::Value;

fn scan(name: &str) -> Value {
    scan_json(fixture(name), &["-j", "2"])
}

/// Asserts the fixture's findings are exactly `expected`, and returns its report.
#[track_caller]
fn check(name: &str, expected: &[&str]) -> Value {
    let report = scan(name);
    assert_lines(&findings(&report), &expect(expected), name);
    report
}

/// The message of the finding of `rule` at `path`.
fn message<'a>(report: &'a Value, rule: &str, path: &str) -> &'a str {
    finding_objects(report)
        .iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} finding on {path}"))
}

/// The metadata rules of `stackfit rules`, as (code, trait, evidence class).
fn metadata_rules() -> Vec<(String, String, String)> {
    let rules = rules_json();
    rules
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["source"] == "metadata")
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("?").to_string();
            (s("code"), s("trait"), s("evidence"))
        })
        .collect()
}

const NPM: &[&str] = &[
    "SF128 examples/demo/package.json:4:1",
    "SF118 package.json:4:1",
    "SF128 package.json:4:1 x4",
    "SF178 package.json:10:1",
    "SF138 packages/collab/package.json:4:1 x3",
    "SF148 packages/devices/package.json:4:1 x2",
    "SF368 packages/frames/package.json:4:1",
    "SF158 packages/ingest/package.json:4:1",
    "SF168 packages/ui/package.json:5:1 x2",
];

const PYTHON: &[&str] = &[
    "SF368 nets/setup.py:4:1",
    "SF328 nets/setup.py:10:1 x3",
    "SF338 plots/setup.cfg:3:1 x3",
    "SF348 pyproject.toml:4:1 x3",
    "SF358 pyproject.toml:4:1 x3",
    "SF118 pyproject.toml:8:1",
    "SF378 pyproject.toml:9:1",
    "SF318 pyproject.toml:10:1",
];

/// package.json: the description and keyword entries, one finding per trait and manifest on
/// its first matching line; a comma-separated `keywords` string; workspace packages and an
/// example's manifest are read the same way. "stream", "data", "table", "query", "ui" and
/// "cli" (P7 reads Python manifests only) give nothing.
#[test]
fn npm_description_and_keywords() {
    let report = check("metadata-npm", NPM);
    assert_eq!(
        message(&report, "SF128", "package.json"),
        "declares description \"WebSocket\", \"chat server\"; keyword \"real-time\" and 1 more (real-time sockets)"
    );
    assert_eq!(
        message(&report, "SF158", "packages/ingest/package.json"),
        "declares description \"Kafka\" (streaming)"
    );
    assert_eq!(
        message(&report, "SF168", "packages/ui/package.json"),
        "declares keywords \"react\", \"spa\" (a single-page app front end)"
    );
}

/// pyproject.toml classifiers, keywords and description; setup.cfg `[metadata]` (a
/// multi-line classifier list); setup.py literal arguments (a parenthesised implicit
/// concatenation, a keywords string, classifiers bound to a module-level list). The bare
/// `Topic :: Scientific/Engineering` and the README long description count for nothing.
#[test]
fn python_classifiers_keywords_and_descriptions() {
    let report = check("metadata-python", PYTHON);
    assert_eq!(
        message(&report, "SF348", "pyproject.toml"),
        "declares description \"OCR\"; keyword \"computer-vision\"; classifier \"Topic :: Scientific/Engineering :: Image Recognition\" (image processing)"
    );
    assert_eq!(
        message(&report, "SF118", "pyproject.toml"),
        "declares classifier \"Framework :: AsyncIO\" (event-driven I/O)"
    );
    assert_eq!(
        message(&report, "SF328", "nets/setup.py"),
        "declares description \"Deep learning\"; keywords \"neural network\", \"lstm\" (neural networks)"
    );
}

/// Each of the 14 metadata rules fires on a fixture, and the rules are exactly one per trait
/// with the evidence class of the trait's import rule: generic for N1, N7, P7.
#[test]
fn every_metadata_rule_hits_a_fixture() {
    let rules = metadata_rules();
    assert_eq!(rules.len(), 14, "{rules:?}");
    let mut hit: Vec<String> = NPM
        .iter()
        .chain(PYTHON)
        .filter_map(|f| f.split(' ').next())
        .map(str::to_string)
        .collect();
    hit.sort();
    hit.dedup();
    for (code, trait_id, evidence) in &rules {
        assert!(hit.contains(code), "{code} has no hit in the fixtures");
        let digit = trait_id.chars().nth(1).unwrap_or('?');
        let profile_digit = if trait_id.starts_with('N') { '1' } else { '3' };
        assert_eq!(
            code.as_str(),
            format!("SF{profile_digit}{digit}8"),
            "{code} is not the SFxk8 code of {trait_id}"
        );
        let generic = matches!(trait_id.as_str(), "N1" | "N7" | "P7");
        assert_eq!(
            evidence,
            if generic { "generic" } else { "domain" },
            "{code} ({trait_id})"
        );
    }
    // ... and every finding of the expectations is a metadata rule's
    for code in &hit {
        assert!(rules.iter().any(|(c, _, _)| c == code), "{code}");
    }
}

/// A CLI toolkit that says "a fast command line tool for data files" with keywords "cli",
/// "terminal", "stream" (and "image", "api", "server-side", "async") gives generic evidence
/// only: P7 from its pyproject (the npm twin gives none: P7 reads Python manifests), N1 from
/// "async"; `Topic :: Scientific/Engineering` and `Topic :: System :: Hardware` alone say
/// nothing.
#[test]
fn neutral_cli_toolkit_has_no_domain_finding() {
    let report = check(
        "metadata-neutral",
        &["SF118 package.json:5:1", "SF378 pyproject.toml:4:1 x4"],
    );
    let rules = metadata_rules();
    for f in finding_objects(&report) {
        let code = f["rule"].as_str().unwrap_or("?");
        let class = rules
            .iter()
            .find(|(c, _, _)| c == code)
            .map(|r| r.2.as_str());
        assert_eq!(class, Some("generic"), "{code} is domain evidence");
    }
}

/// Near-misses: "chatty", "kafkaesque", "mlflow-free", "pngjs", "reactive", "asyncify",
/// "reacts", "image", "streams", "api", and loose tags inside longer keywords ("server-side",
/// "react-native", "chat-ops"); dependencies named `chat` and `kafka-topics-list` are not the
/// project's own metadata.
#[test]
fn look_alikes_do_not_match() {
    let report = scan("metadata-npm");
    assert_lines(
        &findings_under(&report, "packages/lookalikes/"),
        &[],
        "lookalikes",
    );
}

/// Declared metadata is strong about intent but cheap to write: every metadata rule caps what
/// it can add to its trait below the trait's saturation, and description words count less than
/// keywords and classifiers.
#[test]
fn metadata_alone_cannot_saturate_a_trait() {
    let model: toml::Value = toml::from_str(&read(&repo().join("queries/model.toml")))
        .unwrap_or_else(|e| panic!("model.toml: {e}"));
    let saturation = model["scoring"]["saturation"].as_float().unwrap_or(0.0);
    for (code, _, _) in metadata_rules() {
        let path = repo().join(format!("queries/rules/{code}.toml"));
        let rule: toml::Value =
            toml::from_str(&read(&path)).unwrap_or_else(|e| panic!("{code}: {e}"));
        let cap = rule.get("max_evidence").and_then(toml::Value::as_float);
        assert!(
            cap.is_some_and(|c| c > 0.0 && c < saturation),
            "{code}: max_evidence {cap:?} must be set below the saturation {saturation}"
        );
    }
    let vocab: toml::Value = toml::from_str(&read(&repo().join("queries/metadata.toml")))
        .unwrap_or_else(|e| panic!("metadata.toml: {e}"));
    let factor = |k: &str| vocab["factors"][k].as_float().unwrap_or(f64::NAN);
    assert!(factor("description") < factor("keywords"));
    assert!(factor("description") < factor("classifiers"));
}
