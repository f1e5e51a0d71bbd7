//! The repo-level rule SF001: the workload fits one profile and the code is written for the
//! other. It is placed on line 1 of the root's main manifest (or the file with the strongest
//! evidence) so SARIF consumers and annotations have a real file to show it on.
use super::Diagnostic;
use crate::config::Config;
use crate::rules::{Profile, Ruleset};
use crate::score::{TraitScore, Verdict};
use std::path::Path;

/// Manifests that say "this is the project", by implementation language, most telling first.
const PYTHON_MANIFESTS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
];
const JS_MANIFESTS: &[&str] = &["package.json"];

/// SF001 when the verdict says the workload and the implementation language disagree: on line 1
/// of the root's main manifest (the implementation language's first), or else of the file with
/// the strongest evidence for the winning profile.
pub fn mismatch(
    rs: &Ruleset,
    cfg: &Config,
    verdict: &Verdict,
    traits: &[TraitScore],
    root: &Path,
) -> Option<Diagnostic> {
    if !verdict.mismatch {
        return None;
    }
    let ri = rs.rule_index("SF001")?;
    let rule = &rs.rules[ri];
    if !cfg.enabled(&rule.code) {
        return None;
    }
    let (path, file) = if root.is_file() {
        let name = root.file_name()?.to_string_lossy().into_owned();
        (name, root.to_path_buf())
    } else {
        let order: Vec<&str> = match verdict.implementation_language {
            Some("python") => PYTHON_MANIFESTS
                .iter()
                .chain(JS_MANIFESTS)
                .copied()
                .collect(),
            _ => JS_MANIFESTS
                .iter()
                .chain(PYTHON_MANIFESTS)
                .copied()
                .collect(),
        };
        match order.iter().find(|m| root.join(m).is_file()) {
            Some(m) => (m.to_string(), root.join(m)),
            None => {
                let winner = if verdict.profile == "node" {
                    Profile::Node
                } else {
                    Profile::Python
                };
                let best = traits
                    .iter()
                    .filter(|t| t.profile == winner && !t.top_evidence.is_empty())
                    .max_by(|a, b| {
                        let wa = a.score * rs.trait_def(&a.id).map_or(1.0, |d| d.weight);
                        let wb = b.score * rs.trait_def(&b.id).map_or(1.0, |d| d.weight);
                        wa.partial_cmp(&wb).unwrap_or(std::cmp::Ordering::Equal)
                    })?;
                let p = best.top_evidence.first()?.path.clone();
                let file = root.join(&p);
                (p, file)
            }
        }
    };
    let per_path = cfg.for_path(&path);
    if per_path.ignores(&rule.code) {
        return None;
    }
    // The region is the whole first line (or an empty region at 1:1 for an empty file).
    let first_line_chars = std::fs::read(&file)
        .ok()
        .map(|b| {
            let end = b.iter().position(|&c| c == b'\n').unwrap_or(b.len());
            String::from_utf8_lossy(&b[..end])
                .trim_end_matches('\r')
                .chars()
                .count()
        })
        .unwrap_or(0);
    let fingerprint = crate::fingerprint::hex(crate::fingerprint::of_repo(
        &rule.code,
        &path,
        verdict.profile,
    ));
    Some(Diagnostic {
        code: rule.code.clone(),
        severity: per_path.severity(&rule.code, rule.severity),
        message: message(rs, verdict, traits),
        path,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: first_line_chars as u32 + 1,
        fix: rule.fix.clone(),
        fingerprint,
        cell: None,
        rule: ri,
    })
}

/// What to check, rather than the headline again: which traits make the workload the other
/// runtime's, how much of the product they cover, and where to look.
fn message(rs: &Ruleset, verdict: &Verdict, traits: &[TraitScore]) -> String {
    let opened: Vec<String> = verdict
        .opened_by
        .iter()
        .filter_map(|id| {
            let t = traits.iter().find(|t| &t.id == id)?;
            let phrase = rs
                .trait_def(id)
                .map_or(t.name.as_str(), |d| d.phrase.as_str());
            Some(format!(
                "{phrase} in {:.0}% of product lines",
                t.domain_share * 100.0
            ))
        })
        .collect();
    let lang = verdict
        .implementation_language
        .map_or("The", crate::lang::display_name);
    let evidence = if opened.is_empty() {
        String::new()
    } else {
        format!(" ({})", opened.join(", "))
    };
    if verdict.profile == "node" {
        format!(
            "{lang} code with a NodeJS-shaped workload{evidence}: check that this event-driven work runs on one event loop (asyncio with uvloop, an ASGI server) and never blocks it, or whether it belongs in a Node service."
        )
    } else {
        format!(
            "{lang} code with a Python-shaped workload{evidence}: check where the heavy computation runs (off the event loop: worker threads, WASM or native addons), or whether it belongs in a Python service."
        )
    }
}
