//! One scan, end to end: the orchestrator that wires the stages. It starts the walker on its
//! threads with one `analyze::Analyzer` per thread, folds the stream of per-file events into
//! running totals on this thread, then lints, scores and groups into components. Findings are
//! the only per-file data kept.
use crate::analyze::manifest::{self, ManifestReport, Problem};
use crate::analyze::{Analyzer, FileEvent, FileRef, Limits, SkipReason};
use crate::classify::generated;
use crate::classify::shape::{self, ClassStats, Shape};
use crate::config::Config;
use crate::finding::{parent_dir, FileClass, Finding, LangStats};
use crate::lint::{self, Diagnostic};
use crate::rules::Ruleset;
use crate::score::components::{self, Component, Decl};
use crate::score::own::{self, OwnNames};
use crate::score::{self, LocByLang, Prevalence, TraitScore, Verdict};
use crate::walk::{self, Entry, WalkOptions};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

/// Where to scan and the bounds on the work.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub walk: WalkOptions,
    pub limits: Limits,
}

impl ScanOptions {
    /// The CLI's defaults (1 MiB files, 2 s parses, generated code skipped) on one thread.
    pub fn for_root(root: impl Into<std::path::PathBuf>) -> ScanOptions {
        ScanOptions {
            walk: WalkOptions {
                root: root.into(),
                threads: 1,
                include_generated: false,
                exclude: None,
                targets: None,
            },
            limits: Limits {
                max_file_bytes: 1 << 20,
                parse_timeout: std::time::Duration::from_secs(2),
                include_generated: false,
                engine: Default::default(),
            },
        }
    }
}

pub struct ScanResult {
    /// Signal findings: evidence for workload traits.
    pub findings: Vec<Finding>,
    /// Friction and repo-level diagnostics, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics silenced by inline suppressions or config.
    pub suppressed: u64,
    /// Friction diagnostics left out because their file class is not linted, per class.
    pub outside_classes: BTreeMap<crate::finding::FileClass, u64>,
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
    /// Files and lines per file class (by path, before the shape promoted any).
    pub file_classes: ClassStats,
    /// Which classes the repository's shape made product.
    pub shape: Shape,
    /// The project's own package names (not library use).
    pub own_names: Vec<String>,
}

/// One manifest read during the scan.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ManifestSummary {
    pub path: String,
    pub format: &'static str,
    /// Dependencies declared.
    pub dependencies: u32,
    /// Of those, the ones the library table knows (and so count as evidence).
    pub recognized: u32,
    pub error: Option<String>,
}

/// Events in flight between the workers and the folding thread.
const EVENT_QUEUE: usize = 256;

/// What a worker thread sends to the folding thread.
enum Event {
    File(FileEvent),
    PrunedDir(Arc<str>),
    GeneratedDir(Arc<str>, generated::Kind),
    WalkError(String),
}

/// A scan with no config file.
pub fn run(rs: &Ruleset, opts: &ScanOptions) -> ScanResult {
    run_with(rs, opts, &Config::default())
}

/// A scan whose findings pass the project's config and the inline suppressions (`lint`).
pub fn run_with(rs: &Ruleset, opts: &ScanOptions, cfg: &Config) -> ScanResult {
    run_observed(rs, opts, cfg, &mut |_| {})
}

/// `run_with`, calling `on_file(bytes)` on this thread for every file analysed or skipped (a
/// progress bar).
pub fn run_observed(
    rs: &Ruleset,
    opts: &ScanOptions,
    cfg: &Config,
    on_file: &mut dyn FnMut(u64),
) -> ScanResult {
    let start = Instant::now();
    // Bounded: a worker that runs ahead of the folding thread waits instead of queueing events
    // (and their findings) without limit.
    let (tx, rx) = mpsc::sync_channel::<Event>(EVENT_QUEUE);
    let mut totals = Totals::default();
    std::thread::scope(|s| {
        s.spawn(move || {
            walk::walk(&opts.walk, || {
                let tx = tx.clone();
                let mut analyzer = Analyzer::new(rs, &opts.limits, &opts.walk.root);
                let mut events = Vec::new();
                move |entry: Entry<'_>| visit(&mut analyzer, &mut events, &tx, entry)
            })
        });
        for ev in rx {
            match &ev {
                Event::File(FileEvent::Scanned { bytes, .. }) => on_file(*bytes),
                Event::File(FileEvent::Skipped { .. }) => on_file(0),
                _ => {}
            }
            totals.add(rs, ev);
        }
    });
    totals.finish(rs, cfg, &opts.walk, start)
}

/// `lint::apply` with the closest config of each file (nested configs): signal findings, the
/// verdict's evidence, always pass the root config.
fn lint_all(rs: &Ruleset, cfg: &Config, findings: Vec<Finding>) -> lint::Linted {
    if !cfg.has_nested() {
        return lint::apply(rs, cfg, findings);
    }
    let mut groups: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        let id = if rs.rules[f.rule].kind == crate::rules::RuleKind::Signal {
            0
        } else {
            cfg.closest(&f.path).0
        };
        groups.entry(id).or_default().push(f);
    }
    let mut all = lint::apply(rs, cfg, groups.remove(&0).unwrap_or_default());
    for (id, fs) in groups {
        let part = lint::apply(rs, cfg.by_id(id), fs);
        all.signals.extend(part.signals);
        all.diagnostics.extend(part.diagnostics);
        all.suppressed += part.suppressed;
        for (class, n) in part.outside_classes {
            *all.outside_classes.entry(class).or_insert(0) += n;
        }
    }
    all
}

/// A worker's visitor: analyse a file, or pass a walker event on.
fn visit(
    analyzer: &mut Analyzer,
    events: &mut Vec<FileEvent>,
    tx: &mpsc::SyncSender<Event>,
    entry: Entry<'_>,
) -> ControlFlow<()> {
    let send = |ev: Event| {
        tx.send(ev)
            .map_or(ControlFlow::Break(()), |_| ControlFlow::Continue(()))
    };
    match entry {
        Entry::File {
            path,
            rel,
            attrs,
            target,
        } => {
            analyzer.file(
                &FileRef {
                    path,
                    rel: &rel,
                    attrs,
                },
                events,
            );
            let large = events.iter().any(
                |ev| matches!(ev, FileEvent::Scanned { bytes, .. } if *bytes >= TRIM_AFTER_BYTES),
            );
            for ev in events.drain(..) {
                // A manifest read for context only: its report, not its code (setup.py).
                if !target && matches!(ev, FileEvent::Scanned { .. }) {
                    continue;
                }
                send(Event::File(ev))?;
            }
            if large {
                release_freed_memory();
            }
            ControlFlow::Continue(())
        }
        Entry::PrunedDir { rel } => send(Event::PrunedDir(rel.into())),
        Entry::GeneratedDir { rel, kind } => send(Event::GeneratedDir(rel.into(), kind)),
        Entry::Error { message } => send(Event::WalkError(message)),
    }
}

/// Points `f` at `path` (this thread's copy of its file's path) and copies its message onto
/// this thread's heap, at its exact length.
///
/// A worker allocates a file's findings between the parser's short-lived buffers. Kept as they
/// are until the report, they would pin pages of the worker's malloc arena that
/// `release_freed_memory` could otherwise give back. Copied here, what a worker allocates for a
/// file is freed by the time its next file starts. (Alone, this did not lower peak RSS on the
/// corpus x4, 84.8 MB; with the trim it is 57 MB. The copy was not measured without it.)
fn rehome(f: &mut Finding, path: &Arc<str>) {
    f.path = path.clone();
    f.message = f.message.as_str().to_owned();
}

/// Files at least this large are followed by `release_freed_memory`: their parse is what grows
/// a worker's heap (the parse stack of a 1 MiB file can pass 20 MB).
const TRIM_AFTER_BYTES: u64 = 256 << 10;

/// Returns the free pages of every malloc arena to the system (glibc's `malloc_trim`).
///
/// glibc keeps what a thread's arena once held: after one large parse, each worker's arena
/// stays at that parse's peak (about 20 MB here) for the rest of the scan, and the more files,
/// the likelier every worker meets one such file. That made peak RSS grow with the repository
/// (issue 12: 51, 72 and 83 MB on the corpus x1, x2 and x4) though no data did. Trimming after
/// a large file bounds the scan by one large parse at a time per worker. It walks the arenas'
/// free lists, so it runs only after large files.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_memory() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::os::raw::c_int;
    }
    // SAFETY: `malloc_trim` takes no pointer and locks each arena itself; it only gives back
    // pages that hold no live allocation.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}

/// Running totals of a scan, folded from the event stream on one thread.
#[derive(Default)]
struct Totals {
    findings: Vec<Finding>,
    languages: BTreeMap<&'static str, LangStats>,
    skipped: Vec<(Arc<str>, SkipReason)>,
    pruned_dirs: Vec<Arc<str>>,
    generated_dirs: Vec<(Arc<str>, generated::Kind)>,
    walk_errors: Vec<String>,
    notebooks: u64,
    manifests: Vec<ManifestSummary>,
    manifest_problems: Vec<Problem>,
    decls: BTreeMap<String, Decl>,
    /// Per-directory language counters, folded into components after the walk.
    dir_stats: BTreeMap<String, BTreeMap<&'static str, LangStats>>,
    /// Per-directory file-class counters, for each component's product size.
    dir_classes: BTreeMap<String, ClassStats>,
    classes: ClassStats,
    /// Lines of code of each file with findings: what prevalence weighs.
    file_loc: HashMap<Arc<str>, u32>,
    own_names: OwnNames,
}

impl Totals {
    fn add(&mut self, rs: &Ruleset, ev: Event) {
        match ev {
            Event::File(FileEvent::Scanned {
                path,
                lang,
                bytes,
                loc,
                findings: mut fs,
            }) => {
                // What outlives the file is copied onto this thread's heap (`rehome`).
                let path = if fs.is_empty() && !path.ends_with("__init__.py") {
                    path
                } else {
                    Arc::from(&*path)
                };
                for f in &mut fs {
                    rehome(f, &path);
                }
                let dir = parent_dir(&path).to_string();
                let class = rs.path_class(&path);
                self.classes.add(class, loc);
                self.dir_classes
                    .entry(dir.clone())
                    .or_default()
                    .add(class, loc);
                if !fs.is_empty() {
                    self.file_loc
                        .insert(path.clone(), u32::try_from(loc).unwrap_or(u32::MAX));
                }
                if path.ends_with("__init__.py") {
                    self.own_names.note_python_file(&path);
                }
                for st in [
                    self.languages.entry(lang.family()).or_default(),
                    self.dir_stats
                        .entry(dir)
                        .or_default()
                        .entry(lang.family())
                        .or_default(),
                ] {
                    st.files += 1;
                    st.bytes += bytes;
                    st.lines += loc;
                }
                if path.ends_with(".ipynb") {
                    self.notebooks += 1;
                }
                self.findings.extend(fs);
            }
            Event::File(FileEvent::Skipped { path, reason }) => {
                self.skipped.push((Arc::from(&*path), reason));
            }
            Event::File(FileEvent::Manifest { path, report }) => self.manifest(&path, report),
            Event::PrunedDir(path) => self.pruned_dirs.push(Arc::from(&*path)),
            Event::GeneratedDir(path, kind) => self.generated_dirs.push((Arc::from(&*path), kind)),
            Event::WalkError(message) => self.walk_errors.push(message),
        }
    }

    fn manifest(&mut self, path: &str, mut report: ManifestReport) {
        let d = self.decls.entry(report.dir.clone()).or_default();
        let file = path.rsplit('/').next().unwrap_or(path).to_string();
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
        self.manifests.push(ManifestSummary {
            path: path.to_string(),
            format: report.format.as_str(),
            dependencies: report.dependencies,
            recognized: report.recognized,
            error: report.error.clone(),
        });
        self.manifest_problems.extend(report.problems);
        if let Some(name) = &report.name {
            let npm = report.format == manifest::Format::PackageJson;
            own::note_manifest_name(&mut self.own_names, npm, name, &Arc::from(path));
        }
        if let Some(first) = report.findings.first() {
            let p: Arc<str> = Arc::from(&*first.path);
            for f in &mut report.findings {
                let own = if *f.path == *p {
                    p.clone()
                } else {
                    Arc::from(&*f.path)
                };
                rehome(f, &own);
            }
        }
        self.findings.extend(report.findings);
    }

    /// Sorts what was gathered, lints, scores, and groups into components.
    fn finish(
        mut self,
        rs: &Ruleset,
        cfg: &Config,
        walk: &WalkOptions,
        start: Instant,
    ) -> ScanResult {
        let (root, targets) = (&walk.root, &walk.targets);
        let shape = self.shape(rs, root);
        own::apply(rs, &self.own_names, &mut self.findings);
        // Friction rules judge what a file is (an example stays an example in an examples
        // collection); the verdict then counts the classes the shape makes product.
        for f in &mut self.findings {
            f.class = shape.base(rs.path_class(&f.path));
        }
        crate::fingerprint::assign(&mut self.findings, |r| &rs.rules[r].code);
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
        });
        // Config and suppressions; friction findings become diagnostics, signals stay evidence.
        let lint::Linted {
            signals: findings,
            mut diagnostics,
            suppressed,
            outside_classes,
        } = lint_all(rs, cfg, std::mem::take(&mut self.findings));
        let mut findings = findings;
        for f in &mut findings {
            f.class = shape.effective(f.class);
        }
        self.sort_lists();
        let prev = Prevalence {
            product_loc: self.classes.product_lines(&shape),
            file_loc: &self.file_loc,
        };
        let traits = score::trait_scores(rs, findings.iter(), &prev);
        let loc: LocByLang = self.languages.iter().map(|(k, v)| (*k, v.lines)).collect();
        let verdict = score::verdict(rs, &traits, &loc);
        // The workload is the whole repository's: a scan of some of its files cannot judge it.
        if targets.is_none() {
            diagnostics.extend(lint::mismatch(rs, cfg, &verdict, &traits, root));
        }
        diagnostics.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.code).cmp(&(&b.path, b.line, b.column, &b.code))
        });
        let index =
            components::Index::build(&self.decls, self.dir_stats.keys().map(String::as_str));
        let finding_components: Vec<Option<u32>> = findings
            .iter()
            .map(|f| index.of_file(&f.path).map(|i| i as u32))
            .collect();
        let components = components::summarize(
            rs,
            &components::Inputs {
                index: &index,
                decls: &self.decls,
                findings: &findings,
                finding_component: &finding_components,
                dir_stats: &self.dir_stats,
                dir_classes: &self.dir_classes,
                shape: &shape,
                file_loc: &self.file_loc,
            },
        );
        ScanResult {
            findings,
            diagnostics,
            suppressed,
            outside_classes,
            traits,
            verdict,
            languages: self.languages,
            skipped: self.skipped,
            pruned_dirs: self.pruned_dirs,
            generated_dirs: self.generated_dirs,
            walk_errors: self.walk_errors,
            elapsed_ms: start.elapsed().as_millis(),
            notebooks: self.notebooks,
            manifests: self.manifests,
            manifest_problems: self.manifest_problems,
            components,
            finding_components,
            file_classes: self.classes,
            shape,
            own_names: own::all(&self.own_names).into_iter().collect(),
        }
    }

    /// The repository's shape. A project named for what its code is (`tfjs-examples`) first
    /// gives its unclassed files that class, in every count.
    fn shape(&mut self, rs: &Ruleset, root: &std::path::Path) -> shape::Shape {
        let dir_name = std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        let manifest_name = self.decls.get("").and_then(|d| d.name.clone());
        let named = shape::named_class(
            rs,
            dir_name
                .iter()
                .chain(manifest_name.iter())
                .map(String::as_str),
        );
        if let Some(to) = named {
            self.classes.rename(FileClass::Product, to);
            for c in self.dir_classes.values_mut() {
                c.rename(FileClass::Product, to);
            }
        }
        shape::shape(rs, &self.classes, named)
    }

    fn sort_lists(&mut self) {
        // Source maps and lockfiles are many and say little: list the other reasons first.
        self.skipped.sort_by(|a, b| {
            let minor = |r: &SkipReason| {
                matches!(
                    r,
                    SkipReason::Generated(generated::Kind::SourceMap | generated::Kind::Lockfile)
                )
            };
            (minor(&a.1), &a.0, &a.1).cmp(&(minor(&b.1), &b.0, &b.1))
        });
        self.pruned_dirs.sort();
        self.generated_dirs.sort();
        self.walk_errors.sort();
        self.manifests.sort_by(|a, b| a.path.cmp(&b.path));
        self.manifest_problems
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings moved to the folding thread keep their path and message, and the findings of
    /// one file share one copy of its path.
    #[test]
    fn rehomed_findings_share_their_path() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/monorepo-fullstack");
        let mut opts = ScanOptions::for_root(dir);
        let one = run(&rs, &opts);
        opts.walk.threads = 2;
        let two = run(&rs, &opts);
        let view = |r: &ScanResult| -> Vec<(String, u32, String)> {
            (r.findings.iter())
                .map(|f| (f.path.to_string(), f.line, f.message.clone()))
                .collect()
        };
        assert!(one.findings.len() > 1);
        assert_eq!(view(&one), view(&two));
        let shared = two.findings.windows(2).filter(|w| w[0].path == w[1].path);
        let mut n = 0;
        for w in shared {
            assert!(Arc::ptr_eq(&w[0].path, &w[1].path));
            n += 1;
        }
        assert!(n > 0, "no file with two findings in the fixture");
    }
}
