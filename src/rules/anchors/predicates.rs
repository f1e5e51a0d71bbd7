//! Reading a pattern's text predicates for the literals every match contains (`#eq?`,
//! `#any-of?`, `#match?` on a capture every match has): the prefilter's anchors that come from
//! the patterns themselves (`rules::anchors`).
use super::{Anchor, Bound};
use crate::lang::Lang;
use crate::rules::pattern::PatternSet;
use regex_syntax::hir::{Hir, HirKind};

/// The literal sets one pattern's positive text predicates require (see the module comment).
pub(super) fn predicate_clauses(
    set: &PatternSet,
    pi: usize,
    span: &str,
    lang: Lang,
) -> Vec<Vec<Anchor>> {
    let always = |cap: &str| {
        set.capture_index(cap)
            .is_some_and(|i| set.patterns.get(pi).is_some_and(|p| p.always.contains(&i)))
    };
    let toks = tokens(span);
    let mut out = Vec::new();
    for (op, args) in predicates(&toks) {
        let (Some(Arg::Capture(cap)), rest) = (args.first(), args.get(1..).unwrap_or(&[])) else {
            continue;
        };
        if !always(cap) {
            continue;
        }
        let strings: Option<Vec<String>> = rest
            .iter()
            .map(|a| match a {
                Arg::Str(s) => Some(s.clone()),
                Arg::Capture(_) => None,
            })
            .collect();
        let Some(strings) = strings.filter(|s| !s.is_empty()) else {
            continue;
        };
        let (set, bound) = match op.as_str() {
            "eq?" | "any-eq?" | "any-of?" => {
                let word = on_identifier(&toks, cap).then_some(Bound::Word {
                    dollar: lang != Lang::Python,
                });
                (Some(strings), word.unwrap_or(Bound::Free))
            }
            "match?" | "any-match?" => (
                strings.first().and_then(|re| regex_literals(re)),
                Bound::Free,
            ),
            _ => (None, Bound::Free),
        };
        out.extend(set.map(|set| {
            set.into_iter()
                .map(|s| Anchor {
                    bytes: s.into_bytes(),
                    fold: false,
                    bound,
                })
                .collect()
        }));
    }
    out
}

/// Node kinds whose text is one identifier token.
const IDENTIFIER_KINDS: &[&str] = &[
    "identifier",
    "property_identifier",
    "shorthand_property_identifier",
    "type_identifier",
];

/// Whether every `@cap` in the pattern source follows an identifier node: `(identifier) @cap`.
fn on_identifier(toks: &[Tok], cap: &str) -> bool {
    let mut opens = Vec::new();
    let mut closed: Option<usize> = None;
    let mut seen = false;
    let mut in_predicate = false;
    for (i, t) in toks.iter().enumerate() {
        if in_predicate {
            in_predicate = *t != Tok::Close;
            continue;
        }
        match t {
            Tok::Open if matches!(toks.get(i + 1), Some(Tok::Word(w)) if w.starts_with('#')) => {
                in_predicate = true;
                closed = None;
            }
            Tok::Open => {
                opens.push(i);
                closed = None;
            }
            Tok::Close => closed = opens.pop(),
            Tok::Word(w) if w.strip_prefix('@') == Some(cap) => {
                let kind = closed.and_then(|o| match toks.get(o + 1) {
                    Some(Tok::Word(k)) => Some(k.as_str()),
                    _ => None,
                });
                if !kind.is_some_and(|k| IDENTIFIER_KINDS.contains(&k)) {
                    return false;
                }
                seen = true;
            }
            Tok::Word(w) if w.starts_with('@') => {}
            _ => closed = None,
        }
    }
    seen
}

/// A set of literals one of which every match of the regex contains, when there is one.
fn regex_literals(re: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::parse(re).ok()?;
    let set = required(&hir)?;
    set.into_iter().map(|b| String::from_utf8(b).ok()).collect()
}

fn required(h: &Hir) -> Option<Vec<Vec<u8>>> {
    match h.kind() {
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(xs) => xs
            .iter()
            .filter_map(required)
            .max_by_key(|s| s.iter().map(Vec::len).min().unwrap_or(0)),
        HirKind::Alternation(xs) => {
            let mut out = Vec::new();
            for x in xs {
                out.extend(required(x)?);
            }
            Some(out)
        }
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Capture(String),
    Str(String),
}

/// The predicates written in a pattern's source: `(#op? @cap "lit" ...)`, comments skipped.
fn predicates(toks: &[Tok]) -> Vec<(String, Vec<Arg>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < toks.len() {
        if let (Tok::Open, Tok::Word(w)) = (&toks[i], &toks[i + 1]) {
            if let Some(op) = w.strip_prefix('#') {
                let mut args = Vec::new();
                let mut j = i + 2;
                while let Some(t) = toks.get(j) {
                    match t {
                        Tok::Close => break,
                        Tok::Word(w) if w.starts_with('@') => {
                            args.push(Arg::Capture(w[1..].to_string()))
                        }
                        Tok::Str(s) => args.push(Arg::Str(s.clone())),
                        _ => {}
                    }
                    j += 1;
                }
                out.push((op.to_string(), args));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Open,
    Close,
    Bracket,
    Str(String),
    Word(String),
}

/// The tokens of query source: parentheses, brackets, strings (tree-sitter's escapes), words;
/// `;` comments dropped.
fn tokens(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('r') => s.push('\r'),
                            Some('t') => s.push('\t'),
                            Some('0') => s.push('\0'),
                            Some(o) => s.push(o),
                            None => {}
                        },
                        o => s.push(o),
                    }
                }
                out.push(Tok::Str(s));
            }
            '[' | ']' => out.push(Tok::Bracket),
            c if c.is_whitespace() => {}
            c => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "()[]\";".contains(n) {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_are_read_from_pattern_text() {
        let toks = tokens(
            "; (#eq? @x \"no\")\n(call function: (identifier) @_fn (#any-of? @_fn \"a\\\"b\" \"c\")) @match",
        );
        assert!(on_identifier(&toks, "_fn"));
        assert!(!on_identifier(&toks, "match"));
        assert!(!on_identifier(&tokens("[(identifier) (string)] @x"), "x"));
        assert!(!on_identifier(&tokens("(identifier)? @x"), "x"));
        let p = predicates(&toks);
        assert_eq!(
            p,
            [(
                "any-of?".to_string(),
                vec![
                    Arg::Capture("_fn".into()),
                    Arg::Str("a\"b".into()),
                    Arg::Str("c".into())
                ]
            )]
        );
    }

    #[test]
    fn regex_literals_every_match_contains() {
        let lits = |re| {
            regex_literals(re).map(|mut v| {
                v.sort();
                v
            })
        };
        assert_eq!(
            lits("(Sync$|^wait$)"),
            Some(vec!["Sync".into(), "wait".into()])
        );
        assert_eq!(lits("(^|[.])mqtt([.]client)?$"), Some(vec!["mqtt".into()]));
        assert_eq!(lits("^#!.*python"), Some(vec!["python".into()]));
        assert_eq!(lits("^[A-Z]"), None);
        assert_eq!(lits("(?i)foo"), None);
        assert_eq!(lits("a?b*"), None);
    }
}
