//! One combined tree-sitter query per grammar, built from the import patterns and every rule's
//! `.scm` file, with a role for each pattern so a match can be traced back to its rule. A query
//! that fails to compile is reported with the file, line and column it came from.
use super::model::Source;
use super::{LoadError, Ruleset};
use crate::lang::Lang;
use tree_sitter::{CaptureQuantifier, Query};

/// What a pattern in a combined query stands for.
#[derive(Debug, Clone, Copy)]
pub enum PatternRole {
    Import,
    Rule(usize),
    /// A name the code defines (`@definition`), for the vocabulary rules.
    Definition,
    /// A rule's file-level requirement (`@_requires`): the rule's findings in a file count only
    /// if one of these matched there (SF362: the file allocates a float typed array).
    Requires(usize),
}

pub struct CompiledLang {
    pub query: Query,
    pub roles: Vec<PatternRole>,
    pub match_capture: Option<u32>,
    /// `@_callee`: the called expression a rule's `calls` are checked against.
    pub callee_capture: Option<u32>,
    /// `@_target`: the function a thread or executor runs (friction F1).
    pub target_capture: Option<u32>,
    pub module_capture: Option<u32>,
    pub dynamic_capture: Option<u32>,
    pub definition_capture: Option<u32>,
    /// Rules with a `Requires` pattern.
    pub gated: Vec<usize>,
    /// The bytes a file must contain for each pattern to yield a finding (the prefilter).
    pub anchors: super::anchors::Anchors,
}

impl Ruleset {
    pub(super) fn compile(
        &self,
        lang: Lang,
        files: &[(String, String)],
    ) -> Result<Option<CompiledLang>, LoadError> {
        // For each pattern source (imports, then each rule), take the most specific directory's file.
        let pick = |stem: &str| -> Option<(String, &str)> {
            lang.query_dirs().iter().find_map(|dir| {
                let name = format!("{dir}/{stem}.scm");
                files
                    .iter()
                    .find(|(p, _)| *p == name)
                    .map(|(p, s)| (p.clone(), s.as_str()))
            })
        };
        let mut sources: Vec<(PatternRole, String, &str)> = Vec::new();
        if let Some((p, s)) = pick("imports") {
            sources.push((PatternRole::Import, p, s));
        }
        if !self.vocabulary.is_empty() {
            if let Some((p, s)) = pick("definitions") {
                sources.push((PatternRole::Definition, p, s));
            }
        }
        for (i, r) in self.rules.iter().enumerate() {
            if r.source == Source::Query {
                if let Some((p, s)) = pick(r.patterns.as_deref().unwrap_or(&r.code)) {
                    sources.push((PatternRole::Rule(i), p, s));
                }
            }
        }
        if sources.is_empty() {
            return Ok(None);
        }
        let language = lang.ts_language();
        let mut combined = String::new();
        let mut starts = Vec::new();
        for (role, _, text) in &sources {
            starts.push((combined.len(), *role));
            combined.push_str(text);
            combined.push('\n');
        }
        let query = match Query::new(&language, &combined) {
            Ok(q) => q,
            Err(e) => {
                // Compile each file alone to name the one the error is in.
                for (_, path, text) in &sources {
                    if let Err(e) = Query::new(&language, text) {
                        return Err(LoadError(format!(
                            "queries/{path}:{}:{}: {:?} error: {} (compiling for {:?})",
                            e.row + 1,
                            e.column + 1,
                            e.kind,
                            e.message,
                            lang
                        )));
                    }
                }
                return Err(LoadError(format!("combined {lang:?} query: {}", e.message)));
            }
        };
        let roles = roles_of(&query, &starts);
        let mut gated: Vec<usize> = roles
            .iter()
            .filter_map(|r| match r {
                PatternRole::Requires(ri) => Some(*ri),
                _ => None,
            })
            .collect();
        gated.sort_unstable();
        gated.dedup();
        let anchors = self.anchors(lang, &query, &combined, &roles);
        Ok(Some(CompiledLang {
            anchors,
            match_capture: query.capture_index_for_name("match"),
            callee_capture: query.capture_index_for_name("_callee"),
            target_capture: query.capture_index_for_name("_target"),
            module_capture: query.capture_index_for_name("import.module"),
            dynamic_capture: query.capture_index_for_name("import.dynamic"),
            definition_capture: query.capture_index_for_name("definition"),
            gated,
            query,
            roles,
        }))
    }
}

/// Each pattern's role: the source it came from (`starts`: where each source begins in the
/// combined text), and `Requires` for a rule's pattern that captures `@_requires`.
fn roles_of(query: &Query, starts: &[(usize, PatternRole)]) -> Vec<PatternRole> {
    let requires = query.capture_index_for_name("_requires");
    (0..query.pattern_count())
        .map(|pi| {
            let b = query.start_byte_for_pattern(pi);
            let role = starts
                .iter()
                .rev()
                .find(|(s, _)| *s <= b)
                .map_or(PatternRole::Import, |(_, r)| *r);
            let gate = requires.is_some_and(|c| {
                query
                    .capture_quantifiers(pi)
                    .get(c as usize)
                    .is_some_and(|q| *q != CaptureQuantifier::Zero)
            });
            match role {
                PatternRole::Rule(ri) if gate => PatternRole::Requires(ri),
                _ => role,
            }
        })
        .collect()
}
