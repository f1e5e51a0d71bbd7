//! Monorepos: one verdict per component. A repository holding a Python ML backend and a React
//! front end is `mixed` as a whole, but each part has a clear shape, and that is what a team
//! deciding on a runtime needs to see.
//!
//! A component is a directory with its own manifest (package.json, pyproject.toml, setup.py,
//! setup.cfg, requirements*.txt, Pipfile) or one matched by a workspace glob (package.json
//! `workspaces`, pnpm-workspace.yaml, `[tool.uv.workspace] members`). The walker reports
//! manifests as it meets them, so no second walk is needed: after the walk, each finding and
//! each directory's line counts go to the deepest component containing them, and every
//! component is scored with the same `score::trait_scores` / `score::verdict` as the repository.
//! Only findings (kept anyway) and per-directory counters are held, never file contents.
use crate::classify::shape::{ClassStats, Shape};
use crate::finding::{parent_dir, Finding, LangStats};
use crate::rules::Ruleset;
use crate::score::{self, EvidenceRef, LocByLang, Prevalence, TraitScore, Verdict};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What the walk learned about one directory's manifests.
#[derive(Debug, Default, Clone)]
pub struct Decl {
    /// Manifest file names in the directory.
    pub manifests: Vec<String>,
    /// Whether one of them makes the directory a component.
    pub component: bool,
    pub name: Option<String>,
    /// Workspace member globs, relative to this directory.
    pub workspaces: Vec<String>,
}

/// A component's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Component {
    /// Directory relative to the root; "." for the root itself.
    pub path: String,
    pub name: String,
    /// Why it is a component: "manifest" or "workspace".
    pub declared_by: &'static str,
    pub manifests: Vec<String>,
    pub verdict: Verdict,
    pub traits: Vec<TraitScore>,
    pub top_evidence: Vec<EvidenceRef>,
    pub languages: BTreeMap<&'static str, LangStats>,
    pub files: u64,
    pub lines_of_code: u64,
    pub findings: u64,
}

/// Component roots, and the lookup from a path to its component.
pub struct Index {
    /// Component directories ("" = root), sorted.
    pub roots: Vec<(String, &'static str)>,
    by_dir: HashMap<String, usize>,
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

fn build_globs(patterns: &[String]) -> (Option<GlobSet>, Option<GlobSet>) {
    let mut inc = GlobSetBuilder::new();
    let mut exc = GlobSetBuilder::new();
    let (mut ni, mut ne) = (0, 0);
    for p in patterns {
        let (neg, pat) = match p.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, p.as_str()),
        };
        let pat = pat.trim_start_matches("./").trim_end_matches('/');
        if pat.is_empty() {
            continue;
        }
        let Ok(g) = GlobBuilder::new(pat).literal_separator(true).build() else {
            continue;
        };
        if neg {
            exc.add(g);
            ne += 1;
        } else {
            inc.add(g);
            ni += 1;
        }
    }
    (
        (ni > 0).then(|| inc.build().ok()).flatten(),
        (ne > 0).then(|| exc.build().ok()).flatten(),
    )
}

impl Index {
    /// `decls`: manifests by directory; `dirs`: every directory that holds scanned files.
    pub fn build<'a>(
        decls: &'a BTreeMap<String, Decl>,
        dirs: impl Iterator<Item = &'a str>,
    ) -> Index {
        let mut roots: BTreeMap<String, &'static str> = decls
            .iter()
            .filter(|(_, d)| d.component)
            .map(|(k, _)| (k.clone(), "manifest"))
            .collect();
        let dirs: BTreeSet<&str> = dirs.chain(decls.keys().map(String::as_str)).collect();
        for (ws_dir, d) in decls {
            if d.workspaces.is_empty() {
                continue;
            }
            let (Some(inc), exc) = build_globs(&d.workspaces) else {
                continue;
            };
            for dir in &dirs {
                let sub = if ws_dir.is_empty() {
                    *dir
                } else if let Some(s) = dir.strip_prefix(&format!("{ws_dir}/")) {
                    s
                } else {
                    continue;
                };
                // The shallowest prefix of `sub` that the globs name is the member.
                let mut prefix = String::new();
                for part in sub.split('/').filter(|p| !p.is_empty()) {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part);
                    if inc.is_match(&prefix) && !exc.as_ref().is_some_and(|e| e.is_match(&prefix)) {
                        roots.entry(join(ws_dir, &prefix)).or_insert("workspace");
                        break;
                    }
                }
            }
        }
        let roots: Vec<(String, &'static str)> = roots.into_iter().collect();
        let by_dir = roots
            .iter()
            .enumerate()
            .map(|(i, (d, _))| (d.clone(), i))
            .collect();
        Index { roots, by_dir }
    }

    /// The deepest component containing directory `dir`.
    pub fn of_dir(&self, dir: &str) -> Option<usize> {
        let mut cur = dir;
        loop {
            if let Some(&i) = self.by_dir.get(cur) {
                return Some(i);
            }
            if cur.is_empty() {
                return None;
            }
            cur = parent_dir(cur);
        }
    }

    /// The deepest component containing file `path`.
    pub fn of_file(&self, path: &str) -> Option<usize> {
        self.of_dir(parent_dir(path))
    }
}

/// What scoring the components needs from the scan.
pub struct Inputs<'a> {
    pub index: &'a Index,
    pub decls: &'a BTreeMap<String, Decl>,
    pub findings: &'a [Finding],
    /// For each finding, its component.
    pub finding_component: &'a [Option<u32>],
    /// Per-directory language counters from the walk.
    pub dir_stats: &'a BTreeMap<String, BTreeMap<&'static str, LangStats>>,
    /// Per-directory file-class counters, and the repository's shape.
    pub dir_classes: &'a BTreeMap<String, ClassStats>,
    pub shape: &'a Shape,
    pub file_loc: &'a HashMap<Arc<str>, u32>,
}

/// Scores every component.
pub fn summarize(rs: &Ruleset, inp: &Inputs) -> Vec<Component> {
    let (index, decls) = (inp.index, inp.decls);
    let n = index.roots.len();
    let mut langs: Vec<BTreeMap<&'static str, LangStats>> = vec![BTreeMap::new(); n];
    for (dir, by_lang) in inp.dir_stats {
        let Some(c) = index.of_dir(dir) else { continue };
        for (l, st) in by_lang {
            let e = langs[c].entry(l).or_default();
            e.files += st.files;
            e.bytes += st.bytes;
            e.lines += st.lines;
        }
    }
    let mut classes: Vec<ClassStats> = vec![ClassStats::default(); n];
    for (dir, st) in inp.dir_classes {
        if let Some(c) = index.of_dir(dir) {
            classes[c].merge(st);
        }
    }
    let mut per: Vec<Vec<&Finding>> = vec![Vec::new(); n];
    for (f, c) in inp.findings.iter().zip(inp.finding_component) {
        if let Some(c) = c {
            per[*c as usize].push(f);
        }
    }
    index
        .roots
        .iter()
        .enumerate()
        .map(|(i, (dir, why))| {
            let prev = Prevalence {
                product_loc: classes[i].product_lines(inp.shape),
                file_loc: inp.file_loc,
            };
            let traits = score::trait_scores(rs, per[i].iter().copied(), &prev);
            let loc: LocByLang = langs[i].iter().map(|(k, v)| (*k, v.lines)).collect();
            let verdict = score::verdict(rs, &traits, &loc);
            let decl = decls.get(dir);
            let name =
                decl.and_then(|d| d.name.clone())
                    .unwrap_or_else(|| match dir.rsplit('/').next() {
                        Some(last) if !last.is_empty() => last.to_string(),
                        _ => ".".to_string(),
                    });
            let mut ranked: Vec<&TraitScore> = traits.iter().filter(|t| t.score > 0.0).collect();
            ranked.sort_by(|a, b| {
                b.score
                    .partial_cmp(&a.score)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.id.cmp(&b.id))
            });
            let top_evidence = ranked
                .iter()
                .filter_map(|t| t.top_evidence.first().cloned())
                .take(5)
                .collect();
            Component {
                path: if dir.is_empty() {
                    ".".into()
                } else {
                    dir.clone()
                },
                name,
                declared_by: why,
                manifests: decl.map(|d| d.manifests.clone()).unwrap_or_default(),
                files: langs[i].values().map(|l| l.files).sum(),
                lines_of_code: langs[i].values().map(|l| l.lines).sum(),
                languages: std::mem::take(&mut langs[i]),
                findings: per[i].len() as u64,
                verdict,
                traits,
                top_evidence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deepest_component_wins() {
        let mut decls = BTreeMap::new();
        decls.insert(
            String::new(),
            Decl {
                manifests: vec!["package.json".into()],
                component: true,
                workspaces: vec!["packages/*".into(), "!packages/skip".into()],
                ..Decl::default()
            },
        );
        decls.insert(
            "backend".into(),
            Decl {
                manifests: vec!["pyproject.toml".into()],
                component: true,
                ..Decl::default()
            },
        );
        let dirs = [
            "backend/app",
            "packages/ui/src",
            "packages/skip/x",
            "scripts",
        ];
        let idx = Index::build(&decls, dirs.into_iter());
        let roots: Vec<&str> = idx.roots.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(roots, vec!["", "backend", "packages/ui"]);
        let name = |p: &str| idx.of_file(p).map(|i| idx.roots[i].0.as_str());
        assert_eq!(name("backend/app/model.py"), Some("backend"));
        assert_eq!(name("packages/ui/src/App.tsx"), Some("packages/ui"));
        assert_eq!(name("packages/skip/x/a.js"), Some(""));
        assert_eq!(name("scripts/run.py"), Some(""));
        assert_eq!(idx.roots[2].1, "workspace");
    }
}
