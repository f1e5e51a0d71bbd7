//! Where a JavaScript call runs: in async code, a promise callback or a request/socket handler
//! (looking through callbacks of synchronous array iteration), anywhere in a file that starts a
//! server, or in a heavy loop directly inside a handler.
use super::callers::called_only_at_startup;
use super::lists::{has, lists};
use super::serving::{is_startup_name, js_function_name, js_run_once_script};
use super::{
    enclosing_function, first_arg_string, has_async_keyword, is_function_kind, method_name,
};
use crate::semantic::resolve::{normalize_module, Origin, SemanticModel};
use tree_sitter::Node;

/// The call a function is passed to directly as an argument, if any.
fn inline_callback_call<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> Option<Node<'t>> {
    let args = fx.parent(f).filter(|p| p.kind() == "arguments")?;
    fx.parent(args)
        .filter(|c| matches!(c.kind(), "call_expression" | "new_expression"))
}

/// The function whose context a node runs in: the nearest enclosing function, looking through
/// callbacks passed inline to synchronous array iteration (`items.forEach(x => ...)`).
fn effective_function<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut f = enclosing_function(fx, node)?;
    while let Some(call) = inline_callback_call(fx, f) {
        if call.kind() != "call_expression"
            || !method_name(fx, call).is_some_and(|m| has(&lists().handlers.sync_iteration, m))
        {
            break;
        }
        f = enclosing_function(fx, call)?;
    }
    Some(f)
}

/// Inside a request/socket handler, or an async function or promise callback that runs on a
/// serving loop (JS/TS): not on a startup path, not in a run-once script.
pub(super) fn js_in_async_or_handler<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let Some(f) = effective_function(fx, node) else {
        return false;
    };
    if is_handler(fx, f) {
        return true;
    }
    (has_async_keyword(f) || is_promise_callback(fx, f)) && js_serving(fx, f)
}

/// The nearest function around `f` (itself included) that decides: an inline handler serves,
/// a function named for startup or shutdown (`restartServer`, `init`) or one that starts the
/// server itself (`createServer`, `.listen(` in the function the code is in: the work before
/// `listen`) does not; with neither,
/// a shebang script that starts no server does not serve either.
fn js_serving<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let mut cur = Some(f);
    while let Some(g) = cur {
        if g.id() != f.id() && is_handler(fx, g) {
            return true;
        }
        let own_code = g.id() == f.id();
        if js_function_name(fx, g).is_some_and(is_startup_name)
            || (own_code && starts_server(fx, g))
        {
            return false;
        }
        cur = enclosing_function(fx, g);
    }
    !js_run_once_script(fx) && !in_startup_helper(fx, f)
}

/// `f`, or a function around it, is a private helper only startup paths call.
fn in_startup_helper<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let mut cur = Some(f);
    while let Some(g) = cur {
        if called_only_at_startup(fx, g) {
            return true;
        }
        cur = enclosing_function(fx, g);
    }
    false
}

/// `.then(fn)`, `.catch(fn)`, `.finally(fn)`, `new Promise(fn)`.
fn is_promise_callback<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let Some(call) = inline_callback_call(fx, f) else {
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

fn ends_with_any(name: &str, suffixes: &[String]) -> bool {
    let lower = name.to_ascii_lowercase();
    suffixes.iter().any(|s| lower.ends_with(s.as_str()))
}

/// A request or socket handler callback: `app.get('/x', fn)`, `router.post(...)`, `app.use(fn)`,
/// `server.on('request', fn)`, `io.on('connection', fn)`, `socket.on(event, fn)`,
/// `http.createServer(fn)`.
fn is_handler<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let Some(call) = inline_callback_call(fx, f) else {
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
        if has(&lists().handlers.route_methods, method)
            && ends_with_any(recv, &lists().handlers.route_receivers)
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
            if first_arg_string(fx, call).is_some_and(|e| has(&lists().handlers.handler_events, e))
            {
                return true;
            }
            return ends_with_any(recv, &lists().handlers.socket_receivers);
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

/// A function that creates or starts the server in its own code.
fn starts_server(fx: &SemanticModel, f: Node) -> bool {
    let t = fx.text(f);
    t.contains(".listen(") || t.contains("createServer(") || t.contains("createSecureServer(")
}

/// Inside a request/socket handler (at any depth), or anywhere in a file that starts a server.
pub(super) fn js_in_server_code<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let mut cur = enclosing_function(fx, node);
    while let Some(f) = cur {
        if is_handler(fx, f) {
            return true;
        }
        cur = enclosing_function(fx, f);
    }
    let idx = fx.server_info();
    idx.listens
        && idx.modules.iter().map(|m| normalize_module(m)).any(|m| {
            has(&lists().handlers.node_server_modules, m) || has(&lists().serving.js_frameworks, m)
        })
}

fn is_loop(kind: &str) -> bool {
    matches!(
        kind,
        "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
    )
}

/// An outermost loop, directly in a handler, that does arithmetic in a nested loop, runs to a
/// literal bound of 10,000 or more, or walks a tensor's `dataSync()`/`arraySync()`.
pub(super) fn js_heavy_loop_in_handler<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let Some(f) = effective_function(fx, node) else {
        return false;
    };
    if !is_handler(fx, f) {
        return false;
    }
    // outermost loop within the handler
    for p in fx.ancestors(node) {
        if p.id() == f.id() {
            break;
        }
        if is_loop(p.kind()) {
            return false;
        }
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
