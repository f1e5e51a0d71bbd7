//! Trait scores: the evidence of every signal finding summed per trait (log within a file,
//! capped per rule, saturated across the scan), with the strongest findings kept to show why.
use super::round3;
use crate::finding::{Cell, Finding};
use crate::rules::{Profile, RuleKind, Ruleset};
use serde::Serialize;

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
