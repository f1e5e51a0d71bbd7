//! Which grammar a file gets. A file's language comes from its name (extension, `.d.ts`) or,
//! for extensionless scripts, from its shebang line; everything else is not scanned. Also the
//! node kinds every stage names: which are functions and which are classes.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Python, Lang::JavaScript, Lang::TypeScript, Lang::Tsx];

    /// The language a person would name: TSX is TypeScript.
    pub fn family(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript | Lang::Tsx => "typescript",
        }
    }

    pub fn ts_language(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }

    /// The query directories searched for this grammar, most specific first.
    pub fn query_dirs(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["python"],
            Lang::JavaScript => &["javascript"],
            Lang::TypeScript => &["typescript", "javascript"],
            Lang::Tsx => &["tsx", "typescript", "javascript"],
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a person writes a language family's name ("python" -> "Python").
pub fn display_name(family: &str) -> &str {
    match family {
        "python" => "Python",
        "javascript" => "JavaScript",
        "typescript" => "TypeScript",
        other => other,
    }
}

/// Language by file name, or `None` when the name says nothing (or says "not source").
pub fn from_path(name: &str) -> Option<Lang> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "py" | "pyi" | "pyw" => Some(Lang::Python),
        "js" | "mjs" | "cjs" | "jsx" => Some(Lang::JavaScript),
        "ts" | "mts" | "cts" => Some(Lang::TypeScript),
        "tsx" => Some(Lang::Tsx),
        _ => None,
    }
}

/// True for declaration files: TypeScript `.d.ts`/`.d.mts`/`.d.cts` and Python `.pyi` stubs.
/// They hold types, not behaviour, so they say nothing about the workload.
pub fn is_declaration_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".d.ts")
        || lower.ends_with(".d.mts")
        || lower.ends_with(".d.cts")
        || lower.ends_with(".pyi")
}

/// Language of an extensionless script from its first line (`#!/usr/bin/env python3`).
pub fn from_shebang(head: &[u8]) -> Option<Lang> {
    let line = head.strip_prefix(b"#!")?;
    let end = line.iter().position(|&b| b == b'\n').unwrap_or(line.len());
    let line = std::str::from_utf8(&line[..end]).ok()?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match prog {
        "python" | "pypy" | "uv" => Some(Lang::Python),
        "node" | "nodejs" | "bun" => Some(Lang::JavaScript),
        "deno" | "ts-node" | "tsx" => Some(Lang::TypeScript),
        _ => None,
    }
}

/// A function of either grammar: `def`, `lambda`, a declaration, expression, arrow, method or
/// generator.
pub fn is_function_kind(kind: &str) -> bool {
    matches!(
        kind,
        "function_definition"
            | "lambda"
            | "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

pub fn is_class(kind: &str) -> bool {
    matches!(
        kind,
        "class_definition" | "class_declaration" | "class" | "abstract_class_declaration"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(from_path("a/b.py"), Some(Lang::Python));
        assert_eq!(from_path("x.MJS"), Some(Lang::JavaScript));
        assert_eq!(from_path("x.cts"), Some(Lang::TypeScript));
        assert_eq!(from_path("App.tsx"), Some(Lang::Tsx));
        assert_eq!(from_path("README"), None);
        assert_eq!(from_path("x.json"), None);
        assert!(is_declaration_file("index.d.ts"));
        assert!(!is_declaration_file("index.ts"));
        assert!(is_declaration_file("pkg/__init__.pyi"));
        assert!(!is_declaration_file("pkg/__init__.py"));
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            from_shebang(b"#!/usr/bin/env python3\nimport x"),
            Some(Lang::Python)
        );
        assert_eq!(from_shebang(b"#!/usr/bin/python3.11\n"), Some(Lang::Python));
        assert_eq!(
            from_shebang(b"#!/usr/bin/env -S node --no-warnings\n"),
            Some(Lang::JavaScript)
        );
        assert_eq!(from_shebang(b"#!/bin/sh\n"), None);
        assert_eq!(from_shebang(b"import os\n"), None);
    }
}
