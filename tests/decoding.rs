//! Files that are not plain UTF-8 are read as the tool that runs them reads them, then analysed:
//! a PEP 263 coding line in Python, lossy UTF-8 in JavaScript, a byte-order mark anywhere. None
//! is skipped for its encoding, and every finding keeps its line and (character) column.
mod common;

use common::*;

/// `fixtures/latin1-python/` is latin-1 bytes under `# -*- coding: latin-1 -*-`.
#[test]
fn latin1_python_fixture_keeps_its_findings() {
    let src = std::fs::read(fixture("latin1-python/vignettes/__init__.py"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        std::str::from_utf8(&src).is_err(),
        "the fixture must stay latin-1"
    );
    let r = scan_fixture("latin1-python");
    assert!(skipped(&r).is_empty(), "{:?}", skipped(&r));
    assert_eq!(r["stats"]["files_scanned"], 2, "{}", r["stats"]);
    assert_lines(
        &findings_under(&r, "vignettes/__init__.py"),
        &expect(&[
            // `from PIL import Image` under a docstring with é, è and « ».
            "SF340 vignettes/__init__.py:9:6",
            // `    entrée = Image.open(source)`: é is one character.
            "SF341 vignettes/__init__.py:16:14",
        ]),
        "latin-1 module",
    );
}

#[test]
fn coding_lines_lossy_bytes_and_boms_are_read() {
    let dir = tempdir();
    let d = dir.path();
    write(
        &d.join("latin1.py"),
        b"# -*- coding: latin-1 -*-\nimport torch\nNAME = '\xe9t\xe9'\n",
    );
    // No declaration: lossy, as a Python file saved by a latin-1 editor without one.
    write(
        &d.join("undeclared.py"),
        b"# r\xe9sum\xe9\nimport numpy as np\n",
    );
    // Node reads any bytes as UTF-8; the invalid one is one character.
    let js = b"// r\xe9sum\xe9\n/* caf\xe9 */ const ws = require('ws');\n";
    write(&d.join("server.js"), js);
    // The byte-order mark is not a column.
    write(&d.join("bom.py"), b"\xEF\xBB\xBFimport pandas as pd\n");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "# é\r\nimport sklearn\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(&d.join("utf16.py"), utf16);
    let r = scan_json(d, &[]);
    assert!(skipped(&r).is_empty(), "{:?}", skipped(&r));
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF360 bom.py:1:8",
            "SF320 latin1.py:2:8",
            "SF120 server.js:2:32",
            "SF360 undeclared.py:2:8",
            "SF310 utf16.py:2:8",
        ]),
        "decoded files",
    );
    assert_eq!(r["stats"]["files_scanned"], 5);
    // Bytes are the files' own, not their decoded text's.
    assert_eq!(r["stats"]["languages"]["javascript"]["bytes"], js.len());
}

/// `pip freeze > requirements.txt` in PowerShell writes UTF-16; pip reads it, and so do we,
/// followed `-r` includes too. A notebook with a stray latin-1 byte is still analysed.
#[test]
fn manifests_and_notebooks_are_decoded() {
    let dir = tempdir();
    let d = dir.path();
    let utf16 = |s: &str| -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    write(
        &d.join("requirements.txt"),
        utf16("numpy==1.26.4\r\n-r deps/ml.pip\r\n"),
    );
    write(&d.join("deps/ml.pip"), utf16("torch==2.2.0\r\n"));
    write(
        &d.join("analyse.ipynb"),
        b"{\"cells\": [\n {\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# Caf\xe9\"]},\n {\"cell_type\": \"code\", \"metadata\": {}, \"execution_count\": null, \"outputs\": [], \"source\": [\"import sklearn\\n\"]}\n], \"metadata\": {\"kernelspec\": {\"language\": \"python\", \"name\": \"python3\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}\n",
    );
    let r = scan_json(d, &[]);
    assert!(skipped(&r).is_empty(), "{:?}", skipped(&r));
    let manifests = &r["stats"]["manifests"];
    assert_eq!(manifests[0]["path"], "requirements.txt", "{manifests}");
    assert_eq!(manifests[0]["dependencies"], 2, "{manifests}");
    assert_eq!(manifests[0]["error"], serde_json::Value::Null);
    assert!(
        has_finding(&r, "SF310", "analyse.ipynb", 3),
        "{:?}",
        findings(&r)
    );
    assert_eq!(r["stats"]["notebooks"], 1);
}
