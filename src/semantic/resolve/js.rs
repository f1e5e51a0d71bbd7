//! JavaScript/TypeScript binding sites (ES imports, declarations and destructuring, `this.x`
//! fields and methods) and the file-wide facts about being a server (`ServerInfo`).
use super::index::{add, bind_target, Here, Index, Value};
use super::{string_content, SemanticModel, ServerInfo};
use crate::semantic::scope::{enclosing_class, walk};
use tree_sitter::Node;

/// The names one JavaScript/TypeScript node binds: imports, declarations, assignments, class
/// fields and methods.
pub(super) fn index_js<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    match n.kind() {
        "import_statement" => import(fx, n, here, idx),
        "variable_declarator" => {
            let (Some(name), Some(value)) = (
                n.child_by_field_name("name"),
                n.child_by_field_name("value"),
            ) else {
                return;
            };
            bind_pattern(fx, idx, here, name, value, pos);
        }
        "assignment_expression" => {
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            if left.kind() == "object_pattern" {
                bind_pattern(fx, idx, here, left, right, pos);
            } else {
                bind_target(fx, idx, here, left, pos, Value::Expr(right));
            }
        }
        "field_definition" | "public_field_definition" => field(fx, n, here, idx),
        "function_declaration" | "generator_function_declaration" | "class_declaration" => {
            if let Some(name) = n.child_by_field_name("name") {
                add(idx, here.scope, fx.text(name), pos, Value::Def(n));
            }
        }
        "method_definition" => {
            if let (Some(name), Some(class)) =
                (n.child_by_field_name("name"), enclosing_class(fx, n))
            {
                let key = format!("this.{}", fx.text(name));
                add(idx, Some(class.id()), &key, pos, Value::Def(n));
            }
        }
        _ => {}
    }
}

/// `import fs from 'fs'`, `import * as fs from 'fs'`, `import { a, b as c } from 'm'`.
fn import<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let pos = n.start_byte();
    let Some(source) = n
        .child_by_field_name("source")
        .and_then(|s| string_content(fx, s))
    else {
        return;
    };
    let mut c = n.walk();
    let Some(clause) = n
        .named_children(&mut c)
        .find(|ch| ch.kind() == "import_clause")
    else {
        return;
    };
    let scope = here.scope;
    let mut c2 = clause.walk();
    for part in clause.named_children(&mut c2) {
        match part.kind() {
            // import fs from "fs": the default export stands for the module
            "identifier" => add(idx, scope, fx.text(part), pos, Value::Import(source, None)),
            "namespace_import" => {
                if let Some(id) = part.named_child(0) {
                    add(idx, scope, fx.text(id), pos, Value::Import(source, None));
                }
            }
            "named_imports" => named_imports(fx, part, source, here, pos, idx),
            _ => {}
        }
    }
}

/// `{ a, b as c }` of an import from `source`.
fn named_imports<'t>(
    fx: &SemanticModel<'t>,
    part: Node<'t>,
    source: &'t str,
    here: Here,
    pos: usize,
    idx: &mut Index<'t>,
) {
    let mut c3 = part.walk();
    for spec in part.named_children(&mut c3) {
        if spec.kind() != "import_specifier" {
            continue;
        }
        let Some(name) = spec.child_by_field_name("name") else {
            continue;
        };
        let bound = spec.child_by_field_name("alias").unwrap_or(name);
        let member = fx.text(name);
        // `import { default as x }` is the module itself
        let member = (member != "default").then_some(member);
        add(
            idx,
            here.scope,
            fx.text(bound),
            pos,
            Value::Import(source, member),
        );
    }
}

/// A class field `x = v` is `this.x` in its class.
fn field<'t>(fx: &SemanticModel<'t>, n: Node<'t>, here: Here, idx: &mut Index<'t>) {
    let (Some(prop), Some(value)) = (
        n.child_by_field_name("property")
            .or_else(|| n.child_by_field_name("name")),
        n.child_by_field_name("value"),
    ) else {
        return;
    };
    if let Some(class) = here.class {
        let key = format!("this.{}", fx.text(prop));
        add(idx, Some(class), &key, n.start_byte(), Value::Expr(value));
    }
}

/// `const x = v`, `const { a, b: c } = v`.
fn bind_pattern<'t>(
    fx: &SemanticModel<'t>,
    idx: &mut Index<'t>,
    here: Here,
    pattern: Node<'t>,
    value: Node<'t>,
    pos: usize,
) {
    match pattern.kind() {
        "identifier" => add(idx, here.scope, fx.text(pattern), pos, Value::Expr(value)),
        "object_pattern" => {
            let scope = here.scope;
            let mut c = pattern.walk();
            for p in pattern.named_children(&mut c) {
                match p.kind() {
                    "shorthand_property_identifier_pattern" => {
                        add(idx, scope, fx.text(p), pos, Value::Member(value, p));
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) =
                            (p.child_by_field_name("key"), p.child_by_field_name("value"))
                        {
                            let v = if v.kind() == "assignment_pattern" {
                                v.child_by_field_name("left").unwrap_or(v)
                            } else {
                                v
                            };
                            if v.kind() == "identifier" {
                                add(idx, scope, fx.text(v), pos, Value::Member(value, k));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Every imported or required module, and whether anything calls `.listen(...)`.
pub(super) fn server_info<'t>(fx: &SemanticModel<'t>) -> ServerInfo<'t> {
    let mut info = ServerInfo::default();
    walk(fx.root, |n| {
        match n.kind() {
            "import_statement" => {
                if let Some(m) = n
                    .child_by_field_name("source")
                    .and_then(|s| string_content(fx, s))
                {
                    info.modules.push(m);
                }
            }
            "call_expression" => {
                if let Some(m) = fx.require_module(n) {
                    info.modules.push(m);
                }
                let listen = n
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                    .and_then(|f| f.child_by_field_name("property"))
                    .is_some_and(|p| fx.text(p) == "listen");
                info.listens |= listen;
            }
            _ => {}
        }
        true
    });
    info
}
