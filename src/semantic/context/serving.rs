//! Whether async code runs on a *serving* event loop. A blocking call matters where other
//! requests, messages or tasks wait behind it: a request handler, a socket callback, a
//! long-lived worker. It does not matter in a run-once entry point (`asyncio.run(main())` at the
//! bottom of a CLI, code under `if __name__ == "__main__":`, a shebang script or a file under
//! `bin/` that starts no server) nor on a startup or shutdown path (`init`, `setup`, `lifespan`, `restartServer`,
//! `loadConfig`), which runs before the server takes its first request.
//!
//! The recognisers are the `[serving]` lists of queries/context.toml, each documented in
//! docs/linter.md ("Serving code").
//! They decide only "not serving": code they do not recognise stays judged, as before.
use super::enclosing_function;
use super::lists::{has, lists};
use crate::lang::Lang;
use crate::semantic::resolve::{normalize_module, ScriptFacts, SemanticModel};
use crate::semantic::scope::walk;
use tree_sitter::Node;

/// Lower-case words of an identifier: `restartServer` -> [restart, server], `on_startup` ->
/// [on, startup], `loadTLSCerts` -> [load, tlscerts] (runs of capitals stay together).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch == '_' || ch == '$' || ch == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        cur.extend(ch.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A function name that says startup or shutdown (`[serving]` lists of queries/context.toml).
pub(super) fn is_startup_name(name: &str) -> bool {
    let l = &lists().serving;
    let w = words(name);
    let Some(first) = w.first() else {
        return false;
    };
    if w.iter().any(|x| has(&l.startup_words, x)) || has(&l.startup_verbs, first) {
        return true;
    }
    // an optional `on`/`do` prefix, then verb [object]
    let rest: &[String] = if matches!(first.as_str(), "on" | "do") {
        &w[1..]
    } else {
        &w[..]
    };
    let prefixed = rest.len() < w.len();
    match rest {
        // `connect()` opens the client's long-lived connection once; `onConnect` is a handler.
        [verb] => {
            has(&l.startup_alone_verbs, verb)
                || (!prefixed && has(&l.startup_unprefixed_verbs, verb))
        }
        [verb, obj, ..] => {
            has(&l.startup_object_verbs, verb)
                && l.startup_objects
                    .iter()
                    .any(|o| obj.starts_with(o.as_str()))
        }
        _ => false,
    }
}

// ------------------------------------------------------------------ Python

/// Whether the `async def` `f` runs on a serving loop: not under `if __name__ == "__main__":`,
/// not a startup/shutdown hook, not the coroutine `asyncio.run(...)` runs once, and not in a
/// run-once script that serves nothing.
pub(super) fn python_serving<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> bool {
    if under_main_guard(fx, f) {
        return false;
    }
    let decorators = decorators_of(fx, f);
    if decorators.iter().any(|d| is_route_decorator(fx, *d)) {
        return true;
    }
    if decorators.iter().any(|d| is_startup_decorator(fx, *d)) {
        return false;
    }
    let name = f.child_by_field_name("name").map_or("", |n| fx.text(n));
    if is_startup_name(name) || super::callers::called_only_at_startup(fx, f) {
        return false;
    }
    let facts = facts(fx);
    let entries = &facts.py_entries;
    if entries.is_empty() {
        return true;
    }
    if entries.contains(&name) && enclosing_function(fx, f).is_none() {
        return false;
    }
    // A script that runs its loop once: the rest of its coroutines serve nothing, unless it
    // registers callbacks (a decorated coroutine) or starts a server.
    let registered = decorators
        .iter()
        .any(|d| !has(&lists().serving.plain_decorators, last_name(fx.text(*d))));
    registered || facts.py_serves
}

/// `if __name__ == "__main__":` around the node.
fn under_main_guard<'t>(fx: &SemanticModel<'t>, n: Node<'t>) -> bool {
    fx.ancestors(n)
        .any(|p| p.kind() == "if_statement" && is_main_guard(fx, p))
}

fn is_main_guard(fx: &SemanticModel, if_stmt: Node) -> bool {
    if_stmt.child_by_field_name("condition").is_some_and(|c| {
        let t = fx.text(c);
        t.contains("__name__") && t.contains("__main__")
    })
}

/// The decorator expressions of a function (`@app.get("/x")` -> `app.get("/x")`).
fn decorators_of<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> Vec<Node<'t>> {
    let Some(d) = fx.parent(f).filter(|p| p.kind() == "decorated_definition") else {
        return Vec::new();
    };
    let mut c = d.walk();
    d.named_children(&mut c)
        .filter(|n| n.kind() == "decorator")
        .filter_map(|n| n.named_child(0))
        .collect()
}

/// `a.b.c(...)` or `a.b.c` -> `c`.
fn last_name(text: &str) -> &str {
    let head = text.split('(').next().unwrap_or(text);
    head.rsplit('.').next().unwrap_or(head).trim()
}

/// `@app.get("/path")`, `@router.post("/x")`, `@app.route("/x")`, `@app.websocket("/ws")`:
/// a call whose first argument is a path.
fn is_route_decorator(fx: &SemanticModel, d: Node) -> bool {
    d.kind() == "call"
        && d.child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
            .filter(|a| a.kind() == "string")
            .is_some_and(|a| {
                let t = fx.text(a).trim_start_matches(['r', 'f', 'b', 'u']);
                t.get(1..).is_some_and(|s| s.starts_with('/'))
            })
}

fn is_startup_decorator(fx: &SemanticModel, d: Node) -> bool {
    let text = fx.text(d);
    if has(&lists().serving.startup_decorators, last_name(text)) {
        return true;
    }
    d.kind() == "call"
        && d.child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
            .filter(|a| a.kind() == "string")
            .is_some_and(|a| {
                let s = fx.text(a).trim_matches(['"', '\'']);
                has(&lists().serving.startup_events, s)
            })
}

/// Names of the coroutines the file runs once: `asyncio.run(main())`, `trio.run(main)`,
/// `loop.run_until_complete(main())`, outside async code (at module level, under the main
/// guard, or in a sync function such as a console-script entry).
fn run_once_entries<'t>(fx: &SemanticModel<'t>) -> Vec<&'t str> {
    let mut out = Vec::new();
    walk(fx.root, |n| match n.kind() {
        "class_definition" | "lambda" => false,
        "function_definition" => !super::has_async_keyword(n),
        "call" => {
            if let Some(name) = run_once_target(fx, n) {
                out.push(name);
            }
            false
        }
        _ => true,
    });
    out
}

fn run_once_target<'t>(fx: &SemanticModel<'t>, call: Node<'t>) -> Option<&'t str> {
    let callee = fx.text(call.child_by_field_name("function")?);
    if !lists()
        .serving
        .py_runners
        .iter()
        .any(|r| callee == *r || (!r.contains('.') && last_name(callee) == *r))
    {
        return None;
    }
    let arg = call.child_by_field_name("arguments")?.named_child(0)?;
    let f = match arg.kind() {
        "call" => arg.child_by_field_name("function")?,
        _ => arg,
    };
    (f.kind() == "identifier").then(|| fx.text(f))
}

/// The file imports a server framework or calls a serving function.
fn py_file_serves(fx: &SemanticModel) -> bool {
    let mut imports = Vec::new();
    let mut c = fx.root.walk();
    for st in fx.root.named_children(&mut c) {
        match st.kind() {
            "import_statement" => {
                let mut cc = st.walk();
                for n in st.named_children(&mut cc) {
                    let m = n.child_by_field_name("name").unwrap_or(n);
                    imports.push(fx.text(m).to_string());
                }
            }
            "import_from_statement" => {
                let module = st
                    .child_by_field_name("module_name")
                    .map_or("", |m| fx.text(m));
                let mut cc = st.walk();
                for n in st.children_by_field_name("name", &mut cc) {
                    let m = n.child_by_field_name("name").unwrap_or(n);
                    imports.push(format!("{module}.{}", fx.text(m)));
                }
                imports.push(module.to_string());
            }
            _ => {}
        }
    }
    let serves = |m: &str| {
        lists()
            .serving
            .py_server_modules
            .iter()
            .any(|s| m == *s || m.strip_prefix(s).is_some_and(|r| r.starts_with('.')))
    };
    if imports.iter().any(|m| serves(m)) {
        return true;
    }
    lists()
        .serving
        .py_server_calls
        .iter()
        .any(|c| contains(fx.src, c))
}

// ------------------------------------------------------------------ JavaScript

/// The name a JavaScript function goes by: its own (`function init()`, `init() {}`), or the
/// variable, property or member it is assigned to (`const init = async () => ...`,
/// `{ init: async () => ... }`, `exports.init = async function () {}`).
pub(super) fn js_function_name<'t>(fx: &SemanticModel<'t>, f: Node<'t>) -> Option<&'t str> {
    if let Some(n) = f.child_by_field_name("name") {
        return Some(fx.text(n));
    }
    let p = fx.parent(f)?;
    let target = match p.kind() {
        "variable_declarator" => p.child_by_field_name("name")?,
        "pair" => p.child_by_field_name("key")?,
        "assignment_expression" => p.child_by_field_name("left")?,
        "public_field_definition" | "field_definition" => p.child_by_field_name("name")?,
        _ => return None,
    };
    Some(last_name(fx.text(target)))
}

/// A shebang script, a file in a `bin/` or `cli/` directory, or an entry script, that starts
/// no server: nothing else runs on its loop.
pub(super) fn js_run_once_script(fx: &SemanticModel) -> bool {
    facts(fx).js_run_once
}

/// The file's run-once facts, computed once per file.
fn facts<'a, 't>(fx: &'a SemanticModel<'t>) -> &'a ScriptFacts<'t> {
    fx.script_facts(|| match fx.lang {
        Lang::Python => ScriptFacts {
            py_entries: run_once_entries(fx),
            py_serves: py_file_serves(fx),
            ..ScriptFacts::default()
        },
        _ => ScriptFacts {
            js_run_once: js_computes_run_once(fx),
            ..ScriptFacts::default()
        },
    })
}

fn js_computes_run_once(fx: &SemanticModel) -> bool {
    if !fx.src.starts_with(b"#!") && !in_bin_dir(fx.path) && !js_entry_script(fx) {
        return false;
    }
    let info = fx.server_info();
    !info.listens
        && !info
            .modules
            .iter()
            .any(|m| has(&lists().serving.js_frameworks, normalize_module(m)))
        && !contains(fx.src, "createServer")
}

fn contains(src: &[u8], needle: &str) -> bool {
    memchr::memmem::find(src, needle.as_bytes()).is_some()
}

/// A script run as `node file.js`: it exports nothing, and at its top level it calls a function
/// it defines itself (`main();`, `run().catch(...)`, `await train()`); or it tests
/// `require.main === module`. The JavaScript counterpart of `asyncio.run(main())`. Whether it
/// starts a server is checked by the caller.
fn js_entry_script(fx: &SemanticModel) -> bool {
    let src = fx.src;
    let text = |n: Node| n.utf8_text(src).unwrap_or("");
    if contains(src, "require.main === module") {
        return true;
    }
    if contains(src, "module.exports") || contains(src, "exports.") {
        return false;
    }
    let mut defined: Vec<&str> = Vec::new();
    let mut calls: Vec<&str> = Vec::new();
    let mut c = fx.root.walk();
    for top in fx.root.named_children(&mut c) {
        match top.kind() {
            "function_declaration" | "generator_function_declaration" => {
                if let Some(n) = top.child_by_field_name("name") {
                    defined.push(text(n));
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut d = top.walk();
                for decl in top.named_children(&mut d) {
                    let is_fn = decl.child_by_field_name("value").is_some_and(|v| {
                        matches!(
                            v.kind(),
                            "arrow_function" | "function_expression" | "function"
                        )
                    });
                    if let (true, Some(n)) = (is_fn, decl.child_by_field_name("name")) {
                        defined.push(text(n));
                    }
                }
            }
            "export_statement" => return false,
            "expression_statement" => {
                if let Some(name) = top.named_child(0).and_then(|e| called_name(e, src)) {
                    calls.push(name);
                }
            }
            _ => {}
        }
    }
    calls.iter().any(|c| defined.contains(c))
}

/// The function a top-level statement calls: `main()`, `await main()`, `main().catch(f)`,
/// `main().then(a, b)`, `void main()`.
fn called_name<'s>(e: Node, src: &'s [u8]) -> Option<&'s str> {
    let mut e = e;
    for _ in 0..4 {
        match e.kind() {
            "await_expression" | "unary_expression" => e = e.named_child(0)?,
            "call_expression" => {
                let f = e.child_by_field_name("function")?;
                match f.kind() {
                    "identifier" => return f.utf8_text(src).ok(),
                    "member_expression" => e = f.child_by_field_name("object")?,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    None
}

/// A relative path with a `bin` or `cli` directory component (`bin/cli.js`,
/// `packages/x/bin/run.mjs`, `lib/cli/run.js`): a command line's code runs once per invocation.
fn in_bin_dir(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts.iter().any(|p| matches!(*p, "bin" | "cli"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_directories() {
        assert!(in_bin_dir("bin/cli.js"));
        assert!(in_bin_dir("packages/tool/bin/run.mjs"));
        assert!(in_bin_dir("bin\\cli.js"));
        assert!(!in_bin_dir("bin.js"));
        assert!(!in_bin_dir("src/binary/x.js"));
        assert!(in_bin_dir("lib/cli/run-helpers.cjs"));
        assert!(!in_bin_dir("lib/client/x.js"));
        assert!(!in_bin_dir("src/bin"));
        assert!(!in_bin_dir(""));
    }

    #[test]
    fn startup_names() {
        for n in [
            "init",
            "init_db",
            "initialize",
            "setupRoutes",
            "configure_logging",
            "on_startup",
            "startup_event",
            "lifespan",
            "restartServer",
            "start_server",
            "start",
            "startApp",
            "load_config",
            "loadConfig",
            "readCerts",
            "loadTLSCerts",
            "bootstrap",
            "onShutdown",
            "setup_hook",
            "connect",
            "reconnect",
            "onboard",
            "startOnboardingServer",
        ] {
            assert!(is_startup_name(n), "{n}");
        }
        for n in [
            "handler",
            "startDownload",
            "load",
            "loadUser",
            "read",
            "parse",
            "getConfig",
            "main",
            "fetch_items",
            "restore",
            "initial",
            "settings",
            "onConnect",
            "on_connect",
            "handle_connect",
            "connectUser",
            "",
        ] {
            assert!(!is_startup_name(n), "{n}");
        }
    }

    #[test]
    fn identifier_words() {
        assert_eq!(words("restartServer"), ["restart", "server"]);
        assert_eq!(words("on_startup"), ["on", "startup"]);
        assert_eq!(words("loadTLSCerts"), ["load", "tlscerts"]);
        assert_eq!(words("__init__"), ["init"]);
    }
}
