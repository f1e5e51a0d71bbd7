//! Output formats. `json` is the stable, versioned document for dashboards (its shape is
//! documented in docs/json-schema.md); `text` is for a person at a terminal. Both are rendered
//! from the same `ScanResult`, so they cannot disagree.
pub mod json;
pub mod sarif;
pub mod text;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable report (colour on a terminal unless NO_COLOR is set).
    Text,
    /// One JSON document (schema_version 1) for dashboards and scripts.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning: the diagnostics, with rule documentation.
    Sarif,
}
