//! stackfit as a library: does this codebase's workload fit the NodeJS profile or the Python
//! profile? The modules are the pipeline, and dependencies run one way, from the leaves up:
//!
//! ```text
//! lang, finding            leaves: languages, the Finding every stage passes on
//! rules                    the rule set as data (queries/): model, loading, compiled queries, docs
//! config                   the project's stackfit.toml / [tool.stackfit]
//! classify                 what a path is before it is read (roles, pruned dirs, generated code)
//! semantic                 name resolution and context checks over one parsed tree; knows no
//!                          rule (only the names of the context checks)
//! walk                     walking only: hands each entry to a per-thread visitor
//! analyze                  one file -> findings (source, notebook, manifests, suppressions)
//! score                    traits, verdict, components
//! lint                     findings -> diagnostics, and the repo-level rules
//! scan                     the orchestrator that wires the stages
//! changed, baseline        pull-request mode (git's changed files) and the baseline of known
//!                          diagnostics, applied to a finished scan
//! report                   every output format
//! progress                 the progress line of a long scan (stderr, terminals only)
//! fix                      --add-suppressions: inline suppressions written into the files
//! ```
//!
//! `docs/architecture.md` is the map, with where to add a rule, a library, a language, a
//! manifest format or an output format. `tests/architecture.rs` checks the graph has no cycle.
#![warn(clippy::too_many_lines)]

pub mod analyze;
pub mod baseline;
pub mod batch;
pub mod changed;
pub mod classify;
pub mod config;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod lang;
pub mod lint;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod score;
pub mod semantic;
pub mod syntax;
pub mod walk;
