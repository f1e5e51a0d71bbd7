//! Issue 14's remaining patterns: a blocking call one call away, in a helper of the same file
//! (SF222 Python, SF223 JavaScript), synchronous DB/ORM and heavy image calls in async routes
//! (SF220), and a `bin/` script recognised by its path. The real binary on
//! `fixtures/friction-follow`, comparing the complete list of diagnostics so a case that must
//! not trigger fails as surely as a missing one.
mod common;

use common::*;

#[test]
fn follow_one_call_more_blocking_calls_and_bin_scripts() {
    let (_, v) = scan_json_exit(fixture("friction-follow"), &[]);
    // Not flagged (see the comments in the fixture): helpers that do not block, an async helper,
    // a memoised helper, a generator, a helper handed to `asyncio.to_thread`, helpers called from module
    // level, `init()`, an `asyncio.run(main())` CLI or the main guard; sync routes, lambdas in
    // `run_in_executor`, a dict's `.get`, a plain class's `get`, Django's lazy `filter` and async
    // `aget`; and `fs.readFileSync` in an async function of `bin/report.js` (no shebang).
    let want = [
        ("lib/report.js", 5, 26, "SF224"), // same code outside bin/, no server: preview
        ("svc/api.py", 39, 9, "SF222"),    // fetch_profile -> time.sleep
        ("svc/api.py", 54, 16, "SF222"),   // self._load -> open().read
        ("svc/db.py", 18, 5, "SF220"),     // sqlite3 cursor execute
        ("svc/db.py", 19, 12, "SF220"),    // fetchall
        ("svc/db.py", 20, 5, "SF220"),     // connection execute
        ("svc/db.py", 21, 5, "SF220"),     // commit
        ("svc/db.py", 28, 9, "SF220"),     // Session(engine).execute
        ("svc/db.py", 30, 5, "SF220"),     // sessionmaker()().query
        ("svc/db.py", 31, 10, "SF220"),    // create_engine().connect
        ("svc/db.py", 32, 9, "SF220"),     // .connect().execute
        ("svc/images.py", 16, 13, "SF220"), // PIL convert/resize
        ("svc/images.py", 17, 5, "SF220"), // PIL save
        ("svc/images.py", 18, 13, "SF220"), // cv2.imread
        ("svc/images.py", 19, 12, "SF220"), // cv2.cvtColor
        ("svc/images.py", 20, 12, "SF220"), // cv2.dnn.*
        ("svc/orm.py", 33, 9, "SF220"),    // peewee get through BaseModel
        ("svc/orm.py", 34, 5, "SF220"),    // peewee create
        ("svc/orm.py", 35, 9, "SF220"),    // Django model of this file
        ("svc/orm.py", 36, 9, "SF220"),    // Django model from .models
        ("svc/web.py", 13, 5, "SF222"),    // aiohttp handler -> wait_for_disk
        ("web/server.js", 23, 12, "SF223"), // express route -> getAllFiles
    ]
    .to_vec();
    assert_same_diagnostics(&friction_diagnostics(&v), &diags(&want));
}

#[test]
fn helper_diagnostics_name_the_helper_and_the_call() {
    let (_, v) = scan_json_exit(fixture("friction-follow"), &[]);
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array"))
        .iter()
        .filter(|d| d["code"] == "SF223" || d["code"] == "SF222")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("calls `getAllFiles()`, which calls `fs.readdirSync` (line 8)")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("calls `fetch_profile()`, which calls `time.sleep` (line 13)")),
        "{messages:#?}"
    );
}

/// SF223 is a preview rule: without a config that names it, it does not run.
#[test]
fn preview_rules_are_off_unless_selected_by_code() {
    let (_, v) = scan_json_exit(fixture("friction-follow"), &["--no-config"]);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(!codes.contains(&"SF223"), "{codes:?}");
    assert!(codes.contains(&"SF222"), "{codes:?}");
    let explain = run_ok(&["explain", "SF223"]);
    assert!(explain.contains("SF223"), "{explain}");
}
