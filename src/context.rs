//! Context checks that a rule's match must pass before it counts, named in the rule's TOML
//! (`context = "..."`). Tree-sitter patterns say what a node looks like; these say where it sits
//! (inside an `async def`, inside a request handler, ...), which a pattern alone cannot express.
use tree_sitter::Node;

/// Every context name a rule may use.
pub const KNOWN: &[&str] = &["module-level", "not-type-checking"];

pub fn is_known(name: &str) -> bool {
    KNOWN.contains(&name)
}

/// Whether `node` (the rule's `@match` capture) satisfies the named context.
pub fn check(name: &str, node: Node, src: &[u8]) -> bool {
    match name {
        "module-level" => enclosing_function(node).is_none(),
        "not-type-checking" => !inside_type_checking(node, src),
        _ => false,
    }
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
