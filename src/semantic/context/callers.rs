//! Startup work one call away. `checkDist()` reads files synchronously in an `async function`,
//! but its only caller is `start()`: it runs once, before the process serves anything, as
//! `start()` itself does. A private function of the file whose every use is a call from a
//! startup path (by name, see `serving::is_startup_name`) or from the module's top level
//! inherits that context. One call level, as `follow` reads one level the other way.
//!
//! Private means no other file can call it: in JavaScript a top-level function of the file that
//! is not exported (any other use of its name, such as `module.exports = { f }` or passing it
//! as a callback, disqualifies it), or a `#private` or TypeScript `private` method; in Python a
//! function or method whose name starts with one underscore.
use super::enclosing_function;
use super::serving::{is_startup_name, js_function_name};
use crate::lang::Lang;
use crate::semantic::resolve::SemanticModel;
use crate::semantic::scope::walk;
use tree_sitter::Node;

/// Whether `f` is a private function of the file that only startup paths call.
pub(super) fn called_only_at_startup<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    let Some(name) = private_name(fx, f) else {
        return false;
    };
    fx.startup_only(f, || only_startup_calls(fx, f, name))
}

/// Every use of `name` other than `f`'s own definition is a call from a startup path, and
/// there is at least one: one walk of the file.
fn only_startup_calls<'t>(fx: &SemanticModel<'t>, f: Node<'t>, name: &str) -> bool {
    let def = definition_name(fx, f);
    let mut calls = 0usize;
    let mut ok = true;
    walk(fx.root, |n| {
        if !ok {
            return false;
        }
        if !matches!(
            n.kind(),
            "identifier" | "property_identifier" | "private_property_identifier"
        ) || fx.text(n) != name
        {
            return true;
        }
        if def.is_some_and(|d| d.id() == n.id()) {
            return false;
        }
        match called_at(fx, n) {
            Some(call) if from_startup(fx, call) => calls += 1,
            _ => ok = false,
        }
        false
    });
    ok && calls > 0
}

/// The name node of a definition: `function f`, `def f`, a method's name, or the variable an
/// arrow function is assigned to.
fn definition_name<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> Option<Node<'t>> {
    f.child_by_field_name("name").or_else(|| {
        fx.parent(f)
            .filter(|p| p.kind() == "variable_declarator")
            .and_then(|p| p.child_by_field_name("name"))
    })
}

/// The function's name when no other file can call it.
fn private_name<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> Option<&'t str> {
    match fx.lang {
        Lang::Python => {
            let name = fx.text(f.child_by_field_name("name")?);
            (name.starts_with('_') && !name.starts_with("__")).then_some(name)
        }
        _ => {
            let name = js_function_name(fx, f)?;
            let top_level = |n: Node<'t>| fx.parent(n).is_some_and(|p| p.kind() == "program");
            let private = match f.kind() {
                "function_declaration" | "generator_function_declaration" => top_level(f),
                "arrow_function" | "function_expression" | "function" => fx
                    .parent(f)
                    .filter(|p| p.kind() == "variable_declarator")
                    .and_then(|p| fx.parent(p))
                    .is_some_and(|d| {
                        matches!(d.kind(), "lexical_declaration" | "variable_declaration")
                            && top_level(d)
                    }),
                "method_definition" => {
                    name.starts_with('#') || {
                        let mut c = f.walk();
                        let private = f.children(&mut c).any(|ch| {
                            ch.kind() == "accessibility_modifier" && fx.text(ch) == "private"
                        });
                        private
                    }
                }
                _ => false,
            };
            private.then_some(name)
        }
    }
}

/// The call whose callee is this use of the name (`f()`, `this.f()`, `self._f()`), if it is
/// one.
fn called_at<'t>(fx: &SemanticModel<'t>, n: Node<'t>) -> Option<Node<'t>> {
    let p = fx.parent(n)?;
    let callee = match p.kind() {
        "member_expression" | "attribute" => {
            let prop = p
                .child_by_field_name("property")
                .or_else(|| p.child_by_field_name("attribute"))?;
            if prop.id() != n.id() {
                return None;
            }
            p
        }
        _ => n,
    };
    let call = fx.parent(callee)?;
    let is_callee = matches!(call.kind(), "call_expression" | "call")
        && call
            .child_by_field_name("function")
            .is_some_and(|c| c.id() == callee.id());
    is_callee.then_some(call)
}

/// The call runs at startup: at the module's top level, or inside a function named for startup
/// or shutdown (at any depth).
fn from_startup<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> bool {
    let mut cur = enclosing_function(fx, call);
    if cur.is_none() {
        return true;
    }
    while let Some(g) = cur {
        let name = match fx.lang {
            Lang::Python => g.child_by_field_name("name").map(|n| fx.text(n)),
            _ => js_function_name(fx, g),
        };
        if name.is_some_and(is_startup_name) {
            return true;
        }
        cur = enclosing_function(fx, g);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: Lang, src: &str, func: &str) -> bool {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&lang.ts_language())
            .unwrap_or_else(|e| panic!("{e}"));
        let tree = p.parse(src, None).unwrap_or_else(|| panic!("no tree"));
        let fx = SemanticModel::new(tree.root_node(), src.as_bytes(), lang);
        let mut found = None;
        walk(fx.root, |n| {
            if crate::lang::is_function_kind(n.kind())
                && (match lang {
                    Lang::Python => n.child_by_field_name("name").map(|x| fx.text(x)),
                    _ => js_function_name(&fx, n),
                }) == Some(func)
            {
                found = Some(n);
            }
            true
        });
        let f = found.unwrap_or_else(|| panic!("no function {func}"));
        called_only_at_startup(&fx, f)
    }

    #[test]
    fn javascript_helpers_called_only_from_start() {
        let js = "async function checkDist() { fs.readFileSync('x'); }\n\
                  async function start() { await checkDist(); }\n\
                  start();\n";
        assert!(check(Lang::JavaScript, js, "checkDist"));
        // Also called from a request handler: not startup only.
        let served = format!("{js}app.get('/x', async () => {{ await checkDist(); }});\n");
        assert!(!check(Lang::JavaScript, &served, "checkDist"));
        // Exported, or passed as a callback: other code may call it.
        let exported = js.replace(
            "async function checkDist",
            "export async function checkDist",
        );
        assert!(!check(Lang::JavaScript, &exported, "checkDist"));
        let passed = format!("{js}emitter.on('data', checkDist);\n");
        assert!(!check(Lang::JavaScript, &passed, "checkDist"));
        // Never called here: unknown.
        assert!(!check(Lang::JavaScript, "async function f() {}\n", "f"));
        // Arrow functions held by a top-level const, and module-level calls.
        let arrow = "const load = async () => { fs.readFileSync('x'); };\nload();\n";
        assert!(check(Lang::JavaScript, arrow, "load"));
    }

    #[test]
    fn typescript_private_methods() {
        let ts = "class Bridge {\n  async start() { await this.readState(); }\n  \
                  private async readState() { fs.readFileSync('s'); }\n  \
                  async onMessage() { }\n}\n";
        assert!(check(Lang::TypeScript, ts, "readState"));
        let public = ts.replace("private async readState", "async readState");
        assert!(!check(Lang::TypeScript, &public, "readState"));
        let handler = ts.replace(
            "async onMessage() { }",
            "async onMessage() { await this.readState(); }",
        );
        assert!(!check(Lang::TypeScript, &handler, "readState"));
    }

    #[test]
    fn python_private_functions() {
        let py = "async def _load_certs():\n    open('c').read()\n\n\
                  async def on_startup(app):\n    await _load_certs()\n";
        assert!(check(Lang::Python, py, "_load_certs"));
        let public = py.replace("_load_certs", "load_files");
        assert!(!check(Lang::Python, &public, "load_files"));
        let served = format!("{py}\nasync def handle(req):\n    await _load_certs()\n");
        assert!(!check(Lang::Python, &served, "_load_certs"));
        let method = "class S:\n    async def _read(self):\n        open('x').read()\n\n    \
                      async def setup(self):\n        await self._read()\n";
        assert!(check(Lang::Python, method, "_read"));
    }
}
