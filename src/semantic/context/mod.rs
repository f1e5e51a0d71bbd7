//! Context checks that a rule's match must pass before it counts, named in the rule's TOML
//! (`context = "..."`). Tree-sitter patterns say what a node looks like; these say where it sits
//! (inside an `async def`, inside a request handler, with no `'error'` listener in its scope,
//! running a CPU-bound thread target, ...), which a pattern alone cannot express. Each check
//! looks only at the tree the scanner already parsed, walking up from the match or over the one
//! scope it needs; the few that need the file's bindings use the lazily built index in
//! `resolve`.
//!
//! The checks live by subject: `python` (type-checking and optional imports, thread work),
//! `handlers` (where a JavaScript call runs: async code, handlers, server files, heavy loops),
//! `serving` (whether async code runs on a serving loop, not a run-once entry point or a
//! startup path), `follow` (a blocking call one call away, in a helper of the same file) and
//! `errors` (`'error'` listeners, floating promises).
use super::resolve::{wildcard_match, Origin, SemanticModel};
use crate::rules::ContextCheck;
use errors::{error_events, js_floating_promise, Listeners};
use handlers::{js_heavy_loop_in_handler, js_in_async_or_handler, js_in_server_code};
use python::{fans_out, task_dropped, thread_work, Work};
use tree_sitter::Node;

mod callers;
mod errors;
mod follow;
mod handlers;
mod lists;
mod python;
mod serving;

pub use python::{inside_optional_import, inside_type_checking};

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
        ContextCheck::ModuleLevel => enclosing_function(fx, node).is_none(),
        ContextCheck::NotTypeChecking => !inside_type_checking(fx, node),
        ContextCheck::PythonAsyncBody => enclosing_function(fx, node).is_some_and(|f| {
            f.kind() == "function_definition"
                && has_async_keyword(f)
                && serving::python_serving(fx, f)
        }),
        ContextCheck::PythonThreadCpuBound => thread_work(fx, m) == Work::Cpu,
        ContextCheck::PythonThreadFanoutNotCpuBound => {
            fans_out(fx, m) && thread_work(fx, m) != Work::Cpu
        }
        ContextCheck::PythonTaskDropped => task_dropped(fx, node),
        ContextCheck::JsAsyncOrHandler => js_in_async_or_handler(fx, node),
        ContextCheck::JsServing => js_in_async_or_handler(fx, node) && js_in_server_code(fx, node),
        ContextCheck::JsAsyncNotServing => {
            js_in_async_or_handler(fx, node) && !js_in_server_code(fx, node)
        }
        ContextCheck::JsServerCode => js_in_server_code(fx, node),
        ContextCheck::JsHeavyLoopInHandler => js_heavy_loop_in_handler(fx, node),
        // In a run-once script (a CLI, a download or training script) an uncaught stream
        // error ends that run, which is how it fails anyway; nothing else shares the process.
        ContextCheck::JsNoErrorListener => {
            !serving::js_run_once_script(fx)
                && matches!(error_events(fx, node), Listeners::Unhandled { .. })
        }
        ContextCheck::JsErrorEmittedWithoutListener => matches!(
            error_events(fx, node),
            Listeners::Unhandled { emits_error: true }
        ),
        ContextCheck::PythonCallsBlockingHelper => {
            follow::python_calls_blocking_helper(fx, node, callees, &mut out.callee)
        }
        ContextCheck::JsCallsBlockingHelper => {
            follow::js_calls_blocking_helper(fx, node, callees, &mut out.callee)
        }
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
            // a module of the project (`from .models import Book` -> `.models.Book`), or a
            // class of this file derived from an imported one (`class(peewee.Model).select`)
            let name = if q.name.starts_with('.') {
                Some(q.name)
            } else {
                fx.qualify_subclass(callee)
            };
            return name.filter(|n| callees.calls.iter().any(|p| wildcard_match(p, n)));
        }
    };
    list.iter()
        .any(|p| wildcard_match(p, &q.name))
        .then_some(q.name)
}

/// The nearest enclosing function-like node, if any (Python and JS/TS grammars).
pub fn enclosing_function<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> Option<Node<'t>> {
    super::scope::enclosing(fx, node, is_function_kind)
}

pub use super::scope::is_function_kind;

/// `async def`, `async function`, `async () =>`, `async m() {}`.
pub fn has_async_keyword(f: Node) -> bool {
    let mut c = f.walk();
    let found = f
        .children(&mut c)
        .take_while(|ch| !matches!(ch.kind(), "block" | "statement_block" | "parameters"))
        .any(|ch| ch.kind() == "async");
    found
}

/// `x.name(...)` -> `name`.
pub(super) fn method_name<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> Option<&'t str> {
    let f = call.child_by_field_name("function")?;
    if f.kind() != "member_expression" {
        return None;
    }
    f.child_by_field_name("property").map(|p| fx.text(p))
}

/// The first argument of a call when it is a string literal, without its quotes.
pub(super) fn first_arg_string<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> Option<&'t str> {
    let args = call.child_by_field_name("arguments")?;
    let a = args.named_child(0)?;
    if a.kind() != "string" {
        return None;
    }
    let t = fx.text(a);
    Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
}
