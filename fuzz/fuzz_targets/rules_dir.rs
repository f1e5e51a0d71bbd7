//! The rules loader as `--rules-dir` drives it: the repository's `queries/` tree in memory with
//! one file replaced by the fuzzed text (the first byte picks which, or adds a new rule or
//! query), then `Ruleset::from_files` (what `from_dir` calls once it has read the directory),
//! every language compiled, and, when the rules load, a few sources analysed with them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stackfit::analyze::Analyzer;
use stackfit::rules::Ruleset;

const SOURCES: &[(&str, &str)] = &[
    (
        "a.py",
        "import torch\nimport asyncio\nasync def f():\n    await asyncio.sleep(1)\n",
    ),
    (
        "a.js",
        "const io = require('socket.io');\nfs.readFileSync('x');\n",
    ),
    (
        "a.ts",
        "import { Server } from 'socket.io';\nasync function f() { await g(); }\n",
    ),
    (
        "a.tsx",
        "import * as tf from '@tensorflow/tfjs';\nconst x = <div/>;\n",
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let mut files = stackfit_fuzz::query_files().to_vec();
    let text = String::from_utf8_lossy(text).into_owned();
    match pick as usize % (files.len() + 2) {
        i if i < files.len() => files[i].1 = text,
        i if i == files.len() => files.push(("rules/SF999.toml".into(), text)),
        _ => files.push(("python/SF999.scm".into(), text)),
    }
    let Ok(rs) = Ruleset::from_files(&files) else {
        return;
    };
    if rs.compile_all().is_err() {
        return;
    }
    let mut an = Analyzer::new(&rs, stackfit_fuzz::limits(), stackfit_fuzz::sandbox());
    let mut out = Vec::new();
    for (rel, src) in SOURCES {
        an.bytes(rel, src.as_bytes(), &mut out);
    }
});
