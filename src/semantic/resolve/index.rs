//! The binding index behind `SemanticModel`: which names a scope or a class binds, and to
//! what. A scope is walked once, on the first lookup that needs it, visiting only the node kinds
//! that can bind (`kind_flags`); the per-language binding sites are in `python` and `js`.
use super::{is_self, SemanticModel};
use crate::lang::Lang;
use crate::semantic::scope::{is_class, is_scope, walk};
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::Node;

const SCOPE: u8 = 1;
const CLASS: u8 = 2;
const BINDS: u8 = 4;

/// Per grammar, by node kind id: whether the index must look at a node (it opens a scope or a
/// class, or it can bind a name). Comparing ids is much cheaper than comparing kind names on
/// every node of the tree.
fn kind_flags(lang: Lang) -> &'static [u8] {
    static TABLES: [OnceLock<Vec<u8>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    TABLES[lang.index()].get_or_init(|| {
        let language = lang.ts_language();
        (0..language.node_kind_count())
            .map(|id| {
                let Some(kind) = u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                else {
                    return 0;
                };
                let mut f = 0;
                if is_scope(lang, kind) {
                    f |= SCOPE;
                }
                if is_class(kind) {
                    f |= CLASS;
                }
                let binds = if lang == Lang::Python {
                    matches!(
                        kind,
                        "import_statement"
                            | "import_from_statement"
                            | "assignment"
                            | "with_item"
                            | "function_definition"
                            | "class_definition"
                    )
                } else {
                    matches!(
                        kind,
                        "import_statement"
                            | "variable_declarator"
                            | "assignment_expression"
                            | "field_definition"
                            | "public_field_definition"
                            | "function_declaration"
                            | "generator_function_declaration"
                            | "class_declaration"
                            | "method_definition"
                            | "call_expression"
                    )
                };
                if binds {
                    f |= BINDS;
                }
                f
            })
            .collect()
    })
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'t> {
    /// Bound by an import to this module path (already qualified).
    Import(&'t str, Option<&'t str>),
    /// Bound to the value of this expression.
    Expr(Node<'t>),
    /// `const { a: b } = <expr>`: bound to `<expr>.a`.
    Member(Node<'t>, Node<'t>),
    /// A function, method or class defined here (the definition node).
    Def(Node<'t>),
    /// A parameter of the enclosing function: unknown value, but it hides outer names.
    Param,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Binding<'t> {
    pub(super) pos: usize,
    pub(super) value: Value<'t>,
}

/// Binding sites by (scope node id, name), filled one scope at a time as lookups need them:
/// a scope is walked once, without descending into the functions nested in it. Class
/// attributes are keyed `self.x` / `this.x` under the class's id (a class is walked whole).
#[derive(Default)]
pub(super) struct Index<'t> {
    pub(super) map: HashMap<(usize, String), Vec<Binding<'t>>>,
    /// Scopes and classes already walked.
    pub(super) done: std::collections::HashSet<usize>,
}

/// Where the walk is: the innermost scope and class around the current node (not counting the
/// node itself).
#[derive(Clone, Copy)]
pub(super) struct Here {
    pub(super) scope: Option<usize>,
    pub(super) class: Option<usize>,
}

/// The names bound directly in one scope: its parameters, imports, assignments, `with ... as`
/// targets and the functions and classes defined in it; nested functions are not entered.
pub(super) fn index_scope<'t>(fx: &SemanticModel<'t>, scope: Node<'t>, idx: &mut Index<'t>) {
    let here = Here {
        scope: Some(scope.id()),
        class: None,
    };
    index_params(fx, scope, idx);
    index_below(fx, scope, here, SCOPE, idx);
}

/// The attributes a class sets on `self`/`this` (in any method), its class fields and its
/// methods. Nested classes are not entered.
pub(super) fn index_class<'t>(fx: &SemanticModel<'t>, class: Node<'t>, idx: &mut Index<'t>) {
    let here = Here {
        scope: None,
        class: Some(class.id()),
    };
    index_below(fx, class, here, CLASS, idx);
}

/// Indexes the binding nodes below `top`, not entering nodes with the `stop` flag (a nested
/// scope or class, which has its own index).
fn index_below<'t>(
    fx: &SemanticModel<'t>,
    top: Node<'t>,
    here: Here,
    stop: u8,
    idx: &mut Index<'t>,
) {
    let flags = kind_flags(fx.lang);
    walk(top, |n| {
        if !fx.charge(1) {
            return false;
        }
        if n.id() == top.id() {
            return true;
        }
        let f = flags.get(n.kind_id() as usize).copied().unwrap_or(0);
        if f & BINDS != 0 {
            if fx.lang == Lang::Python {
                super::python::index_python(fx, n, here, idx);
            } else {
                super::js::index_js(fx, n, here, idx);
            }
        }
        f & stop == 0
    });
}

/// A function's parameters bind their names in the function's own scope.
fn index_params<'t>(fx: &SemanticModel<'t>, f: Node<'t>, idx: &mut Index<'t>) {
    if !is_scope(fx.lang, f.kind()) || matches!(f.kind(), "module" | "program" | "class_definition")
    {
        return;
    }
    let Some(params) = f
        .child_by_field_name("parameters")
        .or_else(|| f.child_by_field_name("parameter"))
    else {
        return;
    };
    let mut names = Vec::new();
    param_names(fx, params, &mut names);
    for name in names {
        add(idx, Some(f.id()), name, f.start_byte(), Value::Param);
    }
}

/// The names a parameter list binds: identifiers in binding positions, not in type annotations
/// or default values. Iterative: a destructuring pattern may be nested thousands deep.
fn param_names<'t>(fx: &SemanticModel<'t>, params: Node<'t>, out: &mut Vec<&'t str>) {
    let mut stack = vec![params];
    while let Some(n) = stack.pop() {
        if !fx.charge(1) {
            return;
        }
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                out.push(fx.text(n));
                continue;
            }
            "type" | "type_annotation" => continue,
            _ => {}
        }
        let has_default = matches!(
            n.kind(),
            "default_parameter"
                | "typed_default_parameter"
                | "required_parameter"
                | "optional_parameter"
                | "assignment_pattern"
        );
        let mut c = n.walk();
        let mut children = Vec::new();
        for (i, child) in n.children(&mut c).enumerate() {
            let field = n.field_name_for_child(i as u32);
            if matches!(field, Some("type"))
                || (has_default && matches!(field, Some("value" | "right")))
            {
                continue;
            }
            if n.kind() == "pair_pattern" && field == Some("key") {
                continue;
            }
            if n.kind() == "typed_parameter" && child.kind() == "identifier" {
                out.push(fx.text(child));
                break;
            }
            children.push(child);
        }
        // Depth-first, in source order.
        stack.extend(children.into_iter().rev());
    }
}

pub(super) fn add<'t>(
    idx: &mut Index<'t>,
    scope: Option<usize>,
    name: &str,
    pos: usize,
    value: Value<'t>,
) {
    let Some(scope) = scope else { return };
    if name.is_empty() {
        return;
    }
    idx.map
        .entry((scope, name.to_string()))
        .or_default()
        .push(Binding { pos, value });
}

/// `name = v` binds name in its scope; `self.x = v` binds `self.x` in the enclosing class.
pub(super) fn bind_target<'t>(
    fx: &SemanticModel<'t>,
    idx: &mut Index<'t>,
    here: Here,
    left: Node<'t>,
    pos: usize,
    v: Value<'t>,
) {
    match left.kind() {
        "identifier" => add(idx, here.scope, fx.text(left), pos, v),
        "attribute" | "member_expression" => {
            let Some(obj) = left.child_by_field_name("object") else {
                return;
            };
            if !is_self(fx, obj) {
                return;
            }
            let prop = left.child_by_field_name(if left.kind() == "attribute" {
                "attribute"
            } else {
                "property"
            });
            if let (Some(prop), Some(class)) = (prop, here.class) {
                let key = format!("{}.{}", fx.text(obj), fx.text(prop));
                add(idx, Some(class), &key, pos, v);
            }
        }
        _ => {}
    }
}
