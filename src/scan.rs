//! One scan, end to end: start the walker on its threads, fold the stream of per-file events
//! into running totals on this thread, then score. Findings are the only per-file data kept.
use crate::analyze::Finding;
use crate::components::{self, Component, Decl};
use crate::config::Config;
use crate::generated;
use crate::lint;
use crate::manifest::{self, Problem};
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
    /// Vendored and build-output directories pruned, with why.
    pub generated_dirs: Vec<(Arc<str>, generated::Kind)>,
    pub walk_errors: Vec<String>,
    pub elapsed_ms: u128,
    /// Notebooks analysed (also counted as Python files).
    pub notebooks: u64,
    /// Manifests read, sorted by path.
    pub manifests: Vec<ManifestSummary>,
    /// Problems met reading manifests (a missing `-r` include, a computed setup() argument...).
    pub manifest_problems: Vec<Problem>,
    /// Components (monorepo packages and services), sorted by path.
    pub components: Vec<Component>,
    /// For each finding, the index of its component in `components`.
    pub finding_components: Vec<Option<u32>>,
}

/// One manifest read during the scan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ManifestSummary {
    pub path: String,
    pub format: &'static str,
    /// Dependencies declared.
    pub dependencies: u32,
    /// Of those, the ones the library table knows (and so count as evidence).
    pub recognized: u32,
    pub error: Option<String>,
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
    let mut generated_dirs = Vec::new();
    let mut walk_errors = Vec::new();
    let mut notebooks = 0u64;
    let mut manifests = Vec::new();
    let mut manifest_problems = Vec::new();
    let mut decls: BTreeMap<String, Decl> = BTreeMap::new();
    // Per-directory language counters, folded into components after the walk.
    let mut dir_stats: BTreeMap<String, BTreeMap<&'static str, LangStats>> = BTreeMap::new();
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
                    for st in [
                        languages.entry(lang.family()).or_default(),
                        dir_stats
                            .entry(path.rsplit_once('/').map_or("", |(d, _)| d).to_string())
                            .or_default()
                            .entry(lang.family())
                            .or_default(),
                    ] {
                        st.files += 1;
                        st.bytes += bytes;
                        st.lines += loc;
                    }
                    if path.ends_with(".ipynb") {
                        notebooks += 1;
                    }
                    findings.extend(fs);
                }
                FileEvent::Skipped { path, reason } => skipped.push((path, reason)),
                FileEvent::PrunedDir { path } => pruned_dirs.push(path),
                FileEvent::GeneratedDir { path, kind } => generated_dirs.push((path, kind)),
                FileEvent::Manifest { path, report } => {
                    let d = decls.entry(report.dir.clone()).or_default();
                    let file = path.rsplit('/').next().unwrap_or(&path).to_string();
                    d.manifests.push(file);
                    d.manifests.sort();
                    d.component |= report.declares_component;
                    if report.declares_component && report.name.is_some() {
                        // Prefer the Python project name over package.json's when both exist.
                        if d.name.is_none() || report.format != manifest::Format::PackageJson {
                            d.name = report.name.clone();
                        }
                    }
                    d.workspaces.extend(report.workspaces.iter().cloned());
                    manifests.push(ManifestSummary {
                        path: path.to_string(),
                        format: report.format.as_str(),
                        dependencies: report.dependencies,
                        recognized: report.recognized,
                        error: report.error.clone(),
                    });
                    manifest_problems.extend(report.problems);
                    let mut fs = report.findings;
                    for f in &mut fs {
                        let factor = rs.path_factor(&f.path);
                        if factor != 1.0 {
                            f.evidence *= factor;
                        }
                    }
                    findings.extend(fs);
                }
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
    // Source maps and lockfiles are many and say little: list the other reasons first.
    skipped.sort_by(|a, b| {
        let minor = |r: &SkipReason| {
            matches!(
                r,
                SkipReason::Generated(generated::Kind::SourceMap | generated::Kind::Lockfile)
            )
        };
        (minor(&a.1), &a.0, &a.1).cmp(&(minor(&b.1), &b.0, &b.1))
    });
    pruned_dirs.sort();
    generated_dirs.sort();
    walk_errors.sort();
    manifests.sort_by(|a, b| a.path.cmp(&b.path));
    manifest_problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let traits = score::trait_scores(rs, findings.iter());
    let loc: LocByLang = languages.iter().map(|(k, v)| (*k, v.lines)).collect();
    let verdict = score::verdict(rs, &traits, &loc);
    diagnostics.extend(lint::mismatch(rs, cfg, &verdict, &traits, &opts.root));
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.code).cmp(&(&b.path, b.line, b.column, &b.code))
    });
    let index = components::Index::build(&decls, dir_stats.keys().map(String::as_str));
    let finding_components: Vec<Option<u32>> = findings
        .iter()
        .map(|f| index.of_file(&f.path).map(|i| i as u32))
        .collect();
    let components = components::summarize(
        rs,
        &index,
        &decls,
        &findings,
        &finding_components,
        &dir_stats,
    );
    ScanResult {
        findings,
        diagnostics,
        suppressed,
        traits,
        verdict,
        languages,
        skipped,
        pruned_dirs,
        generated_dirs,
        walk_errors,
        elapsed_ms: start.elapsed().as_millis(),
        notebooks,
        manifests,
        manifest_problems,
        components,
        finding_components,
    }
}
