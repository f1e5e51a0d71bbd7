//! One test per signal rule. `fixtures/rules/<CODE>/hit/` holds code that must trigger the rule;
//! `fixtures/rules/<CODE>/miss/` holds near-misses that must not (names in strings and comments,
//! local modules with library-like names, look-alike calls). Each test scans the rule's directory
//! and lists every finding in it exactly: rule, path, line, column, and `xN` when N occurrences
//! fold into one finding.
mod common;

use common::*;
use std::path::Path;

/// Scans `fixtures/rules/<code>` and compares every finding under `hit/` and `miss/`.
fn check(code: &str, hit: &[&str], miss: &[&str]) {
    let prefix = format!("{code} ");
    assert!(
        hit.iter().any(|f| f.starts_with(&prefix)),
        "the expectation for {code} must list at least one {code} hit"
    );
    assert!(
        !miss.iter().any(|f| f.starts_with(&prefix)),
        "the near-misses of {code} must not trigger it"
    );
    let report = scan_json(format!("fixtures/rules/{code}"), &[]);
    assert_lines(
        &findings_under(&report, "hit/"),
        &expect(hit),
        &format!("{code} hit/"),
    );
    assert_lines(
        &findings_under(&report, "miss/"),
        &expect(miss),
        &format!("{code} miss/"),
    );
    assert_eq!(
        findings(&report).len(),
        hit.len() + miss.len(),
        "{code}: findings outside hit/ and miss/"
    );
}

/// Every signal rule has both fixture directories, so a new rule can't land untested.
/// (Manifest rules, SF1k9/SF3k9, are proven on the `manifest-*` fixtures in tests/repo_files.rs.)
#[test]
fn every_signal_rule_has_fixtures() {
    let rules = rules_json();
    let codes: Vec<&str> = rules
        .as_array()
        .map(|a| {
            a.iter()
                // metadata rules (SF1k8/SF3k8) are proven on the metadata-* fixtures in tests/metadata.rs
                .filter(|r| {
                    r["kind"] == "signal" && r["source"] != "manifest" && r["source"] != "metadata"
                })
                .filter_map(|r| r["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(codes.len() >= 32, "{codes:?}");
    let missing: Vec<String> = codes
        .iter()
        .flat_map(|c| ["hit", "miss"].map(|d| format!("fixtures/rules/{c}/{d}")))
        .filter(|p| !repo().join(p).is_dir())
        .collect();
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
    // ... and a test in this file, named `fn sf<code>_<rule name>()`.
    let this = read(&repo().join("tests/rules.rs"));
    let untested: Vec<&&str> = codes
        .iter()
        .filter(|c| !this.contains(&format!("fn {}_", c.to_ascii_lowercase())))
        .collect();
    assert!(
        untested.is_empty(),
        "rules without a test here: {untested:?}"
    );
}

/// `stackfit explain` documents every rule: what, why and an example.
#[test]
fn every_rule_is_explained() {
    let rules = rules_json();
    for r in rules.as_array().into_iter().flatten() {
        let code = r["code"].as_str().unwrap_or("?");
        let text = run_ok(&["explain", code]);
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "Blog point: ",
        ] {
            assert!(
                text.contains(section),
                "explain {code} lacks {section:?}:\n{text}"
            );
        }
    }
}

/// Hits: `import asyncio`, `import trio.lowlevel as ...` (dotted), `require('node:events')`, ESM `import mitt`.
/// Misses: relative imports, `asyncio_helpers`, names in strings and comments, `./events`, a JSON path.
#[test]
fn sf110_event_loop_import() {
    check(
        "SF110",
        &[
            "SF110 hit/bus.js:3:35 x2",
            "SF110 hit/poller.py:2:8",
            "SF110 hit/poller.py:3:8",
            "SF111 hit/poller.py:9:5",
        ],
        &[],
    );
}

/// Hits: Python and TypeScript awaits, folded per file with their count.
/// Misses: `await` in docstrings, comments and strings, an `awaitable` attribute, `.then()` chains.
#[test]
fn sf111_await_density() {
    check(
        "SF111",
        &[
            "SF111 hit/fetch_all.py:7:16 x2",
            "SF111 hit/sync.ts:4:16 x2",
        ],
        &[],
    );
}

/// Hits: `extends EventEmitter` / `extends events.EventEmitter` (TS), `.on`/`.once` with inline
/// functions, `addEventListener` with a named handler or a member.
/// Misses: EventEmitter in a comment, `extends EventEmitterish`, `.on(key)` with no listener.
#[test]
fn sf112_event_emitter() {
    check(
        "SF112",
        &[
            "SF112 hit/listeners.js:12:1 x2",
            "SF110 hit/room.js:1:31",
            "SF112 hit/room.js:3:12 x3",
            "SF110 hit/watcher.ts:1:26",
            "SF112 hit/watcher.ts:3:26",
        ],
        &[],
    );
}

/// Hits: `asyncio.run/gather`, `new_event_loop` + `run_until_complete`, `reactor.run()`,
/// `IOLoop.current().start()`, `trio.open_nursery`/`trio.run`.
/// Misses: Flask `app.run()`, `subprocess.run` through an alias, `asyncio.run` in a comment.
#[test]
fn sf113_event_loop_run() {
    check(
        "SF113",
        &[
            "SF110 hit/legacy_loop.py:1:8",
            "SF113 hit/legacy_loop.py:5:8 x2",
            "SF110 hit/main_asyncio.py:1:8",
            "SF111 hit/main_asyncio.py:5:5 x2",
            "SF113 hit/main_asyncio.py:10:21 x2",
            "SF110 hit/nursery.py:1:8",
            "SF111 hit/nursery.py:5:5",
            "SF113 hit/nursery.py:9:16 x2",
            "SF110 hit/tornado_app.py:1:6 x2",
            "SF113 hit/tornado_app.py:8:1",
            "SF110 hit/twisted_app.py:1:6",
            "SF113 hit/twisted_app.py:6:1",
        ],
        &["SF371 miss/app.py:19:1"],
    );
}

/// Hits: `import socketio`, `from fastapi.websockets import`, `websockets.asyncio.server`,
/// `require('ws')`, `socket.io-client`, dynamic `import('simple-peer')`.
/// Misses: stdlib `socket`/`socketserver`, `.websocket` relative module, `./ws`, `../lib/socket.io.js`,
/// an absolute path, names in strings and comments.
#[test]
fn sf120_realtime_socket_import() {
    check(
        "SF120",
        &[
            "SF120 hit/gateway.py:1:8",
            "SF120 hit/gateway.py:2:6",
            "SF120 hit/gateway.py:3:6",
            "SF122 hit/gateway.py:5:7",
            "SF111 hit/gateway.py:9:5",
            "SF120 hit/realtime.js:1:38",
            "SF120 hit/realtime.js:2:21",
            "SF111 hit/realtime.js:5:35",
            "SF120 hit/realtime.js:5:49",
            "SF121 hit/realtime.js:6:10",
        ],
        &[],
    );
}

/// Hits: `new WebSocket.Server`, `wss.on('connection')`, `new EventSource`, `new WebSocket`,
/// a `text/event-stream` response, `new RTCPeerConnection`.
/// Misses: `new WebSocket(url)` in a comment, `new WebSocketLike()`, `pool.on('acquire')`,
/// a MIME string that only starts like `text/event-stream`.
#[test]
fn sf121_realtime_socket_js() {
    check(
        "SF121",
        &[
            "SF121 hit/call.js:2:14",
            "SF121 hit/live.ts:2:18 x2",
            "SF121 hit/sse.js:2:41",
            "SF112 hit/sse.js:4:3",
            "SF170 hit/ws-server.js:1:23",
            "SF120 hit/ws-server.js:2:28",
            "SF171 hit/ws-server.js:4:16",
            "SF121 hit/ws-server.js:5:13 x2",
            "SF112 hit/ws-server.js:7:1 x2",
        ],
        &["SF112 miss/pool.js:6:1"],
    );
}

/// Hits: `@app.websocket` with `receive_text`/`send_json`, `@sio.event`, `@sio.on`, `@socketio.on`,
/// `socketio.AsyncServer/ASGIApp`, a Channels consumer, a Tornado `WebSocketHandler`, `websockets.connect`.
/// Misses: `@app.route('/websocket')`, `@app.get`, raw `socket.send`, a bus whose decorators are
/// `@bus.on` / `@bus.event`.
#[test]
fn sf122_realtime_socket_python() {
    check(
        "SF122",
        &[
            "SF170 hit/api.py:1:6",
            "SF122 hit/api.py:6:1 x3",
            "SF111 hit/api.py:8:5 x3",
            "SF110 hit/client.py:1:8",
            "SF120 hit/client.py:3:8",
            "SF122 hit/client.py:7:16",
            "SF120 hit/consumers.py:1:6",
            "SF122 hit/consumers.py:4:1",
            "SF111 hit/consumers.py:6:9 x2",
            "SF120 hit/flask_rooms.py:2:6",
            "SF122 hit/flask_rooms.py:8:1",
            "SF120 hit/sio_events.py:1:8",
            "SF122 hit/sio_events.py:3:7 x4",
            "SF111 hit/sio_events.py:9:5 x2",
            "SF120 hit/tornado_ws.py:1:8",
            "SF122 hit/tornado_ws.py:4:1",
        ],
        &[],
    );
}

/// Hits: `yjs`, `y-websocket` (same library, folded), `@automerge/automerge`, Python `pycrdt`.
/// Misses: `yaml`, `./yjs`, a vendored shim path, `.automerge` relative module, names in strings.
#[test]
fn sf130_collaboration_import() {
    check(
        "SF130",
        &[
            "SF130 hit/crdt_store.py:1:6",
            "SF130 hit/editor.js:1:21 x2",
            "SF130 hit/editor.js:3:36",
            "SF131 hit/editor.js:6:16 x2",
        ],
        &[],
    );
}

/// Hits: `new Y.Doc()`, `new Awareness`, `new WebrtcProvider`, `Automerge.change`.
/// Misses: a PDF `new Doc()`, `new Yaml.Doc()`, a `provider` Map.
#[test]
fn sf131_shared_document() {
    check(
        "SF131",
        &[
            "SF130 hit/board.js:1:21 x3",
            "SF131 hit/board.js:6:15 x3",
            "SF130 hit/merge.ts:1:29",
            "SF131 hit/merge.ts:6:10",
        ],
        &[],
    );
}

/// Hits: `paho.mqtt.client`, `serial`, `gpiozero`, `bleak`, `mqtt`, `serialport` and
/// `@serialport/parser-readline` (one library), `johnny-five`.
/// Misses: `serializers`, DRF `serializers`, `.mqtt`/`./mqtt` local modules, `serial-number`.
#[test]
fn sf140_iot_import() {
    check(
        "SF140",
        &[
            "SF140 hit/device.js:1:23",
            "SF140 hit/device.js:2:29 x2",
            "SF140 hit/device.js:4:33",
            "SF147 hit/device.js:6:10 x2",
            "SF140 hit/sensor_bridge.py:2:8",
            "SF140 hit/sensor_bridge.py:3:8",
            "SF140 hit/sensor_bridge.py:4:6",
            "SF140 hit/sensor_bridge.py:5:6",
            "SF111 hit/sensor_bridge.py:11:12",
            "SF141 hit/sensor_bridge.py:15:12 x2",
        ],
        &[],
    );
}

/// Hits: `serial.Serial`, `mqtt.Client()`, `GPIO.setmode/setup`, `mqtt.connect`, `new SerialPort`,
/// `new five.Board`.
/// Misses: a chess `new Board(8)`, `db.connect`, `httpx.Client`, `socketio.client.Client()`.
#[test]
fn sf141_device_connection() {
    check(
        "SF141",
        &[
            "SF140 hit/gateway.js:1:23",
            "SF140 hit/gateway.js:2:33",
            "SF140 hit/gateway.js:3:23",
            "SF141 hit/gateway.js:5:16 x3",
            "SF140 hit/serial_log.py:1:8",
            "SF141 hit/serial_log.py:5:10",
            "SF140 hit/thermostat.py:1:8",
            "SF140 hit/thermostat.py:2:8",
            "SF141 hit/thermostat.py:8:5 x3",
        ],
        &["SF120 miss/clients.py:2:8"],
    );
}

/// Hits: `node:stream/promises`, `kafkajs`, `rxjs/operators`, `fluent-ffmpeg`, `aiokafka`, PyAV.
/// Misses: `io`, `avro_schema`, `.kafka`, `./stream`, `./streamline.json`, `../rxjs.config.js`.
#[test]
fn sf150_streaming_import() {
    check(
        "SF150",
        &[
            "SF150 hit/consumer.py:1:6",
            "SF150 hit/consumer.py:2:8",
            "SF111 hit/consumer.py:7:5",
            "SF150 hit/ingest.js:1:27",
            "SF150 hit/ingest.js:2:28",
            "SF150 hit/ingest.js:3:34",
            "SF150 hit/ingest.js:4:21",
        ],
        &[],
    );
}

/// Hits: `pipeline(...)`, `extends Transform`, `fs.createReadStream`, `.pipe()`,
/// `stream.promises.pipeline`, `extends stream.PassThrough`.
/// Misses: ioredis `redis.pipeline()`, scikit-learn `Pipeline`/`make_pipeline`.
#[test]
fn sf151_stream_pipeline() {
    check(
        "SF151",
        &[
            "SF150 hit/gzip.js:3:42",
            "SF151 hit/gzip.js:5:13 x4",
            "SF150 hit/proxy.ts:1:26",
            "SF170 hit/proxy.ts:2:55",
            "SF151 hit/proxy.ts:5:3 x3",
            "SF111 hit/proxy.ts:9:3",
        ],
        &["SF310 miss/train.py:1:6 x3"],
    );
}

/// Hits: FastAPI `StreamingResponse(..., media_type="text/event-stream")`, sse-starlette's
/// `EventSourceResponse`. Miss: a CSV download streamed with `StreamingResponse`.
#[test]
fn sf152_event_stream_response() {
    check(
        "SF152",
        &[
            "SF170 hit/report.py:1:6",
            "SF120 hit/report.py:2:6",
            "SF152 hit/report.py:10:12 x2",
        ],
        &["SF170 miss/export.py:1:6"],
    );
}

/// Hits: `react`, `react-dom/client` (one library), `zustand`, `pinia` plus `import type` from `vue`.
/// Misses: `./react.js`, `../reactive.config.js`, an import inside a string.
#[test]
fn sf160_spa_framework_import() {
    check(
        "SF160",
        &[
            "SF160 hit/main.jsx:1:20 x2",
            "SF160 hit/main.jsx:3:25",
            "SF161 hit/main.jsx:9:10 x3",
            "SF162 hit/main.jsx:12:1",
            "SF160 hit/store.ts:1:30 x2",
        ],
        &[],
    );
}

/// Hits: JSX in `.jsx`, `.tsx` and plain `.js`, counted per element.
/// Misses: TypeScript `<unknown>x` assertions and generics, HTML in strings, `a < b && b > c`.
#[test]
fn sf161_jsx_markup() {
    check(
        "SF161",
        &[
            "SF161 hit/Avatar.tsx:4:10",
            "SF161 hit/Badge.jsx:3:5 x2",
            "SF161 hit/icons.js:1:28 x2",
        ],
        &[],
    );
}

/// Hits: `createApp(App)`, `ReactDOM.createRoot`, `new Vue`, `ReactDOM.render`,
/// `bootstrapApplication`, `createApp({...}).mount('#menu')`.
/// Misses: an Express `createApp({ title })` factory, `createRootLogger`, `res.render`.
#[test]
fn sf162_spa_mount() {
    check(
        "SF162",
        &[
            "SF162 hit/cdn.js:4:1",
            "SF160 hit/index.tsx:1:23",
            "SF162 hit/index.tsx:4:1",
            "SF161 hit/index.tsx:4:62",
            "SF162 hit/legacy.js:2:1 x2",
            "SF160 hit/main.js:1:28",
            "SF162 hit/main.js:5:1",
            "SF160 hit/main.ts:1:39",
            "SF162 hit/main.ts:4:1",
        ],
        &["SF170 miss/app.js:2:26", "SF171 miss/app.js:5:15"],
    );
}

/// Hits: `express`, `node:child_process`, `amqplib`, `@grpc/grpc-js`, `fastapi`, `aio_pika`, `grpc`.
/// Misses: `requests`, Python `http.client`, `expressions`, `.grpc`, `axios`, `./http`.
#[test]
fn sf170_service_framework_import() {
    check(
        "SF170",
        &[
            "SF170 hit/orders.js:1:26",
            "SF170 hit/orders.js:2:23",
            "SF170 hit/orders.js:3:19",
            "SF170 hit/orders.js:4:24",
            "SF170 hit/service.py:1:6",
            "SF170 hit/service.py:2:8",
            "SF170 hit/service.py:3:8",
            "SF111 hit/service.py:9:12",
        ],
        &[],
    );
}

/// Hits: `cluster.fork`, `http.createServer`, `server.listen(process.env.PORT || 8080)`, `express()`,
/// `new Koa()`, `app.listen(PORT)`, `listen({ port })`, `uvicorn.run`, `web.run_app`.
/// Misses: Flask `app.run()`, `grpc.insecure_channel`, `recognizer.listen()`, `listen({ loud })`,
/// a local function called `express`.
#[test]
fn sf171_network_service() {
    check(
        "SF171",
        &[
            "SF170 hit/api.ts:1:18 x2",
            "SF171 hit/api.ts:6:20 x4",
            "SF170 hit/main.py:1:8 x2",
            "SF371 hit/main.py:6:1",
            "SF171 hit/main.py:7:5 x2",
            "SF170 hit/server.js:1:23 x2",
            "SF171 hit/server.js:6:27 x3",
        ],
        &["SF170 miss/app.py:2:8"],
    );
}

/// Hits: `sklearn.model_selection`, `xgboost` + `lightgbm` (one library), `ml-regression`,
/// `ml-random-forest`.
/// Misses: `statistics`, `clickhouse_driver`, `.sklearn_compat`, `mlly`, `html-minifier`,
/// `./ml-model.json`.
#[test]
fn sf310_machine_learning_import() {
    check(
        "SF310",
        &[
            "SF310 hit/churn.py:2:6",
            "SF310 hit/churn.py:3:8 x2",
            "SF311 hit/churn.py:10:42",
            "SF310 hit/regress.js:1:45 x2",
            "SF317 hit/regress.js:8:10 x2",
        ],
        &[],
    );
}

/// Hits: `train_test_split`, `fit_transform`, `.fit(X, y)`, `predict_proba`, `cross_val_score`,
/// Keras `model.fit(dataset, epochs=...)`.
/// Misses: one-argument `.fit(words)`, a bare `fit(a, b)` function, JavaScript `map.fit(...)`.
#[test]
fn sf311_estimator_fit() {
    check(
        "SF311",
        &[
            "SF310 hit/fit_models.py:1:6 x3",
            "SF311 hit/fit_models.py:7:40 x5",
            "SF320 hit/keras_fit.py:1:6",
            "SF311 hit/keras_fit.py:5:12",
        ],
        &[],
    );
}

/// Hits: `torch.nn`, `transformers`, `jax.numpy`, `@tensorflow/tfjs-node`, `brain.js`.
/// Misses: `import torch` in a docstring, a comment and a string, `.torch_utils`,
/// `torchvision_labels`, `./tf`, `../tf/plan.js`.
#[test]
fn sf320_neural_network_import() {
    check(
        "SF320",
        &[
            "SF320 hit/model.py:1:8",
            "SF320 hit/model.py:2:6",
            "SF320 hit/model.py:3:8",
            "SF320 hit/train.mjs:1:22",
            "SF320 hit/train.mjs:2:24",
            "SF321 hit/train.mjs:5:20",
        ],
        &[],
    );
}

/// Hits: `class ...(nn.Module)`, `loss.backward(retain_graph=False)`, `loss.backward()`,
/// `class ...(tf.keras.Model)`, `tf.sequential()`, `tf.layers.dense`, `new brain.NeuralNetwork()`.
/// Misses: Django `models.Model`, turtle `pen.backward(50)`, `mytf.sequential()`, `mytf.model()`.
#[test]
fn sf321_neural_network_code() {
    check(
        "SF321",
        &[
            "SF320 hit/keras_model.py:1:8",
            "SF321 hit/keras_model.py:4:1",
            "SF320 hit/net.py:1:8 x2",
            "SF321 hit/net.py:5:1 x3",
            "SF320 hit/train.js:1:21",
            "SF321 hit/train.js:3:15 x3",
        ],
        &[],
    );
}

/// Hits: hand-written `sigmoid`, `tanh`, `feed_forward`, `relu`, `softmax` arrow function,
/// a `backpropagate` method.
/// Misses: calling imported activations, `sigmoid_curve`, `reluConfig`, `sigmoidLabel`.
#[test]
fn sf322_neural_network_math() {
    check(
        "SF322",
        &[
            "SF322 hit/network.js:1:1 x3",
            "SF327 hit/network.js:1:10 x2",
            "SF322 hit/tiny_net.py:4:1 x3",
            "SF327 hit/tiny_net.py:4:5 x3",
        ],
        // not hand-written math, but names that spell neural-network terms (SF327)
        &[
            "SF327 miss/charts.py:5:5 x2",
            "SF327 miss/config.js:10:10 x2",
        ],
    );
}

/// Hits: `matplotlib.pyplot`, `seaborn`, `plotly.express`, `d3`, `chart.js/auto`, `d3-scale`
/// (the JS charting ones fold into one library).
/// Misses: `textwrap`, `plotter_config`, `.plot`, `./d3`, `d3x`, `./chart.js`.
#[test]
fn sf330_visualization_import() {
    check(
        "SF330",
        &[
            "SF330 hit/chart.js:1:22 x3",
            "SF330 hit/weekly.py:1:8",
            "SF330 hit/weekly.py:2:8",
            "SF330 hit/weekly.py:3:8",
            "SF331 hit/weekly.py:7:5 x3",
        ],
        &[],
    );
}

/// Hits: `plt.*`, `sns.*`, `px.line`, `d3.scaleLinear/select`, `new Chart`, `Plotly.newPlot`.
/// Misses: `px.scale` (pixels), a `plot()` function, `ax.plot` alone, `d3.json`, `new ChartConfig`.
#[test]
fn sf331_plotting() {
    check(
        "SF331",
        &[
            "SF330 hit/dashboard.js:1:22 x2",
            "SF331 hit/dashboard.js:5:13 x3",
            "SF331 hit/embed.js:2:37",
            "SF330 hit/plots.py:1:8",
            "SF330 hit/plots.py:2:8",
            "SF331 hit/plots.py:6:15 x4",
            "SF330 hit/plots.py:12:12",
        ],
        &["SF330 miss/data.js:1:22", "SF111 miss/data.js:5:16"],
    );
}

/// Hits: `cv2`, `PIL`, `skimage`, `sharp` + `jimp` (one library).
/// Misses: `imghdr`, `imagesize_cache`, `.image`, `canvas-confetti`, `./sharp`, a jimp config path.
#[test]
fn sf340_image_processing_import() {
    check(
        "SF340",
        &[
            "SF340 hit/resize.js:1:24 x2",
            "SF340 hit/thumbs.py:1:8",
            "SF340 hit/thumbs.py:2:6",
            "SF340 hit/thumbs.py:3:6",
            "SF341 hit/thumbs.py:7:12 x2",
        ],
        &[],
    );
}

/// Hits: `cv2.imread/resize`, `Image.fromarray`, `cv2.cvtColor`, `sharp(input).resize(...)`,
/// `Jimp.read`.
/// Misses: a class named `image` with `.open`, a music app's `sharp(note)`.
#[test]
fn sf341_image_operations() {
    check(
        "SF341",
        &[
            "SF340 hit/faces_crop.py:1:8",
            "SF340 hit/faces_crop.py:2:6",
            "SF341 hit/faces_crop.py:6:11 x3",
            "SF340 hit/thumbs.js:1:24 x2",
            "SF111 hit/thumbs.js:5:3 x2",
            "SF341 hit/thumbs.js:5:9 x2",
        ],
        &[],
    );
}

/// Hits: `face_recognition`, `speech_recognition`, `deepface`, `librosa`, `face-api.js`,
/// `@mediapipe/tasks-vision`.
/// Misses: `hashlib`, `.faces`, `.whisper_log`, `voice_mail`, `./face-api`, `emoji-faces`.
#[test]
fn sf350_voice_face_import() {
    check(
        "SF350",
        &[
            "SF350 hit/detect.js:1:27",
            "SF350 hit/detect.js:2:33",
            "SF350 hit/doorbell.py:1:8 x2",
            "SF350 hit/doorbell.py:2:8",
            "SF350 hit/doorbell.py:4:8",
            "SF351 hit/doorbell.py:10:12",
        ],
        &[],
    );
}

/// Hits: `face_recognition.*`, `whisper.load_model`, `recognizer.recognize_google`,
/// `faceapi.nets...`, `faceapi.detectAllFaces`.
/// Misses: a lexer's `recognize_number()`, `faceapi.fetchImage` / `faceapi.version` on a local client.
#[test]
fn sf351_face_voice_operations() {
    check(
        "SF351",
        &[
            "SF350 hit/camera.js:1:27",
            "SF111 hit/camera.js:4:3",
            "SF351 hit/camera.js:4:9 x2",
            "SF350 hit/enroll.py:1:8",
            "SF350 hit/enroll.py:2:8",
            "SF351 hit/enroll.py:6:13 x3",
            "SF350 hit/listen.py:1:8",
            "SF351 hit/listen.py:8:12",
        ],
        &[],
    );
}

/// Hits: `import numpy, pandas` (two findings on one line), `scipy`, `polars`, `danfojs-node` +
/// `mathjs` (one library).
/// Misses: `decimal`, `numbers_parser`, `.numpy_compat`, `numeral`, `./mathjs`.
#[test]
fn sf360_numeric_data_import() {
    check(
        "SF360",
        &[
            "SF360 hit/prices.py:1:8",
            "SF360 hit/prices.py:1:15",
            "SF360 hit/prices.py:2:6",
            "SF360 hit/prices.py:3:8",
            "SF360 hit/stats.js:1:23 x2",
        ],
        &[],
    );
}

/// Hits: `pd.read_csv`, `np.mean/std`, `dfd.readCSV`, `new dfd.DataFrame`, `sp.linalg.solve`.
/// Misses: `subprocess as sp` with `sp.run`/`sp.check_output`, a JS object named `pd`.
#[test]
fn sf361_array_dataframe_operations() {
    check(
        "SF361",
        &[
            "SF360 hit/clean.py:1:8",
            "SF360 hit/clean.py:2:8",
            "SF361 hit/clean.py:6:10 x3",
            "SF360 hit/frame.js:1:22",
            "SF111 hit/frame.js:4:14",
            "SF361 hit/frame.js:4:20 x2",
            "SF360 hit/solve.py:1:8",
            "SF361 hit/solve.py:5:12",
        ],
        &[],
    );
}

/// Hits: `argparse` + `click` (one library), `fabric`.
/// Misses: `shlex`, `clickhouse_driver`, `.cli`, `.argparse_compat`, `import argparse` in a string.
#[test]
fn sf370_scripting_import() {
    check(
        "SF370",
        &["SF370 hit/cli.py:1:8 x2", "SF370 hit/cli.py:4:6"],
        &[],
    );
}

/// Hits: a `#!/usr/bin/env python3` shebang with a `__main__` block, `if "__main__" == __name__:`.
/// Misses: a shebang inside a docstring, `__main__` in a comment, `__name__ == "plugins.audit"`.
#[test]
fn sf371_script_entry_point() {
    check(
        "SF371",
        &["SF371 hit/backup.py:1:1 x2", "SF371 hit/reverse.py:8:1"],
        &[],
    );
}

/// A copy of `queries/` in a temp dir, with `edit` applied to one rule's TOML.
fn edited_rules(code: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempdir();
    let mut stack = vec![repo().join("queries")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let rel = p.strip_prefix(repo().join("queries")).unwrap_or(&p);
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = read(&p);
            let is_target = rel == Path::new("rules").join(format!("{code}.toml"));
            write(
                &tmp.path().join(rel),
                if is_target { edit(&text) } else { text },
            );
        }
    }
    tmp
}

/// `--rules-dir` with the rules as shipped loads; an unknown `context` in a rule TOML is an
/// error (exit 2) that names the file, the line and the known context checks.
#[test]
fn rules_dir_context_names_are_checked() {
    let same = edited_rules("SF220", str::to_string);
    let ok = run(&[
        "rules".as_ref(),
        "--rules-dir".as_ref(),
        same.path().as_os_str(),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let shipped = read(&repo().join("queries/rules/SF220.toml"));
    let line = shipped
        .lines()
        .position(|l| l.starts_with("context = "))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("SF220.toml has no context line"));
    let bad = edited_rules("SF220", |t| {
        t.replace(
            "context = \"python-async-body\"",
            "context = \"python-asyncc-body\"",
        )
    });
    let out = run(&[
        "rules".as_ref(),
        "--rules-dir".as_ref(),
        bad.path().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for needle in [
        "queries/rules/SF220.toml".to_string(),
        format!("line {line}"),
        "python-asyncc-body".to_string(),
        "python-async-body".to_string(),
    ] {
        assert!(err.contains(&needle), "`{needle}` not in: {err}");
    }
}

/// Hits: a JS WebSocket framing module (opcode, close frame, handshake) and Python rooms
/// (join/leave room, broadcast). Misses: the terms only in calls, strings and comments, and a
/// file with one term (`broadcast`).
#[test]
fn sf127_realtime_socket_vocabulary() {
    check(
        "SF127",
        &["SF127 hit/frames.js:5:17 x4", "SF127 hit/rooms.py:8:9 x3"],
        &[],
    );
}

/// Hits: operational-transform functions (transformOp, composeOps, invertOp) and a TypeScript
/// presence tracker with a vector clock. Misses: look-alikes (`applyOptions`, `Transformer`) and
/// `submitOp` only called.
#[test]
fn sf137_collaboration_vocabulary() {
    check(
        "SF137",
        &["SF137 hit/ot.js:2:17 x3", "SF137 hit/presence.ts:2:14 x2"],
        &[],
    );
}

/// Hits: a Python Modbus client (holding registers, coils) and a JS BLE helper
/// (characteristic, GATT, RSSI). Misses: one term (`characteristic`), `register_user`, `coiled`.
#[test]
fn sf147_iot_vocabulary() {
    check(
        "SF147",
        &[
            "SF147 hit/gatt.js:2:17 x3",
            "SF147 hit/modbus.py:4:7 x3",
            "SF111 hit/modbus.py:9:16 x3",
        ],
        &[],
    );
}

/// Hits: an HLS module (parsePlaylist, selectBitrate, transmuxSegment, SegmentLoader) and a
/// Python Kafka consumer (commit offsets, rebalance). Misses: a music page with one term
/// (`addToPlaylist`) and generic `segment`/`buffer` names.
#[test]
fn sf157_streaming_vocabulary() {
    check(
        "SF157",
        &["SF157 hit/consumer.py:4:7 x3", "SF157 hit/hls.js:3:17 x4"],
        &[],
    );
}

/// Hits: a hand-written k-means class (KMeans, predict, confusionMatrix). Misses: `predicate`
/// is not `predict`, and one term (`status_classifier`) alone.
#[test]
fn sf317_machine_learning_vocabulary() {
    check("SF317", &["SF317 hit/kmeans.js:2:14 x3"], &[]);
}

/// Hits: JS activations, Conv2D and backprop; a Python perceptron (sigmoid, forward pass).
/// Misses: one term (`dropoutReason`), a term in a string and in a comment.
#[test]
fn sf327_neural_network_vocabulary() {
    check(
        "SF327",
        &[
            "SF322 hit/layers.js:2:8 x2",
            "SF327 hit/layers.js:2:17 x4",
            "SF327 hit/net.py:1:7 x3",
            "SF322 hit/net.py:5:5",
        ],
        &[],
    );
}

/// Hits: a JS plotting module (scatter plot, colour bar, histogram). Misses: a story's
/// `plot_twist` (one term) and `legend` in a string.
#[test]
fn sf337_visualization_vocabulary() {
    check("SF337", &["SF337 hit/chart.js:2:17 x3"], &[]);
}

/// Hits: Python filters (to_grayscale, sharpen, gaussian_blur) and TypeScript morphology
/// (dilate, erode). Misses: `onResize`, `ResizeObserverShim`, `onBlur` and "sharpen" in a string.
#[test]
fn sf347_image_vocabulary() {
    check(
        "SF347",
        &["SF347 hit/filters.py:4:5 x3", "SF347 hit/morph.ts:2:17 x2"],
        &[],
    );
}

/// Hits: a JS audio-feature module (mfcc, spectralCentroid, chroma) and a Python speech
/// recogniser (recognize, transcribe). Misses: `onSet` is not an onset, one term
/// (`pitchDeck`), `mfcc` only in a call and a string.
#[test]
fn sf357_voice_face_vocabulary() {
    check(
        "SF357",
        &[
            "SF357 hit/features.js:2:17 x3",
            "SF357 hit/speech.py:1:7 x2",
        ],
        &[],
    );
}

/// Hits: a JS data frame (DataFrame, groupBy, rollup, pivot, quantile) and Python linear
/// algebra (cholesky, matrix_inverse). Misses: median, variance and percentile count as one
/// term, and `groupByDate` is only called.
#[test]
fn sf367_numeric_vocabulary() {
    check(
        "SF367",
        &["SF367 hit/linalg.py:1:5 x2", "SF367 hit/table.js:2:14 x5"],
        &[],
    );
}

/// Hits: a Hann window and a dot product over Float32Array/Float64Array, and a TypeScript 2-D
/// convolution (its inner multiply-accumulate). Misses: a Uint8Array byte parser, a plain-array
/// loop in a file with no float typed array, and Float32Array copies and bitwise masks.
#[test]
fn sf362_typed_array_kernel() {
    check(
        "SF362",
        &["SF362 hit/conv.ts:8:9 x2", "SF362 hit/window.js:5:5 x2"],
        &[],
    );
}

/// A pattern the matcher cannot run (a quantifier) or a node type the grammar lacks is an error
/// when the rules load (exit 2), naming the `.scm` file, its line and column, and the cause.
#[test]
fn rules_dir_pattern_errors_name_file_line_and_column() {
    for (pattern, cause) in [
        (
            "; a comment\n\n(call (argument_list (identifier)* @x)) @match\n",
            "quantifier `*`",
        ),
        (
            "; a comment\n\n(call (argument_lst)) @match\n",
            "invalid node type `argument_lst`",
        ),
    ] {
        let dir = edited_rules("SF311", str::to_string);
        write(&dir.path().join("python/SF311.scm"), pattern);
        let out = scan_rules_fixture(dir.path());
        assert_eq!(out.status.code(), Some(2), "{pattern}");
        let err = stderr(&out);
        let column = if cause.starts_with("quantifier") {
            34
        } else {
            7
        };
        for needle in [
            format!("queries/python/SF311.scm:3:{column}"),
            cause.to_string(),
        ] {
            assert!(err.contains(&needle), "`{needle}` not in: {err}");
        }
    }
}

/// `requires_within` names the node kind around each match that holds a `requires` word: it is
/// an error (exit 2, naming the rule file) without `requires`, or when the grammar has no such
/// node kind.
#[test]
fn rules_dir_requires_within_is_checked() {
    for (edit, cause) in [
        (
            "requires = [\"async\"]\n",
            "`requires_within` names where the `requires` words are, but `requires` is empty",
        ),
        (
            "requires_within = \"function_definition\"",
            "requires_within: `function_definiton` is not a node kind of the Python grammar",
        ),
    ] {
        let dir = edited_rules("SF222", |t| {
            if edit.starts_with("requires =") {
                t.replace(edit, "")
            } else {
                t.replace(edit, "requires_within = \"function_definiton\"")
            }
        });
        let out = scan_rules_fixture(dir.path());
        assert_eq!(out.status.code(), Some(2), "{cause}");
        let err = stderr(&out);
        for needle in ["queries/rules/SF222.toml", cause] {
            assert!(err.contains(needle), "`{needle}` not in: {err}");
        }
    }
}

/// `stackfit scan fixtures/rules --rules-dir DIR`.
fn scan_rules_fixture(dir: &Path) -> std::process::Output {
    let fixture = repo().join("fixtures/rules");
    run(&[
        "scan".as_ref(),
        fixture.as_os_str(),
        "--rules-dir".as_ref(),
        dir.as_os_str(),
    ])
}
