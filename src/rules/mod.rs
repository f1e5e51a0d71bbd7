//! The rules as data. Everything stackfit knows about workloads lives under `queries/`:
//! `model.toml` (traits, their weights and the verdict thresholds), `libraries.toml` (one entry
//! per library: import names, npm and PyPI package names, trait), `rules/<CODE>.toml` (each
//! rule's metadata and documentation) and `<language>/<CODE>.scm` (its tree-sitter patterns).
//! This module loads and checks that data once (`load`) and compiles each grammar's patterns
//! into one `kind_id`-dispatched matcher (`compile`, `pattern`, `matcher`), which every scanning
//! thread then shares read-only.
pub mod anchors;
mod compile;
pub mod docs;
mod load;
pub mod matcher;
mod metadata;
mod model;
mod names;
pub mod pattern;
mod vocabulary;

pub use compile::{CompiledLang, PatternRole};
pub use metadata::{MetaField, MetaMatch, Metadata, Registry};
pub use model::*;
pub use names::{normalize_pypi, npm_package_of};
pub use vocabulary::{TermRef, Vocabulary, VocabularyEntry, WordSplit};

use crate::finding::FileClass;
use crate::lang::Lang;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

pub struct Ruleset {
    pub scoring: Scoring,
    pub traits: Vec<TraitDef>,
    pub rules: Vec<Rule>,
    pub libraries: Vec<Library>,
    /// The vocabulary of declared metadata (`metadata.toml`).
    pub metadata: Metadata,
    /// Domain terms of the vocabulary rules (`queries/vocabulary.toml`).
    pub vocabulary: Vocabulary,
    python_modules: HashMap<String, usize>,
    npm_exact: HashMap<String, usize>,
    npm_prefix: Vec<(String, usize)>,
    pypi: HashMap<String, usize>,
    /// Import rule per trait id: where an import of a library of that trait is reported.
    import_rule: HashMap<String, usize>,
    manifest_rule: HashMap<String, usize>,
    /// The query sources, kept so each grammar's combined query is compiled on first use.
    files: Vec<(String, String)>,
    /// One combined query per grammar, compiled once on first use and shared by all threads.
    compiled: Vec<OnceLock<Result<Option<CompiledLang>, LoadError>>>,
    path_classes: Vec<(globset::GlobSet, FileClass)>,
    pub classes: Classes,
}

#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Ruleset {
    /// Compiles every grammar's query now, reporting the first error (for `--rules-dir`).
    pub fn compile_all(&self) -> Result<(), LoadError> {
        for lang in Lang::ALL {
            self.try_compiled(lang)?;
        }
        Ok(())
    }

    /// The combined query for a grammar (compiled on first call), or `None` if it has none
    /// or it failed to compile (`compile_all` reports why).
    #[cfg(test)]
    pub fn compiled(&self, lang: Lang) -> Option<&CompiledLang> {
        self.try_compiled(lang).ok().flatten()
    }

    pub fn try_compiled(&self, lang: Lang) -> Result<Option<&CompiledLang>, LoadError> {
        let cell = &self.compiled[lang.index()];
        match cell.get_or_init(|| self.compile(lang, &self.files)) {
            Ok(c) => Ok(c.as_ref()),
            Err(e) => Err(LoadError(e.0.clone())),
        }
    }

    /// A file's class from its path alone (`[[classes.path]]` in model.toml, first match
    /// wins; product otherwise). `classify::shape` may then promote a class to product.
    pub fn path_class(&self, rel_path: &str) -> FileClass {
        self.path_classes
            .iter()
            .find(|(set, _)| set.is_match(rel_path))
            .map_or(FileClass::Product, |(_, c)| *c)
    }

    /// The grammars a rule has patterns for ("python", "javascript", "typescript"), from the
    /// query files present (a javascript/ file also serves TypeScript).
    pub fn languages_of(&self, rule: &Rule) -> Vec<&'static str> {
        let stem = rule.patterns.as_deref().unwrap_or(&rule.code);
        let stem = if rule.source == Source::Vocabulary {
            "definitions"
        } else {
            stem
        };
        let has = |dir: &str| {
            let name = format!("{dir}/{stem}.scm");
            self.files.iter().any(|(p, _)| *p == name)
        };
        let mut out = Vec::new();
        if rule.source == Source::Import || rule.source == Source::Manifest {
            return vec!["python", "javascript", "typescript"];
        }
        if has("python") {
            out.push("python");
        }
        if has("javascript") {
            out.push("javascript");
        }
        if has("javascript") || has("typescript") || has("tsx") {
            out.push("typescript");
        }
        out
    }

    pub fn trait_def(&self, id: &str) -> Option<&TraitDef> {
        self.traits.iter().find(|t| t.id == id)
    }

    pub fn rule_index(&self, code: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(code))
    }

    pub fn import_rule_for(&self, trait_id: &str) -> Option<usize> {
        self.import_rule.get(trait_id).copied()
    }

    pub fn manifest_rule_for(&self, trait_id: &str) -> Option<usize> {
        self.manifest_rule.get(trait_id).copied()
    }

    /// The library a Python import names: the longest dotted prefix in the table.
    pub fn library_for_python(&self, module: &str) -> Option<usize> {
        let mut m = module;
        loop {
            if let Some(&i) = self.python_modules.get(m) {
                return Some(i);
            }
            m = m.rsplit_once('.')?.0;
        }
    }

    /// The library an npm import specifier names.
    pub fn library_for_npm(&self, spec: &str) -> Option<usize> {
        let pkg = npm_package_of(spec)?;
        if let Some(&i) = self.npm_exact.get(pkg) {
            return Some(i);
        }
        self.npm_prefix
            .iter()
            .find(|(p, _)| pkg.starts_with(p.as_str()))
            .map(|(_, i)| *i)
    }

    /// The library a PyPI distribution name names.
    pub fn library_for_pypi(&self, dist: &str) -> Option<usize> {
        self.pypi.get(&normalize_pypi(dist)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load_and_compile() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        rs.compile_all().unwrap_or_else(|e| panic!("{e}"));
        assert!(rs.rules.len() >= 20);
        for lang in Lang::ALL {
            assert!(rs.compiled(lang).is_some(), "{lang:?} has no queries");
        }
        // every trait of the fit model has an import rule and at least one library
        for t in &rs.traits {
            assert!(
                rs.import_rule_for(&t.id).is_some(),
                "no import rule for {}",
                t.id
            );
            assert!(
                rs.libraries.iter().any(|l| l.trait_id == t.id),
                "no library for {}",
                t.id
            );
        }
    }

    #[test]
    fn library_lookup() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let name = |i: Option<usize>| i.map(|i| rs.libraries[i].name.clone());
        assert_eq!(
            name(rs.library_for_python("sklearn.ensemble")).as_deref(),
            Some("scikit-learn")
        );
        assert_eq!(
            name(rs.library_for_python("paho.mqtt.client")).as_deref(),
            Some("MQTT")
        );
        assert_eq!(name(rs.library_for_python("socketserver")), None);
        assert_eq!(
            name(rs.library_for_npm("socket.io-client/dist/x")).as_deref(),
            Some("socket.io")
        );
        assert_eq!(
            name(rs.library_for_npm("@tensorflow/tfjs-node")).as_deref(),
            Some("tensorflow.js")
        );
        assert_eq!(name(rs.library_for_npm("./ws")), None);
        assert_eq!(
            name(rs.library_for_pypi("Scikit_Learn")).as_deref(),
            Some("scikit-learn")
        );
    }

    #[test]
    fn npm_package_names() {
        assert_eq!(npm_package_of("@scope/pkg/sub/x.js"), Some("@scope/pkg"));
        assert_eq!(npm_package_of("node:events"), Some("events"));
        assert_eq!(npm_package_of("lodash/fp"), Some("lodash"));
        assert_eq!(npm_package_of("../x"), None);
        assert_eq!(npm_package_of("https://esm.sh/react"), None);
        assert_eq!(normalize_pypi("Flask_SocketIO"), "flask-socketio");
        assert_eq!(normalize_pypi("zope.interface"), "zope-interface");
    }
}

#[cfg(test)]
mod path_class_tests {
    use super::*;

    #[test]
    fn files_are_classed_by_path() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let cases = [
            ("src/app.py", FileClass::Product),
            ("lib/index.js", FileClass::Product),
            ("examples/videostream-cli/cli.py", FileClass::Example),
            ("pkg/docs/conf.py", FileClass::Docs),
            ("docs/conf.py", FileClass::Docs),
            ("website/src/pages/index.js", FileClass::Docs),
            ("tests/test_x.py", FileClass::Test),
            ("src/x.test.ts", FileClass::Test),
            ("test/fixtures/app.js", FileClass::Test),
            ("src/contest.py", FileClass::Product),
            ("benchmarks/run.py", FileClass::Bench),
            ("scripts/release.js", FileClass::Build),
            ("webpack.config.js", FileClass::Build),
            ("noxfile.py", FileClass::Build),
            (".github/scripts/check.py", FileClass::Build),
            ("tools/gen.py", FileClass::Tooling),
            (".eslintrc.js", FileClass::Tooling),
        ];
        for (path, want) in cases {
            assert_eq!(rs.path_class(path), want, "{path}");
        }
    }
}
