//! What a name in a file refers to, from that file alone. Friction rules must not fire on an
//! unrelated object that happens to share a method name (`mytime.sleep`, `cache.readFileSync`),
//! so a rule's `@_callee` is turned into a qualified name through the file's own imports and
//! simple assignments: `import time as t; t.sleep` -> `time.sleep`, `from time import sleep;
//! sleep` -> `time.sleep`, `const { execSync } = require('node:child_process')` ->
//! `child_process.execSync`, `with ThreadPoolExecutor() as ex: ex.submit` ->
//! `concurrent.futures.ThreadPoolExecutor().submit`, `self.pool = Pool(); self.pool.map` ->
//! `multiprocessing.dummy.Pool().map`. A call adds `()`; nothing is evaluated.
//!
//! The binding index behind it is built lazily, with one walk over the tree the scanner already
//! parsed, and only for files where some rule's match needs it (most files never pay for it).
//! It is per file and per thread; nothing is shared.
use crate::lang::Lang;
use std::cell::OnceCell;
use std::collections::HashMap;
use tree_sitter::Node;

/// Where the root of a qualified name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An import or `require(...)`: the name is a module path (`time.sleep`, `fs.readFileSync`).
    Import,
    /// Defined in this file (a function or class of the project's own).
    Local,
    /// Bound by nothing the index sees: a builtin, a global, a parameter (`open`, `Atomics`).
    Free,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualified {
    pub name: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy)]
enum Value<'t> {
    /// Bound by an import to this module path (already qualified).
    Import(&'t str, Option<&'t str>),
    /// Bound to the value of this expression.
    Expr(Node<'t>),
    /// `const { a: b } = <expr>`: bound to `<expr>.a`.
    Member(Node<'t>, Node<'t>),
    /// A function, method or class defined here (the definition node).
    Def(Node<'t>),
}

#[derive(Debug, Clone, Copy)]
struct Binding<'t> {
    pos: usize,
    value: Value<'t>,
}

/// Every binding site of one file, by (scope node id, name). Class attributes are keyed
/// `self.x` / `this.x` in the class's scope.
#[derive(Default)]
pub struct Index<'t> {
    map: HashMap<(usize, String), Vec<Binding<'t>>>,
    /// The file calls `<something>.listen(...)` (a server process file, with a server import).
    pub listens: bool,
    /// Every module the file imports or requires, as written (JavaScript).
    pub modules: Vec<&'t str>,
}

/// Per-file state for context checks and name resolution: the parsed tree, the source, and the
/// lazily built binding index.
pub struct FileCtx<'t> {
    pub src: &'t [u8],
    pub root: Node<'t>,
    pub lang: Lang,
    index: OnceCell<Index<'t>>,
}

const MAX_DEPTH: u32 = 8;

impl<'t> FileCtx<'t> {
    pub fn new(root: Node<'t>, src: &'t [u8], lang: Lang) -> FileCtx<'t> {
        FileCtx {
            src,
            root,
            lang,
            index: OnceCell::new(),
        }
    }

    pub fn text(&self, n: Node) -> &'t str {
        self.src
            .get(n.start_byte()..n.end_byte())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    pub fn index(&self) -> &Index<'t> {
        self.index.get_or_init(|| build_index(self))
    }

    /// The qualified name of an expression (a callee, a receiver, a constructor).
    pub fn qualify(&self, n: Node<'t>) -> Option<Qualified> {
        self.qualify_depth(n, 0)
    }

    fn qualify_depth(&self, n: Node<'t>, depth: u32) -> Option<Qualified> {
        if depth > MAX_DEPTH {
            return None;
        }
        let d = depth + 1;
        match n.kind() {
            "identifier" | "property_identifier" | "shorthand_property_identifier" => {
                let name = self.text(n);
                match self.lookup(name, n) {
                    Some(b) => self.qualify_value(b.value, name, d),
                    None => Some(Qualified {
                        name: name.to_string(),
                        origin: Origin::Free,
                    }),
                }
            }
            "this" | "self" => Some(Qualified {
                name: self.text(n).to_string(),
                origin: Origin::Free,
            }),
            "attribute" | "member_expression" => {
                let obj = n.child_by_field_name("object")?;
                let prop = n
                    .child_by_field_name(if n.kind() == "attribute" {
                        "attribute"
                    } else {
                        "property"
                    })
                    .map(|p| self.text(p))?;
                if is_self(self, obj) {
                    let key = format!("{}.{prop}", self.text(obj));
                    if let Some(b) = self.lookup_class_attr(&key, n) {
                        return self.qualify_value(b.value, &key, d);
                    }
                }
                let base = self.qualify_depth(obj, d)?;
                Some(Qualified {
                    name: format!("{}.{prop}", base.name),
                    origin: base.origin,
                })
            }
            "call" | "call_expression" => {
                let f = n.child_by_field_name("function")?;
                if let Some(m) = self.require_module(n) {
                    return Some(Qualified {
                        name: normalize_module(m).to_string(),
                        origin: Origin::Import,
                    });
                }
                let base = self.qualify_depth(f, d)?;
                Some(Qualified {
                    name: format!("{}()", base.name),
                    origin: base.origin,
                })
            }
            "new_expression" => {
                let c = n.child_by_field_name("constructor")?;
                let base = self.qualify_depth(c, d)?;
                Some(Qualified {
                    name: format!("{}()", base.name),
                    origin: base.origin,
                })
            }
            "await"
            | "await_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => {
                let inner = n.named_child(0).filter(|c| c.kind() != "comment")?;
                self.qualify_depth(inner, d)
            }
            _ => None,
        }
    }

    fn qualify_value(&self, v: Value<'t>, name: &str, depth: u32) -> Option<Qualified> {
        match v {
            Value::Import(m, member) => Some(Qualified {
                name: match member {
                    Some(x) => format!("{}.{x}", normalize_module(m)),
                    None => normalize_module(m).to_string(),
                },
                origin: if m.starts_with('.') {
                    Origin::Local
                } else {
                    Origin::Import
                },
            }),
            Value::Expr(e) => self.qualify_depth(e, depth).or(Some(Qualified {
                name: name.to_string(),
                origin: Origin::Local,
            })),
            Value::Member(e, key) => {
                let base = self.qualify_depth(e, depth)?;
                Some(Qualified {
                    name: format!("{}.{}", base.name, self.text(key)),
                    origin: base.origin,
                })
            }
            Value::Def(_) => Some(Qualified {
                name: name.to_string(),
                origin: Origin::Local,
            }),
        }
    }

    /// `require("m")` -> `m` (JavaScript).
    pub fn require_module(&self, call: Node<'t>) -> Option<&'t str> {
        if call.kind() != "call_expression" {
            return None;
        }
        let f = call.child_by_field_name("function")?;
        if f.kind() != "identifier" || self.text(f) != "require" {
            return None;
        }
        let args = call.child_by_field_name("arguments")?;
        let s = args.named_child(0)?;
        string_content(self, s)
    }

    /// The definition (function, method, class) an expression names, if it is defined here.
    pub fn definition_of(&self, n: Node<'t>) -> Option<Node<'t>> {
        let b = match n.kind() {
            "identifier" => self.lookup(self.text(n), n)?,
            "attribute" | "member_expression" => {
                let obj = n.child_by_field_name("object")?;
                if !is_self(self, obj) {
                    return None;
                }
                let prop = n.child_by_field_name(if n.kind() == "attribute" {
                    "attribute"
                } else {
                    "property"
                })?;
                let key = format!("{}.{}", self.text(obj), self.text(prop));
                self.lookup_class_attr(&key, n)?
            }
            _ => return None,
        };
        match b.value {
            Value::Def(d) => Some(d),
            Value::Expr(e) if is_function_value(e.kind()) => Some(e),
            _ => None,
        }
    }

    fn lookup(&self, name: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let idx = self.index();
        let mut cur = Some(at);
        let mut key = (0usize, name.to_string());
        // A class body's names are not visible from inside its methods (Python scoping).
        let mut in_function = false;
        while let Some(n) = cur {
            let class_scope = n.kind() == "class_definition";
            if is_scope(self.lang, n.kind()) && !(class_scope && in_function) {
                key.0 = n.id();
                if let Some(v) = idx.map.get(&key) {
                    return pick(v, at.start_byte());
                }
            }
            if n.kind() == "function_definition" || n.kind() == "lambda" {
                in_function = true;
            }
            cur = n.parent();
        }
        None
    }

    fn lookup_class_attr(&self, key: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let class = enclosing_class(at)?;
        let v = self.index().map.get(&(class.id(), key.to_string()))?;
        // Attributes are set in one method and used in another: any position counts.
        pick(v, usize::MAX)
    }
}

/// The last binding before `pos`, or else the first one (a function defined below its use).
fn pick<'t>(v: &[Binding<'t>], pos: usize) -> Option<Binding<'t>> {
    v.iter()
        .rev()
        .find(|b| b.pos < pos)
        .or_else(|| v.first())
        .copied()
}

fn is_self(fx: &FileCtx, n: Node) -> bool {
    match n.kind() {
        "this" => true,
        "identifier" => fx.lang == Lang::Python && fx.text(n) == "self",
        _ => false,
    }
}

/// `node:fs` -> `fs`.
pub fn normalize_module(m: &str) -> &str {
    m.strip_prefix("node:").unwrap_or(m)
}

fn string_content<'t>(fx: &FileCtx<'t>, s: Node<'t>) -> Option<&'t str> {
    if s.kind() != "string" {
        return None;
    }
    let mut c = s.walk();
    let frag = s
        .named_children(&mut c)
        .find(|ch| ch.kind() == "string_fragment" || ch.kind() == "string_content")?;
    Some(fx.text(frag))
}

pub fn is_scope(lang: Lang, kind: &str) -> bool {
    match lang {
        Lang::Python => matches!(
            kind,
            "module" | "function_definition" | "lambda" | "class_definition"
        ),
        _ => matches!(
            kind,
            "program"
                | "function_declaration"
                | "function_expression"
                | "function"
                | "arrow_function"
                | "method_definition"
                | "generator_function_declaration"
                | "generator_function"
        ),
    }
}

fn is_function_value(kind: &str) -> bool {
    matches!(
        kind,
        "function_expression" | "function" | "arrow_function" | "generator_function" | "lambda"
    )
}

pub fn enclosing_class(n: Node) -> Option<Node> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if matches!(
            p.kind(),
            "class_definition" | "class_declaration" | "class" | "abstract_class_declaration"
        ) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// The scope a binding made at `n` belongs to: the nearest enclosing scope node. A function's
/// own name belongs to the scope around it.
fn scope_of(lang: Lang, n: Node) -> Option<usize> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_scope(lang, p.kind()) {
            return Some(p.id());
        }
        cur = p.parent();
    }
    None
}

fn build_index<'t>(fx: &FileCtx<'t>) -> Index<'t> {
    let mut idx = Index::default();
    let mut cursor = fx.root.walk();
    loop {
        let n = cursor.node();
        if fx.lang == Lang::Python {
            index_python(fx, n, &mut idx);
        } else {
            index_js(fx, n, &mut idx);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return idx;
            }
        }
    }
}

fn add<'t>(idx: &mut Index<'t>, scope: Option<usize>, name: &str, pos: usize, value: Value<'t>) {
    let Some(scope) = scope else { return };
    if name.is_empty() {
        return;
    }
    idx.map
        .entry((scope, name.to_string()))
        .or_default()
        .push(Binding { pos, value });
}

fn index_python<'t>(fx: &FileCtx<'t>, n: Node<'t>, idx: &mut Index<'t>) {
    let lang = fx.lang;
    let pos = n.start_byte();
    match n.kind() {
        "import_statement" => {
            let mut c = n.walk();
            for name in n.children_by_field_name("name", &mut c) {
                match name.kind() {
                    // import a.b.c binds `a` to module `a`
                    "dotted_name" => {
                        let full = fx.text(name);
                        let first = full.split('.').next().unwrap_or(full);
                        add(
                            idx,
                            scope_of(lang, n),
                            first,
                            pos,
                            Value::Import(first, None),
                        );
                    }
                    // import a.b as x binds `x` to `a.b`
                    "aliased_import" => {
                        if let (Some(m), Some(a)) = (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) {
                            add(
                                idx,
                                scope_of(lang, n),
                                fx.text(a),
                                pos,
                                Value::Import(fx.text(m), None),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        "import_from_statement" => {
            let Some(module) = n.child_by_field_name("module_name") else {
                return;
            };
            let m = fx.text(module);
            let mut c = n.walk();
            for name in n.children_by_field_name("name", &mut c) {
                let (orig, bound) = match name.kind() {
                    "dotted_name" => (name, name),
                    "aliased_import" => match (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) {
                        (Some(o), Some(a)) => (o, a),
                        _ => continue,
                    },
                    _ => continue,
                };
                add(
                    idx,
                    scope_of(lang, n),
                    fx.text(bound),
                    pos,
                    Value::Import(m, Some(fx.text(orig))),
                );
            }
        }
        "assignment" => {
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            bind_target(fx, idx, left, pos, Value::Expr(right));
        }
        "with_item" => {
            // with X as name
            let Some(v) = n.child_by_field_name("value") else {
                return;
            };
            if v.kind() != "as_pattern" {
                return;
            }
            let (Some(x), Some(alias)) = (v.named_child(0), v.child_by_field_name("alias")) else {
                return;
            };
            if let Some(target) = alias.named_child(0) {
                bind_target(fx, idx, target, pos, Value::Expr(x));
            }
        }
        "function_definition" | "class_definition" => {
            let Some(name) = n.child_by_field_name("name") else {
                return;
            };
            let name = fx.text(name);
            add(idx, scope_of(lang, n), name, pos, Value::Def(n));
            // a method is also `self.name` in its class
            if n.kind() == "function_definition" {
                if let Some(class) = n
                    .parent()
                    .and_then(|b| b.parent())
                    .filter(|c| c.kind() == "class_definition")
                {
                    add(
                        idx,
                        Some(class.id()),
                        &format!("self.{name}"),
                        pos,
                        Value::Def(n),
                    );
                }
            }
        }
        _ => {}
    }
}

/// `name = v` binds name in its scope; `self.x = v` binds `self.x` in the enclosing class.
fn bind_target<'t>(
    fx: &FileCtx<'t>,
    idx: &mut Index<'t>,
    left: Node<'t>,
    pos: usize,
    v: Value<'t>,
) {
    match left.kind() {
        "identifier" => add(idx, scope_of(fx.lang, left), fx.text(left), pos, v),
        "attribute" | "member_expression" => {
            let Some(obj) = left.child_by_field_name("object") else {
                return;
            };
            if !is_self(fx, obj) {
                return;
            }
            let prop = left.child_by_field_name(if left.kind() == "attribute" {
                "attribute"
            } else {
                "property"
            });
            if let (Some(prop), Some(class)) = (prop, enclosing_class(left)) {
                let key = format!("{}.{}", fx.text(obj), fx.text(prop));
                add(idx, Some(class.id()), &key, pos, v);
            }
        }
        _ => {}
    }
}

fn index_js<'t>(fx: &FileCtx<'t>, n: Node<'t>, idx: &mut Index<'t>) {
    let lang = fx.lang;
    let pos = n.start_byte();
    match n.kind() {
        "import_statement" => {
            let Some(source) = n
                .child_by_field_name("source")
                .and_then(|s| string_content(fx, s))
            else {
                return;
            };
            idx.modules.push(source);
            let mut c = n.walk();
            let Some(clause) = n
                .named_children(&mut c)
                .find(|ch| ch.kind() == "import_clause")
            else {
                return;
            };
            let scope = scope_of(lang, n);
            let mut c2 = clause.walk();
            for part in clause.named_children(&mut c2) {
                match part.kind() {
                    // import fs from "fs": the default export stands for the module
                    "identifier" => {
                        add(idx, scope, fx.text(part), pos, Value::Import(source, None))
                    }
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            add(idx, scope, fx.text(id), pos, Value::Import(source, None));
                        }
                    }
                    "named_imports" => {
                        let mut c3 = part.walk();
                        for spec in part.named_children(&mut c3) {
                            if spec.kind() != "import_specifier" {
                                continue;
                            }
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let bound = spec.child_by_field_name("alias").unwrap_or(name);
                            let member = fx.text(name);
                            // `import { default as x }` is the module itself
                            let member = (member != "default").then_some(member);
                            add(
                                idx,
                                scope,
                                fx.text(bound),
                                pos,
                                Value::Import(source, member),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        "variable_declarator" => {
            let (Some(name), Some(value)) = (
                n.child_by_field_name("name"),
                n.child_by_field_name("value"),
            ) else {
                return;
            };
            bind_pattern(fx, idx, name, value, pos);
        }
        "assignment_expression" => {
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            if left.kind() == "object_pattern" {
                bind_pattern(fx, idx, left, right, pos);
            } else {
                bind_target(fx, idx, left, pos, Value::Expr(right));
            }
        }
        "field_definition" | "public_field_definition" => {
            let (Some(prop), Some(value)) = (
                n.child_by_field_name("property")
                    .or_else(|| n.child_by_field_name("name")),
                n.child_by_field_name("value"),
            ) else {
                return;
            };
            if let Some(class) = enclosing_class(n) {
                let key = format!("this.{}", fx.text(prop));
                add(idx, Some(class.id()), &key, pos, Value::Expr(value));
            }
        }
        "function_declaration" | "generator_function_declaration" | "class_declaration" => {
            if let Some(name) = n.child_by_field_name("name") {
                add(idx, scope_of(lang, n), fx.text(name), pos, Value::Def(n));
            }
        }
        "method_definition" => {
            if let (Some(name), Some(class)) = (n.child_by_field_name("name"), enclosing_class(n)) {
                let key = format!("this.{}", fx.text(name));
                add(idx, Some(class.id()), &key, pos, Value::Def(n));
            }
        }
        "call_expression" => {
            if let Some(m) = fx.require_module(n) {
                idx.modules.push(m);
            }
            if let Some(f) = n.child_by_field_name("function") {
                if f.kind() == "member_expression"
                    && f.child_by_field_name("property")
                        .is_some_and(|p| fx.text(p) == "listen")
                {
                    idx.listens = true;
                }
            }
        }
        _ => {}
    }
}

/// `const x = v`, `const { a, b: c } = v`.
fn bind_pattern<'t>(
    fx: &FileCtx<'t>,
    idx: &mut Index<'t>,
    pattern: Node<'t>,
    value: Node<'t>,
    pos: usize,
) {
    match pattern.kind() {
        "identifier" => add(
            idx,
            scope_of(fx.lang, pattern),
            fx.text(pattern),
            pos,
            Value::Expr(value),
        ),
        "object_pattern" => {
            let scope = scope_of(fx.lang, pattern);
            let mut c = pattern.walk();
            for p in pattern.named_children(&mut c) {
                match p.kind() {
                    "shorthand_property_identifier_pattern" => {
                        add(idx, scope, fx.text(p), pos, Value::Member(value, p));
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) =
                            (p.child_by_field_name("key"), p.child_by_field_name("value"))
                        {
                            let v = if v.kind() == "assignment_pattern" {
                                v.child_by_field_name("left").unwrap_or(v)
                            } else {
                                v
                            };
                            if v.kind() == "identifier" {
                                add(idx, scope, fx.text(v), pos, Value::Member(value, k));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// `*` matches any run of characters (including none); everything else is literal.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tree_sitter::Parser;

    /// Qualified names of every call's callee in `src`, as (text, qualified, origin).
    fn calls(lang: Lang, src: &str) -> Vec<(String, String, Origin)> {
        let mut p = Parser::new();
        p.set_language(&lang.ts_language())
            .unwrap_or_else(|e| panic!("{e}"));
        let tree = p.parse(src, None).unwrap_or_else(|| panic!("no tree"));
        let fx = FileCtx::new(tree.root_node(), src.as_bytes(), lang);
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if matches!(n.kind(), "call" | "call_expression" | "new_expression") {
                let f = n
                    .child_by_field_name("function")
                    .or_else(|| n.child_by_field_name("constructor"));
                if let Some(f) = f {
                    if let Some(q) = fx.qualify(f) {
                        out.push((fx.text(f).to_string(), q.name, q.origin));
                    }
                }
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn q(v: &[(String, String, Origin)], text: &str) -> Option<(String, Origin)> {
        v.iter().find(|x| x.0 == text).map(|x| (x.1.clone(), x.2))
    }

    #[test]
    fn python_imports_and_assignments() {
        let src = "\
import time as t
import urllib.request
from subprocess import run as sprun
from concurrent.futures import ThreadPoolExecutor
from .local import helper
def f(mytime):
    t.sleep(1)
    mytime.sleep(1)
    sprun(['ls'])
    urllib.request.urlopen('x')
    helper()
    with ThreadPoolExecutor() as ex, open('p') as fh:
        ex.submit(g)
        fh.read()
class C:
    def __init__(self):
        self.pool = ThreadPoolExecutor(4)
    def go(self):
        self.pool.map(g, [])
        self.go2()
    def go2(self):
        pass
";
        let v = calls(Lang::Python, src);
        assert_eq!(
            q(&v, "t.sleep"),
            Some(("time.sleep".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "mytime.sleep"),
            Some(("mytime.sleep".into(), Origin::Free))
        );
        assert_eq!(
            q(&v, "sprun"),
            Some(("subprocess.run".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "urllib.request.urlopen"),
            Some(("urllib.request.urlopen".into(), Origin::Import))
        );
        assert_eq!(q(&v, "helper").map(|x| x.1), Some(Origin::Local));
        assert_eq!(
            q(&v, "ex.submit"),
            Some((
                "concurrent.futures.ThreadPoolExecutor().submit".into(),
                Origin::Import
            ))
        );
        assert_eq!(q(&v, "fh.read"), Some(("open().read".into(), Origin::Free)));
        assert_eq!(
            q(&v, "self.pool.map"),
            Some((
                "concurrent.futures.ThreadPoolExecutor().map".into(),
                Origin::Import
            ))
        );
        assert_eq!(q(&v, "self.go2").map(|x| x.1), Some(Origin::Local));
    }

    #[test]
    fn js_imports_requires_and_destructuring() {
        let src = "\
const fs = require('fs');
const { execSync, spawnSync: ss } = require('node:child_process');
import * as crypto from 'node:crypto';
import { readFileSync as rfs } from 'fs';
import EventEmitter from 'events';
const fsp = require('fs').promises;
const cache = makeCache();
class S { e = new EventEmitter(); run() { this.e.emit('x'); } }
async function main() {
  fs.readFileSync('a');
  execSync('ls');
  ss('ls');
  crypto.pbkdf2Sync('a');
  rfs('b');
  cache.readFileSync('c');
  fsp.readFile('d');
  require('fs').statSync('e');
  Atomics.wait(a, 0, 0);
}
";
        let v = calls(Lang::JavaScript, src);
        assert_eq!(
            q(&v, "fs.readFileSync"),
            Some(("fs.readFileSync".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "execSync"),
            Some(("child_process.execSync".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "ss"),
            Some(("child_process.spawnSync".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "crypto.pbkdf2Sync"),
            Some(("crypto.pbkdf2Sync".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "rfs"),
            Some(("fs.readFileSync".into(), Origin::Import))
        );
        assert_eq!(q(&v, "cache.readFileSync").map(|x| x.1), Some(Origin::Free));
        assert_eq!(
            q(&v, "fsp.readFile"),
            Some(("fs.promises.readFile".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "require('fs').statSync"),
            Some(("fs.statSync".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "EventEmitter"),
            Some(("events".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "this.e.emit"),
            Some(("events().emit".into(), Origin::Import))
        );
        assert_eq!(
            q(&v, "Atomics.wait"),
            Some(("Atomics.wait".into(), Origin::Free))
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("fs.*Sync", "fs.readFileSync"));
        assert!(!wildcard_match("fs.*Sync", "fs.readFile"));
        assert!(wildcard_match("requests.*", "requests.Session().get"));
        assert!(wildcard_match(
            "*loop.create_task",
            "self._loop.create_task"
        ));
        assert!(!wildcard_match("*loop.create_task", "tg.create_task"));
        assert!(wildcard_match(
            "@tensorflow/tfjs*.sequential().fit",
            "@tensorflow/tfjs-node.sequential().fit"
        ));
        assert!(wildcard_match("a", "a"));
        assert!(!wildcard_match("a", "ab"));
    }
}
