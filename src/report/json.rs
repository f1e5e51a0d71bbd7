//! The JSON report: one document, `schema_version` first. Field meanings are documented in
//! docs/json-schema.md; any change to the shape bumps SCHEMA_VERSION.
use super::Input;
use crate::analyze::manifest::Problem;
use crate::baseline::{BaselineSummary, ChangedSummary, RootId, State};
use crate::finding::LangStats;
use crate::finding::{Cell, FileClass};
use crate::lint::Diagnostic;
use crate::rules::Ruleset;
use crate::scan::ScanOptions;
use crate::scan::{ManifestSummary, ScanResult};
use crate::score::components::Component;
use crate::score::{EvidenceRef, TraitScore, Verdict};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: &str = "2.3";
const MAX_SKIPPED_LISTED: usize = 200;

#[derive(Serialize, JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct FindingOut<'a> {
    pub rule: &'a str,
    #[serde(rename = "trait")]
    pub trait_id: &'a str,
    #[schemars(extend("enum" = ["node", "python"]))]
    pub profile: &'a str,
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: &'a str,
    pub count: u32,
    pub library: Option<&'a str>,
    /// Stable identity: rule, path, the matched code and its enclosing function, never the
    /// line (since 2.2).
    pub fingerprint: String,
    /// `domain` or `generic` (since 2.0).
    #[schemars(extend("enum" = ["domain", "generic"]))]
    pub evidence_class: &'static str,
    /// The class of the finding's file after the repository's shape: only `product` is scored
    /// (since 2.0).
    #[schemars(extend("enum" = ["product", "test", "bench", "example", "docs", "build", "tooling"]))]
    pub file_class: &'static str,
    /// Notebook findings: the cell (0-based index in `cells`) and line in it.
    pub cell: Option<Cell>,
    /// The component (directory) the finding belongs to.
    pub component: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct GeneratedDir<'a> {
    pub path: &'a str,
    pub reason: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct TraitRef<'a> {
    pub id: &'a str,
    pub score: f64,
}

#[derive(Serialize, JsonSchema)]
pub struct ComponentStats<'a> {
    pub files: u64,
    pub lines_of_code: u64,
    pub languages: &'a BTreeMap<&'static str, LangStats>,
    pub findings: u64,
}

#[derive(Serialize, JsonSchema)]
pub struct ComponentOut<'a> {
    pub path: &'a str,
    pub name: &'a str,
    #[schemars(extend("enum" = ["manifest", "workspace"]))]
    pub declared_by: &'static str,
    pub manifests: &'a [String],
    pub verdict: &'a Verdict,
    pub traits: Vec<TraitRef<'a>>,
    pub top_evidence: &'a [EvidenceRef],
    pub stats: ComponentStats<'a>,
}

#[derive(Serialize, JsonSchema)]
pub struct Skipped<'a> {
    pub path: &'a str,
    pub reason: &'static str,
    pub detail: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Stats<'a> {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub lines_of_code: u64,
    pub languages: &'a BTreeMap<&'static str, LangStats>,
    pub files_skipped: u64,
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    pub skipped_files: Vec<Skipped<'a>>,
    pub directories_pruned: Vec<&'a str>,
    pub generated_directories: Vec<GeneratedDir<'a>>,
    pub notebooks: u64,
    pub manifests: &'a [ManifestSummary],
    pub manifest_problems: &'a [Problem],
    pub walk_errors: &'a [String],
    pub elapsed_ms: u128,
}

/// Files and lines of one file class.
#[derive(Serialize, JsonSchema)]
pub struct ClassCount {
    pub files: u64,
    pub lines_of_code: u64,
}

/// How the repository's files were classified (since 2.0).
#[derive(Serialize, JsonSchema)]
pub struct FileClasses<'a> {
    /// Per class, by path (`product`, `test`, `example`, `docs`, `bench`, `build`, `tooling`).
    pub counts: BTreeMap<&'static str, ClassCount>,
    /// Classes the repository's shape counts as product (an examples collection's examples).
    pub promoted: Vec<&'static str>,
    /// The class the project's own name gives its unclassed files (`example` for
    /// `tfjs-examples`; since 2.3). Absent when the name says nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named: Option<&'static str>,
    /// Lines of code the verdict's shares are measured against.
    pub product_lines_of_code: u64,
    /// The project's own package names: importing them is not library use.
    pub first_party: &'a [String],
}

#[derive(Serialize, JsonSchema)]
pub struct Report<'a> {
    pub schema_version: &'static str,
    pub tool: Tool,
    pub root: String,
    /// What was scanned, independent of where the checkout lies: the repository's name, the
    /// scanned directory in it, the first-party names. A baseline must match it (since 2.3).
    pub root_identity: RootId,
    pub verdict: &'a Verdict,
    pub traits: &'a [TraitScore],
    pub file_classes: FileClasses<'a>,
    pub findings: Findings<'a>,
    /// Friction (F1–F4) and repo-level diagnostics after config and suppressions, in the same
    /// shape as SARIF results (since 1.2).
    pub diagnostics: Vec<DiagnosticOut<'a>>,
    /// Diagnostics silenced by `stackfit: ignore` comments or per-path config (since 1.2).
    pub suppressed: u64,
    /// Friction diagnostics in files whose class `[lint] classes` does not lint (since 2.1).
    pub diagnostics_outside_product: OutsideProduct<'a>,
    /// With --baseline: new and known counts; null without (since 2.3).
    pub baseline: Option<&'a BaselineSummary>,
    /// With --changed-since: the reference, and the diagnostics of unchanged files left out;
    /// null without (since 2.3).
    pub changed_since: Option<&'a ChangedSummary>,
    pub components: Vec<ComponentOut<'a>>,
    pub stats: Stats<'a>,
}

/// A diagnostic, with its state against the baseline when one was given.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Diagnostic")]
pub struct DiagnosticOut<'a> {
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
    /// `new` (counts toward --fail-on) or `unchanged` (in the baseline); null without
    /// --baseline (since 2.3).
    pub baseline_state: Option<State>,
}

/// Friction diagnostics left out per file class, and their total.
#[derive(Serialize, JsonSchema)]
pub struct OutsideProduct<'a> {
    pub total: u64,
    #[serde(flatten)]
    pub classes: &'a BTreeMap<FileClass, u64>,
}

/// The report document for `input`'s scan.
pub fn build<'a>(input: &Input<'a>) -> Report<'a> {
    let (rs, res, opts) = (input.rs, input.res, input.opts);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "stackfit",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: opts.walk.root.to_string_lossy().replace('\\', "/"),
        root_identity: RootId::of(&opts.walk.root, &res.own_names),
        verdict: &res.verdict,
        traits: &res.traits,
        file_classes: file_classes(res),
        findings: Findings { rs, res },
        diagnostics: (res.diagnostics.iter().enumerate())
            .map(|(i, d)| DiagnosticOut {
                diagnostic: d,
                baseline_state: input.state(i),
            })
            .collect(),
        suppressed: res.suppressed,
        diagnostics_outside_product: OutsideProduct {
            total: res.outside_classes.values().sum(),
            classes: &res.outside_classes,
        },
        baseline: input.triage.and_then(|t| t.baseline.as_ref()),
        changed_since: input.triage.and_then(|t| t.changed.as_ref()),
        components: res.components.iter().map(component).collect(),
        stats: stats(res, opts),
    }
}

/// The signal findings, serialized as a list of `FindingOut`, each made as it is written: the
/// report never holds them all at once (on the corpus x4 that list would be 3 MB, issue 12).
pub struct Findings<'a> {
    rs: &'a Ruleset,
    res: &'a ScanResult,
}

impl Findings<'_> {
    /// The findings as the report lists them.
    pub fn iter(&self) -> impl Iterator<Item = FindingOut<'_>> + '_ {
        findings(self.rs, self.res)
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl JsonSchema for Findings<'_> {
    fn inline_schema() -> bool {
        <Vec<FindingOut<'static>>>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<FindingOut<'static>>>::schema_name()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<FindingOut<'static>>>::json_schema(g)
    }
}

/// Each signal finding with its rule's code, trait and profile and its component.
fn findings<'a>(rs: &'a Ruleset, res: &'a ScanResult) -> impl Iterator<Item = FindingOut<'a>> + 'a {
    res.findings.iter().enumerate().map(move |(i, f)| {
        let r = &rs.rules[f.rule];
        FindingOut {
            rule: &r.code,
            trait_id: &r.trait_id,
            profile: r.profile.as_str(),
            path: &f.path,
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            message: &f.message,
            count: f.count,
            library: f.library.map(|i| rs.libraries[i].name.as_str()),
            fingerprint: crate::fingerprint::hex(f.fingerprint),
            evidence_class: crate::score::evidence_class(rs, f).as_str(),
            file_class: f.class.as_str(),
            cell: f.cell,
            component: res
                .finding_components
                .get(i)
                .copied()
                .flatten()
                .and_then(|c| res.components.get(c as usize))
                .map(|c| c.path.as_str()),
        }
    })
}

fn file_classes(res: &ScanResult) -> FileClasses<'_> {
    let st = &res.file_classes;
    FileClasses {
        counts: FileClass::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str(),
                    ClassCount {
                        files: st.files[c.index()],
                        lines_of_code: st.lines[c.index()],
                    },
                )
            })
            .collect(),
        promoted: res.shape.promoted.iter().map(|c| c.as_str()).collect(),
        named: res.shape.named.map(|c| c.as_str()),
        product_lines_of_code: st.product_lines(&res.shape),
        first_party: &res.own_names,
    }
}

/// One component with its verdict, trait scores and sizes.
fn component(c: &Component) -> ComponentOut<'_> {
    ComponentOut {
        path: &c.path,
        name: &c.name,
        declared_by: c.declared_by,
        manifests: &c.manifests,
        verdict: &c.verdict,
        traits: c
            .traits
            .iter()
            .map(|t| TraitRef {
                id: &t.id,
                score: t.score,
            })
            .collect(),
        top_evidence: &c.top_evidence,
        stats: ComponentStats {
            files: c.files,
            lines_of_code: c.lines_of_code,
            languages: &c.languages,
            findings: c.findings,
        },
    }
}

/// What was scanned and what was not: sizes, skipped files and directories, manifests.
fn stats<'a>(res: &'a ScanResult, opts: &ScanOptions) -> Stats<'a> {
    let mut by_reason = BTreeMap::new();
    for (_, r) in &res.skipped {
        *by_reason.entry(r.key()).or_insert(0) += 1;
    }
    Stats {
        files_scanned: res.languages.values().map(|l| l.files).sum(),
        bytes_scanned: res.languages.values().map(|l| l.bytes).sum(),
        lines_of_code: res.languages.values().map(|l| l.lines).sum(),
        languages: &res.languages,
        files_skipped: res.skipped.len() as u64,
        skipped_by_reason: by_reason,
        skipped_files: res
            .skipped
            .iter()
            .take(MAX_SKIPPED_LISTED)
            .map(|(p, r)| Skipped {
                path: p,
                reason: r.key(),
                detail: r.describe(&opts.limits),
            })
            .collect(),
        directories_pruned: res.pruned_dirs.iter().map(|p| &**p).collect(),
        generated_directories: res
            .generated_dirs
            .iter()
            .map(|(p, k)| GeneratedDir {
                path: p,
                reason: k.key(),
            })
            .collect(),
        notebooks: res.notebooks,
        manifests: &res.manifests,
        manifest_problems: &res.manifest_problems,
        walk_errors: &res.walk_errors,
        elapsed_ms: res.elapsed_ms,
    }
}

/// The JSON report, pretty-printed, written to `w` as it is serialized (the CLI streams it to
/// stdout, so the document is never held whole: 7 MB on the corpus x4, issue 12).
pub fn write(input: &Input, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &build(input))?;
    w.write_all(b"\n")
}

/// The JSON report, pretty-printed, as a string.
pub fn render(input: &Input) -> String {
    let mut buf = Vec::new();
    match write(input, &mut buf).map(|()| String::from_utf8(buf)) {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => format!("{{\"error\": \"{e}\"}}\n"),
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::github::tests::cx as input;

    /// The streamed report is the rendered one, and its findings (made one at a time as they
    /// are written) are all there, in order.
    #[test]
    fn streamed_as_rendered_with_every_finding() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/monorepo-fullstack");
        let opts = ScanOptions::for_root(dir);
        let res = crate::scan::run(&rs, &opts);
        assert!(res.findings.len() > 1);
        let s = render(&input(&rs, &res, &opts));
        let mut streamed = Vec::new();
        write(&input(&rs, &res, &opts), &mut streamed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(streamed, s.as_bytes());
        assert!(s.ends_with("}\n"));
        let doc: serde_json::Value = serde_json::from_str(&s).unwrap_or_else(|e| panic!("{e}"));
        let listed = doc["findings"].as_array().cloned().unwrap_or_default();
        assert_eq!(listed.len(), res.findings.len());
        for (out, f) in listed.iter().zip(&res.findings) {
            assert_eq!(out["path"].as_str(), Some(&*f.path));
            assert_eq!(out["line"].as_u64(), Some(u64::from(f.line)));
            assert_eq!(out["message"].as_str(), Some(f.message.as_str()));
        }
    }
}
