//! Python context checks: imports that only type checkers or optional features see, and what
//! work a thread or a pool runs (CPU-bound Python serialised by the GIL, or waiting on I/O).
use super::{is_function_kind, Captured};
use crate::semantic::resolve::SemanticModel;
use tree_sitter::Node;

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
/// (an optional dependency), or inside a function (a lazy import).
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
        // An import inside a function is loaded lazily, when the function runs: an optional
        // integration (`tqdm.pandas()`), not what the module is built on.
        if is_function_kind(n.kind()) {
            return true;
        }
        cur = n.parent();
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Python: what work does a thread run?

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Loops with arithmetic and no I/O: pure Python computation, serialised by the GIL.
    Cpu,
    /// Calls that wait on files, sockets, processes, queues or sleep.
    Io,
    /// The target is not visible in this file, or shows neither.
    Unknown,
}

/// Call names that wait on the outside world (files, network, processes, queues, timers).
const IO_CALLS: &[&str] = &[
    "open",
    "read",
    "readline",
    "readlines",
    "write",
    "writelines",
    "recv",
    "recv_into",
    "recvfrom",
    "send",
    "sendall",
    "sendto",
    "connect",
    "accept",
    "urlopen",
    "urlretrieve",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "request",
    "sleep",
    "system",
    "popen",
    "Popen",
    "run",
    "call",
    "check_call",
    "check_output",
    "communicate",
    "wait",
    "execute",
    "executemany",
    "fetchone",
    "fetchall",
    "fetchmany",
    "commit",
    "download",
    "upload",
    "download_file",
    "upload_file",
    "listdir",
    "scandir",
    "walk",
    "copy",
    "copyfile",
    "move",
    "remove",
    "unlink",
    "rename",
    "input",
    "select",
    "poll",
    "serve_forever",
];

/// Pool methods that spread one function over many items.
const FAN_OUT_METHODS: &[&str] = &[
    "map",
    "imap",
    "imap_unordered",
    "starmap",
    "map_async",
    "starmap_async",
];

/// Work spread over threads: a pool's `map`-like call, or a thread/submit inside a loop or a
/// comprehension (within the same function). A single background thread is not fan-out.
pub(super) fn fans_out<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> bool {
    let method = m
        .callee
        .filter(|c| c.kind() == "attribute")
        .and_then(|c| c.child_by_field_name("attribute"))
        .map(|a| fx.text(a));
    if single_worker_pool(fx, m) {
        // ThreadPoolExecutor(max_workers=1): one background worker, not parallel work.
        return false;
    }
    if method.is_some_and(|x| FAN_OUT_METHODS.contains(&x)) {
        return true;
    }
    let mut cur = m.node.parent();
    while let Some(n) = cur {
        match n.kind() {
            "for_statement"
            | "while_statement"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => return true,
            k if is_function_kind(k) || k == "class_definition" => return false,
            _ => {}
        }
        cur = n.parent();
    }
    false
}

/// The pool a `pool.submit(...)`/`pool.map(...)` runs on was made with one worker
/// (`ThreadPoolExecutor(max_workers=1)`, `ThreadPool(1)`, `Pool(processes=1)`).
fn single_worker_pool<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> bool {
    let Some(recv) = m
        .callee
        .filter(|c| c.kind() == "attribute")
        .and_then(|c| c.child_by_field_name("object"))
    else {
        return false;
    };
    let Some(mut made) = fx.value_of(recv) else {
        return false;
    };
    if made.kind() == "await" {
        match made.named_child(0) {
            Some(inner) => made = inner,
            None => return false,
        }
    }
    if made.kind() != "call" {
        return false;
    }
    let Some(args) = made.child_by_field_name("arguments") else {
        return false;
    };
    let mut c = args.walk();
    let found = args.named_children(&mut c).enumerate().any(|(i, a)| {
        let value = match a.kind() {
            "keyword_argument" => a
                .child_by_field_name("name")
                .filter(|n| matches!(fx.text(*n), "max_workers" | "processes"))
                .and_then(|_| a.child_by_field_name("value")),
            _ if i == 0 => Some(a),
            _ => None,
        };
        value.is_some_and(|v| v.kind() == "integer" && fx.text(v) == "1")
    });
    found
}

pub(super) fn thread_work<'t>(fx: &SemanticModel<'t>, m: &Captured<'t>) -> Work {
    let Some(target) = m.target else {
        return Work::Unknown;
    };
    let mut target = target;
    // functools.partial(f, ...) runs f
    if target.kind() == "call" {
        let is_partial = target
            .child_by_field_name("function")
            .is_some_and(|f| fx.text(f).ends_with("partial"));
        match target
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        {
            Some(first) if is_partial => target = first,
            _ => return Work::Unknown,
        }
    }
    if target.kind() == "lambda" {
        return classify(fx, target, 0);
    }
    match fx.definition_of(target) {
        Some(def) if def.kind() == "function_definition" => classify(fx, def, 0),
        _ => Work::Unknown,
    }
}

/// Classifies a function's body (and, two levels deep, the same-file functions it calls).
fn classify<'t>(fx: &SemanticModel<'t>, f: Node<'t>, depth: u32) -> Work {
    let Some(body) = f.child_by_field_name("body") else {
        return Work::Unknown;
    };
    let (mut loops, mut arith, mut io, mut helper_cpu) = (false, false, false, false);
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "for_statement"
            | "while_statement"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => loops = true,
            "augmented_assignment" => arith = true,
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| o.kind());
                if matches!(
                    op,
                    Some("*" | "/" | "//" | "%" | "**" | "-" | "+" | "^" | "<<" | ">>" | "&" | "@")
                ) {
                    arith = true;
                }
            }
            "call" => {
                if let Some(callee) = n.child_by_field_name("function") {
                    let last = match callee.kind() {
                        "attribute" => callee.child_by_field_name("attribute").map(|a| fx.text(a)),
                        "identifier" => Some(fx.text(callee)),
                        _ => None,
                    };
                    if last.is_some_and(|l| IO_CALLS.contains(&l)) {
                        io = true;
                    } else if depth < 2 {
                        if let Some(def) = fx
                            .definition_of(callee)
                            .filter(|d| d.kind() == "function_definition" && d.id() != f.id())
                        {
                            match classify(fx, def, depth + 1) {
                                Work::Io => io = true,
                                Work::Cpu => helper_cpu = true,
                                Work::Unknown => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    if f.kind() == "lambda" {
        // a lambda has no statements; its expression decides
        if io {
            return Work::Io;
        }
        return if helper_cpu { Work::Cpu } else { Work::Unknown };
    }
    if io {
        Work::Io
    } else if (loops && arith) || helper_cpu {
        Work::Cpu
    } else {
        Work::Unknown
    }
}
