//! The SARIF 2.1.0 objects stackfit writes, with only the properties it fills (the full object
//! model is in the OASIS specification and tests/schemas/sarif-schema-2.1.0.json).
//!
//! Every struct declares its fields in the byte order of their JSON names (`$schema` before
//! `runs`, `help` before `helpUri`, `endColumn` before `startLine`), and serde writes fields in
//! declaration order: the log used to be built as a `serde_json::Value`, whose maps sort their
//! keys, and this keeps the output byte-identical to it. A test in `super` checks the order.
use serde::Serialize;

/// The top-level `sarifLog`.
#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub runs: Vec<Run<'a>>,
    pub version: &'static str,
}

/// One `run`: the tool with its rules, the results, and stackfit's own property bag.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub column_kind: &'static str,
    pub properties: RunProperties<'a>,
    pub results: Vec<SarifResult<'a>>,
    pub tool: Tool<'a>,
}

/// The run's property bag: the verdict and how many diagnostics were suppressed.
#[derive(Serialize)]
pub struct RunProperties<'a> {
    pub suppressed: u64,
    pub verdict: VerdictProperties<'a>,
}

/// The verdict, with the key names of the JSON report (snake_case).
#[derive(Serialize)]
pub struct VerdictProperties<'a> {
    pub confidence: f64,
    pub implementation_language: Option<&'static str>,
    pub mismatch: bool,
    pub node_score: f64,
    pub profile: &'static str,
    pub python_score: f64,
    pub summary: &'a str,
}

#[derive(Serialize)]
pub struct Tool<'a> {
    pub driver: Driver<'a>,
}

/// `tool.driver`: stackfit itself and its diagnostic rules.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<&'a str>,
    pub name: &'static str,
    pub rules: Vec<ReportingDescriptor<'a>>,
    pub semantic_version: &'static str,
    pub version: &'static str,
}

/// One rule (`reportingDescriptor`) with its documentation.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor<'a> {
    pub default_configuration: Configuration,
    pub full_description: Message<'a>,
    pub help: MultiformatMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub id: &'a str,
    pub name: &'a str,
    pub properties: RuleProperties<'a>,
    pub short_description: Message<'a>,
}

/// `reportingConfiguration`: only the default level.
#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

/// A plain-text `message` (also used for `shortDescription` and `fullDescription`).
#[derive(Serialize)]
pub struct Message<'a> {
    pub text: &'a str,
}

/// `multiformatMessageString`: text and Markdown.
#[derive(Serialize)]
pub struct MultiformatMessage {
    pub markdown: String,
    pub text: String,
}

/// A rule's property bag: tags for filtering, and where the rule comes from.
#[derive(Serialize)]
pub struct RuleProperties<'a> {
    pub blog_point: &'a str,
    pub tags: Vec<&'a str>,
    #[serde(rename = "trait")]
    pub trait_id: &'a str,
}

/// One `result`: a diagnostic.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    /// With --baseline: `new` or `unchanged` (SARIF 2.1.0 §3.27.24).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<&'static str>,
    pub level: &'static str,
    pub locations: Vec<Location>,
    pub message: Message<'a>,
    /// The diagnostic's fingerprint, so code scanning keeps an alert's identity across pushes.
    pub partial_fingerprints: PartialFingerprints<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ResultProperties<'a>>,
    pub rule_id: &'a str,
    pub rule_index: usize,
}

/// `partialFingerprints`: one versioned key (SARIF 2.1.0 §3.27.17).
#[derive(Serialize)]
pub struct PartialFingerprints<'a> {
    #[serde(rename = "stackfit/v1")]
    pub stackfit_v1: &'a str,
}

/// A result's property bag: the rule's fix hint.
#[derive(Serialize)]
pub struct ResultProperties<'a> {
    pub fix: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

/// A repository-relative URI, resolved against `uriBaseId`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    pub uri_base_id: &'static str,
}

/// A 1-based region; columns count Unicode code points (the run's `columnKind`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub end_column: u32,
    pub end_line: u32,
    pub start_column: u32,
    pub start_line: u32,
}
