//! What a path is before it is read: a directory never worth descending into, a source file of
//! a known language, a notebook, a dependency manifest, or vendored, generated or minified code
//! (`generated`, by directory, name, `.gitattributes` and, after the read, first bytes). The
//! walker prunes with it and the per-file worker dispatches with it; nothing here parses code.
pub mod generated;
pub mod manifest_kind;
pub mod shape;

use crate::lang::{self, Lang};
use std::path::Path;

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

/// A directory pruned by name, or a virtualenv (it holds `pyvenv.cfg`).
pub fn is_pruned_dir(name: &str, path: &Path) -> bool {
    PRUNED_DIRS.contains(&name) || path.join("pyvenv.cfg").is_file()
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

/// What a file is to the scan, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Source code: its language by extension, or `None` (extensionless: maybe a script).
    Source(Option<Lang>),
    Notebook,
    Manifest(manifest_kind::Format),
}

/// The role of a file named `name` at `rel` (relative to the scanned root).
pub fn role_of(name: &str, rel: &str) -> Role {
    if let Some(f) = manifest_kind::format_of(name, rel) {
        Role::Manifest(f)
    } else if name.to_ascii_lowercase().ends_with(".ipynb") {
        Role::Notebook
    } else {
        Role::Source(lang::from_path(name))
    }
}
