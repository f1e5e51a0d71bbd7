//! Blocking calls one call away (SF222, SF223). A request handler that calls `getAllFiles()`,
//! a plain function of the same file doing `fs.readdirSync`, blocks the loop as surely as one
//! that calls `readdirSync` itself, but the direct rules (SF220, SF221) only see calls in the
//! handler's own body. These checks follow a call to a helper defined in the same file, exactly
//! one level: the helper must be a plain (not async) function, found through the file's
//! bindings; its own body is read once per file (memoised in the `SemanticModel`, with a cap on
//! how many helpers one file may cost) for one of the rule's blocking calls; and the call site
//! must sit where the direct rule would fire (an `async def` on a serving loop, async code or a
//! handler on a serving loop). The diagnostic is reported at the call site and names the helper
//! and the blocking call with its line.
use super::handlers::js_in_async_or_handler;
use super::serving::python_serving;
use super::{callee_matches, enclosing_function, has_async_keyword, is_function_kind, Callees};
use crate::semantic::resolve::{HelperCall, SemanticModel};
use tree_sitter::Node;

/// How many calls of one helper's body are resolved before giving up (bounded work).
const MAX_CALLS_PER_HELPER: usize = 200;

/// Decorators that make a helper run its body once and then answer from memory.
const MEMOISING_DECORATORS: &[&str] = &["cache", "lru_cache", "cached", "memoize", "memoized"];

/// `helper()` or `self.helper()` inside an `async def` on a serving loop, where `helper` is a
/// plain `def` of this file whose body makes one of `callees`. Sets `callee` to the message
/// text (`` `helper()`, which calls `time.sleep` (line 12) ``).
pub(super) fn python_calls_blocking_helper<'t>(
    fx: &SemanticModel<'t>,
    call: Node<'t>,
    callees: Callees,
    callee_text: &mut Option<String>,
) -> bool {
    let Some(f) = call.child_by_field_name("function") else {
        return false;
    };
    let Some(outer) = enclosing_function(fx, call)
        .filter(|g| g.kind() == "function_definition" && has_async_keyword(*g))
    else {
        return false;
    };
    let Some(def) = fx
        .definition_of(f)
        .filter(|d| d.kind() == "function_definition" && !has_async_keyword(*d))
        .filter(|d| !memoised(fx, *d) && !is_generator(*d))
    else {
        return false;
    };
    let Some((name, line)) = blocking_in(fx, def, callees) else {
        return false;
    };
    if !python_serving(fx, outer) {
        return false;
    }
    *callee_text = Some(describe(fx, f, &name, line));
    true
}

/// `helper()` or `this.helper()` in async code or a handler on a serving loop, where `helper` is
/// a non-async function of this file whose body makes one of `callees`.
pub(super) fn js_calls_blocking_helper<'t>(
    fx: &SemanticModel<'t>,
    call: Node<'t>,
    callees: Callees,
    callee_text: &mut Option<String>,
) -> bool {
    let Some(f) = call.child_by_field_name("function") else {
        return false;
    };
    let Some(def) = fx
        .definition_of(f)
        .filter(|d| is_function_kind(d.kind()) && !has_async_keyword(*d))
    else {
        return false;
    };
    // a recursive call inside the helper itself is not a call from a serving context
    if is_inside(call, def) {
        return false;
    }
    let Some((name, line)) = blocking_in(fx, def, callees) else {
        return false;
    };
    if !js_in_async_or_handler(fx, call) {
        return false;
    }
    *callee_text = Some(describe(fx, f, &name, line));
    true
}

fn describe(fx: &SemanticModel, f: Node, name: &str, line: usize) -> String {
    format!("`{}()`, which calls `{name}` (line {line})", fx.text(f))
}

fn is_inside(n: Node, ancestor: Node) -> bool {
    n.start_byte() >= ancestor.start_byte() && n.end_byte() <= ancestor.end_byte()
}

/// A Python `def` with a `yield` of its own: calling it runs nothing, and whoever iterates it
/// decides where its body runs (Starlette's `StreamingResponse` iterates a sync generator in a
/// thread pool).
fn is_generator(def: Node) -> bool {
    let Some(body) = def.child_by_field_name("body") else {
        return false;
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if is_function_kind(n.kind()) || n.kind() == "class_definition" {
            continue;
        }
        if n.kind() == "yield" {
            return true;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// `@lru_cache`, `@functools.cache`, `@cached(...)` on a Python `def`.
fn memoised<'t>(fx: &SemanticModel<'t>, def: Node<'t>) -> bool {
    let Some(d) = fx
        .parent(def)
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return false;
    };
    let mut c = d.walk();
    let found = d
        .named_children(&mut c)
        .filter(|n| n.kind() == "decorator")
        .any(|n| {
            let t = fx.text(n).trim_start_matches('@');
            let head = t.split('(').next().unwrap_or(t);
            let last = head.rsplit('.').next().unwrap_or(head).trim();
            MEMOISING_DECORATORS.contains(&last)
        });
    found
}

/// The first of `callees` that the helper's own body calls (not in functions nested in it),
/// with its line; read once per helper.
fn blocking_in<'t>(fx: &SemanticModel<'t>, def: Node<'t>, callees: Callees) -> HelperCall {
    fx.helper_call(def, || {
        let body = def.child_by_field_name("body")?;
        let mut stack = vec![body];
        let mut seen = 0usize;
        while let Some(n) = stack.pop() {
            if is_function_kind(n.kind()) || n.kind() == "class_definition" {
                continue;
            }
            if matches!(n.kind(), "call" | "call_expression") {
                seen += 1;
                if seen > MAX_CALLS_PER_HELPER {
                    return None;
                }
                let found = n
                    .child_by_field_name("function")
                    .and_then(|f| callee_matches(callees, f, fx));
                if let Some(name) = found {
                    return Some((name, n.start_position().row + 1));
                }
            }
            let mut c = n.walk();
            let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
            // in source order: the first blocking call is the one named
            stack.extend(children.into_iter().rev());
        }
        None
    })
}
