//! The precision of the thread and async friction rules (issue 14), end to end on
//! `fixtures/friction-async-*`: SF210 flags a thread target only on evidence of computation
//! (not on clients, ORMs, subprocesses, queues, GIL-releasing libraries or bookkeeping), SF241
//! knows that an awaited value is not a promise and that an async function made of a
//! non-rethrowing try/catch cannot reject, and SF242 follows a task assigned to a local name.
//! Each fixture file marks its must-trigger lines; comparing the complete list of diagnostics
//! means every must-not-trigger case is checked as well.
mod common;

use common::*;

/// Every diagnostic of a fixture scanned without config, as `(code, path, line)`.
fn diagnostics_of(name: &str) -> Vec<(String, String, u64)> {
    let (code, v) = scan_json_exit(fixture(name), &["--no-config"]);
    assert_eq!(code, 0, "no shipped friction rule is an error");
    v["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array"))
        .iter()
        .filter(|d| d["code"] != "SF001")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn want(list: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    list.iter()
        .map(|(c, p, l)| (c.to_string(), p.to_string(), *l))
        .collect()
}

#[test]
fn thread_targets_are_cpu_bound_only_on_evidence_of_computation() {
    let got: Vec<_> = diagnostics_of("friction-async-python")
        .into_iter()
        .filter(|d| d.0 == "SF210" || d.0 == "SF211")
        .collect();
    // Not flagged: an S3 client method, an ORM session, a notifier parameter, a subprocess, cv2
    // and hashlib (they release the GIL), a queue consumer, perf_counter/counter bookkeeping, a
    // model imported from the project (`User.create`) with only string formatting.
    let expected = want(&[
        ("SF210", "app/workers.py", 140), // prime sieve
        ("SF210", "app/workers.py", 141), // checksum loop
        ("SF210", "app/workers.py", 142), // hand-written tokenizer
    ]);
    assert_eq!(got, expected);
}

#[test]
fn tasks_assigned_to_a_local_and_never_read_are_dropped() {
    let got: Vec<_> = diagnostics_of("friction-async-python")
        .into_iter()
        .filter(|d| d.0 == "SF242")
        .collect();
    // Kept: awaited, added to a set, given a done-callback, passed on, returned, stored on
    // `self`, bound at module level.
    let expected = want(&[
        ("SF242", "app/tasks.py", 13), // task = asyncio.create_task(...)
        ("SF242", "app/tasks.py", 14), // audit = asyncio.ensure_future(...)
        ("SF242", "app/tasks.py", 17), // t = loop.create_task(...) in a loop
    ]);
    assert_eq!(got, expected);
}

#[test]
fn awaited_values_and_functions_that_cannot_reject_are_not_floating() {
    let got = diagnostics_of("friction-async-js");
    // Not flagged: methods on awaited values (`data.toString()`, `text.split()`,
    // `(await fsp.open(p)).createReadStream().pipe(res)`) and an async function whose body is a
    // try/catch that neither rethrows nor awaits, a `setTimeout` delay, a `while (true)` poller
    // whose every turn is caught.
    let expected = want(&[
        ("SF241", "src/sync.js", 37), // its catch rethrows
        ("SF241", "src/sync.js", 38), // a local async function that can throw
        ("SF241", "src/sync.js", 39), // fsp.writeFile unawaited
        ("SF241", "src/sync.js", 70), // a delay whose executor may reject
    ]);
    assert_eq!(got, expected);
}
