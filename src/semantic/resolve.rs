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
use std::sync::OnceLock;
use tree_sitter::Node;

const SCOPE: u8 = 1;
const CLASS: u8 = 2;
const BINDS: u8 = 4;

/// Per grammar, by node kind id: whether the index must look at a node (it opens a scope or a
/// class, or it can bind a name). Comparing ids is much cheaper than comparing kind names on
/// every node of the tree.
fn kind_flags(lang: Lang) -> &'static [u8] {
    static TABLES: [OnceLock<Vec<u8>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    TABLES[lang.index()].get_or_init(|| {
        let language = lang.ts_language();
        (0..language.node_kind_count())
            .map(|id| {
                let Some(kind) = u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                else {
                    return 0;
                };
                let mut f = 0;
                if is_scope(lang, kind) {
                    f |= SCOPE;
                }
                if is_class(kind) {
                    f |= CLASS;
                }
                let binds = if lang == Lang::Python {
                    matches!(
                        kind,
                        "import_statement"
                            | "import_from_statement"
                            | "assignment"
                            | "with_item"
                            | "function_definition"
                            | "class_definition"
                    )
                } else {
                    matches!(
                        kind,
                        "import_statement"
                            | "variable_declarator"
                            | "assignment_expression"
                            | "field_definition"
                            | "public_field_definition"
                            | "function_declaration"
                            | "generator_function_declaration"
                            | "class_declaration"
                            | "method_definition"
                            | "call_expression"
                    )
                };
                if binds {
                    f |= BINDS;
                }
                f
            })
            .collect()
    })
}

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
    /// A parameter of the enclosing function: unknown value, but it hides outer names.
    Param,
}

#[derive(Debug, Clone, Copy)]
struct Binding<'t> {
    pos: usize,
    value: Value<'t>,
}

/// Binding sites by (scope node id, name), filled one scope at a time as lookups need them:
/// a scope is walked once, without descending into the functions nested in it. Class
/// attributes are keyed `self.x` / `this.x` under the class's id (a class is walked whole).
#[derive(Default)]
struct Index<'t> {
    map: HashMap<(usize, String), Vec<Binding<'t>>>,
    /// Scopes and classes already walked.
    done: std::collections::HashSet<usize>,
}

/// What the whole file shows about being a server process (JavaScript).
#[derive(Default)]
pub struct ServerInfo<'t> {
    /// The file calls `<something>.listen(...)`.
    pub listens: bool,
    /// Every module the file imports or requires, as written.
    pub modules: Vec<&'t str>,
}

/// Per-file state for context checks and name resolution: the parsed tree, the source, and the
/// lazily built binding index.
pub struct SemanticModel<'t> {
    pub src: &'t [u8],
    pub root: Node<'t>,
    pub lang: Lang,
    index: std::cell::RefCell<Index<'t>>,
    server: OnceCell<ServerInfo<'t>>,
}

const MAX_DEPTH: u32 = 8;

impl<'t> SemanticModel<'t> {
    pub fn new(root: Node<'t>, src: &'t [u8], lang: Lang) -> SemanticModel<'t> {
        SemanticModel {
            src,
            root,
            lang,
            index: std::cell::RefCell::new(Index::default()),
            server: OnceCell::new(),
        }
    }

    pub fn text(&self, n: Node) -> &'t str {
        self.src
            .get(n.start_byte()..n.end_byte())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Imports and `.listen(...)` calls anywhere in the file (one walk, on first use).
    pub fn server_info(&self) -> &ServerInfo<'t> {
        self.server.get_or_init(|| server_info(self))
    }

    /// The bindings of one scope or class, walking it on first use.
    fn bindings_in(&self, scope: Node<'t>, key: &(usize, String)) -> Option<Vec<Binding<'t>>> {
        let as_class = is_class(scope.kind()) && key.1.contains('.');
        // A Python class is both a scope (its body's names) and a class (`self.x`): two walks.
        let done_key = if as_class { !scope.id() } else { scope.id() };
        if !self.index.borrow().done.contains(&done_key) {
            let mut idx = Index::default();
            if as_class {
                index_class(self, scope, &mut idx);
            } else {
                index_scope(self, scope, &mut idx);
            }
            let mut shared = self.index.borrow_mut();
            for (k, v) in idx.map {
                shared.map.entry(k).or_default().extend(v);
            }
            shared.done.insert(done_key);
        }
        self.index.borrow().map.get(key).cloned()
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
            Value::Param => Some(Qualified {
                name: name.to_string(),
                origin: Origin::Free,
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

    /// What a name (or `self.x` / `this.x`) was last bound to before `n`, if anything.
    fn binding_at(&self, n: Node<'t>) -> Option<Binding<'t>> {
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
        Some(b)
    }

    /// The expression a name (or `self.x` / `this.x`) was last assigned before `n`, if any.
    pub fn value_of(&self, n: Node<'t>) -> Option<Node<'t>> {
        let b = self.binding_at(n)?;
        match b.value {
            Value::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// The definition (function, method, class) an expression names, if it is defined here.
    pub fn definition_of(&self, n: Node<'t>) -> Option<Node<'t>> {
        let b = self.binding_at(n)?;
        match b.value {
            Value::Def(d) => Some(d),
            Value::Expr(e) if is_function_value(e.kind()) => Some(e),
            _ => None,
        }
    }

    /// `at`'s ancestors, nearest first. Asking tree-sitter for a parent searches down from the
    /// root, so the chain is built in one descent instead.
    pub fn ancestors(&self, at: Node<'t>) -> Vec<Node<'t>> {
        let mut chain = Vec::new();
        let mut cur = self.root;
        while cur.id() != at.id() {
            chain.push(cur);
            match cur.child_with_descendant(at) {
                Some(c) if c.id() != cur.id() => cur = c,
                _ => break,
            }
        }
        chain.reverse();
        chain
    }

    fn lookup(&self, name: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let mut key = (0usize, name.to_string());
        // A class body's names are not visible from inside its methods (Python scoping).
        let mut in_function = false;
        let chain = self.ancestors(at);
        for n in std::iter::once(at).chain(chain) {
            let class_scope = n.kind() == "class_definition";
            if is_scope(self.lang, n.kind()) && !(class_scope && in_function) {
                key.0 = n.id();
                if let Some(v) = self.bindings_in(n, &key) {
                    return pick(&v, at.start_byte());
                }
            }
            if n.kind() == "function_definition" || n.kind() == "lambda" {
                in_function = true;
            }
        }
        None
    }

    fn lookup_class_attr(&self, key: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let class = enclosing_class(at)?;
        let v = self.bindings_in(class, &(class.id(), key.to_string()))?;
        // Attributes are set in one method and used in another: any position counts.
        pick(&v, usize::MAX)
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

fn is_self(fx: &SemanticModel, n: Node) -> bool {
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

fn string_content<'t>(fx: &SemanticModel<'t>, s: Node<'t>) -> Option<&'t str> {
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

/// Where the walk is: the innermost scope and class around the current node (not counting the
/// node itself).
#[derive(Clone, Copy)]
struct Here {
    scope: Option<usize>,
    class: Option<usize>,
}

fn is_class(kind: &str) -> bool {
    matches!(
        kind,
        "class_definition" | "class_declaration" | "class" | "abstract_class_declaration"
    )
}

/// Walks the subtree of `top` with a cursor, calling `visit` on every node; `visit` returns
/// whether to descend into the node's children.
fn walk<'t>(top: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = top.walk();
    loop {
        let n = cursor.node();
        if visit(n) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == top.id() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The names bound directly in one scope: its parameters, imports, assignments, `with ... as`
/// targets and the functions and classes defined in it; nested functions are not entered.
fn index_scope<'t>(fx: &SemanticModel<'t>, scope: Node<'t>, idx: &mut Index<'t>) {
    let flags = kind_flags(fx.lang);
    let here = Here {
        scope: Some(scope.id()),
        class: None,
    };
    index_params(fx, scope, idx);
    walk(scope, |n| {
        if n.id() == scope.id() {
            return true;
        }
        let f = flags.get(n.kind_id() as usize).copied().unwrap_or(0);
        if f & BINDS != 0 {
            if fx.lang == Lang::Python {
                index_python(fx, n, here, idx);
            } else {
                index_js(fx, n, here, idx);
            }
        }
        f & SCOPE == 0
    });
}

/// The attributes a class sets on `self`/`this` (in any method), its class fields and its
/// methods. Nested classes are not entered.
fn index_class<'t>(fx: &SemanticModel<'t>, class: Node<'t>, idx: &mut Index<'t>) {
    let flags = kind_flags(fx.lang);
    let here = Here {
        scope: None,
        class: Some(class.id()),
    };
    walk(class, |n| {
        if n.id() == class.id() {
            return true;
        }
        let f = flags.get(n.kind_id() as usize).copied().unwrap_or(0);
        if f & BINDS != 0 {
            if fx.lang == Lang::Python {
                index_python(fx, n, here, idx);
            } else {
                index_js(fx, n, here, idx);
            }
        }
        f & CLASS == 0
    });
}

/// A Python `def` directly in the body of the class `class` (possibly decorated).
fn is_method_of(n: Node, class: usize) -> bool {
    let mut cur = n.parent();
    for _ in 0..3 {
        match cur {
            Some(p) if p.id() == class => return true,
            Some(p) if matches!(p.kind(), "block" | "decorated_definition") => cur = p.parent(),
            _ => return false,
        }
    }
    false
}

fn server_info<'t>(fx: &SemanticModel<'t>) -> ServerInfo<'t> {
    let mut info = ServerInfo::default();
    walk(fx.root, |n| {
        match n.kind() {
            "import_statement" => {
                if let Some(m) = n
                    .child_by_field_name("source")
                    .and_then(|s| string_content(fx, s))
                {
                    info.modules.push(m);
                }
            }
            "call_expression" => {
                if let Some(m) = fx.require_module(n) {
                    info.modules.push(m);
                }
                let listen = n
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                    .and_then(|f| f.child_by_field_name("property"))
                    .is_some_and(|p| fx.text(p) == "listen");
                info.listens |= listen;
            }
            _ => {}
        }
        true
    });
    info
}

/// A function's parameters bind their names in the function's own scope.
fn index_params<'t>(fx: &SemanticModel<'t>, f: Node<'t>, idx: &mut Index<'t>) {
    if !is_scope(fx.lang, f.kind()) || matches!(f.kind(), "module" | "program" | "class_definition")
    {
        return;
    }
    let Some(params) = f
        .child_by_field_name("parameters")
        .or_else(|| f.child_by_field_name("parameter"))
    else {
        return;
    };
    let mut names = Vec::new();
    param_names(fx, params, &mut names);
    for name in names {
        add(idx, Some(f.id()), name, f.start_byte(), Value::Param);
    }
}

/// The names a parameter list binds: identifiers in binding positions, not in type annotations
/// or default values.
fn param_names<'t>(fx: &SemanticModel<'t>, n: Node<'t>, out: &mut Vec<&'t str>) {
    match n.kind() {
        "identifier" | "shorthand_property_identifier_pattern" => {
            out.push(fx.text(n));
            return;
        }
        "type" | "type_annotation" => return,
        _ => {}
    }
    let has_default = matches!(
        n.kind(),
        "default_parameter"
            | "typed_default_parameter"
            | "required_parameter"
            | "optional_parameter"
            | "assignment_pattern"
    );
    let mut c = n.walk();
    for (i, child) in n.children(&mut c).enumerate() {
        let field = n.field_name_for_child(i as u32);
        if matches!(field, Some("type"))
            || (has_default && matches!(field, Some("value" | "right")))
        {
            continue;
        }
        if n.kind() == "pair_pattern" && field == Some("key") {
            continue;
        }
        if n.kind() == "typed_parameter" && child.kind() == "identifier" {
            out.push(fx.text(child));
            return;
        }
        param_names(fx, child, out);
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

fn index_python<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
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
                        add(idx, here.scope, first, pos, Value::Import(first, None));
                    }
                    // import a.b as x binds `x` to `a.b`
                    "aliased_import" => {
                        if let (Some(m), Some(a)) = (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) {
                            add(
                                idx,
                                here.scope,
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
                    here.scope,
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
            bind_target(fx, idx, here, left, pos, Value::Expr(right));
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
                bind_target(fx, idx, here, target, pos, Value::Expr(x));
            }
        }
        "function_definition" | "class_definition" => {
            let Some(name) = n.child_by_field_name("name") else {
                return;
            };
            let name = fx.text(name);
            add(idx, here.scope, name, pos, Value::Def(n));
            // a method is also `self.name` in its class
            if let Some(class) = here
                .class
                .filter(|c| n.kind() == "function_definition" && is_method_of(n, *c))
            {
                add(
                    idx,
                    Some(class),
                    &format!("self.{name}"),
                    pos,
                    Value::Def(n),
                );
            }
        }
        _ => {}
    }
}

/// `name = v` binds name in its scope; `self.x = v` binds `self.x` in the enclosing class.
fn bind_target<'t>(
    fx: &SemanticModel<'t>,
    idx: &mut Index<'t>,
    here: Here,
    left: Node<'t>,
    pos: usize,
    v: Value<'t>,
) {
    match left.kind() {
        "identifier" => add(idx, here.scope, fx.text(left), pos, v),
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
            if let (Some(prop), Some(class)) = (prop, here.class) {
                let key = format!("{}.{}", fx.text(obj), fx.text(prop));
                add(idx, Some(class), &key, pos, v);
            }
        }
        _ => {}
    }
}

fn index_js<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    match n.kind() {
        "import_statement" => {
            let Some(source) = n
                .child_by_field_name("source")
                .and_then(|s| string_content(fx, s))
            else {
                return;
            };
            let mut c = n.walk();
            let Some(clause) = n
                .named_children(&mut c)
                .find(|ch| ch.kind() == "import_clause")
            else {
                return;
            };
            let scope = here.scope;
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
            bind_pattern(fx, idx, here, name, value, pos);
        }
        "assignment_expression" => {
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            if left.kind() == "object_pattern" {
                bind_pattern(fx, idx, here, left, right, pos);
            } else {
                bind_target(fx, idx, here, left, pos, Value::Expr(right));
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
            if let Some(class) = here.class {
                let key = format!("this.{}", fx.text(prop));
                add(idx, Some(class), &key, pos, Value::Expr(value));
            }
        }
        "function_declaration" | "generator_function_declaration" | "class_declaration" => {
            if let Some(name) = n.child_by_field_name("name") {
                add(idx, here.scope, fx.text(name), pos, Value::Def(n));
            }
        }
        "method_definition" => {
            if let (Some(name), Some(class)) = (n.child_by_field_name("name"), enclosing_class(n)) {
                let key = format!("this.{}", fx.text(name));
                add(idx, Some(class.id()), &key, pos, Value::Def(n));
            }
        }
        _ => {}
    }
}

/// `const x = v`, `const { a, b: c } = v`.
fn bind_pattern<'t>(
    fx: &SemanticModel<'t>,
    idx: &mut Index<'t>,
    here: Here,
    pattern: Node<'t>,
    value: Node<'t>,
    pos: usize,
) {
    match pattern.kind() {
        "identifier" => add(idx, here.scope, fx.text(pattern), pos, Value::Expr(value)),
        "object_pattern" => {
            let scope = here.scope;
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
        let fx = SemanticModel::new(tree.root_node(), src.as_bytes(), lang);
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
    fn parameters_hide_outer_names() {
        let py = "\
import time
fp = open('x')
def f(fp, time=None, *rest, **kw):
    fp.write(1)
    time.sleep(1)
def g():
    fp.write(2)
";
        let v = calls(Lang::Python, py);
        let writes: Vec<_> = v.iter().filter(|x| x.0 == "fp.write").collect();
        assert_eq!(writes.len(), 2);
        assert!(writes
            .iter()
            .any(|x| x.1 == "fp.write" && x.2 == Origin::Free));
        assert!(writes.iter().any(|x| x.1 == "open().write"));
        assert_eq!(q(&v, "time.sleep").map(|x| x.1), Some(Origin::Free));
        let js = "\
const fs = require('fs');
function a(fs, { execSync }, [x] = [], ...rest) { fs.readFileSync('a'); execSync('b'); }
const b = (fs) => fs.statSync('c');
function c(n: number = fs.readFileSync('d').length) {}
";
        let v = calls(Lang::TypeScript, js);
        let reads: Vec<Origin> = v
            .iter()
            .filter(|x| x.0 == "fs.readFileSync")
            .map(|x| x.2)
            .collect();
        // the parameter inside a(); the module's fs in c()'s default value
        assert!(
            reads.contains(&Origin::Free) && reads.contains(&Origin::Import),
            "{reads:?}"
        );
        assert_eq!(q(&v, "execSync").map(|x| x.1), Some(Origin::Free));
        assert_eq!(q(&v, "fs.statSync").map(|x| x.1), Some(Origin::Free));
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
