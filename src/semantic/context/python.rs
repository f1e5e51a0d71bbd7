//! Python context checks: imports that only type checkers or optional features see, what work a
//! thread or a pool runs (CPU-bound Python serialised by the GIL, or waiting on I/O: `threads`),
//! and asyncio tasks that nobody keeps.
use super::is_function_kind;
use crate::semantic::resolve::SemanticModel;
use tree_sitter::Node;

mod threads;

pub(super) use threads::{fans_out, thread_work, Work};

/// True when `node` sits in an `if TYPE_CHECKING:` block (Python imports for type hints only).
pub fn inside_type_checking<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    fx.ancestors(node).any(|n| {
        n.kind() == "if_statement"
            && n.child_by_field_name("condition").is_some_and(|cond| {
                cond.utf8_text(fx.src)
                    .unwrap_or("")
                    .ends_with("TYPE_CHECKING")
            })
    })
}

/// True when `node` sits in a `try:` body whose handlers catch ImportError/ModuleNotFoundError
/// (an optional dependency), or inside a function (a lazy import).
pub fn inside_optional_import<'t>(fx: &SemanticModel<'t>, node: Node<'t>) -> bool {
    let src = fx.src;
    for n in fx.ancestors(node) {
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
        // An import inside a function is loaded lazily, when the function runs: an optional
        // integration (`tqdm.pandas()`), not what the module is built on.
        if is_function_kind(n.kind()) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Python: asyncio tasks nobody keeps.

/// A `create_task(...)`/`ensure_future(...)` call whose task is dropped: the call is a bare
/// statement, or it is assigned to a plain local name that its function never reads again (not
/// awaited, stored, returned, passed on, given a done-callback, closed over or declared
/// `global`/`nonlocal`). Assigned at module level, to an attribute, a subscript or a tuple: kept.
pub(super) fn task_dropped<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> bool {
    let Some(p) = fx.parent(call) else {
        return false;
    };
    match p.kind() {
        "expression_statement" => true,
        "assignment" => {
            let Some(left) = p
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")
            else {
                return false;
            };
            if p.child_by_field_name("right").map(|r| r.id()) != Some(call.id()) {
                return false;
            }
            match super::enclosing_function(fx, p).filter(|f| f.kind() == "function_definition") {
                Some(f) => !reads_name(fx, f, fx.text(left)),
                None => false,
            }
        }
        _ => false,
    }
}

/// True when `name` is read anywhere in `f` (nested functions included); being the target of a
/// plain assignment is not a read.
fn reads_name<'t>(fx: &SemanticModel<'t>, f: Node<'t>, name: &str) -> bool {
    let mut stack = vec![f];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" && fx.text(n) == name {
            let rebound = fx.parent(n).is_some_and(|p| {
                p.kind() == "assignment"
                    && p.child_by_field_name("left").map(|l| l.id()) == Some(n.id())
            });
            if !rebound {
                return true;
            }
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}
