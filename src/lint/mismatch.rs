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
    Some(Diagnostic {
        code: rule.code.clone(),
        severity: per_path.severity(&rule.code, rule.severity),
        message: verdict.summary.clone(),
        path,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: first_line_chars as u32 + 1,
        fix: rule.fix.clone(),
        rule: ri,
    })
}
