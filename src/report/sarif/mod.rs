//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run; `tool.driver.rules`
//! lists every diagnostic rule (friction SF2xx and repo-level SF0xx) with its documentation
//! rendered from the rule TOML, and `results` holds the diagnostics after config and
//! suppressions, with repository-relative paths (`uriBaseId` `%SRCROOT%`) and 1-based regions
//! whose columns count Unicode code points (`columnKind`).
//!
//! Signal findings (workload evidence) are not results: they are not problems in the code, and
//! thousands of "imports numpy" alerts would bury the diagnostics. The verdict travels in the
//! run's property bag instead. There is no `security-severity` (these are not security alerts).
//! `partialFingerprints` carries the line-independent fingerprint (`stackfit/v1`); with
//! --baseline each result has its `baselineState`, `new` or `unchanged`.
pub mod model;

use super::Input;
use crate::lint::Diagnostic;
use crate::rules::docs;
use crate::rules::{Rule, RuleKind, Ruleset};
use crate::scan::ScanResult;
use model::{
    ArtifactLocation, Configuration, Driver, Location, Log, Message, MultiformatMessage,
    PartialFingerprints, PhysicalLocation, Region, ReportingDescriptor, ResultProperties,
    RuleProperties, Run, RunProperties, SarifResult, Tool, VerdictProperties,
};
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

/// Renders the SARIF log. Paths are made repository-relative with `input.repo_prefix`
/// (`""` when the scanned root is the repository root, `"services/api/"` below it).
pub fn render(input: &Input) -> String {
    let mut s = serde_json::to_string_pretty(&build(input, docs_base().as_deref()))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The SARIF log: one run with the diagnostic rules, the diagnostics and the verdict. `docs`
/// is the docs/rules.md URL (see `docs_base`); without it there are no `helpUri`s.
pub fn build<'a>(input: &Input<'a>, docs: Option<&'a str>) -> Log<'a> {
    let (rs, res) = (input.rs, input.res);
    let diag_rules: Vec<usize> = (0..rs.rules.len())
        .filter(|&i| rs.rules[i].kind != RuleKind::Signal)
        .collect();
    // Rule position in the ruleset -> its `ruleIndex` in `tool.driver.rules`.
    let index: HashMap<usize, usize> = diag_rules
        .iter()
        .enumerate()
        .map(|(pos, &ri)| (ri, pos))
        .collect();
    let rules = diag_rules
        .iter()
        .map(|&ri| rule(rs, &rs.rules[ri], docs))
        .collect();
    let results = res
        .diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let mut r = result(d, *index.get(&d.rule)?, &input.repo_prefix);
            r.baseline_state = input.state(i).map(crate::baseline::State::as_str);
            Some(r)
        })
        .collect();
    Log {
        schema: SARIF_SCHEMA,
        runs: vec![Run {
            column_kind: "unicodeCodePoints",
            properties: run_properties(res),
            results,
            tool: Tool {
                driver: Driver {
                    information_uri: docs,
                    name: "stackfit",
                    rules,
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    }
}

/// One diagnostic rule with its documentation, tagged with its kind, trait and languages.
fn rule<'a>(rs: &'a Ruleset, r: &'a Rule, docs: Option<&str>) -> ReportingDescriptor<'a> {
    let mut tags = vec!["stackfit", docs::kind_str(r.kind)];
    if r.trait_id != "-" {
        tags.push(&r.trait_id);
    }
    tags.extend(rs.languages_of(r));
    ReportingDescriptor {
        default_configuration: Configuration {
            level: r.severity.as_str(),
        },
        full_description: Message {
            text: r.doc.what.trim(),
        },
        help: MultiformatMessage {
            markdown: docs::help_markdown(rs, r),
            text: docs::help_text(rs, r),
        },
        help_uri: docs.map(|base| help_uri(base, &r.code)),
        id: &r.code,
        name: &r.name,
        properties: RuleProperties {
            blog_point: &r.blog_point,
            tags,
            trait_id: &r.trait_id,
        },
        short_description: Message { text: r.title() },
    }
}

/// One diagnostic as a result of the rule at `rule_index`; `prefix` makes its path
/// repository-relative.
fn result<'a>(d: &'a Diagnostic, rule_index: usize, prefix: &str) -> SarifResult<'a> {
    SarifResult {
        baseline_state: None,
        level: d.severity.as_str(),
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri_path(&format!("{prefix}{}", d.path)),
                    uri_base_id: "%SRCROOT%",
                },
                region: Region {
                    end_column: d.end_column.max(1),
                    end_line: d.end_line.max(d.line).max(1),
                    start_column: d.column.max(1),
                    start_line: d.line.max(1),
                },
            },
        }],
        message: Message { text: &d.message },
        partial_fingerprints: PartialFingerprints {
            stackfit_v1: &d.fingerprint,
        },
        properties: d.fix.as_deref().map(|fix| ResultProperties { fix }),
        rule_id: &d.code,
        rule_index,
    }
}

/// The run's property bag: the verdict and the suppressed count.
fn run_properties(res: &ScanResult) -> RunProperties<'_> {
    let v = &res.verdict;
    RunProperties {
        suppressed: res.suppressed,
        verdict: VerdictProperties {
            confidence: v.confidence,
            implementation_language: v.implementation_language,
            mismatch: v.mismatch,
            node_score: v.node_score,
            profile: v.profile,
            python_score: v.python_score,
            summary: &v.summary,
        },
    }
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
    use crate::report::github::tests::cx as input;
    use crate::scan::ScanOptions;

    /// A scan of one fixture file with diagnostics that carry fix hints.
    fn jobs_js() -> ScanOptions {
        ScanOptions::for_root(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/friction-js/src/jobs.js"),
        )
    }

    /// The typed log serialises exactly as the same log through a `serde_json::Value`, whose
    /// maps sort their keys (how it was first built): the structs' field order is sorted.
    #[test]
    fn fields_are_in_sorted_key_order() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let opts = jobs_js();
        let res = crate::scan::run(&rs, &opts);
        let log = build(
            &input(&rs, &res, &opts),
            Some("https://example.org/rules.md"),
        );
        let direct = serde_json::to_string_pretty(&log).unwrap_or_else(|e| panic!("{e}"));
        let value = serde_json::to_value(&log).unwrap_or_else(|e| panic!("{e}"));
        let sorted = serde_json::to_string_pretty(&value).unwrap_or_else(|e| panic!("{e}"));
        assert!(direct.contains("\"helpUri\"") && direct.contains("\"fix\""));
        assert_eq!(direct, sorted);
    }

    #[test]
    fn help_uris_point_at_rules_md_anchors() {
        let rs = crate::rules::Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let opts = jobs_js();
        let res = crate::scan::run(&rs, &opts);
        let base = "https://example.org/stackfit/blob/main/docs/rules.md";
        let doc = serde_json::to_value(build(&input(&rs, &res, &opts), Some(base)))
            .unwrap_or_else(|e| panic!("{e}"));
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
