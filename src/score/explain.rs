//! The verdict's reasons in words: which domain traits opened it and how much of the product
//! they cover, what generic evidence was seen, what stayed below the opening threshold, and
//! what was found only outside product code. A `neutral` verdict says what it saw and why that
//! is no workload.
use super::verdict::phrase_list;
use super::TraitScore;
use crate::rules::Ruleset;

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 0.0 && p < 1.0 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

fn phrase(rs: &Ruleset, t: &TraitScore) -> String {
    rs.trait_def(&t.id)
        .map_or_else(|| t.name.clone(), |d| d.phrase.clone())
}

/// "event-driven I/O (Node events, child processes)".
fn with_libraries(rs: &Ruleset, t: &TraitScore) -> String {
    if t.libraries.is_empty() {
        phrase(rs, t)
    } else {
        format!("{} ({})", phrase(rs, t), t.libraries.join(", "))
    }
}

fn sorted(mut v: Vec<&TraitScore>, key: impl Fn(&TraitScore) -> f64) -> Vec<&TraitScore> {
    v.sort_by(|a, b| {
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    v
}

/// `opened`: the traits that opened the verdict; `ui`: presentation traits counted as the
/// other profile's UI.
pub fn reason(
    rs: &Ruleset,
    profile: &str,
    traits: &[TraitScore],
    opened: &[&TraitScore],
    ui: &[&TraitScore],
) -> String {
    if profile == "none" {
        return "No source files were found (manifests alone are not judged).".to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    if !opened.is_empty() {
        let list: Vec<String> = opened
            .iter()
            .take(4)
            .map(|t| {
                format!(
                    "{} (domain score {:.2}, {} of product lines)",
                    with_libraries(rs, t),
                    t.domain_score,
                    pct(t.domain_share)
                )
            })
            .collect();
        parts.push(format!("Opened by {}.", phrase_list(&list)));
    }
    if !ui.is_empty() {
        let list: Vec<String> = ui.iter().map(|t| with_libraries(rs, t)).collect();
        parts.push(format!(
            "{} only presents the other workload (no sockets or streams beside it): counted as its UI, not as a second profile.",
            phrase_list(&list)
        ));
    }
    parts.extend(generic_part(rs, traits, !opened.is_empty()));
    parts.extend(thin_part(rs, traits));
    parts.extend(outside_part(rs, traits));
    if parts.is_empty() {
        parts.push("No workload evidence in product code.".to_string());
    }
    parts
        .iter()
        .map(|p| capitalized(p))
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The generic evidence seen, and what it can do.
fn generic_part(rs: &Ruleset, traits: &[TraitScore], opened: bool) -> Option<String> {
    let open = rs.scoring.open;
    let generic = sorted(
        traits
            .iter()
            .filter(|t| t.generic_score > 0.0 && t.domain_score < open)
            .collect(),
        |t| t.generic_score,
    );
    if generic.is_empty() {
        return None;
    }
    let list: Vec<String> = generic
        .iter()
        .take(3)
        .map(|t| with_libraries(rs, t))
        .collect();
    let tail = if opened {
        "generic evidence, which only strengthens the verdict"
    } else {
        "generic evidence, which never makes a workload on its own"
    };
    Some(format!("{}: {tail}.", phrase_list(&list)))
}

/// Domain traits present but below the opening threshold.
fn thin_part(rs: &Ruleset, traits: &[TraitScore]) -> Option<String> {
    let open = rs.scoring.open;
    let thin = sorted(
        traits
            .iter()
            .filter(|t| t.domain_score > 0.0 && t.domain_score < open)
            .collect(),
        |t| t.domain_score,
    );
    if thin.is_empty() {
        return None;
    }
    let list: Vec<String> = thin
        .iter()
        .take(3)
        .map(|t| {
            format!(
                "{} ({} of product lines, score {:.2})",
                phrase(rs, t),
                pct(t.domain_share),
                t.domain_score
            )
        })
        .collect();
    Some(format!(
        "Too little of the product to open a profile (needs {open:.2}): {}.",
        phrase_list(&list)
    ))
}

/// Traits seen only outside product code.
fn outside_part(rs: &Ruleset, traits: &[TraitScore]) -> Option<String> {
    let outside = sorted(
        traits
            .iter()
            .filter(|t| t.outside_product > 0 && t.score == 0.0)
            .collect(),
        |t| t.outside_product as f64,
    );
    if outside.is_empty() {
        return None;
    }
    let list: Vec<String> = outside.iter().take(3).map(|t| phrase(rs, t)).collect();
    Some(format!(
        "Only in tests, examples, docs or scripts (not scored): {}.",
        phrase_list(&list)
    ))
}
