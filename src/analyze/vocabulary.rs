//! The vocabulary rules, per file: the names a file defines (captured as `@definition` by the
//! language's `definitions.scm` in the same combined query as every other rule, so no second
//! parse or pass) are split into words and looked up in the rule set's precompiled
//! `Vocabulary`. A file that defines at least `min_distinct` distinct terms of one rule gets
//! one finding for it, at the first such definition, counting the distinct terms.
use crate::finding::{make_finding, render, Finding};
use crate::rules::{Ruleset, WordSplit};
use crate::semantic::resolve::SemanticModel;
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
        fx: &SemanticModel<'t>,
        out: &mut Vec<Finding>,
    ) {
        let src = fx.src;
        for (entry, mut seen) in rs.vocabulary.entries.iter().zip(self.hits) {
            if seen.len() < entry.min_distinct {
                continue;
            }
            seen.sort_by_key(|(_, n)| n.start_byte());
            let Some(&(_, first)) = seen.first() else {
                continue;
            };
            // The defining names, each once (one name may spell two terms: `plot_heatmap`).
            let mut names: Vec<&str> = Vec::new();
            for (_, n) in &seen {
                let text = n.utf8_text(src).unwrap_or("");
                if !names.contains(&text) {
                    names.push(text);
                }
            }
            let mut listed = names[..names.len().min(LISTED)].join(", ");
            if names.len() > LISTED {
                listed.push_str(&format!(" and {} more", names.len() - LISTED));
            }
            let rule = &rs.rules[entry.rule];
            let message = render(&rule.message, "", &listed);
            let mut f = make_finding(entry.rule, path, first, fx, message, rule.weight, None);
            f.count = seen.len() as u32;
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::source::SourceAnalyzer;
    use crate::lang::Lang;
    use crate::rules::Ruleset;
    use std::sync::Arc;
    use std::time::Duration;

    fn messages(lang: Lang, src: &str) -> Vec<(String, u32, u32, String)> {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut s = SourceAnalyzer::new(Duration::from_secs(5));
        let path: Arc<str> = Arc::from("t");
        s.findings(&rs, lang, src.as_bytes(), &path)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .map(|f| (rs.rules[f.rule].code.clone(), f.line, f.count, f.message))
            .collect()
    }

    #[test]
    fn one_finding_per_file_at_the_first_definition() {
        let got = messages(
            Lang::JavaScript,
            "lib.mfcc(x);\n// spectrogram\nconst s = 'chroma';\nexport function pitchShift() {}\nexport const mfcc = () => 1;\nclass ChromaFeatures {}\nfunction detectOnsets() {}\nfunction stft() {}\n",
        );
        assert_eq!(
            got,
            [(
                "SF357".to_string(),
                4,
                5,
                "defines audio, speech or face analysis names: pitchShift, mfcc, ChromaFeatures and 2 more"
                    .to_string()
            )]
        );
    }

    #[test]
    fn one_name_can_spell_two_terms() {
        let got = messages(Lang::Python, "def plot_heatmap(df):\n    pass\n");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, 2);
        assert!(got[0].3.ends_with("names: plot_heatmap"), "{got:?}");
    }
}
