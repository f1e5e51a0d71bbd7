//! One file in, its findings out. The walker hands each file to a per-thread `Analyzer`, which
//! decides what the file is (`classify`), reads it once under the size cap, decodes it as the
//! tool that runs it would (`decode`: never skipped for its encoding), and sends it down the
//! right path: source code to `source` (one parse, one combined query, context checks,
//! suppressions), notebooks to `notebook` (code cells joined into one Python source) and
//! dependency manifests to `manifest`. Nothing per file outlives its `FileEvent`.
pub mod decode;
pub mod manifest;
pub mod notebook;
pub mod source;
pub mod suppress;
mod vocabulary;

use crate::classify::generated::{self, Attributes, Linguist};
use crate::classify::{role_of, Role};
use crate::finding::{count_loc, Finding};
use crate::lang::{self, Lang};
use crate::rules::Ruleset;
use decode::Reader;
use manifest::ManifestReport;
use notebook::NotebookError;
pub use source::Engine;
use source::{ParseFailure, SourceAnalyzer};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Notebooks may be this many times `max_file_bytes`: their outputs (images, tables) are most
/// of their bytes, and only the code cells are analysed.
pub const NOTEBOOK_SIZE_FACTOR: u64 = 8;

/// The bounds on the work one file may cause.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub parse_timeout: Duration,
    /// Analyse vendored, generated and minified files too (`--include-generated`).
    pub include_generated: bool,
    /// How much of the engine runs on source files (hidden flags, for benchmarks and checks).
    pub engine: Engine,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    TooLarge,
    ParseTimeout,
    ParseFailed,
    /// Matching the rules took longer than the parse time limit.
    QueryTimeout,
    /// Name resolution spent its node budget.
    ResolveBudget,
    Unreadable(String),
    DeclarationFile,
    /// Vendored, generated or minified: not this project's own code.
    Generated(generated::Kind),
    /// A notebook that cannot be read (bad JSON, missing fields).
    NotebookInvalid(String),
    /// A notebook for another kernel language.
    NotebookNotPython(String),
    /// A manifest that cannot be parsed (its directory is still a component).
    ManifestInvalid(String),
    RulesError,
}

impl SkipReason {
    pub fn key(&self) -> &'static str {
        match self {
            SkipReason::TooLarge => "too_large",
            SkipReason::ParseTimeout => "parse_timeout",
            SkipReason::ParseFailed => "parse_failed",
            SkipReason::QueryTimeout => "query_timeout",
            SkipReason::ResolveBudget => "resolve_budget",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::DeclarationFile => "declaration_file",
            SkipReason::Generated(k) => k.key(),
            SkipReason::NotebookInvalid(_) => "notebook_invalid",
            SkipReason::NotebookNotPython(_) => "notebook_not_python",
            SkipReason::ManifestInvalid(_) => "manifest_invalid",
            SkipReason::RulesError => "rules_error",
        }
    }

    pub fn describe(&self, limits: &Limits) -> String {
        match self {
            SkipReason::TooLarge => format!(
                "larger than the {} byte limit (--max-file-size)",
                limits.max_file_bytes
            ),
            SkipReason::ParseTimeout => format!(
                "parsing took longer than {} ms (--parse-timeout-ms)",
                limits.parse_timeout.as_millis()
            ),
            SkipReason::ParseFailed => "the parser gave up on it".into(),
            SkipReason::QueryTimeout => format!(
                "matching the rules took longer than {} ms (--parse-timeout-ms)",
                limits.parse_timeout.as_millis()
            ),
            SkipReason::ResolveBudget => format!(
                "name resolution visited more than {} nodes",
                crate::semantic::resolve::MAX_RESOLVE_STEPS
            ),
            SkipReason::Unreadable(e) => format!("cannot be read: {e}"),
            SkipReason::DeclarationFile => {
                "declarations only (.d.ts or .pyi: types, no behaviour)".into()
            }
            SkipReason::Generated(k) => k.describe().into(),
            SkipReason::NotebookInvalid(e) => format!("notebook cannot be read: {e}"),
            SkipReason::NotebookNotPython(l) => format!("notebook kernel language is `{l}`"),
            SkipReason::ManifestInvalid(e) => format!("manifest cannot be read: {e}"),
            SkipReason::RulesError => "the rules for its language failed to compile".into(),
        }
    }
}

/// What the analysis of one file yields.
#[derive(Debug)]
pub enum FileEvent {
    Scanned {
        path: Arc<str>,
        lang: Lang,
        bytes: u64,
        loc: u64,
        findings: Vec<Finding>,
    },
    Skipped {
        path: Arc<str>,
        reason: SkipReason,
    },
    /// A dependency manifest read (package.json, requirements.txt, ...).
    Manifest {
        path: Arc<str>,
        report: ManifestReport,
    },
}

/// A file the walker found, as the analyzer receives it.
pub struct FileRef<'a> {
    pub path: &'a Path,
    /// Relative to the scanned root, with forward slashes.
    pub rel: &'a str,
    pub attrs: &'a Attributes,
}

/// One worker thread's analyzer: the rules, the limits, and the thread's parsers.
pub struct Analyzer<'a> {
    rs: &'a Ruleset,
    limits: &'a Limits,
    root: &'a Path,
    source: SourceAnalyzer,
}

impl<'a> Analyzer<'a> {
    pub fn new(rs: &'a Ruleset, limits: &'a Limits, root: &'a Path) -> Analyzer<'a> {
        let mut source = SourceAnalyzer::new(limits.parse_timeout);
        source.engine = limits.engine;
        Analyzer {
            rs,
            limits,
            root,
            source,
        }
    }

    /// Decides what a file is (source, notebook, manifest, generated, or nothing), reads it
    /// once within the size cap, and analyses it. Pushes zero, one or (for `setup.py`) two
    /// events.
    pub fn file(&mut self, file: &FileRef, out: &mut Vec<FileEvent>) {
        let Some(name) = file.path.file_name().map(|n| n.to_string_lossy()) else {
            return;
        };
        let role = role_of(&name, file.rel);
        let skip = |out: &mut Vec<FileEvent>, reason: SkipReason| {
            out.push(FileEvent::Skipped {
                path: file.rel.into(),
                reason,
            })
        };
        let linguist = match self.generated_by_path(file, &name, role) {
            Ok(l) => l,
            Err(kind) => return skip(out, SkipReason::Generated(kind)),
        };
        if role == Role::Source(None) && name.contains('.') {
            return;
        }
        if matches!(role, Role::Source(Some(_))) && lang::is_declaration_file(&name) {
            return skip(out, SkipReason::DeclarationFile);
        }
        let lang = match role {
            Role::Source(Some(l)) => Some(l),
            // Extensionless: a script only if its shebang names an interpreter we know.
            Role::Source(None) => match shebang_lang(file.path) {
                Some(l) => Some(l),
                None => return,
            },
            _ => None,
        };
        let cap = match role {
            Role::Notebook => self
                .limits
                .max_file_bytes
                .saturating_mul(NOTEBOOK_SIZE_FACTOR),
            _ => self.limits.max_file_bytes,
        };
        let src = match read_capped(file.path, cap) {
            Ok(s) => s,
            Err(reason) => return skip(out, reason),
        };
        self.contents(file, role, lang, linguist, &src, out);
    }

    /// Analyses one file's bytes already in memory, as `file` does once it has read them. The
    /// name alone says what the file is (no shebang is sniffed, no `.gitattributes` applies);
    /// `-r` includes of a requirements file are looked up under the analyzer's root. This is
    /// the per-file entry point of the fuzz targets (`fuzz/`), which need no file system.
    pub fn bytes(&mut self, rel: &str, src: &[u8], out: &mut Vec<FileEvent>) {
        let path = self.root.join(rel);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let role = role_of(name, rel);
        let lang = match role {
            Role::Source(Some(l)) if !lang::is_declaration_file(name) => Some(l),
            Role::Source(_) => return,
            _ => None,
        };
        let attrs = Attributes::default();
        let file = FileRef {
            path: &path,
            rel,
            attrs: &attrs,
        };
        self.contents(&file, role, lang, Linguist::default(), src, out);
    }

    /// A read file's bytes: decoded as the tool that runs it would, then analysed by role.
    fn contents(
        &mut self,
        file: &FileRef,
        role: Role,
        lang: Option<Lang>,
        linguist: Linguist,
        src: &[u8],
        out: &mut Vec<FileEvent>,
    ) {
        let skip = |out: &mut Vec<FileEvent>, reason: SkipReason| {
            out.push(FileEvent::Skipped {
                path: file.rel.into(),
                reason,
            })
        };
        let decoded = decode::decode(src, reader_of(role, lang));
        let text: &str = &decoded.text;
        let rel: Arc<str> = file.rel.into();
        let first = out.len();
        match (role, lang) {
            (Role::Manifest(format), _) => self.manifest(file, format, text, out),
            (Role::Notebook, _) => out.push(self.notebook(text, rel)),
            (Role::Source(_), Some(lang)) => {
                if !self.limits.include_generated && !linguist.overrides(generated::Kind::Generated)
                {
                    if let Some(k) = generated::classify_content(text) {
                        return skip(out, SkipReason::Generated(k));
                    }
                }
                out.push(self.source_event(lang, text.as_bytes(), rel));
            }
            (Role::Source(_), None) => {}
        }
        // The file's size, not its decoded text's.
        for ev in &mut out[first..] {
            if let FileEvent::Scanned { bytes, .. } = ev {
                *bytes = src.len() as u64;
            }
        }
    }

    /// Vendored or generated by `.gitattributes`, file name or a soft-marked directory (no read
    /// needed): `Err` with the kind. `Ok` carries the file's linguist attributes.
    fn generated_by_path(
        &self,
        file: &FileRef,
        name: &str,
        role: Role,
    ) -> Result<Linguist, generated::Kind> {
        if self.limits.include_generated {
            return Ok(Linguist::default());
        }
        let name_kind = match role {
            Role::Manifest(_) => None,
            _ => generated::classify_name(&name.to_ascii_lowercase()),
        };
        let relevant = matches!(role, Role::Source(Some(_)))
            || !matches!(role, Role::Source(_))
            || matches!(
                name_kind,
                Some(generated::Kind::Lockfile | generated::Kind::SourceMap)
            );
        if !relevant {
            return Ok(Linguist::default());
        }
        let linguist = file.attrs.lookup(file.rel);
        let kinds = [
            linguist.marks(),
            name_kind,
            file.attrs.soft_dir_kind(file.rel),
        ];
        match kinds
            .into_iter()
            .flatten()
            .find(|k| !linguist.overrides(*k))
        {
            Some(k) => Err(k),
            None => Ok(linguist),
        }
    }

    /// A manifest's findings; `setup.py` is also Python source.
    fn manifest(
        &mut self,
        file: &FileRef,
        format: manifest::Format,
        text: &str,
        out: &mut Vec<FileEvent>,
    ) {
        let loc = manifest::Location {
            rel: file.rel,
            fs_path: file.path,
            root: self.root,
        };
        let report = manifest::read(self.rs, format, text, &loc);
        let rel: Arc<str> = file.rel.into();
        if let Some(e) = &report.error {
            out.push(FileEvent::Skipped {
                path: rel.clone(),
                reason: SkipReason::ManifestInvalid(e.clone()),
            });
        }
        out.push(FileEvent::Manifest {
            path: rel.clone(),
            report,
        });
        if format == manifest::Format::SetupPy {
            out.push(self.source_event(Lang::Python, text.as_bytes(), rel));
        }
    }

    /// A notebook's code cells, analysed as one Python source, findings mapped back to cells.
    fn notebook(&mut self, text: &str, rel: Arc<str>) -> FileEvent {
        let nb = match notebook::extract(text) {
            Ok(nb) => nb,
            Err(NotebookError::Invalid(e)) => {
                return FileEvent::Skipped {
                    path: rel,
                    reason: SkipReason::NotebookInvalid(e),
                }
            }
            Err(NotebookError::NotPython(l)) => {
                return FileEvent::Skipped {
                    path: rel,
                    reason: SkipReason::NotebookNotPython(l),
                }
            }
        };
        match self.source_event(Lang::Python, nb.source.as_bytes(), rel) {
            FileEvent::Scanned {
                path,
                lang,
                loc,
                mut findings,
                ..
            } => {
                for f in &mut findings {
                    nb.remap(f);
                }
                FileEvent::Scanned {
                    path,
                    lang,
                    bytes: text.len() as u64,
                    loc,
                    findings,
                }
            }
            other => other,
        }
    }

    /// Analyses source already in memory (also used for notebook cells and tests).
    pub fn source_event(&mut self, lang: Lang, src: &[u8], rel: Arc<str>) -> FileEvent {
        let loc = count_loc(src);
        let reason = match self.source.findings(self.rs, lang, src, &rel) {
            Ok(findings) => {
                return FileEvent::Scanned {
                    path: rel,
                    lang,
                    bytes: src.len() as u64,
                    loc,
                    findings,
                }
            }
            Err(ParseFailure::Timeout) => SkipReason::ParseTimeout,
            Err(ParseFailure::Failed) => SkipReason::ParseFailed,
            Err(ParseFailure::QueryTimeout) => SkipReason::QueryTimeout,
            Err(ParseFailure::ResolveBudget) => SkipReason::ResolveBudget,
            Err(ParseFailure::Rules) => SkipReason::RulesError,
        };
        FileEvent::Skipped { path: rel, reason }
    }
}

/// How the tool that runs a file reads its bytes: Python modules, `setup.py` and pip's
/// requirements files honour a coding line; Node, TypeScript, JSON, TOML and YAML read UTF-8.
fn reader_of(role: Role, lang: Option<Lang>) -> Reader {
    match (role, lang) {
        (Role::Source(_), Some(Lang::Python))
        | (Role::Manifest(manifest::Format::SetupPy | manifest::Format::Requirements), _) => {
            Reader::Python
        }
        _ => Reader::Utf8,
    }
}

/// The language an extensionless file's shebang names, if any.
fn shebang_lang(path: &Path) -> Option<Lang> {
    let file = open_regular(path).ok()?;
    let mut head = [0u8; 128];
    let n = (&file).read(&mut head).unwrap_or(0);
    lang::from_shebang(&head[..n])
}

/// Reads a file within `cap` bytes; `Err` is the reason it was not read.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, SkipReason> {
    let mut f = open_regular(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    if size > cap {
        return Err(SkipReason::TooLarge);
    }
    let mut src = Vec::with_capacity(size as usize);
    (&mut f)
        .take(cap + 1)
        .read_to_end(&mut src)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if src.len() as u64 > cap {
        return Err(SkipReason::TooLarge);
    }
    Ok(src)
}

/// Opens a regular file, refusing anything else without opening it: a FIFO would block the
/// worker forever, a device could be endless. (The walker hands on regular files only; this
/// holds when one was replaced between the walk and the read.)
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = || std::io::Error::other("not a regular file");
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let f = std::fs::File::open(path)?;
    if !f.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(f)
}
