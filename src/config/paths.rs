//! Which files a config entry covers: `exclude` globs and the `paths` of `[[overrides]]`, how
//! they are anchored to the config file's directory and to the scanned root, and what the
//! overrides that match one file change for it.
use super::{matches_code, Config};
use crate::rules::Severity;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;
use toml::Spanned;

/// Paths matched by globs written relative to a base directory. A glob without `/` matches a
/// file or directory name anywhere (`vendor`, `*.min.js`); one with `/` is anchored at the base
/// (`src/gen/**`, `/build`). A directory that matches covers everything under it.
#[derive(Debug, Clone)]
pub struct PathMatcher {
    set: GlobSet,
    /// The scanned root relative to the base (`"services/api/"`), prepended to scan-relative paths.
    prefix: String,
}

impl PathMatcher {
    pub(super) fn new(
        globs: &[Spanned<String>],
        err: &dyn Fn(&Spanned<String>, String) -> String,
    ) -> Result<PathMatcher, String> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            let raw = g.get_ref().trim();
            let pat = raw.trim_start_matches("./");
            let anchored = pat.trim_end_matches('/').contains('/');
            let pat = pat.trim_start_matches('/').trim_end_matches('/');
            if pat.is_empty() {
                return Err(err(g, "an empty glob matches nothing".into()));
            }
            let forms = if anchored {
                vec![pat.to_string(), format!("{pat}/**")]
            } else {
                vec![format!("**/{pat}"), format!("**/{pat}/**")]
            };
            for f in forms {
                let glob = GlobBuilder::new(&f)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| err(g, format!("bad glob `{raw}`: {}", e.kind())))?;
                b.add(glob);
            }
        }
        let set = b.build().map_err(|e| e.to_string())?;
        Ok(PathMatcher {
            set,
            prefix: String::new(),
        })
    }

    /// Whether a path relative to the scanned root matches.
    pub fn is_match(&self, rel: &str) -> bool {
        if self.prefix.is_empty() {
            self.set.is_match(rel)
        } else {
            self.set.is_match(format!("{}{rel}", self.prefix))
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Override {
    pub(super) paths: PathMatcher,
    pub(super) ignore: Vec<String>,
    pub(super) severity: Vec<(String, Severity)>,
}

/// What applies to one file: extra ignored codes and severity changes, from `[[overrides]]`.
#[derive(Debug, Default)]
pub struct PathRules<'a> {
    ignore: Vec<&'a str>,
    severity: Vec<(&'a str, Severity)>,
}

impl PathRules<'_> {
    pub fn ignores(&self, code: &str) -> bool {
        self.ignore.iter().any(|p| matches_code(p, code))
    }
    pub fn severity(&self, code: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .rev()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or(default, |(_, s)| *s)
    }
}

impl Config {
    /// Anchors the config's globs for a scan of `root`: paths in the scan are relative to it,
    /// globs to the config's directory.
    pub fn bind_root(&mut self, root: &Path) {
        let prefix = self.prefix_for(root);
        if let Some(ex) = &mut self.exclude {
            ex.prefix = prefix.clone();
        }
        for o in &mut self.overrides {
            o.paths.prefix = prefix.clone();
        }
    }

    fn prefix_for(&self, root: &Path) -> String {
        let Ok(abs) = std::fs::canonicalize(root) else {
            return String::new();
        };
        let dir = if abs.is_file() {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            abs
        };
        match dir.strip_prefix(&self.base) {
            Ok(rel) if !rel.as_os_str().is_empty() => {
                format!("{}/", rel.to_string_lossy().replace('\\', "/"))
            }
            _ => String::new(),
        }
    }

    /// The `[[overrides]]` that apply to a path relative to the scanned root.
    pub fn for_path(&self, rel: &str) -> PathRules<'_> {
        let mut out = PathRules::default();
        for o in &self.overrides {
            if o.paths.is_match(rel) {
                out.ignore.extend(o.ignore.iter().map(String::as_str));
                out.severity
                    .extend(o.severity.iter().map(|(c, s)| (c.as_str(), *s)));
            }
        }
        out
    }

    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }
}
