//! One matcher per grammar, built from the import patterns and every rule's `.scm` file, with a
//! role for each pattern so a match can be traced back to its rule. A pattern file that fails to
//! read is reported with the file, line and column it came from.
use super::matcher::Matcher;
use super::model::Source;
use super::pattern::PatternSet;
use super::{LoadError, Ruleset};
use crate::lang::Lang;

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
    pub matcher: Matcher,
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
    /// Each `requires_within` of a rule with patterns for this grammar is one of its node kinds.
    fn check_requires_within(
        &self,
        lang: Lang,
        language: &tree_sitter::Language,
        roles: &[PatternRole],
    ) -> Result<(), LoadError> {
        for role in roles {
            let (PatternRole::Rule(ri) | PatternRole::Requires(ri)) = role else {
                continue;
            };
            let Some(rule) = self.rules.get(*ri) else {
                continue;
            };
            if let Some(kind) = &rule.requires_within {
                if language.id_for_node_kind(kind, true) == 0 {
                    return Err(LoadError(format!(
                        "queries/rules/{}.toml: requires_within: `{kind}` is not a node kind of the {lang:?} grammar",
                        rule.code
                    )));
                }
            }
        }
        Ok(())
    }

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
        let mut set = PatternSet::default();
        let mut roles = Vec::new();
        for (role, path, text) in &sources {
            let base = combined.len();
            combined.push_str(text);
            combined.push('\n');
            let one = PatternSet::parse(&language, text).map_err(|e| {
                let before = text.get(..e.offset).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                LoadError(format!(
                    "queries/{path}:{line}:{column}: {} (compiling for {lang:?})",
                    e.message
                ))
            })?;
            for p in &one.patterns {
                let gate = one
                    .capture_index("_requires")
                    .is_some_and(|c| p.mentions(c));
                roles.push(match role {
                    PatternRole::Rule(ri) if gate => PatternRole::Requires(*ri),
                    r => *r,
                });
            }
            set.append(one, base);
        }
        let mut gated: Vec<usize> = roles
            .iter()
            .filter_map(|r| match r {
                PatternRole::Requires(ri) => Some(*ri),
                _ => None,
            })
            .collect();
        gated.sort_unstable();
        gated.dedup();
        self.check_requires_within(lang, &language, &roles)?;
        let anchors = self.anchors(lang, &set, &combined, &roles);
        Ok(Some(CompiledLang {
            anchors,
            match_capture: set.capture_index("match"),
            callee_capture: set.capture_index("_callee"),
            target_capture: set.capture_index("_target"),
            module_capture: set.capture_index("import.module"),
            dynamic_capture: set.capture_index("import.dynamic"),
            definition_capture: set.capture_index("definition"),
            gated,
            matcher: Matcher::new(set, &language),
            roles,
        }))
    }
}
