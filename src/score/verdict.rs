//! The verdict: trait scores weighted into one score per profile, the profiles compared into
//! `node`, `python`, `mixed` or `neutral`, and the one-sentence summary that names the leading
//! traits and the language the code is written in.
use super::{round3, LocByLang, TraitScore};
use crate::rules::{Profile, Ruleset};
use serde::Serialize;

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
