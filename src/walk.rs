//! Finding the files to scan, and nothing else. Uses the `ignore` crate's parallel walker, so
//! .gitignore, .ignore and git excludes are honoured, hidden files are skipped, and symlinks are
//! never followed (a link can't lead the scan out of the root). Dependency trees, virtualenvs
//! and vendored or build-output directories are pruned by name (`classify`) before any of their
//! files is read, and `.gitattributes` files are loaded as their directories are entered.
//!
//! The walker knows nothing of the work: like ripgrep's, it hands every entry to a visitor
//! that a factory makes once per thread, and the visitor decides what to do with it.
//!
//! With several targets (`scan a.py web/`, the files pre-commit passes), the walk still covers
//! the whole project root, so every manifest is seen, but only files under the targets are
//! handed on as targets; files named on the command line are handed on as they are, like a
//! single file root (see `Targets`).
use crate::classify::generated::{self, Attributes};
use crate::classify::{is_pruned_dir, relative, role_of, Role};
use crate::config::PathMatcher;
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub root: PathBuf,
    pub threads: usize,
    /// Descend into vendored and build-output directories too (`--include-generated`).
    pub include_generated: bool,
    /// Paths the config excludes (`exclude = [...]`), relative to the scanned root.
    pub exclude: Option<PathMatcher>,
    /// Several targets inside `root` (`None`: the whole root is the target).
    pub targets: Option<Arc<Targets>>,
}

/// What a scan of several paths of one project lints, relative to its root: explicit files
/// and directories. Manifests anywhere in the root are read too (`Entry::File::target` false),
/// so the project's own names, components and dependencies are those of a full scan.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Files named on the command line, relative to the root: handed on even when hidden or
    /// ignored (like a single file root), unless the config excludes them.
    pub files: std::collections::BTreeSet<String>,
    /// Directories named on the command line, relative to the root ("" is the root itself).
    pub dirs: Vec<String>,
}

impl Targets {
    fn under_dir(&self, rel: &str) -> bool {
        self.dirs.iter().any(|d| {
            d.is_empty()
                || rel
                    .strip_prefix(d.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }

    /// Whether a file was named on the command line.
    fn file_in(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }
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
        /// False for a manifest read only for context in a scan of several targets: its
        /// manifest report counts, findings in its code do not.
        target: bool,
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

/// The walker every walk of a scan uses: symlinks never followed, hidden files and what
/// `.gitignore`/`.ignore`/`.git/info/exclude` (also above the root) name left out, in a git
/// checkout or not.
fn builder(root: &Path) -> WalkBuilder {
    let mut b = WalkBuilder::new(root);
    b.follow_links(false)
        .hidden(true)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false);
    b
}

/// Walks `opts.root` on `opts.threads` threads; `make_visitor` is called once per thread.
pub fn walk<'s, V, F>(opts: &'s WalkOptions, make_visitor: F)
where
    V: Visitor + 's,
    F: Fn() -> V + Sync,
{
    let root = &opts.root;
    let mut builder = builder(root);
    builder.threads(opts.threads).same_file_system(false);
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
    if let Some(t) = &opts.targets {
        // After the walk, so the `.gitattributes` above every file are loaded.
        let mut visitor = make_visitor();
        for rel in &t.files {
            if opts.exclude.as_ref().is_some_and(|m| m.is_match(rel)) {
                continue;
            }
            let path = root.join(rel);
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            if !regular {
                continue;
            }
            let file = Entry::File {
                path: &path,
                rel: rel.clone(),
                attrs,
                target: true,
            };
            if visitor.visit(file).is_break() {
                return;
            }
        }
    }
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
    let target = match &opts.targets {
        None => true,
        // Named files are handed on after the walk.
        Some(t) if t.file_in(&rel) => return WalkState::Continue,
        Some(t) if t.under_dir(&rel) => true,
        Some(_) => {
            let name = e.file_name().to_string_lossy();
            if !matches!(role_of(&name, &rel), Role::Manifest(_)) {
                return WalkState::Continue;
            }
            false
        }
    };
    state(
        v.visit(Entry::File {
            path,
            rel,
            attrs,
            target,
        }),
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

/// Files and directories whose presence makes a directory a project root for `scan PATH...`.
const ROOT_MARKERS: &[&str] = &[
    "stackfit.toml",
    "pyproject.toml",
    "package.json",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "requirements.txt",
    ".git",
];

/// The root and targets of `scan PATH...`. One PATH is the root itself (`targets` is `None`),
/// unless `in_project`. Several: the project root is the nearest directory, at or above the deepest directory that
/// holds them all, with a config, a manifest or `.git` (or that directory itself when none is
/// found), shown relative to the current directory when inside it. `Err` names a path that
/// does not exist or is not a file or directory.
pub fn project_of(
    paths: &[PathBuf],
    in_project: bool,
) -> Result<(PathBuf, Option<Arc<Targets>>), String> {
    let mut abs = Vec::with_capacity(paths.len());
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| cannot_scan(p, &e))?;
        if !meta.is_dir() && !meta.is_file() {
            return Err(format!(
                "cannot scan `{}`: not a file or directory",
                p.display()
            ));
        }
        let full = std::fs::canonicalize(p).map_err(|e| cannot_scan(p, &e))?;
        abs.push((full, meta.is_dir()));
    }
    match abs.as_slice() {
        [] => return Ok((PathBuf::from("."), None)),
        [_] if !in_project => return Ok((paths[0].clone(), None)),
        _ => {}
    }
    let mut common = dir_of(&abs[0]);
    for a in &abs[1..] {
        let d = dir_of(a);
        while !d.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    let root = common
        .ancestors()
        .find(|d| ROOT_MARKERS.iter().any(|m| d.join(m).exists()))
        .unwrap_or(&common)
        .to_path_buf();
    let mut t = Targets::default();
    for (full, is_dir) in &abs {
        let rel = full
            .strip_prefix(&root)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if *is_dir {
            t.dirs.push(rel);
        } else {
            t.files.insert(rel);
        }
    }
    t.dirs.sort();
    t.dirs.dedup();
    Ok((shown(&root), Some(Arc::new(t))))
}

fn dir_of((full, is_dir): &(PathBuf, bool)) -> PathBuf {
    if *is_dir {
        full.clone()
    } else {
        full.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// `root` relative to the current directory when it is inside it, else as it is.
fn shown(root: &Path) -> PathBuf {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match cwd
        .ok()
        .and_then(|c| root.strip_prefix(c).ok().map(Path::to_path_buf))
    {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel,
        None => root.to_path_buf(),
    }
}

fn cannot_scan(p: &Path, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("cannot scan `{}`: {why}", p.display())
}

/// The config files of sub-directories of `root` (`(directory relative to root, file)`), for
/// nested configs: the directories the scan would enter (ignore files, pruned, generated and
/// excluded directories as in `walk`), the root itself left out (its config is the root one).
pub fn nested_configs(
    root: &Path,
    exclude: Option<&PathMatcher>,
    include_generated: bool,
) -> Vec<(String, PathBuf)> {
    if !root.is_dir() {
        return Vec::new();
    }
    let base = root.to_path_buf();
    let exclude = exclude.cloned();
    let mut builder = builder(root);
    builder.filter_entry(move |e| {
        if !e.file_type().is_some_and(|t| t.is_dir()) {
            return false;
        }
        if e.depth() == 0 {
            return true;
        }
        let rel = relative(&base, e.path());
        let name = e.file_name().to_string_lossy();
        !(is_pruned_dir(&name, e.path())
            || (!include_generated && generated::classify_dir(&name, e.path()).is_some())
            || exclude.as_ref().is_some_and(|m| m.is_match(&rel)))
    });
    let mut out = Vec::new();
    for e in builder.build().flatten() {
        if e.depth() == 0 {
            continue;
        }
        if let Some(file) = crate::config::Config::in_dir(e.path()) {
            out.push((relative(root, e.path()), file));
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mk(p: &Path) {
        std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
    }

    fn touch(p: &Path) {
        if let Some(d) = p.parent() {
            mk(d);
        }
        std::fs::write(p, "").unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_project_root_of_several_targets() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let top = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        mk(&top.join(".git"));
        touch(&top.join("svc/api/pyproject.toml"));
        touch(&top.join("svc/api/src/a.py"));
        touch(&top.join("svc/api/src/b.py"));
        touch(&top.join("web/c.js"));
        let p = |s: &str| top.join(s);
        // Both in svc/api/src (no marker): up to svc/api (a manifest).
        let (root, t) = project_of(&[p("svc/api/src/a.py"), p("svc/api/src/b.py")], false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root, top.join("svc/api"));
        let t = t.unwrap_or_else(|| panic!("targets"));
        assert_eq!(
            t.files.iter().cloned().collect::<Vec<_>>(),
            vec!["src/a.py".to_string(), "src/b.py".to_string()]
        );
        // Across the repository: its top (.git); a directory target.
        let (root, t) =
            project_of(&[p("svc/api/src/a.py"), p("web")], false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root, top);
        let t = t.unwrap_or_else(|| panic!("targets"));
        assert_eq!(t.dirs, vec!["web".to_string()]);
        assert!(t.under_dir("web/c.js") && !t.under_dir("webby/c.js") && !t.under_dir("web"));
        assert!(t.file_in("svc/api/src/a.py"));
        // One PATH: its own root, unless in_project.
        let (root, t) = project_of(&[p("web/c.js")], false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((root, t.is_none()), (p("web/c.js"), true));
        let (root, _) = project_of(&[p("web/c.js")], true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root, top);
        let e = project_of(&[p("web/c.js"), p("nope.py")], false)
            .err()
            .unwrap_or_default();
        assert!(e.contains("nope.py`: no such file or directory"), "{e}");
    }

    #[test]
    fn nested_configs_are_found_where_the_scan_goes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        touch(&root.join("stackfit.toml"));
        touch(&root.join("a/stackfit.toml"));
        mk(&root.join("a/b"));
        std::fs::write(root.join("a/b/pyproject.toml"), "[tool.stackfit]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        touch(&root.join("c/pyproject.toml"));
        touch(&root.join("node_modules/x/stackfit.toml"));
        let found: Vec<String> = nested_configs(root, None, false)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(found, vec!["a".to_string(), "a/b".to_string()]);
    }
}
