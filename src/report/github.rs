//! GitHub Actions workflow commands. Diagnostics become `::error`/`::warning`/`::notice`
//! annotations on the file and line; the verdict becomes one `::notice`. GitHub shows at most
//! ten annotations of each level per step, so the most important go first (severity, then the
//! rule's weight) and the rest are counted in the verdict notice and printed as plain log lines.
//! With --baseline, known diagnostics (`unchanged`) are neither annotated nor listed: the
//! verdict notice counts them, so the annotations a pull request shows are its new problems.
//! Also `github-output`: the `key=value` lines a step appends to `$GITHUB_OUTPUT`.
use super::Input;
use crate::lint::Diagnostic;
use crate::rules::Severity;
use std::fmt::Write;

/// Annotations of one level that GitHub displays per step.
pub const CAP_PER_LEVEL: usize = 10;

/// Escapes a command's message (data), as the runner's `ActionCommand` expects.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value: data escaping plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes text for a plain log line (no workflow command): line breaks become `%0D`/`%0A`, so
/// a file name or message cannot start a line of its own with `::`.
pub fn escape_line(s: &str) -> String {
    escape_data(s)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Diagnostics in order of importance: severity, then rule weight, then position. Known ones
/// (in the baseline) are left out.
pub fn ranked<'a>(cx: &Input<'a>) -> Vec<&'a Diagnostic> {
    let weight = |d: &Diagnostic| cx.rs.rules.get(d.rule).map_or(0.0, |r| r.weight);
    let mut v: Vec<&Diagnostic> = (cx.res.diagnostics.iter().enumerate())
        .filter(|(i, _)| cx.state(*i) != Some(crate::baseline::State::Unchanged))
        .map(|(_, d)| d)
        .collect();
    v.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(
                weight(b)
                    .partial_cmp(&weight(a))
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then_with(|| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)))
    });
    v
}

/// Splits the ranked diagnostics into those annotated (within the caps; one notice is kept
/// for the verdict) and those left over.
pub fn select<'a>(cx: &Input<'a>) -> (Vec<&'a Diagnostic>, Vec<&'a Diagnostic>) {
    let mut used = [0usize; 3];
    let (mut shown, mut rest) = (Vec::new(), Vec::new());
    for d in ranked(cx) {
        let (i, cap) = match d.severity {
            Severity::Error => (0, CAP_PER_LEVEL),
            Severity::Warning => (1, CAP_PER_LEVEL),
            Severity::Note => (2, CAP_PER_LEVEL - 1),
        };
        if used[i] < cap {
            used[i] += 1;
            shown.push(d);
        } else {
            rest.push(d);
        }
    }
    (shown, rest)
}

fn rule_name<'a>(cx: &Input<'a>, d: &Diagnostic) -> &'a str {
    cx.rs
        .rules
        .get(d.rule)
        .filter(|r| r.code == d.code)
        .map_or("", |r| r.name.as_str())
}

fn annotation(cx: &Input, d: &Diagnostic) -> String {
    let mut props = vec![
        format!("file={}", escape_property(&cx.repo_path(&d.path))),
        format!("line={}", d.line.max(1)),
    ];
    let end_line = d.end_line.max(d.line).max(1);
    props.push(format!("endLine={end_line}"));
    // GitHub accepts columns only on a single-line range.
    if end_line == d.line.max(1) && d.column > 0 {
        props.push(format!("col={}", d.column));
        if d.end_column > d.column {
            props.push(format!("endColumn={}", d.end_column));
        }
    }
    let name = rule_name(cx, d);
    let title = if name.is_empty() {
        format!("stackfit {}", d.code)
    } else {
        format!("stackfit {} ({name})", d.code)
    };
    props.push(format!("title={}", escape_property(&title)));
    let mut msg = d.message.clone();
    if let Some(fix) = d.fix.as_deref().filter(|f| !f.trim().is_empty()) {
        msg.push_str("\nFix: ");
        msg.push_str(fix.trim());
    }
    format!(
        "::{} {}::{}",
        level(d.severity),
        props.join(","),
        escape_data(&msg)
    )
}

fn count_phrase(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning, 0 notes".
pub fn severity_counts(ds: &[Diagnostic]) -> String {
    let n = |s: Severity| ds.iter().filter(|d| d.severity == s).count();
    format!(
        "{}, {}, {}",
        count_phrase(n(Severity::Error), "error"),
        count_phrase(n(Severity::Warning), "warning"),
        count_phrase(n(Severity::Note), "note")
    )
}

pub fn render(cx: &Input) -> String {
    let res = cx.res;
    let (shown, rest) = select(cx);
    let mut o = String::new();
    for d in &shown {
        let _ = writeln!(o, "{}", annotation(cx, d));
    }
    let v = &res.verdict;
    let mut notice = format!(
        "{}\nNodeJS profile {:.2} · Python profile {:.2}.",
        v.summary, v.node_score, v.python_score
    );
    if res.diagnostics.is_empty() {
        notice.push_str(" No diagnostics.");
    } else {
        let _ = write!(
            notice,
            " {} ({}).",
            count_phrase(res.diagnostics.len(), "diagnostic"),
            severity_counts(&res.diagnostics)
        );
        if !rest.is_empty() {
            let _ = write!(
                notice,
                " GitHub shows {CAP_PER_LEVEL} annotations of each level per step: the {} most important are annotated, {} more are in the log, the job summary and the JSON/SARIF reports.",
                shown.len(),
                rest.len()
            );
        }
    }
    if res.suppressed > 0 {
        let _ = write!(notice, " {} suppressed.", res.suppressed);
    }
    notice.push_str(&adoption_sentence(cx));
    let _ = writeln!(
        o,
        "::notice title={}::{}",
        escape_property("stackfit verdict"),
        escape_data(&notice)
    );
    // The rest as plain lines. Each starts with "stackfit:" so that no file name or message
    // can begin a line with `::` and be taken for a workflow command.
    for d in &rest {
        let _ = writeln!(
            o,
            "stackfit: {}:{}:{}: {} {} {}",
            escape_line(&cx.repo_path(&d.path)),
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            escape_line(&d.message)
        );
    }
    o
}

/// " 2 new, 12 known (baseline `b.json`; known ones are not annotated)." and " 4 diagnostics in
/// files unchanged since `origin/main` not shown.", or "" without --baseline and
/// --changed-since.
pub fn adoption_sentence(cx: &Input) -> String {
    let mut s = String::new();
    let Some(t) = cx.triage else {
        return s;
    };
    if let Some(b) = &t.baseline {
        let _ = write!(
            s,
            " {} new, {} known (baseline `{}`; known ones are not annotated).",
            b.new, b.known, b.file
        );
    }
    if let Some(c) = t.changed.as_ref().filter(|c| c.diagnostics_not_shown > 0) {
        let _ = write!(
            s,
            " {} in files unchanged since `{}` not shown.",
            count_phrase(c.diagnostics_not_shown as usize, "diagnostic"),
            c.reference
        );
    }
    s
}

/// `key=value` lines for `$GITHUB_OUTPUT`. Values are single-line by construction.
pub fn render_outputs(cx: &Input) -> String {
    let v = &cx.res.verdict;
    let one_line = |s: &str| s.replace(['\r', '\n'], " ");
    let mut o = String::new();
    let mut kv = |k: &str, val: String| {
        let _ = writeln!(o, "{k}={}", one_line(&val));
    };
    kv("profile", v.profile.to_string());
    kv("confidence", format!("{}", v.confidence));
    kv("node-score", format!("{}", v.node_score));
    kv("python-score", format!("{}", v.python_score));
    kv(
        "implementation-language",
        v.implementation_language.unwrap_or("").to_string(),
    );
    kv("mismatch", v.mismatch.to_string());
    kv("diagnostics", cx.res.diagnostics.len().to_string());
    // Those that count toward --fail-on: all but the baseline's known ones.
    let new = (0..cx.res.diagnostics.len())
        .filter(|&i| cx.state(i) != Some(crate::baseline::State::Unchanged))
        .count();
    kv("new-diagnostics", new.to_string());
    kv("summary", v.summary.clone());
    o
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::Input;
    use crate::rules::Ruleset;
    use crate::scan::ScanOptions;
    use crate::scan::ScanResult;
    use crate::score::{self, LocByLang};

    pub fn rules() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn opts() -> ScanOptions {
        ScanOptions::for_root(".")
    }

    /// A hand-built diagnostic; `rule` points at an existing rule so its weight counts.
    pub fn diag(rule: usize, code: &str, sev: Severity, path: &str, line: u32) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity: sev,
            message: format!("message for {code}"),
            path: path.into(),
            line,
            column: 5,
            end_line: line,
            end_column: 12,
            fix: None,
            fingerprint: format!("{line:016x}"),
            cell: None,
            rule,
        }
    }

    /// The result of scanning an empty directory (so every field is real), with these
    /// diagnostics and a Python verdict context.
    pub fn result(rs: &Ruleset, diagnostics: Vec<Diagnostic>) -> ScanResult {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut o = opts();
        o.walk.root = tmp.path().to_path_buf();
        let mut res = crate::scan::run(rs, &o);
        let prev = score::Prevalence {
            product_loc: 10,
            file_loc: &std::collections::HashMap::new(),
        };
        res.traits = score::trait_scores(rs, std::iter::empty(), &prev);
        res.verdict = score::verdict(rs, &res.traits, &LocByLang::from([("python", 10)]));
        res.diagnostics = diagnostics;
        res.elapsed_ms = 1;
        res
    }

    pub fn cx<'a>(rs: &'a Ruleset, res: &'a ScanResult, o: &'a ScanOptions) -> Input<'a> {
        Input {
            rs,
            res,
            opts: o,
            color: false,
            repo_prefix: String::new(),
            blob_base: None,
            triage: None,
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A".to_string());
    }

    #[test]
    fn annotation_lines() {
        let rs = rules();
        let o = opts();
        let mut d = diag(0, "SF999", Severity::Warning, "dir,x/a:b.py", 7);
        d.message = "blocking call: time.sleep(1)\n100% sure".into();
        d.fix = Some("use await asyncio.sleep(1)".into());
        let res = result(&rs, vec![d]);
        let mut c = cx(&rs, &res, &o);
        c.repo_prefix = "svc/".into();
        let out = render(&c);
        let first = out.lines().next().unwrap_or("");
        assert_eq!(
            first,
            "::warning file=svc/dir%2Cx/a%3Ab.py,line=7,endLine=7,col=5,endColumn=12,title=stackfit SF999::blocking call: time.sleep(1)%0A100%25 sure%0AFix: use await asyncio.sleep(1)"
        );
        let notice = out.lines().nth(1).unwrap_or("");
        assert!(
            notice.starts_with("::notice title=stackfit verdict::This workload"),
            "{notice}"
        );
        assert!(
            notice.contains("1 diagnostic (0 errors, 1 warning, 0 notes)."),
            "{notice}"
        );
        assert_eq!(out.lines().count(), 2);
    }

    #[test]
    fn multi_line_range_has_no_columns() {
        let rs = rules();
        let o = opts();
        let mut d = diag(0, "SF999", Severity::Error, "a.js", 3);
        d.end_line = 9;
        let res = result(&rs, vec![d]);
        let out = render(&cx(&rs, &res, &o));
        assert!(
            out.starts_with("::error file=a.js,line=3,endLine=9,title="),
            "{out}"
        );
    }

    #[test]
    fn caps_and_order() {
        let rs = rules();
        let o = opts();
        // Two rules of different weight.
        let (light, heavy) = {
            let mut idx: Vec<usize> = (0..rs.rules.len()).collect();
            idx.sort_by(|a, b| {
                rs.rules[*a]
                    .weight
                    .partial_cmp(&rs.rules[*b].weight)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            (idx[0], idx[idx.len() - 1])
        };
        assert!(rs.rules[light].weight < rs.rules[heavy].weight);
        let mut ds = Vec::new();
        for i in 0..12 {
            ds.push(diag(light, "SF901", Severity::Warning, "w.py", i + 1));
        }
        ds.push(diag(heavy, "SF902", Severity::Warning, "z.py", 50));
        for i in 0..3 {
            ds.push(diag(light, "SF903", Severity::Error, "e.py", i + 1));
        }
        for i in 0..11 {
            ds.push(diag(light, "SF904", Severity::Note, "n.py", i + 1));
        }
        let res = result(&rs, ds);
        let c = cx(&rs, &res, &o);
        let out = render(&c);
        let lines: Vec<&str> = out.lines().collect();
        // Errors first, then the heavy warning, then warnings by position.
        assert!(
            lines[0].starts_with("::error file=e.py,line=1,"),
            "{}",
            lines[0]
        );
        assert!(
            lines[3].starts_with("::warning file=z.py,line=50,"),
            "{}",
            lines[3]
        );
        assert!(
            lines[4].starts_with("::warning file=w.py,line=1,"),
            "{}",
            lines[4]
        );
        let count = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
        assert_eq!(count("::error "), 3);
        assert_eq!(count("::warning "), 10);
        assert_eq!(count("::notice "), 10); // 9 notes and the verdict
        assert_eq!(count("stackfit: "), 3 + 2);
        let notice = lines
            .iter()
            .find(|l| l.starts_with("::notice title=stackfit verdict"))
            .unwrap_or(&"");
        assert!(
            notice.contains("the 22 most important are annotated, 5 more"),
            "{notice}"
        );
        assert!(lines.contains(&"stackfit: w.py:12:5: warning SF901 message for SF901"));
    }

    #[test]
    fn overflow_lines_cannot_start_a_workflow_command() {
        let rs = rules();
        let o = opts();
        let path = "a\n::error file=x::pwned\r\n%0A.py";
        let mut ds = Vec::new();
        for i in 0..12 {
            let mut d = diag(0, "SF901", Severity::Warning, path, i + 1);
            d.message = "quotes `x`\n::warning::pwned".into();
            ds.push(d);
        }
        let res = result(&rs, ds);
        let out = render(&cx(&rs, &res, &o));
        assert_eq!(out.lines().count(), 10 + 1 + 2, "{out}");
        for l in out.lines() {
            assert!(
                l.starts_with("::warning file=a%0A%3A%3Aerror file=x%3A%3Apwned%0D%0A%250A.py,")
                    || l.starts_with("::notice title=stackfit verdict::")
                    || l.starts_with("stackfit: a%0A::error file=x::pwned%0D%0A%250A.py:"),
                "{l}"
            );
        }
        assert!(out.contains(":5: warning SF901 quotes `x`%0A::warning::pwned\n"));
    }

    #[test]
    fn outputs() {
        let rs = rules();
        let o = opts();
        let res = result(&rs, vec![diag(0, "SF999", Severity::Note, "a.py", 1)]);
        let out = render_outputs(&cx(&rs, &res, &o));
        assert!(out.starts_with("profile=neutral\nconfidence=1\n"), "{out}");
        assert!(out.contains("\nimplementation-language=python\nmismatch=false\ndiagnostics=1\n"));
        assert!(out.lines().all(|l| l.contains('=')));
    }
}
