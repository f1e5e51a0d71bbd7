//! The org dashboard: one self-contained HTML page over many repositories' reports (NDJSON from
//! `stackfit batch`, or `scan --format json` documents one a line). It exists so a platform
//! team can read 500 verdicts at a glance: how many repositories fall in each verdict, a
//! NodeJS-score against Python-score scatter, the mismatches first, a sortable table, and what
//! changed between two snapshots. Lines are read as `serde_json::Value`, so unknown or missing
//! fields, error lines (`{"root": ..., "error": ...}`) and broken lines never stop it.
use super::html::{badge, esc, fmt2, frame, list, num, text};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The verdicts counted, in the order shown.
const VERDICTS: [&str; 5] = ["node", "python", "mixed", "neutral", "none"];
/// Above this many repositories the scatter shows names on hover only.
const LABELLED_DOTS: usize = 80;

/// One repository's line, reduced to what the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Repo {
    /// What identifies the repository across snapshots: the git remote, else the root.
    pub key: String,
    /// The short name shown: the remote's or the root's last path segment.
    pub name: String,
    pub root: String,
    pub commit: String,
    pub profile: String,
    pub confidence: f64,
    pub node_score: f64,
    pub python_score: f64,
    pub language: String,
    pub mismatch: bool,
    pub diagnostics: usize,
    pub summary: String,
    /// Why the repository has no report (an error line, or a line that is not a report).
    pub error: Option<String>,
}

/// The lines of one input file, in order.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Where it came from (the file name), shown on the page.
    pub source: String,
    pub repos: Vec<Repo>,
}

/// The last segment of a path or URL, without a trailing `.git`.
fn last_segment(s: &str) -> &str {
    let t = s.trim_end_matches(['/', '\\']);
    let t = t.rsplit(['/', '\\', ':']).next().unwrap_or(t);
    t.strip_suffix(".git").unwrap_or(t)
}

/// One NDJSON line as a repository; `what` names the line for an error.
pub fn repo(line: &Value, what: &str) -> Repo {
    let git = line.get("git").unwrap_or(&Value::Null);
    let remote = text(git, "remote").trim();
    let root = text(line, "root").trim();
    let key = if remote.is_empty() { root } else { remote };
    let key = key.trim_end_matches('/');
    let key = key.strip_suffix(".git").unwrap_or(key).to_string();
    let name = match last_segment(&key) {
        "" | "." | ".." => if root.is_empty() { what } else { root }.to_string(),
        n => n.to_string(),
    };
    let v = line.get("verdict").unwrap_or(&Value::Null);
    let error = match line.get("error") {
        Some(Value::Null) | None if v.is_object() => None,
        Some(Value::String(e)) => Some(e.clone()),
        Some(e) if !e.is_null() => Some(e.to_string()),
        _ => Some("not a report: no `verdict` object".into()),
    };
    Repo {
        key: if key.is_empty() {
            what.to_string()
        } else {
            key
        },
        name,
        root: root.to_string(),
        commit: text(git, "commit").to_string(),
        profile: text(v, "profile").to_string(),
        confidence: num(v, "confidence"),
        node_score: num(v, "node_score"),
        python_score: num(v, "python_score"),
        language: text(v, "implementation_language").to_string(),
        mismatch: v.get("mismatch").and_then(Value::as_bool) == Some(true),
        diagnostics: list(line, "diagnostics").len(),
        summary: text(v, "summary").to_string(),
        error,
    }
}

/// Reads one NDJSON file's text. Blank lines are skipped; a line that is not JSON becomes an
/// error entry naming its line number.
pub fn parse(source: &str, ndjson: &str) -> Snapshot {
    let repos = ndjson
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let what = format!("{source}:{}", i + 1);
            match serde_json::from_str::<Value>(l) {
                Ok(v) => repo(&v, &what),
                Err(e) => {
                    let mut r = repo(&Value::Null, &what);
                    r.error = Some(format!("line {} is not JSON: {e}", i + 1));
                    r
                }
            }
        })
        .collect();
    Snapshot {
        source: source.to_string(),
        repos,
    }
}

/// The repositories now, and the earlier line of each when there is one: with exactly two
/// snapshots the first is "before" and the second "now"; otherwise every line is pooled and
/// a repository seen more than once is compared between its last two lines.
pub struct View<'a> {
    pub now: Vec<&'a Repo>,
    pub before: BTreeMap<&'a str, &'a Repo>,
    /// Repositories in "before" that are gone now (two snapshots only).
    pub removed: Vec<&'a Repo>,
    /// Whether there was an earlier snapshot at all (two files, or repeated lines).
    pub compared: bool,
    /// Exactly two snapshots: "new" and "removed" repositories mean something.
    pub pair: bool,
}

/// Keeps the last line of each key, in first-seen order; the one before it goes to `before`.
fn latest<'a>(
    repos: impl Iterator<Item = &'a Repo>,
) -> (Vec<&'a Repo>, BTreeMap<&'a str, &'a Repo>) {
    let mut order: Vec<&str> = Vec::new();
    let mut last: BTreeMap<&str, &Repo> = BTreeMap::new();
    let mut before = BTreeMap::new();
    for r in repos {
        match last.insert(r.key.as_str(), r) {
            Some(prev) => {
                before.insert(r.key.as_str(), prev);
            }
            None => order.push(r.key.as_str()),
        }
    }
    let now = order.iter().filter_map(|k| last.get(k).copied()).collect();
    (now, before)
}

pub fn view(snaps: &[Snapshot]) -> View<'_> {
    if let [old, new] = snaps {
        let (now, _) = latest(new.repos.iter());
        let (was, _) = latest(old.repos.iter());
        let before: BTreeMap<&str, &Repo> = was.iter().map(|r| (r.key.as_str(), *r)).collect();
        let removed = was
            .into_iter()
            .filter(|r| !now.iter().any(|n| n.key == r.key))
            .collect();
        return View {
            now,
            before,
            removed,
            compared: true,
            pair: true,
        };
    }
    let (now, before) = latest(snaps.iter().flat_map(|s| s.repos.iter()));
    let compared = !before.is_empty();
    View {
        now,
        before,
        removed: Vec::new(),
        compared,
        pair: false,
    }
}

/// The org dashboard page over `snaps` (see [`view`] for how snapshots are compared).
pub fn render(snaps: &[Snapshot]) -> String {
    let v = view(snaps);
    let mut ok: Vec<&Repo> = v
        .now
        .iter()
        .copied()
        .filter(|r| r.error.is_none())
        .collect();
    // Mismatches first, then the most confident verdicts, then by name.
    ok.sort_by(|a, b| {
        b.mismatch
            .cmp(&a.mismatch)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.name.cmp(&b.name))
    });
    let errors: Vec<&Repo> = v
        .now
        .iter()
        .copied()
        .filter(|r| r.error.is_some())
        .collect();
    let mut o = String::new();
    let sources: Vec<String> = snaps.iter().map(|s| esc(&s.source)).collect();
    let _ = writeln!(
        o,
        "<h1>stackfit: {} repositories</h1>\n<p class=\"muted\">From {}.</p>",
        ok.len() + errors.len(),
        sources.join(", ")
    );
    counts(&ok, errors.len(), &mut o);
    mismatches(&ok, &mut o);
    if v.compared {
        changes(&v, &mut o);
    }
    scatter(&ok, &mut o);
    table(&ok, &mut o);
    error_list(&errors, &mut o);
    o.push_str(SCRIPT);
    frame("stackfit: org dashboard", &o)
}

fn counts(ok: &[&Repo], errors: usize, o: &mut String) {
    o.push_str("<div class=\"cards\" id=\"verdict-counts\">");
    for p in VERDICTS {
        let n = ok.iter().filter(|r| r.profile == p).count();
        let _ = write!(
            o,
            "<div class=\"card\" data-verdict=\"{p}\"><b>{n}</b>{}</div>",
            badge(p)
        );
    }
    let m = ok.iter().filter(|r| r.mismatch).count();
    let _ = write!(
        o,
        "<div class=\"card\" data-verdict=\"mismatch\"><b>{m}</b><span class=\"mismatch\">mismatches</span></div>"
    );
    if errors > 0 {
        let _ = write!(
            o,
            "<div class=\"card\" data-verdict=\"error\"><b>{errors}</b>{}</div>",
            badge("error")
        );
    }
    o.push_str("</div>\n");
}

fn mismatches(ok: &[&Repo], o: &mut String) {
    let m: Vec<&&Repo> = ok.iter().filter(|r| r.mismatch).collect();
    let _ = writeln!(o, "<h2>Mismatches ({})</h2>", m.len());
    if m.is_empty() {
        o.push_str("<p class=\"muted\">Every workload fits the language it is written in.</p>\n");
        return;
    }
    o.push_str("<ul id=\"mismatches\">\n");
    for r in m {
        let _ = writeln!(
            o,
            "<li><b>{}</b> {} in {}: {}</li>",
            esc(&r.name),
            badge(&r.profile),
            esc(&r.language),
            esc(&r.summary)
        );
    }
    o.push_str("</ul>\n");
}

fn changes(v: &View, o: &mut String) {
    let changed: Vec<(&Repo, &Repo)> = v
        .now
        .iter()
        .filter_map(|r| v.before.get(r.key.as_str()).map(|b| (*b, *r)))
        .filter(|(b, r)| b.profile != r.profile || b.error.is_some() != r.error.is_some())
        .collect();
    // "New" only means something against a whole earlier snapshot.
    let added: Vec<&&Repo> = if v.pair {
        v.now
            .iter()
            .filter(|r| !v.before.contains_key(r.key.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    o.push_str("<h2>What changed</h2>\n<ul id=\"changes\">\n");
    let state = |r: &Repo| {
        badge(if r.error.is_some() {
            "error"
        } else {
            &r.profile
        })
    };
    for (b, r) in &changed {
        let _ = writeln!(
            o,
            "<li><b>{}</b>: {} ({}) &rarr; {} ({}){}</li>",
            esc(&r.name),
            state(b),
            fmt2(b.confidence),
            state(r),
            fmt2(r.confidence),
            commits(b, r)
        );
    }
    for r in &added {
        let _ = writeln!(o, "<li><b>{}</b>: new, {}</li>", esc(&r.name), state(r));
    }
    for r in &v.removed {
        let _ = writeln!(o, "<li><b>{}</b>: removed</li>", esc(&r.name));
    }
    o.push_str("</ul>\n");
    if changed.is_empty() && added.is_empty() && v.removed.is_empty() {
        o.push_str("<p class=\"muted\">No verdict changed.</p>\n");
    }
}

/// ` (abc1234 → def5678)` when both lines carry a commit.
fn commits(b: &Repo, r: &Repo) -> String {
    let short = |c: &str| c.chars().take(7).collect::<String>();
    if b.commit.is_empty() || r.commit.is_empty() {
        String::new()
    } else {
        format!(
            " <span class=\"muted\"><code>{}</code> &rarr; <code>{}</code></span>",
            esc(&short(&b.commit)),
            esc(&short(&r.commit))
        )
    }
}

/// The colour of a verdict's dot.
fn dot_colour(profile: &str) -> &'static str {
    match profile {
        "node" => "var(--node)",
        "python" => "var(--python)",
        "mixed" => "var(--mixed)",
        "none" => "var(--none)",
        _ => "var(--neutral)",
    }
}

/// The scatter's size and margin.
const W: f64 = 640.0;
const H: f64 = 440.0;
const M: f64 = 50.0;
/// Height of a label line, and the width of one character, for keeping labels apart.
const LABEL_H: f64 = 13.0;
const CHAR_W: f64 = 6.6;
/// Longest label drawn (the full name is in the dot's tooltip and the table).
const LABEL_CHARS: usize = 28;

/// The axes of the scatter, with a tick every 0.5 up to `top`, and the diagonal.
fn axes(top: f64, o: &mut String) {
    let (b, r) = (H - M, W - M);
    let _ = write!(
        o,
        "<line class=\"axis\" x1=\"{M}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
         <line class=\"axis\" x1=\"{M}\" y1=\"{M}\" x2=\"{M}\" y2=\"{b}\"/>\
         <line class=\"axis\" stroke-dasharray=\"4 4\" x1=\"{M}\" y1=\"{b}\" x2=\"{r}\" y2=\"{M}\"/>\
         <text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\">NodeJS score</text>\
         <text x=\"14\" y=\"{cy}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {cy})\">\
         Python score</text>",
        cx = W / 2.0,
        cy = H / 2.0,
        ly = H - 10.0,
    );
    let steps = (top / 0.5).round() as usize;
    for i in 0..=steps {
        let v = i as f64 * 0.5;
        let px = M + v / top * (W - 2.0 * M);
        let py = b - v / top * (H - 2.0 * M);
        let _ = write!(
            o,
            "<line class=\"axis\" x1=\"{px:.1}\" y1=\"{b}\" x2=\"{px:.1}\" y2=\"{t}\"/>\
             <text x=\"{px:.1}\" y=\"{ty}\" text-anchor=\"middle\">{v}</text>\
             <line class=\"axis\" x1=\"{l}\" y1=\"{py:.1}\" x2=\"{M}\" y2=\"{py:.1}\"/>\
             <text x=\"{lx}\" y=\"{tyy:.1}\" text-anchor=\"end\">{v}</text>",
            t = b + 4.0,
            ty = b + 17.0,
            l = M - 4.0,
            lx = M - 7.0,
            tyy = py + 4.0,
        );
    }
}

/// Where a label at (`x`, `y`) `chars` long goes: the nearest line, up or down, where it
/// overlaps no label already placed and stays above the x axis.
fn place(placed: &mut Vec<(f64, f64, f64)>, x: f64, y: f64, chars: usize) -> f64 {
    let w = chars as f64 * CHAR_W;
    let free = |ly: f64| {
        !placed
            .iter()
            .any(|&(px, py, pw)| (ly - py).abs() < LABEL_H && x < px + pw && px < x + w)
    };
    let floor = H - M - 3.0;
    let ly = [0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0]
        .iter()
        .map(|k| y + k * LABEL_H)
        .filter(|ly| (M..=floor).contains(ly))
        .find(|ly| free(*ly))
        .unwrap_or(y.min(floor));
    placed.push((x, ly, w));
    ly
}

/// A label: at most `LABEL_CHARS` characters.
fn short(name: &str) -> String {
    if name.chars().count() > LABEL_CHARS {
        let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        name.to_string()
    }
}

/// NodeJS score (x) against Python score (y), one dot per repository, the diagonal dashed.
fn scatter(ok: &[&Repo], o: &mut String) {
    let top = ok
        .iter()
        .map(|r| r.node_score.max(r.python_score))
        .fold(1.0_f64, f64::max);
    let top = (top * 2.0).ceil() / 2.0;
    let x = |s: f64| M + s.clamp(0.0, top) / top * (W - 2.0 * M);
    let y = |s: f64| H - M - s.clamp(0.0, top) / top * (H - 2.0 * M);
    let _ = write!(
        o,
        "<h2>NodeJS score against Python score</h2>\n<svg id=\"scatter\" role=\"img\" \
         aria-label=\"NodeJS score against Python score\" width=\"{W}\" height=\"{H}\" \
         viewBox=\"0 0 {W} {H}\">"
    );
    axes(top, o);
    o.push('\n');
    let mut placed = Vec::new();
    // Labels are placed from the top left, so the crowd near the origin is placed last.
    let mut dots: Vec<&&Repo> = ok.iter().collect();
    dots.sort_by(|a, b| {
        b.python_score
            .total_cmp(&a.python_score)
            .then(a.node_score.total_cmp(&b.node_score))
    });
    for r in dots {
        let (px, py) = (x(r.node_score), y(r.python_score));
        let ring = if r.mismatch {
            " stroke=\"var(--warn)\" stroke-width=\"2.5\""
        } else {
            ""
        };
        let label = if ok.len() <= LABELLED_DOTS {
            let name = short(&r.name);
            let ly = place(&mut placed, px + 8.0, py + 4.0, name.chars().count());
            format!(
                "<text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>",
                px + 8.0,
                esc(&name)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "<g class=\"dot\"><title>{name}: {p}, NodeJS {n}, Python {y}</title>\
             <circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5\" fill=\"{c}\" fill-opacity=\"0.85\"{ring}/>\
             {label}</g>",
            name = esc(&r.name),
            p = esc(&r.profile),
            n = fmt2(r.node_score),
            y = fmt2(r.python_score),
            c = dot_colour(&r.profile),
        );
    }
    o.push_str(
        "</svg>\n<p class=\"muted\">A red ring marks a mismatch. Below the diagonal \
         the NodeJS profile is stronger, above it the Python profile.</p>\n",
    );
}

/// The repositories, one row each; the script sorts on a header click (or `#sort=COL[:desc]`).
fn table(ok: &[&Repo], o: &mut String) {
    o.push_str(
        "<h2>Repositories</h2>\n<table id=\"repos\" class=\"wide\"><thead><tr>\
         <th data-col=\"name\">repository</th><th data-col=\"verdict\">verdict</th>\
         <th data-col=\"confidence\" data-type=\"num\">confidence</th>\
         <th data-col=\"node\" data-type=\"num\">NodeJS</th>\
         <th data-col=\"python\" data-type=\"num\">Python</th>\
         <th data-col=\"language\">language</th>\
         <th data-col=\"mismatch\" data-type=\"num\">mismatch</th>\
         <th data-col=\"diagnostics\" data-type=\"num\">diagnostics</th></tr></thead><tbody>\n",
    );
    for r in ok {
        let _ =
            writeln!(
            o,
            "<tr><td data-v=\"{name}\" title=\"{root}\">{name}</td><td data-v=\"{p}\">{badge}</td>\
             <td class=\"n\">{c}</td><td class=\"n\">{n}</td><td class=\"n\">{y}</td>\
             <td>{lang}</td><td data-v=\"{m}\">{mt}</td><td class=\"n\">{d}</td></tr>",
            name = esc(&r.name),
            root = esc(&r.root),
            p = esc(&r.profile),
            badge = badge(&r.profile),
            c = fmt2(r.confidence),
            n = fmt2(r.node_score),
            y = fmt2(r.python_score),
            lang = esc(&r.language),
            m = u8::from(r.mismatch),
            mt = if r.mismatch { "<span class=\"mismatch\">yes</span>" } else { "" },
            d = r.diagnostics,
        );
    }
    o.push_str("</tbody></table>\n<p class=\"muted\">Click a header to sort.</p>\n");
}

fn error_list(errors: &[&Repo], o: &mut String) {
    if errors.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<h2>Not scanned ({})</h2>\n<ul id=\"errors\">",
        errors.len()
    );
    for r in errors {
        let _ = writeln!(
            o,
            "<li><code>{}</code>: {}</li>",
            esc(if r.root.is_empty() { &r.key } else { &r.root }),
            esc(r.error.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</ul>\n");
}

/// Sorting for the repositories table: a header click sorts by its column (again: reversed);
/// `#sort=COL` or `#sort=COL:desc` in the address sorts on load. The table gets
/// `data-sorted-by` and `data-ready` so a test can see the script ran.
const SCRIPT: &str = r#"<script>
(function () {
  var t = document.getElementById('repos');
  if (!t) { return; }
  var heads = t.tHead.rows[0].cells, body = t.tBodies[0];
  function key(tr, i, isNum) {
    var c = tr.cells[i], v = c.getAttribute('data-v');
    if (v === null) { v = c.textContent; }
    return isNum ? (parseFloat(v) || 0) : v.toLowerCase();
  }
  function sort(i, dir) {
    var th = heads[i], isNum = th.getAttribute('data-type') === 'num';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, isNum), y = key(b, i, isNum);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    t.setAttribute('data-sorted-by', th.getAttribute('data-col') + (dir > 0 ? ':asc' : ':desc'));
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.style.cursor = 'pointer';
    th.title = 'sort';
    th.addEventListener('click', function () {
      sort(i, th.getAttribute('aria-sort') === 'ascending' ? -1 : 1);
    });
  });
  var m = /^#sort=(\w+)(?::(asc|desc))?$/.exec(window.location.hash);
  if (m) {
    Array.prototype.forEach.call(heads, function (th, i) {
      if (th.getAttribute('data-col') === m[1]) { sort(i, m[2] === 'desc' ? -1 : 1); }
    });
  }
  t.setAttribute('data-ready', '1');
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn line(root: &str, profile: &str, commit: &str) -> String {
        serde_json::json!({
            "root": root, "git": {"commit": commit},
            "verdict": {"profile": profile, "confidence": 0.5, "node_score": 0.4,
                        "python_score": 0.1, "mismatch": profile == "node",
                        "implementation_language": "python"},
            "diagnostics": [{}, {}],
        })
        .to_string()
    }

    #[test]
    fn names_keys_and_errors() {
        let r = repo(
            &serde_json::json!({"root": "/x/y/", "git": {"remote": "https://h/o/app.git"},
                                "verdict": {}}),
            "f:1",
        );
        assert_eq!(
            (r.key.as_str(), r.name.as_str()),
            ("https://h/o/app", "app")
        );
        assert!(r.error.is_none());
        let s = parse(
            "f",
            "{\"root\": \"/a/b\", \"error\": \"missing\"}\n\nnot json\n[1]\n",
        );
        assert_eq!(s.repos.len(), 3);
        assert_eq!(s.repos[0].name, "b");
        assert_eq!(s.repos[0].error.as_deref(), Some("missing"));
        assert!(s.repos[1]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("line 3 is not JSON"));
        assert!(s.repos[2].error.is_some());
    }

    #[test]
    fn two_snapshots_compare() {
        let old = parse(
            "old",
            &[line("a", "python", "1"), line("gone", "node", "1")].join("\n"),
        );
        let new = parse(
            "new",
            &[line("a", "node", "2"), line("fresh", "mixed", "2")].join("\n"),
        );
        let page = render(&[old, new]);
        let changes = page.split("id=\"changes\"").nth(1).unwrap_or("");
        let changes = changes.split("</ul>").next().unwrap_or("");
        assert!(
            changes.contains("<b>a</b>")
                && changes.contains("<code>1</code> &rarr; <code>2</code>"),
            "{changes}"
        );
        assert!(
            changes.contains("<b>fresh</b>: new") && changes.contains("<b>gone</b>: removed"),
            "{changes}"
        );
        // Pooled lines of one file: the repeated root is compared, nothing is "new".
        let one = parse(
            "one",
            &[
                line("a", "python", "1"),
                line("b", "none", "1"),
                line("a", "node", "2"),
            ]
            .join("\n"),
        );
        let v = view(std::slice::from_ref(&one));
        assert_eq!(v.now.len(), 2);
        assert_eq!(v.now[0].profile, "node");
        assert_eq!(
            v.before.get("a").map(|r| r.profile.as_str()),
            Some("python")
        );
    }
}
