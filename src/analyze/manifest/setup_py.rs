//! `setup.py`: the literal arguments of the `setup(...)` call, read from the tree-sitter Python
//! tree — the file is never executed. `install_requires=[...]` (or a module-level name bound to
//! a list literal), `extras_require={...}`, `tests_require`/`setup_requires`, `name="..."`, and
//! the project's own `description=`, `keywords=` and `classifiers=`. A computed dependency list
//! (a function call, a file read) is reported as not readable, not guessed; computed metadata
//! is simply not read.
use super::metadata::split_keywords;
use super::{is_dev_name, pep508, Declared, Dep, DepKind, Ecosystem, Parsed, Problem};
use crate::rules::MetaField;
use tree_sitter::{Node, Parser};

fn text<'a>(n: Node, src: &'a [u8]) -> &'a str {
    n.utf8_text(src).unwrap_or("")
}

/// The value of a Python string literal node (no f-strings, no concatenation).
fn string_value(n: Node, src: &[u8]) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let mut c = n.walk();
    let mut out = String::new();
    for ch in n.children(&mut c) {
        match ch.kind() {
            "string_content" => out.push_str(text(ch, src)),
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(out)
}

/// The value of a string literal, an implicit concatenation (`"a" "b"`) or either in
/// parentheses.
fn literal_text(n: Node, src: &[u8]) -> Option<String> {
    match n.kind() {
        "string" => string_value(n, src),
        "concatenated_string" => {
            let mut c = n.walk();
            let parts: Option<Vec<String>> = n
                .named_children(&mut c)
                .map(|p| string_value(p, src))
                .collect();
            parts.map(|p| p.concat())
        }
        "parenthesized_expression" if n.named_child_count() == 1 => {
            let inner = n.named_child(0)?;
            matches!(inner.kind(), "string" | "concatenated_string")
                .then(|| literal_text(inner, src))
                .flatten()
        }
        _ => None,
    }
}

/// Module-level `NAME = <expr>` assignments.
fn module_binding<'t>(root: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    let mut c = root.walk();
    let mut found = None;
    for stmt in root.children(&mut c) {
        if stmt.kind() != "expression_statement" {
            continue;
        }
        let Some(a) = stmt.named_child(0) else {
            continue;
        };
        if a.kind() != "assignment" {
            continue;
        }
        let (Some(l), Some(r)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        if l.kind() == "identifier" && text(l, src) == name {
            found = Some(r);
        }
    }
    found
}

fn resolve<'t>(root: Node<'t>, n: Node<'t>, src: &[u8]) -> Node<'t> {
    if n.kind() == "identifier" {
        if let Some(v) = module_binding(root, text(n, src), src) {
            return v;
        }
    }
    n
}

/// The first `setup(...)` / `setuptools.setup(...)` call, in source order. Iterative: a
/// deeply nested file cannot exhaust the stack.
fn find_setup_call<'t>(root: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind() == "call" {
            if let Some(f) = n.child_by_field_name("function") {
                let t = text(f, src);
                if t == "setup" || t.ends_with(".setup") {
                    return Some(n);
                }
            }
        }
        let mut c = n.walk();
        let children: Vec<Node> = n.named_children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    None
}

struct Reader<'a, 't> {
    root: Node<'t>,
    src: &'a [u8],
    rel: &'a str,
    out: Parsed,
}

impl Reader<'_, '_> {
    fn list(&mut self, arg: &str, value: Node, kind: DepKind) {
        let v = resolve(self.root, value, self.src);
        if !matches!(v.kind(), "list" | "tuple") {
            self.out.problems.push(Problem {
                path: self.rel.to_string(),
                line: value.start_position().row as u32 + 1,
                message: format!("`{arg}` is computed, not a literal list; not read"),
            });
            return;
        }
        let mut c = v.walk();
        for item in v.named_children(&mut c) {
            let Some(s) = string_value(item, self.src) else {
                continue;
            };
            if let Some(name) = pep508::name(&s) {
                self.out.deps.push(Dep {
                    name: name.to_string(),
                    line: item.start_position().row as u32 + 1,
                    kind,
                    eco: Ecosystem::PyPI,
                    file: None,
                });
            }
        }
    }
}

impl Reader<'_, '_> {
    /// `extras_require={'extra': [...]}`: dev-named extras are dev-only, the rest optional.
    fn extras(&mut self, value: Node) {
        let d = resolve(self.root, value, self.src);
        if d.kind() != "dictionary" {
            self.out.problems.push(Problem {
                path: self.rel.to_string(),
                line: value.start_position().row as u32 + 1,
                message: "`extras_require` is computed, not a literal dict; not read".into(),
            });
            return;
        }
        let mut c = d.walk();
        let pairs: Vec<Node> = d
            .named_children(&mut c)
            .filter(|p| p.kind() == "pair")
            .collect();
        for p in pairs {
            let (Some(pk), Some(pv)) =
                (p.child_by_field_name("key"), p.child_by_field_name("value"))
            else {
                continue;
            };
            let extra = string_value(pk, self.src).unwrap_or_default();
            let kind = if is_dev_name(&extra) {
                DepKind::Dev
            } else {
                DepKind::Optional
            };
            self.list("extras_require", pv, kind);
        }
    }

    /// `description=`, `keywords=` (a string or a list) and `classifiers=` (a list), when literal.
    fn declared(&mut self, field: MetaField, value: Node) {
        let v = resolve(self.root, value, self.src);
        let line = |n: Node| n.start_position().row as u32 + 1;
        if let Some(s) = literal_text(v, self.src) {
            let entries = match field {
                MetaField::Keyword => split_keywords(&s),
                MetaField::Description | MetaField::Classifier => vec![s.as_str()],
            };
            for e in entries {
                self.out.declared.push(Declared::new(field, e, line(v)));
            }
            return;
        }
        if !matches!(v.kind(), "list" | "tuple") || field == MetaField::Description {
            return;
        }
        let mut c = v.walk();
        for item in v.named_children(&mut c) {
            if let Some(s) = literal_text(item, self.src) {
                self.out.declared.push(Declared::new(field, &s, line(item)));
            }
        }
    }
}

pub fn parse(source: &str, rel: &str) -> Result<Parsed, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| format!("Python grammar unavailable: {e}"))?;
    let src = source.as_bytes();
    let tree = parser
        .parse(src, None)
        .ok_or_else(|| "the parser gave up on it".to_string())?;
    let root = tree.root_node();
    let mut r = Reader {
        root,
        src,
        rel,
        out: Parsed::default(),
    };
    let Some(call) = find_setup_call(root, src) else {
        return Ok(r.out);
    };
    let Some(args) = call.child_by_field_name("arguments") else {
        return Ok(r.out);
    };
    let mut c = args.walk();
    let kwargs: Vec<Node> = args
        .named_children(&mut c)
        .filter(|a| a.kind() == "keyword_argument")
        .collect();
    for kw in kwargs {
        let (Some(k), Some(v)) = (
            kw.child_by_field_name("name"),
            kw.child_by_field_name("value"),
        ) else {
            continue;
        };
        match text(k, src) {
            "name" => {
                let v = resolve(root, v, src);
                r.out.name = literal_text(v, src);
            }
            "install_requires" => r.list("install_requires", v, DepKind::Runtime),
            arg @ ("tests_require" | "setup_requires") => r.list(arg, v, DepKind::Dev),
            "extras_require" => r.extras(v),
            "description" => r.declared(MetaField::Description, v),
            "keywords" => r.declared(MetaField::Keyword, v),
            "classifiers" => r.declared(MetaField::Classifier, v),
            _ => {}
        }
    }
    Ok(r.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_setup() {
        let text = "from setuptools import setup\n\nREQS = [\n    'paho-mqtt>=2',\n    \"pyserial\",\n]\n\nsetup(\n    name='gateway',\n    install_requires=REQS,\n    extras_require={'ble': ['bleak'], 'test': ['pytest']},\n    tests_require=open('t.txt').read().split(),\n)\n";
        let p = parse(text, "setup.py").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("gateway"));
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("paho-mqtt", 4, DepKind::Runtime),
                ("pyserial", 5, DepKind::Runtime),
                ("bleak", 11, DepKind::Optional),
                ("pytest", 11, DepKind::Dev),
            ]
        );
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        // no setup() call: nothing declared, no error
        let p = parse("print('hi')\n", "setup.py").unwrap_or_else(|e| panic!("{e}"));
        assert!(p.deps.is_empty());
    }

    #[test]
    fn literal_metadata() {
        let text = "CLASSIFIERS = [\n    'Topic :: Multimedia :: Sound/Audio :: Speech',\n    \"Framework :: \" \"AsyncIO\",\n    f'Topic :: {x}',\n]\nsetup(\n    name='hear',\n    description=(\n        'Speech recognition'\n        ' for Python'\n    ),\n    keywords='asr, wake word',\n    classifiers=CLASSIFIERS,\n)\n";
        let p = parse(text, "setup.py").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("hear"));
        assert_eq!(
            p.declared_rows(),
            vec![
                (MetaField::Description, "Speech recognition for Python", 8),
                (MetaField::Keyword, "asr", 12),
                (MetaField::Keyword, "wake word", 12),
                (
                    MetaField::Classifier,
                    "Topic :: Multimedia :: Sound/Audio :: Speech",
                    2
                ),
                (MetaField::Classifier, "Framework :: AsyncIO", 3),
            ]
        );
        let text =
            "setup(description=open('README').read(), keywords=['ocr', KW], classifiers='x')\n";
        let p = parse(text, "setup.py").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.declared_rows(),
            vec![
                (MetaField::Keyword, "ocr", 1),
                (MetaField::Classifier, "x", 1)
            ]
        );
        assert!(p.problems.is_empty());
    }
}
