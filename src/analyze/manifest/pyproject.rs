//! `pyproject.toml`: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
//! `[dependency-groups]` (uv, PDM), Poetry (`[tool.poetry.dependencies]`, groups, the old
//! dev-dependencies), PDM `[tool.pdm.dev-dependencies]`, uv `[tool.uv] dev-dependencies` and
//! workspace members; and the project's own `description`, `keywords` and `classifiers`
//! (`[project]`, `[tool.poetry]`). toml's `DeTable` keeps the span of every key and value, which
//! gives each dependency's and each keyword's line.
use super::{is_dev_name, line_of, pep508, Declared, Dep, DepKind, Ecosystem, Parsed};
use crate::rules::MetaField;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

type Table<'a> = DeTable<'a>;

fn table<'a>(t: &'a Table<'a>, key: &str) -> Option<&'a Table<'a>> {
    t.get(key).and_then(|v| v.get_ref().as_table())
}

/// PEP 508 strings of an array, each with its line.
pub(super) fn push_strings(out: &mut Parsed, text: &str, v: &Spanned<DeValue>, kind: DepKind) {
    let Some(arr) = v.get_ref().as_array() else {
        return;
    };
    for item in arr.iter() {
        if let Some(s) = item.get_ref().as_str() {
            if let Some(n) = pep508::name(s) {
                out.deps.push(Dep {
                    name: n.to_string(),
                    line: line_of(text, item.span().start),
                    kind,
                    eco: Ecosystem::PyPI,
                    file: None,
                });
            }
        }
    }
}

/// A table of `name = version | {...}` (Poetry, Pipfile), each key with its line.
pub(super) fn push_keys(out: &mut Parsed, text: &str, t: &Table, kind: DepKind) {
    for (k, v) in t.iter() {
        let name = k.get_ref().as_ref();
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let kind = match v.get_ref().as_table() {
            Some(spec)
                if spec
                    .get("optional")
                    .and_then(|o| o.get_ref().as_bool())
                    .unwrap_or(false)
                    && kind == DepKind::Runtime =>
            {
                DepKind::Optional
            }
            _ => kind,
        };
        out.deps.push(Dep {
            name: name.to_string(),
            line: line_of(text, k.span().start),
            kind,
            eco: Ecosystem::PyPI,
            file: None,
        });
    }
}

/// `description`, `keywords` and `classifiers` of a `[project]` or `[tool.poetry]` table.
fn push_declared(out: &mut Parsed, text: &str, t: &Table) {
    if let Some(d) = t.get("description") {
        if let Some(s) = d.get_ref().as_str() {
            let line = line_of(text, d.span().start);
            out.declared
                .push(Declared::new(MetaField::Description, s, line));
        }
    }
    for (key, field) in [
        ("keywords", MetaField::Keyword),
        ("classifiers", MetaField::Classifier),
    ] {
        let Some(arr) = t.get(key).and_then(|v| v.get_ref().as_array()) else {
            continue;
        };
        for item in arr.iter() {
            if let Some(s) = item.get_ref().as_str() {
                let line = line_of(text, item.span().start);
                out.declared.push(Declared::new(field, s, line));
            }
        }
    }
}

fn group_kind(name: &str) -> DepKind {
    if is_dev_name(name) {
        DepKind::Dev
    } else {
        DepKind::Optional
    }
}

/// `[tool.poetry]`: the name (when `[project]` has none), description, keywords, classifiers,
/// dependencies, the old dev-dependencies and dependency groups.
fn read_poetry(out: &mut Parsed, text: &str, poetry: &Table) {
    if out.name.is_none() {
        out.name = poetry
            .get("name")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_string);
    }
    push_declared(out, text, poetry);
    if let Some(deps) = table(poetry, "dependencies") {
        push_keys(out, text, deps, DepKind::Runtime);
    }
    if let Some(deps) = table(poetry, "dev-dependencies") {
        push_keys(out, text, deps, DepKind::Dev);
    }
    if let Some(groups) = table(poetry, "group") {
        for (name, g) in groups.iter() {
            let Some(g) = g.get_ref().as_table() else {
                continue;
            };
            let optional = g
                .get("optional")
                .and_then(|o| o.get_ref().as_bool())
                .unwrap_or(false);
            let kind = if is_dev_name(name.get_ref()) {
                DepKind::Dev
            } else if optional {
                DepKind::Optional
            } else {
                DepKind::Runtime
            };
            if let Some(deps) = table(g, "dependencies") {
                push_keys(out, text, deps, kind);
            }
        }
    }
}

pub fn parse(text: &str, _rel: &str) -> Result<Parsed, String> {
    let doc = DeTable::parse(text).map_err(|e| format!("not valid TOML: {e}"))?;
    let doc = doc.get_ref();
    let mut out = Parsed::default();
    let tool = table(doc, "tool");
    if let Some(project) = table(doc, "project") {
        out.name = project
            .get("name")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_string);
        push_declared(&mut out, text, project);
        if let Some(deps) = project.get("dependencies") {
            push_strings(&mut out, text, deps, DepKind::Runtime);
        }
        if let Some(opt) = table(project, "optional-dependencies") {
            for (group, v) in opt.iter() {
                push_strings(&mut out, text, v, group_kind(group.get_ref()));
            }
        }
    }
    // PEP 735 dependency groups are never installed for the package's users.
    if let Some(groups) = table(doc, "dependency-groups") {
        for (_, v) in groups.iter() {
            push_strings(&mut out, text, v, DepKind::Dev);
        }
    }
    if let Some(poetry) = tool.and_then(|t| table(t, "poetry")) {
        read_poetry(&mut out, text, poetry);
    }
    if let Some(pdm) = tool.and_then(|t| table(t, "pdm")) {
        if let Some(groups) = table(pdm, "dev-dependencies") {
            for (_, v) in groups.iter() {
                push_strings(&mut out, text, v, DepKind::Dev);
            }
        }
    }
    if let Some(uv) = tool.and_then(|t| table(t, "uv")) {
        if let Some(v) = uv.get("dev-dependencies") {
            push_strings(&mut out, text, v, DepKind::Dev);
        }
        if let Some(ws) = table(uv, "workspace") {
            if let Some(members) = ws.get("members").and_then(|m| m.get_ref().as_array()) {
                out.workspaces = members
                    .iter()
                    .filter_map(|m| m.get_ref().as_str().map(str::to_string))
                    .collect();
            }
        }
    }
    out.deps.sort_by_key(|d| d.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep621_poetry_uv() {
        let text = r#"[project]
name = "api"
dependencies = [
  "fastapi>=0.110",
  "scikit-learn>=1.4",
]
[project.optional-dependencies]
gpu = ["torch>=2"]
test = ["pytest"]

[dependency-groups]
dev = ["ruff", "matplotlib"]

[tool.poetry.dependencies]
python = "^3.11"
pandas = "^2.2"
xgboost = { version = "^2", optional = true }

[tool.poetry.group.docs.dependencies]
mkdocs = "*"

[tool.uv.workspace]
members = ["services/*"]
"#;
        let p = parse(text, "pyproject.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("api"));
        assert_eq!(p.workspaces, vec!["services/*"]);
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("fastapi", 4, DepKind::Runtime),
                ("scikit-learn", 5, DepKind::Runtime),
                ("torch", 8, DepKind::Optional),
                ("pytest", 9, DepKind::Dev),
                ("ruff", 12, DepKind::Dev),
                ("matplotlib", 12, DepKind::Dev),
                ("pandas", 16, DepKind::Runtime),
                ("xgboost", 17, DepKind::Optional),
                ("mkdocs", 20, DepKind::Dev),
            ]
        );
        assert!(parse("[project\nname = 1", "pyproject.toml").is_err());
    }

    #[test]
    fn declared_metadata() {
        let text = r#"[project]
name = "vision"
description = "Image recognition"
keywords = ["ocr", 3, "opencv"]
classifiers = [
    "Framework :: AsyncIO",
    "Topic :: Scientific/Engineering :: Image Recognition",
]
dependencies = ["pillow"]

[tool.poetry]
name = "other"
keywords = ["face-recognition"]
"#;
        let p = parse(text, "pyproject.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("vision"));
        assert_eq!(
            p.declared_rows(),
            vec![
                (MetaField::Description, "Image recognition", 3),
                (MetaField::Keyword, "ocr", 4),
                (MetaField::Keyword, "opencv", 4),
                (MetaField::Classifier, "Framework :: AsyncIO", 6),
                (
                    MetaField::Classifier,
                    "Topic :: Scientific/Engineering :: Image Recognition",
                    7
                ),
                (MetaField::Keyword, "face-recognition", 13),
            ]
        );
        let p = parse(
            "[tool.poetry]\nname = \"bot\"\ndescription = \"chat bot\"\n",
            "pyproject.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("bot"));
        assert_eq!(
            p.declared_rows(),
            vec![(MetaField::Description, "chat bot", 3)]
        );
    }
}
