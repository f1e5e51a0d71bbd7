//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run; `tool.driver.rules`
//! lists every diagnostic rule (friction SF2xx and repo-level SF0xx) with its documentation
//! rendered from the rule TOML, and `results` holds the diagnostics after config and
//! suppressions, with repository-relative paths (`uriBaseId` `%SRCROOT%`) and 1-based regions
//! whose columns count Unicode code points (`columnKind`).
//!
//! Signal findings (workload evidence) are not results: they are not problems in the code, and
//! thousands of "imports numpy" alerts would bury the diagnostics. The verdict travels in the
//! run's property bag instead. There is no `security-severity` (these are not security alerts)
//! and no `partialFingerprints` (the upload action computes `primaryLocationLineHash`).
use crate::rules::docs;
use crate::rules::{RuleKind, Ruleset};
use crate::scan::ScanResult;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the rules' documentation (docs/rules.md) lives: `STACKFIT_DOCS_URL` when set to an
/// absolute http(s) URL (the GitHub Action sets it to its own repository and ref), else the
/// package's Cargo `repository`; with neither, rules carry no `helpUri`.
fn docs_base() -> Option<String> {
    if let Ok(url) = std::env::var("STACKFIT_DOCS_URL") {
        let url = url.trim();
        if url.starts_with("https://") || url.starts_with("http://") {
            return Some(url.to_string());
        }
    }
    let repo = env!("CARGO_PKG_REPOSITORY").trim().trim_end_matches('/');
    (!repo.is_empty()).then(|| format!("{repo}/blob/main/docs/rules.md"))
}

/// `helpUri` for a rule: the docs/rules.md anchor of its code.
pub fn help_uri(base: &str, code: &str) -> String {
    format!("{base}#{}", code.to_ascii_lowercase())
}

/// Renders the SARIF log. `prefix` turns a scan-relative path into a repository-relative one
/// (`""` when the scanned root is the repository root, `"services/api/"` below it).
pub fn render(rs: &Ruleset, res: &ScanResult, prefix: &str) -> String {
    let mut s = serde_json::to_string_pretty(&build(rs, res, prefix, docs_base().as_deref()))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

pub fn build(rs: &Ruleset, res: &ScanResult, prefix: &str, docs: Option<&str>) -> Value {
    let diag_rules: Vec<usize> = (0..rs.rules.len())
        .filter(|&i| rs.rules[i].kind != RuleKind::Signal)
        .collect();
    let index: HashMap<usize, usize> = diag_rules
        .iter()
        .enumerate()
        .map(|(pos, &ri)| (ri, pos))
        .collect();
    let rules: Vec<Value> = diag_rules
        .iter()
        .map(|&ri| {
            let r = &rs.rules[ri];
            let mut tags = vec!["stackfit".to_string(), docs::kind_str(r.kind).to_string()];
            if r.trait_id != "-" {
                tags.push(r.trait_id.clone());
            }
            tags.extend(rs.languages_of(r).iter().map(|l| l.to_string()));
            let mut o = Map::new();
            o.insert("id".into(), json!(r.code));
            o.insert("name".into(), json!(r.name));
            o.insert("shortDescription".into(), json!({ "text": r.title() }));
            o.insert(
                "fullDescription".into(),
                json!({ "text": r.doc.what.trim() }),
            );
            o.insert(
                "help".into(),
                json!({
                    "text": docs::help_text(rs, r),
                    "markdown": docs::help_markdown(rs, r),
                }),
            );
            if let Some(base) = docs {
                o.insert("helpUri".into(), json!(help_uri(base, &r.code)));
            }
            o.insert(
                "defaultConfiguration".into(),
                json!({ "level": r.severity.as_str() }),
            );
            o.insert(
                "properties".into(),
                json!({ "tags": tags, "trait": r.trait_id, "blog_point": r.blog_point }),
            );
            Value::Object(o)
        })
        .collect();
    let results: Vec<Value> = res
        .diagnostics
        .iter()
        .filter_map(|d| {
            let idx = *index.get(&d.rule)?;
            let mut o = json!({
                "ruleId": d.code,
                "ruleIndex": idx,
                "level": d.severity.as_str(),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": uri_path(&format!("{prefix}{}", d.path)),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": d.line.max(1),
                            "startColumn": d.column.max(1),
                            "endLine": d.end_line.max(d.line).max(1),
                            "endColumn": d.end_column.max(1),
                        },
                    },
                }],
            });
            if let (Some(fix), Some(obj)) = (&d.fix, o.as_object_mut()) {
                obj.insert("properties".into(), json!({ "fix": fix }));
            }
            Some(o)
        })
        .collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("stackfit"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    if let Some(base) = docs {
        driver.insert("informationUri".into(), json!(base));
    }
    driver.insert("rules".into(), Value::Array(rules));
    let v = &res.verdict;
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": Value::Object(driver) },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "verdict": {
                    "profile": v.profile,
                    "confidence": v.confidence,
                    "node_score": v.node_score,
                    "python_score": v.python_score,
                    "implementation_language": v.implementation_language,
                    "mismatch": v.mismatch,
                    "summary": v.summary,
                },
                "suppressed": res.suppressed,
            },
        }],
    })
}

/// A relative path as a URI reference: `/` separators, and the characters a URI cannot hold
/// percent-encoded (spaces, `%`, `#`, `?`, non-ASCII).
pub fn uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_uris_point_at_rules_md_anchors() {
        let rs = crate::rules::Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let res = crate::scan::run(
            &rs,
            &crate::scan::ScanOptions::for_root(
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/friction-js/src/jobs.js"),
            ),
        );
        let base = "https://example.org/stackfit/blob/main/docs/rules.md";
        let doc = build(&rs, &res, "", Some(base));
        let rules_md = crate::rules::docs::rules_markdown(&rs);
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!rules.is_empty());
        for r in rules {
            let id = r["id"].as_str().unwrap_or("");
            let uri = r["helpUri"].as_str().unwrap_or("");
            assert_eq!(uri, format!("{base}#{}", id.to_ascii_lowercase()));
            // the anchor exists: a `## SF220` heading
            assert!(
                rules_md.contains(&format!("\n## {id}\n")),
                "no heading for {id}"
            );
        }
        assert_eq!(doc["runs"][0]["tool"]["driver"]["informationUri"], base);
        assert!(!doc["runs"][0]["results"]
            .as_array()
            .is_some_and(Vec::is_empty));
    }

    #[test]
    fn uris() {
        assert_eq!(uri_path("src/a b.py"), "src/a%20b.py");
        assert_eq!(uri_path("src\\x#1.js"), "src/x%231.js");
        assert_eq!(uri_path("é.py"), "%C3%A9.py");
        assert_eq!(
            help_uri("https://example.org/x/blob/main/docs/rules.md", "SF220"),
            "https://example.org/x/blob/main/docs/rules.md#sf220"
        );
    }
}
