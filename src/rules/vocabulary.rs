//! Domain vocabulary, as data: the words a library that *implements* a domain gives the names it
//! defines (`mfcc`, `spectrogram`, `conv2d`, `groupBy`). Such a library imports no ML or
//! data library, so its own names are the evidence. `queries/vocabulary.toml` lists the terms
//! of each vocabulary rule; this module checks them and compiles them once into one lookup
//! from word runs to (rule, term), and splits an identifier into the lowercase words that
//! lookup is keyed by. The scanner (`analyze::vocabulary`) feeds it the names a file defines.
//!
//! A term is one or more lowercase words separated by spaces; `a|b` lists spellings of one
//! term. A name spells a term when a run of its words equals the term's words, or one of its
//! words is the term's words written together, optionally with a plural `s`: `"group by"`
//! matches `groupBy`, `group_by` and `groupby`; `"onset"` matches `detectOnsets` but not `onSet`.
use super::model::{Rule, Source};
use super::LoadError;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VocabularyFile {
    /// Defined names looked at per file (bounds what a generated file can cost).
    max_names_per_file: usize,
    #[serde(default, rename = "vocabulary")]
    entries: Vec<EntryDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDef {
    rule: String,
    /// Distinct terms a file must define before it is a finding.
    min_distinct: usize,
    terms: Vec<String>,
}

/// One vocabulary rule's terms.
#[derive(Debug, Clone)]
pub struct VocabularyEntry {
    /// Index into `Ruleset::rules`.
    pub rule: usize,
    pub min_distinct: usize,
    /// Each term's first spelling, as the TOML writes it.
    pub terms: Vec<String>,
}

/// A term of an entry: `entries[entry].terms[term]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef {
    pub entry: usize,
    pub term: usize,
}

/// The compiled vocabulary: every spelling's key (words joined by one space, and for a
/// multi-word term also written together) to its term.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub max_names_per_file: usize,
    pub entries: Vec<VocabularyEntry>,
    keys: HashMap<String, TermRef>,
    /// The most words a key has, and its longest length: runs beyond them are not looked up.
    max_words: usize,
    max_key_len: usize,
}

impl Vocabulary {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every spelling's key (words joined by one space, or written together), for the
    /// prefilter's anchors.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Calls `hit` for each term the words of `split` (one split name) spell, leftmost-longest:
    /// the longest term starting at a word wins and the search resumes after it, so
    /// `scatterPlot` is "scatter plot", not also "plot". A term may be reported more than once.
    pub fn terms_in(&self, split: &WordSplit, mut hit: impl FnMut(TermRef)) {
        let n = split.len();
        let mut i = 0;
        while i < n {
            let mut longest = None;
            for j in i + 1..=n.min(i + self.max_words) {
                let run = split.run(i, j);
                if run.len() > self.max_key_len + 1 {
                    break;
                }
                if let Some(t) = self.lookup(run) {
                    longest = Some((j, t));
                }
            }
            match longest {
                Some((j, t)) => {
                    hit(t);
                    i = j;
                }
                None => i += 1,
            }
        }
    }

    /// A run's term, as written or with a plural `s`.
    fn lookup(&self, run: &str) -> Option<TermRef> {
        self.keys.get(run).copied().or_else(|| {
            run.strip_suffix('s')
                .filter(|s| s.len() >= 3)
                .and_then(|s| self.keys.get(s).copied())
        })
    }

    /// Checks `queries/vocabulary.toml` against the rules: every entry names a vocabulary rule,
    /// every vocabulary rule has one entry, and no spelling belongs to two terms.
    pub(super) fn build(text: Option<&str>, rules: &[Rule]) -> Result<Vocabulary, LoadError> {
        let err = |m: String| LoadError(format!("queries/vocabulary.toml: {m}"));
        let Some(text) = text else {
            if let Some(r) = rules.iter().find(|r| r.source == Source::Vocabulary) {
                return Err(err(format!("is missing (rule {} needs it)", r.code)));
            }
            return Ok(Vocabulary::default());
        };
        let file: VocabularyFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut v = Vocabulary {
            max_names_per_file: file.max_names_per_file,
            ..Vocabulary::default()
        };
        for def in &file.entries {
            let rule = rules
                .iter()
                .position(|r| r.code == def.rule && r.source == Source::Vocabulary)
                .ok_or_else(|| {
                    err(format!(
                        "`{}` is no rule with source = \"vocabulary\"",
                        def.rule
                    ))
                })?;
            if v.entries.iter().any(|e| e.rule == rule) {
                return Err(err(format!("rule {} has two vocabularies", def.rule)));
            }
            if def.min_distinct == 0 || def.terms.is_empty() {
                return Err(err(format!(
                    "{}: needs terms and min_distinct >= 1",
                    def.rule
                )));
            }
            let entry = v.entries.len();
            let mut terms = Vec::new();
            for (term, spellings) in def.terms.iter().enumerate() {
                let at = TermRef { entry, term };
                for spelling in spellings.split('|') {
                    v.add_spelling(spelling, at, &def.rule, &file.entries)?;
                }
                terms.push(spellings.split('|').next().unwrap_or("").trim().to_string());
            }
            v.entries.push(VocabularyEntry {
                rule,
                min_distinct: def.min_distinct,
                terms,
            });
        }
        if let Some(r) = rules.iter().enumerate().find(|(i, r)| {
            r.source == Source::Vocabulary && !v.entries.iter().any(|e| e.rule == *i)
        }) {
            return Err(err(format!("rule {} has no vocabulary", r.1.code)));
        }
        Ok(v)
    }

    fn add_spelling(
        &mut self,
        spelling: &str,
        at: TermRef,
        code: &str,
        defs: &[EntryDef],
    ) -> Result<(), LoadError> {
        let words: Vec<&str> = spelling.split_whitespace().collect();
        let valid = |w: &&str| {
            w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        if words.is_empty() || !words.iter().all(valid) {
            return Err(LoadError(format!(
                "queries/vocabulary.toml: {code}: term `{spelling}` must be lowercase words (a-z, 0-9) separated by spaces"
            )));
        }
        let mut keys = vec![words.join(" ")];
        if words.len() > 1 {
            keys.push(words.concat());
        }
        for key in keys {
            self.max_words = self.max_words.max(words.len());
            self.max_key_len = self.max_key_len.max(key.len());
            if let Some(prev) = self.keys.insert(key.clone(), at) {
                if prev != at {
                    let owner = defs.get(prev.entry).map_or("?", |d| d.rule.as_str());
                    return Err(LoadError(format!(
                        "queries/vocabulary.toml: `{key}` is a term of both {owner} and {code}"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// One identifier split into lowercase ASCII words, kept in one reused buffer (words separated
/// by one space) so splitting the names of a file allocates nothing after the first.
///
/// Words break at `_`, `$` and other non-alphanumerics, at a lower-to-upper change
/// (`computeMfcc`), and before the last capital of an acronym (`MFCCFeatures` -> mfcc,
/// features). Digits stay with their word, and so does one capital after them: `conv2d`,
/// `Conv2D`, `float32Array` -> float32, array; `layer2Output` -> layer2, output.
#[derive(Debug, Default)]
pub struct WordSplit {
    text: String,
    /// End of each word in `text`.
    ends: Vec<usize>,
}

/// Identifiers longer than this are cut (minified or generated code).
const MAX_NAME: usize = 128;

impl WordSplit {
    pub fn split(&mut self, name: &[u8]) {
        self.text.clear();
        self.ends.clear();
        let b = &name[..name.len().min(MAX_NAME)];
        let mut in_word = false;
        for (i, &c) in b.iter().enumerate() {
            if !c.is_ascii_alphanumeric() {
                if in_word {
                    self.ends.push(self.text.len());
                }
                in_word = false;
                continue;
            }
            if in_word && breaks_before(b, i) {
                self.ends.push(self.text.len());
                in_word = false;
            }
            if !in_word && !self.text.is_empty() {
                self.text.push(' ');
            }
            in_word = true;
            self.text.push(c.to_ascii_lowercase() as char);
        }
        if in_word {
            self.ends.push(self.text.len());
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Words `i..j`, separated by single spaces.
    fn run(&self, i: usize, j: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        &self.text[start..self.ends[j - 1]]
    }

    /// The words, for tests and messages.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.run(i, i + 1))
    }
}

/// Whether an alphanumeric `b[i]` inside a word starts a new one.
fn breaks_before(b: &[u8], i: usize) -> bool {
    let (prev, c) = (b[i - 1], b[i]);
    let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
    if !c.is_ascii_uppercase() {
        return false;
    }
    if prev.is_ascii_lowercase() {
        return true;
    }
    // An acronym ends before the capital that starts a word (`MFCCFeatures`); after digits
    // a lone capital stays (`Conv2D`, `Conv2DTranspose`) and a capitalised word breaks
    // (`layer2Output`).
    (prev.is_ascii_uppercase() || prev.is_ascii_digit()) && next_lower
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(name: &str) -> Vec<String> {
        let mut s = WordSplit::default();
        s.split(name.as_bytes());
        s.words().map(str::to_string).collect()
    }

    #[test]
    fn identifiers_split_into_words() {
        assert_eq!(words("computeMFCC"), ["compute", "mfcc"]);
        assert_eq!(words("MFCCFeatures"), ["mfcc", "features"]);
        assert_eq!(words("conv2d"), ["conv2d"]);
        assert_eq!(words("Conv2DTranspose"), ["conv2d", "transpose"]);
        assert_eq!(words("float32Array"), ["float32", "array"]);
        assert_eq!(words("layer2Output"), ["layer2", "output"]);
        assert_eq!(words("__to_grayscale__"), ["to", "grayscale"]);
        assert_eq!(words("$groupBy"), ["group", "by"]);
        assert_eq!(words("#spectralCentroid"), ["spectral", "centroid"]);
        assert_eq!(words("HTMLParser"), ["html", "parser"]);
        assert_eq!(words("é_x"), ["x"]);
        assert!(words("_").is_empty());
    }

    const RULE: &str = "code = \"SF357\"\nname = \"n\"\nkind = \"signal\"\ntrait = \"P5\"\nmessage = \"m\"\nblog_point = \"b\"\nsource = \"vocabulary\"\n[doc]\nwhat = \"w\"\nwhy = \"y\"\n";

    fn rules() -> Vec<Rule> {
        vec![toml::from_str(RULE).unwrap_or_else(|e| panic!("{e}"))]
    }

    fn vocab(terms: &str) -> Vocabulary {
        let text = format!(
            "max_names_per_file = 10\n[[vocabulary]]\nrule = \"SF357\"\nmin_distinct = 2\nterms = [{terms}]\n"
        );
        Vocabulary::build(Some(&text), &rules()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn spelled(v: &Vocabulary, name: &str) -> Vec<String> {
        let mut s = WordSplit::default();
        s.split(name.as_bytes());
        let mut out = Vec::new();
        v.terms_in(&s, |t| out.push(v.entries[t.entry].terms[t.term].clone()));
        out
    }

    #[test]
    fn terms_match_word_runs_or_their_concatenation() {
        let v = vocab("\"group by\", \"onset\", \"gray scale|grey scale\", \"conv2d\"");
        assert_eq!(spelled(&v, "groupBy"), ["group by"]);
        assert_eq!(spelled(&v, "group_by"), ["group by"]);
        assert_eq!(spelled(&v, "groupby"), ["group by"]);
        assert_eq!(spelled(&v, "detectOnsets"), ["onset"]);
        assert!(spelled(&v, "onSet").is_empty());
        assert_eq!(spelled(&v, "toGreyscale"), ["gray scale"]);
        assert_eq!(spelled(&v, "Conv2D"), ["conv2d"]);
        assert!(spelled(&v, "conv").is_empty());
        assert!(spelled(&v, "groupings").is_empty());
    }

    #[test]
    fn bad_vocabularies_are_load_errors() {
        let rules = rules();
        let build = |t: &str| {
            Vocabulary::build(Some(t), &rules)
                .map(|_| ())
                .map_err(|e| e.0)
        };
        let head = "max_names_per_file = 10\n[[vocabulary]]\nrule = \"SF357\"\nmin_distinct = 2\n";
        assert!(build(&format!("{head}terms = [\"Group By\"]")).is_err());
        assert!(build(&format!("{head}terms = [\"a\", \"a\"]")).is_err());
        assert!(build(&format!("{head}terms = [\"a b\", \"ab\"]")).is_err());
        assert!(build("max_names_per_file = 10\n").is_err_and(|e| e.contains("no vocabulary")));
        assert!(Vocabulary::build(None, &rules).is_err());
        assert!(Vocabulary::build(None, &[]).is_ok_and(|v| v.is_empty()));
    }
}
