//! Output formats. `json` is the stable, versioned document for dashboards (its shape is
//! documented in docs/json-schema.md); `text` is for a person at a terminal; `github` and
//! `markdown` are for GitHub Actions (annotations and the job summary); `github-output` is the
//! `key=value` lines a step writes to `$GITHUB_OUTPUT`; `sarif` is for GitHub code scanning
//! (the diagnostics, with each rule's documentation). All are rendered from the same
//! `ScanResult` through one dispatcher, `render`, so they cannot disagree and one scan can write
//! several of them (`--output FORMAT=FILE`). `html` is one self-contained page for a person;
//! `dashboard` is not a scan format but the org overview drawn from many JSON reports.
pub mod dashboard;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod ndjson;
pub mod sarif;
pub mod schema;
pub mod text;

use crate::rules::Ruleset;
use crate::scan::ScanOptions;
use crate::scan::ScanResult;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable report (colour per --color: on a terminal unless NO_COLOR is set).
    Text,
    /// One JSON document (schema_version 2.3, docs/json-schema.md) for dashboards and scripts.
    Json,
    /// GitHub Actions workflow commands: one annotation per diagnostic (within GitHub's caps)
    /// and a notice with the verdict.
    Github,
    /// A Markdown report for a GitHub job summary or a pull-request comment.
    Markdown,
    /// `key=value` lines for `$GITHUB_OUTPUT`: profile, confidence, scores, diagnostics count.
    GithubOutput,
    /// SARIF 2.1.0 for GitHub code scanning: the diagnostics, with rule documentation.
    Sarif,
    /// One self-contained HTML page (inline CSS and SVG, no network) for a person.
    Html,
}

/// Everything a format may need besides the scan itself.
pub struct Input<'a> {
    pub rs: &'a Ruleset,
    pub res: &'a ScanResult,
    pub opts: &'a ScanOptions,
    /// Colour the text report (only ever true for a terminal on stdout).
    pub color: bool,
    /// Turns a scan-relative path into a repository-relative one ("" or "services/api/").
    /// Every format that names files for GitHub (annotations, links, SARIF) should use it.
    pub repo_prefix: String,
    /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA` when all three are known:
    /// evidence in the Markdown report then links to the file and line at the commit.
    pub blob_base: Option<String>,
    /// The baseline's and --changed-since's marks on the diagnostics (`baseline::triage`).
    pub triage: Option<&'a crate::baseline::Triage>,
}

impl<'a> Input<'a> {
    /// The input for this process: the repository prefix is computed against
    /// `$GITHUB_WORKSPACE` (or the current directory), links from the GitHub variables.
    pub fn from_env(
        rs: &'a Ruleset,
        res: &'a ScanResult,
        opts: &'a ScanOptions,
        color: bool,
    ) -> Input<'a> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        // The repository: the Actions workspace, else the nearest directory above the scanned
        // root that holds `.git`, else the current directory.
        let base = var("GITHUB_WORKSPACE")
            .map(PathBuf::from)
            .or_else(|| git_root(&opts.walk.root))
            .or_else(|| std::env::current_dir().ok());
        let blob_base = match (
            var("GITHUB_SERVER_URL"),
            var("GITHUB_REPOSITORY"),
            var("GITHUB_SHA"),
        ) {
            (Some(server), Some(repo), Some(sha)) => Some(format!(
                "{}/{}/blob/{}",
                server.trim_end_matches('/'),
                repo.trim_matches('/'),
                sha.trim()
            )),
            _ => None,
        };
        Input {
            rs,
            res,
            opts,
            color,
            repo_prefix: repo_prefix(&opts.walk.root, base.as_deref()),
            blob_base,
            triage: None,
        }
    }

    /// The baseline state of the `i`-th diagnostic, when a baseline was given.
    pub fn state(&self, i: usize) -> Option<crate::baseline::State> {
        self.triage.and_then(|t| t.state(i))
    }

    /// `path` (relative to the scanned root) relative to the repository instead.
    pub fn repo_path(&self, path: &str) -> String {
        format!("{}{}", self.repo_prefix, path)
    }
}

/// The one place that knows every format. Every renderer has the same signature,
/// `fn render(input: &Input) -> String`.
pub fn render(format: Format, cx: &Input) -> String {
    match format {
        Format::Text => text::render(cx),
        Format::Json => json::render(cx),
        Format::Github => github::render(cx),
        Format::Markdown => markdown::render(cx),
        Format::GithubOutput => github::render_outputs(cx),
        Format::Sarif => sarif::render(cx),
        Format::Html => html::render(cx),
    }
}

/// Parses one `--output FORMAT=FILE` value.
pub fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let names = || {
        Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((fmt, file)) = s.split_once('=') else {
        return Err(format!(
            "expected FORMAT=FILE, e.g. json=stackfit.json (formats: {})",
            names()
        ));
    };
    let format = Format::from_str(fmt.trim(), true)
        .map_err(|_| format!("unknown format `{fmt}` (formats: {})", names()))?;
    if file.is_empty() {
        return Err(format!("no file after `{fmt}=`"));
    }
    Ok((format, PathBuf::from(file)))
}

/// Renders `format` into `file`, creating its parent directories. Never coloured.
pub fn write_file(format: Format, cx: &Input, file: &Path) -> Result<(), String> {
    let plain = Input {
        color: false,
        repo_prefix: cx.repo_prefix.clone(),
        blob_base: cx.blob_base.clone(),
        ..*cx
    };
    let out = render(format, &plain);
    let mut f = AtomicFile::create(file)?;
    f.write_all(out.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
    f.commit()
}

/// A file written under a temporary name in its own directory, then renamed into place by
/// [`AtomicFile::commit`]: a reader (a dashboard polling the file) sees the old content or the
/// whole new one, never a part. Dropped without `commit`, the temporary file is removed.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    file: Option<std::fs::File>,
}

impl AtomicFile {
    /// Creates the temporary file beside `dest`, and `dest`'s parent directories.
    pub fn create(dest: &Path) -> Result<AtomicFile, String> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create directory `{}`: {e}", dir.display()))?;
        }
        let name = dest
            .file_name()
            .ok_or_else(|| format!("cannot write `{}`: not a file name", dest.display()))?;
        let tmp_name = format!(
            ".{}.{}-{}.tmp",
            name.to_string_lossy(),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let tmp = dir.map_or_else(|| PathBuf::from(&tmp_name), |d| d.join(&tmp_name));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            tmp,
            file: Some(file),
        })
    }

    /// Flushes the content to disk and renames the file into place.
    pub fn commit(mut self) -> Result<(), String> {
        let err = |e: std::io::Error| format!("cannot write `{}`: {e}", self.dest.display());
        if let Some(f) = self.file.take() {
            f.sync_all().map_err(err)?;
        }
        std::fs::rename(&self.tmp, &self.dest).map_err(err)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed, or the rename failed: leave no temporary file behind.
        if self.tmp.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The nearest directory at or above `root` that holds `.git`.
fn git_root(root: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(root).ok()?;
    abs.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The path of the scanned root relative to `base` (the workspace), as a prefix ending in `/`,
/// or "" when the root is the base itself or lies outside it. A file root counts as its parent
/// directory, because findings are then named by file name.
pub fn repo_prefix(root: &Path, base: Option<&Path>) -> String {
    let dir = if root.is_file() {
        root.parent().unwrap_or(Path::new(""))
    } else {
        root
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let rel = match (std::fs::canonicalize(dir), base.map(std::fs::canonicalize)) {
        (Ok(d), Some(Ok(b))) => d.strip_prefix(&b).ok().map(Path::to_path_buf),
        _ => None,
    };
    let rel = match rel {
        Some(r) => r,
        // Outside the workspace, or not resolvable: the root as given, if it is relative.
        None if dir.is_relative() => dir.to_path_buf(),
        None => return String::new(),
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_values() {
        assert_eq!(
            parse_output("json=out/a.json"),
            Ok((Format::Json, PathBuf::from("out/a.json")))
        );
        assert_eq!(
            parse_output("github-output=o.txt").map(|x| x.0),
            Ok(Format::GithubOutput)
        );
        assert_eq!(
            parse_output("markdown=a=b.md").map(|x| x.1),
            Ok(PathBuf::from("a=b.md"))
        );
        let e = parse_output("json").unwrap_err();
        assert!(e.contains("FORMAT=FILE"), "{e}");
        let e = parse_output("yaml=x").unwrap_err();
        assert!(
            e.contains("unknown format `yaml`") && e.contains("markdown"),
            "{e}"
        );
        assert!(parse_output("json=").is_err());
    }

    #[test]
    fn atomic_file_replaces_whole_or_not_at_all() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dest = tmp.path().join("out").join("r.json");
        let mut f = AtomicFile::create(&dest).unwrap_or_else(|e| panic!("{e}"));
        f.write_all(b"new").unwrap_or_else(|e| panic!("{e}"));
        // Before the commit the destination does not exist yet.
        assert!(!dest.exists());
        f.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&dest).ok().as_deref(), Some("new"));
        // Dropped without a commit: the old content stays and no temporary file is left.
        let mut g = AtomicFile::create(&dest).unwrap_or_else(|e| panic!("{e}"));
        g.write_all(b"half").unwrap_or_else(|e| panic!("{e}"));
        drop(g);
        assert_eq!(std::fs::read_to_string(&dest).ok().as_deref(), Some("new"));
        let left: Vec<_> = std::fs::read_dir(dest.parent().unwrap_or(tmp.path()))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("r.json")]);
    }

    #[test]
    fn prefixes() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ws = tmp.path();
        let svc = ws.join("services").join("api");
        std::fs::create_dir_all(&svc).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(svc.join("app.py"), "x = 1\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(repo_prefix(ws, Some(ws)), "");
        assert_eq!(repo_prefix(&svc, Some(ws)), "services/api/");
        assert_eq!(repo_prefix(&svc.join("app.py"), Some(ws)), "services/api/");
        // Outside the workspace and absolute: no prefix.
        assert_eq!(repo_prefix(ws, Some(&svc)), "");
    }
}
