//! Pull-request mode's one question to git: which files changed since a reference? The files
//! changed between `git merge-base REF HEAD` and the working tree, plus untracked files, as paths
//! relative to the scanned root. It knows nothing of rules or reports.
//!
//! The scanned repository is untrusted (a pull request's checkout): git runs without a shell,
//! each argument its own argv entry, with hooks, fsmonitor, external diff drivers, textconv,
//! pagers and prompts off, and a reference that could be read as an option is refused.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The files changed since a reference, relative to the scanned root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// The reference as given, e.g. `origin/main`.
    pub reference: String,
    /// The commit the changes are measured from: `git merge-base REF HEAD`.
    pub merge_base: String,
    /// Changed, added and untracked files under the scanned root, `/`-separated, relative to it.
    pub files: BTreeSet<String>,
    /// Changed files of the repository outside the scanned root (not reported).
    pub outside_root: usize,
}

impl Changed {
    /// Whether `path` (relative to the scanned root) changed.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }
}

/// Why a reference is refused before git sees it, or `None` when it may be passed on.
pub fn check_reference(reference: &str) -> Option<&'static str> {
    if reference.trim().is_empty() {
        Some("it is empty")
    } else if reference.starts_with('-') {
        Some("it starts with `-` and would be read as an option")
    } else if reference
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        Some("it holds a space or a control character")
    } else {
        None
    }
}

/// The files changed since `reference` in the git checkout holding `root` (a directory or a
/// file). Errors say what is wrong: not a checkout, no such commit, no merge base.
pub fn since(root: &Path, reference: &str) -> Result<Changed, String> {
    if let Some(why) = check_reference(reference) {
        return Err(format!(
            "invalid --changed-since reference `{reference}`: {why}"
        ));
    }
    let dir = if root.is_file() {
        root.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        root
    };
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        format!(
            "--changed-since needs a git checkout, and `{}` is not in one ({e})",
            root.display()
        )
    })?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    let spec = format!("{reference}^{{commit}}");
    let commit = git(&top, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|_| {
        format!(
            "--changed-since: no commit `{reference}` in the repository at `{}` (in a shallow \
             CI checkout, fetch it first, e.g. `git fetch --depth=1 origin {reference}`)",
            top.display()
        )
    })?;
    let commit = commit.trim().to_string();
    let base = git(&top, &["merge-base", &commit, "HEAD"])
        .map_err(|e| format!("--changed-since: `{reference}` and HEAD have no merge base ({e})"))?;
    let base = base.trim().to_string();
    let diff = git(
        &top,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-relative",
            "--no-ext-diff",
            "--no-textconv",
            &base,
            "--",
        ],
    )
    .map_err(|e| format!("--changed-since: git diff failed ({e})"))?;
    let untracked = git(
        &top,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
        ],
    )
    .map_err(|e| format!("--changed-since: git ls-files failed ({e})"))?;
    let prefix = root_prefix(&top, root)?;
    let mut files = BTreeSet::new();
    let mut outside_root = 0;
    for p in diff.split('\0').chain(untracked.split('\0')) {
        if p.is_empty() {
            continue;
        }
        match under_root(&prefix, p, root.is_file()) {
            Some(rel) => {
                files.insert(rel);
            }
            None => outside_root += 1,
        }
    }
    Ok(Changed {
        reference: reference.to_string(),
        merge_base: base,
        files,
        outside_root,
    })
}

/// The scanned root relative to the repository's top-level directory, `/`-separated ("" at the
/// top). For a file root, the file's own path.
fn root_prefix(top: &Path, root: &Path) -> Result<String, String> {
    let canon = |p: &Path| {
        std::fs::canonicalize(p).map_err(|e| format!("cannot resolve `{}`: {e}", p.display()))
    };
    let (top, root) = (canon(top)?, canon(root)?);
    let rel = root.strip_prefix(&top).map_err(|_| {
        format!(
            "`{}` is not inside the git checkout at `{}`",
            root.display(),
            top.display()
        )
    })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// `path` (relative to the repository top) relative to the scanned root, or `None` when it lies
/// outside. A file root names its file by its file name, as the scan does.
fn under_root(prefix: &str, path: &str, root_is_file: bool) -> Option<String> {
    if root_is_file {
        return (path == prefix).then(|| path.rsplit('/').next().unwrap_or(path).to_string());
    }
    if prefix.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(prefix)?
        .strip_prefix('/')
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// Runs `git ARGS` in `dir` with everything a hostile checkout could use switched off; its
/// stdout, or the first line of its stderr.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("--no-pager")
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(["-c", "core.pager=cat"])
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_COMMON_DIR")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err
        .lines()
        .map(|l| l.trim().trim_start_matches("fatal: "))
        .find(|l| !l.is_empty())
        .unwrap_or("git failed");
    Err(first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_that_look_like_options_are_refused() {
        assert!(check_reference("--output=/tmp/x").is_some());
        assert!(check_reference("-p").is_some());
        assert!(check_reference("").is_some());
        assert!(check_reference("main branch").is_some());
        assert!(check_reference("a\nb").is_some());
        assert_eq!(check_reference("origin/main"), None);
        assert_eq!(check_reference("HEAD~2"), None);
        assert_eq!(check_reference("v1.2.3"), None);
    }

    #[test]
    fn paths_map_onto_the_scanned_root() {
        assert_eq!(under_root("", "a/b.py", false).as_deref(), Some("a/b.py"));
        assert_eq!(
            under_root("svc/api", "svc/api/app.py", false).as_deref(),
            Some("app.py")
        );
        assert_eq!(under_root("svc/api", "svc/apix/app.py", false), None);
        assert_eq!(under_root("svc/api", "other.py", false), None);
        assert_eq!(
            under_root("svc/app.py", "svc/app.py", true).as_deref(),
            Some("app.py")
        );
        assert_eq!(under_root("svc/app.py", "svc/b.py", true), None);
    }

    #[test]
    fn a_reference_like_an_option_never_reaches_git() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let e = since(tmp.path(), "--output=x").unwrap_err();
        assert!(e.contains("starts with `-`"), "{e}");
    }
}
