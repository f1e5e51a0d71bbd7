//! What every fuzz target shares: the embedded rule set and an analyzer built once per process,
//! a sandbox directory for the readers that touch the file system (requirements `-r` includes,
//! config files), and the invariants checked on every event (no panic is the main one; these
//! catch quieter failures: a finding outside its file, an include read from outside the root).
use stackfit::analyze::{Analyzer, FileEvent, Limits};
use stackfit::rules::Ruleset;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The embedded rules, loaded and compiled once.
pub fn ruleset() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("embedded rules: {e}"));
        rs.compile_all()
            .unwrap_or_else(|e| panic!("embedded rules: {e}"));
        rs
    })
}

/// The limits of a default scan, except that generated-looking input is analysed too (the
/// fuzzer's bytes often look minified; the content classifier is fuzzed separately).
pub fn limits() -> &'static Limits {
    static L: OnceLock<Limits> = OnceLock::new();
    L.get_or_init(|| Limits {
        max_file_bytes: 1 << 20,
        parse_timeout: Duration::from_millis(2000),
        include_generated: true,
        engine: Default::default(),
    })
}

/// A private directory per process, laid out as a small repository: includes for the
/// requirements reader (one nested, one cyclic), a link out of the tree.
pub fn sandbox() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stackfit-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let w = |rel: &str, text: &str| {
            let p = dir.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        };
        w("requirements.txt", "");
        w("base.in", "numpy\n-r nested/more.in\n");
        w(
            "nested/more.in",
            "torch>=2\n-r ../base.in\n-r ../missing.in\n",
        );
        w("requirements/common.in", "pandas\n-r ../base.in\n");
        w("dev.in", "pytest\n-e git+https://x/y.git#egg=fastapi\n");
        w("stackfit.toml", "");
        w("pyproject.toml", "");
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink("/etc", dir.join("outside"));
        }
        dir
    })
}

thread_local! {
    static ANALYZER: RefCell<Analyzer<'static>> =
        RefCell::new(Analyzer::new(ruleset(), limits(), sandbox()));
}

/// The real per-file analysis of `data` as the file `rel` (its name decides the path taken).
pub fn analyze(rel: &str, data: &[u8]) -> Vec<FileEvent> {
    let mut out = Vec::new();
    ANALYZER.with(|a| a.borrow_mut().bytes(rel, data, &mut out));
    check(rel, data, &out);
    out
}

/// Invariants of the events of one file.
pub fn check(rel: &str, data: &[u8], events: &[FileEvent]) {
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count() as u32;
    for ev in events {
        let findings = match ev {
            FileEvent::Scanned { findings, .. } => findings,
            FileEvent::Manifest { report, .. } => &report.findings,
            FileEvent::Skipped { reason, .. } => {
                // describing a reason must not panic either
                let _ = reason.describe(limits());
                continue;
            }
        };
        for f in findings {
            let p: &str = &f.path;
            assert!(
                !p.starts_with('/') && !p.split('/').any(|c| c == ".."),
                "finding outside the sandbox: {p}"
            );
            assert!(f.line >= 1 && f.end_line >= f.line, "bad lines: {f:?}");
            if p == rel && f.cell.is_none() && !rel.ends_with(".ipynb") {
                assert!(f.line <= lines, "line {} past the end ({lines})", f.line);
            }
        }
    }
}

/// The content classifier (generated headers, minified or bundled code) on `data`.
pub fn classify(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = stackfit::classify::generated::classify_content(&text);
}

/// The manifest file names the `manifests` target picks from with its first byte (seeds in
/// `corpus/manifests/` start with their index here).
pub const MANIFESTS: &[&str] = &[
    "package.json",
    "pnpm-workspace.yaml",
    "requirements.txt",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "Pipfile",
    "environment.yml",
    "requirements-dev.txt",
    "requirements/base.txt",
];

thread_local! {
    static MUT_RS: RefCell<Option<Ruleset>> = const { RefCell::new(None) };
}

/// A ruleset of this thread's own that a target may change (configs applied to it pile up).
pub fn with_mut_ruleset(f: impl FnOnce(&mut Ruleset)) {
    MUT_RS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rs = slot.get_or_insert_with(|| {
            Ruleset::embedded().unwrap_or_else(|e| panic!("embedded rules: {e}"))
        });
        f(rs);
    });
}

/// The repository's `queries/` files (path relative to it, text), sorted, read once: what
/// `Ruleset::from_dir` would read from a `--rules-dir` copy of it.
pub fn query_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../queries");
        let mut files = Vec::new();
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            let rd = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
            for entry in rd.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "scm")) {
                    let text = std::fs::read_to_string(&p)
                        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                    let rel = p.strip_prefix(&dir).unwrap_or(&p).to_string_lossy();
                    files.push((rel.replace('\\', "/"), text));
                }
            }
        }
        files.sort();
        files
    })
}
