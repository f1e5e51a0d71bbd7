//! The rules as data. Everything stackfit knows about workloads lives under `queries/`:
//! `model.toml` (traits, their weights and the verdict thresholds), `libraries.toml` (one entry
//! per library: import names, npm and PyPI package names, trait), `rules/<CODE>.toml` (each
//! rule's metadata and documentation) and `<language>/<CODE>.scm` (its tree-sitter patterns).
//! This module loads and checks that data once and compiles one combined query per grammar, which
//! every scanning thread then shares read-only.
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use tree_sitter::Query;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Node,
    Python,
    /// Friction and repo-level rules belong to no workload profile.
    None,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Node => "node",
            Profile::Python => "python",
            Profile::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Evidence for a workload trait (N1–N7, P1–P7); feeds the verdict.
    Signal,
    /// Code working against its runtime (F1–F4); reported as a diagnostic.
    Friction,
    /// A finding about the repository as a whole (e.g. workload/language mismatch).
    Repo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Matches come from the import patterns (`<language>/imports.scm`) via the library table.
    Import,
    /// Matches come from the rule's own patterns (`<language>/<CODE>.scm`).
    Query,
    /// Declared dependencies in manifests (package.json, requirements.txt, ...).
    Manifest,
    /// Computed from the whole scan (no per-file patterns).
    Repo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// One finding per match.
    Each,
    /// One finding per file, at the first match, carrying the number of matches.
    File,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub what: String,
    pub why: String,
    #[serde(default)]
    pub example: String,
    #[serde(default)]
    pub better: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    /// A one-line human title ("Blocking call inside async def"), for SARIF's shortDescription
    /// and docs/rules.md; defaults to the name.
    #[serde(default)]
    pub title: Option<String>,
    pub kind: RuleKind,
    #[serde(rename = "trait")]
    pub trait_id: String,
    #[serde(default = "default_profile")]
    pub profile: Profile,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    #[serde(default = "one")]
    pub weight: f64,
    pub message: String,
    pub blog_point: String,
    pub source: Source,
    #[serde(default = "default_aggregate")]
    pub aggregate: Aggregate,
    /// The most evidence this rule can add to its trait across the whole scan (after the
    /// per-file log folding). Generic signals (await density) set it so that they alone can
    /// never make a workload; unset means unbounded (the trait's saturation still applies).
    #[serde(default)]
    pub max_evidence: Option<f64>,
    /// A named context check the match must pass (see `context.rs`), e.g. `"async-scope"`.
    #[serde(default)]
    pub context: Option<String>,
    /// A short hint on how to fix, for diagnostics.
    #[serde(default)]
    pub fix: Option<String>,
    /// Qualified names the match's `@_callee` must resolve to through this file's imports
    /// (`time.sleep`, `fs.*Sync`, `concurrent.futures.ThreadPoolExecutor().submit`; `*` matches
    /// any run of characters). See `resolve.rs` for how names are qualified.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Like `calls`, for names whose root is bound by no import or definition in the file:
    /// builtins and globals (`open().read`, `Atomics.wait`, `fetch`) and parameters (`*loop.create_task`).
    #[serde(default)]
    pub free_calls: Vec<String>,
    /// The callee may also be an `async` function or method defined in the same file.
    #[serde(default)]
    pub local_async: bool,
    /// Use the `.scm` patterns of another rule (two rules that split one match by context).
    #[serde(default)]
    pub patterns: Option<String>,
    pub doc: RuleDoc,
}

impl Rule {
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// True when a match must pass a callee check (`calls`, `free_calls`, `local_async`).
    pub fn checks_callee(&self) -> bool {
        !self.calls.is_empty() || !self.free_calls.is_empty() || self.local_async
    }
}

fn default_profile() -> Profile {
    Profile::None
}
fn default_severity() -> Severity {
    Severity::Note
}
fn default_aggregate() -> Aggregate {
    Aggregate::Each
}
fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TraitDef {
    pub id: String,
    pub name: String,
    /// Short phrase used in the verdict sentence ("real-time sockets").
    pub phrase: String,
    pub profile: Profile,
    /// How much a saturated trait adds to its profile's score.
    pub weight: f64,
    pub blog_point: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Evidence at which a trait's score reaches 1 - 1/e (63%); trait score = 1 - exp(-E/s).
    pub saturation: f64,
    /// Within one file, n matches of a rule count as weight * (1 + ln n).
    #[serde(default = "yes")]
    pub log_within_file: bool,
    /// A profile score below this is "no workload shape" for that profile.
    pub present: f64,
    /// Both profiles at or above this, and neither dominant, make the verdict `mixed`.
    pub mixed_min: f64,
    /// One profile at least this many times the other wins outright.
    pub dominance: f64,
    /// Multiplier for imports that are types only (TypeScript `import type`, `if TYPE_CHECKING`).
    pub type_only_factor: f64,
    /// Multiplier for dynamic `import()` and imports guarded by try/except ImportError; also
    /// for optional declared dependencies (npm optionalDependencies, Python extras).
    pub optional_factor: f64,
    /// Multiplier for dev-only declared dependencies (devDependencies, dev groups,
    /// requirements-dev.txt), on top of the manifest rule's own (lower) weight.
    #[serde(default = "default_dev_dependency_factor")]
    pub dev_dependency_factor: f64,
    /// Evidence from files matching these globs is multiplied by `factor` (first match wins):
    /// examples, docs and tests say less about what the product does than its source does.
    #[serde(default)]
    pub paths: Vec<PathFactor>,
}

fn default_dev_dependency_factor() -> f64 {
    0.25
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PathFactor {
    pub globs: Vec<String>,
    pub factor: f64,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    scoring: Scoring,
    #[serde(rename = "trait")]
    traits: Vec<TraitDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub name: String,
    #[serde(rename = "trait")]
    pub trait_id: String,
    #[serde(default = "one")]
    pub weight: f64,
    /// Python import names (`sklearn`, `paho.mqtt`).
    #[serde(default)]
    pub python: Vec<String>,
    /// npm package names, which are also JS import specifiers; `prefix*` matches a family.
    #[serde(default)]
    pub npm: Vec<String>,
    /// PyPI distribution names (`scikit-learn`).
    #[serde(default)]
    pub pypi: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    library: Vec<Library>,
}

/// What a pattern in a combined query stands for.
#[derive(Debug, Clone, Copy)]
pub enum PatternRole {
    Import,
    Rule(usize),
}

pub struct CompiledLang {
    pub query: Query,
    pub roles: Vec<PatternRole>,
    pub match_capture: Option<u32>,
    /// `@_callee`: the called expression a rule's `calls` are checked against.
    pub callee_capture: Option<u32>,
    /// `@_target`: the function a thread or executor runs (friction F1).
    pub target_capture: Option<u32>,
    pub module_capture: Option<u32>,
    pub dynamic_capture: Option<u32>,
}

pub struct Ruleset {
    pub scoring: Scoring,
    pub traits: Vec<TraitDef>,
    pub rules: Vec<Rule>,
    pub libraries: Vec<Library>,
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
    path_factors: Vec<(globset::GlobSet, f64)>,
}

#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_queries.rs"));
}

/// Normalises a PyPI name as PEP 503 does: lowercase, runs of `-_.` become `-`.
pub fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The package an npm import specifier names: `@scope/pkg/sub` -> `@scope/pkg`,
/// `node:events` -> `events`. Relative and absolute paths and URLs name none.
pub fn npm_package_of(spec: &str) -> Option<&str> {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    if spec.is_empty() || spec.starts_with('.') || spec.starts_with('/') || spec.contains("://") {
        return None;
    }
    let mut parts = spec.splitn(3, '/');
    let first = parts.next()?;
    if first.starts_with('@') {
        let second = parts.next()?;
        Some(&spec[..first.len() + 1 + second.len()])
    } else {
        Some(first)
    }
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

        let mut rs = Ruleset {
            scoring: model.scoring,
            traits: model.traits,
            rules,
            libraries: libs.library,
            python_modules: HashMap::new(),
            npm_exact: HashMap::new(),
            npm_prefix: Vec::new(),
            pypi: HashMap::new(),
            import_rule: HashMap::new(),
            manifest_rule: HashMap::new(),
            files: files.to_vec(),
            compiled: Lang::ALL.iter().map(|_| OnceLock::new()).collect(),
            path_factors: Vec::new(),
        };
        for pf in &rs.scoring.paths {
            let mut b = globset::GlobSetBuilder::new();
            for g in &pf.globs {
                let glob = globset::Glob::new(g).map_err(|e| {
                    LoadError(format!("queries/model.toml: scoring.paths glob `{g}`: {e}"))
                })?;
                b.add(glob);
            }
            let set = b
                .build()
                .map_err(|e| LoadError(format!("queries/model.toml: scoring.paths: {e}")))?;
            rs.path_factors.push((set, pf.factor));
        }
        rs.validate()?;
        rs.index_libraries()?;
        Ok(rs)
    }

    /// Compiles every grammar's query now, reporting the first error (for `--rules-dir`).
    pub fn compile_all(&self) -> Result<(), LoadError> {
        for lang in Lang::ALL {
            self.try_compiled(lang)?;
        }
        Ok(())
    }

    fn validate(&mut self) -> Result<(), LoadError> {
        let mut seen = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            if seen.insert(r.code.clone(), i).is_some() {
                return Err(LoadError(format!("rule {} is defined twice", r.code)));
            }
            if r.kind == RuleKind::Signal {
                let t = self.trait_def(&r.trait_id).ok_or_else(|| {
                    LoadError(format!(
                        "queries/rules/{}.toml: unknown trait `{}`",
                        r.code, r.trait_id
                    ))
                })?;
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
            if let Some(c) = &r.context {
                if !crate::context::is_known(c) {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: unknown context `{c}` (known: {})",
                        r.code,
                        crate::context::KNOWN.join(", ")
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

    fn compile(
        &self,
        lang: Lang,
        files: &[(String, String)],
    ) -> Result<Option<CompiledLang>, LoadError> {
        // For each pattern source (imports, then each rule), take the most specific directory's file.
        let pick = |stem: &str| -> Option<(String, &str)> {
            lang.query_dirs().iter().find_map(|dir| {
                let name = format!("{dir}/{stem}.scm");
                files
                    .iter()
                    .find(|(p, _)| *p == name)
                    .map(|(p, s)| (p.clone(), s.as_str()))
            })
        };
        let mut sources: Vec<(Option<usize>, String, &str)> = Vec::new();
        if let Some((p, s)) = pick("imports") {
            sources.push((None, p, s));
        }
        for (i, r) in self.rules.iter().enumerate() {
            if r.source == Source::Query {
                if let Some((p, s)) = pick(r.patterns.as_deref().unwrap_or(&r.code)) {
                    sources.push((Some(i), p, s));
                }
            }
        }
        if sources.is_empty() {
            return Ok(None);
        }
        let language = lang.ts_language();
        let mut combined = String::new();
        let mut starts = Vec::new();
        for (role, _, text) in &sources {
            starts.push((combined.len(), *role));
            combined.push_str(text);
            combined.push('\n');
        }
        let query = match Query::new(&language, &combined) {
            Ok(q) => q,
            Err(e) => {
                // Compile each file alone to name the one the error is in.
                for (_, path, text) in &sources {
                    if let Err(e) = Query::new(&language, text) {
                        return Err(LoadError(format!(
                            "queries/{path}:{}:{}: {:?} error: {} (compiling for {:?})",
                            e.row + 1,
                            e.column + 1,
                            e.kind,
                            e.message,
                            lang
                        )));
                    }
                }
                return Err(LoadError(format!("combined {lang:?} query: {}", e.message)));
            }
        };
        let roles = (0..query.pattern_count())
            .map(|pi| {
                let b = query.start_byte_for_pattern(pi);
                let role = starts
                    .iter()
                    .rev()
                    .find(|(s, _)| *s <= b)
                    .and_then(|(_, r)| *r);
                role.map_or(PatternRole::Import, PatternRole::Rule)
            })
            .collect();
        Ok(Some(CompiledLang {
            match_capture: query.capture_index_for_name("match"),
            callee_capture: query.capture_index_for_name("_callee"),
            target_capture: query.capture_index_for_name("_target"),
            module_capture: query.capture_index_for_name("import.module"),
            dynamic_capture: query.capture_index_for_name("import.dynamic"),
            query,
            roles,
        }))
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

    /// How much evidence from a file at `rel_path` counts (1.0 unless a `scoring.paths` glob
    /// matches).
    pub fn path_factor(&self, rel_path: &str) -> f64 {
        self.path_factors
            .iter()
            .find(|(set, _)| set.is_match(rel_path))
            .map_or(1.0, |(_, f)| *f)
    }

    /// The grammars a rule has patterns for ("python", "javascript", "typescript"), from the
    /// query files present (a javascript/ file also serves TypeScript).
    pub fn languages_of(&self, rule: &Rule) -> Vec<&'static str> {
        let stem = rule.patterns.as_deref().unwrap_or(&rule.code);
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
mod path_factor_tests {
    use super::*;

    #[test]
    fn examples_and_tests_count_less() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rs.path_factor("src/app.py"), 1.0);
        assert_eq!(rs.path_factor("examples/videostream-cli/cli.py"), 0.3);
        assert_eq!(rs.path_factor("pkg/docs/conf.py"), 0.3);
        assert_eq!(rs.path_factor("tests/test_x.py"), 0.5);
        assert_eq!(rs.path_factor("src/x.test.ts"), 0.5);
        assert_eq!(rs.path_factor("src/contest.py"), 1.0);
    }
}
