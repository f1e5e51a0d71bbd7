//! JavaScript error handling: whether a stream, socket or emitter created in a scope gets an
//! `'error'` listener there (or leaves the scope), and promises whose rejection nothing handles.
use super::handlers::js_in_async_or_handler;
use super::{callee_matches, first_arg_string, method_name, Callees};
use crate::semantic::resolve::SemanticModel;
use crate::semantic::scope::{enclosing_class, is_scope};
use std::ops::ControlFlow;
use tree_sitter::Node;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Listeners {
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
pub(super) fn error_events<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> Listeners {
    // 1. The chain applied directly to the new object: `fs.createReadStream(p).on('error', ...)`.
    let cur = match follow_chain(fx, node) {
        ControlFlow::Break(verdict) => return verdict,
        ControlFlow::Continue(cur) => cur,
    };
    // 2. Where the object goes.
    let (holder, scope) = match holder_of(fx, cur) {
        ControlFlow::Break(verdict) => return verdict,
        ControlFlow::Continue(found) => found,
    };
    let Some(scope) = scope else {
        return Listeners::Escapes;
    };
    // 3. Every use of the holder in its scope.
    uses_in_scope(fx, node, cur, &holder, scope)
}

/// Follows the method chain on the new object; breaks with the verdict when the chain settles
/// it, else continues with the outermost expression that is still the object.
fn follow_chain<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> ControlFlow<Listeners, Node<'t>> {
    let mut cur = node;
    loop {
        match step_chain(fx, cur) {
            Chain::Listens => return ControlFlow::Break(Listeners::Handled),
            Chain::Same(next) => cur = next,
            Chain::Consumed => {
                return ControlFlow::Break(Listeners::Unhandled { emits_error: false })
            }
            Chain::End => break,
        }
    }
    ControlFlow::Continue(cur)
}

/// The name the object is stored under (`x`, `this.x`) and the scope to search for its uses,
/// or the verdict when it is not stored under a name.
fn holder_of<'t>(
    fx: &SemanticModel<'t>,
    cur: Node<'t>,
) -> ControlFlow<Listeners, (String, Option<Node<'t>>)> {
    let Some(p) = fx.parent(cur) else {
        return ControlFlow::Break(Listeners::Escapes);
    };
    let found = match p.kind() {
        "variable_declarator"
            if p.child_by_field_name("value")
                .is_some_and(|v| v.id() == cur.id()) =>
        {
            match p.child_by_field_name("name") {
                Some(n) if n.kind() == "identifier" => (fx.text(n).to_string(), scope_node(fx, p)),
                _ => return ControlFlow::Break(Listeners::Escapes),
            }
        }
        "assignment_expression"
            if p.child_by_field_name("right")
                .is_some_and(|v| v.id() == cur.id()) =>
        {
            let Some(left) = p.child_by_field_name("left") else {
                return ControlFlow::Break(Listeners::Escapes);
            };
            match left.kind() {
                "identifier" => (fx.text(left).to_string(), scope_node(fx, p)),
                "member_expression"
                    if left
                        .child_by_field_name("object")
                        .is_some_and(|o| o.kind() == "this") =>
                {
                    (fx.text(left).to_string(), enclosing_class(fx, p))
                }
                _ => return ControlFlow::Break(Listeners::Escapes),
            }
        }
        "field_definition" | "public_field_definition" => {
            let Some(prop) = p
                .child_by_field_name("property")
                .or_else(|| p.child_by_field_name("name"))
            else {
                return ControlFlow::Break(Listeners::Escapes);
            };
            (format!("this.{}", fx.text(prop)), enclosing_class(fx, p))
        }
        "expression_statement" => {
            return ControlFlow::Break(Listeners::Unhandled { emits_error: false })
        }
        _ => return ControlFlow::Break(Listeners::Escapes),
    };
    ControlFlow::Continue(found)
}

/// Judges every use of `holder` in `scope` after the object's creation (`node`, held as the
/// expression `cur`).
fn uses_in_scope<'t>(
    fx: &SemanticModel<'t>,
    node: Node<'t>,
    cur: Node<'t>,
    holder: &str,
    scope: Node<'t>,
) -> Listeners {
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
    let Some(p) = fx.parent(cur) else {
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
    let Some(call) = fx
        .parent(p)
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
                if let Some(call) = fx.parent(cur).and_then(|m| fx.parent(m)) {
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
    let Some(p) = fx.parent(cur) else {
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
    fx.ancestors(n).find(|p| is_scope(fx.lang, p.kind()))
}

// ---------------------------------------------------------------------------------------------
// JavaScript: floating promises.

/// For an expression statement's call in async code: strips `.then(onFulfilled)` and
/// `.finally()` layers (a `.catch()` or a two-argument `.then()` handles the rejection) and
/// returns the qualified name of the innermost callee when it is a known promise-returning API
/// or an async function of this file.
pub(super) fn js_floating_promise<'t>(
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
    if receiver_is_settled(fx, callee, 0) {
        return None;
    }
    let name = callee_matches(callees, callee, fx)?;
    if fx
        .definition_of(callee)
        .is_some_and(|f| cannot_reject(fx, f))
    {
        return None;
    }
    Some(name)
}

/// True when the method is called on a value that is no longer a promise: the result of an
/// `await` (`(await fsp.open(p)).createReadStream()`, `const x = await f(); x.should.eq(...)`),
/// or of a call that is not `require` (a method on a promise API's *result* is not that API).
fn receiver_is_settled<'t>(fx: &SemanticModel<'t>, callee: Node<'t>, depth: u32) -> bool {
    if depth > 8 {
        return false;
    }
    let next = match callee.kind() {
        "member_expression" | "subscript_expression" => callee.child_by_field_name("object"),
        "parenthesized_expression" | "non_null_expression" | "as_expression" => {
            callee.named_child(0)
        }
        "await_expression" => return true,
        "call_expression" => {
            if depth > 0 && fx.require_module(callee).is_none() {
                return true;
            }
            callee.child_by_field_name("function")
        }
        "identifier" if depth > 0 => fx.value_of(callee),
        _ => None,
    };
    next.is_some_and(|n| receiver_is_settled(fx, n, depth + 1))
}

/// An async function whose body cannot throw past its own handlers: every statement is a
/// `try { } catch { }` whose handler (and `finally`) neither throws nor awaits, a declaration or a
/// `return` of values that cannot throw (literals, names, member reads, functions), a
/// `while (true)` loop made of such statements, or `return new Promise((resolve) =>
/// setTimeout(resolve, ms))` (a delay, which has no way to reject). Its promise always fulfils.
fn cannot_reject(fx: &SemanticModel, f: Node) -> bool {
    let Some(body) = f.child_by_field_name("body") else {
        return false;
    };
    body.kind() == "statement_block" && body.named_child_count() > 0 && safe_statement(fx, body)
}

fn safe_statement(fx: &SemanticModel, s: Node) -> bool {
    let mut c = s.walk();
    match s.kind() {
        "comment" | "empty_statement" | "break_statement" | "continue_statement" => true,
        "statement_block" => s.named_children(&mut c).all(|x| safe_statement(fx, x)),
        "try_statement" => {
            s.child_by_field_name("handler").is_some()
                && ["handler", "finalizer"]
                    .iter()
                    .all(|field| s.child_by_field_name(field).map_or(true, |h| !may_throw(h)))
        }
        "lexical_declaration" | "variable_declaration" => s
            .named_children(&mut c)
            .filter(|d| d.kind() == "variable_declarator")
            .all(|d| d.child_by_field_name("value").map_or(true, safe_value)),
        "return_statement" => s
            .named_child(0)
            .map_or(true, |v| safe_value(v) || is_delay_promise(fx, v)),
        "while_statement" | "do_statement" => {
            s.child_by_field_name("condition")
                .is_some_and(|x| x.named_child(0).unwrap_or(x).kind() == "true")
                && s.child_by_field_name("body")
                    .is_some_and(|b| safe_statement(fx, b))
        }
        _ => false,
    }
}

/// A value whose evaluation cannot throw (for this purpose): literals, names, member reads and
/// function expressions.
fn safe_value(v: Node) -> bool {
    let mut c = v.walk();
    match v.kind() {
        "string"
        | "number"
        | "true"
        | "false"
        | "null"
        | "undefined"
        | "identifier"
        | "this"
        | "arrow_function"
        | "function_expression"
        | "function"
        | "regex" => true,
        "template_string" => v.named_child_count() == 0,
        "member_expression" | "subscript_expression" | "parenthesized_expression" => v
            .named_children(&mut c)
            .all(|x| x.kind() == "property_identifier" || safe_value(x)),
        "array" | "object" => v.named_children(&mut c).all(|x| {
            safe_value(x)
                || (x.kind() == "pair" && x.child_by_field_name("value").is_some_and(safe_value))
        }),
        _ => false,
    }
}

/// `new Promise((resolve) => setTimeout(resolve, ms))`: an executor without `reject` that only
/// schedules a timer.
fn is_delay_promise(fx: &SemanticModel, v: Node) -> bool {
    if v.kind() != "new_expression"
        || v.child_by_field_name("constructor").map(|c| fx.text(c)) != Some("Promise")
    {
        return false;
    }
    let Some(exec) = v
        .child_by_field_name("arguments")
        .and_then(|a| a.named_child(0))
        .filter(|e| matches!(e.kind(), "arrow_function" | "function_expression"))
    else {
        return false;
    };
    let one_param = match exec.child_by_field_name("parameters") {
        Some(p) => p.named_child_count() == 1,
        None => exec.child_by_field_name("parameter").is_some(),
    };
    let Some(body) = exec.child_by_field_name("body") else {
        return false;
    };
    let mut c = body.walk();
    let calls: Vec<Node> = match body.kind() {
        "statement_block" => body
            .named_children(&mut c)
            .map(|st| match st.kind() {
                "expression_statement" => st.named_child(0).unwrap_or(st),
                _ => st,
            })
            .collect(),
        _ => vec![body],
    };
    one_param
        && !calls.is_empty()
        && calls.iter().all(|call| {
            call.kind() == "call_expression"
                && call.child_by_field_name("function").is_some_and(|f| {
                    matches!(fx.text(f), "setTimeout" | "setImmediate" | "queueMicrotask")
                })
        })
}

/// A `throw` or an `await` (which may reject) in `n`, outside nested functions.
fn may_throw(n: Node) -> bool {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        match x.kind() {
            "throw_statement" | "await_expression" => return true,
            k if super::is_function_kind(k) => continue,
            _ => {}
        }
        let mut c = x.walk();
        stack.extend(x.named_children(&mut c));
    }
    false
}
