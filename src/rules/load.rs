//! Loading the rule set: the embedded `queries/` tree or a `--rules-dir` copy, deserialised and
//! then checked as a whole (unknown traits, duplicate codes, rules sharing a library, missing
//! fix hints), so a broken rule file is an error that names the file, never a silent gap.
use super::metadata::Metadata;
use super::model::{Library, LibraryFile, ModelFile, Rule, RuleKind, Source};
use super::names::normalize_pypi;
use super::{LoadError, Ruleset};
use crate::lang::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

pub(super) mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_queries.rs"));
}

/// `requires_within` says where a rule's `requires` words are, so it needs some.
fn check_requires(r: &Rule) -> Result<(), LoadError> {
    if r.requires_within.is_some() && r.requires.is_empty() {
        return Err(LoadError(format!(
            "queries/rules/{}.toml: `requires_within` names where the `requires` words are, but `requires` is empty",
            r.code
        )));
    }
    Ok(())
}

impl Ruleset {
    /// The rules compiled into this binary.
    pub fn embedded() -> Result<Ruleset, LoadError> {
        let files: Vec<(String, String)> = embedded::FILES
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect();
        Ruleset::from_files(&files)
    }

    /// Rules read from a directory laid out like `queries/` (for developing rules).
    pub fn from_dir(dir: &std::path::Path) -> Result<Ruleset, LoadError> {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let rd = std::fs::read_dir(&d).map_err(|e| {
                LoadError(format!("{}: cannot read rules directory: {e}", d.display()))
            })?;
            for entry in rd.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "scm")) {
                    let text = std::fs::read_to_string(&p)
                        .map_err(|e| LoadError(format!("{}: {e}", p.display())))?;
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.push((rel, text));
                }
            }
        }
        files.sort();
        Ruleset::from_files(&files)
    }

    pub fn from_files(files: &[(String, String)]) -> Result<Ruleset, LoadError> {
        let get = |name: &str| {
            files
                .iter()
                .find(|(p, _)| p == name)
                .map(|(_, s)| s.as_str())
                .ok_or_else(|| LoadError(format!("queries/{name} is missing")))
        };
        let model: ModelFile = toml::from_str(get("model.toml")?)
            .map_err(|e| LoadError(format!("queries/model.toml: {e}")))?;
        let libs: LibraryFile = toml::from_str(get("libraries.toml")?)
            .map_err(|e| LoadError(format!("queries/libraries.toml: {e}")))?;

        let mut rules = Vec::new();
        for (path, text) in files {
            if path.starts_with("rules/") && path.ends_with(".toml") {
                let rule: Rule =
                    toml::from_str(text).map_err(|e| LoadError(format!("queries/{path}: {e}")))?;
                let stem = path.trim_start_matches("rules/").trim_end_matches(".toml");
                if stem != rule.code {
                    return Err(LoadError(format!(
                        "queries/{path}: file name must be the rule code `{}`",
                        rule.code
                    )));
                }
                rules.push(rule);
            }
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        let metadata = Metadata::load(get("metadata.toml")?, &rules, &model.traits)?;
        let vocabulary = super::vocabulary::Vocabulary::build(
            files
                .iter()
                .find(|(p, _)| p == "vocabulary.toml")
                .map(|(_, s)| s.as_str()),
            &rules,
        )?;

        let mut rs = Ruleset {
            scoring: model.scoring,
            traits: model.traits,
            rules,
            libraries: libs.library,
            metadata,
            vocabulary,
            python_modules: HashMap::new(),
            npm_exact: HashMap::new(),
            npm_prefix: Vec::new(),
            pypi: HashMap::new(),
            import_rule: HashMap::new(),
            manifest_rule: HashMap::new(),
            files: files.to_vec(),
            compiled: Lang::ALL.iter().map(|_| OnceLock::new()).collect(),
            path_classes: Vec::new(),
            classes: model.classes.clone(),
        };
        for cp in &model.classes.path {
            let mut b = globset::GlobSetBuilder::new();
            for g in &cp.globs {
                let glob = globset::Glob::new(g).map_err(|e| {
                    LoadError(format!("queries/model.toml: classes.path glob `{g}`: {e}"))
                })?;
                b.add(glob);
            }
            let set = b
                .build()
                .map_err(|e| LoadError(format!("queries/model.toml: classes.path: {e}")))?;
            rs.path_classes.push((set, cp.class));
        }
        rs.validate()?;
        rs.index_libraries()?;
        Ok(rs)
    }

    fn validate(&mut self) -> Result<(), LoadError> {
        let mut seen = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            if seen.insert(r.code.clone(), i).is_some() {
                return Err(LoadError(format!("rule {} is defined twice", r.code)));
            }
            check_requires(r)?;
            if r.kind == RuleKind::Signal {
                let t = self.trait_def(&r.trait_id).ok_or_else(|| {
                    LoadError(format!(
                        "queries/rules/{}.toml: unknown trait `{}`",
                        r.code, r.trait_id
                    ))
                })?;
                if r.evidence.is_none() {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: a signal rule needs `evidence = \"domain\"` or `evidence = \"generic\"`",
                        r.code
                    )));
                }
                if t.profile != r.profile {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: profile `{}` but trait {} is `{}`",
                        r.code,
                        r.profile.as_str(),
                        t.id,
                        t.profile.as_str()
                    )));
                }
            }
            if let Some(p) = &r.patterns {
                if !self
                    .rules
                    .iter()
                    .any(|o| &o.code == p && o.patterns.is_none())
                {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: `patterns = \"{p}\"` names no rule with patterns of its own",
                        r.code
                    )));
                }
            }
            for c in r.calls.iter().chain(&r.free_calls) {
                if c.is_empty() || c.chars().any(char::is_whitespace) {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: bad call name `{c}`",
                        r.code
                    )));
                }
            }
            if r.kind != RuleKind::Signal && r.fix.as_deref().map_or(true, |f| f.trim().is_empty())
            {
                return Err(LoadError(format!(
                    "queries/rules/{}.toml: a {} rule needs a `fix` hint",
                    r.code,
                    if r.kind == RuleKind::Friction {
                        "friction"
                    } else {
                        "repo"
                    }
                )));
            }
            let map = match r.source {
                Source::Import => Some(&mut self.import_rule),
                Source::Manifest => Some(&mut self.manifest_rule),
                _ => None,
            };
            if let Some(map) = map {
                if let Some(prev) = map.insert(r.trait_id.clone(), i) {
                    return Err(LoadError(format!(
                        "rules {} and {} both take {:?} evidence for trait {}",
                        self.rules[prev].code, r.code, r.source, r.trait_id
                    )));
                }
            }
        }
        Ok(())
    }

    fn index_libraries(&mut self) -> Result<(), LoadError> {
        for (i, lib) in self.libraries.iter().enumerate() {
            if self.trait_def(&lib.trait_id).is_none() {
                return Err(LoadError(format!(
                    "queries/libraries.toml: library `{}` has unknown trait `{}`",
                    lib.name, lib.trait_id
                )));
            }
            if !self.import_rule.contains_key(&lib.trait_id) {
                return Err(LoadError(format!(
                    "queries/libraries.toml: library `{}`: no import rule takes trait {}",
                    lib.name, lib.trait_id
                )));
            }
            let dup = |what: &str, key: &str, prev: usize, libs: &[Library]| {
                LoadError(format!(
                    "queries/libraries.toml: {what} `{key}` is listed by both `{}` and `{}`",
                    libs[prev].name, lib.name
                ))
            };
            for m in &lib.python {
                if let Some(p) = self.python_modules.insert(m.clone(), i) {
                    return Err(dup("python module", m, p, &self.libraries));
                }
            }
            for n in &lib.npm {
                if let Some(prefix) = n.strip_suffix('*') {
                    self.npm_prefix.push((prefix.to_string(), i));
                } else if let Some(p) = self.npm_exact.insert(n.clone(), i) {
                    return Err(dup("npm package", n, p, &self.libraries));
                }
            }
            for n in &lib.pypi {
                if let Some(p) = self.pypi.insert(normalize_pypi(n), i) {
                    return Err(dup("PyPI package", n, p, &self.libraries));
                }
            }
        }
        Ok(())
    }
}
