//! The verdict: which profiles domain evidence opened, the opened profiles compared into
//! `node`, `python` or `mixed`, `neutral` when none opened, and `none` when there was no code
//! to judge; with a confidence, the traits that opened it, and sentences that say why.
use super::{round3, LocByLang, TraitScore};
use crate::rules::{Profile, Ruleset};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    /// `node`, `python`, `mixed`, `neutral`, or `none` (nothing to judge).
    #[schemars(extend("enum" = ["node", "python", "mixed", "neutral", "none"]))]
    pub profile: &'static str,
    pub confidence: f64,
    pub node_score: f64,
    pub python_score: f64,
    pub implementation_language: Option<&'static str>,
    pub mismatch: bool,
    /// The domain traits whose score opened a profile (`open` in model.toml), strongest first.
    pub opened_by: Vec<String>,
    pub summary: String,
    /// Why: what was seen and how it adds up (for `neutral`, why it is no workload).
    pub reason: String,
}

pub fn implementation_language(loc: &LocByLang) -> Option<&'static str> {
    loc.iter()
        .filter(|(_, &n)| n > 0)
        .max_by_key(|(name, &n)| (n, std::cmp::Reverse(*name)))
        .map(|(k, _)| *k)
}

pub(super) fn phrase_list(items: &[String]) -> String {
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

fn weight(rs: &Ruleset, t: &TraitScore) -> f64 {
    rs.trait_def(&t.id).map_or(1.0, |d| d.weight)
}

fn phrase(rs: &Ruleset, t: &TraitScore) -> String {
    rs.trait_def(&t.id)
        .map_or_else(|| t.name.clone(), |d| d.phrase.clone())
}

/// One profile's sums: domain and generic scores weighted by trait weight, and what opened it.
struct ProfileSum<'t> {
    /// The strongest domain score of any of its traits (front ends counted as UI included).
    best_domain: f64,
    domain: f64,
    generic: f64,
    score: f64,
    opened: Vec<&'t TraitScore>,
}

fn renders(rs: &Ruleset, t: &TraitScore) -> bool {
    rs.trait_def(&t.id).is_some_and(|d| d.renders)
}

/// Whether a profile's non-presentation traits open it.
fn opens_by_itself(rs: &Ruleset, traits: &[TraitScore], p: Profile) -> bool {
    traits
        .iter()
        .any(|t| t.profile == p && !renders(rs, t) && t.domain_score >= rs.scoring.open)
}

/// Whether a non-presentation trait of `p` has domain evidence enough to make its front end a
/// real-time UI rather than another workload's viewer.
fn companion(rs: &Ruleset, traits: &[TraitScore], p: Profile) -> bool {
    traits.iter().any(|t| {
        t.profile == p && !renders(rs, t) && t.domain_score >= rs.scoring.renders_companion
    })
}

/// A profile's sums. `other_open`: the other profile is opened by its own traits; then a
/// presentation trait (`renders`, the SPA front end) is that workload's UI, so its domain
/// evidence here counts as generic and cannot open this profile.
fn profile_sum<'t>(
    rs: &Ruleset,
    traits: &'t [TraitScore],
    p: Profile,
    other_open: bool,
) -> ProfileSum<'t> {
    let of = || traits.iter().filter(move |t| t.profile == p);
    let ui = |t: &TraitScore| other_open && renders(rs, t);
    let domain: f64 = of()
        .filter(|t| !ui(t))
        .map(|t| t.domain_score * weight(rs, t))
        .sum();
    let generic: f64 = of()
        .map(|t| {
            let g = if ui(t) {
                t.domain_score.max(t.generic_score)
            } else {
                t.generic_score
            };
            g * weight(rs, t)
        })
        .sum();
    let mut opened: Vec<&TraitScore> = of()
        .filter(|t| !ui(t) && t.domain_score >= rs.scoring.open)
        .collect();
    opened.sort_by(|a, b| {
        (b.domain_score * weight(rs, b))
            .partial_cmp(&(a.domain_score * weight(rs, a)))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    ProfileSum {
        best_domain: of().map(|t| t.domain_score).fold(0.0, f64::max),
        domain,
        generic,
        score: domain + rs.scoring.generic_support * generic,
        opened,
    }
}

pub fn verdict(rs: &Ruleset, traits: &[TraitScore], loc: &LocByLang) -> Verdict {
    let node_own = opens_by_itself(rs, traits, Profile::Node);
    let python_own = opens_by_itself(rs, traits, Profile::Python);
    let node_ui = python_own && !companion(rs, traits, Profile::Node);
    let python_ui = node_own && !companion(rs, traits, Profile::Python);
    let node = profile_sum(rs, traits, Profile::Node, node_ui);
    let python = profile_sum(rs, traits, Profile::Python, python_ui);
    let lang = implementation_language(loc);
    let nothing = lang.is_none() && traits.iter().all(|t| t.evidence == 0.0);
    let (profile, confidence) = if nothing {
        ("none", 0.0)
    } else {
        match (node.opened.is_empty(), python.opened.is_empty()) {
            (true, true) => ("neutral", neutral_confidence(rs, traits)),
            (false, true) => ("node", clear_confidence(rs, &node, &python)),
            (true, false) => ("python", clear_confidence(rs, &python, &node)),
            (false, false) => both_opened(rs, &node, &python),
        }
    };
    let mismatch = matches!(
        (profile, lang),
        ("node", Some("python")) | ("python", Some("javascript" | "typescript"))
    );
    let confidence = round3(confidence.clamp(0.0, 1.0));
    let mut opened: Vec<&TraitScore> = match profile {
        "node" => node.opened.clone(),
        "python" => python.opened.clone(),
        "mixed" => node.opened.iter().chain(&python.opened).copied().collect(),
        _ => Vec::new(),
    };
    opened.truncate(4);
    let sums = Sums {
        node: &node,
        python: &python,
    };
    Verdict {
        profile,
        confidence,
        node_score: round3(node.score),
        python_score: round3(python.score),
        implementation_language: lang,
        mismatch,
        opened_by: opened.iter().map(|t| t.id.clone()).collect(),
        summary: summary(rs, profile, confidence, lang, mismatch, &sums),
        reason: super::explain::reason(
            rs,
            profile,
            traits,
            &opened,
            &ui_traits(rs, traits, node_ui, python_ui),
        ),
    }
}

/// The presentation traits counted as the other profile's UI, when they had domain evidence.
fn ui_traits<'t>(
    rs: &Ruleset,
    traits: &'t [TraitScore],
    node_ui: bool,
    python_ui: bool,
) -> Vec<&'t TraitScore> {
    traits
        .iter()
        .filter(|t| renders(rs, t) && t.domain_score >= rs.scoring.open)
        .filter(|t| match t.profile {
            Profile::Node => node_ui,
            Profile::Python => python_ui,
            Profile::None => false,
        })
        .collect()
}

struct Sums<'a, 't> {
    node: &'a ProfileSum<'t>,
    python: &'a ProfileSum<'t>,
}

/// Both profiles opened: mixed when the weaker is real and neither dominates.
fn both_opened(rs: &Ruleset, node: &ProfileSum, python: &ProfileSum) -> (&'static str, f64) {
    let s = &rs.scoring;
    let (hi, lo, hi_name) = if node.score >= python.score {
        (node, python, "node")
    } else {
        (python, node, "python")
    };
    if lo.score >= s.mixed_min && hi.score < lo.score * s.dominance {
        let strength = (lo.score / s.clear).min(1.0);
        ("mixed", strength * (0.5 + 0.5 * lo.score / hi.score))
    } else {
        (hi_name, clear_confidence(rs, hi, lo))
    }
}

/// A single profile's verdict: clear when its strongest domain trait is well above `open`,
/// its score high, and the other profile weak, both in score and in its strongest domain trait
/// (a large front end counted as UI still leaves doubt).
fn clear_confidence(rs: &Ruleset, win: &ProfileSum, other: &ProfileSum) -> f64 {
    let s = &rs.scoring;
    let best = win
        .opened
        .iter()
        .map(|t| t.domain_score)
        .fold(0.0, f64::max);
    let depth = ((best - s.open) / (s.clear - s.open)).clamp(0.0, 1.0);
    let strength = (win.score / s.clear).min(1.0).sqrt() * depth;
    let other_score = other.domain + s.generic_support * other.generic;
    let rival = if win.score > 0.0 && best > 0.0 {
        (other_score / win.score).max(0.5 * other.best_domain / best)
    } else {
        1.0
    };
    strength * (0.4 + 0.6 * (1.0 - rival).max(0.0))
}

/// Neutral is clear when no domain trait comes near opening a profile.
fn neutral_confidence(rs: &Ruleset, traits: &[TraitScore]) -> f64 {
    let best = traits.iter().map(|t| t.domain_score).fold(0.0, f64::max);
    1.0 - 0.8 * (best / rs.scoring.open).min(1.0)
}

fn summary(
    rs: &Ruleset,
    profile: &str,
    confidence: f64,
    lang: Option<&str>,
    mismatch: bool,
    sums: &Sums,
) -> String {
    let code = match lang {
        Some(l) => format!("the code is {}", crate::lang::display_name(l)),
        None => "no Python, JavaScript or TypeScript code was found".to_string(),
    };
    let lead = |p: &ProfileSum| -> Vec<String> {
        p.opened.iter().take(2).map(|t| phrase(rs, t)).collect()
    };
    match profile {
        "node" | "python" => {
            let (name, p) = if profile == "node" {
                ("NodeJS", sums.node)
            } else {
                ("Python", sums.python)
            };
            let lead = lead(p);
            let tail = if mismatch {
                ", so the workload and the language disagree"
            } else {
                ""
            };
            format!(
                "This workload fits the {name} profile (confidence {confidence:.2}), led by {}; {code}{tail}.",
                phrase_list(&lead)
            )
        }
        "mixed" => format!(
            "This workload is mixed (confidence {confidence:.2}): NodeJS-shaped {} alongside Python-shaped {}; {code}.",
            phrase_list(&lead(sums.node)),
            phrase_list(&lead(sums.python))
        ),
        "none" => "Nothing to judge: no Python, JavaScript or TypeScript source code was found.".to_string(),
        _ => format!(
            "This workload shows no NodeJS or Python shape (confidence {confidence:.2}): no domain trait in its product code; {code}."
        ),
    }
}
