//! `--format sarif` validates against the official SARIF 2.1.0 JSON schema (copied into
//! tests/schemas/) and has what GitHub code scanning needs: unique rule ids with help,
//! results pointing at their rule, repository-relative URIs and 1-based regions.
//!
//! The validator below is a small JSON Schema draft-04 checker covering exactly the keywords the
//! SARIF schema uses; a keyword it does not know fails the test instead of being skipped, and
//! the negative tests prove it rejects invalid logs. (The `jsonschema` crate does the same job
//! but, with default features off, pulls ~75 crates and ~5 CPU-minutes into a clean test build
//! on this profile, and needs a newer Rust than this crate's MSRV.)
mod common;

use common::*;
use serde_json::{json, Value};

fn schema() -> Value {
    let text = read(&repo().join("tests/schemas/sarif-schema-2.1.0.json"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

// ------------------------------------------------------------------------------------------
// A JSON Schema draft-04 validator for the keywords the SARIF schema uses.

struct Validator<'a> {
    root: &'a Value,
    errors: Vec<String>,
}

const IGNORED: &[&str] = &[
    "description",
    "default",
    "title",
    "id",
    "$schema",
    "definitions",
];

impl<'a> Validator<'a> {
    fn check(&mut self, v: &Value, s: &'a Value, path: &str) {
        let Some(obj) = s.as_object() else {
            panic!("schema at {path} is not an object");
        };
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(r);
            self.check(v, target, path);
            return;
        }
        for (k, kv) in obj {
            match k.as_str() {
                "type" => {
                    let ok = match kv {
                        Value::String(t) => type_ok(v, t),
                        Value::Array(ts) => {
                            ts.iter().filter_map(Value::as_str).any(|t| type_ok(v, t))
                        }
                        _ => panic!("bad type keyword"),
                    };
                    if !ok {
                        self.errors
                            .push(format!("{path}: expected type {kv}, got {v}"));
                    }
                }
                "properties" => {
                    if let (Some(o), Some(props)) = (v.as_object(), kv.as_object()) {
                        for (name, sub) in props {
                            if let Some(x) = o.get(name) {
                                self.check(x, sub, &format!("{path}.{name}"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(o) = v.as_object() {
                        let props = obj.get("properties").and_then(Value::as_object);
                        for (name, x) in o {
                            if props.is_some_and(|p| p.contains_key(name)) {
                                continue;
                            }
                            match kv {
                                Value::Bool(false) => self
                                    .errors
                                    .push(format!("{path}: property `{name}` is not allowed")),
                                Value::Bool(true) => {}
                                sub => self.check(x, sub, &format!("{path}.{name}")),
                            }
                        }
                    }
                }
                "required" => {
                    if let Some(o) = v.as_object() {
                        for r in kv
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                        {
                            if !o.contains_key(r) {
                                self.errors.push(format!("{path}: `{r}` is required"));
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(a) = v.as_array() {
                        for (i, x) in a.iter().enumerate() {
                            self.check(x, kv, &format!("{path}[{i}]"));
                        }
                    }
                }
                "minItems" => {
                    if let Some(a) = v.as_array() {
                        if (a.len() as u64) < kv.as_u64().unwrap_or(0) {
                            self.errors.push(format!("{path}: fewer than {kv} items"));
                        }
                    }
                }
                "uniqueItems" => {
                    if let (Some(a), Some(true)) = (v.as_array(), kv.as_bool()) {
                        for i in 0..a.len() {
                            if a[i + 1..].contains(&a[i]) {
                                self.errors.push(format!("{path}: items are not unique"));
                            }
                        }
                    }
                }
                "minimum" => {
                    if let (Some(x), Some(m)) = (v.as_f64(), kv.as_f64()) {
                        if x < m {
                            self.errors.push(format!("{path}: {x} < minimum {m}"));
                        }
                    }
                }
                "maximum" => {
                    if let (Some(x), Some(m)) = (v.as_f64(), kv.as_f64()) {
                        if x > m {
                            self.errors.push(format!("{path}: {x} > maximum {m}"));
                        }
                    }
                }
                "enum" => {
                    if !kv.as_array().is_some_and(|e| e.contains(v)) {
                        self.errors.push(format!("{path}: {v} is not one of {kv}"));
                    }
                }
                "pattern" => {
                    if let Some(x) = v.as_str() {
                        let re = regex_lite::Regex::new(kv.as_str().unwrap_or(""))
                            .unwrap_or_else(|e| panic!("pattern {kv}: {e}"));
                        if !re.is_match(x) {
                            self.errors
                                .push(format!("{path}: `{x}` does not match {kv}"));
                        }
                    }
                }
                "format" => {
                    if let Some(x) = v.as_str() {
                        let ok = match kv.as_str().unwrap_or("") {
                            // an absolute URI: a scheme, then no whitespace
                            "uri" => regex_lite::Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
                                .is_ok_and(|r| r.is_match(x)),
                            "uri-reference" => !x.chars().any(char::is_whitespace),
                            "date-time" => regex_lite::Regex::new(
                                r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
                            )
                            .is_ok_and(|r| r.is_match(x)),
                            other => panic!("unknown format `{other}`"),
                        };
                        if !ok {
                            self.errors
                                .push(format!("{path}: `{x}` is not a valid {kv}"));
                        }
                    }
                }
                "anyOf" | "oneOf" => {
                    let subs = kv
                        .as_array()
                        .unwrap_or_else(|| panic!("{k} is not an array"));
                    let passing = subs
                        .iter()
                        .filter(|sub| {
                            let mut inner = Validator {
                                root: self.root,
                                errors: Vec::new(),
                            };
                            inner.check(v, sub, path);
                            inner.errors.is_empty()
                        })
                        .count();
                    let ok = if k == "anyOf" {
                        passing >= 1
                    } else {
                        passing == 1
                    };
                    if !ok {
                        self.errors
                            .push(format!("{path}: {passing} of the {k} alternatives match"));
                    }
                }
                other if IGNORED.contains(&other) => {}
                other => panic!("schema keyword `{other}` (at {path}) is not implemented"),
            }
        }
    }

    fn resolve(&self, r: &str) -> &'a Value {
        let p = r
            .strip_prefix("#/")
            .unwrap_or_else(|| panic!("only local $refs are supported: {r}"));
        let mut v = self.root;
        for part in p.split('/') {
            v = v.get(part).unwrap_or_else(|| panic!("unresolved $ref {r}"));
        }
        v
    }
}

fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type `{other}`"),
    }
}

fn validate(doc: &Value) -> Vec<String> {
    let s = schema();
    let mut v = Validator {
        root: &s,
        errors: Vec::new(),
    };
    v.check(doc, &s, "$");
    v.errors
}

// ------------------------------------------------------------------------------------------

fn sarif_of(fixture: &str) -> Value {
    scan_report(format!("fixtures/{fixture}"), "sarif", &["--no-config"])
}

#[test]
fn fixture_sarif_validates_against_the_schema() {
    for f in ["friction-python", "friction-js", "friction-tfjs"] {
        let doc = sarif_of(f);
        let errors = validate(&doc);
        assert!(errors.is_empty(), "{f}: {errors:#?}");
        assert!(
            doc["runs"][0]["results"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{f}: no results"
        );
    }
}

/// With --baseline, results carry `baselineState` (`new` and `unchanged` here) and the log
/// still validates.
#[test]
fn baseline_states_validate_against_the_schema() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("baseline.json");
    let fixture = "fixtures/friction-js";
    let b = file.to_string_lossy().into_owned();
    let w = run(&["scan", fixture, "--no-config", "--write-baseline", &b]);
    assert_eq!(w.status.code(), Some(0), "{}", stderr(&w));
    // Forget one known diagnostic, so that one result is new.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    doc["diagnostics"].as_array_mut().map(|a| a.remove(0));
    std::fs::write(&file, doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let log = scan_report(fixture, "sarif", &["--no-config", "--baseline", &b]);
    let errors = validate(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut states: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["baselineState"].as_str())
                .collect()
        })
        .unwrap_or_default();
    states.sort_unstable();
    states.dedup();
    assert_eq!(states, vec!["new", "unchanged"]);
}

#[test]
fn the_validator_rejects_invalid_sarif() {
    let good = sarif_of("friction-js");
    assert!(validate(&good).is_empty());
    type Mutation = Box<dyn Fn(&mut Value)>;
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "no version",
            Box::new(|d| {
                d.as_object_mut().map(|o| o.remove("version"));
            }),
        ),
        ("wrong version", Box::new(|d| d["version"] = json!("2.0.0"))),
        (
            "bad level",
            Box::new(|d| d["runs"][0]["results"][0]["level"] = json!("fatal")),
        ),
        (
            "line 0",
            Box::new(|d| {
                d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
                    ["startLine"] = json!(0)
            }),
        ),
        (
            "ruleIndex string",
            Box::new(|d| d["runs"][0]["results"][0]["ruleIndex"] = json!("3")),
        ),
        (
            "relative helpUri",
            Box::new(|d| {
                d["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = json!("docs/rules.md#sf001")
            }),
        ),
        (
            "message without text",
            Box::new(|d| d["runs"][0]["results"][0]["message"] = json!({})),
        ),
        (
            "unknown property",
            Box::new(|d| d["runs"][0]["tool"]["driver"]["bogus"] = json!(1)),
        ),
        (
            "duplicate rule",
            Box::new(|d| {
                let r = d["runs"][0]["tool"]["driver"]["rules"][0].clone();
                if let Some(a) = d["runs"][0]["tool"]["driver"]["rules"].as_array_mut() {
                    a.push(r);
                }
            }),
        ),
    ];
    for (name, m) in mutations {
        let mut bad = good.clone();
        m(&mut bad);
        assert!(!validate(&bad).is_empty(), "the validator accepted: {name}");
    }
}

#[test]
fn sarif_has_what_github_code_scanning_needs() {
    let doc = sarif_of("friction-js");
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("no rules"));
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule ids must be unique");
    // diagnostic rules only: friction and repo-level, no signal rules
    assert!(
        ids.iter()
            .all(|id| id.starts_with("SF2") || id.starts_with("SF0")),
        "{ids:?}"
    );
    assert!(ids.contains(&"SF221") && ids.contains(&"SF001"));
    for r in rules {
        for key in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(r.get(key).is_some(), "rule {} has no {key}", r["id"]);
        }
        assert!(r["help"]["text"].as_str().is_some_and(|t| t.len() > 100));
        assert!(r["help"]["markdown"]
            .as_str()
            .is_some_and(|t| t.contains("**Why it matters**")));
        assert!(r["properties"]["tags"]
            .as_array()
            .is_some_and(|t| !t.is_empty()));
        assert!(r["properties"].get("security-severity").is_none());
    }
    let results = run["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results"));
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at the rule"
        );
        // Our own line-independent fingerprint, so code scanning keeps alert identity.
        assert!(res["partialFingerprints"]["stackfit/v1"]
            .as_str()
            .is_some_and(|f| f.len() == 16));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
        assert!(
            uri.starts_with("fixtures/friction-js/src/") && !uri.contains(':'),
            "repository-relative URI: {uri}"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &loc["region"];
        assert!(
            region["startLine"].as_u64() >= Some(1) && region["startColumn"].as_u64() >= Some(1)
        );
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
        assert!(region["endColumn"].is_u64());
    }
    // the exact position of one known diagnostic, 1-based, end included
    let r = results
        .iter()
        .find(|r| {
            r["ruleId"] == "SF221"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "fixtures/friction-js/src/server.js"
        })
        .unwrap_or_else(|| panic!("no SF221 in server.js"));
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &json!({"startLine": 19, "startColumn": 19, "endLine": 19, "endColumn": 49})
    );
    assert_eq!(r["level"], "warning");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["properties"]["verdict"]["profile"].is_string());
}

/// With STACKFIT_DOCS_URL (the GitHub Action sets it to its own repository and ref) every rule
/// carries an absolute `helpUri` at its docs/rules.md anchor, and the log still validates.
#[test]
fn help_uris_come_from_stackfit_docs_url() {
    let base = "https://github.com/example/stackfit/blob/v0.1.0/docs/rules.md";
    let out = output_of(
        command()
            .args([
                "scan",
                "fixtures/friction-js",
                "--format",
                "sarif",
                "--no-config",
            ])
            .env("STACKFIT_DOCS_URL", base),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_stdout(&out, "scan with STACKFIT_DOCS_URL");
    let errors = validate(&doc);
    assert!(errors.is_empty(), "{errors:?}");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!rules.is_empty());
    for r in rules {
        let id = r["id"].as_str().unwrap_or("").to_ascii_lowercase();
        assert_eq!(r["helpUri"].as_str(), Some(format!("{base}#{id}").as_str()));
    }
}
