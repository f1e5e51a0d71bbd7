//! Context checks that a rule's match must pass before it counts, named in the rule's TOML
//! (`context = "..."`). Tree-sitter patterns say what a node looks like; these say where it sits
//! (inside an `async def`, inside a request handler, with no `'error'` listener in its scope,
//! running a CPU-bound thread target, ...), which a pattern alone cannot express. Each check
//! looks only at the tree the scanner already parsed, walking up from the match or over the one
//! scope it needs; the few that need the file's bindings use the lazily built index in
//! `resolve`.
use super::resolve::{wildcard_match, Origin, SemanticModel};
use crate::rules::ContextCheck;
use tree_sitter::Node;

/// The names a call must resolve to, as a rule declares them (`calls`, `free_calls`,
/// `local_async`). This module knows no rule: the caller hands it these lists.
#[derive(Clone, Copy)]
pub struct Callees<'r> {
    /// Qualified names through the file's imports (`time.sleep`, `fs.*Sync`).
    pub calls: &'r [String],
    /// Names whose root no import or definition binds: builtins, globals, parameters.
    pub free_calls: &'r [String],
    /// An `async` function or method defined in the same file also matches.
    pub local_async: bool,
}

/// Contexts that only walk up from the match (no binding index, no scope scan). The scanner
/// checks these before resolving the callee, so a file whose candidate calls all sit outside
/// async code never pays for name resolution.
pub fn is_cheap(check: ContextCheck) -> bool {
    matches!(
        check,
        ContextCheck::ModuleLevel
            | ContextCheck::NotTypeChecking
            | ContextCheck::PythonAsyncBody
            | ContextCheck::JsAsyncOrHandler
            | ContextCheck::JsHeavyLoopInHandler
    )
}

/// One match of a rule's pattern: the reported node and the helper captures contexts use.
#[derive(Clone, Copy)]
pub struct Captured<'t> {
    /// `@match`: the reported node.
    pub node: Node<'t>,
    /// `@_callee`: the called expression.
    pub callee: Option<Node<'t>>,
    /// `@_target`: the function handed to a thread or an executor.
    pub target: Option<Node<'t>>,
}

/// What a context check found out besides yes/no, for the message (`{callee}`).
#[derive(Default)]
pub struct Outcome {
    pub callee: Option<String>,
}

/// Whether the match satisfies the context check. `callees` are the rule's call names (a
/// context that finds the callee itself, like `js-floating-promise`, checks it against them).
pub fn check<'t>(
    check: ContextCheck,
    m: &Captured<'t>,
    fx: &SemanticModel<'t>,
    callees: Callees,
    out: &mut Outcome,
) -> bool {
    let node = m.node;
    match check {
        ContextCheck::ModuleLevel => enclosing_function(node).is_none(),
        ContextCheck::NotTypeChecking => !inside_type_checking(node, fx.src),
        ContextCheck::PythonAsyncBody => enclosing_function(node)
            .is_some_and(|f| f.kind() == "function_definition" && has_async_keyword(f)),
        ContextCheck::PythonThreadCpuBound => thread_work(fx, m) == Work::Cpu,
        ContextCheck::PythonThreadFanoutNotCpuBound => {
            fans_out(fx, m) && thread_work(fx, m) != Work::Cpu
        }
        ContextCheck::JsAsyncOrHandler => js_in_async_or_handler(fx, node),
        ContextCheck::JsServerCode => js_in_server_code(fx, node),
        ContextCheck::JsHeavyLoopInHandler => js_heavy_loop_in_handler(fx, node),
        ContextCheck::JsNoErrorListener => {
            matches!(error_events(fx, node), Listeners::Unhandled { .. })
        }
        ContextCheck::JsErrorEmittedWithoutListener => matches!(
            error_events(fx, node),
            Listeners::Unhandled { emits_error: true }
        ),
        ContextCheck::JsFloatingPromise => match js_floating_promise(fx, node, callees) {
            Some(q) => {
                out.callee = Some(q);
                true
            }
            None => false,
        },
    }
}

/// The qualified name of `callee` when it is one of `callees` (`calls` through an import,
/// `free_calls` for unbound roots, or an async function of this file with `local_async`).
pub fn callee_matches<'t>(
    callees: Callees,
    callee: Node<'t>,
    fx: &SemanticModel<'t>,
) -> Option<String> {
    let q = fx.qualify(callee)?;
    let list = match q.origin {
        Origin::Import => callees.calls,
        Origin::Free => callees.free_calls,
        Origin::Local => {
            if callees.local_async && fx.definition_of(callee).is_some_and(has_async_keyword) {
                return Some(q.name);
            }
            return None;
        }
    };
    list.iter()
        .any(|p| wildcard_match(p, &q.name))
        .then_some(q.name)
}

/// The nearest enclosing function-like node, if any (Python and JS/TS grammars).
pub fn enclosing_function(node: Node) -> Option<Node> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if is_function_kind(n.kind()) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

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

/// `async def`, `async function`, `async () =>`, `async m() {}`.
pub fn has_async_keyword(f: Node) -> bool {
    let mut c = f.walk();
    let found = f
        .children(&mut c)
        .take_while(|ch| !matches!(ch.kind(), "block" | "statement_block" | "parameters"))
        .any(|ch| ch.kind() == "async");
    found
}

/// True when `node` sits in an `if TYPE_CHECKING:` block (Python imports for type hints only).
pub fn inside_type_checking(node: Node, src: &[u8]) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.kind() == "if_statement" {
            if let Some(cond) = n.child_by_field_name("condition") {
                let text = cond.utf8_text(src).unwrap_or("");
                if text.ends_with("TYPE_CHECKING") {
                    return true;
                }
            }
        }
        cur = n.parent();
    }
    false
}

/// True when `node` sits in a `try:` body whose handlers catch ImportError/ModuleNotFoundError
/// (an optional dependency).
pub fn inside_optional_import(node: Node, src: &[u8]) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.kind() == "try_statement" {
            let mut c = n.walk();
            for child in n.children(&mut c) {
                if child.kind() == "except_clause" {
                    let t = child.utf8_text(src).unwrap_or("");
                    let head = t.split(':').next().unwrap_or("");
                    if head.contains("ImportError") || head.contains("ModuleNotFoundError") {
                        return true;
                    }
                }
            }
        }
        if is_function_kind(n.kind()) {
            return false;
        }
        cur = n.parent();
    }
    false
}

// ---------------------------------------------------------------------------------------------
// JavaScript: where does a call run?

/// Array methods that call their callback synchronously, right there: a callback passed inline
/// to one of them runs in the enclosing function's context.
const SYNC_ITERATION: &[&str] = &[
    "forEach",
    "map",
    "filter",
    "reduce",
    "reduceRight",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "flatMap",
    "sort",
];

/// Methods that register a route handler: `app.get(path, fn)`, `router.post(...)`, `app.use(fn)`.
const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "head", "options", "use",
];

/// Events whose listener handles a request, a connection or a message, whatever the emitter
/// (`input` is a Node-RED node's message handler).
const HANDLER_EVENTS: &[&str] = &[
    "request",
    "connection",
    "upgrade",
    "message",
    "stream",
    "input",
];

/// The call a function is passed to directly as an argument, if any.
fn inline_callback_call(f: Node) -> Option<Node> {
    let args = f.parent().filter(|p| p.kind() == "arguments")?;
    args.parent()
        .filter(|c| matches!(c.kind(), "call_expression" | "new_expression"))
}

fn method_name<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> Option<&'t str> {
    let f = call.child_by_field_name("function")?;
    if f.kind() != "member_expression" {
        return None;
    }
    f.child_by_field_name("property").map(|p| fx.text(p))
}

/// The function whose context a node runs in: the nearest enclosing function, looking through
/// callbacks passed inline to synchronous array iteration (`items.forEach(x => ...)`).
fn effective_function<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut f = enclosing_function(node)?;
    while let Some(call) = inline_callback_call(f) {
        if call.kind() != "call_expression"
            || !method_name(fx, call).is_some_and(|m| SYNC_ITERATION.contains(&m))
        {
            break;
        }
        f = enclosing_function(call)?;
    }
    Some(f)
}

/// Inside an async function, a promise callback or a request/socket handler (JS/TS).
pub fn js_in_async_or_handler<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let Some(f) = effective_function(fx, node) else {
        return false;
    };
    has_async_keyword(f) || is_promise_callback(fx, f) || is_handler(fx, f)
}

/// `.then(fn)`, `.catch(fn)`, `.finally(fn)`, `new Promise(fn)`.
fn is_promise_callback<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let Some(call) = inline_callback_call(f) else {
        return false;
    };
    match call.kind() {
        "new_expression" => call
            .child_by_field_name("constructor")
            .is_some_and(|c| fx.text(c) == "Promise"),
        _ => method_name(fx, call).is_some_and(|m| matches!(m, "then" | "catch" | "finally")),
    }
}

/// The last name of a receiver: `app`, `this.router` -> `router`, `app.route('/x')` -> `route`.
fn receiver_name<'t>(fx: &SemanticModel<'t>, obj: Node<'t>) -> &'t str {
    match obj.kind() {
        "identifier" => fx.text(obj),
        "member_expression" => obj
            .child_by_field_name("property")
            .map_or("", |p| fx.text(p)),
        "call_expression" => method_name(fx, obj).unwrap_or(""),
        _ => "",
    }
}

fn ends_with_any(name: &str, suffixes: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    suffixes.iter().any(|s| lower.ends_with(s))
}

fn first_arg_string<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> Option<&'t str> {
    let args = call.child_by_field_name("arguments")?;
    let a = args.named_child(0)?;
    if a.kind() != "string" {
        return None;
    }
    let t = fx.text(a);
    Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
}

/// A request or socket handler callback: `app.get('/x', fn)`, `router.post(...)`, `app.use(fn)`,
/// `server.on('request', fn)`, `io.on('connection', fn)`, `socket.on(event, fn)`,
/// `http.createServer(fn)`.
fn is_handler<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let Some(call) = inline_callback_call(f) else {
        return false;
    };
    if call.kind() != "call_expression" {
        return false;
    }
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    let args = call.child_by_field_name("arguments");
    let nargs = args.map_or(0, |a| a.named_child_count());
    let is_first = args
        .and_then(|a| a.named_child(0))
        .is_some_and(|a| a.id() == f.id());
    if callee.kind() == "member_expression" {
        let method = callee
            .child_by_field_name("property")
            .map_or("", |p| fx.text(p));
        let recv = callee
            .child_by_field_name("object")
            .map_or("", |o| receiver_name(fx, o));
        if ROUTE_METHODS.contains(&method)
            && ends_with_any(
                recv,
                &[
                    "app", "router", "server", "routes", "route", "api", "fastify",
                ],
            )
        {
            if method == "use" {
                return true;
            }
            let path_first = args.and_then(|a| a.named_child(0)).is_some_and(|a| {
                matches!(a.kind(), "string" | "template_string" | "regex" | "array")
            });
            return nargs >= 2 && path_first && !is_first;
        }
        if matches!(method, "on" | "once" | "addListener" | "prependListener") && !is_first {
            if first_arg_string(fx, call).is_some_and(|e| HANDLER_EVENTS.contains(&e)) {
                return true;
            }
            return ends_with_any(recv, &["socket", "ws", "websocket", "conn", "connection"]);
        }
    }
    // `http.createServer(fn)`: resolve only calls that end in the right name.
    let last = match callee.kind() {
        "member_expression" => callee.child_by_field_name("property").map(|p| fx.text(p)),
        "identifier" => Some(fx.text(callee)),
        _ => None,
    };
    if !matches!(last, Some("createServer" | "createSecureServer")) {
        return false;
    }
    fx.qualify(callee).is_some_and(|q| {
        q.origin == Origin::Import
            && matches!(
                q.name.as_str(),
                "http.createServer"
                    | "https.createServer"
                    | "http2.createServer"
                    | "http2.createSecureServer"
                    | "net.createServer"
                    | "tls.createServer"
            )
    })
}

/// Modules whose import, together with a `.listen(...)` call, makes a file a server process.
const SERVER_MODULES: &[&str] = &[
    "http",
    "https",
    "http2",
    "net",
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "restify",
    "polka",
    "socket.io",
    "ws",
    "@nestjs/core",
];

/// Inside a request/socket handler (at any depth), or anywhere in a file that starts a server.
fn js_in_server_code<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let mut cur = enclosing_function(node);
    while let Some(f) = cur {
        if is_handler(fx, f) {
            return true;
        }
        cur = enclosing_function(f);
    }
    let idx = fx.server_info();
    idx.listens
        && idx
            .modules
            .iter()
            .any(|m| SERVER_MODULES.contains(&super::resolve::normalize_module(m)))
}

fn is_loop(kind: &str) -> bool {
    matches!(
        kind,
        "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
    )
}

/// An outermost loop, directly in a handler, that does arithmetic in a nested loop, runs to a
/// literal bound of 10,000 or more, or walks a tensor's `dataSync()`/`arraySync()`.
fn js_heavy_loop_in_handler<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let Some(f) = effective_function(fx, node) else {
        return false;
    };
    if !is_handler(fx, f) {
        return false;
    }
    // outermost loop within the handler
    let mut cur = node.parent();
    while let Some(p) = cur {
        if p.id() == f.id() {
            break;
        }
        if is_loop(p.kind()) {
            return false;
        }
        cur = p.parent();
    }
    big_literal_bound(fx, node) || iterates_tensor(fx, node) || nested_arithmetic_loop(fx, node)
}

fn big_literal_bound<'t>(fx: &SemanticModel<'t>, lp: Node<'t>) -> bool {
    let Some(cond) = lp.child_by_field_name("condition") else {
        return false;
    };
    let mut stack = vec![cond];
    while let Some(n) = stack.pop() {
        if n.kind() == "number" {
            let t = fx.text(n).replace('_', "");
            if t.parse::<f64>().is_ok_and(|v| v >= 10_000.0) {
                return true;
            }
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

fn iterates_tensor<'t>(fx: &SemanticModel<'t>, lp: Node<'t>) -> bool {
    lp.kind() == "for_in_statement"
        && lp
            .child_by_field_name("right")
            .filter(|r| r.kind() == "call_expression")
            .and_then(|r| method_name(fx, r))
            .is_some_and(|m| matches!(m, "dataSync" | "arraySync"))
}

fn nested_arithmetic_loop<'t>(fx: &SemanticModel<'t>, lp: Node<'t>) -> bool {
    let Some(body) = lp.child_by_field_name("body") else {
        return false;
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if is_function_kind(n.kind()) {
            continue;
        }
        if is_loop(n.kind()) && has_arithmetic(fx, n) {
            return true;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// Numeric work: multiplication, division, powers (`*`, `/`, `%`, `**` and their compound
/// assignments) or a `Math.*` call. Additions and subtractions alone are index and string
/// arithmetic, which every loop has.
fn has_arithmetic(fx: &SemanticModel, n: Node) -> bool {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        if is_function_kind(x.kind()) {
            continue;
        }
        match x.kind() {
            "augmented_assignment_expression" => {
                let op = x.child_by_field_name("operator").map(|o| o.kind());
                if matches!(op, Some("*=" | "/=" | "%=" | "**=")) {
                    return true;
                }
            }
            "binary_expression" => {
                let op = x.child_by_field_name("operator").map(|o| o.kind());
                if matches!(op, Some("*" | "/" | "%" | "**")) {
                    return true;
                }
            }
            "member_expression"
                if x.child_by_field_name("object")
                    .is_some_and(|o| fx.text(o) == "Math") =>
            {
                return true;
            }
            _ => {}
        }
        let mut c = x.walk();
        stack.extend(x.named_children(&mut c));
    }
    false
}

// ---------------------------------------------------------------------------------------------
// JavaScript: 'error' listeners on streams, sockets and emitters.

#[derive(Debug, PartialEq, Eq)]
enum Listeners {
    /// An `'error'` listener is attached, or the object goes through `pipeline`/`for await`.
    Handled,
    /// The object leaves the scope (returned, passed to a call, stored elsewhere): not ours to judge.
    Escapes,
    /// Nothing in the scope listens for `'error'`.
    Unhandled { emits_error: bool },
}

const LISTEN_METHODS: &[&str] = &[
    "on",
    "once",
    "addListener",
    "prependListener",
    "prependOnceListener",
];

/// Methods that return the emitter itself, so a chain keeps talking about the same object.
const CHAINABLE: &[&str] = &[
    "on",
    "once",
    "addListener",
    "prependListener",
    "prependOnceListener",
    "off",
    "removeListener",
    "setEncoding",
    "setTimeout",
    "setNoDelay",
    "setKeepAlive",
    "setMaxListeners",
    "pause",
    "resume",
    "ref",
    "unref",
    "cork",
];

/// How an object created at `node` (a `new X()` or a factory call) has its `'error'` events
/// handled within its scope.
fn error_events<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> Listeners {
    // 1. The chain applied directly to the new object: `fs.createReadStream(p).on('error', ...)`.
    let mut cur = node;
    loop {
        match step_chain(fx, cur) {
            Chain::Listens => return Listeners::Handled,
            Chain::Same(next) => cur = next,
            Chain::Consumed => return Listeners::Unhandled { emits_error: false },
            Chain::End => break,
        }
    }
    // 2. Where the object goes.
    let Some(p) = cur.parent() else {
        return Listeners::Escapes;
    };
    let (holder, scope) = match p.kind() {
        "variable_declarator"
            if p.child_by_field_name("value")
                .is_some_and(|v| v.id() == cur.id()) =>
        {
            match p.child_by_field_name("name") {
                Some(n) if n.kind() == "identifier" => (fx.text(n).to_string(), scope_node(fx, p)),
                _ => return Listeners::Escapes,
            }
        }
        "assignment_expression"
            if p.child_by_field_name("right")
                .is_some_and(|v| v.id() == cur.id()) =>
        {
            let Some(left) = p.child_by_field_name("left") else {
                return Listeners::Escapes;
            };
            match left.kind() {
                "identifier" => (fx.text(left).to_string(), scope_node(fx, p)),
                "member_expression"
                    if left
                        .child_by_field_name("object")
                        .is_some_and(|o| o.kind() == "this") =>
                {
                    (
                        fx.text(left).to_string(),
                        super::resolve::enclosing_class(p),
                    )
                }
                _ => return Listeners::Escapes,
            }
        }
        "field_definition" | "public_field_definition" => {
            let Some(prop) = p
                .child_by_field_name("property")
                .or_else(|| p.child_by_field_name("name"))
            else {
                return Listeners::Escapes;
            };
            (
                format!("this.{}", fx.text(prop)),
                super::resolve::enclosing_class(p),
            )
        }
        "expression_statement" => return Listeners::Unhandled { emits_error: false },
        _ => return Listeners::Escapes,
    };
    let Some(scope) = scope else {
        return Listeners::Escapes;
    };
    // 3. Every use of the holder in its scope.
    let mut emits_error = false;
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        let is_use = match n.kind() {
            "identifier" | "shorthand_property_identifier" => {
                !holder.contains('.') && fx.text(n) == holder
            }
            "member_expression" => holder.contains('.') && fx.text(n) == holder,
            _ => false,
        };
        if is_use && n.start_byte() > node.end_byte().min(cur.start_byte()) && n.id() != cur.id() {
            if n.kind() == "shorthand_property_identifier" {
                return Listeners::Escapes;
            }
            match use_of(fx, n) {
                Use::Listens => return Listeners::Handled,
                Use::Escapes => return Listeners::Escapes,
                Use::EmitsError => emits_error = true,
                Use::Other => {}
            }
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    Listeners::Unhandled { emits_error }
}

enum Chain<'t> {
    /// `.on('error', ...)` is attached here.
    Listens,
    /// A method that returns the same object: continue from the call.
    Same(Node<'t>),
    /// Another method (`.pipe()`, `.write()`): its result is not the object; nothing can listen.
    Consumed,
    /// Not the receiver of a method call.
    End,
}

fn step_chain<'t>(fx: &SemanticModel<'t>, cur: Node<'t>) -> Chain<'t> {
    let Some(p) = cur.parent() else {
        return Chain::End;
    };
    if p.kind() == "parenthesized_expression" {
        return Chain::Same(p);
    }
    if p.kind() != "member_expression"
        || p.child_by_field_name("object").map(|o| o.id()) != Some(cur.id())
    {
        return Chain::End;
    }
    let Some(call) = p
        .parent()
        .filter(|c| c.kind() == "call_expression")
        .filter(|c| c.child_by_field_name("function").map(|f| f.id()) == Some(p.id()))
    else {
        return Chain::End;
    };
    let m = p.child_by_field_name("property").map_or("", |x| fx.text(x));
    if LISTEN_METHODS.contains(&m) && first_arg_string(fx, call) == Some("error") {
        return Chain::Listens;
    }
    if CHAINABLE.contains(&m) {
        return Chain::Same(call);
    }
    Chain::Consumed
}

enum Use {
    Listens,
    Escapes,
    EmitsError,
    Other,
}

fn use_of<'t>(fx: &SemanticModel<'t>, n: Node<'t>) -> Use {
    let mut cur = n;
    loop {
        match step_chain(fx, cur) {
            Chain::Listens => return Use::Listens,
            Chain::Same(next) => cur = next,
            Chain::Consumed => {
                // `x.emit('error', ...)`
                if let Some(call) = cur.parent().and_then(|m| m.parent()) {
                    if method_name(fx, call) == Some("emit")
                        && first_arg_string(fx, call) == Some("error")
                    {
                        return Use::EmitsError;
                    }
                }
                return Use::Other;
            }
            Chain::End => break,
        }
    }
    let Some(p) = cur.parent() else {
        return Use::Other;
    };
    match p.kind() {
        // passed to a function (pipeline, finished, events.once, a constructor, ...)
        "arguments" | "return_statement" | "array" | "pair" | "spread_element"
        | "yield_expression" | "arrow_function" => Use::Escapes,
        "variable_declarator" => Use::Escapes,
        "assignment_expression"
            if p.child_by_field_name("right")
                .is_some_and(|r| r.id() == cur.id()) =>
        {
            Use::Escapes
        }
        // for await (const chunk of stream): errors become exceptions
        "for_in_statement" => Use::Listens,
        _ => Use::Other,
    }
}

fn scope_node<'t>(fx: &SemanticModel<'t>, n: Node<'t>) -> Option<Node<'t>> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if super::resolve::is_scope(fx.lang, p.kind()) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

// ---------------------------------------------------------------------------------------------
// JavaScript: floating promises.

/// For an expression statement's call in async code: strips `.then(onFulfilled)` and
/// `.finally()` layers (a `.catch()` or a two-argument `.then()` handles the rejection) and
/// returns the qualified name of the innermost callee when it is a known promise-returning API
/// or an async function of this file.
fn js_floating_promise<'t>(
    fx: &SemanticModel<'t>,
    node: Node<'t>,
    callees: Callees,
) -> Option<String> {
    if !js_in_async_or_handler(fx, node) {
        return None;
    }
    let mut call = node;
    loop {
        let f = call.child_by_field_name("function")?;
        if f.kind() != "member_expression" {
            break;
        }
        let m = f.child_by_field_name("property").map_or("", |p| fx.text(p));
        let nargs = call
            .child_by_field_name("arguments")
            .map_or(0, |a| a.named_child_count());
        match m {
            "catch" => return None,
            "then" if nargs >= 2 => return None,
            "then" | "finally" => {
                let obj = f.child_by_field_name("object")?;
                if obj.kind() != "call_expression" {
                    return None;
                }
                call = obj;
            }
            _ => break,
        }
    }
    let callee = call.child_by_field_name("function")?;
    callee_matches(callees, callee, fx)
}

// ---------------------------------------------------------------------------------------------
// Python: what work does a thread run?

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Loops with arithmetic and no I/O: pure Python computation, serialised by the GIL.
    Cpu,
    /// Calls that wait on files, sockets, processes, queues or sleep.
    Io,
    /// The target is not visible in this file, or shows neither.
    Unknown,
}

/// Call names that wait on the outside world (files, network, processes, queues, timers).
const IO_CALLS: &[&str] = &[
    "open",
    "read",
    "readline",
    "readlines",
    "write",
    "writelines",
    "recv",
    "recv_into",
    "recvfrom",
    "send",
    "sendall",
    "sendto",
    "connect",
    "accept",
    "urlopen",
    "urlretrieve",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "request",
    "sleep",
    "system",
    "popen",
    "Popen",
    "run",
    "call",
    "check_call",
    "check_output",
    "communicate",
    "wait",
    "execute",
    "executemany",
    "fetchone",
    "fetchall",
    "fetchmany",
    "commit",
    "download",
    "upload",
    "download_file",
    "upload_file",
    "listdir",
    "scandir",
    "walk",
    "copy",
    "copyfile",
    "move",
    "remove",
    "unlink",
    "rename",
    "input",
    "select",
    "poll",
    "serve_forever",
];

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
fn fans_out<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> bool {
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
    let mut cur = m.node.parent();
    while let Some(n) = cur {
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
        cur = n.parent();
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

fn thread_work<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> Work {
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

/// Classifies a function's body (and, two levels deep, the same-file functions it calls).
fn classify<'t>(fx: &SemanticModel<'t>, f: Node<'t>, depth: u32) -> Work {
    let Some(body) = f.child_by_field_name("body") else {
        return Work::Unknown;
    };
    let (mut loops, mut arith, mut io, mut helper_cpu) = (false, false, false, false);
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "for_statement"
            | "while_statement"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => loops = true,
            "augmented_assignment" => arith = true,
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| o.kind());
                if matches!(
                    op,
                    Some("*" | "/" | "//" | "%" | "**" | "-" | "+" | "^" | "<<" | ">>" | "&" | "@")
                ) {
                    arith = true;
                }
            }
            "call" => {
                if let Some(callee) = n.child_by_field_name("function") {
                    let last = match callee.kind() {
                        "attribute" => callee.child_by_field_name("attribute").map(|a| fx.text(a)),
                        "identifier" => Some(fx.text(callee)),
                        _ => None,
                    };
                    if last.is_some_and(|l| IO_CALLS.contains(&l)) {
                        io = true;
                    } else if depth < 2 {
                        if let Some(def) = fx
                            .definition_of(callee)
                            .filter(|d| d.kind() == "function_definition" && d.id() != f.id())
                        {
                            match classify(fx, def, depth + 1) {
                                Work::Io => io = true,
                                Work::Cpu => helper_cpu = true,
                                Work::Unknown => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    if f.kind() == "lambda" {
        // a lambda has no statements; its expression decides
        if io {
            return Work::Io;
        }
        return if helper_cpu { Work::Cpu } else { Work::Unknown };
    }
    if io {
        Work::Io
    } else if (loops && arith) || helper_cpu {
        Work::Cpu
    } else {
        Work::Unknown
    }
}
