//! The Markdown report, written for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) but plain
//! GitHub-flavoured Markdown that reads anywhere: the verdict sentence, a Mermaid bar chart of
//! the trait scores, the trait table, the top evidence as links to the file and line at the
//! commit, diagnostics by severity and rule (and how many did not fit GitHub's annotation caps),
//! and components when a monorepo has them. Every piece of scanned text is escaped: code can
//! contain `|`, `<`, backticks and anything else.
use super::github;
use super::Input;
use crate::finding::Cell;
use crate::rules::{Profile, Severity};
use crate::score::TraitScore;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows of evidence shown per trait, and in all.
const EVIDENCE_PER_TRAIT: usize = 3;
const EVIDENCE_TOTAL: usize = 18;
/// Diagnostics listed one by one (the rest are counted).
const DIAGNOSTICS_LISTED: usize = 30;
/// Components listed one by one.
const COMPONENTS_LISTED: usize = 40;
/// Lowest value on the chart's y axis (see `chart`).
const CHART_FLOOR: f64 = 0.05;
/// Messages longer than this are cut (they quote code).
const MESSAGE_CHARS: usize = 160;

/// Escapes text for a Markdown paragraph or table cell (never the start of a line): inline
/// Markdown punctuation and `|` get a backslash, HTML-significant characters become entities,
/// line breaks become spaces, control characters go, `@`/`#` cannot start a mention or an
/// issue link, and `://` and `www.` cannot start a GFM autolink.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        match c {
            ':' if s[i + 1..].starts_with("//") => o.push_str("&#58;"),
            '.' if o.len() >= 3 && o.as_bytes()[o.len() - 3..].eq_ignore_ascii_case(b"www") => {
                o.push_str("&#46;")
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '@' => o.push_str("&#64;"),
            '#' => o.push_str("&#35;"),
            '\r' | '\n' | '\t' => o.push(' '),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Escapes text and cuts it to `MESSAGE_CHARS` characters.
fn escape_short(s: &str) -> String {
    if s.chars().count() > MESSAGE_CHARS {
        let cut: String = s.chars().take(MESSAGE_CHARS - 1).collect();
        format!("{}…", escape(cut.trim_end()))
    } else {
        escape(s)
    }
}

/// Percent-encodes a repository path for a URL, keeping `/`.
fn url_path(p: &str) -> String {
    let mut o = String::new();
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                o.push(b as char)
            }
            _ => {
                let _ = write!(o, "%{b:02X}");
            }
        }
    }
    o
}

/// `path:line`, as a link to the line at the commit when the GitHub variables are known.
fn location(cx: &Input, path: &str, line: u32) -> String {
    located(cx, path, line, None)
}

/// `location`, and for a notebook also the cell and the line in it; `line` is then the raw
/// .ipynb line, so the link asks GitHub for the plain file.
fn located(cx: &Input, path: &str, line: u32, cell: Option<Cell>) -> String {
    let repo_path = cx.repo_path(path);
    let label = match cell {
        Some(c) => escape(&format!(
            "{repo_path}:{line} (cell {}, line {})",
            c.index, c.line
        )),
        None => escape(&format!("{repo_path}:{line}")),
    };
    let plain = if cell.is_some() { "?plain=1" } else { "" };
    match &cx.blob_base {
        Some(base) => format!("[{label}]({base}/{}{plain}#L{line})", url_path(&repo_path)),
        None => label,
    }
}

fn profile_name(p: Profile) -> &'static str {
    match p {
        Profile::Node => "NodeJS",
        Profile::Python => "Python",
        Profile::None => "",
    }
}

fn headline(profile: &str) -> &'static str {
    match profile {
        "node" => "NodeJS-shaped workload",
        "python" => "Python-shaped workload",
        "mixed" => "mixed workload",
        _ => "no strong workload shape",
    }
}

/// A 10-cell text bar, readable where Mermaid is not rendered.
fn bar(score: f64) -> String {
    let filled = (score.clamp(0.0, 1.0) * 10.0).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

fn sorted_traits(traits: &[TraitScore]) -> Vec<&TraitScore> {
    let mut shown: Vec<&TraitScore> = traits.iter().filter(|t| t.score > 0.0).collect();
    shown.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    shown
}

/// A Mermaid `xychart-beta` bar chart of every trait's score, NodeJS traits in one colour and
/// Python traits in another (two series, each zero on the other profile's traits). The y axis
/// starts just above 0 so that zero bars are not drawn at all (Mermaid draws a zero bar as a
/// stub in the axis padding, which would put a blue foot under every green bar); a score
/// between 0 and that floor is drawn at the floor, as a stub, so it stays visible.
fn chart(traits: &[TraitScore]) -> String {
    let ids: Vec<&str> = traits
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect();
    if ids.len() != traits.len() {
        return String::new();
    }
    let series = |p: Profile| -> String {
        traits
            .iter()
            .map(|t| {
                if t.profile == p && t.score > 0.0 {
                    format!("{:.2}", t.score.clamp(CHART_FLOOR, 1.0))
                } else {
                    "0".to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut o = String::new();
    o.push_str("```mermaid\n");
    o.push_str(
        "%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"#3c873a, #306998\"}}}}%%\n",
    );
    o.push_str("xychart-beta\n");
    o.push_str("    title \"Trait scores: NodeJS N1-N7 (green), Python P1-P7 (blue)\"\n");
    let _ = writeln!(o, "    x-axis [{}]", ids.join(", "));
    let _ = writeln!(o, "    y-axis \"score\" {CHART_FLOOR} --> 1");
    let _ = writeln!(o, "    bar [{}]", series(Profile::Node));
    let _ = writeln!(o, "    bar [{}]", series(Profile::Python));
    o.push_str("```\n");
    o
}

/// The Markdown report: verdict, traits, evidence, diagnostics, components and a footer.
pub fn render(cx: &Input) -> String {
    let mut o = String::new();
    verdict(cx, &mut o);
    let shown = sorted_traits(&cx.res.traits);
    if shown.is_empty() {
        o.push_str("No workload evidence was found.\n\n");
    } else {
        traits(cx, &shown, &mut o);
        top_evidence(cx, &shown, &mut o);
    }
    diagnostics(cx, &mut o);
    components(cx, &mut o);
    footer(cx, &mut o);
    o
}

/// The headline, the verdict sentence and the table of scores.
fn verdict(cx: &Input, o: &mut String) {
    let v = &cx.res.verdict;
    let _ = writeln!(o, "## stackfit: {}\n", headline(v.profile));
    let _ = writeln!(o, "> **{}**\n", escape(&v.summary));
    let lang = v
        .implementation_language
        .map(crate::lang::display_name)
        .unwrap_or("none found");
    let _ = writeln!(
        o,
        "| Verdict | Confidence | NodeJS profile | Python profile | Code | Workload vs language |"
    );
    let _ = writeln!(o, "|---|---:|---:|---:|---|---|");
    let _ = writeln!(
        o,
        "| **{}** | {:.2} | {:.2} | {:.2} | {} | {} |\n",
        v.profile,
        v.confidence,
        v.node_score,
        v.python_score,
        escape(lang),
        if v.mismatch {
            "⚠️ they disagree"
        } else {
            "agree"
        }
    );
}

/// The chart and the table of the `shown` traits (those with evidence), then the others.
fn traits(cx: &Input, shown: &[&TraitScore], o: &mut String) {
    let res = cx.res;
    o.push_str(&chart(&res.traits));
    o.push('\n');
    o.push_str("### Traits\n\n");
    o.push_str("| ID | Trait | Profile | Score | Count | Files | Blog point |\n");
    o.push_str("|---|---|---|---|---:|---:|---|\n");
    for t in shown {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {:.2} `{}` | {} | {} | {} |",
            escape(&t.id),
            escape(&t.name),
            profile_name(t.profile),
            t.score,
            bar(t.score),
            t.count,
            t.files,
            escape(&t.blog_point)
        );
    }
    let silent: Vec<String> = res
        .traits
        .iter()
        .filter(|t| t.score <= 0.0)
        .map(|t| escape(&t.id))
        .collect();
    if !silent.is_empty() {
        let _ = writeln!(o, "\nNo evidence: {}.", silent.join(", "));
    }
    o.push('\n');
}

/// Up to `EVIDENCE_PER_TRAIT` rows of evidence per shown trait, `EVIDENCE_TOTAL` in all.
fn top_evidence(cx: &Input, shown: &[&TraitScore], o: &mut String) {
    o.push_str("### Top evidence\n\n");
    o.push_str("| Trait | Where | Rule | Evidence |\n|---|---|---|---|\n");
    let mut rows = 0;
    'traits: for t in shown {
        for e in t.top_evidence.iter().take(EVIDENCE_PER_TRAIT) {
            if rows == EVIDENCE_TOTAL {
                break 'traits;
            }
            rows += 1;
            let _ = writeln!(
                o,
                "| {} | {} | `{}` | {} |",
                escape(&t.id),
                located(cx, &e.path, e.line, e.cell),
                escape_code(&e.rule),
                escape_short(&e.message)
            );
        }
    }
    o.push('\n');
}

/// Rule codes go inside backticks; they are `SF` and digits, but never trust data.
fn escape_code(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// Diagnostics: counts by severity, a table by rule, what did not fit GitHub's annotation
/// caps, and the most important ones listed.
fn diagnostics(cx: &Input, o: &mut String) {
    let res = cx.res;
    o.push_str("### Diagnostics\n\n");
    if res.diagnostics.is_empty() {
        o.push_str("No diagnostics.");
        if res.suppressed > 0 {
            let _ = write!(o, " ({} suppressed.)", res.suppressed);
        }
        o.push_str(&adoption(cx));
        o.push_str("\n\n");
        return;
    }
    let _ = write!(
        o,
        "{} diagnostic{}: {}.",
        res.diagnostics.len(),
        if res.diagnostics.len() == 1 { "" } else { "s" },
        github::severity_counts(&res.diagnostics)
    );
    if res.suppressed > 0 {
        let _ = write!(o, " {} suppressed.", res.suppressed);
    }
    o.push_str(&adoption(cx));
    o.push_str("\n\n");
    rules_table(cx, o);
    annotation_note(cx, o);
    if !github::ranked(cx).is_empty() {
        ranked_list(cx, o);
    }
}

/// New against known (--baseline) and what --changed-since left out, as sentences after the
/// counts; "" without either.
fn adoption(cx: &Input) -> String {
    let mut s = String::new();
    let Some(t) = cx.triage else {
        return s;
    };
    if let Some(b) = &t.baseline {
        let _ = write!(
            s,
            " **{} new**, {} known (in the baseline {}): only new ones count toward the build's result and are listed below.",
            b.new,
            b.known,
            escape(&b.file)
        );
        if b.fixed > 0 {
            let _ = write!(s, " {} baseline entries no longer occur.", b.fixed);
        }
    }
    if let Some(c) = &t.changed {
        let _ = write!(
            s,
            " Pull-request mode: {} changed file{} since {}; {} diagnostic{} in unchanged files not shown.",
            c.files_changed,
            if c.files_changed == 1 { "" } else { "s" },
            escape(&c.reference),
            c.diagnostics_not_shown,
            if c.diagnostics_not_shown == 1 { "" } else { "s" }
        );
    }
    s
}

/// One row per rule with its diagnostic count, most severe first.
fn rules_table(cx: &Input, o: &mut String) {
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, &str), (usize, &str)> = BTreeMap::new();
    for d in &cx.res.diagnostics {
        let name = cx
            .rs
            .rules
            .get(d.rule)
            .filter(|r| r.code == d.code)
            .map_or("", |r| r.name.as_str());
        by_rule
            .entry((std::cmp::Reverse(d.severity), d.code.as_str()))
            .or_insert((0, name))
            .0 += 1;
    }
    o.push_str("| Rule | Name | Severity | Count |\n|---|---|---|---:|\n");
    for ((sev, code), (n, name)) in &by_rule {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            escape_code(code),
            escape(name),
            sev.0.as_str(),
            n
        );
    }
    o.push('\n');
}

/// How many diagnostics GitHub's per-level caps left without an annotation, if any.
fn annotation_note(cx: &Input, o: &mut String) {
    let (shown, rest) = github::select(cx);
    if !rest.is_empty() {
        let _ = writeln!(
            o,
            "GitHub shows {} annotations of each level per step: the {} most important diagnostics are annotated on the code, {} more are not (they are listed below and in the JSON and SARIF reports).\n",
            github::CAP_PER_LEVEL,
            shown.len(),
            rest.len()
        );
    }
}

/// The `DIAGNOSTICS_LISTED` most important diagnostics, in a collapsed table.
fn ranked_list(cx: &Input, o: &mut String) {
    let ranked = github::ranked(cx);
    let listed = ranked.len().min(DIAGNOSTICS_LISTED);
    let _ = writeln!(
        o,
        "<details><summary>The {} most important {}diagnostic{}</summary>\n",
        listed,
        if cx.triage.is_some_and(|t| t.baseline.is_some()) {
            "new "
        } else {
            ""
        },
        if listed == 1 { "" } else { "s" }
    );
    o.push_str("| Severity | Rule | Where | Message |\n|---|---|---|---|\n");
    for d in ranked.iter().take(DIAGNOSTICS_LISTED) {
        let _ = writeln!(
            o,
            "| {} | `{}` | {} | {} |",
            d.severity.as_str(),
            escape_code(&d.code),
            location(cx, &d.path, d.line),
            escape_short(&d.message)
        );
    }
    if ranked.len() > listed {
        let _ = writeln!(
            o,
            "\n{} more in the JSON and SARIF reports.",
            ranked.len() - listed
        );
    }
    o.push_str("\n</details>\n\n");
}

/// Components of a monorepo (one verdict per package or service), when there is more than one.
fn components(cx: &Input, o: &mut String) {
    let cs = &cx.res.components;
    if cs.len() < 2 {
        return;
    }
    o.push_str("### Components\n\n");
    o.push_str(
        "| Component | Verdict | Confidence | NodeJS | Python | Code | Lines | Top evidence |\n",
    );
    o.push_str("|---|---|---:|---:|---:|---|---:|---|\n");
    for c in cs.iter().take(COMPONENTS_LISTED) {
        let v = &c.verdict;
        let dir = if c.path == "." || c.path.is_empty() {
            let p = cx.repo_prefix.trim_end_matches('/');
            if p.is_empty() {
                ".".to_string()
            } else {
                p.to_string()
            }
        } else {
            cx.repo_path(&c.path)
        };
        let name = if c.name.is_empty() || c.name == c.path {
            escape(&dir)
        } else {
            format!("{} ({})", escape(&dir), escape(&c.name))
        };
        let code = v
            .implementation_language
            .map(crate::lang::display_name)
            .unwrap_or("-");
        let top = c
            .top_evidence
            .first()
            .map(|e| {
                format!(
                    "{} {}",
                    located(cx, &e.path, e.line, e.cell),
                    escape_short(&e.message)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {} | **{}**{} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
            name,
            v.profile,
            if v.mismatch { " ⚠️" } else { "" },
            v.confidence,
            v.node_score,
            v.python_score,
            escape(code),
            super::text::thousands(c.lines_of_code),
            top
        );
    }
    if cs.len() > COMPONENTS_LISTED {
        let _ = writeln!(
            o,
            "\n{} more components in the JSON report.",
            cs.len() - COMPONENTS_LISTED
        );
    }
    if cs.iter().any(|c| c.verdict.mismatch) {
        o.push_str("\n⚠️ marks a component whose workload and language disagree.\n");
    }
    o.push('\n');
}

fn footer(cx: &Input, o: &mut String) {
    let res = cx.res;
    let files: u64 = res.languages.values().map(|l| l.files).sum();
    let lines: u64 = res.languages.values().map(|l| l.lines).sum();
    let mut langs: Vec<_> = res.languages.iter().collect();
    langs.sort_by_key(|l| std::cmp::Reverse(l.1.lines));
    let by_lang: Vec<String> = langs
        .iter()
        .map(|(k, l)| {
            format!(
                "{} {}",
                crate::lang::display_name(k),
                super::text::thousands(l.lines)
            )
        })
        .collect();
    let _ = write!(
        o,
        "<sub>stackfit {} · {}, {}{} · {} ms",
        env!("CARGO_PKG_VERSION"),
        super::text::count(files, "file"),
        super::text::count(lines, "line of code"),
        if by_lang.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape(&by_lang.join(", ")))
        },
        res.elapsed_ms
    );
    if !res.skipped.is_empty() {
        let _ = write!(
            o,
            " · {} skipped",
            super::text::count(res.skipped.len() as u64, "file")
        );
    }
    o.push_str(" · `stackfit explain CODE` documents any rule.</sub>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::github::tests::{cx, diag, opts, result, rules};
    use crate::score::EvidenceRef;

    #[test]
    fn escapes_code_text() {
        assert_eq!(
            escape("a|b <script>`x` @user #1 [l](u)\nnext"),
            "a\\|b &lt;script&gt;\\`x\\` &#64;user &#35;1 \\[l\\](u) next"
        );
        assert_eq!(
            escape("see https://evil.example and WWW.evil.example, a:b é."),
            "see https&#58;//evil.example and WWW&#46;evil.example, a:b é."
        );
        assert_eq!(url_path("src/a b#c.py"), "src/a%20b%23c.py");
        let long = "x".repeat(500);
        assert_eq!(escape_short(&long).chars().count(), MESSAGE_CHARS);
    }

    #[test]
    fn summary_sections() {
        let rs = rules();
        let o = opts();
        let mut res = result(
            &rs,
            vec![
                diag(0, "SF201", Severity::Warning, "app.py", 4),
                diag(0, "SF201", Severity::Warning, "app.py", 9),
                diag(0, "SF230", Severity::Error, "x|y.js", 2),
            ],
        );
        let n2 = res.traits.iter().position(|t| t.id == "N2").unwrap_or(0);
        res.traits[n2].score = 0.75;
        res.traits[n2].count = 3;
        res.traits[n2].top_evidence.push(EvidenceRef {
            rule: "SF122".into(),
            path: "chat/server.py".into(),
            line: 23,
            message: "real-time connection: ws.send(`<b>` | x)".into(),
            cell: None,
        });
        res.traits[n2].top_evidence.push(EvidenceRef {
            rule: "SF120".into(),
            path: "nb/chat.ipynb".into(),
            line: 40,
            message: "imports websockets".into(),
            cell: Some(Cell { index: 2, line: 1 }),
        });
        let mut c = cx(&rs, &res, &o);
        let plain = render(&c);
        assert!(
            plain.contains("## stackfit: no strong workload shape"),
            "{plain}"
        );
        assert!(plain.contains("xychart-beta"));
        assert!(
            plain.contains("    bar [0, 0.75, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"),
            "{plain}"
        );
        assert!(
            plain.contains("| N2 | real-time sockets | NodeJS | 0.75 `████████░░` | 3 | 0 |"),
            "{plain}"
        );
        assert!(plain.contains("| N2 | chat/server.py:23 | `SF122` | real-time connection: ws.send(\\`&lt;b&gt;\\` \\| x) |"), "{plain}");
        assert!(
            plain.contains("3 diagnostics: 1 error, 2 warnings, 0 notes."),
            "{plain}"
        );
        assert!(
            plain.contains("| `SF230` |  | error | 1 |\n| `SF201` |  | warning | 2 |"),
            "{plain}"
        );
        assert!(
            plain.contains("| error | `SF230` | x\\|y.js:2 |"),
            "{plain}"
        );

        assert!(
            plain.contains("| N2 | nb/chat.ipynb:40 (cell 2, line 1) | `SF120` |"),
            "{plain}"
        );
        c.blob_base = Some("https://example.test/o/r/blob/abc".into());
        c.repo_prefix = "svc/".into();
        let linked = render(&c);
        assert!(
            linked.contains(
                "[svc/chat/server.py:23](https://example.test/o/r/blob/abc/svc/chat/server.py#L23)"
            ),
            "{linked}"
        );
        assert!(
            linked.contains("[svc/x\\|y.js:2](https://example.test/o/r/blob/abc/svc/x%7Cy.js#L2)"),
            "{linked}"
        );
    }

    #[test]
    fn says_how_many_diagnostics_were_not_annotated() {
        let rs = rules();
        let o = opts();
        let ds = (1..=45)
            .map(|i| diag(0, "SF201", Severity::Warning, "app.py", i))
            .collect();
        let res = result(&rs, ds);
        let md = render(&cx(&rs, &res, &o));
        assert!(
            md.contains(
                "the 10 most important diagnostics are annotated on the code, 35 more are not"
            ),
            "{md}"
        );
        assert!(md.contains("<summary>The 30 most important diagnostics</summary>"));
        assert!(
            md.contains("\n15 more in the JSON and SARIF reports."),
            "{md}"
        );
    }
}
