//! Python binding sites: `import`, `from ... import`, assignments, `with ... as` and `def` /
//! `class` (a method is also `self.name` in its class).
use super::index::{add, bind_target, Here, Index, Value};
use super::SemanticModel;
use tree_sitter::Node;

/// The names one Python node binds: imports, assignments, `with ... as` targets, definitions.
pub(super) fn index_python<'t>(
    fx: &SemanticModel<'t>,
    n: Node<'t>,
    here: Here,
    idx: &mut Index<'t>,
) {
    match n.kind() {
        "import_statement" => import(fx, n, here, idx),
        "import_from_statement" => import_from(fx, n, here, idx),
        "assignment" => {
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            bind_target(fx, idx, here, left, n.start_byte(), Value::Expr(right));
        }
        "with_item" => with_item(fx, n, here, idx),
        "function_definition" | "class_definition" => definition(fx, n, here, idx),
        _ => {}
    }
}

/// `import a.b.c`, `import a.b as x`.
fn import<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    let mut c = n.walk();
    for name in n.children_by_field_name("name", &mut c) {
        match name.kind() {
            // import a.b.c binds `a` to module `a`
            "dotted_name" => {
                let full = fx.text(name);
                let first = full.split('.').next().unwrap_or(full);
                add(idx, here.scope, first, pos, Value::Import(first, None));
            }
            // import a.b as x binds `x` to `a.b`
            "aliased_import" => {
                if let (Some(m), Some(a)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    add(
                        idx,
                        here.scope,
                        fx.text(a),
                        pos,
                        Value::Import(fx.text(m), None),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `from m import a, b as c`.
fn import_from<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    let Some(module) = n.child_by_field_name("module_name") else {
        return;
    };
    let m = fx.text(module);
    let mut c = n.walk();
    for name in n.children_by_field_name("name", &mut c) {
        let (orig, bound) = match name.kind() {
            "dotted_name" => (name, name),
            "aliased_import" => match (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ) {
                (Some(o), Some(a)) => (o, a),
                _ => continue,
            },
            _ => continue,
        };
        add(
            idx,
            here.scope,
            fx.text(bound),
            pos,
            Value::Import(m, Some(fx.text(orig))),
        );
    }
}

/// `with X as name`.
fn with_item<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let Some(v) = n.child_by_field_name("value") else {
        return;
    };
    if v.kind() != "as_pattern" {
        return;
    }
    let (Some(x), Some(alias)) = (v.named_child(0), v.child_by_field_name("alias")) else {
        return;
    };
    if let Some(target) = alias.named_child(0) {
        bind_target(fx, idx, here, target, n.start_byte(), Value::Expr(x));
    }
}

/// `def name` / `class name`; a method is also `self.name` in its class.
fn definition<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    let Some(name) = n.child_by_field_name("name") else {
        return;
    };
    let name = fx.text(name);
    add(idx, here.scope, name, pos, Value::Def(n));
    // a method is also `self.name` in its class
    if let Some(class) = here
        .class
        .filter(|c| n.kind() == "function_definition" && is_method_of(fx, n, *c))
    {
        add(
            idx,
            Some(class),
            &format!("self.{name}"),
            pos,
            Value::Def(n),
        );
    }
}

/// A Python `def` directly in the body of the class `class` (possibly decorated).
fn is_method_of<'t>(fx: &SemanticModel<'t>, n: Node<'t>, class: usize) -> bool {
    let mut cur = fx.parent(n);
    for _ in 0..3 {
        match cur {
            Some(p) if p.id() == class => return true,
            Some(p) if matches!(p.kind(), "block" | "decorated_definition") => cur = fx.parent(p),
            _ => return false,
        }
    }
    false
}
