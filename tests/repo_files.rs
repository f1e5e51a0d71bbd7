//! Integration tests for what stackfit reads besides source files: dependency manifests,
//! notebooks, generated/vendored code and monorepo components. Each runs the real binary on a
//! fixture under `fixtures/` and checks the JSON report.
mod common;

use common::*;
use serde_json::Value;

/// The JSON report of `fixtures/<name>` (two jobs).
fn scan(name: &str) -> Value {
    scan_json(fixture(name), &["-j", "2"])
}

/// The text report of `fixtures/<name>`.
fn text_report(name: &str) -> String {
    scan_text(fixture(name), &["--no-color"])
}

fn problems(v: &Value) -> Vec<String> {
    v["stats"]["manifest_problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    format!(
                        "{}:{} {}",
                        p["path"].as_str().unwrap_or(""),
                        p["line"],
                        p["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn component<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["components"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["path"] == path))
        .unwrap_or_else(|| panic!("no component {path}: {}", v["components"]))
}

// ------------------------------------------------------------------ manifests

#[test]
fn every_manifest_rule_fires_on_a_fixture_and_none_on_the_neutral_one() {
    let fixtures = [
        "manifest-package-json",
        "manifest-requirements",
        "manifest-pyproject",
        "manifest-setup",
        "manifest-pipfile",
        "manifest-conda",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for f in fixtures {
        for finding in finding_objects(&scan(f)) {
            seen.insert(finding["rule"].as_str().unwrap_or("").to_string());
        }
    }
    for t in [
        "11", "12", "13", "14", "15", "16", "17", "31", "32", "33", "34", "35", "36", "37",
    ] {
        // SF1k9 / SF3k9: the manifest rule of trait Nk / Pk
        let code = format!("SF{t}9");
        assert!(seen.contains(&code), "no fixture triggers {code}: {seen:?}");
    }
    let neutral = scan("manifest-neutral");
    assert!(findings(&neutral).is_empty(), "{:?}", findings(&neutral));
    // Manifests without a known dependency and no source: nothing to judge.
    assert_eq!(neutral["verdict"]["profile"], "none");
    assert_eq!(
        neutral["stats"]["manifests"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn package_json_dependencies_point_at_their_lines() {
    let v = scan("manifest-package-json");
    assert!(
        has_finding(&v, "SF179", "package.json", 7),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF129", "package.json", 8));
    assert!(has_finding(&v, "SF139", "package.json", 9));
    assert!(has_finding(&v, "SF149", "package.json", 11));
    assert!(has_finding(&v, "SF159", "package.json", 12));
    assert!(has_finding(&v, "SF119", "package.json", 13));
    assert!(
        has_finding(&v, "SF169", "package.json", 17),
        "peer dependency counts"
    );
    let dev = finding_objects(&v)
        .iter()
        .find(|f| f["rule"] == "SF329")
        .unwrap_or_else(|| panic!("dev dependency finding missing"));
    assert!(dev["message"].as_str().unwrap_or("").contains("dev only"));
    // yjs and y-websocket are one library: one finding, two declarations
    let yjs = finding_objects(&v)
        .iter()
        .find(|f| f["rule"] == "SF139")
        .unwrap_or_else(|| panic!("no yjs finding"));
    assert_eq!(yjs["count"], 2);
    // Declarations alone, with no code, open no profile (see pipfile_and_conda_environment).
    assert_eq!(v["verdict"]["profile"], "neutral");
    let reason = v["verdict"]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("real-time sockets"), "{reason}");
    assert_eq!(component(&v, ".")["name"], "live-board");
}

#[test]
fn requirements_follow_includes_and_report_cycles_and_missing_files() {
    let v = scan("manifest-requirements");
    assert!(
        has_finding(&v, "SF319", "requirements.txt", 4),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF329", "requirements.txt", 5));
    assert!(
        has_finding(&v, "SF179", "requirements.txt", 9),
        "name @ url"
    );
    // included files keep their own path and line
    assert!(has_finding(&v, "SF369", "deps/base.in", 3));
    assert!(has_finding(&v, "SF369", "deps/extra.in", 3));
    // the dev file counts as dev only, and its `-r requirements.txt` is not read twice
    assert!(has_finding(&v, "SF339", "requirements-dev.txt", 3));
    let sklearn = finding_objects(&v)
        .iter()
        .filter(|f| f["rule"] == "SF319")
        .count();
    assert_eq!(sklearn, 1);
    let p = problems(&v);
    assert!(
        p.iter()
            .any(|m| m.starts_with("deps/extra.in:2") && m.contains("cyclic")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("requirements.txt:3") && m.contains("no such file")),
        "{p:?}"
    );
    assert_eq!(v["verdict"]["profile"], "python");
}

#[test]
fn pyproject_pep621_poetry_and_uv() {
    let v = scan("manifest-pyproject");
    assert!(
        has_finding(&v, "SF319", "pep621/pyproject.toml", 10),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF369", "pep621/pyproject.toml", 11));
    assert!(
        has_finding(&v, "SF339", "pep621/pyproject.toml", 16),
        "optional extra"
    );
    assert!(has_finding(&v, "SF149", "poetry/pyproject.toml", 8));
    assert!(
        has_finding(&v, "SF149", "poetry/pyproject.toml", 9),
        "optional poetry dep"
    );
    assert!(has_finding(&v, "SF349", "uv/pyproject.toml", 4));
    assert_eq!(component(&v, "pep621")["name"], "forecast");
    assert_eq!(component(&v, "poetry")["name"], "sensor-gateway");
    assert_eq!(component(&v, "uv")["name"], "vision-api");
}

#[test]
fn setup_cfg_and_setup_py_are_read_not_run() {
    let v = scan("manifest-setup");
    assert!(
        has_finding(&v, "SF359", "setup.cfg", 8),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF349", "setup.cfg", 10));
    assert!(has_finding(&v, "SF359", "setup.cfg", 15));
    assert!(
        has_finding(&v, "SF379", "setup.py", 5),
        "name bound to a list literal"
    );
    assert!(has_finding(&v, "SF329", "setup.py", 10));
    let p = problems(&v);
    assert!(
        p.iter()
            .any(|m| m.starts_with("setup.py:11") && m.contains("setup_requires")),
        "{p:?}"
    );
    assert_eq!(component(&v, ".")["name"], "face-tools");
}

#[test]
fn pipfile_and_conda_environment() {
    let v = scan("manifest-pipfile");
    assert!(has_finding(&v, "SF129", "Pipfile", 7), "{:?}", findings(&v));
    assert!(has_finding(&v, "SF119", "Pipfile", 8));
    let v = scan("manifest-conda");
    assert!(
        has_finding(&v, "SF329", "environment.yml", 8),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF349", "environment.yml", 9));
    assert!(has_finding(&v, "SF369", "environment.yml", 10));
    assert!(
        has_finding(&v, "SF359", "environment.yml", 13),
        "pip section"
    );
    // Declarations alone, with no code, open no profile: each trait stays below `open`.
    assert_eq!(v["verdict"]["profile"], "neutral");
    let reason = v["verdict"]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("neural networks"), "{reason}");
}

#[test]
fn malformed_manifests_are_reported_and_the_scan_goes_on() {
    let v = scan("manifest-malformed");
    let s = skipped(&v);
    for p in [
        "bad-json/package.json",
        "bad-toml/pyproject.toml",
        "bad-cfg/setup.cfg",
        "bad-yaml/environment.yml",
    ] {
        assert!(
            s.contains(&format!("{p}: manifest_invalid")),
            "{p} not reported: {s:?}"
        );
    }
    assert_eq!(v["stats"]["skipped_by_reason"]["manifest_invalid"], 4);
    // the good line of a file with bad includes still counts
    assert!(has_finding(&v, "SF369", "bad-include/requirements.txt", 1));
    let p = problems(&v);
    assert!(p.iter().any(|m| m.contains("no such file")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("without a file")), "{p:?}");
    // a broken package.json still makes its directory a component
    assert_eq!(component(&v, "bad-json")["declared_by"], "manifest");
}

// ------------------------------------------------------------------ notebooks

#[test]
fn notebook_findings_map_to_cells_and_raw_lines() {
    let v = scan("notebook-magics");
    assert_eq!(v["stats"]["notebooks"], 1);
    assert_eq!(v["stats"]["languages"]["python"]["files"], 1);
    let f = finding_objects(&v);
    let pandas = f
        .iter()
        .find(|f| f["library"] == "pandas")
        .unwrap_or_else(|| panic!("no pandas import: {f:?}"));
    assert_eq!(pandas["path"], "churn.ipynb");
    assert_eq!(pandas["line"], 21);
    assert_eq!(pandas["cell"]["index"], 1);
    assert_eq!(pandas["cell"]["line"], 4);
    let raw = read(&fixture("notebook-magics/churn.ipynb"));
    assert!(raw
        .lines()
        .nth(20)
        .is_some_and(|l| l.contains("import pandas as pd")));
    // a %%time cell is still Python; the import after the magic counts
    let sk = f
        .iter()
        .find(|f| f["rule"] == "SF310")
        .unwrap_or_else(|| panic!("no sklearn import"));
    assert_eq!(sk["cell"]["index"], 4);
    assert_eq!(sk["cell"]["line"], 2);
    assert!(raw
        .lines()
        .nth(sk["line"].as_u64().unwrap_or(0) as usize - 1)
        .is_some_and(|l| l.contains("from sklearn.ensemble")));
    // neither a %%bash cell nor an output's text is code
    assert!(!f.iter().any(|f| f["rule"] == "SF320"), "{f:?}");
    assert_eq!(v["verdict"]["profile"], "python");
}

#[test]
fn broken_notebooks_are_skipped_with_a_reason() {
    let v = scan("notebook-broken");
    let s = skipped(&v);
    assert!(
        s.contains(&"truncated.ipynb: notebook_invalid".to_string()),
        "{s:?}"
    );
    assert!(
        s.contains(&"no-source.ipynb: notebook_invalid".to_string()),
        "{s:?}"
    );
    assert!(
        s.contains(&"r-analysis.ipynb: notebook_not_python".to_string()),
        "{s:?}"
    );
    assert!(
        has_finding(&v, "SF330", "fine.ipynb", 9),
        "{:?}",
        findings(&v)
    );
    let text = text_report("notebook-broken");
    assert!(text.contains("fine.ipynb:9 (cell 0, line 1)"), "{text}");
}

// ------------------------------------------------------------------ generated code

#[test]
fn generated_vendored_and_minified_code_is_skipped_and_counted() {
    let v = scan("generated-web");
    let s = skipped(&v);
    for (p, r) in [
        ("package-lock.json", "lockfile"),
        ("public/js/chart.min.js", "minified"),
        ("public/js/app.js", "minified"),
        ("public/js/vendor.js", "bundle"),
        ("src/app.js.map", "source_map"),
        ("src/generated/schema.js", "generated"),
        ("src/status_pb.js", "protobuf_stub"),
    ] {
        assert!(
            s.contains(&format!("{p}: {r}")),
            "{p} not skipped as {r}: {s:?}"
        );
    }
    let dirs = &v["stats"]["generated_directories"];
    assert!(dirs.as_array().is_some_and(|a| a
        .iter()
        .any(|d| d["path"] == "dist" && d["reason"] == "build_output")));
    assert!(dirs.as_array().is_some_and(|a| a
        .iter()
        .any(|d| d["path"] == "vendor" && d["reason"] == "vendored")));
    assert_eq!(v["stats"]["skipped_by_reason"]["minified"], 2);
    // nothing from the skipped files counts
    for f in finding_objects(&v) {
        let p = f["path"].as_str().unwrap_or("");
        assert!(
            p == "package.json" || p == "src/app.js" || p == "src/checks.js",
            "{p}"
        );
    }
    // a long-ish hand-written file is scanned, to its last line
    assert!(has_finding(&v, "SF120", "src/checks.js", 2));
    assert!(has_finding(&v, "SF121", "src/checks.js", 606));
    let text = text_report("generated-web");
    assert!(
        text.contains("Skipped 2 vendored or build-output directories: dist, vendor"),
        "{text}"
    );
    assert!(text.contains("2 minified"), "{text}");
}

#[test]
fn include_generated_scans_everything() {
    let v = scan_json(
        fixture("generated-web"),
        &["-j", "2", "--include-generated"],
    );
    assert!(v["stats"]["generated_directories"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert!(skipped(&v).is_empty(), "{:?}", skipped(&v));
    assert!(
        has_finding(&v, "SF120", "dist/app.js", 1),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF120", "vendor/jquery/jquery.js", 2));
    assert!(has_finding(&v, "SF120", "public/js/app.js", 1));
}

#[test]
fn gitattributes_mark_and_unmark_paths() {
    let v = scan("generated-gitattributes");
    let s = skipped(&v);
    assert!(
        s.contains(&"assets/legacy/server.js: vendored".to_string()),
        "{s:?}"
    );
    assert!(
        s.contains(&"vendor/upstream/server.js: vendored".to_string()),
        "{s:?}"
    );
    assert!(
        s.contains(&"web/api.gen.js: generated".to_string()),
        "{s:?}"
    );
    // `-linguist-vendored` and `linguist-generated=false` bring files back
    assert!(
        has_finding(&v, "SF140", "vendor/patched/mqtt-client.js", 1),
        "{:?}",
        findings(&v)
    );
    assert!(has_finding(&v, "SF340", "web/keep.min.js", 1));
    assert!(has_finding(&v, "SF120", "web/server.js", 1));
}

#[test]
fn a_published_package_with_only_build_output_is_scanned() {
    let v = scan("generated-npm-package");
    assert!(
        has_finding(&v, "SF120", "dist/index.js", 3),
        "{:?}",
        findings(&v)
    );
    assert!(v["stats"]["generated_directories"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert_eq!(v["verdict"]["profile"], "node");
}

// ------------------------------------------------------------------ components

#[test]
fn full_stack_repo_is_mixed_with_python_and_node_components() {
    let v = scan("monorepo-fullstack");
    assert_eq!(v["schema_version"], "2.3");
    assert_eq!(v["verdict"]["profile"], "mixed", "{}", v["verdict"]);
    let comps = v["components"].as_array().cloned().unwrap_or_default();
    assert_eq!(comps.len(), 3, "{comps:?}");
    let backend = component(&v, "backend");
    assert_eq!(backend["name"], "churn-api");
    assert_eq!(backend["verdict"]["profile"], "python");
    assert_eq!(backend["verdict"]["implementation_language"], "python");
    let frontend = component(&v, "frontend");
    assert_eq!(frontend["name"], "churn-dashboard");
    assert_eq!(frontend["verdict"]["profile"], "node");
    assert_eq!(frontend["verdict"]["implementation_language"], "typescript");
    assert_eq!(frontend["manifests"][0], "package.json");
    let training = component(&v, "training");
    assert_eq!(training["verdict"]["profile"], "python");
    assert!(training["top_evidence"]
        .as_array()
        .is_some_and(|a| a.iter().any(|e| e["path"] == "training/train.py")));
    // the notebook counts in its component
    assert!(training["stats"]["files"].as_u64().unwrap_or(0) >= 2);
    // every finding names its component
    for f in finding_objects(&v) {
        let path = f["path"].as_str().unwrap_or("");
        let comp = f["component"].as_str().unwrap_or("");
        assert!(path.starts_with(&format!("{comp}/")), "{path} in {comp}");
    }
    let text = text_report("monorepo-fullstack");
    assert!(text.contains("Components"), "{text}");
    assert!(text.contains("frontend  node"), "{text}");
}

#[test]
fn workspace_members_are_components() {
    let v = scan("monorepo-workspaces");
    let paths: Vec<&str> = v["components"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        paths,
        vec![".", "packages/realtime", "packages/scripts", "packages/ui"]
    );
    assert_eq!(
        component(&v, "packages/scripts")["declared_by"],
        "workspace"
    );
    assert_eq!(component(&v, "packages/ui")["name"], "@arcade/ui");
    assert_eq!(
        component(&v, "packages/realtime")["verdict"]["profile"],
        "node"
    );
    // excluded by `!packages/legacy`: belongs to the root
    let legacy = finding_objects(&v)
        .iter()
        .find(|f| f["path"] == "packages/legacy/old.js")
        .unwrap_or_else(|| panic!("no legacy finding"));
    assert_eq!(legacy["component"], ".");
}
