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
//!
//! Its work is bounded per file: every node it visits (index walks, ancestor chains) is
//! charged to a step budget (`MAX_RESOLVE_STEPS`); past it, lookups answer "unknown" and the
//! analyzer skips the file with its reason (`over_budget`), so no input makes it quadratic for
//! long.
//!
//! This module holds the model and the lookups; `index` builds the binding index one scope at a
//! time, with the per-language binding sites in `python` and `js`; `parents` caches each
//! node's parent, for every ancestor climb of the file's checks (tree-sitter's own
//! `Node::parent` searches down from the root).
use crate::lang::Lang;
use crate::semantic::scope::{enclosing_class, is_class, is_scope};
use index::{index_class, index_scope, Binding, Index, Value};
use std::cell::OnceCell;
use tree_sitter::Node;

mod index;
mod js;
mod parents;
mod python;

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

/// What the whole file shows about being a server process (JavaScript).
#[derive(Default)]
pub struct ServerInfo<'t> {
    /// The file calls `<something>.listen(...)`.
    pub listens: bool,
    /// Every module the file imports or requires, as written.
    pub modules: Vec<&'t str>,
}

/// Per-file state for context checks and name resolution: the parsed tree, the source, the
/// lazily built binding index and the parent cache.
pub struct SemanticModel<'t> {
    pub src: &'t [u8],
    /// The root of the file's tree (not of a subtree: `parent` searches down from it).
    pub root: Node<'t>,
    pub lang: Lang,
    /// The file's path relative to the scanned root (`bin/tool.js`), or empty when unknown.
    pub path: &'t str,
    index: std::cell::RefCell<Index<'t>>,
    helpers: std::cell::RefCell<HelperCache>,
    /// Per function (node id): whether only startup paths call it (`context::callers`).
    startup_only: std::cell::RefCell<std::collections::HashMap<usize, bool>>,
    server: OnceCell<ServerInfo<'t>>,
    /// Whole-file answers the serving checks compute once, not once per candidate node.
    script: OnceCell<ScriptFacts<'t>>,
    /// Nodes visited so far, and how many may be (`MAX_RESOLVE_STEPS` unless set).
    steps: std::cell::Cell<u64>,
    step_limit: u64,
    /// Each node's parent (by node id), filled one root-to-node path at a time (`parent`).
    parents: std::cell::RefCell<parents::ParentMap<'t>>,
}

/// What makes a file a run-once script rather than code on a serving loop (computed by
/// `semantic::context::serving`, cached here).
#[derive(Debug, Default)]
pub struct ScriptFacts<'t> {
    /// JavaScript: a shebang, `bin/`/`cli/` or entry script that starts no server.
    pub js_run_once: bool,
    /// Python: the coroutines `asyncio.run(...)` and the like run once.
    pub py_entries: Vec<&'t str>,
    /// Python: the file imports a server framework or calls a serving function.
    pub py_serves: bool,
}

const MAX_DEPTH: u32 = 8;

/// How many tree nodes name resolution may visit in one file, in index walks and ancestor
/// chains. An ordinary file uses well under 1% of it; 3,000 nested blocks with a lookup in each
/// would use billions.
pub const MAX_RESOLVE_STEPS: u64 = 20_000_000;

/// How many distinct helper functions one file's context checks may read (bounded work on a
/// file with thousands of small functions).
const MAX_HELPERS: usize = 64;

/// A blocking call found in a helper function: its qualified name and 1-based line.
pub type HelperCall = Option<(String, usize)>;

/// What was found in each helper function read so far, by its definition node's id.
type HelperCache = std::collections::HashMap<usize, HelperCall>;

impl<'t> SemanticModel<'t> {
    pub fn new(root: Node<'t>, src: &'t [u8], lang: Lang) -> SemanticModel<'t> {
        SemanticModel {
            src,
            root,
            lang,
            path: "",
            index: std::cell::RefCell::new(Index::default()),
            helpers: std::cell::RefCell::new(HelperCache::default()),
            startup_only: std::cell::RefCell::new(std::collections::HashMap::new()),
            server: OnceCell::new(),
            script: OnceCell::new(),
            steps: std::cell::Cell::new(0),
            step_limit: MAX_RESOLVE_STEPS,
            parents: std::cell::RefCell::new(parents::ParentMap::default()),
        }
    }

    /// The same model with another step budget (tests use small ones).
    pub fn with_step_limit(mut self, limit: u64) -> SemanticModel<'t> {
        self.step_limit = limit;
        self
    }

    /// Charges `n` visited nodes to the budget; `false` once it is spent.
    fn charge(&self, n: usize) -> bool {
        let used = self.steps.get().saturating_add(n as u64);
        self.steps.set(used);
        used <= self.step_limit
    }

    /// Whether resolution ran out of budget on this file: its answers after that point were
    /// "unknown", so the file's findings are incomplete (the analyzer skips it).
    pub fn over_budget(&self) -> bool {
        self.steps.get() > self.step_limit
    }

    /// The file's run-once facts, computed by `compute` on the first call only.
    pub fn script_facts(&self, compute: impl FnOnce() -> ScriptFacts<'t>) -> &ScriptFacts<'t> {
        self.script.get_or_init(compute)
    }

    /// The same model, knowing the file's relative path (for checks that read it, such as a
    /// script under `bin/`).
    pub fn with_path(mut self, path: &'t str) -> SemanticModel<'t> {
        self.path = path;
        self
    }

    pub fn text(&self, n: Node) -> &'t str {
        self.src
            .get(n.start_byte()..n.end_byte())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Whether only startup paths call the function `f`, computed by `compute` (a walk of the
    /// file) once per function, however many candidate calls sit in it.
    pub fn startup_only(&self, f: Node<'t>, compute: impl FnOnce() -> bool) -> bool {
        if let Some(known) = self.startup_only.borrow().get(&f.id()) {
            return *known;
        }
        let known = compute();
        self.startup_only.borrow_mut().insert(f.id(), known);
        known
    }

    /// What `scan` finds in the helper `def`, read once per file and definition; `None` once
    /// `MAX_HELPERS` helpers have been read.
    pub fn helper_call(&self, def: Node<'t>, scan: impl FnOnce() -> HelperCall) -> HelperCall {
        if let Some(found) = self.helpers.borrow().get(&def.id()) {
            return found.clone();
        }
        if self.helpers.borrow().len() >= MAX_HELPERS {
            return None;
        }
        let found = scan();
        self.helpers.borrow_mut().insert(def.id(), found.clone());
        found
    }

    /// A name rooted at a class defined in this file, read through the class's bases to the
    /// first imported one: `class User(peewee.Model)`, `User.select` ->
    /// `class(peewee.Model).select` (also through `class Base(Model)` / `class User(Base)`).
    /// `None` when the root is no such class. `qualify` itself keeps such names local.
    pub fn qualify_subclass(&self, n: Node<'t>) -> Option<String> {
        let q = self.qualify(n)?;
        if q.origin != Origin::Local {
            return None;
        }
        let root = root_identifier(n)?;
        let def = self.definition_of(root)?;
        let base = self.imported_base(def, 0)?;
        let rest = q.name.get(self.text(root).len()..)?;
        Some(format!("class({base}){rest}"))
    }

    /// The first base of a class (searched depth-first through classes of this file) that
    /// comes from an import.
    fn imported_base(&self, class: Node<'t>, depth: u32) -> Option<String> {
        if class.kind() != "class_definition" || depth > 4 {
            return None;
        }
        let bases = class.child_by_field_name("superclasses")?;
        let mut c = bases.walk();
        let list: Vec<Node<'t>> = bases.named_children(&mut c).collect();
        for b in list {
            if !matches!(b.kind(), "identifier" | "attribute") {
                continue;
            }
            match self.qualify(b) {
                Some(q) if q.origin == Origin::Import => return Some(q.name),
                Some(q) if q.origin == Origin::Local => {
                    let found = self
                        .definition_of(b)
                        .and_then(|d| self.imported_base(d, depth + 1));
                    if found.is_some() {
                        return found;
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Imports and `.listen(...)` calls anywhere in the file (one walk, on first use).
    pub fn server_info(&self) -> &ServerInfo<'t> {
        self.server.get_or_init(|| js::server_info(self))
    }

    /// The bindings of one scope or class, walking it on first use.
    fn bindings_in(&self, scope: Node<'t>, key: &(usize, String)) -> Option<Vec<Binding<'t>>> {
        if self.over_budget() {
            return None;
        }
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

    /// `at`'s ancestors, nearest first, charged to the step budget (empty once it is spent).
    fn charged_ancestors(&self, at: Node<'t>) -> Vec<Node<'t>> {
        let chain: Vec<Node<'t>> = if at.start_byte() < at.end_byte() {
            self.ancestors(at).collect()
        } else {
            // An empty node (a MISSING token): the path tree-sitter's search takes to it, as
            // `parents` records for such nodes only their own parent.
            let mut chain = Vec::new();
            let last = self.descend(at, |p, _| chain.push(p));
            if last.id() != at.id() {
                chain.push(last);
            }
            chain.reverse();
            chain
        };
        if !self.charge(chain.len()) {
            return Vec::new();
        }
        chain
    }

    fn lookup(&self, name: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let mut key = (0usize, name.to_string());
        // A class body's names are not visible from inside its methods (Python scoping).
        let mut in_function = false;
        let chain = self.charged_ancestors(at);
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
        let class = enclosing_class(self, at)?;
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

/// The identifier at the root of `a.b().c`: `a`.
fn root_identifier(n: Node) -> Option<Node> {
    let mut cur = n;
    for _ in 0..MAX_DEPTH * 4 {
        match cur.kind() {
            "identifier" => return Some(cur),
            "attribute" => cur = cur.child_by_field_name("object")?,
            "call" => cur = cur.child_by_field_name("function")?,
            _ => return None,
        }
    }
    None
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

fn is_function_value(kind: &str) -> bool {
    matches!(
        kind,
        "function_expression" | "function" | "arrow_function" | "generator_function" | "lambda"
    )
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
    fn resolution_stops_at_its_node_budget() {
        let src = "import time\ndef f():\n    time.sleep(1)\n";
        let mut p = Parser::new();
        p.set_language(&Lang::Python.ts_language())
            .unwrap_or_else(|e| panic!("{e}"));
        let tree = p.parse(src, None).unwrap_or_else(|| panic!("no tree"));
        let mut callee = None;
        crate::semantic::scope::walk(tree.root_node(), |n| {
            if n.kind() == "call" {
                callee = n.child_by_field_name("function");
            }
            callee.is_none()
        });
        let callee = callee.unwrap_or_else(|| panic!("no call"));
        let fx = SemanticModel::new(tree.root_node(), src.as_bytes(), Lang::Python);
        assert_eq!(fx.qualify(callee).map(|q| q.origin), Some(Origin::Import));
        assert!(!fx.over_budget());
        let fx =
            SemanticModel::new(tree.root_node(), src.as_bytes(), Lang::Python).with_step_limit(3);
        // Out of budget: the import is not seen, and the model says so.
        assert_eq!(fx.qualify(callee).map(|q| q.origin), Some(Origin::Free));
        assert!(fx.over_budget());
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
