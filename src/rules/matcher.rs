//! Runs a grammar's patterns (`rules::pattern`) over a parsed tree in one pre-order walk.
//! Each node is looked up by `kind_id` in a table of the patterns whose root can match it, so
//! most nodes cost one table lookup; a pattern is tried only where its root kind is. A match is
//! every way the pattern's children can be assigned to the node's children, as with tree-sitter
//! queries, and the text predicates are checked as captures are bound.
use super::pattern::{Child, Kind, Pat, Pattern, PatternSet, Predicate, Shape, Test};
use crate::syntax::{Children, PreOrder};
use std::cell::{Cell, RefCell};
use tree_sitter::Node;

/// One captured node of a match.
#[derive(Debug, Clone, Copy)]
pub struct Capture<'t> {
    pub index: u32,
    pub node: Node<'t>,
}

pub struct Matcher {
    pub set: PatternSet,
    /// `kind_id` → the patterns whose root accepts that kind, in pattern order.
    by_kind: Vec<Vec<u32>>,
    /// Patterns whose root is a wildcard, tried on every node.
    any_root: Vec<u32>,
    /// Whether some pattern's root is an anonymous node or `_` (else anonymous nodes are skipped).
    anonymous_roots: bool,
}

/// Where a match completes (start, end reversed), where it is rooted, and its pattern.
type MatchKey = (usize, usize, usize, usize, usize);

/// Where in a file matches can be (`rules::anchors`): each match of a pattern still possible
/// there holds one of `ranges`, or lies inside a node of one of `scope_kinds` that holds one of
/// `scope_ranges`. Ranges are sorted and without repeats.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seek {
    pub ranges: Vec<(usize, usize)>,
    pub scope_kinds: Vec<u16>,
    pub scope_ranges: Vec<(usize, usize)>,
}

impl Seek {
    /// The first byte at or after `from` where one of the ranges starts (`usize::MAX`: none).
    /// A node that ends there or before, and is not under a scope, holds no range.
    fn next_start(&self, from: usize) -> usize {
        let first = |r: &[(usize, usize)]| {
            r.get(r.partition_point(|x| x.0 < from))
                .map_or(usize::MAX, |x| x.0)
        };
        first(&self.ranges).min(first(&self.scope_ranges))
    }
}

/// Why a run stopped before the end of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

impl Matcher {
    pub fn new(set: PatternSet, lang: &tree_sitter::Language) -> Matcher {
        let mut by_kind = vec![Vec::new(); lang.node_kind_count()];
        let mut any_root = Vec::new();
        let mut anonymous_roots = false;
        for (pi, p) in set.patterns.iter().enumerate() {
            let mut kinds = Vec::new();
            root_kinds(&p.root, &mut kinds);
            for k in kinds {
                let ids = match k {
                    Kind::Id(id) => vec![id],
                    Kind::Set(ids) => ids,
                    Kind::AnyNamed => {
                        any_root.push(pi as u32);
                        continue;
                    }
                    Kind::Any => {
                        any_root.push(pi as u32);
                        anonymous_roots = true;
                        continue;
                    }
                };
                for id in ids {
                    anonymous_roots |= !lang.node_kind_is_named(id);
                    if let Some(v) = by_kind.get_mut(id as usize) {
                        v.push(pi as u32);
                    }
                }
            }
        }
        for v in &mut by_kind {
            v.dedup();
        }
        any_root.dedup();
        Matcher {
            set,
            by_kind,
            any_root,
            anonymous_roots,
        }
    }

    /// Every match in the tree under `root`, in the order tree-sitter's query cursor gives them:
    /// by the node where the match completes (the one its last step matched), then by the node
    /// it is rooted at, then by pattern. Rules that keep one finding per file keep the first. `possible(pi)` false skips a pattern; `over_time` is asked
    /// every few hundred steps and stops the run.
    ///
    /// With `seek` (where matches can be), the walk enters only the nodes that hold one of its
    /// ranges, and every node inside a scope: the answer is the same, and a file with few
    /// anchors is mostly not walked.
    #[allow(clippy::too_many_arguments)]
    pub fn run<'t>(
        &self,
        root: Node<'t>,
        src: &[u8],
        seek: Option<&Seek>,
        possible: &dyn Fn(usize) -> bool,
        over_time: &dyn Fn() -> bool,
        each: &mut dyn FnMut(usize, &[Capture<'t>]),
    ) -> Result<(), Stopped> {
        let steps = Cell::new(0u32);
        let last: Cell<Option<Node<'t>>> = Cell::new(None);
        let mut found: Vec<(MatchKey, usize, Vec<Capture<'t>>)> = Vec::new();
        let mut caps: Vec<Capture<'t>> = Vec::with_capacity(8);
        // The walk (`syntax::PreOrder`): the same nodes as a `TreeCursor`, in the same order.
        let mut walk = PreOrder::new(root);
        // While the walk is under a scope of `seek`: the scope node's depth.
        let mut scope_depth: Option<u32> = None;
        let mut candidates: Vec<u32> = Vec::new();
        let kids = RefCell::new(KidCache {
            lists: Vec::new(),
            ids: Vec::new(),
            lister: Children::new(root),
        });
        // Whether to walk under the node looked at last, and if not, the byte before which
        // nothing more can hold a range of `seek` (what ends there is stepped over).
        let (mut enter, mut skip) = (false, 0);
        while let Some((node, depth)) = walk.next_ending_after(enter, skip) {
            // Where nothing under this node can match, on to its next sibling.
            enter = enters(seek, &mut scope_depth, depth, node);
            skip = match seek {
                Some(s) if !enter => s.next_start(node.end_byte()),
                _ => 0,
            };
            // Child lists are kept while the patterns are tried at this node: most of them
            // descend into the same children (a call's callee and arguments).
            kids.borrow_mut().ids.clear();
            let named = node.is_named();
            if enter && (named || self.anonymous_roots) {
                candidates.clear();
                if let Some(v) = self.by_kind.get(node.kind_id() as usize) {
                    candidates.extend(v);
                }
                if !self.any_root.is_empty() {
                    candidates.extend(&self.any_root);
                    candidates.sort_unstable();
                    candidates.dedup();
                }
                for &pi in &candidates {
                    let pi = pi as usize;
                    if !possible(pi) {
                        continue;
                    }
                    let Some(p) = self.set.patterns.get(pi) else {
                        continue;
                    };
                    let ctx = Ctx {
                        src,
                        pattern: p,
                        steps: &steps,
                        over_time,
                        last: &last,
                        kids: &kids,
                    };
                    caps.clear();
                    let mut done = |caps: &mut Vec<Capture<'t>>| {
                        if ctx.pair_predicates(caps) {
                            let end = last.get().unwrap_or(node);
                            let key = (
                                end.start_byte(),
                                usize::MAX - end.end_byte(),
                                node.start_byte(),
                                usize::MAX - node.end_byte(),
                                pi,
                            );
                            found.push((key, pi, caps.clone()));
                        }
                        false
                    };
                    if matches(&p.root, node, &ctx, &mut caps, &mut done) {
                        return Err(Stopped);
                    }
                }
            }
        }
        found.sort_by_key(|f| f.0);
        for (_, pi, caps) in &found {
            each(*pi, caps);
        }
        Ok(())
    }
}

/// Whether the walk looks at the cursor's node and under it, given where matches can be
/// (`seek`); `depth` is the node's, `scope_depth` that of the scope node the walk is under, if
/// any.
fn enters(seek: Option<&Seek>, scope_depth: &mut Option<u32>, depth: u32, node: Node) -> bool {
    let Some(s) = seek else {
        return true;
    };
    match *scope_depth {
        Some(d) if depth > d => return true,
        Some(_) => *scope_depth = None,
        None => {}
    }
    let (start, end) = (node.start_byte(), node.end_byte());
    let scope = holds_range(&s.scope_ranges, start, end);
    if scope && s.scope_kinds.contains(&node.kind_id()) {
        // Every node under a scope is looked at.
        *scope_depth = Some(depth);
    }
    scope || holds_range(&s.ranges, start, end)
}

/// Whether one of `ranges` (sorted by start) lies within `start..end`.
fn holds_range(ranges: &[(usize, usize)], start: usize, end: usize) -> bool {
    let from = ranges.partition_point(|r| r.0 < start);
    ranges
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|r| r.0 < end)
        .any(|r| r.1 <= end)
}

fn root_kinds(p: &Pat, out: &mut Vec<Kind>) {
    match &p.shape {
        Shape::Node { kind, .. } => out.push(kind.clone()),
        Shape::Alt(alts) => alts.iter().for_each(|a| root_kinds(a, out)),
    }
}

struct Ctx<'a, 't> {
    src: &'a [u8],
    pattern: &'a Pattern,
    steps: &'a Cell<u32>,
    over_time: &'a dyn Fn() -> bool,
    /// The node the latest step matched (the last one, when a match completes).
    last: &'a Cell<Option<Node<'t>>>,
    kids: &'a RefCell<KidCache<'t>>,
}

/// The child lists of the nodes the patterns tried at one node have looked at. The lists are
/// reused from node to node, so matching allocates only while the most children seen grows.
struct KidCache<'t> {
    lists: Vec<Vec<Kid<'t>>>,
    /// The node (id) whose children `lists[i]` holds, for the first `ids.len()` lists.
    ids: Vec<usize>,
    lister: Children<'t>,
}

impl<'t> KidCache<'t> {
    /// The index in `lists` of `node`'s children, listed on first use.
    fn of(&mut self, node: Node<'t>) -> usize {
        let id = node.id();
        if let Some(i) = self.ids.iter().position(|&x| x == id) {
            return i;
        }
        let i = self.ids.len();
        self.ids.push(id);
        if self.lists.len() <= i {
            self.lists.push(Vec::new());
        }
        let list = &mut self.lists[i];
        list.clear();
        self.lister.each(node, |node, field| {
            list.push(Kid {
                node,
                field,
                named: node.is_named(),
            })
        });
        i
    }
}

impl<'t> Ctx<'_, 't> {
    fn text<'s>(&'s self, n: &Node) -> &'s [u8] {
        self.src.get(n.byte_range()).unwrap_or(&[])
    }

    /// The predicates on `capture` that each of its nodes must pass (checked as it is bound).
    fn node_passes(&self, capture: u32, node: &Node) -> bool {
        self.pattern
            .predicates
            .iter()
            .filter(|p| p.capture == capture && p.all)
            .all(|p| self.test(p, node))
    }

    fn test(&self, p: &Predicate, node: &Node) -> bool {
        let text = self.text(node);
        let hit = match &p.test {
            Test::Eq(s) => text == s.as_bytes(),
            Test::Match(re) => re.is_match(text),
            Test::AnyOf(set) => set.iter().any(|s| text == s.as_bytes()),
            Test::EqCapture(_) => return true,
        };
        hit == p.positive
    }

    /// `#eq? @a @b` (and its variants), with the Rust binding's semantics, once a match is whole.
    fn pair_predicates(&self, caps: &[Capture]) -> bool {
        self.pattern.predicates.iter().all(|p| {
            let Test::EqCapture(other) = p.test else {
                return true;
            };
            let mut a = caps.iter().filter(|c| c.index == p.capture);
            let mut b = caps.iter().filter(|c| c.index == other);
            loop {
                match (a.next(), b.next()) {
                    (Some(x), Some(y)) => {
                        let same = self.text(&x.node) == self.text(&y.node);
                        if same != p.positive && p.all {
                            return false;
                        }
                        if same == p.positive && !p.all {
                            return true;
                        }
                    }
                    (None, None) => return true,
                    _ => return false,
                }
            }
        })
    }

    /// Kid `i` of child list `list`.
    fn kid(&self, list: usize, i: usize) -> Option<Kid<'t>> {
        self.kids.borrow().lists.get(list)?.get(i).copied()
    }

    /// Whether list `list` has a named kid in `from..to` (`to` past the end: to the end).
    fn any_named(&self, list: usize, from: usize, to: usize) -> bool {
        let kids = self.kids.borrow();
        let Some(l) = kids.lists.get(list) else {
            return false;
        };
        l.get(from..to.min(l.len()))
            .is_some_and(|r| r.iter().any(|x| x.named))
    }

    /// Counts a step; true when the run must stop.
    fn step(&self) -> bool {
        let s = self.steps.get().wrapping_add(1);
        self.steps.set(s);
        s % 512 == 0 && (self.over_time)()
    }
}

type Cont<'k, 't> = dyn FnMut(&mut Vec<Capture<'t>>) -> bool + 'k;

/// Whether `p` can match `node` by its kind alone.
fn kind_fits(p: &Pat, node: &Node) -> bool {
    match &p.shape {
        Shape::Node { kind, .. } => kind.accepts(node.kind_id(), node.is_named()),
        Shape::Alt(alts) => alts.iter().any(|a| kind_fits(a, node)),
    }
}

/// Every way `p` matches `node`: `k` is called with the captures of each. Returns true when the
/// run must stop (time limit).
fn matches<'t>(
    p: &Pat,
    node: Node<'t>,
    ctx: &Ctx<'_, 't>,
    caps: &mut Vec<Capture<'t>>,
    k: &mut Cont<'_, 't>,
) -> bool {
    if ctx.step() {
        return true;
    }
    match &p.shape {
        Shape::Alt(alts) => {
            let mark = caps.len();
            if !bind(p, node, ctx, caps) {
                return false;
            }
            for a in alts {
                if !kind_fits(a, &node) {
                    continue;
                }
                if matches(a, node, ctx, caps, k) {
                    return true;
                }
            }
            caps.truncate(mark);
            false
        }
        Shape::Node {
            kind,
            children,
            negated,
            anchor_end,
        } => {
            if !kind.accepts(node.kind_id(), node.is_named()) {
                return false;
            }
            if negated.iter().any(|f| node.child_by_field_id(*f).is_some()) {
                return false;
            }
            let mark = caps.len();
            if !bind(p, node, ctx, caps) {
                return false;
            }
            let stop = if children.is_empty() {
                ctx.last.set(Some(node));
                k(caps)
            } else {
                let list = ctx.kids.borrow_mut().of(node);
                sequence(children, list, 0, 0, None, *anchor_end, ctx, caps, k)
            };
            caps.truncate(mark);
            stop
        }
    }
}

/// Binds `p`'s captures to `node`, if each passes its predicates (else binds none).
fn bind<'t>(p: &Pat, node: Node<'t>, ctx: &Ctx<'_, 't>, caps: &mut Vec<Capture<'t>>) -> bool {
    let mark = caps.len();
    for &c in &p.captures {
        if !ctx.node_passes(c, &node) {
            caps.truncate(mark);
            return false;
        }
        caps.push(Capture { index: c, node });
    }
    true
}

#[derive(Clone, Copy)]
pub(crate) struct Kid<'t> {
    node: Node<'t>,
    field: u16,
    named: bool,
}

/// Child patterns `children[j..]` against `kids[pos..]` (`last`: the kid the previous child
/// pattern matched).
#[allow(clippy::too_many_arguments)]
fn sequence<'t>(
    children: &[Child],
    list: usize,
    j: usize,
    pos: usize,
    last: Option<usize>,
    anchor_end: bool,
    ctx: &Ctx<'_, 't>,
    caps: &mut Vec<Capture<'t>>,
    k: &mut Cont<'_, 't>,
) -> bool {
    let from = last.map_or(0, |l| l + 1);
    let Some(child) = children.get(j) else {
        if anchor_end && ctx.any_named(list, from, usize::MAX) {
            return false;
        }
        return k(caps);
    };
    let mut ci = pos;
    // The list is borrowed only to read one kid: matching the kid may list other nodes' kids.
    while let Some(kid) = ctx.kid(list, ci) {
        if child.anchored && ctx.any_named(list, from, ci) {
            break;
        }
        if child.field.is_some_and(|f| f != kid.field) || !kind_fits(&child.pat, &kid.node) {
            ci += 1;
            continue;
        }
        let mut next = |caps: &mut Vec<Capture<'t>>| {
            sequence(
                children,
                list,
                j + 1,
                ci + 1,
                Some(ci),
                anchor_end,
                ctx,
                caps,
                k,
            )
        };
        if matches(&child.pat, kid.node, ctx, caps, &mut next) {
            return true;
        }
        ci += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use tree_sitter::{Language, Parser};

    /// (pattern index, [(capture name, text)]) of every match.
    fn run(lang: Language, query: &str, src: &str) -> Vec<(usize, Vec<(String, String)>)> {
        run_seek(lang, query, src, None)
    }

    /// As `run`, entering only the nodes that hold one of `seek`.
    fn run_seek(
        lang: Language,
        query: &str,
        src: &str,
        seek: Option<&Seek>,
    ) -> Vec<(usize, Vec<(String, String)>)> {
        let set = PatternSet::parse(&lang, query).unwrap_or_else(|e| panic!("{e:?}"));
        let m = Matcher::new(set, &lang);
        let mut p = Parser::new();
        p.set_language(&lang).unwrap_or_else(|e| panic!("{e}"));
        let tree = p.parse(src, None).unwrap_or_else(|| panic!("parse"));
        let mut out = Vec::new();
        let r = m.run(
            tree.root_node(),
            src.as_bytes(),
            seek,
            &|_| true,
            &|| false,
            &mut |pi, caps| {
                out.push((
                    pi,
                    caps.iter()
                        .map(|c| {
                            (
                                m.set.capture_names[c.index as usize].clone(),
                                c.node.utf8_text(src.as_bytes()).unwrap_or("").to_string(),
                            )
                        })
                        .collect(),
                ))
            },
        );
        assert_eq!(r, Ok(()));
        out
    }

    /// The same query through tree-sitter's own engine, for comparison.
    fn reference(lang: Language, query: &str, src: &str) -> Vec<(usize, Vec<(String, String)>)> {
        use tree_sitter::{Query, QueryCursor, StreamingIterator};
        let q = Query::new(&lang, query).unwrap_or_else(|e| panic!("{e}"));
        let mut p = Parser::new();
        p.set_language(&lang).unwrap_or_else(|e| panic!("{e}"));
        let tree = p.parse(src, None).unwrap_or_else(|| panic!("parse"));
        let mut c = QueryCursor::new();
        let mut it = c.matches(&q, tree.root_node(), src.as_bytes());
        let mut out = Vec::new();
        while let Some(m) = it.next() {
            let mut caps: Vec<_> = m
                .captures()
                .iter()
                .map(|c| {
                    (
                        q.capture_names()[c.index as usize].to_string(),
                        c.node.utf8_text(src.as_bytes()).unwrap_or("").to_string(),
                    )
                })
                .collect();
            caps.sort();
            out.push((m.pattern_index, caps));
        }
        out
    }

    fn same(lang: Language, query: &str, src: &str) {
        let mut a: Vec<_> = run(lang.clone(), query, src)
            .into_iter()
            .map(|(p, mut c)| {
                c.sort();
                (p, c)
            })
            .collect();
        let mut b = reference(lang, query, src);
        a.sort();
        b.sort();
        assert_eq!(a, b, "query {query} on {src}");
    }

    fn js() -> Language {
        tree_sitter_javascript::LANGUAGE.into()
    }
    fn py() -> Language {
        tree_sitter_python::LANGUAGE.into()
    }

    #[test]
    fn a_range_is_held_only_whole() {
        let r = [(2, 4), (10, 12), (10, 20)];
        assert!(holds_range(&r, 0, 4));
        assert!(holds_range(&r, 2, 4));
        assert!(!holds_range(&r, 3, 9), "starts before");
        assert!(!holds_range(&r, 0, 3), "ends after");
        assert!(holds_range(&r, 10, 12));
        assert!(!holds_range(&r, 11, 30));
        assert!(!holds_range(&r, 5, 5), "a zero-width node holds nothing");
        assert!(!holds_range(&[], 0, 100));
    }

    #[test]
    fn seeking_the_anchors_finds_the_same_matches_in_the_same_order() {
        let query = r#"
            (call function: (attribute object: (identifier) @_a attribute: (identifier) @f)
              (#eq? @_a "np")) @match
            (function_definition name: (identifier) @name (#match? @name "train")) @def
            (call function: (identifier) @g (#eq? @g "np")) @bare
        "#;
        let src = "import numpy as np\nx = np.zeros(np.ones(3))\n\nclass A:\n    def train_np(self):\n        return [np.sum(y) for y in np.arange(2)]\n\ndef pretrain(): np(1)\n";
        let occurrences = |word: &str| -> Vec<(usize, usize)> {
            src.match_indices(word)
                .map(|(i, w)| (i, i + w.len()))
                .collect()
        };
        let mut ranges: Vec<(usize, usize)> = occurrences("np");
        ranges.extend(occurrences("train"));
        ranges.sort_unstable();
        let all = run(py(), query, src);
        assert_eq!(all.len(), 7, "{all:?}");
        let seek = |ranges: Vec<(usize, usize)>| Seek {
            ranges,
            ..Seek::default()
        };
        assert_eq!(run_seek(py(), query, src, Some(&seek(ranges))), all);
        // Only the nodes that hold a range are tried: with just `zeros`, the outer call.
        let zeros = occurrences("zeros");
        assert_eq!(
            run_seek(py(), query, src, Some(&seek(zeros))),
            all[..1].to_vec()
        );
        assert!(run_seek(py(), query, src, Some(&seek(Vec::new()))).is_empty());
        // A scope: every node inside a function definition that holds `train` is looked at
        // (its calls need no range of their own), and nothing outside one.
        let lang = py();
        let def = lang.id_for_node_kind("function_definition", true);
        let scoped = Seek {
            ranges: Vec::new(),
            scope_kinds: vec![def],
            scope_ranges: occurrences("train"),
        };
        let inside_defs: Vec<_> = all.iter().skip(2).cloned().collect();
        assert_eq!(run_seek(lang, query, src, Some(&scoped)), inside_defs);
    }

    #[test]
    fn fields_alternations_and_predicates_agree_with_tree_sitter() {
        let q = r#"(call_expression
  function: [(identifier) @_fn
             (member_expression property: (property_identifier) @_fn)]
  (#any-of? @_fn "on" "once" "require")
  arguments: (arguments . (string) @ev)) @match"#;
        same(
            js(),
            q,
            "a.on('x', f); on('y'); b.off('z'); require('fs'); a.once(1, 'q');",
        );
    }

    #[test]
    fn anchors_agree_with_tree_sitter() {
        let q = "(arguments . (_) @first . (_) @second)\n(arguments (_) @last .)\n(arguments (string) @any)";
        same(js(), q, "f(1, 'a', 'b'); g('c'); h(); k(/* c */ 'd', 2);");
    }

    #[test]
    fn unanchored_children_give_every_assignment() {
        same(
            js(),
            "(arguments (string) @a (string) @b)",
            "f('1', x, '2', '3');",
        );
    }

    #[test]
    fn negated_fields_anonymous_nodes_and_wildcards() {
        same(
            py(),
            "(import_from_statement !module_name) @x\n(aliased_import !alias)",
            "from . import a\nimport b as c\n",
        );
        same(
            js(),
            r#"(binary_expression operator: ["+" "*"] right: (_) @r) @m"#,
            "a + b * c - d;",
        );
        same(
            py(),
            "(call function: (_) @f (argument_list _ @any))",
            "f(a, *b)\n",
        );
        same(
            py(),
            r#"(call function: (identifier) @f (#match? @f "^[a-z]+_") (#not-eq? @f "x_"))"#,
            "a_b()\nx_()\nC_()\n",
        );
        same(py(), "(call function: (identifier) @a arguments: (argument_list (identifier) @b) (#eq? @a @b))", "f(f)\nf(g)\n");
    }

    #[test]
    fn supertypes_match_their_subtypes() {
        same(
            py(),
            "(return_statement (expression) @e)",
            "def f():\n    return a + 1\n",
        );
    }

    #[test]
    fn a_time_limit_stops_the_run() {
        let lang = js();
        let set = PatternSet::parse(&lang, "(identifier) @x").unwrap_or_else(|e| panic!("{e:?}"));
        let m = Matcher::new(set, &lang);
        let mut p = Parser::new();
        p.set_language(&lang).unwrap_or_else(|e| panic!("{e}"));
        let src = "a;".repeat(2000);
        let tree = p.parse(&src, None).unwrap_or_else(|| panic!("parse"));
        let r = m.run(
            tree.root_node(),
            src.as_bytes(),
            None,
            &|_| true,
            &|| true,
            &mut |_, _| {},
        );
        assert_eq!(r, Err(Stopped));
    }
}
