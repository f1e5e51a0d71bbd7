//! The vocabulary of declared metadata (`queries/metadata.toml`): which keywords, description
//! words and trove classifiers stand for which trait, and the matcher that finds them in a
//! manifest's text. A library that *is* a workload (a Kafka client, a websocket server, an OCR
//! engine) imports nothing that says so, but its `description`, `keywords` and `classifiers`
//! do. The words are data; this module only compiles them (one map of spellings, one list of
//! classifier prefixes) and applies the matching rules the TOML's header describes: words are
//! whole, case and separators are ignored, a simple plural matches, the longest match wins.
use super::model::{Rule, Source, TraitDef};
use super::LoadError;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;

/// Where in a manifest a piece of declared metadata sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaField {
    /// One entry of `keywords` (a comma-separated string counts as several entries).
    Keyword,
    /// One trove classifier (`Topic :: Communications :: Chat`).
    Classifier,
    /// The one-line `description` (never the long description / README).
    Description,
}

/// The registry a manifest publishes to: some traits only read one (`registries` in the TOML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    Npm,
    Pypi,
}

/// How much a match in each field counts, times the rule's weight.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFactors {
    pub keywords: f64,
    pub classifiers: f64,
    pub description: f64,
}

/// The vocabulary of one trait.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitVocabulary {
    #[serde(rename = "trait")]
    pub trait_id: String,
    /// Matched in keyword entries and, as whole words, in descriptions.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Matched only as a whole keyword entry: clear as a tag, too loose in prose or as part of
    /// a longer keyword ("chat", "server", "react", "png").
    #[serde(default)]
    pub keyword_terms: Vec<String>,
    /// Trove classifier prefixes, matched at `::` boundaries.
    #[serde(default)]
    pub classifiers: Vec<String>,
    /// The registries whose manifests this trait reads (empty: all).
    #[serde(default)]
    pub registries: Vec<Registry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataFile {
    factors: FieldFactors,
    #[serde(rename = "trait")]
    traits: Vec<TraitVocabulary>,
}

/// One vocabulary entry a text matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaMatch {
    /// The metadata rule of the entry's trait (index into `Ruleset::rules`).
    pub rule: usize,
    /// Which entry (a term or a classifier prefix), to count distinct entries.
    pub entry: usize,
    /// The bytes of the text that matched (the whole text for a classifier).
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Term {
    entry: usize,
    vocab: usize,
    /// A `terms` entry (anywhere), not a `keyword_terms` one (whole keyword entries only).
    prose: bool,
}

#[derive(Debug, Clone)]
struct Prefix {
    parts: Vec<String>,
    entry: usize,
    vocab: usize,
}

/// The compiled vocabulary, loaded once with the rule set.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub factors: FieldFactors,
    pub traits: Vec<TraitVocabulary>,
    /// The metadata rule of each entry of `traits`.
    rules: Vec<usize>,
    /// Compact spelling (lowercase letters and digits) -> term.
    terms: HashMap<String, Term>,
    /// The longest compact spelling, in bytes: no run of words longer than this can match.
    longest: usize,
    prefixes: Vec<Prefix>,
}

/// Bytes of one piece of metadata that are read.
const MAX_TEXT: usize = 4096;

/// Lowercase letters and digits only: `Real-Time` and `realtime` are one spelling.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `::`-separated parts of a classifier, trimmed and lowercased.
fn classifier_parts(s: &str) -> Vec<String> {
    s.split("::").map(|p| p.trim().to_lowercase()).collect()
}

/// Words: maximal runs of letters and digits, lowercased, with their byte ranges.
fn words(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((text[s..i].to_lowercase(), s..i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((text[s..].to_lowercase(), s..text.len()));
    }
    out
}

impl Metadata {
    /// Reads `queries/metadata.toml` and ties each trait's vocabulary to its metadata rule.
    pub(super) fn load(
        text: &str,
        rules: &[Rule],
        traits: &[TraitDef],
    ) -> Result<Metadata, LoadError> {
        let err = |m: String| LoadError(format!("queries/metadata.toml: {m}"));
        let file: MetadataFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let f = &file.factors;
        if [f.keywords, f.classifiers, f.description]
            .iter()
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            return Err(err("factors must be finite and not negative".into()));
        }
        let mut md = Metadata {
            factors: file.factors,
            traits: Vec::new(),
            rules: Vec::new(),
            terms: HashMap::new(),
            longest: 0,
            prefixes: Vec::new(),
        };
        for v in file.traits {
            if !traits.iter().any(|t| t.id == v.trait_id) {
                return Err(err(format!("unknown trait `{}`", v.trait_id)));
            }
            if md.traits.iter().any(|o| o.trait_id == v.trait_id) {
                return Err(err(format!("trait {} is listed twice", v.trait_id)));
            }
            let rule = rules
                .iter()
                .position(|r| r.source == Source::Metadata && r.trait_id == v.trait_id)
                .ok_or_else(|| err(format!("no metadata rule takes trait {}", v.trait_id)))?;
            md.rules.push(rule);
            md.traits.push(v);
        }
        if let Some(r) = rules.iter().find(|r| {
            r.source == Source::Metadata && !md.traits.iter().any(|v| v.trait_id == r.trait_id)
        }) {
            return Err(err(format!(
                "rule {} reads metadata for trait {}, which has no vocabulary here",
                r.code, r.trait_id
            )));
        }
        md.index()?;
        Ok(md)
    }

    /// Builds the spelling map and the classifier prefixes, rejecting empty and repeated entries.
    fn index(&mut self) -> Result<(), LoadError> {
        let err = |m: String| LoadError(format!("queries/metadata.toml: {m}"));
        let mut entry = 0;
        for (vi, v) in self.traits.iter().enumerate() {
            let all = v.terms.iter().map(|t| (t, true));
            for (t, prose) in all.chain(v.keyword_terms.iter().map(|t| (t, false))) {
                let c = compact(t);
                if c.is_empty() {
                    return Err(err(format!("{}: empty term `{t}`", v.trait_id)));
                }
                if let Some(prev) = self.terms.get(&c) {
                    return Err(err(format!(
                        "term `{t}` ({}) is spelled like a term of {}",
                        v.trait_id, self.traits[prev.vocab].trait_id
                    )));
                }
                self.longest = self.longest.max(c.len());
                let term = Term {
                    entry,
                    vocab: vi,
                    prose,
                };
                self.terms.insert(c, term);
                entry += 1;
            }
            for p in &v.classifiers {
                let parts = classifier_parts(p);
                if parts.iter().any(String::is_empty) {
                    return Err(err(format!("{}: bad classifier `{p}`", v.trait_id)));
                }
                if let Some(prev) = self.prefixes.iter().find(|o| o.parts == parts) {
                    return Err(err(format!(
                        "classifier `{p}` is listed by both {} and {}",
                        self.traits[prev.vocab].trait_id, v.trait_id
                    )));
                }
                self.prefixes.push(Prefix {
                    parts,
                    entry,
                    vocab: vi,
                });
                entry += 1;
            }
        }
        Ok(())
    }

    /// How much a match in `field` counts, times the rule's weight.
    pub fn factor(&self, field: MetaField) -> f64 {
        match field {
            MetaField::Keyword => self.factors.keywords,
            MetaField::Classifier => self.factors.classifiers,
            MetaField::Description => self.factors.description,
        }
    }

    fn reads(&self, vocab: usize, registry: Registry) -> bool {
        let r = &self.traits[vocab].registries;
        r.is_empty() || r.contains(&registry)
    }

    /// The vocabulary entries one piece of metadata (a keyword entry, a classifier, a
    /// description) matches, in a manifest of `registry`. Overlapping matches keep the longest.
    pub fn find(&self, field: MetaField, text: &str, registry: Registry) -> Vec<MetaMatch> {
        // Metadata is a line or a tag; a megabyte "description" is read no further than this.
        let mut end = text.len().min(MAX_TEXT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let text = &text[..end];
        match field {
            MetaField::Classifier => self.find_classifier(text, registry),
            MetaField::Keyword | MetaField::Description => {
                self.find_terms(text, field == MetaField::Keyword, registry)
            }
        }
    }

    /// The term a compact run of words spells, allowing an `s` or `es` plural.
    fn term(&self, c: &str) -> Option<Term> {
        if let Some(t) = self.terms.get(c) {
            return Some(*t);
        }
        let plural = |suffix: &str| {
            c.strip_suffix(suffix)
                .filter(|s| s.len() >= 3)
                .and_then(|s| self.terms.get(s).copied())
        };
        plural("s").or_else(|| plural("es"))
    }

    fn find_terms(&self, text: &str, keyword: bool, registry: Registry) -> Vec<MetaMatch> {
        let ws = words(text);
        // (first word, last word, term)
        let mut found: Vec<(usize, usize, Term)> = Vec::new();
        for i in 0..ws.len() {
            let mut c = String::new();
            for (j, (w, _)) in ws.iter().enumerate().skip(i) {
                c.push_str(w);
                if c.len() > self.longest + 2 {
                    break;
                }
                let Some(t) = self.term(&c) else { continue };
                // A keyword term is a tag: it must be the whole keyword entry.
                let whole = i == 0 && j + 1 == ws.len();
                if (t.prose || (keyword && whole)) && self.reads(t.vocab, registry) {
                    found.push((i, j, t));
                }
            }
        }
        let inside = |a: &(usize, usize, Term), b: &(usize, usize, Term)| {
            b.0 <= a.0 && a.1 <= b.1 && (b.0, b.1) != (a.0, a.1)
        };
        found
            .iter()
            .filter(|a| !found.iter().any(|b| inside(a, b)))
            .map(|&(i, j, t)| MetaMatch {
                rule: self.rules[t.vocab],
                entry: t.entry,
                span: ws[i].1.start..ws[j].1.end,
            })
            .collect()
    }

    fn find_classifier(&self, text: &str, registry: Registry) -> Vec<MetaMatch> {
        let parts = classifier_parts(text);
        self.prefixes
            .iter()
            .filter(|p| parts.starts_with(&p.parts) && self.reads(p.vocab, registry))
            .max_by_key(|p| p.parts.len())
            .map(|p| MetaMatch {
                rule: self.rules[p.vocab],
                entry: p.entry,
                span: 0..text.len(),
            })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Ruleset;

    fn rs() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    /// (rule code, matched text) of each match.
    fn hits(rs: &Ruleset, field: MetaField, text: &str, reg: Registry) -> Vec<(String, String)> {
        rs.metadata
            .find(field, text, reg)
            .into_iter()
            .map(|m| (rs.rules[m.rule].code.clone(), text[m.span].to_string()))
            .collect()
    }

    fn codes(rs: &Ruleset, field: MetaField, text: &str) -> Vec<String> {
        hits(rs, field, text, Registry::Npm)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn words_and_spellings() {
        let w: Vec<String> = words("Real-Time, socket.io_x ünïcode")
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(w, ["real", "time", "socket", "io", "x", "ünïcode"]);
        assert_eq!(compact("Socket.IO"), "socketio");
        assert_eq!(
            classifier_parts(" Topic::Communications :: Chat "),
            ["topic", "communications", "chat"]
        );
    }

    #[test]
    fn terms_match_whole_words_in_any_spelling() {
        let rs = rs();
        let d = MetaField::Description;
        assert_eq!(
            hits(&rs, d, "A WebSockets server for node", Registry::Npm),
            [("SF128".to_string(), "WebSockets".to_string())]
        );
        assert_eq!(codes(&rs, d, "a web socket server"), ["SF128"]);
        assert_eq!(codes(&rs, MetaField::Keyword, "real-time"), ["SF128"]);
        assert_eq!(codes(&rs, MetaField::Keyword, "RealTime"), ["SF128"]);
        assert_eq!(codes(&rs, d, "Apache Kafka client"), ["SF158"]);
        assert_eq!(codes(&rs, d, "neural networks in JavaScript"), ["SF328"]);
        // look-alikes: words are whole
        assert!(codes(&rs, MetaField::Keyword, "chatty").is_empty());
        assert!(codes(&rs, MetaField::Keyword, "mlflow-free").is_empty());
        assert!(codes(&rs, d, "a kafkaesque tale").is_empty());
        assert!(codes(&rs, d, "the pngjs codec").is_empty());
    }

    #[test]
    fn keyword_terms_do_not_match_prose() {
        let rs = rs();
        assert_eq!(codes(&rs, MetaField::Keyword, "chat"), ["SF128"]);
        assert!(codes(&rs, MetaField::Description, "chat with your documents").is_empty());
        assert_eq!(codes(&rs, MetaField::Keyword, "react"), ["SF168"]);
        assert!(codes(&rs, MetaField::Description, "reacts to file changes").is_empty());
        // ... and only as the whole entry
        assert_eq!(codes(&rs, MetaField::Keyword, "Charts"), ["SF338"]);
        assert!(codes(&rs, MetaField::Keyword, "server-side").is_empty());
        assert!(codes(&rs, MetaField::Keyword, "react-native").is_empty());
        assert_eq!(codes(&rs, MetaField::Keyword, "react-hooks"), ["SF168"]);
        assert_eq!(codes(&rs, MetaField::Keyword, "mqtt-server"), ["SF148"]);
    }

    #[test]
    fn generic_words_stand_for_no_domain() {
        let rs = rs();
        for text in [
            "a fast stream of data",
            "image",
            "API server",
            "async streams",
            "cli",
        ] {
            for (code, _) in hits(&rs, MetaField::Description, text, Registry::Pypi)
                .into_iter()
                .chain(hits(&rs, MetaField::Keyword, text, Registry::Pypi))
            {
                let r = rs.rules.iter().find(|r| r.code == code);
                assert_eq!(
                    r.and_then(|r| r.evidence),
                    Some(crate::rules::EvidenceClass::Generic),
                    "{text:?} matched domain rule {code}"
                );
            }
        }
    }

    #[test]
    fn the_longest_match_wins() {
        let rs = rs();
        // "home automation" is IoT, not P7's "automation"
        assert_eq!(
            hits(
                &rs,
                MetaField::Description,
                "smart home automation hub",
                Registry::Pypi
            ),
            [
                ("SF148".to_string(), "smart home".to_string()),
                ("SF148".to_string(), "home automation".to_string())
            ]
        );
        // "collaborative filtering" is machine learning
        assert_eq!(
            codes(&rs, MetaField::Keyword, "collaborative-filtering"),
            ["SF318"]
        );
    }

    #[test]
    fn huge_texts_are_cut() {
        let rs = rs();
        let text = "websocket ".repeat(100_000) + "kafka";
        let found = rs
            .metadata
            .find(MetaField::Description, &text, Registry::Npm);
        assert!(found.len() < 1000 && !found.is_empty());
        assert!(found.iter().all(|m| rs.rules[m.rule].code == "SF128"));
        let multibyte = "é".repeat(5000);
        assert!(rs
            .metadata
            .find(MetaField::Keyword, &multibyte, Registry::Npm)
            .is_empty());
    }

    #[test]
    fn registries_restrict_a_trait() {
        let rs = rs();
        assert!(codes(&rs, MetaField::Keyword, "cli").is_empty());
        assert_eq!(
            hits(&rs, MetaField::Keyword, "cli", Registry::Pypi),
            [("SF378".to_string(), "cli".to_string())]
        );
    }

    #[test]
    fn classifiers_match_the_most_specific_prefix() {
        let rs = rs();
        let c = |t: &str| codes(&rs, MetaField::Classifier, t);
        assert_eq!(
            c("Topic :: Scientific/Engineering :: Image Recognition"),
            ["SF348"]
        );
        assert_eq!(c("Topic :: Multimedia :: Sound/Audio :: Speech"), ["SF358"]);
        assert_eq!(
            c("Topic :: Communications :: Chat :: Internet Relay Chat"),
            ["SF128"]
        );
        assert_eq!(c("framework::asyncio"), ["SF118"]);
        assert_eq!(c("Topic :: Multimedia :: Video :: Conversion"), ["SF158"]);
        assert!(c("Topic :: Communications :: Chatter").is_empty());
        assert!(c("Topic :: Scientific/Engineering").is_empty());
        assert!(c("Topic :: System :: Hardware").is_empty());
        let py = |t: &str| hits(&rs, MetaField::Classifier, t, Registry::Pypi);
        assert_eq!(py("Topic :: Terminals :: Serial")[0].0, "SF148");
        assert_eq!(py("Topic :: Terminals :: Telnet")[0].0, "SF378");
    }

    fn load(meta: &str) -> Result<Metadata, LoadError> {
        let rs = rs();
        Metadata::load(meta, &rs.rules, &rs.traits)
    }

    #[test]
    fn bad_vocabularies_are_load_errors() {
        let f = "[factors]\nkeywords = 1.0\nclassifiers = 1.0\ndescription = 0.5\n";
        let e = |m: &str| load(m).err().map(|e| e.0).unwrap_or_default();
        assert!(e(&format!("{f}[[trait]]\ntrait = \"Z9\"\n")).contains("unknown trait"));
        assert!(e(&format!("{f}[[trait]]\ntrait = \"N2\"\n")).contains("no vocabulary"));
        assert!(
            e("[factors]\nkeywords = -1.0\nclassifiers = 1.0\ndescription = 0.5\n")
                .contains("factors")
        );
        let embedded = include_str!("../../queries/metadata.toml");
        let dup = format!("{embedded}\n[[trait]]\ntrait = \"N2\"\n");
        assert!(e(&dup).contains("listed twice"));
        let respelled = embedded.replacen("\"websocket\",", "\"websocket\", \"Web-Socket\",", 1);
        assert!(e(&respelled).contains("spelled like"), "{}", e(&respelled));
        assert!(load(embedded).is_ok());
    }
}
