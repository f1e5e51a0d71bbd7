//! The HTML report: one self-contained page for a person (no network at all: inline CSS and
//! inline SVG, no fonts, no scripts). It is drawn from the JSON document (`json::build`), read
//! back as a `serde_json::Value`, so the page shows exactly what the JSON says and tolerates
//! fields it does not know or that are missing. Every string from the scan (paths, messages,
//! names) goes through [`esc`]. The shared pieces (escaping, the stylesheet, number formats,
//! value accessors) are also used by the org dashboard (`dashboard.rs`).
use super::json;
use super::Input;
use serde_json::Value;
use std::fmt::Write;

/// Evidence rows shown per trait (the JSON carries up to 5).
const EVIDENCE_PER_TRAIT: usize = 5;
/// Diagnostics listed one by one (the rest are counted).
const DIAGNOSTICS_LISTED: usize = 200;

/// The stylesheet both pages share: system fonts only, light and dark.
pub const CSS: &str = "
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0;
--node:#2f7d32;--node2:#a5d6a7;--python:#1f5fa8;--python2:#9ec5ef;--warn:#b3261e;
--mixed:#8e5bb5;--neutral:#8a8f98;--none:#c4c8cf}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;
--card:#161b22;--line:#3d444d}}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,
sans-serif;color:var(--fg);background:var(--bg);max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted)}.sentence{font-size:16px;margin:10px 0 4px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;
min-width:120px}.card b{display:block;font-size:20px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;
font-weight:600;background:var(--neutral)}
.b-node{background:var(--node)}.b-python{background:var(--python)}.b-mixed{background:var(--mixed)}
.b-none{background:var(--none);color:#222}.b-error{background:var(--warn)}
.mismatch{color:var(--warn);font-weight:600}
table{border-collapse:collapse;margin:6px 0}table.wide{width:100%}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--card)}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
svg text{fill:var(--fg);font:12px system-ui,sans-serif}svg .axis{stroke:var(--muted)}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;
vertical-align:-2px;border-radius:2px}
ul.ev{margin:4px 0 10px;padding-left:20px}
";

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// `v[k]` as a string, "" when missing or not a string.
pub fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// `v[k]` as a number, 0 when missing or not a number.
pub fn num(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
}

/// `v[k]` as an array, empty when missing or not an array.
pub fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A score with two decimals.
pub fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// The badge of a verdict profile (`node`, `python`, `mixed`, `neutral`, `none`, `error`).
pub fn badge(profile: &str) -> String {
    let p = if profile.is_empty() { "none" } else { profile };
    let class = match p {
        "node" | "python" | "mixed" | "none" | "error" => p,
        _ => "neutral",
    };
    format!("<span class=\"badge b-{class}\">{}</span>", esc(p))
}

/// The page frame: doctype, title, the stylesheet, then `body`.
pub fn frame(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head>\n<body>\n{body}</body></html>\n",
        esc(title)
    )
}

/// The HTML report for `input`'s scan.
pub fn render(input: &Input) -> String {
    match serde_json::to_value(json::build(input)) {
        Ok(doc) => page(&doc),
        Err(e) => frame("stackfit", &format!("<p>{}</p>", esc(&e.to_string()))),
    }
}

/// The page for one report document (the `scan --format json` shape; a `batch` line works
/// too). Unknown fields are ignored and missing ones shown empty.
pub fn page(doc: &Value) -> String {
    let root = text(doc, "root");
    let mut o = String::new();
    verdict(doc, &mut o);
    trait_chart(list(doc, "traits"), &mut o);
    evidence(list(doc, "traits"), &mut o);
    file_classes(doc, &mut o);
    components(list(doc, "components"), &mut o);
    diagnostics(doc, &mut o);
    footer(doc, &mut o);
    frame(&format!("stackfit: {root}"), &o)
}

fn verdict(doc: &Value, o: &mut String) {
    let v = doc.get("verdict").unwrap_or(&Value::Null);
    let profile = text(v, "profile");
    let _ = write!(
        o,
        "<h1>stackfit: <code>{}</code></h1>\n<p class=\"sentence\">{} {}</p>\n",
        esc(text(doc, "root")),
        badge(profile),
        esc(text(v, "summary"))
    );
    if v.get("mismatch").and_then(Value::as_bool) == Some(true) {
        o.push_str(
            "<p class=\"mismatch\">The workload and the implementation language disagree.</p>\n",
        );
    }
    let _ = writeln!(o, "<p class=\"muted\">{}</p>", esc(text(v, "reason")));
    let lang = text(v, "implementation_language");
    let cards = [
        ("NodeJS score", fmt2(num(v, "node_score"))),
        ("Python score", fmt2(num(v, "python_score"))),
        ("confidence", fmt2(num(v, "confidence"))),
        (
            "language",
            if lang.is_empty() {
                "–".into()
            } else {
                lang.to_string()
            },
        ),
    ];
    o.push_str("<div class=\"cards\">");
    for (k, val) in cards {
        let _ = write!(o, "<div class=\"card\"><b>{}</b>{k}</div>", esc(&val));
    }
    o.push_str("</div>\n");
}

/// Profile colours: (domain, generic).
fn colours(profile: &str) -> (&'static str, &'static str) {
    if profile == "python" {
        ("var(--python)", "var(--python2)")
    } else {
        ("var(--node)", "var(--node2)")
    }
}

/// A horizontal bar chart of the trait scores: per trait, the domain score (dark) and the
/// generic score (pale) as two bars, and the trait score as a number.
fn trait_chart(traits: &[Value], o: &mut String) {
    const LABEL: f64 = 250.0;
    const WIDTH: f64 = 420.0;
    const ROW: f64 = 26.0;
    let height = ROW * traits.len() as f64 + 40.0;
    o.push_str(
        "<h2>Trait scores</h2>\n<p class=\"legend muted\">\
        <span style=\"background:var(--node)\"></span>NodeJS domain\
        <span style=\"background:var(--node2)\"></span>NodeJS generic\
        <span style=\"background:var(--python)\"></span>Python domain\
        <span style=\"background:var(--python2)\"></span>Python generic\
        &nbsp; (the number is the trait score)</p>\n",
    );
    let _ = writeln!(
        o,
        "<svg id=\"trait-chart\" role=\"img\" aria-label=\"trait scores\" width=\"{w}\" \
         height=\"{height}\" viewBox=\"0 0 {w} {height}\">",
        w = LABEL + WIDTH + 60.0
    );
    for (i, t) in traits.iter().enumerate() {
        let y = 10.0 + ROW * i as f64;
        let (dark, pale) = colours(text(t, "profile"));
        let d = num(t, "domain_score").clamp(0.0, 1.0) * WIDTH;
        let g = num(t, "generic_score").clamp(0.0, 1.0) * WIDTH;
        let _ = writeln!(
            o,
            "<g><title>{id} {name}: score {s}, domain {ds}, generic {gs}</title>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{id} {name}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{d:.1}\" height=\"10\" fill=\"{dark}\"/>\
             <rect x=\"{LABEL}\" y=\"{y2}\" width=\"{g:.1}\" height=\"8\" fill=\"{pale}\"/>\
             <text x=\"{sx:.1}\" y=\"{ty}\">{s}</text></g>",
            id = esc(text(t, "id")),
            name = esc(text(t, "name")),
            s = fmt2(num(t, "score")),
            ds = fmt2(num(t, "domain_score")),
            gs = fmt2(num(t, "generic_score")),
            tx = LABEL - 8.0,
            ty = y + 13.0,
            y2 = y + 11.0,
            sx = LABEL + d.max(g) + 6.0,
        );
    }
    let base = 10.0 + ROW * traits.len() as f64;
    let _ = writeln!(
        o,
        "<line class=\"axis\" x1=\"{LABEL}\" y1=\"4\" x2=\"{LABEL}\" y2=\"{base}\"/>\
         <line class=\"axis\" x1=\"{LABEL}\" y1=\"{base}\" x2=\"{end}\" y2=\"{base}\"/>\
         <text x=\"{LABEL}\" y=\"{ly}\" text-anchor=\"middle\">0</text>\
         <text x=\"{mid}\" y=\"{ly}\" text-anchor=\"middle\">0.5</text>\
         <text x=\"{end}\" y=\"{ly}\" text-anchor=\"middle\">1</text></svg>",
        end = LABEL + WIDTH,
        mid = LABEL + WIDTH / 2.0,
        ly = base + 16.0
    );
}

/// `path:line`, with the notebook cell when there is one.
fn location(e: &Value) -> String {
    let mut s = format!("{}:{}", text(e, "path"), num(e, "line"));
    if let Some(c) = e.get("cell").filter(|c| c.is_object()) {
        let _ = write!(s, " (cell {}, line {})", num(c, "index"), num(c, "line"));
    }
    s
}

/// The evidence of every trait that has some, strongest traits first.
fn evidence(traits: &[Value], o: &mut String) {
    let mut shown: Vec<&Value> = traits
        .iter()
        .filter(|t| !list(t, "top_evidence").is_empty())
        .collect();
    shown.sort_by(|a, b| num(b, "score").total_cmp(&num(a, "score")));
    o.push_str("<h2>Evidence</h2>\n");
    if shown.is_empty() {
        o.push_str("<p class=\"muted\">No evidence in product code.</p>\n");
    }
    for t in shown {
        let class = text(t, "evidence_class");
        let _ = writeln!(
            o,
            "<h3>{} {} <span class=\"muted\">score {}, {}, {}, {} outside product</span></h3>\
             <ul class=\"ev\">",
            esc(text(t, "id")),
            esc(text(t, "name")),
            fmt2(num(t, "score")),
            esc(if class.is_empty() { "no class" } else { class }),
            plural(num(t, "files"), "product file"),
            plural(num(t, "outside_product"), "finding"),
        );
        for e in list(t, "top_evidence").iter().take(EVIDENCE_PER_TRAIT) {
            let _ = writeln!(
                o,
                "<li><code>{}</code> {} <span class=\"muted\">{}</span></li>",
                esc(&location(e)),
                esc(text(e, "message")),
                esc(text(e, "rule")),
            );
        }
        o.push_str("</ul>\n");
    }
}

fn file_classes(doc: &Value, o: &mut String) {
    let fc = doc.get("file_classes").unwrap_or(&Value::Null);
    o.push_str("<h2>File classes</h2>\n<table><tr><th>class</th><th>files</th><th>lines of code</th></tr>\n");
    if let Some(counts) = fc.get("counts").and_then(Value::as_object) {
        for (class, c) in counts {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(class),
                num(c, "files"),
                num(c, "lines_of_code")
            );
        }
    }
    let names = |k: &str| {
        list(fc, k)
            .iter()
            .filter_map(Value::as_str)
            .map(esc)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        o,
        "</table>\n<p class=\"muted\">Shares are measured against {} product lines of code. \
         Promoted to product: {}. First-party names: {}.</p>",
        num(fc, "product_lines_of_code"),
        or_none(names("promoted")),
        or_none(names("first_party")),
    );
}

/// `1 file`, `2 files`.
fn plural(n: f64, what: &str) -> String {
    if n == 1.0 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s
    }
}

fn components(comps: &[Value], o: &mut String) {
    o.push_str("<h2>Components</h2>\n");
    if comps.is_empty() {
        o.push_str("<p class=\"muted\">No manifest found: the repository is one component.</p>\n");
        return;
    }
    o.push_str(
        "<table class=\"wide\"><tr><th>path</th><th>name</th><th>verdict</th><th>confidence</th>\
         <th>NodeJS</th><th>Python</th><th>language</th><th>files</th><th>lines</th>\
         <th>findings</th></tr>\n",
    );
    for c in comps {
        let v = c.get("verdict").unwrap_or(&Value::Null);
        let st = c.get("stats").unwrap_or(&Value::Null);
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(text(c, "path")),
            esc(text(c, "name")),
            badge(text(v, "profile")),
            if v.get("mismatch").and_then(Value::as_bool) == Some(true) {
                " <span class=\"mismatch\">mismatch</span>"
            } else {
                ""
            },
            fmt2(num(v, "confidence")),
            fmt2(num(v, "node_score")),
            fmt2(num(v, "python_score")),
            esc(text(v, "implementation_language")),
            num(st, "files"),
            num(st, "lines_of_code"),
            num(st, "findings"),
        );
    }
    o.push_str("</table>\n");
}

fn diagnostics(doc: &Value, o: &mut String) {
    let diags = list(doc, "diagnostics");
    let _ = writeln!(
        o,
        "<h2>Diagnostics</h2>\n<p class=\"muted\">{} reported, {} suppressed.</p>",
        diags.len(),
        num(doc, "suppressed")
    );
    if diags.is_empty() {
        return;
    }
    o.push_str("<table class=\"wide\"><tr><th>severity</th><th>rule</th><th>where</th><th>message</th><th>fix</th></tr>\n");
    for d in diags.iter().take(DIAGNOSTICS_LISTED) {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}:{}:{}</code></td><td>{}</td>\
             <td class=\"muted\">{}</td></tr>",
            esc(text(d, "severity")),
            esc(text(d, "code")),
            esc(text(d, "path")),
            num(d, "line"),
            num(d, "column"),
            esc(text(d, "message")),
            esc(text(d, "fix")),
        );
    }
    o.push_str("</table>\n");
    if diags.len() > DIAGNOSTICS_LISTED {
        let _ = writeln!(
            o,
            "<p class=\"muted\">and {} more (see the JSON or SARIF report).</p>",
            diags.len() - DIAGNOSTICS_LISTED
        );
    }
}

fn footer(doc: &Value, o: &mut String) {
    let st = doc.get("stats").unwrap_or(&Value::Null);
    let tool = doc.get("tool").unwrap_or(&Value::Null);
    let _ = writeln!(
        o,
        "<p class=\"muted\">{} files scanned ({} lines of code), {} skipped. \
         {} {}, report schema {}.</p>",
        num(st, "files_scanned"),
        num(st, "lines_of_code"),
        num(st, "files_skipped"),
        esc(text(tool, "name")),
        esc(text(tool, "version")),
        esc(text(doc, "schema_version")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything() {
        assert_eq!(
            esc("<script>a&\"b'</script>\u{1}"),
            "&lt;script&gt;a&amp;&quot;b&#39;&lt;/script&gt;\u{fffd}"
        );
    }

    #[test]
    fn tolerates_any_value() {
        for doc in [
            Value::Null,
            serde_json::json!({"verdict": 3, "traits": "x", "components": [1, null]}),
            serde_json::json!({"traits": [{"top_evidence": [{"cell": 1}]}]}),
        ] {
            let p = page(&doc);
            assert!(p.starts_with("<!DOCTYPE html>") && p.ends_with("</html>\n"));
        }
    }
}
