//! The `stackfit batch` line: one repository per line of NDJSON. A line is the JSON report
//! (`json::Report`, compact) plus the repository's `git` state, or, when the repository could
//! not be scanned, a small error object. Kept beside the report so the two share one schema
//! (`schema::batch_line`).
use super::json::Report;
use schemars::JsonSchema;
use serde::Serialize;

/// Where a git checkout stands: read with `git log` and `git config`, never by running hooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Git {
    /// `remote.origin.url`, or null when the checkout has no `origin`.
    pub remote: Option<String>,
    /// The full SHA of `HEAD`.
    pub commit: String,
    /// The committer date of `HEAD`, strict ISO 8601 (`%cI`).
    pub commit_date: String,
}

/// A repository that was scanned: the report, plus `git` (null when the path is not the root
/// of a git checkout, or git is not installed).
#[derive(Serialize, JsonSchema)]
pub struct RepoLine<'a> {
    #[serde(flatten)]
    pub report: Report<'a>,
    pub git: Option<Git>,
}

/// A repository that could not be scanned (missing, unreadable, not a directory, a bad config).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorLine {
    /// The path as given.
    pub root: String,
    /// Why it could not be scanned.
    pub error: String,
}

/// One line of `stackfit batch` output: either shape (used for the schema).
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub enum BatchLine<'a> {
    Repo(Box<RepoLine<'a>>),
    Error(ErrorLine),
}

/// `line` as one line of NDJSON (compact, ending in `\n`).
pub fn to_line<T: Serialize>(line: &T) -> String {
    let mut s = serde_json::to_string(line)
        .unwrap_or_else(|e| format!("{{\"error\": {}}}", serde_json::Value::from(e.to_string())));
    s.push('\n');
    s
}
