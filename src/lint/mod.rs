//! From raw findings to what a linter reports. After the walk, every finding passes the
//! project's config (rule selection, per-path overrides, severities) and the inline
//! suppressions the scanner already marked; friction and repo-level findings become
//! `Diagnostic`s, signal findings stay evidence for the verdict. The workload/language mismatch
//! is added here as the repo-level diagnostic SF001, placed on a real file so SARIF consumers
//! and annotations can show it.
//!
//! Friction rules judge product code: a blocking read in a test, a build script or an example
//! harms no running service, so findings in other file classes are left out unless
//! `[lint] classes` opts in, and counted per class so the reports can say how many.
mod mismatch;

pub use mismatch::mismatch;

use crate::config::Config;
use crate::finding::{FileClass, Finding};
use crate::rules::{RuleKind, Ruleset, Severity};
use std::collections::BTreeMap;

/// A lint diagnostic: a friction finding (F1–F4) or a repo-level one (workload mismatch),
/// in the shape SARIF results and annotations need.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Rule code, e.g. "SF220".
    pub code: String,
    #[schemars(with = "String", extend("enum" = ["note", "warning", "error"]))]
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// A short hint on how to fix it.
    pub fix: Option<String>,
    /// Stable across unrelated edits (rule, path, the matched code and its enclosing
    /// function; never the line): see `fingerprint`.
    pub fingerprint: String,
    /// In a notebook: the cell (0-based) and the line in it; `line` is the raw `.ipynb` line.
    pub cell: Option<crate::finding::Cell>,
    #[serde(skip)]
    pub rule: usize,
}

/// What is left after config and suppressions.
pub struct Linted {
    /// Signal findings of enabled rules: the verdict's evidence.
    pub signals: Vec<Finding>,
    /// Friction and repo-level diagnostics, in the order of the findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics silenced by an inline comment or a per-path `ignore`.
    pub suppressed: u64,
    /// Friction findings left out because their file's class is not linted (`[lint] classes`),
    /// per class.
    pub outside_classes: BTreeMap<FileClass, u64>,
}

pub fn apply(rs: &Ruleset, cfg: &Config, findings: Vec<Finding>) -> Linted {
    let mut out = Linted {
        signals: Vec::new(),
        diagnostics: Vec::new(),
        suppressed: 0,
        outside_classes: BTreeMap::new(),
    };
    for f in findings {
        let rule = &rs.rules[f.rule];
        if !cfg.enabled(&rule.code) || (rule.preview && !cfg.selects_exactly(&rule.code)) {
            continue;
        }
        let signal = rule.kind == RuleKind::Signal;
        if rule.kind == RuleKind::Friction && !cfg.lints_class(f.class) {
            *out.outside_classes.entry(f.class).or_insert(0) += 1;
            continue;
        }
        let per_path = cfg.has_overrides().then(|| cfg.for_path(&f.path));
        if f.suppressed || per_path.as_ref().is_some_and(|p| p.ignores(&rule.code)) {
            if !signal {
                out.suppressed += 1;
            }
            continue;
        }
        if signal {
            out.signals.push(f);
            continue;
        }
        let severity = per_path
            .as_ref()
            .map_or(rule.severity, |p| p.severity(&rule.code, rule.severity));
        out.diagnostics.push(Diagnostic {
            code: rule.code.clone(),
            severity,
            message: f.message,
            path: f.path.to_string(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            fix: rule.fix.clone(),
            fingerprint: crate::fingerprint::hex(f.fingerprint),
            cell: f.cell,
            rule: f.rule,
        });
    }
    out
}
