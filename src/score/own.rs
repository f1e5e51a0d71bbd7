//! First-party names. A repository's own packages (package.json names, Python project names,
//! top-level Python packages) are its code, not libraries it uses: a CLI toolkit importing
//! itself in every file is not "using a scripting library". And when one of those names is in
//! the library table, the project *is* that library (a websocket server library never imports
//! itself): that is one strong finding for the library's trait, from the manifest that names it.
use crate::finding::{FileClass, Finding};
use crate::rules::{normalize_pypi, Ruleset, Source};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The names a repository declares for itself, each with the file that declares it.
#[derive(Debug, Default, Clone)]
pub struct OwnNames {
    /// npm package names (package.json `name`, of the root and of every workspace).
    pub npm: BTreeMap<String, Arc<str>>,
    /// PyPI project names, PEP 503-normalised (pyproject, setup.cfg, setup.py).
    pub pypi: BTreeMap<String, Arc<str>>,
    /// Top-level Python packages (`pkg/__init__.py`, `src/pkg/__init__.py`).
    pub python: BTreeMap<String, Arc<str>>,
}

impl OwnNames {
    /// A top-level package, if `rel` is `pkg/__init__.py` or `src/pkg/__init__.py`.
    pub fn note_python_file(&mut self, rel: &Arc<str>) {
        let parts: Vec<&str> = rel.split('/').collect();
        let pkg = match parts.as_slice() {
            [pkg, "__init__.py"] => pkg,
            ["src", pkg, "__init__.py"] => pkg,
            _ => return,
        };
        self.python
            .entry((*pkg).to_string())
            .or_insert_with(|| rel.clone());
    }

    /// The libraries of the table the project is, with the file naming each.
    pub fn libraries(&self, rs: &Ruleset) -> BTreeMap<usize, Arc<str>> {
        let mut out = BTreeMap::new();
        let found = self
            .npm
            .iter()
            .map(|(n, p)| (rs.library_for_npm(n), p))
            .chain(self.pypi.iter().map(|(n, p)| (rs.library_for_pypi(n), p)))
            .chain(
                self.python
                    .iter()
                    .map(|(n, p)| (rs.library_for_python(n), p)),
            );
        for (lib, path) in found {
            if let Some(l) = lib {
                out.entry(l).or_insert_with(|| path.clone());
            }
        }
        // A library the table knows by a module of the project (`tornado.websocket` of the
        // `tornado` package, `socket.io/client` of `socket.io`) is part of it too.
        for (i, l) in rs.libraries.iter().enumerate() {
            let python = l.python.iter().find_map(|n| {
                let (head, _) = n.split_once('.')?;
                self.python
                    .get(head)
                    .or_else(|| self.pypi.get(head))
                    .cloned()
            });
            let npm = l.npm.iter().find_map(|n| {
                let (head, rest) = npm_head(n)?;
                (!rest.is_empty())
                    .then(|| self.npm.get(head).cloned())
                    .flatten()
            });
            if let Some(p) = python.or(npm) {
                out.entry(i).or_insert(p);
            }
        }
        out
    }
}

/// An npm specifier's package and the path after it: `socket.io/client` -> (`socket.io`,
/// `client`), `@scope/pkg/sub` -> (`@scope/pkg`, `sub`).
fn npm_head(spec: &str) -> Option<(&str, &str)> {
    let cut = if spec.starts_with('@') {
        let first = spec.find('/')?;
        first + 1 + spec[first + 1..].find('/')?
    } else {
        spec.find('/')?
    };
    Some((&spec[..cut], &spec[cut + 1..]))
}

/// Drops the imports and declarations of the project's own libraries, and adds one finding
/// per such library: "is the ws library itself".
pub fn apply(rs: &Ruleset, names: &OwnNames, findings: &mut Vec<Finding>) {
    let own = names.libraries(rs);
    if own.is_empty() {
        return;
    }
    findings.retain(|f| {
        let by_library = matches!(rs.rules[f.rule].source, Source::Import | Source::Manifest);
        !(by_library && f.library.is_some_and(|l| own.contains_key(&l)))
    });
    for (lib, path) in own {
        let l = &rs.libraries[lib];
        let Some(rule) = rs
            .rules
            .iter()
            .position(|r| r.source == Source::Metadata && r.trait_id == l.trait_id)
        else {
            continue;
        };
        let phrase = rs
            .trait_def(&l.trait_id)
            .map_or(String::new(), |t| t.phrase.clone());
        findings.push(Finding {
            rule,
            path: path.clone(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            message: format!("is the {} library itself ({phrase})", l.name),
            evidence: rs.scoring.own_library_weight,
            count: 1,
            library: Some(lib),
            cell: None,
            class: FileClass::Product,
            key: crate::finding::fnv1a(&[l.name.as_bytes()]),
            fingerprint: 0,
            suppressed: false,
        });
    }
}

/// The name a manifest declares, in the right table.
pub fn note_manifest_name(names: &mut OwnNames, npm: bool, name: &str, path: &Arc<str>) {
    let table = if npm { &mut names.npm } else { &mut names.pypi };
    let key = if npm {
        name.to_string()
    } else {
        normalize_pypi(name)
    };
    table.entry(key).or_insert_with(|| path.clone());
}

/// Every name, for tests and reports.
pub fn all(names: &OwnNames) -> BTreeSet<String> {
    names
        .npm
        .keys()
        .chain(names.pypi.keys())
        .chain(names.python.keys())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_heads() {
        assert_eq!(npm_head("socket.io/client"), Some(("socket.io", "client")));
        assert_eq!(npm_head("@scope/pkg/sub"), Some(("@scope/pkg", "sub")));
        assert_eq!(npm_head("@scope/pkg"), None);
        assert_eq!(npm_head("ws"), None);
    }

    #[test]
    fn a_module_of_the_project_known_to_the_table_is_part_of_it() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut names = OwnNames::default();
        names.note_python_file(&Arc::from("tornado/__init__.py"));
        let libs: Vec<&str> = names
            .libraries(&rs)
            .keys()
            .map(|l| rs.libraries[*l].name.as_str())
            .collect();
        assert!(libs.contains(&"Tornado"), "{libs:?}");
        assert!(libs.contains(&"Tornado websockets"), "{libs:?}");
        let mut other = OwnNames::default();
        other.note_python_file(&Arc::from("src/textkit/__init__.py"));
        assert!(other.libraries(&rs).is_empty());
    }
}
