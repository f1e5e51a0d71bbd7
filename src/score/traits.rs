//! Trait scores: how much of the product does each thing. A trait's score is presence x
//! prevalence, computed separately for its domain and its generic evidence: presence from the
//! summed evidence of product-code findings (log within a file, capped per rule, saturated
//! across the scan), prevalence from the share of product lines in files that carry the trait.
//! Findings outside product code (tests, examples, docs, build scripts) are counted, not scored.
use super::round3;
use crate::finding::{Cell, FileClass, Finding};
use crate::rules::{EvidenceClass, Profile, RuleKind, Ruleset, Source};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceRef {
    pub rule: String,
    pub path: String,
    pub line: u32,
    pub message: String,
    /// For a notebook: the cell and the line in it (`line` is then the raw .ipynb line).
    pub cell: Option<Cell>,
}

/// How big the product is, and each file with findings: what prevalence is measured against.
pub struct Prevalence<'a> {
    /// Lines of product code (after the repository's shape promoted any class).
    pub product_loc: u64,
    /// Lines of code of every file that has findings.
    pub file_loc: &'a HashMap<Arc<str>, u32>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TraitScore {
    pub id: String,
    pub name: String,
    #[schemars(with = "String", extend("enum" = ["node", "python"]))]
    pub profile: Profile,
    /// 0..1: presence x prevalence over all of the trait's product evidence.
    pub score: f64,
    /// The same from its domain evidence only: what can open a verdict.
    pub domain_score: f64,
    /// The same from its generic evidence only: what can only support one.
    pub generic_score: f64,
    /// Which kind of evidence the trait has in product code: `domain` when any is domain,
    /// `generic` when all is, null when there is none.
    #[schemars(with = "Option<String>", extend("enum" = ["domain", "generic", null]))]
    pub evidence_class: Option<EvidenceClass>,
    /// Summed evidence before saturation (product code only).
    pub evidence: f64,
    /// Share of product lines in files carrying the trait (any evidence), plus declared shares.
    pub share: f64,
    /// The same for domain evidence.
    pub domain_share: f64,
    /// Occurrences behind it in product code (matches and imports, before folding).
    pub count: u64,
    /// Product files with at least one finding for this trait.
    pub files: u64,
    /// Findings for this trait outside product code (tests, examples, docs...), not scored.
    pub outside_product: u64,
    /// Libraries of the table behind it in product code (up to 4), for explanations.
    pub libraries: Vec<String>,
    pub blog_point: String,
    /// The strongest product findings for this trait (up to 5).
    pub top_evidence: Vec<EvidenceRef>,
}

/// Evidence of one finding after folding n occurrences in its file: e * (1 + ln n) for
/// matches of a pattern (each is a use); once for imports and declarations (importing a library
/// sixteen times in one file says no more than importing it once).
pub fn finding_evidence(rs: &Ruleset, f: &Finding) -> f64 {
    if matches!(rs.rules[f.rule].source, Source::Import | Source::Manifest) {
        return f.evidence;
    }
    let n = f.count.max(1) as f64;
    if rs.scoring.log_within_file {
        f.evidence * (1.0 + n.ln())
    } else {
        f.evidence * n
    }
}

/// A finding's evidence class: its library's override, else its rule's.
pub fn evidence_class(rs: &Ruleset, f: &Finding) -> EvidenceClass {
    f.library
        .and_then(|l| rs.libraries.get(l))
        .and_then(|l| l.evidence)
        .or(rs.rules[f.rule].evidence)
        .unwrap_or(EvidenceClass::Generic)
}

/// Per-trait sums, one for domain and one for generic evidence.
#[derive(Default)]
struct Side<'f> {
    evidence: f64,
    /// Each product file's evidence for the trait: how much of its lines count. Ordered, so
    /// the float sums over it do not depend on hash order (run-to-run identical reports).
    files: BTreeMap<&'f str, f64>,
    declared: f64,
}

#[derive(Default)]
struct Acc<'f> {
    sides: [Side<'f>; 2],
    count: u64,
    files: BTreeSet<&'f str>,
    outside: u64,
    libraries: BTreeSet<usize>,
    top: Vec<(f64, &'f Finding)>,
}

fn side(ec: EvidenceClass) -> usize {
    match ec {
        EvidenceClass::Domain => 0,
        EvidenceClass::Generic => 1,
    }
}

/// Files whose findings include domain evidence of a non-`renders` trait, by profile: where a
/// front end only draws another profile's output.
fn domain_profiles<'f>(rs: &Ruleset, fs: &[&'f Finding]) -> HashMap<&'f str, BTreeSet<Profile>> {
    let mut m: HashMap<&str, BTreeSet<Profile>> = HashMap::new();
    for f in fs {
        let rule = &rs.rules[f.rule];
        let renders = rs.trait_def(&rule.trait_id).is_some_and(|t| t.renders);
        if !renders && evidence_class(rs, f) == EvidenceClass::Domain {
            m.entry(&f.path).or_default().insert(rule.profile);
        }
    }
    m
}

pub fn trait_scores<'a>(
    rs: &Ruleset,
    findings: impl Iterator<Item = &'a Finding>,
    prev: &Prevalence,
) -> Vec<TraitScore> {
    let fs: Vec<&Finding> = findings
        .filter(|f| rs.rules[f.rule].kind == RuleKind::Signal)
        .collect();
    let others = domain_profiles(rs, &fs);
    // Per-rule totals first, so a rule's `max_evidence` cap applies across the scan.
    // Keyed by (rule, side, own library): the project being a library is not capped.
    let mut per_rule: BTreeMap<(usize, usize, bool), f64> = BTreeMap::new();
    let mut acc: Vec<Acc> = rs.traits.iter().map(|_| Acc::default()).collect();
    for f in fs {
        let rule = &rs.rules[f.rule];
        let Some(ti) = rs.traits.iter().position(|t| t.id == rule.trait_id) else {
            continue;
        };
        let a = &mut acc[ti];
        if f.class != FileClass::Product {
            a.outside += 1;
            continue;
        }
        let mut ec = evidence_class(rs, f);
        if rs.traits[ti].renders
            && prev.file_loc.contains_key(&*f.path)
            && others
                .get(&*f.path)
                .is_some_and(|ps| ps.iter().any(|p| *p != rule.profile))
        {
            ec = EvidenceClass::Generic;
        }
        let e = finding_evidence(rs, f);
        let own = rule.source == Source::Metadata && f.library.is_some();
        *per_rule.entry((f.rule, side(ec), own)).or_default() += e;
        let s = &mut a.sides[side(ec)];
        if rule.source == Source::Metadata {
            let share = if f.library.is_some() {
                rs.scoring.own_library_share
            } else {
                rs.scoring.declared_share
            };
            s.declared = s.declared.max(share);
        } else if prev.file_loc.contains_key(&*f.path) {
            *s.files.entry(&f.path).or_default() += e;
        }
        a.count += f.count as u64;
        a.files.insert(&f.path);
        if let Some(l) = f.library {
            a.libraries.insert(l);
        }
        a.top.push((e, f));
        if a.top.len() > 256 {
            a.top = pick_top(std::mem::take(&mut a.top), 32);
        }
    }
    for ((ri, sd, own), total) in &per_rule {
        let rule = &rs.rules[*ri];
        let capped = match rule.max_evidence {
            Some(cap) if !own => total.min(cap),
            _ => *total,
        };
        if let Some(ti) = rs.traits.iter().position(|t| t.id == rule.trait_id) {
            acc[ti].sides[*sd].evidence += capped;
        }
    }
    rs.traits
        .iter()
        .zip(acc)
        .map(|(t, a)| score_one(rs, t, a, prev))
        .collect()
}

/// Presence x prevalence of one trait, from its two sides.
fn score_one(
    rs: &Ruleset,
    t: &crate::rules::TraitDef,
    mut a: Acc,
    prev: &Prevalence,
) -> TraitScore {
    let s = &rs.scoring;
    let loc_share = |files: &BTreeMap<&str, f64>| -> f64 {
        if prev.product_loc == 0 {
            return 0.0;
        }
        let lines: f64 = files
            .iter()
            .filter_map(|(p, e)| {
                let part = (e / s.file_evidence_full).min(1.0);
                prev.file_loc.get(*p).map(|&n| n as f64 * part)
            })
            .sum();
        lines / prev.product_loc as f64
    };
    let presence = |e: f64| 1.0 - (-e / s.saturation).exp();
    // With no product code at all (a manifest-only directory), declarations are all there is
    // to weigh: presence alone decides.
    let prevalence = |share: f64| {
        if prev.product_loc == 0 {
            1.0
        } else {
            1.0 - (-share / s.share_scale).exp()
        }
    };
    let [dom, gen] = &a.sides;
    let dom_share = (loc_share(&dom.files) + dom.declared).min(1.0);
    let gen_share = (loc_share(&gen.files) + gen.declared).min(1.0);
    let mut all_files = dom.files.clone();
    for (p, e) in &gen.files {
        *all_files.entry(p).or_default() += e;
    }
    let share = (loc_share(&all_files) + dom.declared.max(gen.declared)).min(1.0);
    let domain_score = presence(dom.evidence) * prevalence(dom_share);
    let generic_score = presence(gen.evidence) * prevalence(gen_share);
    let evidence = dom.evidence + gen.evidence;
    let evidence_class = if dom.evidence > 0.0 {
        Some(EvidenceClass::Domain)
    } else if gen.evidence > 0.0 {
        Some(EvidenceClass::Generic)
    } else {
        None
    };
    a.top = pick_top(std::mem::take(&mut a.top), TOP_EVIDENCE);
    TraitScore {
        id: t.id.clone(),
        name: t.name.clone(),
        profile: t.profile,
        score: round3(presence(evidence) * prevalence(share)),
        domain_score: round3(domain_score),
        generic_score: round3(generic_score),
        evidence_class,
        evidence: round3(evidence),
        share: round3(share),
        domain_share: round3(dom_share),
        count: a.count,
        files: a.files.len() as u64,
        outside_product: a.outside,
        libraries: a
            .libraries
            .iter()
            .take(4)
            .filter_map(|l| rs.libraries.get(*l).map(|l| l.name.clone()))
            .collect(),
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
