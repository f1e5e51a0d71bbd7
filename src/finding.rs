//! The unit of evidence every stage passes on: a `Finding` (one rule matched at one place in
//! one file), where it sits in a notebook (`Cell`), and the per-language line counts a scan
//! keeps. It sits just above `lang`: it knows no rule, no walker and no report, so every stage
//! can share it. A match's file is a `SourceTree` (its source and its nodes' parents), which
//! `semantic`'s per-file model implements with its parent cache.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use tree_sitter::Node;

/// What a file is for, decided from its path and the repository's shape (`classify::shape`).
/// Only product code says what the workload is; the others are counted and reported.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FileClass {
    Product,
    Test,
    Example,
    Docs,
    Bench,
    Build,
    Tooling,
}

impl FileClass {
    pub const ALL: [FileClass; 7] = [
        FileClass::Product,
        FileClass::Test,
        FileClass::Example,
        FileClass::Docs,
        FileClass::Bench,
        FileClass::Build,
        FileClass::Tooling,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileClass::Product => "product",
            FileClass::Test => "test",
            FileClass::Example => "example",
            FileClass::Docs => "docs",
            FileClass::Bench => "bench",
            FileClass::Build => "build",
            FileClass::Tooling => "tooling",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A notebook cell position: which cell (0-based) and the line within it (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Cell {
    pub index: u32,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// Index into `Ruleset::rules`.
    pub rule: usize,
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    /// Evidence of one occurrence: rule weight x library weight x import-form factor.
    pub evidence: f64,
    /// Occurrences folded into this finding (same rule, and library, in the same file).
    pub count: u32,
    pub library: Option<usize>,
    pub cell: Option<Cell>,
    /// The file's class, set by the scan once the repository's shape is known.
    pub class: FileClass,
    /// What identifies the match without its line: a hash of its normalised text and of the
    /// head of the function or class around it (`match_key`).
    pub key: u64,
    /// Stable identity across pushes (rule, path, `key`, and the occurrence among equal keys),
    /// set by the scan (`fingerprint::assign`).
    pub fingerprint: u64,
    /// Silenced by a `stackfit: ignore` comment: kept only so the scan can count it.
    pub suppressed: bool,
}

/// The parsed file a match is in: its source, and each node's parent. The per-file
/// `SemanticModel` answers `parent` from a cache: tree-sitter 0.27's own `Node::parent` searches
/// down from the root, which makes every climb to the root quadratic in its depth.
pub trait SourceTree<'t> {
    fn source(&self) -> &'t [u8];
    fn parent_of(&self, n: Node<'t>) -> Option<Node<'t>>;
}

pub fn make_finding<'t>(
    rule: usize,
    path: &Arc<str>,
    node: Node<'t>,
    file: &impl SourceTree<'t>,
    message: String,
    evidence: f64,
    library: Option<usize>,
) -> Finding {
    let src = file.source();
    let s = node.start_position();
    let e = node.end_position();
    Finding {
        rule,
        path: path.clone(),
        line: s.row as u32 + 1,
        column: column_of(src, node.start_byte(), s.column),
        end_line: e.row as u32 + 1,
        end_column: column_of(src, node.end_byte(), e.column),
        message,
        evidence,
        count: 1,
        library,
        cell: None,
        class: FileClass::Product,
        key: match_key(file, node),
        fingerprint: 0,
        suppressed: false,
    }
}

/// FNV-1a, 64 bits: a hash that never changes between runs, platforms or Rust versions, as a
/// fingerprint must not. Parts are separated so ("ab", "c") and ("a", "bc") differ.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The text with every run of whitespace collapsed to one space: re-indenting or re-wrapping
/// code does not change a fingerprint.
fn normalized(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len().min(4096));
    let mut space = false;
    for &b in text.iter().take(4096) {
        if b.is_ascii_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(b' ');
                space = false;
            }
            out.push(b);
        }
    }
    out
}

/// A match's identity without its position: its normalised text, and the first line of the
/// nearest enclosing function or class (so the same call in two functions differs, and lines
/// inserted above it change nothing).
pub fn match_key<'t>(file: &impl SourceTree<'t>, node: Node<'t>) -> u64 {
    let src = file.source();
    let text = src.get(node.byte_range()).unwrap_or(&[]);
    let mut context: &[u8] = &[];
    // The nearest 257 ancestors at most.
    let ancestors = std::iter::successors(file.parent_of(node), |n| file.parent_of(*n));
    for n in ancestors.take(257) {
        let k = n.kind();
        if crate::lang::is_function_kind(k) || crate::lang::is_class(k) {
            let head = src.get(n.byte_range()).unwrap_or(&[]);
            let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
            context = &head[..end];
            break;
        }
    }
    fnv1a(&[&normalized(text), &normalized(context)])
}

/// 1-based column in characters (Unicode scalar values), from a byte offset and tree-sitter's
/// byte column.
pub fn column_of(src: &[u8], byte: usize, byte_col: usize) -> u32 {
    let start = byte.saturating_sub(byte_col);
    let prefix = src.get(start..byte).unwrap_or(&[]);
    let chars = match std::str::from_utf8(prefix) {
        Ok(s) => s.chars().count(),
        Err(_) => prefix.iter().filter(|&&b| (b & 0xC0) != 0x80).count(),
    };
    chars as u32 + 1
}

/// Fills a rule's message template: `{library}` (the library table's name), and `{text}` or
/// `{module}` (the matched code: for imports, the module or package as written). Friction
/// messages may also use `{callee}` (the resolved name of the call) and `{target}` (the
/// function a thread runs), filled in by the scanner.
pub fn render(template: &str, library: &str, text: &str) -> String {
    template
        .replace("{library}", library)
        .replace("{module}", text)
        .replace("{text}", text)
}

/// Lines that hold code: not blank, not only a `#` or `//` comment.
pub fn count_loc(src: &[u8]) -> u64 {
    src.split(|&b| b == b'\n')
        .filter(|l| {
            let t = l.trim_ascii();
            !t.is_empty() && !t.starts_with(b"#") && !t.starts_with(b"//")
        })
        .count() as u64
}

/// Files, bytes and lines of code of one language (the whole scan, or one directory).
#[derive(Debug, Default, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct LangStats {
    pub files: u64,
    pub bytes: u64,
    pub lines: u64,
}

/// Findings with repeats folded: one finding per key (a rule and its library, in one file),
/// counting the occurrences and keeping the strongest evidence. Source files and manifests
/// both fold this way.
pub struct Folded<K> {
    pub out: Vec<Finding>,
    /// key -> index in `out`.
    index: HashMap<K, usize>,
}

impl<K> Default for Folded<K> {
    fn default() -> Self {
        Folded {
            out: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq> Folded<K> {
    /// Adds one occurrence under `key`: a new finding (made by `make`) or one more count.
    pub fn push(&mut self, key: K, evidence: f64, make: impl FnOnce() -> Finding) {
        if let Some(&i) = self.index.get(&key) {
            let f = &mut self.out[i];
            f.count += 1;
            // The strongest form (of an import, of a declaration) decides how much it counts.
            if evidence > f.evidence {
                f.evidence = evidence;
            }
            return;
        }
        self.index.insert(key, self.out.len());
        self.out.push(make());
    }
}

/// The directory part of a `/`-separated relative path ("" at the root).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}
