//! Rule documentation rendered from the rule TOMLs, the one source of truth: the Markdown and
//! plain-text help that SARIF carries for each rule, and `docs/rules.md` (whose anchors, e.g.
//! `#sf220`, SARIF's `helpUri` points at). A test keeps docs/rules.md in step with the TOMLs.
use crate::rules::{EvidenceClass, Rule, RuleKind, Ruleset};
use std::fmt::Write;

pub fn kind_str(k: RuleKind) -> &'static str {
    match k {
        RuleKind::Signal => "signal",
        RuleKind::Friction => "friction",
        RuleKind::Repo => "repo",
    }
}

/// The comment syntax a rule's suppression uses.
pub fn suppress_example(rs: &Ruleset, r: &Rule) -> String {
    let langs = rs.languages_of(r);
    let py = langs.contains(&"python");
    let js = langs.contains(&"javascript");
    match (py, js) {
        (true, false) => format!("`# stackfit: ignore[{}]`", r.code),
        (false, true) => format!("`// stackfit: ignore[{}]`", r.code),
        _ => format!(
            "`# stackfit: ignore[{c}]` / `// stackfit: ignore[{c}]`",
            c = r.code
        ),
    }
}

/// What a signal's evidence class means, for `explain` and docs/rules.md.
pub fn evidence_phrase(e: EvidenceClass) -> &'static str {
    match e {
        EvidenceClass::Domain => "domain (can open a verdict)",
        EvidenceClass::Generic => "generic (only strengthens a verdict domain evidence opened)",
    }
}

/// Plain-text help (SARIF `help.text`).
pub fn help_text(rs: &Ruleset, r: &Rule) -> String {
    let mut s = format!(
        "{}\n\n{}\n\nWhy it matters: {}\n",
        r.title(),
        r.doc.what.trim(),
        r.doc.why.trim()
    );
    if !r.doc.example.trim().is_empty() {
        let _ = write!(s, "\nExample:\n{}\n", indent(r.doc.example.trim_end()));
    }
    if !r.doc.better.trim().is_empty() {
        let _ = write!(s, "\nBetter:\n{}\n", r.doc.better.trim());
    }
    if let Some(f) = &r.fix {
        let _ = write!(s, "\nFix: {}\n", f.trim());
    }
    if r.kind == RuleKind::Repo {
        let _ = write!(
            s,
            "\nSuppress: ignore = [\"{}\"] in stackfit.toml.\n",
            r.code
        );
    } else if r.kind != RuleKind::Signal {
        let _ = write!(
            s,
            "\nSuppress: {} on the line or the line above.\n",
            suppress_example(rs, r).replace('`', "")
        );
    }
    s
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown help (SARIF `help.markdown` and the body of a docs/rules.md section).
pub fn help_markdown(rs: &Ruleset, r: &Rule) -> String {
    let mut s = String::new();
    let trait_name = rs.trait_def(&r.trait_id).map(|t| t.name.as_str());
    let _ = writeln!(
        s,
        "**{}** · {} rule · trait {}{} · severity `{}`{}",
        r.title(),
        kind_str(r.kind),
        r.trait_id,
        trait_name.map(|n| format!(" ({n})")).unwrap_or_default(),
        r.severity.as_str(),
        {
            let langs = rs.languages_of(r);
            if langs.is_empty() {
                String::new()
            } else {
                format!(" · {}", langs.join(", "))
            }
        }
    );
    let _ = writeln!(s, "\n**What it detects.** {}", r.doc.what.trim());
    let _ = writeln!(
        s,
        "\n**Why it matters** (blog point {}). {}",
        r.blog_point,
        r.doc.why.trim()
    );
    if !r.doc.example.trim().is_empty() {
        let _ = writeln!(s, "\n**Example**\n\n```\n{}\n```", r.doc.example.trim_end());
    }
    if !r.doc.better.trim().is_empty() {
        let _ = writeln!(
            s,
            "\n**Better**\n\n{}",
            r.doc.better.trim_end().trim_start_matches('\n')
        );
    }
    if let Some(f) = &r.fix {
        let _ = writeln!(s, "\n**Fix:** {}", f.trim());
    }
    if r.preview {
        let _ = writeln!(
            s,
            "\n**Preview:** off by default; `select = [\"{}\"]` in stackfit.toml turns it on.",
            r.code
        );
    }
    if r.kind == RuleKind::Repo {
        let _ = writeln!(
            s,
            "\n**Suppress:** `ignore = [\"{}\"]` in stackfit.toml (repo-level rules are configured, not silenced inline).",
            r.code
        );
    } else if r.kind != RuleKind::Signal {
        let _ = writeln!(
            s,
            "\n**Suppress:** {} on the line or the line above, `ignore-file[{}]` for a whole file, or `ignore = [\"{}\"]` in stackfit.toml.",
            suppress_example(rs, r),
            r.code,
            r.code
        );
    }
    s
}

/// The whole of docs/rules.md.
#[cfg_attr(not(test), allow(dead_code))]
pub fn rules_markdown(rs: &Ruleset) -> String {
    let mut s = String::from(
        "# stackfit rules\n\n\
<!-- Generated from queries/rules/*.toml by `cargo test` (STACKFIT_BLESS=1 rewrites it); edit the TOMLs, not this file. -->\n\n\
Every rule has a stable code. **Signal** rules (SF1xx NodeJS profile, SF3xx Python profile) are\n\
evidence for the workload verdict; **friction** rules (SF2xx, traits F1–F4) and **repo** rules\n\
(SF0xx) are the diagnostics a linter reports, in text, JSON and SARIF. `stackfit explain CODE`\n\
prints the same documentation in a terminal.\n\n\
Signal rules are **domain** evidence (it can open a verdict) or **generic** evidence (it only\n\
strengthens a verdict that domain evidence opened).\n\n\
| code | name | kind | trait | evidence | severity | title |\n|---|---|---|---|---|---|---|\n",
    );
    for r in &rs.rules {
        let _ = writeln!(
            s,
            "| [{}](#{}) | `{}` | {} | {} | {} | {} | {} |",
            r.code,
            r.code.to_ascii_lowercase(),
            r.name,
            kind_str(r.kind),
            r.trait_id,
            r.evidence.map_or("", |e| e.as_str()),
            r.severity.as_str(),
            r.title().replace('|', "\\|")
        );
    }
    for r in &rs.rules {
        let _ = write!(s, "\n## {}\n\n{}", r.code, help_markdown(rs, r));
    }
    s
}

/// `stackfit rules`: every rule as a table, or as JSON.
pub fn listing(rs: &Ruleset, json: bool) -> String {
    match json {
        true => {
            let v: Vec<_> = rs
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "kind": kind_str(r.kind), "trait": r.trait_id,
                        "profile": r.profile.as_str(), "severity": r.severity.as_str(), "weight": r.weight,
                        "evidence": r.evidence.map(|e| e.as_str()),
                        "message": r.message, "blog_point": r.blog_point,
                        "source": r.source, "title": r.title(), "fix": r.fix,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        false => {
            let mut s = format!(
                "{:<7} {:<5} {:<7} {:<9} {:<8} {}\n",
                "CODE", "TRAIT", "PROFILE", "KIND", "SEVERITY", "NAME"
            );
            for r in &rs.rules {
                s.push_str(&format!(
                    "{:<7} {:<5} {:<7} {:<9} {:<8} {}\n",
                    r.code,
                    r.trait_id,
                    r.profile.as_str(),
                    kind_str(r.kind),
                    r.severity.as_str(),
                    r.name
                ));
            }
            s.push_str("\n`stackfit explain CODE` prints a rule's documentation.\n");
            s
        }
    }
}

/// `stackfit explain CODE`: a rule's documentation for the terminal.
pub fn explain(rs: &Ruleset, i: usize) -> String {
    let r = &rs.rules[i];
    let trait_name = rs
        .trait_def(&r.trait_id)
        .map(|t| t.name.as_str())
        .unwrap_or("");
    let mut s = format!("{} ({}): {}\n\n", r.code, r.name, r.title());
    s.push_str(&format!("Trait:      {} {}\n", r.trait_id, trait_name));
    s.push_str(&format!("Profile:    {}\n", r.profile.as_str()));
    s.push_str(&format!("Kind:       {}\n", kind_str(r.kind)));
    s.push_str(&format!("Severity:   {}\n", r.severity.as_str()));
    let langs = rs.languages_of(r);
    if !langs.is_empty() {
        s.push_str(&format!("Languages:  {}\n", langs.join(", ")));
    }
    if let Some(c) = &r.context {
        s.push_str(&format!("Context:    {c}\n"));
    }
    s.push_str(&format!("Weight:     {}\n", r.weight));
    if let Some(e) = r.evidence {
        s.push_str(&format!("Evidence:   {}\n", evidence_phrase(e)));
    }
    s.push_str(&format!("Blog point: {}\n\n", r.blog_point));
    s.push_str(&format!("## What it does\n{}\n\n", r.doc.what.trim()));
    s.push_str(&format!("## Why it matters\n{}\n\n", r.doc.why.trim()));
    if !r.doc.example.trim().is_empty() {
        s.push_str("## Example\n");
        for l in r.doc.example.trim_end().lines() {
            s.push_str(&format!("    {l}\n"));
        }
        s.push('\n');
    }
    if !r.doc.better.trim().is_empty() {
        s.push_str(&format!(
            "## What to do\n{}\n",
            r.doc.better.trim_end().trim_start_matches('\n')
        ));
    }
    if let Some(fix) = &r.fix {
        s.push_str(&format!("\nFix: {}\n", fix.trim()));
    }
    if r.kind == RuleKind::Repo {
        s.push_str(&format!(
            "Suppress: `ignore = [\"{c}\"]` in stackfit.toml (repo-level rules are configured, not silenced inline).\n          Docs: docs/rules.md#{l}\n",
            c = r.code,
            l = r.code.to_ascii_lowercase()
        ));
    } else if r.kind != RuleKind::Signal {
        s.push_str(&format!(
            "Suppress: {} on the line or the line above;\n          `ignore = [\"{c}\"]` in stackfit.toml. Docs: docs/rules.md#{l}\n",
            suppress_example(rs, r).replace(" / ", " or "),
            c = r.code,
            l = r.code.to_ascii_lowercase()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/rules.md must match the rule TOMLs. `STACKFIT_BLESS=1 cargo test` rewrites it.
    #[test]
    fn docs_rules_md_is_current() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let want = rules_markdown(&rs);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        if std::env::var_os("STACKFIT_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{e}"));
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: run `STACKFIT_BLESS=1 cargo test docs_rules_md` and commit it"
        );
    }

    #[test]
    fn every_diagnostic_rule_is_documented() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        for r in rs.rules.iter().filter(|r| r.kind != RuleKind::Signal) {
            assert!(r.title.is_some(), "{} has no title", r.code);
            assert!(r.fix.is_some(), "{} has no fix", r.code);
            for (part, text) in [
                ("what", &r.doc.what),
                ("why", &r.doc.why),
                ("example", &r.doc.example),
                ("better", &r.doc.better),
            ] {
                assert!(
                    text.trim().len() > 20,
                    "{} [doc] {part} is too short",
                    r.code
                );
            }
            assert!(
                r.blog_point.len() > 1 || matches!(r.code.as_str(), "SF002" | "SF003"),
                "{} has no blog point",
                r.code
            );
        }
    }
}
