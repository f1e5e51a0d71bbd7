//! Nested configs, as ruff has them: a `stackfit.toml` (or a `pyproject.toml` with
//! `[tool.stackfit]`) in a sub-directory of the scanned root applies to that sub-tree. The
//! closest config wins for its files, whole (no merging with the configs above it): rule
//! selection, `[lint] classes`, `[severity]`, `[[overrides]]`, with globs relative to its own
//! directory. Its `exclude` adds to the root's (a path excluded above stays excluded). The
//! repository-level parts (`fail-on`, `[weights]`, the verdict and SF001) are the root
//! config's; in a nested config they are read, checked and not used.
use super::paths::{Override, PathMatcher};
use super::Config;
use crate::rules::Ruleset;
use std::path::{Path, PathBuf};

/// A config below the root and the directory it covers.
#[derive(Debug, Clone)]
pub(super) struct Nested {
    /// Its directory relative to the scanned root, ending in `/` (`"web/"`).
    dir: String,
    cfg: Config,
}

impl Config {
    /// Loads the configs found below `root` (`(directory relative to root, file)`, from
    /// `walk::nested_configs`). Call before `apply_to`: a nested config's severities are
    /// worked out against the rules' own defaults, not the root config's changes. `Err` names
    /// the file, line and key, as for the root config.
    pub fn add_nested(
        &mut self,
        found: &[(String, PathBuf)],
        root: &Path,
        rs: &Ruleset,
    ) -> Result<(), String> {
        for (dir, file) in found {
            let mut cfg = Config::load(file, rs)?;
            // The rules' defaults for what the root config changed, then its own severities.
            let mut severity: Vec<(String, crate::rules::Severity)> = self
                .severity
                .iter()
                .filter(|(c, _)| !cfg.severity.iter().any(|(k, _)| k == c))
                .filter_map(|(c, _)| rs.rule_index(c).map(|i| (c.clone(), rs.rules[i].severity)))
                .collect();
            severity.extend(cfg.severity.iter().cloned());
            if !severity.is_empty() {
                cfg.overrides.insert(
                    0,
                    Override {
                        paths: PathMatcher::everything(),
                        ignore: Vec::new(),
                        severity,
                    },
                );
            }
            cfg.bind_root(root);
            if let Some(ex) = cfg.exclude.take() {
                match &mut self.exclude {
                    Some(mine) => mine.join(ex),
                    None => self.exclude = Some(ex),
                }
            }
            let dir = format!("{}/", dir.trim_end_matches('/'));
            self.nested.push(Nested { dir, cfg });
        }
        self.nested
            .sort_by(|a, b| b.dir.len().cmp(&a.dir.len()).then(a.dir.cmp(&b.dir)));
        Ok(())
    }

    /// Whether any nested config applies.
    pub fn has_nested(&self) -> bool {
        !self.nested.is_empty()
    }

    /// The config for a path relative to the scanned root, with an id: 0 for this one, `i + 1`
    /// for the `i`-th nested one.
    pub fn closest(&self, rel: &str) -> (usize, &Config) {
        self.nested
            .iter()
            .enumerate()
            .find(|(_, n)| rel.starts_with(n.dir.as_str()))
            .map_or((0, self), |(i, n)| (i + 1, &n.cfg))
    }

    /// The config with an id from `closest`.
    pub fn by_id(&self, id: usize) -> &Config {
        id.checked_sub(1)
            .and_then(|i| self.nested.get(i))
            .map_or(self, |n| &n.cfg)
    }
}
