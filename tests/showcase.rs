//! The four showcase projects of the core issue, each a small realistic repository under
//! `fixtures/`: the verdict and its mismatch flag, the order of the trait scores, and every
//! finding exactly.
mod common;

use common::*;

/// Asserts verdict profile, implementation language and mismatch.
#[track_caller]
fn assert_verdict(report: &serde_json::Value, profile: &str, language: &str, mismatch: bool) {
    let v = &report["verdict"];
    assert_eq!(v["profile"], profile, "verdict: {v}");
    assert_eq!(v["implementation_language"], language, "verdict: {v}");
    assert_eq!(v["mismatch"], mismatch, "verdict: {v}");
    let confidence = v["confidence"].as_f64().unwrap_or(-1.0);
    assert!((0.0..=1.0).contains(&confidence), "confidence {confidence}");
}

fn summary(report: &serde_json::Value) -> &str {
    report["verdict"]["summary"].as_str().unwrap_or("")
}

/// An asyncio websocket chat server written in Python: a NodeJS-shaped workload in Python.
#[test]
fn python_chat_server_is_node_with_mismatch() {
    let r = scan_fixture("py-chat-server");
    assert_verdict(&r, "node", "python", true);
    assert_eq!(traits_by_score(&r), ["N2", "N1", "P7"]);
    let node = r["verdict"]["node_score"].as_f64().unwrap_or(0.0);
    let python = r["verdict"]["python_score"].as_f64().unwrap_or(1.0);
    assert!(node > 10.0 * python, "node {node} python {python}");
    assert!(
        summary(&r).starts_with("This workload fits the NodeJS profile"),
        "{}",
        summary(&r)
    );
    assert!(
        summary(&r).contains("real-time sockets")
            && summary(&r)
                .ends_with("the code is Python, so the workload and the language disagree."),
        "{}",
        summary(&r)
    );
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF110 chat/server.py:2:8",
            "SF120 chat/server.py:6:8",
            "SF111 chat/server.py:21:13 x2",
            "SF122 chat/server.py:23:13 x2",
            "SF371 chat/server.py:34:1",
            "SF113 chat/server.py:35:5",
            "SF129 requirements.txt:1:1",
        ]),
        "py-chat-server",
    );
}

/// A tensorflow.js training script in JavaScript: a Python-shaped workload in JavaScript.
#[test]
fn javascript_model_training_is_python_with_mismatch() {
    let r = scan_fixture("js-tfjs-trainer");
    assert_verdict(&r, "python", "javascript", true);
    assert_eq!(traits_by_score(&r), ["P2", "N1"]);
    assert!(
        summary(&r).starts_with("This workload fits the Python profile")
            && summary(&r).contains("neural networks")
            && summary(&r)
                .contains("the code is JavaScript, so the workload and the language disagree"),
        "{}",
        summary(&r)
    );
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF328 package.json:5:1",
            "SF329 package.json:12:1",
            "SF320 src/data.js:4:21",
            "SF320 src/model.js:2:21",
            "SF321 src/model.js:5:17 x5",
            "SF320 src/predict.js:2:21",
            "SF111 src/predict.js:5:17 x2",
            "SF321 src/predict.js:5:23",
            "SF111 src/train.js:9:19 x2",
        ]),
        "js-tfjs-trainer",
    );
}

/// A plain text-utility library with a small command line: no workload shape. Its only
/// evidence (argparse, a `__main__` block) is weak and must not tip the verdict.
#[test]
fn utility_library_is_neutral() {
    let r = scan_fixture("py-textkit");
    assert_verdict(&r, "neutral", "python", false);
    assert_eq!(traits_by_score(&r), ["P7"]);
    assert!(
        summary(&r).starts_with("This workload shows no NodeJS or Python shape"),
        "{}",
        summary(&r)
    );
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF370 textkit/__main__.py:2:8",
            "SF371 textkit/__main__.py:18:1",
        ]),
        "py-textkit",
    );
}

/// A Python ML backend (FastAPI, scikit-learn, pandas, python-socketio) with a React SPA that
/// listens over socket.io-client: both profiles are strong, so the whole repo is mixed.
#[test]
fn ml_backend_with_react_frontend_is_mixed() {
    let r = scan_fixture("ml-dashboard");
    assert_verdict(&r, "mixed", "python", false);
    assert_eq!(traits_by_score(&r), ["N6", "N2", "P6", "P1", "N7", "N1"]);
    let s = summary(&r);
    assert!(
        s.starts_with("This workload is mixed")
            && s.contains("real-time sockets")
            && s.contains("a single-page app front end")
            && s.contains("machine learning"),
        "{s}"
    );
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF120 backend/forecast/app.py:2:8",
            "SF170 backend/forecast/app.py:3:6",
            "SF122 backend/forecast/app.py:9:7 x3",
            "SF111 backend/forecast/app.py:20:5 x2",
            "SF360 backend/forecast/features.py:2:8",
            "SF360 backend/forecast/features.py:3:8",
            "SF361 backend/forecast/features.py:7:10 x2",
            "SF310 backend/forecast/model.py:2:6 x3",
            "SF311 backend/forecast/model.py:12:40 x2",
            "SF179 backend/requirements.txt:1:1 x2",
            "SF129 backend/requirements.txt:3:1",
            "SF319 backend/requirements.txt:4:1",
            "SF369 backend/requirements.txt:5:1",
            "SF369 backend/requirements.txt:6:1",
            "SF169 frontend/package.json:8:1 x2",
            "SF129 frontend/package.json:10:1",
            "SF160 frontend/src/App.jsx:1:38",
            "SF112 frontend/src/App.jsx:10:5",
            "SF161 frontend/src/App.jsx:15:5 x4",
            "SF161 frontend/src/components/ForecastChart.jsx:6:5 x4",
            "SF160 frontend/src/main.jsx:1:20 x2",
            "SF162 frontend/src/main.jsx:5:1",
            "SF161 frontend/src/main.jsx:6:3 x2",
            "SF120 frontend/src/socket.js:1:21",
        ]),
        "ml-dashboard",
    );
}

/// The two halves of the mixed repo, scanned alone.
#[test]
fn ml_dashboard_halves_alone() {
    // The backend alone is Python with both an ML model and a Socket.IO push channel: mixed
    // too, machine learning first.
    let back = scan_fixture("ml-dashboard/backend");
    assert_verdict(&back, "mixed", "python", false);
    assert_eq!(traits_by_score(&back), ["N2", "P6", "P1", "N7", "N1"]);
    // The front end alone is a NodeJS-shaped SPA written in JavaScript: no mismatch.
    let front = scan_fixture("ml-dashboard/frontend");
    assert_verdict(&front, "node", "javascript", false);
    assert_eq!(traits_by_score(&front), ["N6", "N2", "N1"]);
}
