//! `scan --add-suppressions`: write an inline `stackfit: ignore[CODE]` for every current
//! friction diagnostic, so a team can adopt the linter on legacy code and fail only on new
//! diagnostics. `place` finds a valid spot in each file; this module decides which files may
//! be written and writes them: only regular UTF-8 source files inside the scanned root, never
//! through a symlink, each atomically (a temporary file renamed into place, its permissions
//! kept). Notebooks, repo-level diagnostics (SF001–SF003) and files that cannot be edited
//! safely are left alone and named. A second run finds nothing left to suppress: it changes
//! no byte.
mod place;

use crate::lang;
use crate::lint::Diagnostic;
use crate::report::AtomicFile;
use crate::rules::{RuleKind, Ruleset};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `add_suppressions` did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files rewritten.
    pub files: usize,
    /// Lines that got (or extended) a suppression.
    pub lines: usize,
    /// Codes written in all.
    pub codes: usize,
    /// What was left alone, one sentence each.
    pub notes: Vec<String>,
}

/// Line → the codes to suppress on it.
type Wanted = BTreeMap<u32, BTreeSet<String>>;

/// Suppresses every friction diagnostic of a scan of `root` in its file.
pub fn add_suppressions(
    rs: &Ruleset,
    root: &Path,
    diagnostics: &[Diagnostic],
) -> Result<Summary, String> {
    let mut sum = Summary::default();
    let mut by_file: BTreeMap<&str, Wanted> = BTreeMap::new();
    let mut repo_level: BTreeMap<&str, usize> = BTreeMap::new();
    let mut notebooks: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics {
        if rs.rules.get(d.rule).map(|r| r.kind) != Some(RuleKind::Friction) {
            *repo_level.entry(&d.code).or_default() += 1;
        } else if d.cell.is_some() || d.path.to_ascii_lowercase().ends_with(".ipynb") {
            *notebooks.entry(&d.path).or_default() += 1;
        } else {
            let codes = by_file.entry(&d.path).or_default().entry(d.line);
            codes.or_default().insert(d.code.clone());
        }
    }
    for (code, n) in repo_level {
        sum.notes.push(format!(
            "{code}: {n} diagnostic{} left alone, not friction in a line of code: fix the cause, or `ignore = [\"{code}\"]` in the config",
            plural(n)
        ));
    }
    for (path, n) in notebooks {
        sum.notes.push(format!(
            "{path}: {n} diagnostic{} in a notebook: notebooks are not edited, add the comments in their cells",
            plural(n)
        ));
    }
    for (rel, wanted) in &by_file {
        match suppress_file(root, rel, wanted)? {
            Ok((lines, codes)) if lines > 0 => {
                sum.files += 1;
                sum.lines += lines;
                sum.codes += codes;
            }
            Ok(_) => {}
            Err(note) => sum.notes.push(format!("{rel}: {note}")),
        }
    }
    Ok(sum)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One file: `Ok(Ok((lines, codes)))` written (or nothing to do), `Ok(Err(note))` left alone,
/// `Err` a write that failed.
fn suppress_file(
    root: &Path,
    rel: &str,
    wanted: &Wanted,
) -> Result<Result<(usize, usize), String>, String> {
    let path = match file_of(root, rel) {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("cannot be read: {e}"))),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let lang = name
        .as_deref()
        .and_then(lang::from_path)
        .or_else(|| lang::from_shebang(&bytes[..bytes.len().min(128)]));
    let Some(lang) = lang else {
        return Ok(Err("not a Python, JavaScript or TypeScript file".into()));
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Err("not UTF-8: add the suppressions by hand".into()));
    };
    let placed = place::place(lang, &text, wanted);
    if placed.text != text {
        write_atomically(&path, placed.text.as_bytes())?;
    }
    if !placed.failed.is_empty() {
        let lines: Vec<String> = placed.failed.iter().map(u32::to_string).collect();
        return Ok(Err(format!(
            "no valid place for a comment on line{} {} ({} written)",
            plural(lines.len()),
            lines.join(", "),
            placed.lines
        )));
    }
    Ok(Ok((placed.lines, placed.codes)))
}

/// The file of a diagnostic path, if it may be written: a regular file inside `root`, with no
/// symlink on the way. A file root is the file itself.
fn file_of(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let root_meta = std::fs::symlink_metadata(root).map_err(|e| e.to_string())?;
    let (base, path) = if root_meta.is_file() {
        let parent = root.parent().filter(|p| !p.as_os_str().is_empty());
        (
            parent.unwrap_or(Path::new(".")).to_path_buf(),
            root.to_path_buf(),
        )
    } else {
        let mut cur = root.to_path_buf();
        for part in rel.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err("not a plain path inside the scanned root".into());
            }
            cur.push(part);
            let m = std::fs::symlink_metadata(&cur).map_err(|e| e.to_string())?;
            if m.file_type().is_symlink() {
                return Err(format!("`{}` is a symlink: not written", cur.display()));
            }
        }
        (root.to_path_buf(), cur)
    };
    let meta = std::fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file: not written".into());
    }
    let inside = match (std::fs::canonicalize(&base), std::fs::canonicalize(&path)) {
        (Ok(b), Ok(p)) => p.starts_with(b),
        _ => false,
    };
    if !inside {
        return Err("outside the scanned root: not written".into());
    }
    Ok(path)
}

/// Writes `path` through a temporary file renamed into place, keeping its permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    f.commit()?;
    if let Some(p) = perms {
        std::fs::set_permissions(path, p)
            .map_err(|e| format!("cannot keep the permissions of `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// The one-line account on stderr: "added 5 suppressions on 4 lines in 2 files".
pub fn describe(sum: &Summary) -> String {
    if sum.codes == 0 {
        return "no suppression added: nothing to suppress".into();
    }
    format!(
        "added {} suppression{} on {} line{} in {} file{}",
        sum.codes,
        plural(sum.codes),
        sum.lines,
        plural(sum.lines),
        sum.files,
        plural(sum.files)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_inside_the_root() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("src/a.py"), "x = 1\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(file_of(root, "src/a.py").is_ok());
        assert!(file_of(root, "../a.py").is_err());
        assert!(file_of(root, "src/missing.py").is_err());
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(outside.path().join("b.py"), "y = 2\n")
                .unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(outside.path(), root.join("linked"))
                .unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(root.join("src/a.py"), root.join("alias.py"))
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                file_of(root, "linked/b.py").is_err(),
                "through a symlinked dir"
            );
            assert!(file_of(root, "alias.py").is_err(), "a symlinked file");
        }
    }

    #[test]
    fn summary_reads_right() {
        let mut s = Summary::default();
        assert_eq!(describe(&s), "no suppression added: nothing to suppress");
        s.codes = 1;
        s.lines = 1;
        s.files = 1;
        assert_eq!(describe(&s), "added 1 suppression on 1 line in 1 file");
    }
}
