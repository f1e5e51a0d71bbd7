//! Dependency manifests: what a project declares it needs. A `requirements.txt` naming torch or
//! a `package.json` naming socket.io says what the workload is even before any code is read,
//! and it is the only evidence for code we do not scan (build output, C extensions, notebooks
//! kept elsewhere). Package names go through the same library table as imports
//! (`Ruleset::library_for_pypi` / `library_for_npm`), so `scikit-learn` declared and `sklearn`
//! imported are one library.
//!
//! Each format has its own reader in a submodule, using a real parser (serde_json, toml's
//! spanned `DeTable`, yaml-rust2's event parser, tree-sitter for `setup.py`; `setup.cfg` and
//! requirements files are line formats with their own small parsers). Readers return the
//! declared dependencies with their lines; this module turns them into findings of the
//! manifest rules (one per trait, `source = "manifest"`), weighted below imports, with
//! optional and dev-only dependencies counting less again (`[scoring]` in model.toml).
//! A manifest that cannot be read is reported, never fatal; its directory is still a component.
mod conda;
mod ini;
mod metadata;
mod npm;
mod pep508;
mod pipfile;
mod pyproject;
mod requirements;
mod setup_py;

pub use crate::classify::manifest_kind::{format_of, is_requirements_name, Format};
use crate::finding::{parent_dir, render, Finding, Folded};
use crate::rules::Ruleset;
pub use metadata::Declared;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Npm,
    PyPI,
}

/// How a dependency is declared: how much its declaration says about the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    Runtime,
    /// npm peerDependencies: what the package plugs into; counts fully.
    Peer,
    /// npm optionalDependencies, Python extras.
    Optional,
    /// devDependencies, dev groups, requirements-dev.txt: tooling and tests.
    Dev,
}

/// One declared dependency.
#[derive(Debug, Clone)]
pub struct Dep {
    pub name: String,
    /// 1-based line in the file that declares it.
    pub line: u32,
    pub kind: DepKind,
    pub eco: Ecosystem,
    /// The file it is declared in, when not the manifest itself (a `-r` include), relative to
    /// the scan root.
    pub file: Option<String>,
}

/// A problem found while reading a manifest (the scan goes on).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Problem {
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// What one manifest says.
#[derive(Debug, Default)]
pub struct Parsed {
    pub name: Option<String>,
    /// Workspace member globs, relative to the manifest's directory.
    pub workspaces: Vec<String>,
    pub deps: Vec<Dep>,
    /// The project's own description, keywords and classifiers, each with its line.
    pub declared: Vec<Declared>,
    pub problems: Vec<Problem>,
}

#[cfg(test)]
impl Parsed {
    /// (name, line, kind) of each dependency, for the readers' tests.
    pub fn rows(&self) -> Vec<(&str, u32, DepKind)> {
        self.deps
            .iter()
            .map(|d| (d.name.as_str(), d.line, d.kind))
            .collect()
    }

    /// (field, text, line) of each declared metadata entry, for the readers' tests.
    pub fn declared_rows(&self) -> Vec<(crate::rules::MetaField, &str, u32)> {
        self.declared
            .iter()
            .map(|d| (d.field, d.text.as_str(), d.line))
            .collect()
    }
}

/// The result of reading one manifest file, sent by the walker.
#[derive(Debug)]
pub struct ManifestReport {
    pub format: Format,
    /// The directory it describes, relative to the root ("" for the root).
    pub dir: String,
    pub declares_component: bool,
    pub name: Option<String>,
    pub workspaces: Vec<String>,
    pub dependencies: u32,
    /// Dependencies the library table knows.
    pub recognized: u32,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    /// Set when the manifest could not be read at all.
    pub error: Option<String>,
}

/// What a reader needs besides the text: where the file is, to follow `-r` includes.
pub struct Location<'a> {
    pub rel: &'a str,
    pub fs_path: &'a Path,
    pub root: &'a Path,
}

/// Reads one manifest and turns its dependencies into findings.
pub fn read(rs: &Ruleset, format: Format, text: &str, loc: &Location) -> ManifestReport {
    let parsed = parse(format, text, loc);
    let mut report = ManifestReport {
        format,
        dir: parent_dir(loc.rel).to_string(),
        declares_component: format.declares_component(loc.rel),
        name: None,
        workspaces: Vec::new(),
        dependencies: 0,
        recognized: 0,
        findings: Vec::new(),
        problems: Vec::new(),
        error: None,
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    report.name = parsed.name;
    report.workspaces = parsed.workspaces;
    report.problems = parsed.problems;
    report.dependencies = parsed.deps.len() as u32;
    let mut folder = Folder::new(loc.rel);
    for dep in &parsed.deps {
        let lib = match dep.eco {
            Ecosystem::Npm => rs.library_for_npm(&dep.name),
            Ecosystem::PyPI => rs.library_for_pypi(&dep.name),
        };
        let Some(lib) = lib else { continue };
        report.recognized += 1;
        let Some(ri) = rs.manifest_rule_for(&rs.libraries[lib].trait_id) else {
            continue;
        };
        folder.add(rs, dep, ri, lib);
    }
    report.findings = folder.folded.out;
    if let Some(registry) = metadata::registry_of(format) {
        let path = &folder.manifest_path;
        let declared = metadata::findings(rs, registry, &parsed.declared, path);
        report.findings.extend(declared);
    }
    report
}

/// Hands the text to the reader of its format.
fn parse(format: Format, text: &str, loc: &Location) -> Result<Parsed, String> {
    match format {
        Format::PackageJson => npm::parse(text, loc.rel),
        Format::PnpmWorkspace => npm::parse_pnpm_workspace(text, loc.rel),
        Format::Requirements => requirements::parse_file(text, loc),
        Format::Pyproject => pyproject::parse(text, loc.rel),
        Format::SetupCfg => ini::parse_setup_cfg(text, loc.rel),
        Format::SetupPy => setup_py::parse(text, loc.rel),
        Format::Pipfile => pipfile::parse(text, loc.rel),
        Format::Conda => conda::parse(text, loc.rel),
    }
}

/// How much a declaration of this kind counts, relative to a runtime dependency.
fn kind_factor(rs: &Ruleset, kind: DepKind) -> f64 {
    match kind {
        DepKind::Runtime | DepKind::Peer => 1.0,
        DepKind::Optional => rs.scoring.optional_factor,
        DepKind::Dev => rs.scoring.dev_dependency_factor,
    }
}

/// The dependency as the finding's message names it.
fn dep_text(dep: &Dep) -> String {
    match dep.kind {
        DepKind::Runtime => dep.name.clone(),
        DepKind::Peer => format!("{} (peer)", dep.name),
        DepKind::Optional => format!("{} (optional)", dep.name),
        DepKind::Dev => format!("{} (dev only)", dep.name),
    }
}

/// Folds recognised dependencies into findings: one finding per library per file, counting
/// repeats and keeping the strongest evidence.
struct Folder {
    manifest_path: Arc<str>,
    /// Shared paths of included files (`-r`), so their findings share one allocation.
    paths: HashMap<String, Arc<str>>,
    /// Keyed by (file, rule, library).
    folded: Folded<(Arc<str>, usize, usize)>,
}

impl Folder {
    fn new(manifest_rel: &str) -> Self {
        Folder {
            manifest_path: Arc::from(manifest_rel),
            paths: HashMap::new(),
            folded: Folded::default(),
        }
    }

    /// The file the dependency is declared in.
    fn path_of(&mut self, dep: &Dep) -> Arc<str> {
        match &dep.file {
            None => self.manifest_path.clone(),
            Some(f) => self
                .paths
                .entry(f.clone())
                .or_insert_with(|| Arc::from(f.as_str()))
                .clone(),
        }
    }

    /// Adds `dep` (library `lib`, manifest rule `ri`).
    fn add(&mut self, rs: &Ruleset, dep: &Dep, ri: usize, lib: usize) {
        let library = &rs.libraries[lib];
        let rule = &rs.rules[ri];
        let evidence = rule.weight * library.weight * kind_factor(rs, dep.kind);
        let path = self.path_of(dep);
        self.folded
            .push((path.clone(), ri, lib), evidence, || Finding {
                rule: ri,
                path,
                line: dep.line,
                column: 1,
                end_line: dep.line,
                end_column: 1,
                message: render(&rule.message, &library.name, &dep_text(dep)),
                evidence,
                count: 1,
                library: Some(lib),
                cell: None,
                class: crate::finding::FileClass::Product,
                key: crate::finding::fnv1a(&[library.name.as_bytes()]),
                fingerprint: 0,
                suppressed: false,
            });
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// Dev-ish names: `dev`, `test`, `lint`, `docs`... as a word of a group or file name.
pub fn is_dev_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "doc",
        "docs",
        "ci",
        "typing",
        "types",
        "mypy",
        "style",
        "format",
        "check",
        "bench",
        "benchmark",
        "benchmarks",
        "coverage",
    ];
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            format_of("package.json", "package.json"),
            Some(Format::PackageJson)
        );
        assert_eq!(
            format_of("requirements-dev.txt", "a/requirements-dev.txt"),
            Some(Format::Requirements)
        );
        assert_eq!(
            format_of("dev-requirements.txt", "dev-requirements.txt"),
            Some(Format::Requirements)
        );
        assert_eq!(
            format_of("base.txt", "requirements/base.txt"),
            Some(Format::Requirements)
        );
        assert_eq!(format_of("notes.txt", "notes.txt"), None);
        assert_eq!(format_of("Pipfile", "Pipfile"), Some(Format::Pipfile));
        assert!(!Format::Requirements.declares_component("requirements/base.txt"));
        assert!(Format::Requirements.declares_component("api/requirements.txt"));
        assert!(is_dev_name("requirements-dev.txt"));
        assert!(is_dev_name("test"));
        assert!(!is_dev_name("requirements.txt"));
        assert!(!is_dev_name("device"));
        assert_eq!(line_of("a\nb\nc", 2), 2);
    }
}
