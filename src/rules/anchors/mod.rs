//! The byte anchors of a grammar's compiled rules, for the per-file prefilter: a file that
//! contains none of the bytes any pattern needs cannot yield a finding, so it is not parsed.
//!
//! Everything is derived from the rule data when the combined query is compiled; nothing is
//! listed by hand. Each pattern of the query gets a list of *clauses*, each clause a set of
//! anchors of which the file must contain at least one (a conjunction of disjunctions):
//! - a text predicate (`#eq?`, `#any-eq?`, `#any-of?`, `#match?`) on a capture the pattern always
//!   captures (quantifier one or one-or-more, so an alternation branch or an optional capture,
//!   which pass the predicate vacuously, give nothing): the literal(s), since a node's text is a
//!   slice of the file; for `#match?`, the literal every match of the regex contains, if any;
//! - an import pattern: the names of the libraries in `libraries.toml` whose trait has an import
//!   rule (an import counts only through the table), with the boundaries the grammar guarantees
//!   (see [`Bound`]);
//! - a definition pattern: the vocabulary's terms (one word of each spelling, ASCII case folded,
//!   as the word splitter folds);
//! - a rule's `requires` list in its TOML (for a pattern whose text predicates say nothing, but
//!   whose rule can only fire in code that spells one of these, like SF241's async code).
//!
//! The suppression marker `stackfit:` (SF002/SF003 read comments) makes every file that
//! holds it a candidate. A pattern with no clause is always possible, so its grammar's files are
//! always parsed: the prefilter is sound by construction, and only as selective as the data.
//!
//! At scan time one Aho-Corasick pass (plus one ASCII case-insensitive pass for the vocabulary)
//! finds which anchors a file contains; the same answer then also skips matches of patterns that
//! cannot lead to a finding in that file, before their context checks run. Where each pattern
//! still possible has an anchor that lies inside its every match (all but the `requires`
//! words), the places of those anchors bound where matches can be, and the matcher only enters
//! the nodes that hold one (`FileAnchors::seek_ranges`).
mod predicates;

use super::compile::PatternRole;
use super::matcher::Seek;
use super::pattern::PatternSet;
use super::Ruleset;
use crate::lang::Lang;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use predicates::predicate_clauses;
use std::collections::HashMap;

/// The suppression comment marker (see `analyze::suppress`).
const MARKER: &str = "stackfit:";
/// A clause holding an unbounded anchor shorter than this is dropped (matches almost any file;
/// dropping a clause only makes the filter less selective, never unsound).
const MIN_ANCHOR: usize = 3;

/// Where an anchor may sit in the file, beyond containing its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// Anywhere.
    Free,
    /// A Python module name as `import`/`from` or `__import__("...")` name it: the library table
    /// matches the whole dotted name or a dotted prefix, so the name is followed by `.` or a
    /// byte that cannot continue an identifier; and it starts a token, so it is not preceded by
    /// an identifier that starts with a letter or `_` (the lexer would have taken the name in).
    /// A preceding digit run may be a number literal, so it does not disqualify.
    PyModule,
    /// The whole text of an identifier node (`(identifier) @x (#eq? @x "np")`): a token, so not
    /// continued by an identifier byte (`$` too in JavaScript) and not preceded by an identifier
    /// that starts with a letter or `_` (a digit run may be a number literal before it).
    Word { dollar: bool },
    /// An exact npm package name inside a string fragment: `name`, `name/sub`, `node:name`: the
    /// next byte ends the package (`/`), the fragment (quote, `\`, a line end) or the file.
    NpmExact,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Anchor {
    bytes: Vec<u8>,
    fold: bool,
    bound: Bound,
}

/// The compiled anchors of one grammar.
pub struct Anchors {
    /// One ASCII case-insensitive automaton for every anchor: a case-sensitive anchor's hits
    /// are checked against its bytes (one pass over the file, not one per case mode).
    automaton: Option<AhoCorasick>,
    /// Ids of `automaton`'s patterns, in order.
    ids: Vec<u32>,
    /// Per anchor: the bytes a hit must equal exactly (`None`: case folded).
    exact: Vec<Option<Vec<u8>>>,
    bounds: Vec<Bound>,
    /// Per pattern of the query: its clauses (none: always possible).
    clauses: Vec<Vec<Clause>>,
    /// Per pattern whose rule has `requires_within`: that node kind, which holds the `requires`
    /// clause's word around every match.
    scope: Vec<Option<u16>>,
    /// Per pattern: whether a match of it can yield a finding by itself (`Requires` cannot).
    yields: Vec<bool>,
    marker: Option<u32>,
    /// The patterns that yield findings with no clause (always possible), by their source.
    always: Vec<String>,
}

/// Anchors of which a file must hold one for a pattern to match there.
#[derive(Debug)]
struct Clause {
    ids: Vec<u32>,
    /// Whether the anchor lies inside every match (a text predicate's literal, an import's
    /// library name, a defined name's word), not somewhere else in the file (a `requires`
    /// word). See [`FileAnchors::seek_ranges`].
    inside: bool,
}

/// What the prefilter found in one file.
pub struct FileAnchors<'a> {
    anchors: &'a Anchors,
    present: Vec<bool>,
    /// Every occurrence whose bound holds: (start, end, anchor id), in no particular order.
    hits: Vec<(usize, usize, u32)>,
}

impl FileAnchors<'_> {
    /// Whether a match of pattern `pi` can lead to a finding in this file.
    pub fn pattern_possible(&self, pi: usize) -> bool {
        self.anchors.clauses.get(pi).map_or(true, |cl| {
            cl.iter()
                .all(|c| c.ids.iter().any(|&a| self.present[a as usize]))
        })
    }

    /// The byte ranges a match of any pattern `possible` lets through must contain one of, sorted
    /// and without repeats; `None` when some such pattern has no anchor inside its matches.
    ///
    /// Every match of a pattern contains an occurrence of one anchor of each of its inside
    /// clauses (the capture the literal is read from lies in the match, and its text passes the
    /// anchor's bound at that place), so the matcher need only look at nodes that contain one
    /// of these ranges: an ancestor chain per occurrence, not the whole tree. Of a pattern's
    /// inside clauses the one with the fewest occurrences in this file is used.
    ///
    /// A pattern whose rule has `requires_within` and no inside anchor adds its node kind and
    /// the places of its `requires` words: its matches lie in such a node that holds one.
    pub fn seek_ranges(&self, possible: impl Fn(usize) -> bool) -> Option<Seek> {
        let a = self.anchors;
        let mut count = vec![0u32; a.bounds.len()];
        for &(_, _, id) in &self.hits {
            count[id as usize] += 1;
        }
        // Per anchor: 1 for `ranges`, 2 for `scope_ranges` (both bits can be set).
        let mut wanted = vec![0u8; a.bounds.len()];
        let mut scope_kinds = Vec::new();
        for pi in (0..a.clauses.len()).filter(|&pi| possible(pi)) {
            let clauses = a.clauses.get(pi)?;
            let best = clauses.iter().filter(|c| c.inside).min_by_key(|c| {
                c.ids
                    .iter()
                    .map(|&id| u64::from(count[id as usize]))
                    .sum::<u64>()
            });
            let scoped = || {
                Some((
                    a.scope.get(pi).copied()??,
                    clauses.iter().find(|c| !c.inside)?,
                ))
            };
            let (clause, bit) = match (best, scoped()) {
                (Some(c), _) => (c, 1),
                (None, Some((kind, c))) => {
                    scope_kinds.push(kind);
                    (c, 2)
                }
                (None, None) => return None,
            };
            for &id in &clause.ids {
                wanted[id as usize] |= bit;
            }
        }
        let ranges = |bit: u8| {
            let mut r: Vec<(usize, usize)> = self
                .hits
                .iter()
                .filter(|h| wanted[h.2 as usize] & bit != 0)
                .map(|h| (h.0, h.1))
                .collect();
            r.sort_unstable();
            r.dedup();
            r
        };
        scope_kinds.sort_unstable();
        scope_kinds.dedup();
        Some(Seek {
            ranges: ranges(1),
            scope_kinds,
            scope_ranges: ranges(2),
        })
    }

    /// Whether the file can yield any finding or diagnostic at all (else it need not be parsed).
    pub fn any_possible(&self) -> bool {
        if self
            .anchors
            .marker
            .is_some_and(|m| self.present[m as usize])
        {
            return true;
        }
        (0..self.anchors.clauses.len())
            .any(|pi| self.anchors.yields[pi] && self.pattern_possible(pi))
    }
}

impl Anchors {
    /// Which anchors `src` contains.
    pub fn scan<'a>(&'a self, src: &[u8]) -> FileAnchors<'a> {
        let mut present = vec![false; self.bounds.len()];
        let mut hits = Vec::new();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(src) {
                let Some(&id) = self.ids.get(m.pattern().as_usize()) else {
                    continue;
                };
                let (start, end) = (m.start(), m.end());
                if let Some(Some(bytes)) = self.exact.get(id as usize) {
                    if src.get(start..end) != Some(bytes.as_slice()) {
                        continue;
                    }
                }
                if bound_holds(self.bounds[id as usize], src, start, end) {
                    present[id as usize] = true;
                    hits.push((start, end, id));
                }
            }
        }
        FileAnchors {
            anchors: self,
            present,
            hits,
        }
    }

    /// The source of each pattern that has no anchor (always possible), for tests and benchmarks.
    pub fn always_possible(&self) -> &[String] {
        &self.always
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Not inside a longer identifier: `is_id` bytes neither follow nor (unless the run before is
/// a number literal's digits) precede `start..end`.
fn token_bounded(src: &[u8], start: usize, end: usize, is_id: impl Fn(u8) -> bool) -> bool {
    if src.get(end).is_some_and(|b| is_id(*b)) {
        return false;
    }
    let run = src[..start].iter().rev().take_while(|b| is_id(**b)).count();
    run == 0 || src[start - run].is_ascii_digit()
}

fn bound_holds(bound: Bound, src: &[u8], start: usize, end: usize) -> bool {
    let next = src.get(end).copied();
    match bound {
        Bound::Free => true,
        Bound::NpmExact => next.map_or(true, |b| {
            matches!(b, b'/' | b'\'' | b'"' | b'\\' | b'\n' | b'\r') || b >= 0x80
        }),
        Bound::PyModule => token_bounded(src, start, end, is_ident),
        Bound::Word { dollar } => {
            token_bounded(src, start, end, |b| is_ident(b) || (dollar && b == b'$'))
        }
    }
}

/// Collects anchors and clauses while the query's patterns are examined.
#[derive(Default)]
struct Builder {
    ids: HashMap<Anchor, u32>,
    list: Vec<Anchor>,
}

impl Builder {
    fn id(&mut self, a: Anchor) -> u32 {
        if let Some(&id) = self.ids.get(&a) {
            return id;
        }
        let id = self.list.len() as u32;
        self.ids.insert(a.clone(), id);
        self.list.push(a);
        id
    }

    /// A clause from its anchors, or `None` when one of them is too short to be worth it.
    fn clause(&mut self, anchors: Vec<Anchor>) -> Option<Vec<u32>> {
        let weak = |a: &Anchor| {
            a.bytes.is_empty() || (a.bound == Bound::Free && a.bytes.len() < MIN_ANCHOR)
        };
        if anchors.is_empty() || anchors.iter().any(weak) {
            return None;
        }
        let mut ids: Vec<u32> = anchors.into_iter().map(|a| self.id(a)).collect();
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }

    fn automaton(&self) -> (Option<AhoCorasick>, Vec<u32>) {
        let (ids, pats): (Vec<u32>, Vec<&[u8]>) = self
            .list
            .iter()
            .enumerate()
            .map(|(i, a)| (i as u32, a.bytes.as_slice()))
            .unzip();
        if pats.is_empty() {
            return (None, ids);
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            // A DFA: the overlapping search visits every byte, and a DFA step is a table lookup
            // (a few hundred anchors make a table of well under a megabyte).
            .kind(Some(AhoCorasickKind::DFA))
            .build(pats)
            .ok();
        // An automaton that cannot be built leaves every anchor absent: then every pattern
        // must be treated as possible, which `anchors` ensures by dropping the clauses.
        (ac, ids)
    }
}

fn free(s: &str) -> Anchor {
    Anchor {
        bytes: s.as_bytes().to_vec(),
        fold: false,
        bound: Bound::Free,
    }
}

impl Ruleset {
    /// The anchors of a combined query (`text` is its source, `roles` its patterns' roles).
    pub(super) fn anchors(
        &self,
        lang: Lang,
        set: &PatternSet,
        text: &str,
        roles: &[PatternRole],
    ) -> Anchors {
        let mut b = Builder::default();
        let libraries = self.library_anchors(lang);
        let vocabulary = self.vocabulary_anchors();
        let mut clauses: Vec<Vec<Clause>> = Vec::with_capacity(roles.len());
        let mut spans = Vec::with_capacity(roles.len());
        for (pi, role) in roles.iter().enumerate() {
            let span = text
                .get(set.patterns.get(pi).map_or(0..0, |p| p.span.0..p.span.1))
                .unwrap_or("");
            spans.push(span);
            let mut cl: Vec<Clause> = predicate_clauses(set, pi, span, lang)
                .into_iter()
                .filter_map(|set| b.clause(set))
                .map(|ids| Clause { ids, inside: true })
                .collect();
            // An import's library name and a definition's word are in the captured name; a
            // rule's `requires` words may be anywhere in the file.
            let extra = match role {
                PatternRole::Import => Some((libraries.clone(), true)),
                PatternRole::Definition => Some((vocabulary.clone(), true)),
                PatternRole::Rule(ri) | PatternRole::Requires(ri) => {
                    let req = &self.rules[*ri].requires;
                    (!req.is_empty()).then(|| (req.iter().map(|s| free(s)).collect(), false))
                }
            };
            if let Some((set, inside)) = extra {
                if let Some(ids) = b.clause(set) {
                    cl.push(Clause { ids, inside });
                }
            }
            clauses.push(cl);
        }
        let marker = b
            .clause(vec![free(MARKER)])
            .and_then(|c| c.first().copied());
        let (automaton, ids) = b.automaton();
        // Anchors of an automaton that failed to build can never be seen: drop the clauses
        // that use them, so their patterns count as possible.
        let lost = |_: &u32| automaton.is_none();
        for cl in &mut clauses {
            cl.retain(|c| !c.ids.iter().any(lost));
        }
        let marker = marker.filter(|m| !lost(m));
        let yields: Vec<bool> = roles
            .iter()
            .map(|r| !matches!(r, PatternRole::Requires(_)))
            .collect();
        let always = (0..clauses.len())
            .filter(|&pi| yields[pi] && clauses[pi].is_empty())
            .map(|pi| spans[pi].split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        Anchors {
            exact: b
                .list
                .iter()
                .map(|a| (!a.fold).then(|| a.bytes.clone()))
                .collect(),
            automaton,
            ids,
            bounds: b.list.iter().map(|a| a.bound).collect(),
            clauses,
            scope: self.scopes(lang, roles),
            yields,
            marker,
            always,
        }
    }

    /// Per pattern whose rule has `requires_within`: that node kind (checked to exist when the
    /// grammar's rules are compiled).
    fn scopes(&self, lang: Lang, roles: &[PatternRole]) -> Vec<Option<u16>> {
        let language = lang.ts_language();
        roles
            .iter()
            .map(|role| {
                let (PatternRole::Rule(ri) | PatternRole::Requires(ri)) = role else {
                    return None;
                };
                let kind = self.rules.get(*ri)?.requires_within.as_deref()?;
                Some(language.id_for_node_kind(kind, true)).filter(|&id| id != 0)
            })
            .collect()
    }

    /// The names an import must spell for the library table to know it, for this grammar.
    fn library_anchors(&self, lang: Lang) -> Vec<Anchor> {
        let counts = |lib: usize| {
            self.libraries
                .get(lib)
                .is_some_and(|l| self.import_rule_for(&l.trait_id).is_some())
        };
        let mut out = Vec::new();
        if lang == Lang::Python {
            for (name, &lib) in &self.python_modules {
                if counts(lib) {
                    out.push(Anchor {
                        bytes: name.as_bytes().to_vec(),
                        fold: false,
                        bound: Bound::PyModule,
                    });
                }
            }
        } else {
            for (name, &lib) in &self.npm_exact {
                if counts(lib) {
                    out.push(Anchor {
                        bytes: name.as_bytes().to_vec(),
                        fold: false,
                        bound: Bound::NpmExact,
                    });
                }
            }
            for (prefix, lib) in &self.npm_prefix {
                if counts(*lib) {
                    out.push(free(prefix));
                }
            }
        }
        out.sort_by(|a, b| a.bytes.cmp(&b.bytes));
        out
    }

    /// One word of every spelling of every vocabulary term (its longest), ASCII case folded:
    /// a defined name spells a term only if each of its words appears in the name.
    fn vocabulary_anchors(&self) -> Vec<Anchor> {
        let mut out = Vec::new();
        for key in self.vocabulary.keys() {
            let word = key.split(' ').max_by_key(|w| w.len()).unwrap_or("");
            out.push(Anchor {
                bytes: word.as_bytes().to_vec(),
                fold: true,
                bound: Bound::Free,
            });
        }
        out.sort_by(|a, b| a.bytes.cmp(&b.bytes));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let py = |s: &str, at: usize, len: usize| {
            bound_holds(Bound::PyModule, s.as_bytes(), at, at + len)
        };
        assert!(py("import sh\n", 7, 2));
        assert!(py("import sh.x", 7, 2));
        assert!(!py("x = push(1)", 6, 2));
        assert!(!py("shape", 0, 2));
        assert!(py("import 1sh", 8, 2));
        let npm = |s: &str, at: usize, len: usize| {
            bound_holds(Bound::NpmExact, s.as_bytes(), at, at + len)
        };
        assert!(npm("require('ws')", 9, 2));
        assert!(npm("require('ws/x')", 9, 2));
        assert!(!npm("require('wsx')", 9, 2));
        assert!(npm("ws", 0, 2));
    }

    #[test]
    fn embedded_rules_have_anchors() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        for lang in Lang::ALL {
            let Some(c) = rs.compiled(lang) else { continue };
            assert!(c.anchors.scan(b"# stackfit: ignore\n").any_possible());
        }
        // Every Python pattern has an anchor. JavaScript has patterns with none (every JSX
        // element, every loop, ...): its files are always parsed, which is sound.
        let a = &rs
            .compiled(Lang::Python)
            .unwrap_or_else(|| panic!("python"))
            .anchors;
        assert!(
            !a.scan(b"x = 1\n").any_possible(),
            "always possible: {:?}",
            a.always_possible()
        );
        let js = &rs
            .compiled(Lang::JavaScript)
            .unwrap_or_else(|| panic!("js"))
            .anchors;
        assert!(js.scan(b"x = 1\n").any_possible());
        assert!(!js.always_possible().is_empty());
        let py = rs
            .compiled(Lang::Python)
            .unwrap_or_else(|| panic!("python"));
        assert!(py.anchors.scan(b"import torch\n").any_possible());
        assert!(!py.anchors.scan(b"import torchvisionx\n").any_possible());
    }

    #[test]
    fn seek_ranges_are_the_inside_anchors_of_the_possible_patterns() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let py = rs
            .compiled(Lang::Python)
            .unwrap_or_else(|| panic!("python"));
        let src = b"import torch\nx = np.zeros(3)\n";
        let f = py.anchors.scan(src);
        let seek = f
            .seek_ranges(|pi| f.pattern_possible(pi))
            .unwrap_or_else(|| panic!("every possible pattern has an inside anchor"));
        let ranges = &seek.ranges;
        assert!(seek.scope_kinds.is_empty() && seek.scope_ranges.is_empty());
        for (word, at) in [("torch", 7), ("np", 17)] {
            assert!(
                ranges.contains(&(at, at + word.len())),
                "{word}: {ranges:?}"
            );
        }
        assert!(ranges.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        // SF222's only anchor is its `requires` word, which lies not in the call it matches
        // but in the `async def` around it (`requires_within`): that is a scope.
        let src = b"import asyncio\nasync def main():\n    helper()\n";
        let f = py.anchors.scan(src);
        let seek = f
            .seek_ranges(|pi| f.pattern_possible(pi))
            .unwrap_or_else(|| panic!("SF222 has a scope"));
        let def = Lang::Python
            .ts_language()
            .id_for_node_kind("function_definition", true);
        assert_eq!(seek.scope_kinds, [def]);
        // `async` in `asyncio` and in `async def`: only a definition that holds one is a scope.
        assert_eq!(seek.scope_ranges, [(7, 12), (15, 20)]);
        // A pattern that is not possible does not stop seeking.
        assert_eq!(f.seek_ranges(|_| false), Some(Seek::default()));
        // Without `requires_within`, SF222's file is walked whole.
        let files: Vec<(String, String)> = super::super::load::embedded::FILES
            .iter()
            .map(|(p, s)| {
                (
                    p.to_string(),
                    s.replace("requires_within", "# requires_within"),
                )
            })
            .collect();
        let rs = Ruleset::from_files(&files).unwrap_or_else(|e| panic!("{e}"));
        let py = rs
            .compiled(Lang::Python)
            .unwrap_or_else(|| panic!("python"));
        let f = py.anchors.scan(src);
        assert_eq!(f.seek_ranges(|pi| f.pattern_possible(pi)), None);
    }
}
