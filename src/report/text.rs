//! The terminal report: the verdict in one sentence a manager can read, both profile scores,
//! then each trait with evidence, its top file:line evidence and the blog point behind it.
use super::Input;
use crate::baseline::State;
use crate::finding::FileClass;
use crate::rules::{Profile, Ruleset};
use crate::scan::ScanResult;
use std::fmt::Write;

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn profile(&self, p: Profile, s: &str) -> String {
        match p {
            Profile::Node => self.paint("32", s),
            Profile::Python => self.paint("34", s),
            Profile::None => s.to_string(),
        }
    }
}

fn bar(fraction: f64, width: usize) -> String {
    let filled = ((fraction.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// "1 file", "2,048 files": the count with its noun, singular for one. `noun` is the
/// singular; `plural` adds an "s" to its first word ("line of code" -> "lines of code").
pub fn count(n: u64, noun: &str) -> String {
    let word = if n == 1 {
        noun.to_string()
    } else {
        match noun.split_once(' ') {
            Some((first, rest)) => format!("{first}s {rest}"),
            None => format!("{noun}s"),
        }
    };
    format!("{} {word}", thousands(n))
}

pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The terminal report, coloured when `input.color` is set.
pub fn render(input: &Input) -> String {
    let (rs, res) = (input.rs, input.res);
    let style = &Style { color: input.color };
    let mut o = String::new();
    header(&mut o, res, style);
    if res.verdict.profile != "none" {
        profile_scores(&mut o, rs, res, style);
        traits_section(&mut o, res, style);
    }
    components_table(&mut o, res, style);
    generated_dirs(&mut o, res);
    diagnostics_section(&mut o, input, style);
    skipped_section(&mut o, res);
    o
}

/// The version and size line, then the verdict sentence.
fn header(o: &mut String, res: &ScanResult, style: &Style) {
    let files: u64 = res.languages.values().map(|l| l.files).sum();
    let lines: u64 = res.languages.values().map(|l| l.lines).sum();
    let mut langs: Vec<_> = res.languages.iter().collect();
    langs.sort_by_key(|l| std::cmp::Reverse(l.1.lines));
    let by_lang: Vec<String> = langs
        .iter()
        .map(|(k, v)| format!("{} {}", crate::lang::display_name(k), thousands(v.lines)))
        .collect();
    let _ = writeln!(
        o,
        "{}",
        style.dim(&format!(
            "stackfit {} · {}, {} ({}) · {} ms",
            env!("CARGO_PKG_VERSION"),
            count(files, "file"),
            count(lines, "line of code"),
            if by_lang.is_empty() {
                "none".to_string()
            } else {
                by_lang.join(", ")
            },
            res.elapsed_ms
        ))
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", style.bold(&res.verdict.summary));
    if res.verdict.profile != "none" {
        let _ = writeln!(o, "Why: {}", res.verdict.reason);
        let _ = writeln!(o, "{}", style.dim(&classes_line(res)));
    }
    let _ = writeln!(o);
}

/// "Product code: 5 files, 54 lines; not scored: 1 test file (7 lines)."
fn classes_line(res: &ScanResult) -> String {
    let st = &res.file_classes;
    let plural = count;
    let mut product_files = 0;
    let mut others = Vec::new();
    for c in FileClass::ALL {
        let (files, lines) = (st.files[c.index()], st.lines[c.index()]);
        if res.shape.effective(c) == FileClass::Product {
            product_files += files;
        } else if files > 0 {
            others.push(format!(
                "{} ({} lines)",
                plural(files, &format!("{} file", c.as_str())),
                thousands(lines)
            ));
        }
    }
    let mut line = format!(
        "Product code: {}, {} lines",
        plural(product_files, "file"),
        thousands(st.product_lines(&res.shape))
    );
    if !res.shape.promoted.is_empty() {
        let names: Vec<&str> = res.shape.promoted.iter().map(|c| c.as_str()).collect();
        line.push_str(&format!(
            " (mostly {}: counted as product)",
            names.join(" and ")
        ));
    }
    if !others.is_empty() {
        line.push_str(&format!("; not scored: {}", others.join(", ")));
    }
    line.push('.');
    line
}

/// Both profile scores, with bars scaled to the larger profile's total trait weight.
fn profile_scores(o: &mut String, rs: &Ruleset, res: &ScanResult, style: &Style) {
    let v = &res.verdict;
    let max = rs
        .traits
        .iter()
        .filter(|t| t.profile == Profile::Node)
        .map(|t| t.weight)
        .sum::<f64>()
        .max(
            rs.traits
                .iter()
                .filter(|t| t.profile == Profile::Python)
                .map(|t| t.weight)
                .sum::<f64>(),
        );
    let _ = writeln!(
        o,
        "  NodeJS profile  {:>5.2}  {}",
        v.node_score,
        style.profile(Profile::Node, &bar(v.node_score / max, 24))
    );
    let _ = writeln!(
        o,
        "  Python profile  {:>5.2}  {}",
        v.python_score,
        style.profile(Profile::Python, &bar(v.python_score / max, 24))
    );
    let _ = writeln!(o);
}

/// Each trait with evidence, strongest first, with its blog point and top evidence; then the
/// traits without any.
fn traits_section(o: &mut String, res: &ScanResult, style: &Style) {
    let mut shown: Vec<_> = res.traits.iter().filter(|t| t.score > 0.0).collect();
    let outside: Vec<&str> = res
        .traits
        .iter()
        .filter(|t| t.score == 0.0 && t.outside_product > 0)
        .map(|t| t.id.as_str())
        .collect();
    shown.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    if shown.is_empty() {
        let _ = writeln!(o, "No workload evidence was found.");
    } else {
        let _ = writeln!(o, "{}", style.bold("Traits"));
    }
    for t in &shown {
        let kind = match t.evidence_class {
            Some(crate::rules::EvidenceClass::Domain) => "domain",
            _ => "generic",
        };
        let outside = if t.outside_product > 0 {
            format!(", +{} outside product", thousands(t.outside_product))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {} {:<34} {:.2} {}  {kind}, {:.0}% of product · {} in {} file{}{outside}",
            style.profile(t.profile, &format!("{:<3}", t.id)),
            t.name,
            t.score,
            style.profile(t.profile, &bar(t.score, 10)),
            t.share * 100.0,
            thousands(t.count),
            t.files,
            if t.files == 1 { "" } else { "s" }
        );
        let _ = writeln!(o, "      {}", style.dim(&format!("blog: {}", t.blog_point)));
        for e in t.top_evidence.iter().take(3) {
            let _ = writeln!(
                o,
                "      {}  {}  {}",
                location(e),
                style.dim(&e.rule),
                e.message
            );
        }
    }
    let silent: Vec<&str> = res
        .traits
        .iter()
        .filter(|t| t.score == 0.0 && t.outside_product == 0)
        .map(|t| t.id.as_str())
        .collect();
    if !outside.is_empty() {
        let _ = writeln!(
            o,
            "  {}",
            style.dim(&format!(
                "only outside product code (tests, examples, docs, scripts): {}",
                outside.join(" ")
            ))
        );
    }
    if !silent.is_empty() && !shown.is_empty() {
        let _ = writeln!(
            o,
            "  {}",
            style.dim(&format!("no evidence: {}", silent.join(" ")))
        );
    }
}

/// The vendored and build-output directories the walk skipped, when there are any.
fn generated_dirs(o: &mut String, res: &ScanResult) {
    if res.generated_dirs.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let names: Vec<&str> = res
        .generated_dirs
        .iter()
        .take(6)
        .map(|(p, _)| &**p)
        .collect();
    let _ = writeln!(
        o,
        "Skipped {} vendored or build-output director{}: {}{} (--include-generated scans them)",
        res.generated_dirs.len(),
        if res.generated_dirs.len() == 1 {
            "y"
        } else {
            "ies"
        },
        names.join(", "),
        if res.generated_dirs.len() > names.len() {
            ", ..."
        } else {
            ""
        }
    );
}

/// Skipped files counted by reason, and the first walk errors.
fn skipped_section(o: &mut String, res: &ScanResult) {
    if res.skipped.is_empty() && res.walk_errors.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let mut counts = std::collections::BTreeMap::new();
    for (_, r) in &res.skipped {
        *counts.entry(r.key().replace('_', " ")).or_insert(0u64) += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    if !parts.is_empty() {
        let _ = writeln!(
            o,
            "Skipped {} file{}: {} (the JSON report lists them)",
            res.skipped.len(),
            if res.skipped.len() == 1 { "" } else { "s" },
            parts.join(", ")
        );
    }
    for e in res.walk_errors.iter().take(5) {
        let _ = writeln!(o, "warning: {e}");
    }
}

/// Most diagnostics listed in the terminal; the JSON and SARIF reports list them all.
const MAX_DIAGNOSTICS_SHOWN: usize = 200;

/// `path:line:col: severity CODE message`, one per diagnostic, with the rule's fix hint. With
/// --baseline, new ones are marked `[new]` and known ones collapse into one line per rule.
fn diagnostics_section(o: &mut String, input: &Input, style: &Style) {
    let res = input.res;
    let outside: u64 = res.outside_classes.values().sum();
    let adopting = input
        .triage
        .is_some_and(|t| t.baseline.is_some() || t.changed.is_some());
    if res.diagnostics.is_empty() && res.suppressed == 0 && outside == 0 && !adopting {
        return;
    }
    let mut counts = std::collections::BTreeMap::new();
    for d in &res.diagnostics {
        *counts.entry(std::cmp::Reverse(d.severity)).or_insert(0u64) += 1;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}{}", s.0.as_str(), if *n == 1 { "" } else { "s" }))
        .collect();
    let baseline = input.triage.and_then(|t| t.baseline.as_ref());
    if let Some(b) = baseline {
        parts.push(format!("{} new, {} known (baseline)", b.new, b.known));
    }
    if res.suppressed > 0 {
        parts.push(format!("{} suppressed", res.suppressed));
    }
    if outside > 0 {
        parts.push(format!("{outside} outside product code"));
    }
    if parts.is_empty() {
        parts.push("none".into());
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{} {}",
        style.bold("Diagnostics"),
        style.dim(&format!("({})", parts.join(", ")))
    );
    let listed = diagnostic_lines(o, input, style);
    if listed > MAX_DIAGNOSTICS_SHOWN {
        let _ = writeln!(
            o,
            "  … and {} more (--format json or sarif lists them all)",
            listed - MAX_DIAGNOSTICS_SHOWN
        );
    }
    adoption_lines(o, input, style);
    if outside > 0 {
        let _ = writeln!(o, "  {}", style.dim(&outside_line(res, outside)));
    }
}

/// One line per diagnostic that is not known, up to `MAX_DIAGNOSTICS_SHOWN`; returns how many
/// there are.
fn diagnostic_lines(o: &mut String, input: &Input, style: &Style) -> usize {
    let marked = input.triage.is_some_and(|t| t.baseline.is_some());
    // Each rule's fix hint is shown once, under its first diagnostic.
    let mut hinted = std::collections::HashSet::new();
    let mut listed = 0;
    for (i, d) in input.res.diagnostics.iter().enumerate() {
        if input.state(i) == Some(State::Unchanged) {
            continue;
        }
        listed += 1;
        if listed > MAX_DIAGNOSTICS_SHOWN {
            continue;
        }
        let sev = match d.severity {
            crate::rules::Severity::Error => style.paint("31", "error"),
            crate::rules::Severity::Warning => style.paint("33", "warning"),
            crate::rules::Severity::Note => style.paint("36", "note"),
        };
        let cell = d
            .cell
            .map(|c| format!(" [cell {}, line {}]", c.index, c.line))
            .unwrap_or_default();
        let mark = if marked {
            format!(" {}", style.bold("[new]"))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {}:{}:{}:{cell} {} {} {}{mark}",
            d.path,
            d.line,
            d.column,
            sev,
            style.bold(&d.code),
            d.message
        );
        if let Some(fix) = d.fix.as_ref().filter(|_| hinted.insert(d.code.as_str())) {
            let _ = writeln!(o, "      {}", style.dim(&format!("fix: {fix}")));
        }
    }
    listed
}

/// The known diagnostics, collapsed per rule, and what --changed-since left out.
fn adoption_lines(o: &mut String, input: &Input, style: &Style) {
    let Some(t) = input.triage else {
        return;
    };
    if let Some(b) = t.baseline.as_ref().filter(|b| b.known > 0) {
        let mut per_rule = std::collections::BTreeMap::new();
        for (i, d) in input.res.diagnostics.iter().enumerate() {
            if input.state(i) == Some(State::Unchanged) {
                *per_rule.entry(d.code.as_str()).or_insert(0u64) += 1;
            }
        }
        let per: Vec<String> = per_rule.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let line = format!(
            "{} known diagnostic{} in the baseline {} not listed ({}; --format json marks each one)",
            b.known,
            if b.known == 1 { "" } else { "s" },
            b.file,
            per.join(", ")
        );
        let _ = writeln!(o, "  {}", style.dim(&line));
    }
    if let Some(c) = &t.changed {
        let line = format!(
            "{} diagnostic{} in files unchanged since {} not shown ({} file{} changed)",
            c.diagnostics_not_shown,
            if c.diagnostics_not_shown == 1 {
                ""
            } else {
                "s"
            },
            c.reference,
            c.files_changed,
            if c.files_changed == 1 { "" } else { "s" }
        );
        let _ = writeln!(o, "  {}", style.dim(&line));
    }
}

/// "12 diagnostics in tests, examples and scripts not shown (test 9, build 3; [lint] classes
/// opts in)".
fn outside_line(res: &ScanResult, total: u64) -> String {
    let per: Vec<String> = res
        .outside_classes
        .iter()
        .map(|(c, n)| format!("{} {n}", c.as_str()))
        .collect();
    format!(
        "{total} diagnostic{} in tests, examples and scripts not shown ({}; [lint] classes opts in)",
        if total == 1 { "" } else { "s" },
        per.join(", ")
    )
}

/// `path:line`, plus the cell for notebook evidence.
fn location(e: &crate::score::EvidenceRef) -> String {
    match e.cell {
        Some(c) => format!("{}:{} (cell {}, line {})", e.path, e.line, c.index, c.line),
        None => format!("{}:{}", e.path, e.line),
    }
}

/// One row per component, when there is more than one.
fn components_table(o: &mut String, res: &ScanResult, style: &Style) {
    if res.components.len() < 2 {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", style.bold("Components"));
    let w = res
        .components
        .iter()
        .map(|c| c.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let _ = writeln!(
        o,
        "  {:<w$}  {:<8} {:>5} {:>5} {:>6}  {:<10} {:>7}  TOP EVIDENCE",
        "PATH", "VERDICT", "CONF", "NODE", "PYTHON", "LANGUAGE", "LOC"
    );
    for c in &res.components {
        let v = &c.verdict;
        let profile = match v.profile {
            "node" => Profile::Node,
            "python" => Profile::Python,
            _ => Profile::None,
        };
        let top = c
            .top_evidence
            .first()
            .map(|e| format!("{}  {}", location(e), e.message))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<w$}  {} {:>5.2} {:>5.2} {:>6.2}  {:<10} {:>7}  {}",
            c.path,
            style.profile(profile, &format!("{:<8}", v.profile)),
            v.confidence,
            v.node_score,
            v.python_score,
            v.implementation_language
                .map(crate::lang::display_name)
                .unwrap_or("-"),
            thousands(c.lines_of_code),
            top
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers() {
        assert_eq!(super::thousands(1234567), "1,234,567");
        assert_eq!(super::thousands(12), "12");
        assert_eq!(super::bar(0.5, 4), "██░░");
        assert_eq!(super::count(1, "file"), "1 file");
        assert_eq!(super::count(2048, "file"), "2,048 files");
        assert_eq!(super::count(1, "line of code"), "1 line of code");
        assert_eq!(super::count(0, "line of code"), "0 lines of code");
    }
}
