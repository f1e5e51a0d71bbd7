//! Inline suppressions: `# stackfit: ignore[SF220]` / `// stackfit: ignore[SF221, SF241]` on a
//! diagnostic's line (a trailing comment) or alone on the line above it, a bare
//! `# stackfit: ignore` for every rule on that line, and `# stackfit: ignore-file[SF210]` (or a
//! bare `ignore-file`) anywhere in the file for the whole file. A suppression that names a code
//! no rule has is itself reported (SF002), so a typo cannot silently hide nothing.
//!
//! Comments come from the tree the scanner already parsed: a substring search for `stackfit:`
//! (memchr-speed, and most files have none) finds the candidates, and only the node at each hit
//! is looked at, so a `stackfit:` inside a string is not a suppression and no file is parsed or
//! regex-scanned twice.
use crate::finding::{make_finding, Finding};
use crate::rules::{RuleKind, Ruleset};
use crate::semantic::resolve::SemanticModel;
use std::collections::HashMap;
use std::sync::Arc;

const MARKER: &str = "stackfit:";

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
    fn merge(&mut self, other: Codes) {
        match (&mut *self, other) {
            (Codes::All, _) => {}
            (_, Codes::All) => *self = Codes::All,
            (Codes::Some(a), Codes::Some(b)) => a.extend(b),
        }
    }
}

#[derive(Debug, Default)]
pub struct Suppressions {
    /// 1-based line -> codes silenced on it.
    lines: HashMap<u32, Codes>,
    file: Option<Codes>,
}

impl Suppressions {
    pub fn covers(&self, code: &str, line: u32) -> bool {
        self.file.as_ref().is_some_and(|c| c.covers(code))
            || self.lines.get(&line).is_some_and(|c| c.covers(code))
    }
}

/// One parsed directive: whether it is file-wide, and its codes (`None`: every rule).
#[derive(Debug, PartialEq, Eq)]
struct Directive<'a> {
    file: bool,
    codes: Option<Vec<&'a str>>,
}

/// Parses the text of a comment holding `stackfit: ignore...`.
fn parse_directive(comment: &str) -> Option<Directive<'_>> {
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

/// Reads the file's suppression comments, marks the findings they cover as suppressed, and adds
/// an SF002 finding for every code a suppression names that no rule has.
pub fn apply(rs: &Ruleset, fx: &SemanticModel, path: &Arc<str>, out: &mut Vec<Finding>) {
    let finder = memchr::memmem::Finder::new(MARKER);
    if finder.find(fx.src).is_none() {
        return;
    }
    let mut sup = Suppressions::default();
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
        if d.file {
            match &mut sup.file {
                Some(f) => f.merge(codes),
                None => sup.file = Some(codes),
            }
            continue;
        }
        let line = node.start_position().row as u32 + 1;
        let line_start = node.start_byte() - node.start_position().column;
        let own_line = fx
            .src
            .get(line_start..node.start_byte())
            .is_some_and(|b| b.iter().all(u8::is_ascii_whitespace));
        // A comment alone on its line covers the next line; a trailing one, its own line.
        let target = if own_line { line + 1 } else { line };
        match sup.lines.get_mut(&target) {
            Some(c) => c.merge(codes),
            None => {
                sup.lines.insert(target, codes);
            }
        }
    }
    for f in out.iter_mut() {
        if sup.covers(&rs.rules[f.rule].code, f.line) {
            f.suppressed = true;
        }
    }
    // Signal evidence that is suppressed simply does not count; only diagnostics are tallied.
    out.retain(|f| !(f.suppressed && rs.rules[f.rule].kind == RuleKind::Signal));
    if let Some(sf002) = rs.rule_index("SF002") {
        let rule = &rs.rules[sf002];
        for (node, code) in unknown {
            let message = rule.message.replace("{text}", &code);
            let mut f = make_finding(sf002, path, node, fx.src, message, 0.0, None);
            f.suppressed = sup.covers(&rule.code, f.line);
            out.push(f);
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
    fn merging() {
        let mut c = Codes::Some(vec!["SF220".into()]);
        c.merge(Codes::Some(vec!["SF221".into()]));
        assert!(c.covers("sf221") && c.covers("SF220") && !c.covers("SF210"));
        c.merge(Codes::All);
        assert!(c.covers("SF999"));
    }
}
