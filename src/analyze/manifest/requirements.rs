//! pip requirements files: one requirement per line, `#` comments, `\` continuations, options
//! (`-r`/`--requirement` and `-c` includes, `-e` editables, index options), PEP 508 names with
//! extras, versions, URLs and environment markers. A file whose name says dev/test/lint/docs
//! declares dev-only dependencies.
//!
//! `-r other.txt` is followed (relative to the including file) only when the walker would not
//! read `other.txt` by itself — a file named like a requirements file is read on its own, so
//! following it too would count it twice. Followed includes stay inside the scanned tree, are
//! depth-limited, and a cycle or a missing file is reported as a problem, never fatal. They are
//! decoded as pip decodes them (a byte-order mark or a coding line; else lossy UTF-8).
//!
//! Output of `pip-compile` / `uv pip compile` pins every transitive dependency; when a file
//! says it was compiled, only the requirements annotated `# via -r ...` (the direct ones) count.
use super::{
    is_dev_name, is_requirements_name, pep508, Dep, DepKind, Ecosystem, Location, Parsed, Problem,
};
use crate::analyze::decode::{decode, Reader};
use std::io::Read;
use std::path::{Path, PathBuf};

const MAX_INCLUDE_DEPTH: usize = 8;
const MAX_INCLUDE_BYTES: u64 = 1 << 20;

/// One logical line: its text (continuations joined) and the line it starts on.
fn logical_lines(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0u32;
    for (i, raw) in text.lines().enumerate() {
        if cur.is_empty() {
            start = i as u32 + 1;
        }
        if let Some(body) = raw.strip_suffix('\\') {
            cur.push_str(body);
            cur.push(' ');
            continue;
        }
        cur.push_str(raw);
        out.push((std::mem::take(&mut cur), start));
    }
    if !cur.is_empty() {
        out.push((cur, start));
    }
    out
}

/// Strips a comment: `#` at the start or after whitespace (a URL fragment `#egg=` stays).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

#[derive(Debug, PartialEq)]
enum Entry {
    Req(String),
    Include(String),
}

/// Parses one file's text into entries with lines; compiled-output filtering happens here.
fn entries(text: &str) -> Vec<(Entry, u32)> {
    let compiled = text
        .lines()
        .take(10)
        .any(|l| l.starts_with('#') && (l.contains("pip-compile") || l.contains("uv pip compile")));
    let mut out: Vec<(Entry, u32, bool)> = Vec::new();
    let mut in_via = false;
    for (line, n) in logical_lines(text) {
        let trimmed = line.trim();
        if compiled && trimmed.starts_with('#') {
            let c = trimmed.trim_start_matches('#').trim();
            if c.starts_with("via") {
                in_via = true;
            }
            if in_via && (c.contains("-r ") || c.contains("-r\t")) {
                if let Some(last) = out.last_mut() {
                    last.2 = true;
                }
            }
            continue;
        }
        in_via = false;
        let body = strip_comment(&line).trim();
        if body.is_empty() {
            continue;
        }
        if let Some(opt) = body.strip_prefix('-') {
            let (flag, arg) = match opt.find(|c: char| c.is_whitespace() || c == '=') {
                Some(i) => (&opt[..i], opt[i + 1..].trim()),
                None => (opt, ""),
            };
            match flag {
                "r" | "-requirement" => out.push((Entry::Include(arg.to_string()), n, true)),
                "e" | "-editable" => {
                    if let Some(name) = pep508::name(arg) {
                        out.push((Entry::Req(name.to_string()), n, false));
                    }
                }
                // -c constraints pin versions without declaring anything; index options and
                // hashes say nothing about the workload.
                _ => {}
            }
            continue;
        }
        if let Some(name) = pep508::name(body) {
            out.push((Entry::Req(name.to_string()), n, false));
        }
    }
    out.into_iter()
        .filter(|(e, _, direct)| !compiled || *direct || matches!(e, Entry::Include(_)))
        .map(|(e, n, _)| (e, n))
        .collect()
}

/// Whether the walker reads `path` by itself (so an include must not read it again).
fn walked_on_its_own(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let rel_s = rel.to_string_lossy().replace('\\', "/");
    let hidden_or_pruned = rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') && s != "." && s != ".."
            || crate::classify::PRUNED_DIRS.contains(&s.as_ref())
    });
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    !hidden_or_pruned && is_requirements_name(&name, &rel_s)
}

struct IncludeWalk<'a> {
    root: PathBuf,
    loc: &'a Location<'a>,
    out: Parsed,
    stack: Vec<PathBuf>,
}

pub fn parse_file(text: &str, loc: &Location) -> Result<Parsed, String> {
    let root = loc
        .root
        .canonicalize()
        .unwrap_or_else(|_| loc.root.to_path_buf());
    let me = loc
        .fs_path
        .canonicalize()
        .unwrap_or_else(|_| loc.fs_path.to_path_buf());
    let mut ctx = IncludeWalk {
        root,
        loc,
        out: Parsed::default(),
        stack: vec![me.clone()],
    };
    let dev = is_dev_name(loc.rel.rsplit('/').next().unwrap_or(loc.rel));
    read_entries(&mut ctx, text, &me, None, dev);
    Ok(ctx.out)
}

fn rel_of(ctx: &IncludeWalk, p: &Path) -> String {
    p.strip_prefix(&ctx.root)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| p.to_string_lossy().into_owned())
}

/// `file`: None for the manifest itself, else the included file's relative path.
fn read_entries(ctx: &mut IncludeWalk, text: &str, me: &Path, file: Option<String>, dev: bool) {
    let kind = if dev { DepKind::Dev } else { DepKind::Runtime };
    let shown = file.clone().unwrap_or_else(|| ctx.loc.rel.to_string());
    for (entry, line) in entries(text) {
        match entry {
            Entry::Req(name) => ctx.out.deps.push(Dep {
                name,
                line,
                kind,
                eco: Ecosystem::PyPI,
                file: file.clone(),
            }),
            Entry::Include(target) => {
                let problem = |message: String| Problem {
                    path: shown.clone(),
                    line,
                    message,
                };
                if target.is_empty() {
                    ctx.out.problems.push(problem("`-r` without a file".into()));
                    continue;
                }
                let base = me.parent().unwrap_or(Path::new("."));
                let joined = base.join(&target);
                let Ok(path) = joined.canonicalize() else {
                    ctx.out
                        .problems
                        .push(problem(format!("`-r {target}`: no such file")));
                    continue;
                };
                if !path.starts_with(&ctx.root) {
                    ctx.out.problems.push(problem(format!(
                        "`-r {target}`: outside the scanned tree, not read"
                    )));
                    continue;
                }
                if walked_on_its_own(&ctx.root, &path) {
                    continue;
                }
                if ctx.stack.contains(&path) {
                    ctx.out.problems.push(problem(format!(
                        "`-r {target}`: cyclic include, not followed again"
                    )));
                    continue;
                }
                if ctx.stack.len() > MAX_INCLUDE_DEPTH {
                    ctx.out.problems.push(problem(format!(
                        "`-r {target}`: includes nested deeper than {MAX_INCLUDE_DEPTH}, not followed"
                    )));
                    continue;
                }
                let mut buf = Vec::new();
                let read = crate::analyze::open_regular(&path)
                    .and_then(|f| f.take(MAX_INCLUDE_BYTES).read_to_end(&mut buf));
                if let Err(e) = read {
                    ctx.out
                        .problems
                        .push(problem(format!("`-r {target}`: cannot be read: {e}")));
                    continue;
                }
                let inc_text = decode(&buf, Reader::Python).text;
                let inc_rel = rel_of(ctx, &path);
                let inc_dev = dev || is_dev_name(inc_rel.rsplit('/').next().unwrap_or(""));
                ctx.stack.push(path.clone());
                read_entries(ctx, &inc_text, &path, Some(inc_rel), inc_dev);
                ctx.stack.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_options() {
        let text = "# ML stack\nnumpy>=1.26  # arrays\ntorch==2.2 ; sys_platform == 'linux'\nscikit-learn[alldeps]\\\n  >=1.4\n-r base.in\n--requirement=other.in\n-c constraints.txt\n-e git+https://github.com/o/r.git#egg=fastapi\n--index-url https://example.com/simple\nhttps://example.com/pkg.whl\nmylib @ https://example.com/mylib.tar.gz\n";
        let got = entries(text);
        assert_eq!(
            got,
            vec![
                (Entry::Req("numpy".into()), 2),
                (Entry::Req("torch".into()), 3),
                (Entry::Req("scikit-learn".into()), 4),
                (Entry::Include("base.in".into()), 6),
                (Entry::Include("other.in".into()), 7),
                (Entry::Req("fastapi".into()), 9),
                (Entry::Req("mylib".into()), 12),
            ]
        );
    }

    #[test]
    fn compiled_output_keeps_direct_requirements() {
        let text = "#\n# This file is autogenerated by pip-compile with Python 3.11\n#\nnumpy==1.26.4\n    # via\n    #   -r requirements.in\n    #   pandas\npandas==2.2.0\n    # via -r requirements.in\npytz==2024.1\n    # via pandas\n";
        let got: Vec<_> = entries(text).into_iter().map(|(e, _)| e).collect();
        assert_eq!(
            got,
            vec![Entry::Req("numpy".into()), Entry::Req("pandas".into())]
        );
    }
}
