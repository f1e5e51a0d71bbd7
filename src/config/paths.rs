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
///
/// A matcher may hold the globs of several config files (a nested config's `exclude` joins the
/// root's), each part anchored at its own file's directory.
#[derive(Debug, Clone)]
pub struct PathMatcher {
    parts: Vec<Part>,
}

/// The globs of one config entry and how scan-relative paths reach its base directory.
#[derive(Debug, Clone)]
struct Part {
    set: GlobSet,
    /// The scanned root relative to the base (`"services/api/"`), prepended to scan-relative paths.
    prefix: String,
    /// The base relative to the scanned root (`"web/"`, a nested config): only paths under it
    /// match, with it taken off.
    strip: String,
}

impl Part {
    fn is_match(&self, rel: &str) -> bool {
        let rel = if self.strip.is_empty() {
            rel
        } else {
            match rel.strip_prefix(self.strip.as_str()) {
                Some(r) => r,
                None => return false,
            }
        };
        if self.prefix.is_empty() {
            self.set.is_match(rel)
        } else {
            self.set.is_match(format!("{}{rel}", self.prefix))
        }
    }
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
        Ok(PathMatcher::of(set))
    }

    fn of(set: GlobSet) -> PathMatcher {
        PathMatcher {
            parts: vec![Part {
                set,
                prefix: String::new(),
                strip: String::new(),
            }],
        }
    }

    /// Every path under the base (a nested config's own severities).
    pub(super) fn everything() -> PathMatcher {
        let mut b = GlobSetBuilder::new();
        if let Ok(g) = GlobBuilder::new("**").build() {
            b.add(g);
        }
        PathMatcher::of(b.build().unwrap_or_else(|_| GlobSet::empty()))
    }

    /// Whether a path relative to the scanned root matches.
    pub fn is_match(&self, rel: &str) -> bool {
        self.parts.iter().any(|p| p.is_match(rel))
    }

    fn bind(&mut self, anchor: &Anchor) {
        for p in &mut self.parts {
            p.prefix.clone_from(&anchor.prefix);
            p.strip.clone_from(&anchor.strip);
        }
    }

    /// Adds `other`'s globs, each part keeping its own anchoring.
    pub(super) fn join(&mut self, other: PathMatcher) {
        self.parts.extend(other.parts);
    }
}

/// How scan-relative paths reach a config's directory: see `Part`.
#[derive(Debug, Default)]
struct Anchor {
    prefix: String,
    strip: String,
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
    /// globs to the config's directory (above the root, or below it for a nested config).
    pub fn bind_root(&mut self, root: &Path) {
        let anchor = self.anchor_for(root);
        if let Some(ex) = &mut self.exclude {
            ex.bind(&anchor);
        }
        for o in &mut self.overrides {
            o.paths.bind(&anchor);
        }
    }

    fn anchor_for(&self, root: &Path) -> Anchor {
        let Ok(abs) = std::fs::canonicalize(root) else {
            return Anchor::default();
        };
        let dir = if abs.is_file() {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            abs
        };
        let slashed = |p: &Path| format!("{}/", p.to_string_lossy().replace('\\', "/"));
        if let Ok(rel) = dir.strip_prefix(&self.base) {
            if !rel.as_os_str().is_empty() {
                return Anchor {
                    prefix: slashed(rel),
                    strip: String::new(),
                };
            }
        } else if let Ok(rel) = self.base.strip_prefix(&dir) {
            return Anchor {
                prefix: String::new(),
                strip: slashed(rel),
            };
        }
        Anchor::default()
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
