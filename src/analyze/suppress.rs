//! Inline suppressions: `# stackfit: ignore[SF220]` / `// stackfit: ignore[SF221, SF241]` on a
//! diagnostic's line (a trailing comment) or alone on the line above it, a bare
//! `# stackfit: ignore` for every rule on that line, and `# stackfit: ignore-file[SF210]` (or a
//! bare `ignore-file`) anywhere in the file for the whole file. A block comment followed by code
//! on its line (`/* stackfit: ignore[SF221] */ fs.readFileSync(p)`) covers that line. A
//! suppression that names a code no rule has is itself reported (SF002), and so is one that
//! silences nothing (SF003, like ruff's RUF100): a typo or a stale comment cannot hide anything.
//!
//! Comments come from the tree the scanner already parsed: a substring search for `stackfit:`
//! (memchr-speed, and most files have none) finds the candidates, and only the node at each hit
//! is looked at, so a `stackfit:` inside a string is not a suppression and no file is parsed or
//! regex-scanned twice.
use crate::finding::{make_finding, Finding};
use crate::rules::{RuleKind, Ruleset};
use crate::semantic::resolve::SemanticModel;
use std::sync::Arc;

/// What every suppression comment holds (also what `fix` looks for when it extends one).
pub const MARKER: &str = "stackfit:";

/// Which rules a suppression covers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Codes {
    All,
    Some(Vec<String>),
}

impl Codes {
    fn covers(&self, code: &str) -> bool {
        match self {
            Codes::All => true,
            Codes::Some(v) => v.iter().any(|c| c.eq_ignore_ascii_case(code)),
        }
    }
}

/// One parsed directive: whether it is file-wide, and its codes (`None`: every rule).
#[derive(Debug, PartialEq, Eq)]
pub struct Directive<'a> {
    pub file: bool,
    pub codes: Option<Vec<&'a str>>,
}

/// Parses the text of a comment holding `stackfit: ignore...`.
pub fn parse_directive(comment: &str) -> Option<Directive<'_>> {
    let at = comment.find(MARKER)?;
    let rest = comment[at + MARKER.len()..].trim_start();
    let (file, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("ignore") {
        (false, r)
    } else {
        return None;
    };
    // `ignore` must end there or open a code list: `ignored` is not a directive.
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    let rest = rest.trim_start();
    if let Some(list) = rest.strip_prefix('[') {
        let end = list.find(']').unwrap_or(list.len());
        let codes: Vec<&str> = list[..end]
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        return Some(Directive {
            file,
            codes: Some(codes),
        });
    }
    Some(Directive { file, codes: None })
}

/// One suppression comment as read: where it applies (`None`: the whole file), what it covers,
/// and which of its codes silenced something.
struct Record<'t> {
    node: tree_sitter::Node<'t>,
    target: Option<u32>,
    codes: Codes,
    used: Vec<bool>,
}

impl Record<'_> {
    fn covers(&self, code: &str, line: u32) -> bool {
        self.target.map_or(true, |t| t == line) && self.codes.covers(code)
    }

    /// Marks the codes that silence `code`.
    fn mark(&mut self, code: &str) {
        match &self.codes {
            Codes::All => self.used[0] = true,
            Codes::Some(list) => {
                for (i, c) in list.iter().enumerate() {
                    if c.eq_ignore_ascii_case(code) {
                        self.used[i] = true;
                    }
                }
            }
        }
    }
}

/// The line a line directive applies to: a comment alone on its line covers the next line; a
/// trailing one, or a block comment with code after it on the same line, its own line.
fn target_line(fx: &SemanticModel, node: tree_sitter::Node) -> u32 {
    let line = node.start_position().row as u32 + 1;
    let line_start = node.start_byte() - node.start_position().column;
    let before = fx
        .src
        .get(line_start..node.start_byte())
        .is_some_and(|b| b.iter().all(u8::is_ascii_whitespace));
    let rest = fx.src.get(node.end_byte()..).unwrap_or(&[]);
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let after = rest[..end].iter().all(u8::is_ascii_whitespace);
    if before && after {
        line + 1
    } else {
        line
    }
}

/// Every suppression comment of the file, with the unknown codes they name.
fn read_records<'t>(
    rs: &Ruleset,
    fx: &SemanticModel<'t>,
) -> (Vec<Record<'t>>, Vec<(tree_sitter::Node<'t>, String)>) {
    let finder = memchr::memmem::Finder::new(MARKER);
    let mut records = Vec::new();
    let mut unknown = Vec::new();
    let mut seen = Vec::new();
    for at in finder.find_iter(fx.src) {
        let Some(node) = fx
            .root
            .descendant_for_byte_range(at, at + MARKER.len())
            .filter(|n| n.kind() == "comment")
        else {
            continue;
        };
        if seen.contains(&node.id()) {
            continue;
        }
        seen.push(node.id());
        let Some(d) = parse_directive(fx.text(node)) else {
            continue;
        };
        let codes = match d.codes {
            None => Codes::All,
            Some(list) => {
                let mut known = Vec::new();
                for c in list {
                    if rs.rule_index(c).is_some() {
                        known.push(c.to_string());
                    } else {
                        unknown.push((node, c.to_string()));
                    }
                }
                Codes::Some(known)
            }
        };
        let n = match &codes {
            Codes::All => 1,
            Codes::Some(v) => v.len(),
        };
        let target = (!d.file).then(|| target_line(fx, node));
        records.push(Record {
            node,
            target,
            codes,
            used: vec![false; n],
        });
    }
    (records, unknown)
}

/// Reads the file's suppression comments, marks the findings they cover as suppressed, adds
/// an SF002 finding for every code a suppression names that no rule has, and an SF003 finding
/// for every suppression (or code of one) that silenced nothing.
pub fn apply(rs: &Ruleset, fx: &SemanticModel, path: &Arc<str>, out: &mut Vec<Finding>) {
    if memchr::memmem::find(fx.src, MARKER.as_bytes()).is_none() {
        return;
    }
    let (mut records, unknown) = read_records(rs, fx);
    for f in out.iter_mut() {
        let code = &rs.rules[f.rule].code;
        for r in records.iter_mut().filter(|r| r.covers(code, f.line)) {
            r.mark(code);
            f.suppressed = true;
        }
    }
    // Signal evidence that is suppressed simply does not count; only diagnostics are tallied.
    out.retain(|f| !(f.suppressed && rs.rules[f.rule].kind == RuleKind::Signal));
    let covered =
        |records: &[Record], code: &str, line: u32| records.iter().any(|r| r.covers(code, line));
    if let Some(sf002) = rs.rule_index("SF002") {
        let rule = &rs.rules[sf002];
        for (node, code) in unknown {
            let message = rule.message.replace("{text}", &code);
            let mut f = make_finding(sf002, path, node, fx, message, 0.0, None);
            f.suppressed = covered(&records, &rule.code, f.line);
            out.push(f);
        }
    }
    if let Some(sf003) = rs.rule_index("SF003") {
        let rule = &rs.rules[sf003];
        for r in &records {
            let verb = if r.target.is_some() {
                "ignore"
            } else {
                "ignore-file"
            };
            let unused: Vec<String> = match &r.codes {
                Codes::All if !r.used[0] => vec![verb.to_string()],
                Codes::All => Vec::new(),
                Codes::Some(list) => list
                    .iter()
                    .zip(&r.used)
                    .filter(|(c, used)| !**used && !c.eq_ignore_ascii_case(&rule.code))
                    .map(|(c, _)| format!("{verb}[{c}]"))
                    .collect(),
            };
            for text in unused {
                let message = rule.message.replace("{text}", &text);
                let mut f = make_finding(sf003, path, r.node, fx, message, 0.0, None);
                f.suppressed = covered(&records, &rule.code, f.line);
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(
            parse_directive("# stackfit: ignore[SF220, SF221]"),
            Some(Directive {
                file: false,
                codes: Some(vec!["SF220", "SF221"])
            })
        );
        assert_eq!(
            parse_directive("// stackfit: ignore"),
            Some(Directive {
                file: false,
                codes: None
            })
        );
        assert_eq!(
            parse_directive("# stackfit:ignore-file[SF210]"),
            Some(Directive {
                file: true,
                codes: Some(vec!["SF210"])
            })
        );
        assert_eq!(
            parse_directive("/* stackfit: ignore-file */"),
            Some(Directive {
                file: true,
                codes: None
            })
        );
        assert_eq!(parse_directive("# stackfit: ignored by design"), None);
        assert_eq!(parse_directive("# stackfit: enable"), None);
        assert_eq!(parse_directive("# nothing here"), None);
    }

    #[test]
    fn codes_cover_case_insensitively() {
        let c = Codes::Some(vec!["SF220".into(), "SF221".into()]);
        assert!(c.covers("sf221") && c.covers("SF220") && !c.covers("SF210"));
        assert!(Codes::All.covers("SF999"));
    }
}
