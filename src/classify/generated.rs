//! Code a person reading the repository would skip: vendored copies of other projects, build
//! output, minified files and bundles, source maps, lockfiles, protobuf stubs and files whose
//! header says they are generated. GitHub Linguist draws the same line; scanning those files
//! would count other people's code (or the same code twice) as this project's workload, and
//! bundles are also where most of the scan time and memory go.
//!
//! Three checks, cheapest first: by directory (the walker prunes a vendored or build-output
//! directory before reading anything in it), by file name (no read needed), and by content (the
//! first 16 KB of a source file already in memory). `.gitattributes` files (root and nested)
//! can mark more paths `linguist-vendored` / `linguist-generated`, or unmark them with `=false`
//! (or `-attr`); `--include-generated` turns everything here off.
use globset::{GlobBuilder, GlobMatcher};
use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

/// Why a file or directory counts as not this project's own source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A vendored copy of another project (`vendor/`, `third_party/`, `linguist-vendored`).
    Vendored,
    /// Build output (`dist/`, `build/`) next to the sources it was built from.
    BuildOutput,
    /// Minified code (`*.min.js`, or long dense lines).
    Minified,
    /// A bundle that inlines third-party modules (webpack, browserify, esbuild).
    Bundle,
    /// A source map.
    SourceMap,
    /// A "generated" / "DO NOT EDIT" header, or `linguist-generated`.
    Generated,
    /// A dependency lockfile.
    Lockfile,
    /// Compiled protocol buffer / gRPC stubs.
    ProtobufStub,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Vendored => "vendored",
            Kind::BuildOutput => "build_output",
            Kind::Minified => "minified",
            Kind::Bundle => "bundle",
            Kind::SourceMap => "source_map",
            Kind::Generated => "generated",
            Kind::Lockfile => "lockfile",
            Kind::ProtobufStub => "protobuf_stub",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Vendored => "vendored third-party code (--include-generated scans it)",
            Kind::BuildOutput => "build output next to its sources (--include-generated scans it)",
            Kind::Minified => "minified code (--include-generated scans it)",
            Kind::Bundle => "a bundle inlining third-party modules (--include-generated scans it)",
            Kind::SourceMap => "a source map",
            Kind::Generated => "generated code (header or .gitattributes linguist-generated)",
            Kind::Lockfile => "a dependency lockfile",
            Kind::ProtobufStub => "compiled protocol buffer stubs",
        }
    }

    /// Which Linguist attribute overrides this kind: `true` for linguist-vendored.
    fn is_vendored_family(self) -> bool {
        matches!(self, Kind::Vendored | Kind::BuildOutput)
    }
}

/// Directory names Linguist treats as vendored (plus Python's `_vendor`).
const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendors",
    "_vendor",
    "third_party",
    "third-party",
    "thirdparty",
    "3rdparty",
    "3rd_party",
    "3rd-party",
];

/// Build-output directory names.
const BUILD_DIRS: &[&str] = &["dist", "build"];

/// Directories whose presence next to `dist/` or `build/` says the sources are here too.
const SOURCE_SIBLINGS: &[&str] = &["src", "source", "sources"];
/// Files whose presence next to `build/` or `dist/` says a Python project builds from here.
const PYTHON_BUILD_FILES: &[&str] = &["setup.py", "pyproject.toml", "setup.cfg"];

const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "bun.lock",
    "poetry.lock",
    "pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "conda-lock.yml",
];

/// Classifies a directory by name. `fs_path` is used only for `dist`/`build`, to see whether
/// the sources sit next to it (a repository) or whether the build output is the only code there
/// is (a published npm package), in which case it is scanned.
pub fn classify_dir(name: &str, fs_path: &Path) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    if VENDORED_DIRS.contains(&lower.as_str()) {
        return Some(Kind::Vendored);
    }
    if BUILD_DIRS.contains(&lower.as_str()) {
        // A Python package that happens to be called `build` is source.
        if fs_path.join("__init__.py").is_file() {
            return None;
        }
        let parent = fs_path.parent()?;
        let has_sources = SOURCE_SIBLINGS.iter().any(|s| parent.join(s).is_dir())
            || PYTHON_BUILD_FILES.iter().any(|f| parent.join(f).is_file());
        if has_sources {
            return Some(Kind::BuildOutput);
        }
    }
    None
}

/// Classifies a file by its name alone (no read). `lower` is the lower-cased file name.
pub fn classify_name(lower: &str) -> Option<Kind> {
    if LOCKFILES.contains(&lower) {
        return Some(Kind::Lockfile);
    }
    if lower.ends_with(".map") {
        return Some(Kind::SourceMap);
    }
    let stem_ext = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    if stem_ext(&[
        ".min.js",
        "-min.js",
        ".min.mjs",
        ".min.cjs",
        ".min.ts",
        ".prod.js",
        ".umd.min.js",
    ]) {
        return Some(Kind::Minified);
    }
    if stem_ext(&[
        "_pb2.py",
        "_pb2.pyi",
        "_pb2_grpc.py",
        "_pb.js",
        "_pb.d.ts",
        "_grpc_pb.js",
        "_grpc_web_pb.js",
        ".pb.js",
        ".pb.ts",
        "_pb.ts",
        ".pb.go",
    ]) {
        return Some(Kind::ProtobufStub);
    }
    None
}

/// How much of the head of a file the content checks look at.
const HEAD_BYTES: usize = 16 * 1024;

/// Classifies a source file by its first bytes: a generated header, a bundle's markers, or
/// minified lines. Cheap: only the first 16 KB are looked at, with the standard library's
/// substring search.
pub fn classify_content(src: &str) -> Option<Kind> {
    let mut cut = src.len().min(HEAD_BYTES);
    while !src.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &src[..cut];
    if has_generated_header(head) {
        return Some(Kind::Generated);
    }
    if has_bundle_marker(head) {
        return Some(Kind::Bundle);
    }
    if looks_minified(head) {
        return Some(Kind::Minified);
    }
    None
}

/// A comment in the first lines that says the file is generated.
fn has_generated_header(head: &str) -> bool {
    const MARKERS: &[&str] = &[
        "@generated",
        "do not edit",
        "code generated by",
        "autogenerated",
        "auto-generated",
        "automatically generated",
        "this file is generated",
        "this file was generated",
        "generated by the protocol buffer compiler",
    ];
    for line in head.lines().take(12) {
        let t = line.trim_start();
        let is_comment = t.starts_with('#')
            || t.starts_with("//")
            || t.starts_with("/*")
            || t.starts_with('*')
            || t.starts_with("<!--");
        if !is_comment {
            continue;
        }
        let lower = t.to_ascii_lowercase();
        if MARKERS.iter().any(|m| lower.contains(m)) {
            return true;
        }
    }
    false
}

/// Markers of bundlers that inline third-party modules.
fn has_bundle_marker(head: &str) -> bool {
    const MARKERS: &[&str] = &[
        "webpackBootstrap",
        "__webpack_require__",
        // browserify preludes (old and new)
        "function r(e,n,t){function o(i,f)",
        "function e(t,n,r){function s(o,u)",
        "Modules in this bundle",
    ];
    if MARKERS.iter().any(|m| head.contains(m)) {
        return true;
    }
    // esbuild / rollup / rolldown name each inlined module in a comment of its own:
    // `// node_modules/pkg/index.js` or `//#region node_modules/pkg/index.js`.
    if !head.contains("node_modules/") {
        return false;
    }
    head.lines().any(|line| {
        let t = line.trim();
        let rest = t
            .strip_prefix("//#region ")
            .or_else(|| t.strip_prefix("// "));
        rest.is_some_and(|r| !r.contains(' ') && !r.contains('(') && r.contains("node_modules/"))
    })
}

/// Minified: at least half of the head is in lines of 500+ characters, and those are dense
/// (less than 12% whitespace). Inline `sourceMappingURL` lines are ignored: compilers append
/// them to ordinary readable output.
fn looks_minified(head: &str) -> bool {
    let mut total = 0usize;
    let mut long = 0usize;
    let mut long_ws = 0usize;
    for line in head.split('\n') {
        total += line.len() + 1;
        if line.len() >= 500 {
            if line.contains("sourceMappingURL=") {
                total -= line.len() + 1;
                continue;
            }
            long += line.len();
            long_ws += line.bytes().filter(u8::is_ascii_whitespace).count();
        }
    }
    total > 0 && long * 2 >= total && (long_ws as f64) < 0.12 * long as f64
}

/// One attribute setting from a `.gitattributes` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attr {
    Vendored(Option<bool>),
    Generated(Option<bool>),
}

#[derive(Debug)]
struct AttrRule {
    /// Matched against the basename (pattern without `/`) or the path relative to `dir`.
    matcher: GlobMatcher,
    basename_only: bool,
    attrs: Vec<Attr>,
}

#[derive(Debug)]
struct AttrFile {
    /// Directory of the `.gitattributes`, relative to the scan root ("" for the root).
    dir: String,
    rules: Vec<AttrRule>,
}

/// What `.gitattributes` say about one path: `Some(true)` set, `Some(false)` unset, `None`
/// unspecified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Linguist {
    pub vendored: Option<bool>,
    pub generated: Option<bool>,
}

impl Linguist {
    /// Whether the attributes clear a path of `kind` (an explicit `=false` for its family).
    pub fn overrides(&self, kind: Kind) -> bool {
        if kind.is_vendored_family() {
            self.vendored == Some(false)
        } else {
            self.generated == Some(false)
        }
    }

    /// The kind the attributes themselves give the path, if any.
    pub fn marks(&self) -> Option<Kind> {
        if self.vendored == Some(true) {
            Some(Kind::Vendored)
        } else if self.generated == Some(true) {
            Some(Kind::Generated)
        } else {
            None
        }
    }
}

/// The `.gitattributes` files seen so far, shared by the walker's threads. A directory is
/// visited (and its `.gitattributes` loaded) before any of its entries, so by the time a file
/// is classified, every `.gitattributes` above it is here.
#[derive(Debug, Default)]
pub struct Attributes {
    files: RwLock<Vec<AttrFile>>,
    /// Any `=false` override loaded at all: then vendored/build directories are descended
    /// into (and their files classified one by one) instead of pruned.
    any_override: std::sync::atomic::AtomicBool,
    /// Vendored/build directories descended into because an override might apply below them.
    soft_dirs: RwLock<HashMap<String, Kind>>,
}

impl Attributes {
    /// Loads `<dir>/.gitattributes` if there is one. `rel_dir` is relative to the scan root.
    /// Returns a problem description for a file that cannot be read.
    pub fn load_dir(&self, fs_dir: &Path, rel_dir: &str) -> Option<String> {
        let p = fs_dir.join(".gitattributes");
        if !p.is_file() {
            return None;
        }
        let text = match read_small(&p) {
            Ok(t) => t,
            Err(e) => return Some(format!("{}: {e}", p.display())),
        };
        let file = parse_gitattributes(&text, rel_dir);
        if file.rules.is_empty() {
            return None;
        }
        if file.rules.iter().any(|r| {
            r.attrs.iter().any(|a| {
                matches!(
                    a,
                    Attr::Vendored(Some(false)) | Attr::Generated(Some(false))
                )
            })
        }) {
            self.any_override
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Ok(mut files) = self.files.write() {
            files.push(file);
        }
        None
    }

    /// Whether a `.gitattributes` at or above `rel_dir` unmarks anything (`=false`): then a
    /// vendored/build directory there must be descended into, not pruned.
    pub fn has_override_for(&self, rel_dir: &str) -> bool {
        if !self.any_override.load(std::sync::atomic::Ordering::Relaxed) {
            return false;
        }
        let Ok(files) = self.files.read() else {
            return true;
        };
        files.iter().any(|f| {
            (f.dir.is_empty() || rel_dir == f.dir || rel_dir.starts_with(&format!("{}/", f.dir)))
                && f.rules.iter().any(|r| {
                    r.attrs.iter().any(|a| {
                        matches!(
                            a,
                            Attr::Vendored(Some(false)) | Attr::Generated(Some(false))
                        )
                    })
                })
        })
    }

    /// Remembers a vendored/build directory that was descended into.
    pub fn mark_soft_dir(&self, rel_dir: &str, kind: Kind) {
        if let Ok(mut m) = self.soft_dirs.write() {
            m.insert(rel_dir.to_string(), kind);
        }
    }

    /// The kind of the nearest enclosing soft directory of `rel` (a file path).
    pub fn soft_dir_kind(&self, rel: &str) -> Option<Kind> {
        let m = self.soft_dirs.read().ok()?;
        if m.is_empty() {
            return None;
        }
        let mut cur = rel;
        while let Some((parent, _)) = cur.rsplit_once('/') {
            if let Some(k) = m.get(parent) {
                return Some(*k);
            }
            cur = parent;
        }
        None
    }

    /// What the loaded `.gitattributes` say about `rel` (a path relative to the root).
    /// Shallower files first, later lines win, as git does.
    pub fn lookup(&self, rel: &str) -> Linguist {
        let mut out = Linguist::default();
        let Ok(files) = self.files.read() else {
            return out;
        };
        if files.is_empty() {
            return out;
        }
        let mut applicable: Vec<&AttrFile> = files
            .iter()
            .filter(|f| f.dir.is_empty() || rel.starts_with(&format!("{}/", f.dir)))
            .collect();
        applicable.sort_by_key(|f| f.dir.matches('/').count() + usize::from(!f.dir.is_empty()));
        let base = rel.rsplit('/').next().unwrap_or(rel);
        for f in applicable {
            let sub = if f.dir.is_empty() {
                rel
            } else {
                &rel[f.dir.len() + 1..]
            };
            for r in &f.rules {
                let hit = if r.basename_only {
                    r.matcher.is_match(base)
                } else {
                    r.matcher.is_match(sub)
                };
                if !hit {
                    continue;
                }
                for a in &r.attrs {
                    match *a {
                        Attr::Vendored(v) => out.vendored = v,
                        Attr::Generated(v) => out.generated = v,
                    }
                }
            }
        }
        out
    }
}

fn read_small(p: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let f = std::fs::File::open(p)?;
    let mut buf = Vec::new();
    f.take(1 << 20).read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Parses the Linguist attributes of a `.gitattributes` file; other attributes are ignored.
fn parse_gitattributes(text: &str, rel_dir: &str) -> AttrFile {
    let mut rules = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(pattern) = parts.next() else {
            continue;
        };
        let mut attrs = Vec::new();
        for a in parts {
            let (name, value) = if let Some(n) = a.strip_prefix('-') {
                (n, Some(false))
            } else if let Some(n) = a.strip_prefix('!') {
                (n, None)
            } else if let Some((n, v)) = a.split_once('=') {
                match v {
                    "false" | "0" => (n, Some(false)),
                    _ => (n, Some(true)),
                }
            } else {
                (a, Some(true))
            };
            match name {
                "linguist-vendored" => attrs.push(Attr::Vendored(value)),
                "linguist-generated" => attrs.push(Attr::Generated(value)),
                _ => {}
            }
        }
        if attrs.is_empty() {
            continue;
        }
        // A trailing slash matches directories only, and attributes do not apply to them.
        if pattern.ends_with('/') {
            continue;
        }
        let anchored = pattern.trim_start_matches('/');
        let basename_only = !pattern.contains('/');
        let Ok(glob) = GlobBuilder::new(anchored).literal_separator(true).build() else {
            continue;
        };
        rules.push(AttrRule {
            matcher: glob.compile_matcher(),
            basename_only,
            attrs,
        });
    }
    AttrFile {
        dir: rel_dir.to_string(),
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(classify_name("jquery.min.js"), Some(Kind::Minified));
        assert_eq!(classify_name("app.js.map"), Some(Kind::SourceMap));
        assert_eq!(classify_name("package-lock.json"), Some(Kind::Lockfile));
        assert_eq!(classify_name("service_pb2.py"), Some(Kind::ProtobufStub));
        assert_eq!(
            classify_name("service_grpc_pb.js"),
            Some(Kind::ProtobufStub)
        );
        assert_eq!(classify_name("app.js"), None);
        assert_eq!(classify_name("minimal.js"), None);
    }

    #[test]
    fn content() {
        assert_eq!(
            classify_content(
                "# Generated by the protocol buffer compiler.  DO NOT EDIT!\nimport x\n"
            ),
            Some(Kind::Generated)
        );
        assert_eq!(
            classify_content("// Code generated by tool. DO NOT EDIT.\n"),
            Some(Kind::Generated)
        );
        // "generated" in code or a docstring is not a header
        assert_eq!(
            classify_content("def f():\n    \"\"\"Return the generated id. Do not edit.\"\"\"\n"),
            None
        );
        let min = format!("var a=1;{}\n", "function(e){return e+1};".repeat(60));
        assert_eq!(classify_content(&min), Some(Kind::Minified));
        // a readable file with one long string line is not minified
        let mut readable = String::new();
        for i in 0..200 {
            readable.push_str(&format!("const value{i} = compute(input, {i});\n"));
        }
        readable.push_str(&format!(
            "const svg = \"{}\";\n",
            "M 10 10 L 20 20 ".repeat(40)
        ));
        assert_eq!(classify_content(&readable), None);
        // inline source maps do not make compiled output minified
        let compiled = format!(
            "export const a = 1;\n//# sourceMappingURL=data:application/json;base64,{}\n",
            "A".repeat(5000)
        );
        assert_eq!(classify_content(&compiled), None);
        assert_eq!(
            classify_content("var x = 1;\n  // node_modules/ws/index.js\nvar ws = 2;\n"),
            Some(Kind::Bundle)
        );
        assert_eq!(
            classify_content("// see node_modules/ws for details\nvar ws = 2;\n"),
            None
        );
    }

    #[test]
    fn gitattributes() {
        let a = Attributes::default();
        if let Ok(mut f) = a.files.write() {
            f.push(parse_gitattributes(
                "# comment\nassets/js/** linguist-vendored\n*.gen.ts linguist-generated=true\nvendor/** -linguist-vendored\n",
                "",
            ));
            f.push(parse_gitattributes(
                "keep.gen.ts linguist-generated=false\n",
                "web",
            ));
        }
        assert_eq!(a.lookup("assets/js/lib.js").vendored, Some(true));
        assert_eq!(a.lookup("src/assets/js/lib.js").vendored, None);
        assert_eq!(a.lookup("web/api.gen.ts").generated, Some(true));
        assert_eq!(a.lookup("web/keep.gen.ts").generated, Some(false));
        assert_eq!(a.lookup("vendor/x/y.js").vendored, Some(false));
        assert!(a.lookup("vendor/x/y.js").overrides(Kind::Vendored));
        assert!(!a.lookup("vendor/x/y.js").overrides(Kind::Minified));
        assert_eq!(a.lookup("web/keep.gen.ts").marks(), None);
        assert_eq!(a.lookup("assets/js/lib.js").marks(), Some(Kind::Vendored));
    }
}
