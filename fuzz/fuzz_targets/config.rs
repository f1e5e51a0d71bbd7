//! The project config: the same bytes as `stackfit.toml` and as a `pyproject.toml` with its
//! `[tool.stackfit]` table, through `Config::load` (TOML with spans, validation against the
//! rules, glob compilation, error messages with line and column), then the loaded config used:
//! globs bound and matched, selectors and overrides asked, severities and weights applied.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stackfit::config::Config;
use stackfit::finding::FileClass;

const PATHS: &[&str] = &["", "src/app.py", "tests/test_x.py", "a/b/c.ts", "é/x.js"];

fuzz_target!(|data: &[u8]| {
    let dir = stackfit_fuzz::sandbox();
    let rs = stackfit_fuzz::ruleset();
    for name in ["stackfit.toml", "pyproject.toml"] {
        let path = dir.join(name);
        if std::fs::write(&path, data).is_err() {
            return;
        }
        let Ok(mut cfg) = Config::load(&path, rs) else {
            continue;
        };
        cfg.bind_root(dir);
        for rel in PATHS {
            if let Some(ex) = &cfg.exclude {
                let _ = ex.is_match(rel);
            }
            let rules = cfg.for_path(rel);
            for code in ["SF1", "SF120", "SF221", "sf3"] {
                let _ = rules.ignores(code);
                let _ = rules.severity(code, stackfit::rules::Severity::Warning);
                let _ = cfg.enabled(code);
                let _ = cfg.selects_exactly(code);
            }
        }
        let _ = cfg.lints_class(FileClass::Test);
        stackfit_fuzz::with_mut_ruleset(|rs| cfg.apply_to(rs));
    }
});
