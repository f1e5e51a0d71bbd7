#!/usr/bin/env python3
"""Instruments a COPY of stackfit's src/analyze/source.rs for bench/profile.sh (never the worktree's).

With the patch, the env var STACKFIT_PROF picks how far `SourceAnalyzer::findings` goes per file:
  read    stop before parsing (walk + read + UTF-8 check + line count only)
  parse   parse, then stop
  walk    parse, then visit every node once with a TreeCursor and look its kind_id up in a
          table of the patterns' root kinds (the cost floor of a kind_id visitor)
  visitq  the same as walk since the kind_id matcher replaced the query cursor (kept so the
          mode list of bench/profile.sh still runs; the full run IS the kind_id matcher now)
  timing  the normal analysis, printing per file: path, bytes, parse ns, query ns (stderr)
  (unset) the normal analysis
Usage: profile_patch.py COPY_OF_REPO
"""
import sys
from pathlib import Path

p = Path(sys.argv[1]) / "src" / "analyze" / "source.rs"
s = p.read_text()


def sub(old, new):
    global s
    if s.count(old) != 1:
        sys.exit(f"profile_patch: anchor not found exactly once in analyze/source.rs: {old[:60]!r}")
    s = s.replace(old, new)


sub(
    """        let compiled = match rs.try_compiled(lang) {""",
    """        let mode = prof_mode();
        if mode == "read" {
            return Ok(Vec::new());
        }
        let compiled = match rs.try_compiled(lang) {""",
)
sub(
    """        let tree = self.parse(lang, src)?;""",
    """        let t0 = Instant::now();
        let tree = self.parse(lang, src)?;""",
)
sub(
    """        let mut folded = Folded::default();""",
    """        let parse_ns = t0.elapsed().as_nanos();
        if mode == "parse" {
            return Ok(Vec::new());
        }
        if mode == "walk" || mode == "visitq" {
            let language = lang.ts_language();
            let mut table = vec![false; language.node_kind_count() + 1];
            for k in prof_root_kinds(lang) {
                let id = language.id_for_node_kind(k, true) as usize;
                if id != 0 && id < table.len() {
                    table[id] = true;
                }
            }
            let mut c = tree.walk();
            let (mut hits, mut n) = (0usize, 0usize);
            loop {
                let node = c.node();
                n += 1;
                if table.get(node.kind_id() as usize).copied().unwrap_or(false) {
                    hits += 1;
                }
                if c.goto_first_child() {
                    continue;
                }
                loop {
                    if c.goto_next_sibling() {
                        break;
                    }
                    if !c.goto_parent() {
                        std::hint::black_box((hits, n));
                        return Ok(Vec::new());
                    }
                }
            }
        }
        let mut folded = Folded::default();""",
)
sub(
    """        out.sort_by_key(|f| (f.line, f.column, f.rule));
        Ok(out)""",
    """        out.sort_by_key(|f| (f.line, f.column, f.rule));
        if mode == "timing" {
            let total = t0.elapsed().as_nanos();
            eprintln!("T\\t{}\\t{}\\t{}\\t{}", path, src.len(), parse_ns, total - parse_ns);
        }
        Ok(out)""",
)
s += '''
fn prof_mode() -> &'static str {
    static M: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    M.get_or_init(|| std::env::var("STACKFIT_PROF").unwrap_or_default())
}

/// Root node kinds of the patterns under queries/ (by hand, for the visitor experiment).
fn prof_root_kinds(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Python => &[
            "import_statement", "import_from_statement", "call", "await", "decorator",
            "class_definition", "function_definition", "if_statement", "module",
        ],
        _ => &[
            "import_statement", "export_statement", "call_expression", "await_expression",
            "class_heritage", "new_expression", "string_fragment", "jsx_element",
            "jsx_self_closing_element", "function_declaration", "method_definition",
            "variable_declarator", "member_expression", "import_require_clause",
        ],
    }
}
'''
p.write_text(s)
