//! What a manifest declares about its own project (`description`, `keywords`, trove
//! `classifiers`) turned into findings of the metadata rules (SF1k8/SF3k8). The readers collect
//! each entry with its line (`Declared`); the vocabulary of `queries/metadata.toml`
//! (`Ruleset::metadata`) says which trait each entry stands for; this module folds the matches
//! into one finding per trait and manifest, on the first matching line, counting the distinct
//! vocabulary entries matched, so ten keywords of one trait are one finding, not ten.
use super::Format;
use crate::finding::{render, Finding};
use crate::rules::{MetaField, Registry, Ruleset};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One entry of the project's own metadata, as a reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub field: MetaField,
    pub text: String,
    /// 1-based line of the entry.
    pub line: u32,
}

impl Declared {
    pub fn new(field: MetaField, text: &str, line: u32) -> Self {
        Declared {
            field,
            text: text.trim().to_string(),
            line,
        }
    }
}

/// Keyword entries of a string, split at commas. A space-separated list stays one entry: terms
/// match inside an entry anyway, and a phrase ("wake word") stays whole.
pub fn split_keywords(s: &str) -> Vec<&str> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The registry whose metadata a manifest format declares, if it declares any.
pub fn registry_of(format: Format) -> Option<Registry> {
    match format {
        Format::PackageJson => Some(Registry::Npm),
        Format::Pyproject | Format::SetupCfg | Format::SetupPy => Some(Registry::Pypi),
        _ => None,
    }
}

/// What one trait's rule has matched so far in one manifest.
#[derive(Default)]
struct Acc {
    line: u32,
    factor: f64,
    entries: Vec<usize>,
    /// (field, text as written) of each distinct entry, in order of discovery.
    shown: Vec<(MetaField, String)>,
}

/// The findings of the metadata rules for one manifest's declared entries.
pub fn findings(
    rs: &Ruleset,
    registry: Registry,
    declared: &[Declared],
    path: &Arc<str>,
) -> Vec<Finding> {
    let mut by_rule: BTreeMap<usize, Acc> = BTreeMap::new();
    for d in declared {
        for m in rs.metadata.find(d.field, &d.text, registry) {
            let a = by_rule.entry(m.rule).or_insert_with(|| Acc {
                line: d.line,
                ..Acc::default()
            });
            a.line = a.line.min(d.line);
            a.factor = a.factor.max(rs.metadata.factor(d.field));
            if a.entries.contains(&m.entry) {
                continue;
            }
            a.entries.push(m.entry);
            // A keyword or a classifier is shown whole; a description by its matched words.
            let shown = match d.field {
                MetaField::Description => d.text.get(m.span).unwrap_or_default(),
                MetaField::Keyword | MetaField::Classifier => d.text.as_str(),
            };
            if !a.shown.iter().any(|(f, s)| *f == d.field && s == shown) {
                a.shown.push((d.field, shown.to_string()));
            }
        }
    }
    let mut out: Vec<Finding> = by_rule
        .into_iter()
        .map(|(ri, a)| {
            let rule = &rs.rules[ri];
            Finding {
                rule: ri,
                path: path.clone(),
                line: a.line,
                column: 1,
                end_line: a.line,
                end_column: 1,
                message: render(&rule.message, "", &describe(&a.shown)),
                evidence: rule.weight * a.factor,
                count: a.entries.len() as u32,
                library: None,
                cell: None,
                class: crate::finding::FileClass::Product,
                // The trait is the rule; what the manifest declares does not matter to identity.
                key: 0,
                fingerprint: 0,
                suppressed: false,
            }
        })
        .collect();
    out.sort_by_key(|f| (f.line, f.rule));
    out
}

/// Most entries a message names; the rest are counted.
const SHOWN: usize = 3;

/// `keywords "websocket", "real-time"; classifier "Topic :: Communications :: Chat"`.
fn describe(shown: &[(MetaField, String)]) -> String {
    let mut groups: Vec<(MetaField, Vec<&str>)> = Vec::new();
    for (field, text) in shown.iter().take(SHOWN) {
        match groups.iter_mut().find(|(f, _)| f == field) {
            Some((_, v)) => v.push(text),
            None => groups.push((*field, vec![text])),
        }
    }
    let mut parts: Vec<String> = groups
        .iter()
        .map(|(field, texts)| {
            let label = match (field, texts.len()) {
                (MetaField::Keyword, 1) => "keyword",
                (MetaField::Keyword, _) => "keywords",
                (MetaField::Classifier, 1) => "classifier",
                (MetaField::Classifier, _) => "classifiers",
                (MetaField::Description, _) => "description",
            };
            let quoted: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
            format!("{label} {}", quoted.join(", "))
        })
        .collect();
    if shown.len() > SHOWN {
        let last = parts.len() - 1;
        parts[last].push_str(&format!(" and {} more", shown.len() - SHOWN));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    /// (code, line, count, message) of each finding.
    fn rows(rs: &Ruleset, reg: Registry, d: &[Declared]) -> Vec<(String, u32, u32, String)> {
        let path: Arc<str> = Arc::from("package.json");
        findings(rs, reg, d, &path)
            .into_iter()
            .map(|f| (rs.rules[f.rule].code.clone(), f.line, f.count, f.message))
            .collect()
    }

    #[test]
    fn one_finding_per_trait_at_the_first_line() {
        let rs = rs();
        let d = [
            Declared::new(MetaField::Description, "A WebSocket chat server", 3),
            Declared::new(MetaField::Keyword, "websockets", 5),
            Declared::new(MetaField::Keyword, "real-time", 6),
            Declared::new(MetaField::Keyword, "chat", 7),
            Declared::new(MetaField::Keyword, "irc", 8),
            Declared::new(MetaField::Keyword, "chatty", 9),
        ];
        let got = rows(&rs, Registry::Npm, &d);
        assert_eq!(got.len(), 1, "{got:?}");
        let (code, line, count, msg) = &got[0];
        assert_eq!((code.as_str(), *line, *count), ("SF128", 3, 5));
        assert_eq!(
            msg,
            "declares description \"WebSocket\", \"chat server\"; keyword \"real-time\" and 2 more (real-time sockets)"
        );
        let f = findings(&rs, Registry::Npm, &d, &Arc::from("p"));
        let w = rs.rules[f[0].rule].weight;
        assert_eq!(f[0].evidence, w * rs.metadata.factors.keywords);
    }

    #[test]
    fn descriptions_count_less_than_tags() {
        let rs = rs();
        let d = [Declared::new(
            MetaField::Description,
            "Apache Kafka client",
            2,
        )];
        let f = findings(&rs, Registry::Npm, &d, &Arc::from("p"));
        let w = rs.rules[f[0].rule].weight;
        assert_eq!(f[0].evidence, w * rs.metadata.factors.description);
        assert!(rs.metadata.factors.description < rs.metadata.factors.keywords);
    }

    #[test]
    fn keyword_strings() {
        assert_eq!(
            split_keywords("modules, stdlib ,util"),
            ["modules", "stdlib", "util"]
        );
        assert_eq!(
            split_keywords(" face_recognition ocr "),
            ["face_recognition ocr"]
        );
        assert!(split_keywords(" , ").is_empty());
    }

    #[test]
    fn messages() {
        let s = |f, t: &str| (f, t.to_string());
        assert_eq!(
            describe(&[s(MetaField::Classifier, "Framework :: AsyncIO")]),
            "classifier \"Framework :: AsyncIO\""
        );
        assert_eq!(
            describe(&[
                s(MetaField::Keyword, "kafka"),
                s(MetaField::Keyword, "streams"),
                s(MetaField::Classifier, "A :: B"),
            ]),
            "keywords \"kafka\", \"streams\"; classifier \"A :: B\""
        );
    }
}
