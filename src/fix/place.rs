//! Where an inline suppression goes in one file, and proof that it is valid there. Each edit is
//! tried on the text and re-parsed (incrementally, with tree-sitter): it is kept only if the
//! file has no more syntax errors than before and the new `stackfit:` marker sits in a comment
//! node of its own, so a comment can never land inside a string, a template literal, a block
//! comment or JSX text (where `//` would render), nor break a line continuation.
//!
//! For a diagnostic on line L, in order: extend the code list of a suppression that already
//! covers L (`ignore[SF220]` → `ignore[SF220, SF221]`); a trailing `# ...` / `// ...` comment
//! on L; in JSX, a trailing `{/* ... */}`; a comment alone on the line above L.
use crate::analyze::suppress::{parse_directive, MARKER};
use crate::lang::Lang;
use std::collections::{BTreeMap, BTreeSet};
use tree_sitter::{InputEdit, Parser, Point, Tree};

/// The outcome for one file.
#[derive(Debug, Default)]
pub struct Placed {
    /// The new text (unchanged when nothing was placed).
    pub text: String,
    /// Lines whose diagnostics are now suppressed.
    pub lines: usize,
    /// Codes written.
    pub codes: usize,
    /// Lines where no valid place was found.
    pub failed: Vec<u32>,
}

/// The file being edited, with its current tree.
struct Doc {
    parser: Parser,
    lang: Lang,
    text: String,
    tree: Tree,
    errors: usize,
}

/// Adds suppressions for `wanted` (line → codes) to `text`.
pub fn place(lang: Lang, text: &str, wanted: &BTreeMap<u32, BTreeSet<String>>) -> Placed {
    let mut parser = Parser::new();
    let tree = match parser.set_language(&lang.ts_language()) {
        Ok(()) => parser.parse(text, None),
        Err(_) => None,
    };
    let Some(tree) = tree else {
        return Placed {
            text: text.to_string(),
            failed: wanted.keys().copied().collect(),
            ..Placed::default()
        };
    };
    let errors = count_errors(&tree);
    let mut doc = Doc {
        parser,
        lang,
        text: text.to_string(),
        tree,
        errors,
    };
    let mut out = Placed::default();
    // Bottom up: a line inserted above L moves only lines already done.
    for (&line, codes) in wanted.iter().rev() {
        match doc.suppress_line(line, codes) {
            Some(0) => {}
            Some(n) => {
                out.lines += 1;
                out.codes += n;
            }
            None => out.failed.push(line),
        }
    }
    out.failed.reverse();
    out.text = doc.text;
    out
}

impl Doc {
    /// Suppresses `codes` on 1-based `line`: `Some(codes written)`, `None` when no place works.
    fn suppress_line(&mut self, line: u32, codes: &BTreeSet<String>) -> Option<usize> {
        let (start, end, eol) = line_span(&self.text, line)?;
        if let Some(n) = self.extend_existing(line, codes) {
            return Some(n);
        }
        let list = codes.iter().cloned().collect::<Vec<_>>().join(", ");
        let directive = format!("{MARKER} ignore[{list}]");
        let cut = start + self.text[start..end].trim_end().len();
        let line_comment = if self.lang == Lang::Python { "#" } else { "//" };
        let mut trailing = vec![format!("  {line_comment} {directive}")];
        if matches!(self.lang, Lang::JavaScript | Lang::Tsx) {
            trailing.push(format!("  {{/* {directive} */}}"));
        }
        for t in &trailing {
            let marker = cut + t.find(MARKER).unwrap_or(0);
            if self.try_edit(cut, end, t, marker, cut) {
                return Some(codes.len());
            }
        }
        let indent: String = self.text[start..end]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let above = format!("{indent}{line_comment} {directive}{eol}");
        let marker = start + indent.len() + line_comment.len() + 1;
        self.try_edit(start, start, &above, marker, start)
            .then_some(codes.len())
    }

    /// Adds the missing codes to a suppression that already covers `line`: `Some(codes added)`.
    fn extend_existing(&mut self, line: u32, codes: &BTreeSet<String>) -> Option<usize> {
        let from = line_span(&self.text, line.saturating_sub(1).max(1))?.0;
        let to = line_span(&self.text, line)?.1;
        let finder = memchr::memmem::Finder::new(MARKER);
        let hits: Vec<usize> = finder
            .find_iter(&self.text.as_bytes()[from..to])
            .map(|i| from + i)
            .collect();
        for at in hits {
            let root = self.tree.root_node();
            let Some(node) = root
                .descendant_for_byte_range(at, at + MARKER.len())
                .filter(|n| n.kind() == "comment")
            else {
                continue;
            };
            if target_line(&self.text, node.start_byte(), node.end_byte()) != line {
                continue;
            }
            let comment = &self.text[node.start_byte()..node.end_byte()];
            let Some(d) = parse_directive(comment).filter(|d| !d.file) else {
                continue;
            };
            let Some(have) = d.codes else {
                return Some(0); // a bare `ignore` covers every rule already
            };
            let missing: Vec<&str> = codes
                .iter()
                .filter(|c| !have.iter().any(|h| h.eq_ignore_ascii_case(c)))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                return Some(0);
            }
            let marker_in = comment.find(MARKER)?;
            let open = marker_in + comment[marker_in..].find('[')?;
            let close = open + comment[open..].find(']')?;
            let sep = if have.is_empty() { "" } else { ", " };
            let insert = format!("{sep}{}", missing.join(", "));
            let pos = node.start_byte() + close;
            let inside = comment[open + 1..close].trim_end().len();
            let pos_trim = node.start_byte() + open + 1 + inside;
            if self.try_edit(pos_trim, pos, &insert, at, node.start_byte()) {
                return Some(missing.len());
            }
        }
        None
    }

    /// Replaces `start..end` with `insert` if the result parses with no new error and the
    /// marker at `marker` (an offset in the new text) is in a comment that starts at or after
    /// `comment_from`, or in a line comment (`#`, `//`) it joins.
    fn try_edit(
        &mut self,
        start: usize,
        end: usize,
        insert: &str,
        marker: usize,
        comment_from: usize,
    ) -> bool {
        let mut new = String::with_capacity(self.text.len() + insert.len());
        new.push_str(&self.text[..start]);
        new.push_str(insert);
        new.push_str(&self.text[end..]);
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start + insert.len(),
            start_position: point(&self.text, start),
            old_end_position: point(&self.text, end),
            new_end_position: point(&new, start + insert.len()),
        };
        let mut old = self.tree.clone();
        old.edit(&edit);
        let Some(tree) = self.parser.parse(&new, Some(&old)) else {
            return false;
        };
        if count_errors(&tree) > self.errors {
            return false;
        }
        let ok = tree
            .root_node()
            .descendant_for_byte_range(marker, marker + MARKER.len())
            .filter(|n| n.kind() == "comment")
            .is_some_and(|n| {
                let text = &new[n.start_byte()..n.end_byte()];
                n.start_byte() >= comment_from || text.starts_with('#') || text.starts_with("//")
            });
        if ok {
            self.text = new;
            self.tree = tree;
        }
        ok
    }
}

/// The byte range of 1-based `line` without its line ending, and that ending ("\n" when the
/// file's last line has none).
fn line_span(text: &str, line: u32) -> Option<(usize, usize, &'static str)> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let nl = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if nl > start && text.as_bytes()[nl - 1] == b'\r' {
        return Some((start, nl - 1, "\r\n"));
    }
    Some((start, nl, "\n"))
}

/// The line a directive in `start..end` applies to, as `suppress` decides it: a comment alone
/// on its line covers the next line, any other its own.
fn target_line(text: &str, start: usize, end: usize) -> u32 {
    let line = text[..start].matches('\n').count() as u32 + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..start].trim().is_empty();
    let rest = &text[end..];
    let after = rest[..rest.find('\n').unwrap_or(rest.len())]
        .trim()
        .is_empty();
    if before && after {
        line + 1
    } else {
        line
    }
}

fn point(text: &str, at: usize) -> Point {
    let before = &text.as_bytes()[..at];
    let row = memchr::memchr_iter(b'\n', before).count();
    let col = at - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point::new(row, col)
}

/// ERROR and MISSING nodes in the tree.
fn count_errors(tree: &Tree) -> usize {
    if !tree.root_node().has_error() {
        return 0;
    }
    let mut c = tree.walk();
    let mut n = 0;
    loop {
        let node = c.node();
        if node.is_error() || node.is_missing() {
            n += 1;
        }
        if c.goto_first_child() {
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                break;
            }
            if !c.goto_parent() {
                return n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lang: Lang, text: &str, lines: &[(u32, &str)]) -> Placed {
        let mut wanted: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
        for (l, c) in lines {
            wanted.entry(*l).or_default().insert((*c).to_string());
        }
        place(lang, text, &wanted)
    }

    #[test]
    fn python_trailing_and_extended() {
        let p = run(
            Lang::Python,
            "import time\nasync def f():\n    time.sleep(1)\n    x()  # stackfit: ignore[SF220]\n",
            &[(3, "SF220"), (4, "SF242"), (4, "SF220")],
        );
        assert_eq!(
            p.text,
            "import time\nasync def f():\n    time.sleep(1)  # stackfit: ignore[SF220]\n    x()  # stackfit: ignore[SF220, SF242]\n"
        );
        assert_eq!((p.lines, p.codes), (2, 2));
        assert!(p.failed.is_empty());
    }

    #[test]
    fn a_standalone_directive_above_is_extended() {
        let p = run(
            Lang::JavaScript,
            "// stackfit: ignore[SF221]\nfs.readFileSync(p);\n",
            &[(2, "SF241")],
        );
        assert_eq!(
            p.text,
            "// stackfit: ignore[SF221, SF241]\nfs.readFileSync(p);\n"
        );
    }

    #[test]
    fn never_inside_a_string_or_after_a_continuation() {
        let src = "async def f():\n    x = g(\"\"\"a\n    b\"\"\")\n    y = 1 + \\\n        2\n";
        let p = run(Lang::Python, src, &[(2, "SF220"), (4, "SF220")]);
        assert_eq!(
            p.text,
            "async def f():\n    # stackfit: ignore[SF220]\n    x = g(\"\"\"a\n    b\"\"\")\n    # stackfit: ignore[SF220]\n    y = 1 + \\\n        2\n"
        );
        let js = "const a = `x\n${f()}`;\n";
        let p = run(Lang::JavaScript, js, &[(1, "SF241")]);
        assert_eq!(
            p.text,
            "// stackfit: ignore[SF241]\nconst a = `x\n${f()}`;\n"
        );
    }

    #[test]
    fn jsx_text_gets_a_block_comment_in_braces() {
        let src = "const v = (\n  <ul>\n    <li>{fs.readFileSync(p)}</li>\n  </ul>\n);\n";
        let p = run(Lang::Tsx, src, &[(3, "SF221")]);
        assert_eq!(
            p.text,
            "const v = (\n  <ul>\n    <li>{fs.readFileSync(p)}</li>  {/* stackfit: ignore[SF221] */}\n  </ul>\n);\n"
        );
    }

    #[test]
    fn crlf_and_idempotent_codes() {
        let p = run(
            Lang::Python,
            "a()\r\nb()  # stackfit: ignore[SF220]\r\n",
            &[(1, "SF220"), (2, "SF220")],
        );
        assert_eq!(
            p.text,
            "a()  # stackfit: ignore[SF220]\r\nb()  # stackfit: ignore[SF220]\r\n"
        );
        assert_eq!((p.lines, p.codes), (1, 1));
    }
}
