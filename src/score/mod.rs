//! From findings to a verdict. Evidence is summed per trait with diminishing returns (log within
//! a file, saturation across the repo), traits are weighted into one score per profile, and the
//! two scores decide `node`, `python`, `mixed` or `neutral`. Every constant comes from
//! `queries/model.toml`; this file holds only the arithmetic.
pub mod components;

use crate::finding::{Cell, Finding};
use crate::rules::{Profile, RuleKind, Ruleset};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRef {
    pub rule: String,
    pub path: String,
    pub line: u32,
    pub message: String,
    /// For a notebook: the cell and the line in it (`line` is then the raw .ipynb line).
    pub cell: Option<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TraitScore {
    pub id: String,
    pub name: String,
    pub profile: Profile,
    /// 0..1: 1 - exp(-evidence / saturation).
    pub score: f64,
    /// Summed evidence before saturation.
    pub evidence: f64,
    /// Occurrences behind it (matches and imports, before folding).
    pub count: u64,
    /// Files with at least one finding for this trait.
    pub files: u64,
    pub blog_point: String,
    /// The strongest findings for this trait (up to 5).
    pub top_evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub profile: &'static str,
    pub confidence: f64,
    pub node_score: f64,
    pub python_score: f64,
    pub implementation_language: Option<&'static str>,
    pub mismatch: bool,
    pub summary: String,
}

/// Lines of code per language family ("python", "javascript", "typescript").
pub type LocByLang = BTreeMap<&'static str, u64>;

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Evidence of one finding after folding n occurrences in its file: e * (1 + ln n).
pub fn finding_evidence(rs: &Ruleset, f: &Finding) -> f64 {
    let n = f.count.max(1) as f64;
    if rs.scoring.log_within_file {
        f.evidence * (1.0 + n.ln())
    } else {
        f.evidence * n
    }
}

pub fn trait_scores<'a>(
    rs: &Ruleset,
    findings: impl Iterator<Item = &'a Finding>,
) -> Vec<TraitScore> {
    // Per-rule totals first, so a rule's `max_evidence` cap applies across the scan.
    let mut per_rule: Vec<f64> = vec![0.0; rs.rules.len()];
    struct Acc<'f> {
        evidence: f64,
        count: u64,
        files: std::collections::BTreeSet<&'f str>,
        top: Vec<(f64, &'f Finding)>,
    }
    let mut acc: Vec<Acc> = rs
        .traits
        .iter()
        .map(|_| Acc {
            evidence: 0.0,
            count: 0,
            files: Default::default(),
            top: Vec::new(),
        })
        .collect();
    for f in findings {
        let rule = &rs.rules[f.rule];
        if rule.kind != RuleKind::Signal {
            continue;
        }
        let Some(ti) = rs.traits.iter().position(|t| t.id == rule.trait_id) else {
            continue;
        };
        let e = finding_evidence(rs, f);
        per_rule[f.rule] += e;
        let a = &mut acc[ti];
        a.count += f.count as u64;
        a.files.insert(&f.path);
        a.top.push((e, f));
        if a.top.len() > 256 {
            a.top = pick_top(std::mem::take(&mut a.top), 32);
        }
    }
    for (ri, total) in per_rule.iter().enumerate() {
        let rule = &rs.rules[ri];
        let capped = rule.max_evidence.map_or(*total, |cap| total.min(cap));
        if let Some(ti) = rs.traits.iter().position(|t| t.id == rule.trait_id) {
            acc[ti].evidence += capped;
        }
    }
    rs.traits
        .iter()
        .zip(acc)
        .map(|(t, mut a)| {
            a.top = pick_top(std::mem::take(&mut a.top), TOP_EVIDENCE);
            TraitScore {
                id: t.id.clone(),
                name: t.name.clone(),
                profile: t.profile,
                score: round3(1.0 - (-a.evidence / rs.scoring.saturation).exp()),
                evidence: round3(a.evidence),
                count: a.count,
                files: a.files.len() as u64,
                blog_point: t.blog_point.clone(),
                top_evidence: a
                    .top
                    .iter()
                    .map(|(_, f)| EvidenceRef {
                        rule: rs.rules[f.rule].code.clone(),
                        path: f.path.to_string(),
                        line: f.line,
                        message: f.message.clone(),
                        cell: f.cell,
                    })
                    .collect(),
            }
        })
        .collect()
}

const TOP_EVIDENCE: usize = 5;

/// The `n` strongest findings, preferring variety: the best of each (rule, library) pair comes
/// before a second finding of a pair already shown, so the list names different evidence.
fn pick_top(mut all: Vec<(f64, &Finding)>, n: usize) -> Vec<(f64, &Finding)> {
    all.sort_by(|x, y| cmp_evidence(y, x));
    let mut seen = std::collections::HashSet::new();
    let (mut first, mut rest): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for item in all {
        if seen.insert((item.1.rule, item.1.library)) {
            first.push(item);
        } else if rest.len() < n {
            rest.push(item);
        }
    }
    first.truncate(n);
    let room = n - first.len();
    first.extend(rest.into_iter().take(room));
    first
}

/// Strongest first; ties broken by path and line so output is stable.
fn cmp_evidence(a: &(f64, &Finding), b: &(f64, &Finding)) -> std::cmp::Ordering {
    a.0.partial_cmp(&b.0)
        .unwrap_or(std::cmp::Ordering::Equal)
        .then_with(|| b.1.path.cmp(&a.1.path))
        .then_with(|| b.1.line.cmp(&a.1.line))
}

pub fn implementation_language(loc: &LocByLang) -> Option<&'static str> {
    loc.iter()
        .filter(|(_, &n)| n > 0)
        .max_by_key(|(name, &n)| (n, std::cmp::Reverse(*name)))
        .map(|(k, _)| *k)
}

fn phrase_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        _ => format!(
            "{} and {}",
            items[..items.len() - 1].join(", "),
            items[items.len() - 1]
        ),
    }
}

/// The leading traits of a profile (score >= 0.25, at most two), as phrases.
fn leading(rs: &Ruleset, traits: &[TraitScore], p: Profile) -> Vec<String> {
    let mut ts: Vec<&TraitScore> = traits
        .iter()
        .filter(|t| t.profile == p && t.score >= 0.25)
        .collect();
    ts.sort_by(|a, b| {
        let wa = a.score * rs.trait_def(&a.id).map_or(1.0, |d| d.weight);
        let wb = b.score * rs.trait_def(&b.id).map_or(1.0, |d| d.weight);
        wb.partial_cmp(&wa).unwrap_or(std::cmp::Ordering::Equal)
    });
    ts.iter()
        .take(2)
        .filter_map(|t| rs.trait_def(&t.id).map(|d| d.phrase.clone()))
        .collect()
}

pub fn verdict(rs: &Ruleset, traits: &[TraitScore], loc: &LocByLang) -> Verdict {
    let s = &rs.scoring;
    let profile_score = |p: Profile| -> f64 {
        traits
            .iter()
            .filter(|t| t.profile == p)
            .map(|t| t.score * rs.trait_def(&t.id).map_or(1.0, |d| d.weight))
            .sum()
    };
    let node = round3(profile_score(Profile::Node));
    let python = round3(profile_score(Profile::Python));
    let (hi, lo) = if node >= python {
        (node, python)
    } else {
        (python, node)
    };
    let (profile, confidence) = if hi < s.present {
        ("neutral", 1.0 - hi / s.present)
    } else if lo >= s.mixed_min && hi < lo * s.dominance {
        ("mixed", (1.0 - (-lo).exp()) * (lo / hi))
    } else {
        let p = if node >= python { "node" } else { "python" };
        (p, (1.0 - (-hi).exp()) * ((hi - lo) / hi))
    };
    let lang = implementation_language(loc);
    let mismatch = matches!(
        (profile, lang),
        ("node", Some("python")) | ("python", Some("javascript" | "typescript"))
    );
    let confidence = round3(confidence.clamp(0.0, 1.0));
    let code = match lang {
        Some(l) => format!("the code is {}", crate::lang::display_name(l)),
        None => "no Python, JavaScript or TypeScript code was found".to_string(),
    };
    let summary = match profile {
        "node" | "python" => {
            let p = if profile == "node" { Profile::Node } else { Profile::Python };
            let name = if profile == "node" { "NodeJS" } else { "Python" };
            let lead = leading(rs, traits, p);
            let verb = if lead.len() == 1 { "dominates" } else { "dominate" };
            let tail = if mismatch { ", so the workload and the language disagree" } else { "" };
            format!(
                "This workload fits the {name} profile (confidence {confidence:.2}): {} {verb}; {code}{tail}.",
                phrase_list(&lead)
            )
        }
        "mixed" => format!(
            "This workload is mixed (confidence {confidence:.2}): NodeJS-shaped {} alongside Python-shaped {}; {code}.",
            phrase_list(&leading(rs, traits, Profile::Node)),
            phrase_list(&leading(rs, traits, Profile::Python))
        ),
        _ => format!(
            "This workload shows no strong NodeJS or Python shape (confidence {confidence:.2}); {code}."
        ),
    };
    Verdict {
        profile,
        confidence,
        node_score: node,
        python_score: python,
        implementation_language: lang,
        mismatch,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn finding(rs: &Ruleset, code: &str, path: &str, count: u32) -> Finding {
        let rule = rs
            .rule_index(code)
            .unwrap_or_else(|| panic!("no rule {code}"));
        Finding {
            rule,
            path: Arc::from(path),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            message: String::new(),
            evidence: rs.rules[rule].weight,
            count,
            library: None,
            cell: None,
            suppressed: false,
        }
    }

    #[test]
    fn repetition_has_diminishing_returns() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        // One library imported in 500 files vs two distinct traits in two files each.
        let mut fs: Vec<Finding> = (0..500)
            .map(|i| finding(&rs, "SF360", &format!("f{i}.py"), 1))
            .collect();
        fs.push(finding(&rs, "SF120", "a.py", 1));
        fs.push(finding(&rs, "SF120", "b.py", 1));
        fs.push(finding(&rs, "SF113", "b.py", 1));
        let ts = trait_scores(&rs, fs.iter());
        let p6 = ts.iter().find(|t| t.id == "P6").map_or(0.0, |t| t.score);
        let n2 = ts.iter().find(|t| t.id == "N2").map_or(0.0, |t| t.score);
        assert!(p6 <= 1.0 && p6 > 0.99);
        assert!(n2 > 0.7, "{n2}");
        // P6's trait weight caps what 500 files can add to the python score.
        let v = verdict(&rs, &ts, &LocByLang::from([("python", 1000)]));
        assert!(v.python_score <= 0.7 + 1e-9, "{}", v.python_score);
    }

    #[test]
    fn verdicts() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let py = LocByLang::from([("python", 100)]);
        let none: Vec<Finding> = Vec::new();
        let v = verdict(&rs, &trait_scores(&rs, none.iter()), &py);
        assert_eq!((v.profile, v.confidence), ("neutral", 1.0));

        let node = [
            finding(&rs, "SF120", "a.py", 3),
            finding(&rs, "SF122", "a.py", 4),
            finding(&rs, "SF113", "a.py", 1),
            finding(&rs, "SF111", "a.py", 20),
        ];
        let v = verdict(&rs, &trait_scores(&rs, node.iter()), &py);
        assert_eq!(v.profile, "node");
        assert!(v.mismatch);
        assert!(v.summary.contains("real-time sockets"), "{}", v.summary);
        assert!(v.summary.contains("the code is Python"), "{}", v.summary);

        let mut both = node.to_vec();
        both.extend([
            finding(&rs, "SF320", "m.py", 2),
            finding(&rs, "SF321", "m.py", 3),
            finding(&rs, "SF310", "m.py", 1),
            finding(&rs, "SF360", "m.py", 1),
        ]);
        let v = verdict(&rs, &trait_scores(&rs, both.iter()), &py);
        assert_eq!(v.profile, "mixed", "{v:?}");
        assert!(!v.mismatch);
    }

    #[test]
    fn language_by_loc() {
        assert_eq!(
            implementation_language(&LocByLang::from([("python", 10), ("typescript", 30)])),
            Some("typescript")
        );
        assert_eq!(implementation_language(&LocByLang::new()), None);
    }
}
