//! Finding the files to scan. Uses the `ignore` crate's parallel walker, so .gitignore, .ignore
//! and git excludes are honoured, hidden files are skipped, and symlinks are never followed
//! (a link can't lead the scan out of the root). Dependency trees, virtualenvs and build
//! output are pruned by directory name before any of their files is read. Each worker thread
//! owns a `Scanner`; results are streamed to the caller's channel as each file finishes, so
//! nothing per file outlives its analysis.
use crate::analyze::{count_loc, Finding, ParseFailure, Scanner};
use crate::lang::{self, Lang};
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
    /// Paths the config excludes (`exclude = [...]`), relative to the scanned root.
    pub exclude: Option<crate::config::PathMatcher>,
}

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
                "TypeScript declarations only (types, no behaviour)".into()
            }
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
                if entry.depth() > 0 {
                    let name = entry.file_name().to_string_lossy();
                    if is_pruned_dir(&name, path) {
                        let _ = tx.send(FileEvent::PrunedDir {
                            path: relative(&root, path).into(),
                        });
                        return WalkState::Skip;
                    }
                }
                return WalkState::Continue;
            }
            if !ft.is_file() {
                // Symlinks (to files or directories) and special files are never followed.
                return WalkState::Continue;
            }
            if let Some(ev) = scan_file(rs, opts, &mut scanner, &root, path) {
                if tx.send(ev).is_err() {
                    return WalkState::Quit;
                }
            }
            WalkState::Continue
        })
    });
}

/// Decides whether a file is source, reads it within the size cap, and analyses it.
fn scan_file(
    rs: &Ruleset,
    opts: &WalkOptions,
    scanner: &mut Scanner,
    root: &Path,
    path: &Path,
) -> Option<FileEvent> {
    let name = path.file_name()?.to_string_lossy();
    let by_name = lang::from_path(&name);
    let has_ext = name.contains('.');
    if by_name.is_none() && has_ext {
        return None;
    }
    let rel: Arc<str> = relative(root, path).into();
    if by_name.is_some() && lang::is_declaration_file(&name) {
        return Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::DeclarationFile,
        });
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return by_name.map(|_| FileEvent::Skipped {
                path: rel,
                reason: SkipReason::Unreadable(e.to_string()),
            })
        }
    };
    let lang = match by_name {
        Some(l) => l,
        None => {
            // Extensionless: a script only if its shebang names an interpreter we know.
            let mut head = [0u8; 128];
            let n = (&file).read(&mut head).unwrap_or(0);
            lang::from_shebang(&head[..n])?
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > opts.max_file_bytes {
        return Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::TooLarge,
        });
    }
    let mut src = Vec::with_capacity(size as usize);
    let mut f = std::fs::File::open(path).ok()?;
    if let Err(e) = (&mut f).take(opts.max_file_bytes + 1).read_to_end(&mut src) {
        return Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::Unreadable(e.to_string()),
        });
    }
    if src.len() as u64 > opts.max_file_bytes {
        return Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::TooLarge,
        });
    }
    if std::str::from_utf8(&src).is_err() {
        return Some(FileEvent::Skipped {
            path: rel,
            reason: SkipReason::NotUtf8,
        });
    }
    analyze_source(rs, scanner, lang, &src, rel)
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
