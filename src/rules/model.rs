//! The rule set's data model: the serde types that `queries/` deserialises into (rules,
//! traits, libraries, scoring), with the vocabulary a rule TOML may use (profiles, severities,
//! kinds, sources, aggregations and context checks). No logic beyond defaults lives here.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Node,
    Python,
    /// Friction and repo-level rules belong to no workload profile.
    None,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Node => "node",
            Profile::Python => "python",
            Profile::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Evidence for a workload trait (N1–N7, P1–P7); feeds the verdict.
    Signal,
    /// Code working against its runtime (F1–F4); reported as a diagnostic.
    Friction,
    /// A finding about the repository as a whole (e.g. workload/language mismatch).
    Repo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Matches come from the import patterns (`<language>/imports.scm`) via the library table.
    Import,
    /// Matches come from the rule's own patterns (`<language>/<CODE>.scm`).
    Query,
    /// Declared dependencies in manifests (package.json, requirements.txt, ...).
    Manifest,
    /// The project's own declared metadata in manifests (description, keywords, trove
    /// classifiers), matched against the vocabulary of `queries/metadata.toml`; also the
    /// "is the library itself" finding of `score::own`.
    Metadata,
    /// Computed from the whole scan (no per-file patterns).
    Repo,
    /// Names the code defines (functions, classes, methods, exports), split into words and
    /// matched against the rule's terms in `queries/vocabulary.toml`.
    Vocabulary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// One finding per match.
    Each,
    /// One finding per file, at the first match, carrying the number of matches.
    File,
}

/// What a signal says about the workload. Domain evidence (sockets, Kafka, tensors, image
/// kernels) can open a verdict; generic evidence (async/await, EventEmitter, an HTTP framework,
/// argparse, stream plumbing) is common to every kind of program and only strengthens a verdict
/// that domain evidence has opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceClass {
    Domain,
    Generic,
}

impl EvidenceClass {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceClass::Domain => "domain",
            EvidenceClass::Generic => "generic",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub what: String,
    pub why: String,
    #[serde(default)]
    pub example: String,
    #[serde(default)]
    pub better: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    /// A one-line human title ("Blocking call inside async def"), for SARIF's shortDescription
    /// and docs/rules.md; defaults to the name.
    #[serde(default)]
    pub title: Option<String>,
    pub kind: RuleKind,
    #[serde(rename = "trait")]
    pub trait_id: String,
    #[serde(default = "default_profile")]
    pub profile: Profile,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    #[serde(default = "one")]
    pub weight: f64,
    /// Signal rules only (required there): `domain` or `generic`. A library in the library
    /// table may override it for the import and manifest rules (`evidence = "generic"`).
    #[serde(default)]
    pub evidence: Option<EvidenceClass>,
    pub message: String,
    pub blog_point: String,
    pub source: Source,
    #[serde(default = "default_aggregate")]
    pub aggregate: Aggregate,
    /// The most evidence this rule can add to its trait across the whole scan (after the
    /// per-file log folding). Generic signals (await density) set it so that they alone can
    /// never make a workload; unset means unbounded (the trait's saturation still applies).
    #[serde(default)]
    pub max_evidence: Option<f64>,
    /// A named context check the match must pass (see `semantic::context`), e.g.
    /// `"python-async-body"`. An unknown name is a load error naming the file and line.
    #[serde(default)]
    pub context: Option<ContextCheck>,
    /// A short hint on how to fix, for diagnostics.
    #[serde(default)]
    pub fix: Option<String>,
    /// A rule still being measured: off unless the config selects its exact code
    /// (`select = ["SF223"]`), as ruff's preview rules are.
    #[serde(default)]
    pub preview: bool,
    /// Qualified names the match's `@_callee` must resolve to through this file's imports
    /// (`time.sleep`, `fs.*Sync`, `concurrent.futures.ThreadPoolExecutor().submit`; `*` matches
    /// any run of characters). See `resolve.rs` for how names are qualified.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Like `calls`, for names whose root is bound by no import or definition in the file:
    /// builtins and globals (`open().read`, `Atomics.wait`, `fetch`) and parameters (`*loop.create_task`).
    #[serde(default)]
    pub free_calls: Vec<String>,
    /// The callee may also be an `async` function or method defined in the same file.
    #[serde(default)]
    pub local_async: bool,
    /// Use the `.scm` patterns of another rule (two rules that split one match by context).
    #[serde(default)]
    pub patterns: Option<String>,
    /// Byte strings a file must contain one of for this rule's patterns to yield a finding
    /// there, for patterns whose text predicates name nothing (SF241 matches every call
    /// statement, but its context keeps only calls of `async` functions, `fetch` and the
    /// `promises` APIs). The prefilter (`rules::anchors`) skips the rule, and the file's parse
    /// when nothing else can match, where none is present; so the list must hold for every
    /// possible finding, or findings are lost.
    #[serde(default)]
    pub requires: Vec<String>,
    /// The node kind (of every grammar the rule has patterns for) that holds the `requires`
    /// word around each match, when the word is not inside the match itself: SF222 matches
    /// calls, but its context keeps only calls inside an `async def`, whose `async` is in the
    /// `function_definition`. The matcher then looks at a file's calls only inside such
    /// definitions (`rules::anchors`), so this too must hold for every possible finding.
    #[serde(default)]
    pub requires_within: Option<String>,
    pub doc: RuleDoc,
}

impl Rule {
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// True when a match must pass a callee check (`calls`, `free_calls`, `local_async`).
    pub fn checks_callee(&self) -> bool {
        !self.calls.is_empty() || !self.free_calls.is_empty() || self.local_async
    }
}

fn default_profile() -> Profile {
    Profile::None
}
fn default_severity() -> Severity {
    Severity::Note
}
fn default_aggregate() -> Aggregate {
    Aggregate::Each
}
fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TraitDef {
    pub id: String,
    pub name: String,
    /// Short phrase used in the verdict sentence ("real-time sockets").
    pub phrase: String,
    pub profile: Profile,
    /// How much a saturated trait adds to its profile's score.
    pub weight: f64,
    /// A presentation trait (a front end): in a file that also carries domain evidence of the
    /// other profile it only renders that profile's output, so there it counts as generic.
    #[serde(default)]
    pub renders: bool,
    pub blog_point: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Evidence at which a trait's presence reaches 1 - 1/e (63%): presence = 1 - exp(-E/s).
    pub saturation: f64,
    /// Within one file, n matches of a rule count as weight * (1 + ln n).
    #[serde(default = "yes")]
    pub log_within_file: bool,
    /// Share of product lines at which a trait's prevalence reaches 1 - 1/e:
    /// prevalence = 1 - exp(-share / share_scale).
    pub share_scale: f64,
    /// The share of the product a project's own declaration of a trait stands for (keywords,
    /// classifiers, description: the metadata rules), added to the trait's code share.
    pub declared_share: f64,
    /// When the project *is* a library of the table (its own name is there): the evidence and
    /// the share of the product that stands for.
    pub own_library_weight: f64,
    pub own_library_share: f64,
    /// A file counts toward a trait's share by min(1, its evidence for the trait / this).
    pub file_evidence_full: f64,
    /// A domain trait whose score reaches this opens its profile: only an opened profile can be
    /// the verdict.
    pub open: f64,
    /// A `renders` trait opens its profile beside another opened profile only when another
    /// trait of its own profile has at least this domain score.
    pub renders_companion: f64,
    /// Generic evidence counts this much toward an opened profile's score.
    pub generic_support: f64,
    /// Both profiles opened, the weaker at or above this, and neither `dominance` times the
    /// other: mixed.
    pub mixed_min: f64,
    pub dominance: f64,
    /// The profile score at which a verdict is fully clear (its confidence's strength term).
    pub clear: f64,
    /// Multiplier for imports that are types only (TypeScript `import type`, `if TYPE_CHECKING`).
    pub type_only_factor: f64,
    /// Multiplier for dynamic `import()` and imports guarded by try/except ImportError; also
    /// for optional declared dependencies (npm optionalDependencies, Python extras).
    pub optional_factor: f64,
    /// Multiplier for dev-only declared dependencies (devDependencies, dev groups,
    /// requirements-dev.txt), on top of the manifest rule's own (lower) weight.
    #[serde(default = "default_dev_dependency_factor")]
    pub dev_dependency_factor: f64,
}

fn default_dev_dependency_factor() -> f64 {
    0.25
}

/// How files are classified (`[classes]` in model.toml): path globs per class, first match
/// wins, anything else is product; and the repository shapes that make other classes product.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Classes {
    /// When product code is below this share of the lines of product plus the `promote`
    /// classes, the repository is a collection (of examples, of scripts): those are its product.
    pub min_product_share: f64,
    pub promote: Vec<crate::finding::FileClass>,
    pub path: Vec<ClassPaths>,
    /// Projects whose own name says what their code is (`tfjs-examples`).
    #[serde(default)]
    pub named: Vec<NamedClass>,
}

/// A class given to every file no path glob classes, when a word of the project's name (its
/// root manifest's name or its root directory's) is one of `words`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NamedClass {
    pub class: crate::finding::FileClass,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPaths {
    pub class: crate::finding::FileClass,
    pub globs: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModelFile {
    pub scoring: Scoring,
    pub classes: Classes,
    #[serde(rename = "trait")]
    pub traits: Vec<TraitDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub name: String,
    #[serde(rename = "trait")]
    pub trait_id: String,
    #[serde(default = "one")]
    pub weight: f64,
    /// Overrides the import/manifest rule's evidence class for this library (Node stream
    /// utilities are `generic` plumbing; Kafka clients stay `domain`).
    #[serde(default)]
    pub evidence: Option<EvidenceClass>,
    /// Python import names (`sklearn`, `paho.mqtt`).
    #[serde(default)]
    pub python: Vec<String>,
    /// npm package names, which are also JS import specifiers; `prefix*` matches a family.
    #[serde(default)]
    pub npm: Vec<String>,
    /// PyPI distribution names (`scikit-learn`).
    #[serde(default)]
    pub pypi: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LibraryFile {
    pub library: Vec<Library>,
}

/// The context checks a rule may name (`context = "..."` in its TOML). Tree-sitter patterns say
/// what a node looks like; a context check says where it sits. `semantic::context` implements
/// each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextCheck {
    /// Not inside any function.
    ModuleLevel,
    /// Not under `if TYPE_CHECKING:`.
    NotTypeChecking,
    /// Directly inside an `async def`.
    PythonAsyncBody,
    /// A thread or executor target whose work is CPU-bound.
    PythonThreadCpuBound,
    /// Threads fanned out over work that is not CPU-bound.
    PythonThreadFanoutNotCpuBound,
    /// An asyncio task that is dropped: a bare statement, or a local never read again.
    PythonTaskDropped,
    /// Inside an async function or a request/event handler.
    JsAsyncOrHandler,
    /// `js-async-or-handler`, and seen to serve: inside a recognised handler, or in a file that
    /// starts a server.
    JsServing,
    /// `js-async-or-handler` in async code that nothing in its file shows serving (it may be
    /// called from a handler elsewhere, or only from tools and start-up code).
    JsAsyncNotServing,
    /// In a file that starts a server.
    JsServerCode,
    /// A heavy loop inside a request handler.
    JsHeavyLoopInHandler,
    /// An emitter or stream with no `'error'` listener in its scope.
    JsNoErrorListener,
    /// Like `js-no-error-listener`, and the code emits `'error'` itself.
    JsErrorEmittedWithoutListener,
    /// A promise-returning call whose promise nobody awaits, returns or handles.
    JsFloatingPromise,
    /// A call, on a serving loop inside an `async def`, of a plain `def` of the same file whose
    /// body makes one of the rule's blocking calls (one level).
    PythonCallsBlockingHelper,
    /// A call, in async code or a handler on a serving loop, of a non-async function of the
    /// same file whose body makes one of the rule's sync calls (one level).
    JsCallsBlockingHelper,
}

impl ContextCheck {
    pub const ALL: [ContextCheck; 16] = [
        ContextCheck::ModuleLevel,
        ContextCheck::NotTypeChecking,
        ContextCheck::PythonAsyncBody,
        ContextCheck::PythonThreadCpuBound,
        ContextCheck::PythonThreadFanoutNotCpuBound,
        ContextCheck::PythonTaskDropped,
        ContextCheck::JsAsyncOrHandler,
        ContextCheck::JsServing,
        ContextCheck::JsAsyncNotServing,
        ContextCheck::JsServerCode,
        ContextCheck::JsHeavyLoopInHandler,
        ContextCheck::JsNoErrorListener,
        ContextCheck::JsErrorEmittedWithoutListener,
        ContextCheck::JsFloatingPromise,
        ContextCheck::PythonCallsBlockingHelper,
        ContextCheck::JsCallsBlockingHelper,
    ];

    /// The name a rule TOML uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ContextCheck::ModuleLevel => "module-level",
            ContextCheck::NotTypeChecking => "not-type-checking",
            ContextCheck::PythonAsyncBody => "python-async-body",
            ContextCheck::PythonThreadCpuBound => "python-thread-cpu-bound",
            ContextCheck::PythonThreadFanoutNotCpuBound => "python-thread-fanout-not-cpu-bound",
            ContextCheck::PythonTaskDropped => "python-task-dropped",
            ContextCheck::JsAsyncOrHandler => "js-async-or-handler",
            ContextCheck::JsServing => "js-serving",
            ContextCheck::JsAsyncNotServing => "js-async-not-serving",
            ContextCheck::JsServerCode => "js-server-code",
            ContextCheck::JsHeavyLoopInHandler => "js-heavy-loop-in-handler",
            ContextCheck::JsNoErrorListener => "js-no-error-listener",
            ContextCheck::JsErrorEmittedWithoutListener => "js-error-emitted-without-listener",
            ContextCheck::JsFloatingPromise => "js-floating-promise",
            ContextCheck::PythonCallsBlockingHelper => "python-calls-blocking-helper",
            ContextCheck::JsCallsBlockingHelper => "js-calls-blocking-helper",
        }
    }
}

impl std::fmt::Display for ContextCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
