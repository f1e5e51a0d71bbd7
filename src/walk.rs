//! Finding the files to scan. Uses the `ignore` crate's parallel walker, so .gitignore, .ignore
//! and git excludes are honoured, hidden files are skipped, and symlinks are never followed
//! (a link can't lead the scan out of the root). Dependency trees, virtualenvs and build
//! output are pruned by directory name before any of their files is read; vendored, generated
//! and minified code is recognised by `generated` (directory, name, then first bytes). Besides
//! source files, notebooks go to `notebook` and dependency manifests to `manifest`, each file
//! read once under the size cap. Each worker thread
//! owns a `Scanner`; results are streamed to the caller's channel as each file finishes, so
//! nothing per file outlives its analysis.
use crate::analyze::{count_loc, Finding, ParseFailure, Scanner};
use crate::generated::{self, Attributes};
use crate::lang::{self, Lang};
use crate::manifest::{self, ManifestReport};
use crate::notebook::{self, NotebookError};
use crate::ruleset::Ruleset;
use ignore::{WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub root: PathBuf,
    pub max_file_bytes: u64,
    pub parse_timeout: Duration,
    pub threads: usize,
    /// Scan vendored, generated and minified code too (`--include-generated`).
    pub include_generated: bool,
    /// Paths the config excludes (`exclude = [...]`), relative to the scanned root.
    pub exclude: Option<crate::config::PathMatcher>,
}

/// Notebooks may be this many times `max_file_bytes`: their outputs (images, tables) are most
/// of their bytes, and only the code cells are analysed.
pub const NOTEBOOK_SIZE_FACTOR: u64 = 8;

/// Directories never worth scanning: installed dependencies, environments, caches, VCS.
pub const PRUNED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "site-packages",
    "__pycache__",
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".parcel-cache",
    ".turbo",
    ".cache",
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    TooLarge,
    ParseTimeout,
    ParseFailed,
    NotUtf8,
    Unreadable(String),
    DeclarationFile,
    /// Vendored, generated or minified: not this project's own code.
    Generated(generated::Kind),
    /// A notebook that cannot be read (bad JSON, missing fields).
    NotebookInvalid(String),
    /// A notebook for another kernel language.
    NotebookNotPython(String),
    /// A manifest that cannot be parsed (its directory is still a component).
    ManifestInvalid(String),
    RulesError,
}

impl SkipReason {
    pub fn key(&self) -> &'static str {
        match self {
            SkipReason::TooLarge => "too_large",
            SkipReason::ParseTimeout => "parse_timeout",
            SkipReason::ParseFailed => "parse_failed",
            SkipReason::NotUtf8 => "not_utf8",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::DeclarationFile => "declaration_file",
            SkipReason::Generated(k) => k.key(),
            SkipReason::NotebookInvalid(_) => "notebook_invalid",
            SkipReason::NotebookNotPython(_) => "notebook_not_python",
            SkipReason::ManifestInvalid(_) => "manifest_invalid",
            SkipReason::RulesError => "rules_error",
        }
    }

    pub fn describe(&self, limits: &WalkOptions) -> String {
        match self {
            SkipReason::TooLarge => format!(
                "larger than the {} byte limit (--max-file-size)",
                limits.max_file_bytes
            ),
            SkipReason::ParseTimeout => format!(
                "parsing took longer than {} ms (--parse-timeout-ms)",
                limits.parse_timeout.as_millis()
            ),
            SkipReason::ParseFailed => "the parser gave up on it".into(),
            SkipReason::NotUtf8 => "not UTF-8 text".into(),
            SkipReason::Unreadable(e) => format!("cannot be read: {e}"),
            SkipReason::DeclarationFile => {
                "declarations only (.d.ts or .pyi: types, no behaviour)".into()
            }
            SkipReason::Generated(k) => k.describe().into(),
            SkipReason::NotebookInvalid(e) => format!("notebook cannot be read: {e}"),
            SkipReason::NotebookNotPython(l) => format!("notebook kernel language is `{l}`"),
            SkipReason::ManifestInvalid(e) => format!("manifest cannot be read: {e}"),
            SkipReason::RulesError => "the rules for its language failed to compile".into(),
        }
    }
}

/// What a worker sends for each file it looked at.
#[derive(Debug)]
pub enum FileEvent {
    Scanned {
        path: Arc<str>,
        lang: Lang,
        bytes: u64,
        loc: u64,
        findings: Vec<Finding>,
    },
    Skipped {
        path: Arc<str>,
        reason: SkipReason,
    },
    /// A directory pruned by name (not descended into).
    PrunedDir {
        path: Arc<str>,
    },
    /// A vendored or build-output directory pruned (not descended into).
    GeneratedDir {
        path: Arc<str>,
        kind: generated::Kind,
    },
    /// A dependency manifest read (package.json, requirements.txt, ...).
    Manifest {
        path: Arc<str>,
        report: ManifestReport,
    },
    /// The walker itself failed on an entry (permissions, a loop, ...).
    WalkError {
        message: String,
    },
}

/// Path of `p` relative to `root`, with forward slashes.
pub fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

fn is_pruned_dir(name: &str, path: &Path) -> bool {
    PRUNED_DIRS.contains(&name) || path.join("pyvenv.cfg").is_file()
}

fn is_excluded(opts: &WalkOptions, root: &Path, path: &Path) -> bool {
    opts.exclude
        .as_ref()
        .is_some_and(|m| m.is_match(&relative(root, path)))
}

/// Walks `opts.root` on `opts.threads` threads and sends one event per file to `tx`.
pub fn walk(rs: &Ruleset, opts: &WalkOptions, tx: Sender<FileEvent>) {
    let root = opts.root.clone();
    let mut builder = WalkBuilder::new(&root);
    builder
        .threads(opts.threads)
        .follow_links(false)
        .hidden(true)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .same_file_system(false);
    if root.is_file() {
        // A single file named on the command line: scan it as it is.
        builder.standard_filters(false);
    }
    let attrs = Attributes::default();
    let attrs = &attrs;
    builder.build_parallel().run(|| {
        let tx = tx.clone();
        let root = root.clone();
        let mut scanner = Scanner::new(opts.parse_timeout);
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let _ = tx.send(FileEvent::WalkError {
                        message: err.to_string(),
                    });
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            let path = entry.path();
            if entry.depth() > 0 && is_excluded(opts, &root, path) {
                return if ft.is_dir() {
                    WalkState::Skip
                } else {
                    WalkState::Continue
                };
            }
            if ft.is_dir() {
                let rel_dir = if entry.depth() == 0 {
                    String::new()
                } else {
                    relative(&root, path)
                };
                if entry.depth() > 0 {
                    let name = entry.file_name().to_string_lossy();
                    if is_pruned_dir(&name, path) {
                        let _ = tx.send(FileEvent::PrunedDir {
                            path: rel_dir.into(),
                        });
                        return WalkState::Skip;
                    }
                    if !opts.include_generated {
                        if let Some(kind) = generated::classify_dir(&name, path) {
                            if attrs.has_override_for(&rel_dir) {
                                // A `.gitattributes` may unmark files below: decide per file.
                                attrs.mark_soft_dir(&rel_dir, kind);
                            } else {
                                let _ = tx.send(FileEvent::GeneratedDir {
                                    path: rel_dir.into(),
                                    kind,
                                });
                                return WalkState::Skip;
                            }
                        }
                    }
                }
                if !opts.include_generated {
                    if let Some(problem) = attrs.load_dir(path, &rel_dir) {
                        let _ = tx.send(FileEvent::WalkError { message: problem });
                    }
                }
                return WalkState::Continue;
            }
            if !ft.is_file() {
                // Symlinks (to files or directories) and special files are never followed.
                return WalkState::Continue;
            }
            let mut events = Vec::new();
            scan_file(rs, opts, attrs, &mut scanner, &root, path, &mut events);
            for ev in events {
                if tx.send(ev).is_err() {
                    return WalkState::Quit;
                }
            }
            WalkState::Continue
        })
    });
}

/// What a file is to the scan, from its name.
enum Role {
    Source(Option<Lang>),
    Notebook,
    Manifest(manifest::Format),
}

/// Reads a file within `cap` bytes; `Err` is the reason it was not read.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, SkipReason> {
    let mut f = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    if size > cap {
        return Err(SkipReason::TooLarge);
    }
    let mut src = Vec::with_capacity(size as usize);
    (&mut f)
        .take(cap + 1)
        .read_to_end(&mut src)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if src.len() as u64 > cap {
        return Err(SkipReason::TooLarge);
    }
    Ok(src)
}

/// Decides what a file is (source, notebook, manifest, generated, or nothing), reads it once
/// within the size cap, and analyses it. Pushes zero, one or (for `setup.py`) two events.
#[allow(clippy::too_many_arguments)]
fn scan_file(
    rs: &Ruleset,
    opts: &WalkOptions,
    attrs: &Attributes,
    scanner: &mut Scanner,
    root: &Path,
    path: &Path,
    out: &mut Vec<FileEvent>,
) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return;
    };
    let lower = name.to_ascii_lowercase();
    let rel_s = relative(root, path);
    let role = if let Some(f) = manifest::format_of(&name, &rel_s) {
        Role::Manifest(f)
    } else if lower.ends_with(".ipynb") {
        Role::Notebook
    } else {
        Role::Source(lang::from_path(&name))
    };
    let by_name = match role {
        Role::Source(l) => l,
        _ => None,
    };
    let has_ext = name.contains('.');
    let skip = |out: &mut Vec<FileEvent>, reason: SkipReason| {
        out.push(FileEvent::Skipped {
            path: rel_s.as_str().into(),
            reason,
        })
    };
    // Vendored or generated, by location, name or .gitattributes (no read needed).
    let mut linguist = generated::Linguist::default();
    if !opts.include_generated {
        let name_kind = match role {
            Role::Manifest(_) => None,
            _ => generated::classify_name(&lower),
        };
        let relevant = by_name.is_some()
            || !matches!(role, Role::Source(_))
            || matches!(
                name_kind,
                Some(generated::Kind::Lockfile | generated::Kind::SourceMap)
            );
        if relevant {
            linguist = attrs.lookup(&rel_s);
            let kinds = [linguist.marks(), name_kind, attrs.soft_dir_kind(&rel_s)];
            if let Some(k) = kinds
                .into_iter()
                .flatten()
                .find(|k| !linguist.overrides(*k))
            {
                skip(out, SkipReason::Generated(k));
                return;
            }
        }
    }
    if matches!(role, Role::Source(None)) && has_ext {
        return;
    }
    if by_name.is_some() && lang::is_declaration_file(&name) {
        skip(out, SkipReason::DeclarationFile);
        return;
    }
    let lang = match role {
        Role::Source(Some(l)) => Some(l),
        Role::Source(None) => {
            // Extensionless: a script only if its shebang names an interpreter we know.
            let Ok(file) = std::fs::File::open(path) else {
                return;
            };
            let mut head = [0u8; 128];
            let n = (&file).read(&mut head).unwrap_or(0);
            match lang::from_shebang(&head[..n]) {
                Some(l) => Some(l),
                None => return,
            }
        }
        _ => None,
    };
    let cap = match role {
        Role::Notebook => opts.max_file_bytes.saturating_mul(NOTEBOOK_SIZE_FACTOR),
        _ => opts.max_file_bytes,
    };
    let src = match read_capped(path, cap) {
        Ok(s) => s,
        Err(reason) => {
            skip(out, reason);
            return;
        }
    };
    let Ok(text) = std::str::from_utf8(&src) else {
        skip(out, SkipReason::NotUtf8);
        return;
    };
    let rel: Arc<str> = rel_s.as_str().into();
    match role {
        Role::Manifest(format) => {
            let loc = manifest::Location {
                rel: &rel_s,
                fs_path: path,
                root,
            };
            let report = manifest::analyze(rs, format, text, &loc);
            if let Some(e) = &report.error {
                skip(out, SkipReason::ManifestInvalid(e.clone()));
            }
            out.push(FileEvent::Manifest {
                path: rel.clone(),
                report,
            });
            // setup.py is also Python source.
            if format == manifest::Format::SetupPy {
                out.extend(analyze_source(rs, scanner, Lang::Python, &src, rel));
            }
        }
        Role::Notebook => out.push(analyze_notebook(rs, scanner, text, rel)),
        Role::Source(_) => {
            let Some(lang) = lang else { return };
            if !opts.include_generated && !linguist.overrides(generated::Kind::Generated) {
                if let Some(k) = generated::classify_content(text) {
                    skip(out, SkipReason::Generated(k));
                    return;
                }
            }
            out.extend(analyze_source(rs, scanner, lang, &src, rel));
        }
    }
}

/// A notebook's code cells, analysed as one Python source, findings mapped back to cells.
fn analyze_notebook(rs: &Ruleset, scanner: &mut Scanner, text: &str, rel: Arc<str>) -> FileEvent {
    let nb = match notebook::extract(text) {
        Ok(nb) => nb,
        Err(NotebookError::Invalid(e)) => {
            return FileEvent::Skipped {
                path: rel,
                reason: SkipReason::NotebookInvalid(e),
            }
        }
        Err(NotebookError::NotPython(l)) => {
            return FileEvent::Skipped {
                path: rel,
                reason: SkipReason::NotebookNotPython(l),
            }
        }
    };
    match analyze_source(rs, scanner, Lang::Python, nb.source.as_bytes(), rel.clone()) {
        Some(FileEvent::Scanned {
            path,
            lang,
            loc,
            mut findings,
            ..
        }) => {
            for f in &mut findings {
                nb.remap(f);
            }
            FileEvent::Scanned {
                path,
                lang,
                bytes: text.len() as u64,
                loc,
                findings,
            }
        }
        Some(other) => other,
        None => FileEvent::Skipped {
            path: rel,
            reason: SkipReason::ParseFailed,
        },
    }
}

/// Analyses source already in memory (also used for notebook cells and tests).
pub fn analyze_source(
    rs: &Ruleset,
    scanner: &mut Scanner,
    lang: Lang,
    src: &[u8],
    rel: Arc<str>,
) -> Option<FileEvent> {
    let loc = count_loc(src);
    match scanner.analyze(rs, lang, src, &rel) {
        Ok(findings) => Some(FileEvent::Scanned {
            path: rel,
            lang,
            bytes: src.len() as u64,
            loc,
            findings,
        }),
        Err(ParseFailure::Timeout) => Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::ParseTimeout,
        }),
        Err(ParseFailure::Failed) => Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::ParseFailed,
        }),
        Err(ParseFailure::Rules) => Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::RulesError,
        }),
    }
}
