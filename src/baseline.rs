//! Adopting the linter gradually: a baseline of known diagnostics and the pull-request view.
//! A baseline lists the line-independent fingerprints (`fingerprint`) of the diagnostics a team
//! accepted; a later scan marks each diagnostic `new` or `unchanged` against it, and only new
//! ones fail the build. `--changed-since` keeps the diagnostics of the changed files only.
//! [`triage`] applies both to a finished scan, after it, so the scan itself knows neither.
//!
//! A baseline is read from either document: the small one `--write-baseline` writes (kind
//! `stackfit-baseline`, format [`FORMAT_VERSION`]) or a JSON report (schema 2.3 or later). Both
//! carry the [`RootId`] of what was scanned, so a baseline of another project, or of another
//! format, is refused with the reason instead of making every diagnostic "known" or "new".
use crate::changed::Changed;
use crate::lint::Diagnostic;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The version of the `stackfit-baseline` document this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;
/// The fingerprint scheme a baseline's fingerprints are in (SARIF's `partialFingerprints` key).
pub const FINGERPRINT_SCHEME: &str = "stackfit/v1";
const KIND: &str = "stackfit-baseline";

/// What a scan was of, independent of where the checkout lies on disk: the same repository at
/// `/home/a/x` and `/runner/work/x/x` has the same identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RootId {
    /// The name of the repository's top directory (the one holding `.git`), else of the
    /// scanned directory.
    pub name: String,
    /// The scanned directory relative to the repository's top, `/`-separated; "" at the top.
    pub path: String,
    /// The project's own package names, sorted.
    pub first_party: Vec<String>,
}

impl RootId {
    /// The identity of a scan of `root` whose first-party names are `first_party`.
    pub fn of(root: &Path, first_party: &[String]) -> RootId {
        let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let dir = if abs.is_file() {
            abs.parent().map_or(abs.clone(), Path::to_path_buf)
        } else {
            abs
        };
        let top = dir.ancestors().find(|d| d.join(".git").exists());
        let name_of = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let (name, path) = match top {
            Some(top) => {
                let rel = dir.strip_prefix(top).unwrap_or(Path::new(""));
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                (name_of(top), parts.join("/"))
            }
            None => (name_of(&dir), String::new()),
        };
        let mut first_party = first_party.to_vec();
        first_party.sort();
        first_party.dedup();
        RootId {
            name,
            path,
            first_party,
        }
    }

    /// `Ok` when a baseline recorded for `recorded` applies to a scan of `self`: the same place
    /// in the repository, and the same repository name or a first-party name in common (either
    /// may change alone: a checkout in a renamed directory, a package added).
    pub fn check(&self, recorded: &RootId) -> Result<(), String> {
        let show = |p: &str| {
            if p.is_empty() {
                "the repository's top".to_string()
            } else {
                format!("`{p}`")
            }
        };
        if self.path != recorded.path {
            return Err(format!(
                "it was written for {} of its repository, and this scan is of {}",
                show(&recorded.path),
                show(&self.path)
            ));
        }
        let shared = self
            .first_party
            .iter()
            .any(|n| recorded.first_party.contains(n));
        if self.name == recorded.name || shared {
            return Ok(());
        }
        let names = |r: &RootId| {
            if r.first_party.is_empty() {
                "none".to_string()
            } else {
                r.first_party.join(", ")
            }
        };
        Err(format!(
            "it was written for project `{}` (first-party names: {}), and this scan is of `{}` \
             (first-party names: {})",
            recorded.name,
            names(recorded),
            self.name,
            names(self)
        ))
    }
}

/// A baseline read from a file.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The file, as given.
    pub file: String,
    pub root: RootId,
    pub fingerprints: HashSet<String>,
}

/// One known diagnostic in a `stackfit-baseline` document; code and path are for the reader.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    code: String,
    path: String,
}

/// The `stackfit-baseline` document.
#[derive(Debug, Serialize, Deserialize)]
struct Document {
    kind: String,
    version: u64,
    fingerprint_scheme: String,
    tool: BTreeMap<String, String>,
    root: RootId,
    diagnostics: Vec<Entry>,
}

/// Reads the baseline in `file`. Errors name the file and the cause.
pub fn load(file: &Path) -> Result<Baseline, String> {
    let name = file.display().to_string();
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("cannot read baseline `{name}`: {e}"))?;
    parse(&name, &text)
}

/// Parses a baseline document or a JSON report; `name` is the file, for messages.
pub fn parse(name: &str, text: &str) -> Result<Baseline, String> {
    let bad = |why: String| format!("baseline `{name}`: {why}");
    let v: Value = serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    if v.get("kind").and_then(Value::as_str) == Some(KIND) {
        let version = v.get("version").and_then(Value::as_u64);
        if version != Some(FORMAT_VERSION) {
            return Err(bad(format!(
                "baseline format version {}, and this stackfit reads version {FORMAT_VERSION}: \
                 write a new one with --write-baseline",
                version.map_or_else(|| "(none)".to_string(), |n| n.to_string())
            )));
        }
        let doc: Document =
            serde_json::from_value(v).map_err(|e| bad(format!("not a valid baseline: {e}")))?;
        if doc.fingerprint_scheme != FINGERPRINT_SCHEME {
            return Err(bad(format!(
                "fingerprints are `{}`, and this stackfit computes `{FINGERPRINT_SCHEME}`",
                doc.fingerprint_scheme
            )));
        }
        return Ok(Baseline {
            file: name.to_string(),
            root: doc.root,
            fingerprints: doc.diagnostics.into_iter().map(|e| e.fingerprint).collect(),
        });
    }
    match v.get("schema_version").and_then(Value::as_str) {
        Some(sv) => from_report(name, sv, &v).map_err(bad),
        None => Err(bad(
            "neither a stackfit baseline (--write-baseline) nor a JSON report (--format json)"
                .into(),
        )),
    }
}

/// A JSON report as a baseline: schema 2.3 or later (they record the root's identity), not
/// narrowed by --changed-since.
fn from_report(name: &str, version: &str, v: &Value) -> Result<Baseline, String> {
    let (major, minor) = version.split_once('.').unwrap_or((version, "0"));
    let ok = major == "2" && minor.parse::<u32>().is_ok_and(|m| m >= 3);
    if !ok {
        return Err(format!(
            "a JSON report of schema_version {version}; a report used as a baseline must be \
             schema 2.3 or later (2.x), which records the scanned root's identity"
        ));
    }
    if v.get("changed_since").is_some_and(|c| !c.is_null()) {
        return Err(
            "a report written with --changed-since lists only the changed files' diagnostics, \
             so it cannot serve as a baseline"
                .into(),
        );
    }
    let root = v
        .get("root_identity")
        .cloned()
        .map(serde_json::from_value::<RootId>)
        .transpose()
        .map_err(|e| format!("invalid `root_identity`: {e}"))?
        .ok_or("the report has no `root_identity`")?;
    let diags = v
        .get("diagnostics")
        .and_then(Value::as_array)
        .ok_or("the report has no `diagnostics` list")?;
    let mut fingerprints = HashSet::new();
    for (i, d) in diags.iter().enumerate() {
        let fp = d
            .get("fingerprint")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("diagnostics[{i}] has no `fingerprint`"))?;
        fingerprints.insert(fp.to_string());
    }
    Ok(Baseline {
        file: name.to_string(),
        root,
        fingerprints,
    })
}

/// The `stackfit-baseline` document for `diagnostics` (all of a scan's, before any
/// --changed-since narrowing), sorted so that it diffs well.
pub fn document(diagnostics: &[Diagnostic], root: &RootId) -> String {
    let mut entries: Vec<Entry> = diagnostics
        .iter()
        .map(|d| Entry {
            fingerprint: d.fingerprint.clone(),
            code: d.code.clone(),
            path: d.path.clone(),
        })
        .collect();
    entries.sort_by(|a, b| {
        (&a.path, &a.code, &a.fingerprint).cmp(&(&b.path, &b.code, &b.fingerprint))
    });
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let doc = Document {
        kind: KIND.into(),
        version: FORMAT_VERSION,
        fingerprint_scheme: FINGERPRINT_SCHEME.into(),
        tool: [
            ("name".to_string(), "stackfit".to_string()),
            ("version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
        ]
        .into(),
        root: root.clone(),
        diagnostics: entries,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A diagnostic against the baseline (SARIF's `baselineState` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "BaselineState")]
pub enum State {
    /// Not in the baseline: it counts toward --fail-on.
    New,
    /// In the baseline: known, reported, never failing the build.
    Unchanged,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Unchanged => "unchanged",
        }
    }
}

/// The baseline's effect on a scan (in the JSON report's `baseline`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BaselineSummary {
    /// The baseline file, as given.
    pub file: String,
    /// Reported diagnostics not in the baseline.
    pub new: u64,
    /// Reported diagnostics in the baseline.
    pub known: u64,
    /// Baseline entries no diagnostic of the whole repository matches any more.
    pub fixed: u64,
}

/// The --changed-since narrowing (in the JSON report's `changed_since`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChangedSummary {
    /// The reference as given.
    pub reference: String,
    /// `git merge-base REF HEAD`.
    pub merge_base: String,
    /// Changed and untracked files under the scanned root.
    pub files_changed: u64,
    /// Diagnostics of files that did not change: left out of the report and of --fail-on.
    pub diagnostics_not_shown: u64,
}

/// What [`triage`] decided: one state per remaining diagnostic (none without a baseline).
#[derive(Debug, Clone, Default)]
pub struct Triage {
    /// Aligned with the scan's (narrowed) diagnostics; empty without a baseline.
    pub states: Vec<State>,
    pub baseline: Option<BaselineSummary>,
    pub changed: Option<ChangedSummary>,
}

impl Triage {
    /// The state of the `i`-th diagnostic, when there is a baseline.
    pub fn state(&self, i: usize) -> Option<State> {
        self.states.get(i).copied()
    }

    /// Whether the `i`-th diagnostic counts toward --fail-on: everything but a known one.
    pub fn counts(&self, i: usize) -> bool {
        self.state(i) != Some(State::Unchanged)
    }
}

/// Narrows `diagnostics` to the changed files (when `changed` is given) and marks each one
/// against `baseline`. The verdict and the rest of the scan are untouched.
pub fn triage(
    diagnostics: &mut Vec<Diagnostic>,
    baseline: Option<&Baseline>,
    changed: Option<&Changed>,
) -> Triage {
    let fixed = baseline.map_or(0, |b| {
        let now: HashSet<&str> = diagnostics.iter().map(|d| d.fingerprint.as_str()).collect();
        b.fingerprints
            .iter()
            .filter(|f| !now.contains(f.as_str()))
            .count() as u64
    });
    let changed = changed.map(|c| {
        let before = diagnostics.len();
        diagnostics.retain(|d| c.contains(&d.path));
        ChangedSummary {
            reference: c.reference.clone(),
            merge_base: c.merge_base.clone(),
            files_changed: c.files.len() as u64,
            diagnostics_not_shown: (before - diagnostics.len()) as u64,
        }
    });
    let mut out = Triage {
        changed,
        ..Triage::default()
    };
    if let Some(b) = baseline {
        out.states = diagnostics
            .iter()
            .map(|d| {
                if b.fingerprints.contains(&d.fingerprint) {
                    State::Unchanged
                } else {
                    State::New
                }
            })
            .collect();
        let known = out
            .states
            .iter()
            .filter(|s| **s == State::Unchanged)
            .count() as u64;
        out.baseline = Some(BaselineSummary {
            file: b.file.clone(),
            new: out.states.len() as u64 - known,
            known,
            fixed,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn diag(path: &str, fp: &str) -> Diagnostic {
        Diagnostic {
            code: "SF220".into(),
            severity: Severity::Warning,
            message: "m".into(),
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            fix: None,
            fingerprint: fp.into(),
            cell: None,
            rule: 0,
        }
    }

    fn root(name: &str, path: &str, fp: &[&str]) -> RootId {
        RootId {
            name: name.into(),
            path: path.into(),
            first_party: fp.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_written_baseline_reads_back_and_marks_known_ones() {
        let id = root("x", "", &["app"]);
        let doc = document(&[diag("a.py", "01"), diag("b.py", "02")], &id);
        let b = parse("b.json", &doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.root, id);
        let mut now = vec![diag("a.py", "01"), diag("c.py", "03")];
        let t = triage(&mut now, Some(&b), None);
        assert_eq!(t.states, vec![State::Unchanged, State::New]);
        let s = t.baseline.as_ref().unwrap_or_else(|| panic!("no summary"));
        assert_eq!((s.new, s.known, s.fixed), (1, 1, 1));
        assert!(!t.counts(0) && t.counts(1));
    }

    #[test]
    fn changed_files_narrow_the_diagnostics_and_count_the_rest() {
        let c = Changed {
            reference: "main".into(),
            merge_base: "abc".into(),
            files: ["b.py".to_string()].into(),
            outside_root: 0,
        };
        let mut now = vec![diag("a.py", "01"), diag("b.py", "02"), diag("a.py", "03")];
        let t = triage(&mut now, None, Some(&c));
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].path, "b.py");
        let s = t.changed.as_ref().unwrap_or_else(|| panic!("no summary"));
        assert_eq!((s.files_changed, s.diagnostics_not_shown), (1, 2));
        assert!(t.states.is_empty() && t.counts(0));
    }

    #[test]
    fn other_versions_and_malformed_files_are_refused_with_the_reason() {
        let e = parse("b.json", "{").unwrap_err();
        assert!(e.contains("`b.json`") && e.contains("invalid JSON"), "{e}");
        let e = parse("b.json", r#"{"kind":"stackfit-baseline","version":2}"#).unwrap_err();
        assert!(e.contains("version 2"), "{e}");
        let e = parse("r.json", r#"{"schema_version":"2.2","diagnostics":[]}"#).unwrap_err();
        assert!(e.contains("2.2") && e.contains("2.3"), "{e}");
        let e = parse("r.json", r#"{"schema_version":"3.0"}"#).unwrap_err();
        assert!(e.contains("3.0"), "{e}");
        let e = parse("x.json", "[1]").unwrap_err();
        assert!(e.contains("neither"), "{e}");
        let changed = r#"{"schema_version":"2.3","changed_since":{"reference":"m"},
            "root_identity":{"name":"x","path":"","first_party":[]},"diagnostics":[]}"#;
        assert!(parse("r.json", changed)
            .unwrap_err()
            .contains("--changed-since"));
        let report = r#"{"schema_version":"2.3","changed_since":null,
            "root_identity":{"name":"x","path":"","first_party":[]},
            "diagnostics":[{"fingerprint":"0a"}]}"#;
        let b = parse("r.json", report).unwrap_or_else(|e| panic!("{e}"));
        assert!(b.fingerprints.contains("0a"));
    }

    #[test]
    fn roots_match_by_place_and_by_name_or_first_party() {
        let a = root("x", "", &["app"]);
        assert!(a.check(&root("x", "", &[])).is_ok());
        assert!(a.check(&root("renamed", "", &["app", "lib"])).is_ok());
        let e = a.check(&root("y", "", &["other"])).unwrap_err();
        assert!(e.contains("`y`") && e.contains("other"), "{e}");
        let e = a.check(&root("x", "svc", &["app"])).unwrap_err();
        assert!(e.contains("`svc`"), "{e}");
    }

    #[test]
    fn the_identity_does_not_depend_on_where_the_checkout_lies() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mk = |parent: &str| {
            let top = tmp.path().join(parent).join("proj");
            std::fs::create_dir_all(top.join(".git")).unwrap_or_else(|e| panic!("{e}"));
            std::fs::create_dir_all(top.join("svc")).unwrap_or_else(|e| panic!("{e}"));
            top
        };
        let (a, b) = (mk("home"), mk("runner/work"));
        let ida = RootId::of(&a.join("svc"), &[]);
        assert_eq!(ida, RootId::of(&b.join("svc"), &[]));
        assert_eq!((ida.name.as_str(), ida.path.as_str()), ("proj", "svc"));
    }
}
