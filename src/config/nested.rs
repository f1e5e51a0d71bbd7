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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn rs() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    fn write(p: &Path, text: &str) {
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn closest_wins_and_excludes_add_up() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(
            &root.join("stackfit.toml"),
            "exclude = [\"gen\"]\n[severity]\nSF221 = \"error\"\n",
        );
        write(
            &root.join("web/stackfit.toml"),
            "ignore = [\"SF241\"]\nexclude = [\"legacy/**\"]\n[severity]\nSF220 = \"note\"\n",
        );
        write(
            &root.join("web/app/stackfit.toml"),
            "select = [\"SF241\"]\n",
        );
        let rs = rs();
        let mut cfg =
            Config::load(&root.join("stackfit.toml"), &rs).unwrap_or_else(|e| panic!("{e}"));
        cfg.bind_root(root);
        let found = vec![
            ("web".to_string(), root.join("web/stackfit.toml")),
            ("web/app".to_string(), root.join("web/app/stackfit.toml")),
        ];
        cfg.add_nested(&found, root, &rs)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(cfg.has_nested());
        assert_eq!(cfg.closest("top.js").0, 0);
        assert_eq!(cfg.closest("web/x.js").0, cfg.closest("web/lib/y.js").0);
        let (app, app_cfg) = cfg.closest("web/app/z.js");
        assert!(
            app > 0 && app_cfg.enabled("SF241"),
            "the deepest config wins"
        );
        let (_, web) = cfg.closest("web/x.js");
        assert!(!web.enabled("SF241") && web.enabled("SF221"));
        assert!(
            cfg.closest("webby/x.js").1.enabled("SF241"),
            "a name prefix is not a dir"
        );
        // Severities: its own, and the rule's default for what the root changed.
        let p = web.for_path("web/x.js");
        assert_eq!(p.severity("SF220", Severity::Warning), Severity::Note);
        assert_eq!(p.severity("SF221", Severity::Error), Severity::Warning);
        // Excludes: the root's anywhere, web's relative to web/.
        let ex = cfg.exclude.as_ref().unwrap_or_else(|| panic!("no exclude"));
        assert!(ex.is_match("gen") && ex.is_match("web/gen"));
        assert!(ex.is_match("web/legacy/old.js"));
        assert!(
            !ex.is_match("legacy/old.js"),
            "web's glob is anchored at web/"
        );
        assert_eq!(cfg.by_id(app).enabled("SF241"), app_cfg.enabled("SF241"));
        assert!(cfg.by_id(0).enabled("SF241"));
    }

    #[test]
    fn a_broken_nested_config_names_its_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(
            &root.join("svc/stackfit.toml"),
            "[lint]\nclasses = [\"prod\"]\n",
        );
        let mut cfg = Config::default();
        let found = vec![("svc".to_string(), root.join("svc/stackfit.toml"))];
        let e = cfg
            .add_nested(&found, root, &rs())
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("svc/stackfit.toml:2:") && e.contains("prod"),
            "{e}"
        );
    }
}
