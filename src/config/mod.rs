//! Project configuration: what a team decides once and commits, so CI and every developer run
//! the same linter. Read from `stackfit.toml` or from `[tool.stackfit]` in `pyproject.toml`,
//! found by walking up from the scanned path (the nearest directory that has either wins;
//! `stackfit.toml` first), or from the file `--config` names. Configs in sub-directories of
//! the scanned root apply to their sub-trees (`nested`).
//!
//! ```toml
//! select = ["SF2", "SF001"]          # rules to run: codes or prefixes (default: all)
//! ignore = ["SF211"]                 # rules not to run; the longer match of select/ignore wins
//! exclude = ["vendor", "scripts/**"] # paths not scanned (globs, relative to this file)
//! fail-on = "warning"                # none | note | warning | error (default: error)
//!
//! [severity]                         # per-rule severity
//! SF241 = "error"
//!
//! [weights.traits]                   # how much a saturated trait adds to its profile
//! N7 = 0.3
//! [weights.rules]                    # evidence per match of a signal rule
//! SF111 = 0.2
//!
//! [lint]                             # which file classes friction rules (F1–F4) judge
//! classes = ["product", "test"]      # default ["product"]; the rest are counted, not shown
//!
//! [[overrides]]                      # per-path changes, later entries win
//! paths = ["tests/**", "**/*.test.js"]
//! ignore = ["SF221", "SF241"]
//! severity = { SF220 = "note" }
//! ```
//!
//! Unknown keys and bad values are errors naming the file, line and key: a typo in a linter's
//! config must not silently turn a rule off.
mod errors;
mod nested;
mod paths;

pub use paths::{PathMatcher, PathRules};

use crate::finding::FileClass;
use crate::rules::{Ruleset, Severity};
use clap::ValueEnum;
use errors::{line_col, toml_error, SpanLike};
use paths::Override;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// `--fail-on` / `fail-on`: the lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Never fail because of diagnostics.
    None,
    /// Fail on any diagnostic.
    Note,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on errors only (the default).
    #[default]
    Error,
}

impl FailOn {
    /// Whether a diagnostic of this severity makes the run fail.
    pub fn trips(self, s: Severity) -> bool {
        match self {
            FailOn::None => false,
            FailOn::Note => true,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Error => s >= Severity::Error,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<FailOn>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<Severity>>>,
    weights: Option<RawWeights>,
    lint: Option<RawLint>,
    overrides: Option<Vec<Spanned<RawOverride>>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLint {
    classes: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    traits: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<Severity>>>,
}

#[derive(Debug, Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Debug, Deserialize)]
struct PyTool {
    stackfit: Option<RawConfig>,
}

/// A loaded, validated configuration. `Config::default()` is "no config file".
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from.
    pub source: Option<PathBuf>,
    /// The directory its globs are relative to.
    base: PathBuf,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    pub exclude: Option<PathMatcher>,
    pub fail_on: Option<FailOn>,
    severity: Vec<(String, Severity)>,
    trait_weights: Vec<(String, f64)>,
    rule_weights: Vec<(String, f64)>,
    overrides: Vec<Override>,
    /// `[lint] classes`: the file classes friction rules judge; `None` is product only.
    lint_classes: Option<Vec<FileClass>>,
    /// Configs of sub-directories of the scanned root (`nested`), deepest first.
    nested: Vec<nested::Nested>,
}

/// A selector matches a code it is a prefix of (`SF2` matches `SF221`; `SF221` matches itself).
fn matches_code(selector: &str, code: &str) -> bool {
    code.len() >= selector.len() && code[..selector.len()].eq_ignore_ascii_case(selector)
}

impl Config {
    /// Finds the config for a scan of `start`: the nearest directory at or above it with a
    /// `stackfit.toml`, or a `pyproject.toml` that has a `[tool.stackfit]` table.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let abs = std::fs::canonicalize(start).ok()?;
        let mut dir = if abs.is_file() {
            abs.parent()?.to_path_buf()
        } else {
            abs
        };
        loop {
            if let Some(found) = Config::in_dir(&dir) {
                return Some(found);
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    /// The config file of one directory: its `stackfit.toml`, else its `pyproject.toml` if
    /// that has a `[tool.stackfit]` table.
    pub fn in_dir(dir: &Path) -> Option<PathBuf> {
        let own = dir.join("stackfit.toml");
        if own.is_file() {
            return Some(own);
        }
        let py = dir.join("pyproject.toml");
        if py.is_file() {
            let text = std::fs::read_to_string(&py).unwrap_or_default();
            if text.contains("tool.stackfit") {
                return Some(py);
            }
        }
        None
    }

    /// Reads and validates a config file against the rules it will configure.
    pub fn load(path: &Path, rs: &Ruleset) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read config: {e}", path.display()))?;
        let shown = path.display().to_string();
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let raw = if is_pyproject {
            let py: PyProject = toml::from_str(&text).map_err(|e| toml_error(&shown, &text, &e))?;
            py.tool.and_then(|t| t.stackfit).unwrap_or_default()
        } else {
            toml::from_str::<RawConfig>(&text).map_err(|e| toml_error(&shown, &text, &e))?
        };
        let base = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let mut cfg = Config::from_raw(raw, rs, &shown, &text)?;
        cfg.source = Some(path.to_path_buf());
        cfg.base = base;
        Ok(cfg)
    }

    /// Parses config text; `name` is used in messages.
    #[cfg(test)]
    pub fn parse(text: &str, name: &str, rs: &Ruleset) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
        Config::from_raw(raw, rs, name, text)
    }

    fn from_raw(raw: RawConfig, rs: &Ruleset, name: &str, text: &str) -> Result<Config, String> {
        let ck = Checker { rs, name, text };
        let mut cfg = Config {
            select: match &raw.select {
                Some(_) => Some(ck.selectors(&raw.select, "select")?),
                None => None,
            },
            ignore: ck.selectors(&raw.ignore, "ignore")?,
            fail_on: raw.fail_on.map(|f| *f.get_ref()),
            severity: ck.severities(&raw.severity, "severity")?,
            ..Config::default()
        };
        if let Some(ex) = &raw.exclude {
            cfg.exclude = Some(PathMatcher::new(ex, &|s, m| ck.err(s, "exclude", m))?);
        }
        if let Some(classes) = raw.lint.as_ref().and_then(|l| l.classes.as_ref()) {
            cfg.lint_classes = Some(ck.classes(classes)?);
        }
        if let Some(w) = &raw.weights {
            cfg.trait_weights = ck.trait_weights(w)?;
            cfg.rule_weights = ck.rule_weights(w)?;
        }
        cfg.overrides = raw
            .overrides
            .iter()
            .flatten()
            .map(|o| ck.override_of(o))
            .collect::<Result<_, _>>()?;
        Ok(cfg)
    }

    /// Applies severities and weights to the rules, so every report shows the effective ones.
    pub fn apply_to(&self, rs: &mut Ruleset) {
        for (code, sev) in &self.severity {
            if let Some(i) = rs.rule_index(code) {
                rs.rules[i].severity = *sev;
            }
        }
        for (code, w) in &self.rule_weights {
            if let Some(i) = rs.rule_index(code) {
                rs.rules[i].weight = *w;
            }
        }
        for (id, w) in &self.trait_weights {
            if let Some(t) = rs.traits.iter_mut().find(|t| &t.id == id) {
                t.weight = *w;
            }
        }
    }

    /// Whether friction rules (F1–F4) report findings in files of this class: product code
    /// always, the others when `[lint] classes` names them.
    pub fn lints_class(&self, class: FileClass) -> bool {
        match &self.lint_classes {
            None => class == FileClass::Product,
            Some(list) => list.contains(&class),
        }
    }

    /// Whether the config names this exact code in `select` (what turns a preview rule on).
    pub fn selects_exactly(&self, code: &str) -> bool {
        self.select
            .as_ref()
            .is_some_and(|list| list.iter().any(|p| p.eq_ignore_ascii_case(code)))
    }

    /// Whether a rule runs at all: the longest matching `select`/`ignore` entry decides (a tie
    /// goes to `ignore`); with no `select`, every rule is selected.
    pub fn enabled(&self, code: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| matches_code(p, code))
                .map(String::len)
                .max()
        };
        let sel = match &self.select {
            None => Some(0),
            Some(list) => best(list),
        };
        match (sel, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

/// Checks raw config values against the rules they configure; its errors name the file, line,
/// column and key of the value.
struct Checker<'a> {
    rs: &'a Ruleset,
    /// The file, as messages show it.
    name: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn err(&self, s: &dyn SpanLike, key: &str, msg: String) -> String {
        let (line, col) = line_col(self.text, s.start());
        format!("{}:{line}:{col}: `{key}`: {msg}", self.name)
    }

    /// A rule code or prefix, upper-cased.
    fn selector(&self, s: &Spanned<String>, key: &str) -> Result<String, String> {
        let v = s.get_ref().trim();
        if v.is_empty() || !self.rs.rules.iter().any(|r| matches_code(v, &r.code)) {
            return Err(self.err(
                s,
                key,
                format!("`{v}` is not a rule code or prefix (`stackfit rules` lists them)"),
            ));
        }
        Ok(v.to_ascii_uppercase())
    }

    /// A whole rule code, as the rule set spells it.
    fn code(&self, s: &Spanned<String>, key: &str) -> Result<String, String> {
        let v = s.get_ref().trim();
        match self.rs.rule_index(v) {
            Some(i) => Ok(self.rs.rules[i].code.clone()),
            None => Err(self.err(
                s,
                key,
                format!("`{v}` is not a rule code (`stackfit rules` lists them)"),
            )),
        }
    }

    fn selectors(
        &self,
        v: &Option<Vec<Spanned<String>>>,
        key: &str,
    ) -> Result<Vec<String>, String> {
        v.iter().flatten().map(|s| self.selector(s, key)).collect()
    }

    fn severities(
        &self,
        m: &Option<BTreeMap<Spanned<String>, Spanned<Severity>>>,
        key: &str,
    ) -> Result<Vec<(String, Severity)>, String> {
        m.iter()
            .flatten()
            .map(|(k, v)| Ok((self.code(k, key)?, *v.get_ref())))
            .collect()
    }

    /// `[lint] classes`: names of file classes.
    fn classes(&self, list: &[Spanned<String>]) -> Result<Vec<FileClass>, String> {
        list.iter()
            .map(|s| {
                let v = s.get_ref().trim();
                FileClass::ALL
                    .into_iter()
                    .find(|c| c.as_str().eq_ignore_ascii_case(v))
                    .ok_or_else(|| {
                        let names: Vec<&str> = FileClass::ALL.iter().map(|c| c.as_str()).collect();
                        self.err(
                            s,
                            "lint.classes",
                            format!("`{v}` is not a file class ({})", names.join(", ")),
                        )
                    })
            })
            .collect()
    }

    /// `[weights.traits]`.
    fn trait_weights(&self, w: &RawWeights) -> Result<Vec<(String, f64)>, String> {
        let mut out = Vec::new();
        for (k, v) in w.traits.iter().flatten() {
            let id = k.get_ref().trim();
            if self.rs.trait_def(id).is_none() {
                return Err(self.err(
                    k,
                    "weights.traits",
                    format!("`{id}` is not a trait (N1–N7, P1–P7)"),
                ));
            }
            out.push((
                id.to_string(),
                check_weight(v, &|s, m| self.err(s, "weights.traits", m))?,
            ));
        }
        Ok(out)
    }

    /// `[weights.rules]`.
    fn rule_weights(&self, w: &RawWeights) -> Result<Vec<(String, f64)>, String> {
        let mut out = Vec::new();
        for (k, v) in w.rules.iter().flatten() {
            let code = self.code(k, "weights.rules")?;
            out.push((
                code,
                check_weight(v, &|s, m| self.err(s, "weights.rules", m))?,
            ));
        }
        Ok(out)
    }

    /// One `[[overrides]]` entry.
    fn override_of(&self, o: &Spanned<RawOverride>) -> Result<Override, String> {
        let ov = o.get_ref();
        if ov.paths.is_empty() {
            return Err(self.err(o, "overrides", "`paths` is empty".into()));
        }
        Ok(Override {
            paths: PathMatcher::new(&ov.paths, &|s, m| self.err(s, "overrides.paths", m))?,
            ignore: self.selectors(&ov.ignore, "overrides.ignore")?,
            severity: self.severities(&ov.severity, "overrides.severity")?,
        })
    }
}

fn check_weight(
    v: &Spanned<f64>,
    err: &dyn Fn(&Spanned<f64>, String) -> String,
) -> Result<f64, String> {
    let w = *v.get_ref();
    if !w.is_finite() || w < 0.0 {
        return Err(err(v, format!("weight must be a number >= 0, not {w}")));
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, "stackfit.toml", &rs())
    }

    #[test]
    fn full_config() {
        let c = parse(
            r#"
select = ["SF2", "SF001"]
ignore = ["SF211"]
exclude = ["vendor", "scripts/**", "*.min.js"]
fail-on = "warning"

[severity]
SF241 = "error"

[weights.traits]
N7 = 0.3
[weights.rules]
SF111 = 0.2

[[overrides]]
paths = ["tests/**"]
ignore = ["SF221"]
severity = { SF220 = "note" }
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.enabled("SF220"));
        assert!(!c.enabled("SF211"));
        assert!(c.enabled("SF001"));
        assert!(!c.enabled("SF002"));
        assert!(!c.enabled("SF120"));
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        let ex = c.exclude.as_ref().unwrap_or_else(|| panic!("no exclude"));
        assert!(ex.is_match("vendor"));
        assert!(ex.is_match("a/vendor/x.js"));
        assert!(ex.is_match("scripts/build/x.py"));
        assert!(!ex.is_match("src/scripts/x.py"));
        assert!(ex.is_match("web/app.min.js"));
        assert!(!ex.is_match("web/app.js"));
        let p = c.for_path("tests/unit/test_x.py");
        assert!(p.ignores("SF221"));
        assert_eq!(p.severity("SF220", Severity::Warning), Severity::Note);
        assert!(!c.for_path("src/x.py").ignores("SF221"));
        let mut r = rs();
        c.apply_to(&mut r);
        let i = r.rule_index("SF241").unwrap_or_else(|| panic!("SF241"));
        assert_eq!(r.rules[i].severity, Severity::Error);
    }

    #[test]
    fn specificity() {
        let c =
            parse("select = [\"SF221\"]\nignore = [\"SF2\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(c.enabled("SF221"));
        assert!(!c.enabled("SF220"));
        let c = parse("ignore = [\"SF2\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.enabled("SF221") && c.enabled("SF120"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse("select = [\"SF2\"]\nfail_on = \"warning\"\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("stackfit.toml:2:1:"), "{e}");
        assert!(e.contains("fail_on"), "{e}");

        let e = parse("[severity]\nSF220 = \"fatal\"\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("stackfit.toml:2:"), "{e}");
        assert!(e.contains("SF220") && e.contains("fatal"), "{e}");

        let e = parse("ignore = [\n  \"SF221\",\n  \"SF999\",\n]\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("stackfit.toml:3:3:"), "{e}");
        assert!(e.contains("`ignore`") && e.contains("SF999"), "{e}");

        let e = parse("[weights.traits]\nQ9 = 1.0\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:2:1:") && e.contains("Q9"),
            "{e}"
        );

        let e = parse("[weights.rules]\nSF111 = -1.0\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:2:9:") && e.contains(">= 0"),
            "{e}"
        );

        let e = parse("exclude = [\"a/[b\"]\n").err().unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:1:12:") && e.contains("exclude"),
            "{e}"
        );

        let e = parse("[[overrides]]\npaths = [\"x\"]\nignor = [\"SF221\"]\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:3:1:") && e.contains("ignor"),
            "{e}"
        );

        let e = parse("select = \"SF2\"\n").err().unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:1:10:") && e.contains("select"),
            "{e}"
        );
    }

    #[test]
    fn lint_classes() {
        let c = parse("").unwrap_or_else(|e| panic!("{e}"));
        assert!(c.lints_class(FileClass::Product) && !c.lints_class(FileClass::Test));
        let c =
            parse("[lint]\nclasses = [\"product\", \"Test\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(c.lints_class(FileClass::Test) && !c.lints_class(FileClass::Build));
        let c = parse("[lint]\nclasses = [\"test\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.lints_class(FileClass::Product));
        let e = parse("[lint]\nclasses = [\"product\", \"tests\"]\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:2:23:")
                && e.contains("lint.classes")
                && e.contains("tests"),
            "{e}"
        );
        let e = parse("[lint]\nclass = []\n").err().unwrap_or_default();
        assert!(
            e.starts_with("stackfit.toml:2:1:") && e.contains("class"),
            "{e}"
        );
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(!FailOn::None.trips(Severity::Error));
        assert!(FailOn::Note.trips(Severity::Note));
        assert!(!FailOn::Warning.trips(Severity::Note));
        assert!(FailOn::Warning.trips(Severity::Error));
        assert!(!FailOn::Error.trips(Severity::Warning));
        assert!(FailOn::Error.trips(Severity::Error));
    }

    #[test]
    fn pyproject_table() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let sub = dir.path().join("pkg").join("src");
        std::fs::create_dir_all(&sub).unwrap_or_else(|e| panic!("{e}"));
        let py = dir.path().join("pyproject.toml");
        std::fs::write(
            &py,
            "[project]\nname = \"x\"\n\n[tool.stackfit]\nignore = [\"SF211\"]\nbogus = 1\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let found = Config::discover(&sub).unwrap_or_else(|| panic!("not found"));
        assert_eq!(
            found.file_name().and_then(|n| n.to_str()),
            Some("pyproject.toml")
        );
        let e = Config::load(&found, &rs()).err().unwrap_or_default();
        assert!(
            e.contains("pyproject.toml:6:1:") && e.contains("bogus"),
            "{e}"
        );
        std::fs::write(&py, "[tool.stackfit]\nignore = [\"SF211\"]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let c = Config::load(&found, &rs()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.enabled("SF211"));
        // stackfit.toml next to the scanned path wins over a pyproject above it
        std::fs::write(dir.path().join("pkg").join("stackfit.toml"), "")
            .unwrap_or_else(|e| panic!("{e}"));
        let found = Config::discover(&sub).unwrap_or_else(|| panic!("not found"));
        assert_eq!(
            found.file_name().and_then(|n| n.to_str()),
            Some("stackfit.toml")
        );
    }
}
