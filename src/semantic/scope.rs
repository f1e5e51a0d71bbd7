//! The shape of the tree that both name resolution and the context checks need: which nodes
//! open a scope or a class, the nearest such ancestor (read through the model's parent cache),
//! and a cursor walk over a subtree. Grammar knowledge only; no bindings, no rules.
use crate::lang::Lang;
pub use crate::lang::{is_class, is_function_kind};
use crate::semantic::resolve::SemanticModel;
use crate::syntax::PreOrder;
use tree_sitter::Node;

/// A node that opens a name scope: the module, a function, a lambda (and, in Python, a class).
pub fn is_scope(lang: Lang, kind: &str) -> bool {
    match lang {
        Lang::Python => matches!(
            kind,
            "module" | "function_definition" | "lambda" | "class_definition"
        ),
        _ => kind == "program" || is_function_kind(kind),
    }
}

/// The nearest ancestor of `n` (not `n` itself) whose kind passes `kind_is`.
pub fn enclosing<'t>(
    fx: &SemanticModel<'t>,
    n: Node<'t>,
    kind_is: impl Fn(&str) -> bool,
) -> Option<Node<'t>> {
    fx.ancestors(n).find(|p| kind_is(p.kind()))
}

/// The nearest class around `n` (not `n` itself).
pub fn enclosing_class<'t>(fx: &SemanticModel<'t>, n: Node<'t>) -> Option<Node<'t>> {
    enclosing(fx, n, is_class)
}

/// Walks the subtree of `top` (`syntax::PreOrder`), calling `visit` on every node; `visit`
/// returns whether to descend into the node's children.
pub fn walk<'t>(top: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    let mut w = PreOrder::new(top);
    let mut enter = false;
    while let Some((n, _)) = w.next(enter) {
        enter = visit(n);
    }
}
