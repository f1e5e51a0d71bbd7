//! Finding the files to scan, and nothing else. Uses the `ignore` crate's parallel walker, so
//! .gitignore, .ignore and git excludes are honoured, hidden files are skipped, and symlinks are
//! never followed (a link can't lead the scan out of the root). Dependency trees, virtualenvs
//! and vendored or build-output directories are pruned by name (`classify`) before any of their
//! files is read, and `.gitattributes` files are loaded as their directories are entered.
//!
//! The walker knows nothing of the work: like ripgrep's, it hands every entry to a visitor
//! that a factory makes once per thread, and the visitor decides what to do with it.
use crate::classify::generated::{self, Attributes};
use crate::classify::{is_pruned_dir, relative};
use crate::config::PathMatcher;
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub root: PathBuf,
    pub threads: usize,
    /// Descend into vendored and build-output directories too (`--include-generated`).
    pub include_generated: bool,
    /// Paths the config excludes (`exclude = [...]`), relative to the scanned root.
    pub exclude: Option<PathMatcher>,
}

/// What the walker hands a visitor.
pub enum Entry<'a> {
    /// A regular file (never a symlink or a special file).
    File {
        path: &'a Path,
        /// Relative to the root, with forward slashes.
        rel: String,
        /// The `.gitattributes` seen so far: every directory above `path` has been loaded.
        attrs: &'a Attributes,
    },
    /// A directory pruned by name (not descended into).
    PrunedDir { rel: String },
    /// A vendored or build-output directory pruned (not descended into).
    GeneratedDir { rel: String, kind: generated::Kind },
    /// The walker failed on an entry (permissions, a loop, a bad `.gitattributes`).
    Error { message: String },
}

/// A per-thread consumer of entries. `Break` stops the whole walk (the receiver went away).
pub trait Visitor: Send {
    fn visit(&mut self, entry: Entry<'_>) -> ControlFlow<()>;
}

impl<F: FnMut(Entry<'_>) -> ControlFlow<()> + Send> Visitor for F {
    fn visit(&mut self, entry: Entry<'_>) -> ControlFlow<()> {
        self(entry)
    }
}

fn state(flow: ControlFlow<()>, otherwise: WalkState) -> WalkState {
    match flow {
        ControlFlow::Break(()) => WalkState::Quit,
        ControlFlow::Continue(()) => otherwise,
    }
}

/// Walks `opts.root` on `opts.threads` threads; `make_visitor` is called once per thread.
pub fn walk<'s, V, F>(opts: &'s WalkOptions, make_visitor: F)
where
    V: Visitor + 's,
    F: Fn() -> V + Sync,
{
    let root = &opts.root;
    let mut builder = WalkBuilder::new(root);
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
    let make_visitor = &make_visitor;
    builder.build_parallel().run(|| {
        let mut visitor = make_visitor();
        Box::new(move |entry| match entry {
            Ok(e) => step(opts, attrs, &mut visitor, &e),
            Err(err) => state(
                visitor.visit(Entry::Error {
                    message: err.to_string(),
                }),
                WalkState::Continue,
            ),
        })
    });
}

/// One entry: excluded, a directory (pruned or entered), or a file for the visitor.
fn step(opts: &WalkOptions, attrs: &Attributes, v: &mut impl Visitor, e: &DirEntry) -> WalkState {
    let Some(ft) = e.file_type() else {
        return WalkState::Continue;
    };
    let path = e.path();
    // The root directory is "" to the rest of the scan; a root file keeps its name.
    let rel = if e.depth() == 0 && ft.is_dir() {
        String::new()
    } else {
        relative(&opts.root, path)
    };
    let excluded = e.depth() > 0 && opts.exclude.as_ref().is_some_and(|m| m.is_match(&rel));
    if excluded {
        return if ft.is_dir() {
            WalkState::Skip
        } else {
            WalkState::Continue
        };
    }
    if ft.is_dir() {
        return enter_dir(opts, attrs, v, e, rel);
    }
    if !ft.is_file() {
        // Symlinks (to files or directories) and special files are never followed; one named
        // like a file the scan reads is reported, so that nothing is left out silently.
        return match not_followed(&rel, ft) {
            Some(message) => state(v.visit(Entry::Error { message }), WalkState::Continue),
            None => WalkState::Continue,
        };
    }
    state(
        v.visit(Entry::File { path, rel, attrs }),
        WalkState::Continue,
    )
}

/// Why a symlink or special file named like a source file, notebook or manifest is not read.
fn not_followed(rel: &str, ft: std::fs::FileType) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match crate::classify::role_of(name, rel) {
        crate::classify::Role::Source(None) => return None,
        crate::classify::Role::Source(Some(_))
        | crate::classify::Role::Notebook
        | crate::classify::Role::Manifest(_) => {}
    }
    Some(if ft.is_symlink() {
        format!("{rel}: a symbolic link, not followed")
    } else {
        format!("{rel}: not a regular file (a FIFO, socket or device), not read")
    })
}

/// Prunes a directory by name, or enters it and loads its `.gitattributes`.
fn enter_dir(
    opts: &WalkOptions,
    attrs: &Attributes,
    v: &mut impl Visitor,
    e: &DirEntry,
    rel: String,
) -> WalkState {
    let path = e.path();
    if e.depth() > 0 {
        let name = e.file_name().to_string_lossy();
        if is_pruned_dir(&name, path) {
            return state(v.visit(Entry::PrunedDir { rel }), WalkState::Skip);
        }
        if !opts.include_generated {
            if let Some(kind) = generated::classify_dir(&name, path) {
                if attrs.has_override_for(&rel) {
                    // A `.gitattributes` may unmark files below: decide per file.
                    attrs.mark_soft_dir(&rel, kind);
                } else {
                    return state(v.visit(Entry::GeneratedDir { rel, kind }), WalkState::Skip);
                }
            }
        }
    }
    if !opts.include_generated {
        if let Some(message) = attrs.load_dir(path, &rel) {
            return state(v.visit(Entry::Error { message }), WalkState::Continue);
        }
    }
    WalkState::Continue
}
