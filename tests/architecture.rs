//! The shape of the crate, enforced by `cargo test`: the top-level modules depend on each other
//! without a cycle, and no file's non-test part is over 600 lines.
//! `cargo test --test architecture -- --nocapture` prints the dependency list.
//!
//! A file belongs to its top-level module: `src/X.rs` and everything under `src/X/` is `X`
//! (`src/main.rs` and `src/lib.rs` belong to none). A file depends on `Y` when its code, outside
//! comments, strings and `#[cfg(test)]` modules, names `crate::Y` (also inside a
//! `use crate::{Y, ...}` group) or climbs to the crate root with `super::` and names `Y`.
mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Most lines the non-test part of a source file may have.
const MAX_LINES: usize = 600;

/// Files allowed over [`MAX_LINES`] for now, as paths from the crate root.
const OVERSIZED: &[&str] = &[];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// (top-level module, depth of the file's module path) of a file under `src`, or `None` for
/// the crate roots.
fn file_module(src: &Path, path: &Path) -> Option<(String, usize)> {
    let rel: Vec<String> = path
        .strip_prefix(src)
        .ok()?
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match rel.as_slice() {
        [one] if one == "main.rs" || one == "lib.rs" => None,
        [one] => Some((one.trim_end_matches(".rs").to_string(), 1)),
        [top, .., last] => Some((top.clone(), rel.len() - usize::from(last == "mod.rs"))),
        [] => None,
    }
}

/// Pushes `s` with every character but newlines turned into a space.
fn push_blank(out: &mut String, s: &[char]) {
    out.extend(s.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }));
}

/// The end (exclusive) of the raw string `r#"..."#` (or `br"..."`) at `i`, if one starts there.
fn raw_string_end(t: &[char], i: usize) -> Option<usize> {
    if i > 0 && (t[i - 1].is_alphanumeric() || t[i - 1] == '_') {
        return None;
    }
    let mut j = i + usize::from(t.get(i) == Some(&'b'));
    if t.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = t[j..].iter().take_while(|&&c| c == '#').count();
    j += hashes;
    if t.get(j) != Some(&'"') {
        return None;
    }
    let mut k = j + 1;
    while k < t.len() {
        if t[k] == '"'
            && t[k + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some((k + 1 + hashes).min(t.len()));
        }
        k += 1;
    }
    Some(t.len())
}

/// The end (exclusive) of the comment, string or char literal at `i`, if one starts there.
fn literal_end(t: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| t.get(k).copied();
    match (t[i], at(i + 1)) {
        ('/', Some('/')) => Some(
            t[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(t.len(), |p| i + p),
        ),
        ('/', Some('*')) => {
            let (mut depth, mut j) = (1, i + 2);
            while j < t.len() && depth > 0 {
                match (t[j], at(j + 1)) {
                    ('/', Some('*')) => (depth, j) = (depth + 1, j + 2),
                    ('*', Some('/')) => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
            }
            Some(j.min(t.len()))
        }
        ('b' | 'r', _) => raw_string_end(t, i),
        ('"', _) => {
            let mut j = i + 1;
            while j < t.len() && t[j] != '"' {
                j += if t[j] == '\\' { 2 } else { 1 };
            }
            Some((j + 1).min(t.len()))
        }
        // A char literal; a lifetime (`'a`) is code.
        ('\'', Some('\\')) => Some(
            t.get(i + 3..)
                .and_then(|rest| rest.iter().position(|&c| c == '\''))
                .map_or(t.len(), |p| i + 4 + p),
        ),
        ('\'', _) if at(i + 2) == Some('\'') => Some(i + 3),
        _ => None,
    }
}

/// The text with comments, string and char literals blanked (newlines kept).
fn strip_code(text: &str) -> String {
    let t: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < t.len() {
        match literal_end(&t, i) {
            Some(end) => {
                push_blank(&mut out, &t[i..end]);
                i = end;
            }
            None => {
                out.push(t[i]);
                i += 1;
            }
        }
    }
    out
}

/// The index just past the `}` closing the `{` at `open`.
fn matching_brace(t: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, &c) in t.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    t.len()
}

/// `ident` at `i`, if one starts there (and not inside a longer word).
fn ident_at(t: &[char], i: usize) -> Option<String> {
    let word = |c: &char| c.is_alphanumeric() || *c == '_';
    if i > 0 && word(&t[i - 1]) || !t.get(i).is_some_and(|c| c.is_alphabetic() || *c == '_') {
        return None;
    }
    Some(t[i..].iter().take_while(|c| word(c)).collect())
}

/// The index after the whitespace from `i`.
fn skip_space(t: &[char], i: usize) -> usize {
    i + t[i.min(t.len())..]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count()
}

/// The index after `::` (with optional whitespace) at `i`, if there is one.
fn after_path_sep(t: &[char], i: usize) -> Option<usize> {
    let i = skip_space(t, i);
    (t.get(i) == Some(&':') && t.get(i + 1) == Some(&':')).then(|| skip_space(t, i + 2))
}

/// The code without its `#[cfg(test)] mod name { ... }` blocks (blanked, newlines kept).
fn drop_test_modules(code: &str) -> String {
    let mut t: Vec<char> = code.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= t.len() {
        if t[i..i + marker.len()] != marker[..] {
            i += 1;
            continue;
        }
        // Other attributes, `pub`/`pub(crate)`, then `mod name {`.
        let mut j = skip_space(&t, i + marker.len());
        while t.get(j) == Some(&'#') {
            j = skip_space(
                &t,
                j + t[j..].iter().position(|&c| c == ']').map_or(0, |p| p + 1),
            );
        }
        if ident_at(&t, j).as_deref() == Some("pub") {
            j = skip_space(&t, j + 3);
            if t.get(j) == Some(&'(') {
                j = skip_space(
                    &t,
                    j + t[j..].iter().position(|&c| c == ')').map_or(0, |p| p + 1),
                );
            }
        }
        if ident_at(&t, j).as_deref() == Some("mod") {
            j = skip_space(&t, j + 3);
            if let Some(name) = ident_at(&t, j) {
                j = skip_space(&t, j + name.len());
                if t.get(j) == Some(&'{') {
                    let end = matching_brace(&t, j);
                    for c in &mut t[i..end] {
                        if *c != '\n' {
                            *c = ' ';
                        }
                    }
                    i = end;
                    continue;
                }
            }
        }
        i += marker.len();
    }
    t.into_iter().collect()
}

/// The first segment after a path separator ending at `i`: one name, or each member of a
/// `{...}` group.
fn first_segments(t: &[char], i: usize) -> Vec<String> {
    if t.get(i) != Some(&'{') {
        return ident_at(t, i).into_iter().collect();
    }
    let end = matching_brace(t, i);
    let (mut depth, mut names, mut start) = (0i32, Vec::new(), i + 1);
    for k in i + 1..end {
        match t[k] {
            '{' | '(' | '<' => depth += 1,
            '}' | ')' | '>' if k + 1 < end => depth -= 1,
            ',' | '}' if depth == 0 => {
                names.extend(ident_at(t, skip_space(t, start)));
                start = k + 1;
            }
            _ => {}
        }
    }
    names
}

/// The top-level module names `code` (already stripped) refers to: `crate::X`, and
/// `super::...::X` that climbs `depth` levels, to the crate root.
fn references(code: &str, depth: usize) -> Vec<String> {
    let t: Vec<char> = code.chars().collect();
    let mut names = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let Some(word) = ident_at(&t, i) else {
            i += 1;
            continue;
        };
        let mut next = i + word.len();
        let preceded_by_path = || t[..i].iter().rev().find(|c| !c.is_whitespace()) == Some(&':');
        if word == "crate" {
            if let Some(j) = after_path_sep(&t, next) {
                names.extend(first_segments(&t, j));
            }
        } else if word == "super" && !preceded_by_path() {
            let mut climbs = 0;
            let mut j = i;
            while ident_at(&t, j).as_deref() == Some("super") {
                match after_path_sep(&t, j + 5) {
                    Some(k) => (climbs, j) = (climbs + 1, k),
                    None => break,
                }
            }
            if climbs == depth {
                names.extend(first_segments(&t, j));
            }
            next = next.max(j);
        }
        i = next;
    }
    names
}

/// The dependency graph between the top-level modules of the crate under `src`.
fn module_graph(src: &Path) -> Graph {
    let files: Vec<(PathBuf, String, usize)> = rust_files(src)
        .into_iter()
        .filter_map(|f| file_module(src, &f).map(|(m, d)| (f, m, d)))
        .collect();
    let mut graph: Graph = files
        .iter()
        .map(|(_, m, _)| (m.clone(), BTreeSet::new()))
        .collect();
    for (file, module, depth) in &files {
        let code = drop_test_modules(&strip_code(&read(file)));
        for name in references(&code, *depth) {
            if graph.contains_key(&name) && name != *module {
                graph.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    graph
}

/// One cycle of the graph, first module repeated last, if there is any (depth-first search).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(graph, dep, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}

/// The lines of the file's non-test part: those before its first top-level `#[cfg(test)]`
/// module (a `#[cfg(test)]` helper function in the middle of the code does not end it).
fn non_test_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let opens_test_module = |i: usize| {
        let rest = lines[i + 1..].iter().find(|l| !l.starts_with("#["));
        rest.is_some_and(|l| {
            let l = l
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            l.starts_with("mod ")
        })
    };
    (0..lines.len())
        .find(|&i| lines[i].starts_with("#[cfg(test)]") && opens_test_module(i))
        .unwrap_or(lines.len())
}

#[test]
fn top_level_modules_have_no_dependency_cycle() {
    let graph = module_graph(&repo().join("src"));
    assert!(graph.len() >= 10, "too few modules found: {graph:?}");
    let edges: Vec<String> = graph
        .iter()
        .map(|(m, deps)| {
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            format!(
                "{m} -> {}",
                if deps.is_empty() {
                    "(none)".to_string()
                } else {
                    deps.join(", ")
                }
            )
        })
        .collect();
    println!("{}", edges.join("\n"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}\n{}", cycle.join(" -> "), edges.join("\n"));
    }
}

#[test]
fn no_source_file_is_over_600_lines_outside_its_tests() {
    let root = repo();
    let mut over = Vec::new();
    for file in rust_files(&root.join("src")) {
        let rel = file
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| file.display().to_string());
        let n = non_test_lines(&read(&file));
        let allowed = OVERSIZED.contains(&rel.as_str());
        if n > MAX_LINES && !allowed {
            over.push(format!("{rel}: {n} lines"));
        }
        if n <= MAX_LINES && allowed {
            over.push(format!(
                "{rel}: {n} lines, no longer over: remove it from OVERSIZED"
            ));
        }
    }
    assert!(
        over.is_empty(),
        "non-test part over {MAX_LINES} lines (or a stale OVERSIZED entry):\n{}",
        over.join("\n")
    );
}

/// The checks on made-up code: they see references where they are, not in comments, strings or
/// test modules, and they find a cycle when there is one.
#[test]
fn the_checks_see_what_they_should() {
    let code = r##"
        use crate::{lang::Lang, rules::{self, Rule}, finding};
        use crate::
            walk::Walk;
        // crate::scan in a comment
        /* crate::report /* nested */ crate::score */
        const S: &str = "crate::lint";
        const R: &str = r#"crate::config "quoted""#;
        const C: char = '"';
        const Q: char = '\'';
        const T: &str = "crate::lint";
        fn f<'a>(x: &'a str) -> usize { super::super::classify::f(x) + self::super::analyze::g() }
        #[cfg(test)]
        fn only_in_tests() { crate::semantic::h() }
        #[cfg(test)]
        mod tests { use crate::score; }
    "##;
    let names: BTreeSet<String> = references(&drop_test_modules(&strip_code(code)), 2)
        .into_iter()
        .collect();
    let want = ["classify", "finding", "lang", "rules", "semantic", "walk"];
    assert_eq!(names, want.iter().map(|s| s.to_string()).collect());
    assert!(
        references("super::lang::X", 2).is_empty(),
        "one level up is not the root"
    );

    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])),
        None
    );
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "b")])),
        Some(vec!["b".to_string(), "c".to_string(), "b".to_string()])
    );

    let text = "fn a() {}\n#[cfg(test)]\nfn helper() {}\nfn b() {}\n\
                #[cfg(test)]\n#[allow(x)]\nmod tests {\n}\n";
    assert_eq!(non_test_lines(text), 4);
}
