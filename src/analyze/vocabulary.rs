//! The vocabulary rules, per file: the names a file defines (captured as `@definition` by the
//! language's `definitions.scm` in the same combined query as every other rule, so no second
//! parse or pass) are split into words and looked up in the rule set's precompiled
//! `Vocabulary`. A file that defines at least `min_distinct` distinct terms of one rule gets
//! one finding for it, at the first such definition, counting the distinct terms.
use crate::finding::{make_finding, render, Finding};
use crate::rules::{Ruleset, WordSplit};
use std::sync::Arc;
use tree_sitter::Node;

/// The names listed in a finding's message.
const LISTED: usize = 3;

/// Terms one file's definitions spelled so far.
#[derive(Default)]
pub(super) struct DefinedTerms<'t> {
    names: usize,
    split: WordSplit,
    /// Per vocabulary entry: each distinct term met, with the first name that spelled it.
    hits: Vec<Vec<(usize, Node<'t>)>>,
}

impl<'t> DefinedTerms<'t> {
    /// One defined name (`@definition`).
    pub(super) fn add(&mut self, rs: &Ruleset, name: Node<'t>, src: &[u8]) {
        let vocab = &rs.vocabulary;
        if self.names >= vocab.max_names_per_file {
            return;
        }
        self.names += 1;
        let Some(text) = src.get(name.start_byte()..name.end_byte()) else {
            return;
        };
        self.split.split(text);
        if self.hits.is_empty() {
            self.hits.resize_with(vocab.entries.len(), Vec::new);
        }
        let hits = &mut self.hits;
        vocab.terms_in(&self.split, |t| {
            if let Some(seen) = hits.get_mut(t.entry) {
                if !seen.iter().any(|(term, _)| *term == t.term) {
                    seen.push((t.term, name));
                }
            }
        });
    }

    /// One finding per vocabulary rule whose terms this file defined enough of.
    pub(super) fn findings(
        self,
        rs: &Ruleset,
        path: &Arc<str>,
        src: &[u8],
        out: &mut Vec<Finding>,
    ) {
        for (entry, mut seen) in rs.vocabulary.entries.iter().zip(self.hits) {
            if seen.len() < entry.min_distinct {
                continue;
            }
            seen.sort_by_key(|(_, n)| n.start_byte());
            let Some(&(_, first)) = seen.first() else {
                continue;
            };
            let mut names: Vec<&str> = Vec::new();
            for (_, n) in &seen {
                let text = n.utf8_text(src).unwrap_or("");
                if !names.contains(&text) && names.len() < LISTED {
                    names.push(text);
                }
            }
            let mut listed = names.join(", ");
            if seen.len() > names.len() {
                listed.push_str(&format!(" and {} more", seen.len() - names.len()));
            }
            let rule = &rs.rules[entry.rule];
            let message = render(&rule.message, "", &listed);
            let mut f = make_finding(entry.rule, path, first, src, message, rule.weight, None);
            f.count = seen.len() as u32;
            out.push(f);
        }
    }
}
