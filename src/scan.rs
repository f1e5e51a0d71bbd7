//! One scan, end to end: start the walker on its threads, fold the stream of per-file events
//! into running totals on this thread, then score. Findings are the only per-file data kept.
use crate::analyze::Finding;
use crate::config::Config;
use crate::lint;
use crate::ruleset::{Ruleset, Severity};
use crate::score::{self, LocByLang, TraitScore, Verdict};
use crate::walk::{self, FileEvent, SkipReason, WalkOptions};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct LangStats {
    pub files: u64,
    pub bytes: u64,
    pub lines: u64,
}

/// A lint diagnostic: a friction finding (F1–F4) or a repo-level one (workload mismatch),
/// in the shape SARIF results and annotations need.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. "SF220".
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// A short hint on how to fix it.
    pub fix: Option<String>,
    #[serde(skip)]
    pub rule: usize,
}

pub struct ScanResult {
    /// Signal findings: evidence for workload traits.
    pub findings: Vec<Finding>,
    /// Friction and repo-level diagnostics, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics silenced by inline suppressions or config.
    pub suppressed: u64,
    pub traits: Vec<TraitScore>,
    pub verdict: Verdict,
    pub languages: BTreeMap<&'static str, LangStats>,
    pub skipped: Vec<(Arc<str>, SkipReason)>,
    pub pruned_dirs: Vec<Arc<str>>,
    pub walk_errors: Vec<String>,
    pub elapsed_ms: u128,
}

impl ScanResult {
    pub fn loc(&self) -> LocByLang {
        self.languages.iter().map(|(k, v)| (*k, v.lines)).collect()
    }
}

/// A scan with no config file.
#[allow(dead_code)]
pub fn run(rs: &Ruleset, opts: &WalkOptions) -> ScanResult {
    run_with(rs, opts, &Config::default())
}

/// A scan whose findings pass the project's config and the inline suppressions (`lint.rs`).
pub fn run_with(rs: &Ruleset, opts: &WalkOptions, cfg: &Config) -> ScanResult {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<FileEvent>();
    let mut findings = Vec::new();
    let mut languages: BTreeMap<&'static str, LangStats> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut pruned_dirs = Vec::new();
    let mut walk_errors = Vec::new();
    std::thread::scope(|s| {
        s.spawn(move || walk::walk(rs, opts, tx));
        for ev in rx {
            match ev {
                FileEvent::Scanned {
                    path,
                    lang,
                    bytes,
                    loc,
                    findings: mut fs,
                } => {
                    let factor = rs.path_factor(&path);
                    if factor != 1.0 {
                        fs.iter_mut().for_each(|f| f.evidence *= factor);
                    }
                    let st = languages.entry(lang.family()).or_default();
                    st.files += 1;
                    st.bytes += bytes;
                    st.lines += loc;
                    findings.extend(fs);
                }
                FileEvent::Skipped { path, reason } => skipped.push((path, reason)),
                FileEvent::PrunedDir { path } => pruned_dirs.push(path),
                FileEvent::WalkError { message } => walk_errors.push(message),
            }
        }
    });
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
    });
    // Config and suppressions; friction findings become diagnostics, signals stay evidence.
    let lint::Linted {
        signals: findings,
        mut diagnostics,
        suppressed,
    } = lint::apply(rs, cfg, findings);
    skipped.sort();
    pruned_dirs.sort();
    walk_errors.sort();
    let traits = score::trait_scores(rs, findings.iter());
    let loc: LocByLang = languages.iter().map(|(k, v)| (*k, v.lines)).collect();
    let verdict = score::verdict(rs, &traits, &loc);
    diagnostics.extend(lint::mismatch(rs, cfg, &verdict, &traits, &opts.root));
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.code).cmp(&(&b.path, b.line, b.column, &b.code))
    });
    ScanResult {
        findings,
        diagnostics,
        suppressed,
        traits,
        verdict,
        languages,
        skipped,
        pruned_dirs,
        walk_errors,
        elapsed_ms: start.elapsed().as_millis(),
    }
}
