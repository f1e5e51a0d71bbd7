//! The `.scm` patterns of `queries/`, read into data stackfit's own matcher (`rules::matcher`)
//! runs. tree-sitter's query engine spends most of its cost in `ts_query_new` (an analysis of
//! the whole grammar, about 0.2–0.4 s of CPU per grammar and run) and in a cursor that keeps
//! every pattern's states alive over every node. The rules use a small part of the query
//! language, so reading it here costs microseconds and lets the matcher dispatch on `kind_id`.
//!
//! Supported, with tree-sitter's meaning: named nodes `(kind ...)`, anonymous nodes `"+"`,
//! wildcards `(_)` and `_`, supertypes, alternations `[...]`, fields `name: pattern`, negated
//! fields `!name`, anchors `.`, captures `@name`, and the text predicates `#eq?`, `#not-eq?`,
//! `#any-eq?`, `#any-not-eq?`, `#match?`, `#not-match?`, `#any-match?`, `#any-not-match?`,
//! `#any-of?`, `#not-any-of?`, anywhere inside a pattern. Quantifiers (`*`, `+`, `?`), grouped
//! sibling sequences and other predicates are refused with the position they are at.
mod lex;

use lex::{tokenize, Tok, T};
use tree_sitter::Language;

pub type CaptureId = u32;

/// Which nodes a pattern node accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One symbol (a named or an anonymous node kind).
    Id(u16),
    /// A supertype: any of its subtypes.
    Set(Vec<u16>),
    /// `(_)`: any named node.
    AnyNamed,
    /// `_`: any node.
    Any,
}

impl Kind {
    pub fn accepts(&self, kind_id: u16, named: bool) -> bool {
        match self {
            Kind::Id(id) => *id == kind_id,
            Kind::Set(ids) => ids.contains(&kind_id),
            Kind::AnyNamed => named,
            Kind::Any => true,
        }
    }
}

#[derive(Debug)]
pub struct Pat {
    pub shape: Shape,
    pub captures: Vec<CaptureId>,
}

#[derive(Debug)]
pub enum Shape {
    Node {
        kind: Kind,
        children: Vec<Child>,
        negated: Vec<u16>,
        /// A `.` after the last child: it must be the last named child.
        anchor_end: bool,
    },
    Alt(Vec<Pat>),
}

#[derive(Debug)]
pub struct Child {
    pub field: Option<u16>,
    /// A `.` before this child: no named node lies between it and the previous child (or the
    /// start of the parent, for the first child).
    pub anchored: bool,
    pub pat: Pat,
}

#[derive(Debug)]
pub enum Test {
    Eq(String),
    Match(regex::bytes::Regex),
    AnyOf(Vec<String>),
    /// `#eq? @a @b`
    EqCapture(CaptureId),
}

/// A text predicate on one capture, with tree-sitter's (Rust binding's) semantics: `positive`
/// or negated, and `all` (every node of the capture must pass) or `any-` (always passes unless
/// it compares two captures, as the binding does).
#[derive(Debug)]
pub struct Predicate {
    pub capture: CaptureId,
    pub test: Test,
    pub positive: bool,
    pub all: bool,
}

#[derive(Debug)]
pub struct Pattern {
    pub root: Pat,
    pub predicates: Vec<Predicate>,
    /// Byte range of the pattern in the source text (its captures included).
    pub span: (usize, usize),
    /// The captures every match of the pattern has.
    pub always: Vec<CaptureId>,
}

#[derive(Debug, Default)]
pub struct PatternSet {
    pub patterns: Vec<Pattern>,
    pub capture_names: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct PatternError {
    pub offset: usize,
    pub message: String,
}

impl Pattern {
    /// Whether the pattern captures `c` anywhere (in any branch).
    pub fn mentions(&self, c: CaptureId) -> bool {
        fn walk(p: &Pat, c: CaptureId) -> bool {
            p.captures.contains(&c)
                || match &p.shape {
                    Shape::Node { children, .. } => children.iter().any(|ch| walk(&ch.pat, c)),
                    Shape::Alt(alts) => alts.iter().any(|a| walk(a, c)),
                }
        }
        walk(&self.root, c) || self.predicates.iter().any(|p| p.capture == c)
    }
}

impl PatternSet {
    /// Adds `other`'s patterns, read from a text that starts at `offset` of this set's source:
    /// its captures are renumbered into this set's names and its spans moved by `offset`.
    pub fn append(&mut self, other: PatternSet, offset: usize) {
        let map: Vec<CaptureId> = other
            .capture_names
            .iter()
            .map(|n| match self.capture_index(n) {
                Some(i) => i,
                None => {
                    self.capture_names.push(n.clone());
                    (self.capture_names.len() - 1) as CaptureId
                }
            })
            .collect();
        let re = |c: &mut CaptureId| *c = map.get(*c as usize).copied().unwrap_or(*c);
        fn renumber(p: &mut Pat, re: &dyn Fn(&mut CaptureId)) {
            p.captures.iter_mut().for_each(re);
            match &mut p.shape {
                Shape::Node { children, .. } => {
                    children.iter_mut().for_each(|c| renumber(&mut c.pat, re))
                }
                Shape::Alt(alts) => alts.iter_mut().for_each(|a| renumber(a, re)),
            }
        }
        for mut p in other.patterns {
            renumber(&mut p.root, &re);
            p.always.iter_mut().for_each(re);
            for pr in &mut p.predicates {
                re(&mut pr.capture);
                if let Test::EqCapture(o) = &mut pr.test {
                    re(o);
                }
            }
            p.span = (p.span.0 + offset, p.span.1 + offset);
            self.patterns.push(p);
        }
    }

    pub fn capture_index(&self, name: &str) -> Option<CaptureId> {
        self.capture_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as CaptureId)
    }

    /// Reads `text` (one or more patterns) for `language`.
    pub fn parse(language: &Language, text: &str) -> Result<PatternSet, PatternError> {
        let toks = tokenize(text)?;
        let mut p = Parser {
            toks: &toks,
            i: 0,
            lang: language,
            set: PatternSet::default(),
            preds: Vec::new(),
            end: text.len(),
        };
        while p.i < toks.len() {
            let start = p.offset();
            p.preds.clear();
            let root = p.pattern(true)?;
            let end = p.toks.get(p.i.wrapping_sub(1)).map_or(start, |t| t.end);
            let mut always = Vec::new();
            always_captures(&root, &mut always);
            always.sort_unstable();
            always.dedup();
            let predicates = std::mem::take(&mut p.preds);
            p.set.patterns.push(Pattern {
                root,
                predicates,
                span: (start, end),
                always,
            });
        }
        Ok(p.set)
    }
}

/// The captures present in every match of `p`.
fn always_captures(p: &Pat, out: &mut Vec<CaptureId>) {
    out.extend(&p.captures);
    match &p.shape {
        Shape::Node { children, .. } => children.iter().for_each(|c| always_captures(&c.pat, out)),
        Shape::Alt(alts) => {
            let mut sets = alts.iter().map(|a| {
                let mut v = Vec::new();
                always_captures(a, &mut v);
                v
            });
            if let Some(first) = sets.next() {
                let rest: Vec<Vec<CaptureId>> = sets.collect();
                out.extend(
                    first
                        .into_iter()
                        .filter(|c| rest.iter().all(|r| r.contains(c))),
                );
            }
        }
    }
}

pub(super) fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError {
        offset,
        message: message.into(),
    })
}

struct Parser<'a> {
    toks: &'a [Tok],
    i: usize,
    lang: &'a Language,
    set: PatternSet,
    preds: Vec<Predicate>,
    end: usize,
}

impl Parser<'_> {
    fn offset(&self) -> usize {
        self.toks.get(self.i).map_or(self.end, |t| t.start)
    }

    fn peek(&self) -> Option<&T> {
        self.toks.get(self.i).map(|t| &t.t)
    }

    fn capture_id(&mut self, name: &str) -> CaptureId {
        match self.set.capture_index(name) {
            Some(i) => i,
            None => {
                self.set.capture_names.push(name.to_string());
                (self.set.capture_names.len() - 1) as CaptureId
            }
        }
    }

    /// One pattern with its captures (`top`: a pattern of its own, not a child).
    fn pattern(&mut self, top: bool) -> Result<Pat, PatternError> {
        let at = self.offset();
        let shape = match self.peek().cloned() {
            Some(T::Open) => self.node()?,
            Some(T::OpenAlt) => {
                self.i += 1;
                let mut alts = Vec::new();
                loop {
                    match self.peek() {
                        Some(T::CloseAlt) => {
                            self.i += 1;
                            break;
                        }
                        None => return err(at, "unclosed `[`"),
                        _ => alts.push(self.pattern(false)?),
                    }
                }
                if alts.is_empty() {
                    return err(at, "an empty alternation `[]`");
                }
                Shape::Alt(alts)
            }
            Some(T::Str(s)) => {
                self.i += 1;
                let id = self.lang.id_for_node_kind(&s, false);
                if id == 0 {
                    return err(at, format!("invalid node type \"{s}\""));
                }
                Shape::Node {
                    kind: Kind::Id(id),
                    children: Vec::new(),
                    negated: Vec::new(),
                    anchor_end: false,
                }
            }
            Some(T::Word(w)) if w == "_" => {
                self.i += 1;
                Shape::Node {
                    kind: Kind::Any,
                    children: Vec::new(),
                    negated: Vec::new(),
                    anchor_end: false,
                }
            }
            Some(T::Word(w)) if top && w.starts_with('#') => {
                return err(at, "a predicate must be inside a pattern's parentheses")
            }
            Some(t) => return err(at, format!("expected a pattern, found {}", describe(&t))),
            None => return err(at, "expected a pattern"),
        };
        let mut captures = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(T::Capture(c)) => {
                    self.i += 1;
                    let id = self.capture_id(&c);
                    captures.push(id);
                }
                Some(T::Quant(q)) => {
                    return err(
                        self.offset(),
                        format!("quantifier `{q}` is not supported by stackfit's matcher"),
                    )
                }
                _ => break,
            }
        }
        Ok(Pat { shape, captures })
    }

    /// `( kind children... )`, the `(` is the current token.
    fn node(&mut self) -> Result<Shape, PatternError> {
        let open = self.offset();
        self.i += 1;
        let kind = match self.peek().cloned() {
            Some(T::Word(w)) if w == "_" => {
                self.i += 1;
                Kind::AnyNamed
            }
            Some(T::Word(w)) if !w.starts_with('#') => {
                self.i += 1;
                self.kind(&w, open)?
            }
            Some(T::Word(_)) => return err(open, "a predicate must be inside a pattern"),
            Some(T::Open | T::OpenAlt | T::Str(_)) => return self.group(open),
            Some(t) => {
                return err(
                    open,
                    format!("expected a node type, found {}", describe(&t)),
                )
            }
            None => return err(open, "unclosed `(`"),
        };
        let mut children = Vec::new();
        let mut negated = Vec::new();
        let mut anchored = false;
        loop {
            let at = self.offset();
            match self.peek().cloned() {
                None => return err(open, "unclosed `(`"),
                Some(T::Close) => {
                    self.i += 1;
                    return Ok(Shape::Node {
                        kind,
                        children,
                        negated,
                        anchor_end: anchored,
                    });
                }
                Some(T::Dot) => {
                    self.i += 1;
                    anchored = true;
                }
                Some(T::Bang) => {
                    self.i += 1;
                    let Some(T::Word(f)) = self.peek().cloned() else {
                        return err(at, "expected a field name after `!`");
                    };
                    self.i += 1;
                    negated.push(self.field(&f, at)?);
                }
                Some(T::Open) if matches!(self.toks.get(self.i + 1).map(|t| &t.t), Some(T::Word(w)) if w.starts_with('#')) =>
                {
                    self.predicate()?;
                }
                Some(T::Field(f)) => {
                    self.i += 1;
                    let field = Some(self.field(&f, at)?);
                    let pat = self.pattern(false)?;
                    children.push(Child {
                        field,
                        anchored: std::mem::take(&mut anchored),
                        pat,
                    });
                }
                Some(_) => {
                    let pat = self.pattern(false)?;
                    children.push(Child {
                        field: None,
                        anchored: std::mem::take(&mut anchored),
                        pat,
                    });
                }
            }
        }
    }

    /// `((pattern) @c (#pred? ...))`: one pattern with its predicates in parentheses. A group of
    /// two or more sibling patterns is refused.
    fn group(&mut self, open: usize) -> Result<Shape, PatternError> {
        let mut inner: Option<Pat> = None;
        loop {
            let at = self.offset();
            match self.peek() {
                None => return err(open, "unclosed `(`"),
                Some(T::Close) => {
                    self.i += 1;
                    break;
                }
                Some(T::Open) if matches!(self.toks.get(self.i + 1).map(|t| &t.t), Some(T::Word(w)) if w.starts_with('#')) =>
                {
                    self.predicate()?;
                }
                Some(_) if inner.is_some() => {
                    return err(
                        at,
                        "grouped sibling sequences are not supported by stackfit's matcher",
                    )
                }
                Some(_) => inner = Some(self.pattern(false)?),
            }
        }
        let Some(pat) = inner else {
            return err(open, "an empty group `()`");
        };
        // The group's own captures (after its `)`) are added by the caller to a wrapper.
        Ok(Shape::Alt(vec![pat]))
    }

    fn kind(&self, name: &str, at: usize) -> Result<Kind, PatternError> {
        let id = self.lang.id_for_node_kind(name, true);
        if id == 0 {
            return err(at, format!("invalid node type `{name}`"));
        }
        if self.lang.supertypes().contains(&id) {
            // Subtypes can be supertypes themselves (`expression` > `primary_expression`).
            let mut out = Vec::new();
            let (mut todo, mut seen) = (vec![id], vec![id]);
            while let Some(s) = todo.pop() {
                for &t in self.lang.subtypes_for_supertype(s) {
                    if self.lang.supertypes().contains(&t) {
                        if !seen.contains(&t) {
                            seen.push(t);
                            todo.push(t);
                        }
                    } else if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            return Ok(Kind::Set(out));
        }
        Ok(Kind::Id(id))
    }

    fn field(&self, name: &str, at: usize) -> Result<u16, PatternError> {
        match self.lang.field_id_for_name(name) {
            Some(f) => Ok(f.get()),
            None => err(at, format!("invalid field name `{name}`")),
        }
    }

    /// `(#op? @capture args...)`, the `(` is the current token.
    fn predicate(&mut self) -> Result<(), PatternError> {
        let at = self.offset();
        self.i += 1;
        let Some(T::Word(op)) = self.peek().cloned() else {
            return err(at, "expected a predicate name");
        };
        self.i += 1;
        let mut args = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(T::Close) => {
                    self.i += 1;
                    break;
                }
                Some(T::Capture(c)) => {
                    self.i += 1;
                    args.push(Err(self.capture_id(&c)));
                }
                Some(T::Str(s) | T::Word(s)) => {
                    self.i += 1;
                    args.push(Ok(s));
                }
                Some(t) => {
                    return err(
                        self.offset(),
                        format!("unexpected {} in predicate {op}", describe(&t)),
                    )
                }
                None => return err(at, "unclosed predicate"),
            }
        }
        let (capture, test, positive, all) = predicate_parts(&op, &args, at)?;
        self.preds.push(Predicate {
            capture,
            test,
            positive,
            all,
        });
        Ok(())
    }
}

/// A predicate's capture, test and flavour, from its operator and arguments (`Err`: a capture).
fn predicate_parts(
    op: &str,
    args: &[Result<String, CaptureId>],
    at: usize,
) -> Result<(CaptureId, Test, bool, bool), PatternError> {
    let op = op.trim_start_matches('#');
    let (positive, all) = match op {
        "eq?" | "match?" => (true, true),
        "not-eq?" | "not-match?" => (false, true),
        "any-eq?" | "any-match?" => (true, false),
        "any-not-eq?" | "any-not-match?" => (false, false),
        "any-of?" => (true, true),
        "not-any-of?" => (false, true),
        _ => {
            return err(
                at,
                format!("predicate #{op} is not supported by stackfit's matcher"),
            )
        }
    };
    let Some(Err(capture)) = args.first().cloned() else {
        return err(at, format!("#{op} needs a capture as its first argument"));
    };
    let strings: Vec<String> = args[1..].iter().filter_map(|a| a.clone().ok()).collect();
    let other = args[1..].iter().find_map(|a| a.clone().err());
    let test = if op.ends_with("of?") {
        if other.is_some() {
            return err(at, format!("#{op} takes strings after its capture"));
        }
        Test::AnyOf(strings)
    } else if op.ends_with("eq?") {
        match (other, strings.as_slice(), args.len()) {
            (Some(o), [], 2) => Test::EqCapture(o),
            (None, [s], 2) => Test::Eq(s.clone()),
            _ => {
                return err(
                    at,
                    format!("#{op} takes a capture and one string or capture"),
                )
            }
        }
    } else {
        let [re] = strings.as_slice() else {
            return err(at, format!("#{op} takes a capture and one regex"));
        };
        if args.len() != 2 {
            return err(at, format!("#{op} takes a capture and one regex"));
        }
        match regex::bytes::Regex::new(re) {
            Ok(r) => Test::Match(r),
            Err(e) => return err(at, format!("invalid regex in #{op}: {e}")),
        }
    };
    Ok((capture, test, positive, all))
}

fn describe(t: &T) -> String {
    match t {
        T::Open => "`(`".into(),
        T::Close => "`)`".into(),
        T::OpenAlt => "`[`".into(),
        T::CloseAlt => "`]`".into(),
        T::Dot => "`.`".into(),
        T::Bang => "`!`".into(),
        T::Quant(q) => format!("`{q}`"),
        T::Str(s) => format!("\"{s}\""),
        T::Capture(c) => format!("@{c}"),
        T::Field(f) => format!("field `{f}:`"),
        T::Word(w) => format!("`{w}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js() -> Language {
        tree_sitter_javascript::LANGUAGE.into()
    }

    #[test]
    fn reads_fields_alternations_anchors_predicates() {
        let set = PatternSet::parse(
            &js(),
            r#"; a comment
(call_expression
  function: [(identifier) @_fn
             (member_expression property: (property_identifier) @_fn)]
  (#any-of? @_fn "on" "once")
  arguments: (arguments . (string) . (_))) @match
"+" @op
"#,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.patterns.len(), 2);
        assert_eq!(set.capture_names, ["_fn", "match", "op"]);
        let p = &set.patterns[0];
        assert_eq!(p.predicates.len(), 1);
        assert_eq!(p.always, [0, 1], "@_fn is in both branches");
        let Shape::Node { children, .. } = &p.root.shape else {
            panic!("a node")
        };
        assert_eq!(children.len(), 2);
        let Shape::Node { children: args, .. } = &children[1].pat.shape else {
            panic!("a node")
        };
        assert!(args[0].anchored && args[1].anchored);
    }

    #[test]
    fn a_capture_in_one_branch_is_not_always_there() {
        let set = PatternSet::parse(&js(), "[(identifier) @a (number)] @m")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.patterns[0].always, [1]);
    }

    #[test]
    fn errors_name_the_position_and_cause() {
        let e = |s: &str| PatternSet::parse(&js(), s).map(|_| ()).unwrap_err();
        assert_eq!(e("(call_expresion)").offset, 0);
        assert!(e("(call_expresion)").message.contains("invalid node type"));
        assert!(e("(call_expression (identifier)* @x)")
            .message
            .contains("quantifier"));
        assert!(e("(call_expression nope: (identifier))")
            .message
            .contains("invalid field"));
        assert_eq!(e("\n  (identifier").offset, 3);
        assert!(e("(identifier (#set! x y))")
            .message
            .contains("not supported"));
        assert!(e("(identifier) @x (#eq? @x \"a\")")
            .message
            .contains("inside"));
        assert!(e("((identifier) (number))").message.contains("sibling"));
        let g = PatternSet::parse(&js(), "((identifier) @x (#eq? @x \"a\"))")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(g.patterns[0].predicates.len(), 1);
    }
}
