//! What work a thread or a pool runs, for SF210/SF211: CPU-bound Python that the GIL
//! serialises, calls that wait on I/O, or calls into native code that releases the GIL. Its
//! own module because the evidence of computation (loops doing arithmetic on data) and the
//! lists of what is I/O, native or pure take most of the Python context checks' size.
use super::super::lists::{has, lists};
use crate::semantic::context::{is_function_kind, Captured};
use crate::semantic::resolve::{Origin, SemanticModel};
use std::collections::HashSet;
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Loops doing arithmetic on data, and no call that waits or leaves Python: pure Python
    /// computation, serialised by the GIL.
    Cpu,
    /// Calls that wait on files, sockets, processes or queues, or that go to an object or a
    /// library this file cannot see into (a client, a session, an ORM, a callback).
    Io,
    /// Calls into a library whose kernels release the GIL (numpy, cv2, hashlib, zlib, ...).
    Native,
    /// The target is not visible in this file, or shows neither.
    Unknown,
}

/// Pool methods that spread one function over many items.
const FAN_OUT_METHODS: &[&str] = &[
    "map",
    "imap",
    "imap_unordered",
    "starmap",
    "map_async",
    "starmap_async",
];

/// Work spread over threads: a pool's `map`-like call, or a thread/submit inside a loop or a
/// comprehension (within the same function). A single background thread is not fan-out.
pub(in crate::semantic::context) fn fans_out<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> bool {
    let method = m
        .callee
        .filter(|c| c.kind() == "attribute")
        .and_then(|c| c.child_by_field_name("attribute"))
        .map(|a| fx.text(a));
    if single_worker_pool(fx, m) {
        // ThreadPoolExecutor(max_workers=1): one background worker, not parallel work.
        return false;
    }
    if method.is_some_and(|x| FAN_OUT_METHODS.contains(&x)) {
        return true;
    }
    for n in fx.ancestors(m.node) {
        match n.kind() {
            "for_statement"
            | "while_statement"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => return true,
            k if is_function_kind(k) || k == "class_definition" => return false,
            _ => {}
        }
    }
    false
}

/// The pool a `pool.submit(...)`/`pool.map(...)` runs on was made with one worker
/// (`ThreadPoolExecutor(max_workers=1)`, `ThreadPool(1)`, `Pool(processes=1)`).
fn single_worker_pool<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> bool {
    let Some(recv) = m
        .callee
        .filter(|c| c.kind() == "attribute")
        .and_then(|c| c.child_by_field_name("object"))
    else {
        return false;
    };
    let Some(mut made) = fx.value_of(recv) else {
        return false;
    };
    if made.kind() == "await" {
        match made.named_child(0) {
            Some(inner) => made = inner,
            None => return false,
        }
    }
    if made.kind() != "call" {
        return false;
    }
    let Some(args) = made.child_by_field_name("arguments") else {
        return false;
    };
    let mut c = args.walk();
    let found = args.named_children(&mut c).enumerate().any(|(i, a)| {
        let value = match a.kind() {
            "keyword_argument" => a
                .child_by_field_name("name")
                .filter(|n| matches!(fx.text(*n), "max_workers" | "processes"))
                .and_then(|_| a.child_by_field_name("value")),
            _ if i == 0 => Some(a),
            _ => None,
        };
        value.is_some_and(|v| v.kind() == "integer" && fx.text(v) == "1")
    });
    found
}

pub(in crate::semantic::context) fn thread_work<'t>(
    fx: &SemanticModel<'t>,
    m: &Captured<'t>,
) -> Work {
    let Some(target) = m.target else {
        return Work::Unknown;
    };
    let mut target = target;
    // functools.partial(f, ...) runs f
    if target.kind() == "call" {
        let is_partial = target
            .child_by_field_name("function")
            .is_some_and(|f| fx.text(f).ends_with("partial"));
        match target
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        {
            Some(first) if is_partial => target = first,
            _ => return Work::Unknown,
        }
    }
    if target.kind() == "lambda" {
        return classify(fx, target, 0);
    }
    match fx.definition_of(target) {
        Some(def) if def.kind() == "function_definition" => classify(fx, def, 0),
        _ => Work::Unknown,
    }
}

/// What a function's body (and, two levels deep, the same-file functions it calls) shows.
/// Computation is arithmetic on data inside a loop: an operand is subscripted data or a name the
/// loop walks (its variable, the names its `while` tests, names assigned from those). Counters
/// and timing (`n += 1`, `i + 1`, `time.perf_counter() - t0`, a moving average of two scalars)
/// are bookkeeping, not computation. Any call that waits, that goes into a GIL-releasing library
/// or into an object this file cannot see decides the target is not CPU-bound Python.
fn classify<'t>(fx: &SemanticModel<'t>, f: Node<'t>, depth: u32) -> Work {
    let Some(body) = f.child_by_field_name("body") else {
        return Work::Unknown;
    };
    let mut st = Walk {
        fx,
        f,
        depth,
        data: HashSet::new(),
        computes: false,
        helper_cpu: false,
        veto: None,
        nesting: 0,
    };
    st.visit(body, false);
    match st.veto {
        Some(w) => w,
        None if st.computes || st.helper_cpu => Work::Cpu,
        None => Work::Unknown,
    }
}

struct Walk<'a, 't> {
    fx: &'a SemanticModel<'t>,
    f: Node<'t>,
    depth: u32,
    /// Names that hold the data a loop walks.
    data: HashSet<&'t str>,
    computes: bool,
    helper_cpu: bool,
    /// The first call that waits (`Io`) or leaves Python (`Native`).
    veto: Option<Work>,
    /// How deep `visit` is: past `MAX_NESTING` the function is `Unknown` (no stack overflow on
    /// 20,000 nested brackets; CPython itself refuses more than 200).
    nesting: u32,
}

const MAX_NESTING: u32 = 256;

const ARITH_OPS: &[&str] = &[
    "*", "/", "//", "%", "**", "-", "+", "^", "<<", ">>", "&", "|", "@",
];

impl<'t> Walk<'_, 't> {
    fn visit(&mut self, n: Node<'t>, in_loop: bool) {
        if self.nesting >= MAX_NESTING {
            self.veto = Some(Work::Unknown);
            return;
        }
        self.nesting += 1;
        self.visit_node(n, in_loop);
        self.nesting -= 1;
    }

    fn visit_node(&mut self, n: Node<'t>, in_loop: bool) {
        if self.veto.is_some() {
            return;
        }
        let mut in_loop = in_loop;
        match n.kind() {
            "function_definition" | "class_definition" => return,
            "lambda" if n.id() != self.f.id() => return,
            "for_statement" | "for_in_clause" => {
                if let Some(left) = n.child_by_field_name("left") {
                    self.add_names(left);
                }
                if n.kind() == "for_statement" {
                    if let Some(r) = n.child_by_field_name("right") {
                        self.visit(r, in_loop);
                    }
                    let mut c = n.walk();
                    for ch in n.named_children(&mut c) {
                        if matches!(ch.kind(), "block" | "else_clause") {
                            self.visit(ch, true);
                        }
                    }
                    return;
                }
                in_loop = true;
            }
            "while_statement" => {
                if let Some(cond) = n.child_by_field_name("condition") {
                    self.add_names(cond);
                }
                in_loop = true;
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => in_loop = true,
            "assignment" if in_loop => {
                if let Some(r) = n.child_by_field_name("right") {
                    self.visit(r, in_loop);
                    if self.touches_data(r) {
                        if let Some(left) = n.child_by_field_name("left") {
                            self.add_names(left);
                        }
                    }
                }
                return;
            }
            "augmented_assignment" if in_loop => {
                let op = n.child_by_field_name("operator").map(|o| o.kind());
                let right = n.child_by_field_name("right");
                if op.is_some_and(|o| ARITH_OPS.contains(&o.trim_end_matches('=')))
                    && right.is_some_and(|r| !is_number(r) && self.touches_data(r))
                {
                    self.computes = true;
                }
            }
            "binary_operator" if in_loop && self.is_data_arithmetic(n) => self.computes = true,
            "call" => self.call(n),
            _ => {}
        }
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for ch in children {
            self.visit(ch, in_loop);
        }
    }

    /// `a * b` where an operand is data, and not a step (`i + 1`, `n - 2`).
    fn is_data_arithmetic(&self, n: Node<'t>) -> bool {
        let op = n.child_by_field_name("operator").map(|o| o.kind());
        if !op.is_some_and(|o| ARITH_OPS.contains(&o)) {
            return false;
        }
        let (Some(l), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return false;
        };
        if is_text(l) || is_text(r) {
            // `"u%d" % i`, `name + ".json"`: formatting text, not arithmetic
            return false;
        }
        let step = matches!(op, Some("+" | "-"))
            && ((is_number(l) && r.kind() == "identifier")
                || (is_number(r) && l.kind() == "identifier"));
        !step && (self.touches_data(l) || self.touches_data(r))
    }

    /// The expression reads subscripted data or a name the loop walks.
    fn touches_data(&self, n: Node<'t>) -> bool {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match x.kind() {
                "subscript" => return true,
                "identifier" if self.data.contains(self.fx.text(x)) => return true,
                "lambda" => continue,
                "call" => {
                    // a call's arguments are data it reads; its callee is not
                    if let Some(args) = x.child_by_field_name("arguments") {
                        stack.push(args);
                    }
                    continue;
                }
                "attribute" => {
                    if let Some(o) = x.child_by_field_name("object") {
                        stack.push(o);
                    }
                    continue;
                }
                _ => {}
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        false
    }

    /// The plain names in a loop target or a `while` condition (not callees, not attributes,
    /// not `self`).
    fn add_names(&mut self, n: Node<'t>) {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match x.kind() {
                "identifier" => {
                    let t = self.fx.text(x);
                    if t != "self" && t != "cls" {
                        self.data.insert(t);
                    }
                    continue;
                }
                "call" => {
                    if let Some(args) = x.child_by_field_name("arguments") {
                        stack.push(args);
                    }
                    continue;
                }
                "attribute" => continue,
                _ => {}
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
    }

    fn call(&mut self, n: Node<'t>) {
        let Some(callee) = n.child_by_field_name("function") else {
            return;
        };
        match call_effect(self.fx, callee, self.f, self.depth) {
            Some(Work::Cpu) => self.helper_cpu = true,
            Some(w @ (Work::Io | Work::Native)) => self.veto = Some(w),
            _ => {}
        }
    }
}

/// What one call says about the work: `Io`/`Native` decide it, `Cpu` is a computing helper of
/// this file, `None` is a call that neither waits nor computes (a builtin, a string method).
fn call_effect<'t>(
    fx: &SemanticModel<'t>,
    callee: Node<'t>,
    f: Node<'t>,
    depth: u32,
) -> Option<Work> {
    let last = match callee.kind() {
        "attribute" => callee.child_by_field_name("attribute").map(|a| fx.text(a)),
        "identifier" => Some(fx.text(callee)),
        _ => None,
    };
    if last.is_some_and(|l| has(&lists().threads.io_calls, l)) {
        return Some(Work::Io);
    }
    if let Some(def) = fx
        .definition_of(callee)
        .filter(|d| d.kind() == "function_definition")
    {
        if def.id() == f.id() || depth >= 2 {
            return None;
        }
        return match classify(fx, def, depth + 1) {
            Work::Unknown => None,
            w => Some(w),
        };
    }
    let pure_method =
        callee.kind() == "attribute" && last.is_some_and(|l| has(&lists().threads.pure_methods, l));
    match fx.qualify(callee) {
        Some(q) if q.origin == Origin::Import => {
            let root = q.name.split(['.', '(']).next().unwrap_or("");
            if has(&lists().threads.gil_releasing_modules, root) {
                Some(Work::Native)
            } else if has(&lists().threads.pure_modules, root) {
                None
            } else {
                // a network/database/process module, or one this file cannot see into
                Some(Work::Io)
            }
        }
        // imported from another module of the project: code this file cannot see into
        Some(q) if q.origin == Origin::Local && q.name.starts_with('.') => Some(Work::Io),
        Some(q) if q.origin == Origin::Local => None,
        Some(_) if callee.kind() == "identifier" => {
            (!last.is_some_and(|l| has(&lists().threads.pure_builtins, l))).then_some(Work::Io)
        }
        // a method on a parameter, a loop value or an unresolved attribute (`self.s3.upload`)
        _ => (!pure_method).then_some(Work::Io),
    }
}

fn is_text(n: Node) -> bool {
    matches!(n.kind(), "string" | "concatenated_string")
}

fn is_number(n: Node) -> bool {
    matches!(n.kind(), "integer" | "float")
}
