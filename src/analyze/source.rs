//! One file, one parse. A `SourceAnalyzer` belongs to one worker thread and holds that thread's
//! parsers; the compiled matchers it runs come from the shared `Ruleset`.
//! It turns a file's bytes into findings: imports resolved through the library table, and
//! rule patterns filtered by their context checks and aggregated as each rule asks.
use super::vocabulary::DefinedTerms;
use crate::finding::{column_of, make_finding, render, Finding};
use crate::lang::Lang;
use crate::rules::matcher::Capture;
use crate::rules::{Aggregate, CompiledLang, PatternRole, Rule, Ruleset};
use crate::semantic::context::{self, Callees, Captured, Outcome};
use crate::semantic::resolve::SemanticModel;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tree_sitter::{Node, ParseOptions, Parser, Tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseFailure {
    Timeout,
    Failed,
    /// Matching the rules (query engine and context checks) took longer than the time limit.
    QueryTimeout,
    /// Name resolution spent its node budget (`semantic::resolve::MAX_RESOLVE_STEPS`).
    ResolveBudget,
    /// The grammar's rules did not compile (only possible with `--rules-dir` or a broken build).
    Rules,
}

pub struct SourceAnalyzer {
    parsers: Vec<Option<Parser>>,
    pub parse_timeout: Duration,
    /// How much of the engine runs (the prefilter by default).
    pub engine: Engine,
}

/// How much of the analysis runs on a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    /// The prefilter (`rules::anchors`) skips files, and matches, that cannot yield a finding.
    #[default]
    Prefiltered,
    /// Every file is parsed and queried (`--no-prefilter`: the prefilter's own check).
    Full,
    /// Parse every file and nothing else: no query, no findings (`--parse-only`, for the
    /// benchmark's floor).
    ParseOnly,
}

impl SourceAnalyzer {
    pub fn new(parse_timeout: Duration) -> SourceAnalyzer {
        let parsers = Lang::ALL
            .iter()
            .map(|l| {
                let mut p = Parser::new();
                p.set_language(&l.ts_language()).ok().map(|_| p)
            })
            .collect();
        SourceAnalyzer {
            parsers,
            parse_timeout,
            engine: Engine::default(),
        }
    }

    /// Parses `src` once and runs the language's combined query over it.
    pub fn findings(
        &mut self,
        rs: &Ruleset,
        lang: Lang,
        src: &[u8],
        path: &Arc<str>,
    ) -> Result<Vec<Finding>, ParseFailure> {
        if self.engine == Engine::ParseOnly {
            // No rules at all: not even their compilation.
            return self.parse(lang, src).map(|_| Vec::new());
        }
        let compiled = match rs.try_compiled(lang) {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(Vec::new()),
            Err(_) => return Err(ParseFailure::Rules),
        };
        let anchors = match self.engine {
            Engine::Prefiltered => Some(compiled.anchors.scan(src)),
            Engine::Full | Engine::ParseOnly => None,
        };
        if anchors.as_ref().is_some_and(|a| !a.any_possible()) {
            return Ok(Vec::new());
        }
        let possible = |pi: usize| anchors.as_ref().map_or(true, |a| a.pattern_possible(pi));
        let tree = self.parse(lang, src)?;
        let fx = SemanticModel::new(tree.root_node(), src, lang).with_path(path);
        let file = FileMatches {
            rs,
            compiled,
            fx: &fx,
            path,
        };
        let mut folded = Folded::default();
        let mut defined = DefinedTerms::default();
        let mut required: Vec<usize> = Vec::new();
        // The same time limit as the parse, for the query engine (its progress callback) and
        // for the checks run on each match (`over_time` between matches).
        let (start, limit) = (Instant::now(), self.parse_timeout);
        let timed_out = std::cell::Cell::new(false);
        let over_time = || {
            timed_out.set(timed_out.get() || start.elapsed() > limit);
            timed_out.get()
        };
        let root = tree.root_node();
        // Where every possible pattern has its anchor inside its matches, only the nodes
        // around the anchors' occurrences are visited.
        let seek = anchors.as_ref().and_then(|a| a.seek_ranges(possible));
        // A stopped run has timed out (`over_time` is what stops it).
        let _ = compiled.matcher.run(
            root,
            src,
            seek.as_ref(),
            &possible,
            &over_time,
            &mut |pi, captures| {
                if over_time() {
                    return;
                }
                match compiled.roles.get(pi) {
                    Some(PatternRole::Import) => file.import(captures, &mut folded),
                    Some(PatternRole::Rule(ri)) => file.rule(*ri, captures, &mut folded),
                    Some(PatternRole::Requires(ri)) if !required.contains(ri) => required.push(*ri),
                    Some(PatternRole::Requires(_)) => {}
                    Some(PatternRole::Definition) => {
                        let name = captures
                            .iter()
                            .find(|c| Some(c.index) == compiled.definition_capture);
                        if let Some(c) = name {
                            defined.add(rs, c.node, src);
                        }
                    }
                    None => {}
                }
            },
        );
        if timed_out.get() {
            return Err(ParseFailure::QueryTimeout);
        }
        if fx.over_budget() {
            return Err(ParseFailure::ResolveBudget);
        }
        let mut out = folded.out;
        // A rule with a file-level requirement counts only where it was met.
        out.retain(|f| !compiled.gated.contains(&f.rule) || required.contains(&f.rule));
        defined.findings(rs, path, &fx, &mut out);
        super::suppress::apply(rs, &fx, path, &mut out);
        out.sort_by_key(|f| (f.line, f.column, f.rule));
        Ok(out)
    }

    /// One parse within the time limit.
    fn parse(&mut self, lang: Lang, src: &[u8]) -> Result<Tree, ParseFailure> {
        let Some(parser) = self.parsers.get_mut(lang.index()).and_then(Option::as_mut) else {
            return Err(ParseFailure::Failed);
        };
        let start = Instant::now();
        let limit = self.parse_timeout;
        let mut timed_out = false;
        let mut progress = |_: &tree_sitter::ParseState| {
            if start.elapsed() > limit {
                timed_out = true;
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let len = src.len();
        let tree = parser.parse_with_options(
            &mut |i, _| if i < len { &src[i..] } else { &[] as &[u8] },
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        tree.ok_or_else(|| {
            // A cancelled parse leaves state behind that the next parse would resume.
            parser.reset();
            if timed_out {
                ParseFailure::Timeout
            } else {
                ParseFailure::Failed
            }
        })
    }
}

/// What every match in one file needs: the rules, the compiled query, the parsed tree.
struct FileMatches<'a, 't> {
    rs: &'a Ruleset,
    compiled: &'a CompiledLang,
    fx: &'a SemanticModel<'t>,
    path: &'a Arc<str>,
}

impl<'t> FileMatches<'_, 't> {
    /// An import pattern matched: a finding for its library's import rule, if it has one.
    fn import(&self, captures: &[Capture<'t>], folded: &mut Folded) {
        let (rs, compiled, src) = (self.rs, self.compiled, self.fx.src);
        let lang = self.fx.lang;
        let Some(module) = captures
            .iter()
            .find(|c| Some(c.index) == compiled.module_capture)
            .map(|c| c.node)
        else {
            return;
        };
        let dynamic = captures
            .iter()
            .any(|c| Some(c.index) == compiled.dynamic_capture);
        let spec = module.utf8_text(src).unwrap_or("");
        let lib = if lang == Lang::Python {
            rs.library_for_python(spec)
        } else {
            rs.library_for_npm(spec)
        };
        let Some(lib) = lib else { return };
        let library = &rs.libraries[lib];
        let Some(rule_idx) = rs.import_rule_for(&library.trait_id) else {
            return;
        };
        let rule = &rs.rules[rule_idx];
        let mut factor = 1.0;
        if is_type_only_import(self.fx, module) {
            factor *= rs.scoring.type_only_factor;
        } else if dynamic
            || (lang == Lang::Python && context::inside_optional_import(self.fx, module))
        {
            factor *= rs.scoring.optional_factor;
        }
        let evidence = rule.weight * library.weight * factor;
        folded.push((rule_idx, Some(lib)), evidence, || {
            let message = render(&rule.message, &library.name, spec);
            make_finding(
                rule_idx,
                self.path,
                module,
                self.fx,
                message,
                evidence,
                Some(lib),
            )
        });
    }

    /// A rule's pattern matched: a finding if the match passes the rule's checks.
    fn rule(&self, ri: usize, captures: &[Capture<'t>], folded: &mut Folded) {
        let rule = &self.rs.rules[ri];
        let Some(cap) = self.captured(captures) else {
            return;
        };
        let Some(outcome) = self.passes(rule, &cap) else {
            return;
        };
        let src = self.fx.src;
        let node = cap.node;
        let message = || {
            let text = node.utf8_text(src).unwrap_or("");
            let message = render(&rule.message, "", first_line(text));
            if !message.contains('{') {
                return message;
            }
            let callee = outcome.callee.as_deref().unwrap_or("");
            let target = cap
                .target
                .map(|t| first_line(t.utf8_text(src).unwrap_or("")))
                .unwrap_or("");
            message
                .replace("{callee}", callee)
                .replace("{target}", target)
        };
        match rule.aggregate {
            Aggregate::File => folded.push((ri, None), rule.weight, || {
                make_finding(ri, self.path, node, self.fx, message(), rule.weight, None)
            }),
            Aggregate::Each => {
                // The same node can match two patterns of one rule; report it once.
                let pos = node.start_position();
                let column = column_of(src, node.start_byte(), pos.column);
                let seen = folded
                    .out
                    .iter()
                    .any(|f| f.rule == ri && f.line == pos.row as u32 + 1 && f.column == column);
                if !seen {
                    let f =
                        make_finding(ri, self.path, node, self.fx, message(), rule.weight, None);
                    folded.out.push(f);
                }
            }
        }
    }

    /// The reported node and the helper captures of one match.
    fn captured(&self, captures: &[Capture<'t>]) -> Option<Captured<'t>> {
        let compiled = self.compiled;
        let node = captures
            .iter()
            .find(|c| Some(c.index) == compiled.match_capture)
            .or_else(|| captures.first())
            .map(|c| c.node)?;
        let capture = |idx: Option<u32>| {
            captures
                .iter()
                .find(|c| idx.is_some() && Some(c.index) == idx)
                .map(|c| c.node)
        };
        Some(Captured {
            node,
            callee: capture(compiled.callee_capture),
            // `pool.imap(func=f, ...)`: the function is the keyword's value
            target: capture(compiled.target_capture).map(|t| {
                if t.kind() == "keyword_argument" {
                    t.child_by_field_name("value").unwrap_or(t)
                } else {
                    t
                }
            }),
        })
    }

    /// The rule's context and callee checks: cheap position checks first, then the callee (an
    /// unrelated object with the same method name is out), then the contexts that scan a scope.
    fn passes(&self, rule: &Rule, cap: &Captured<'t>) -> Option<Outcome> {
        let fx = self.fx;
        let mut outcome = Outcome::default();
        let cheap = rule.context.filter(|c| context::is_cheap(*c));
        if let Some(ctx) = cheap {
            if !context::check(ctx, cap, fx, callees(rule), &mut outcome) {
                return None;
            }
        }
        if rule.checks_callee() {
            if let Some(callee) = cap.callee {
                outcome.callee = Some(context::callee_matches(callees(rule), callee, fx)?);
            }
        }
        if let Some(ctx) = rule.context.filter(|_| cheap.is_none()) {
            if !context::check(ctx, cap, fx, callees(rule), &mut outcome) {
                return None;
            }
        }
        Some(outcome)
    }
}

/// A file's findings so far: rules and imports fold to one finding per (rule, library).
type Folded = crate::finding::Folded<(usize, Option<usize>)>;

/// The call names a rule declares, for the semantic checks (which know no rule).
fn callees(rule: &Rule) -> Callees<'_> {
    Callees {
        calls: &rule.calls,
        free_calls: &rule.free_calls,
        local_async: rule.local_async,
    }
}

fn is_type_only_import<'t>(fx: &SemanticModel<'t>, module: Node<'t>) -> bool {
    if fx.lang == Lang::Python {
        return context::inside_type_checking(fx, module);
    }
    // TypeScript `import type { X } from "y"` / `export type { X } from "y"`, and the inline
    // form `import { type X, type Y } from "y"` when every name is a type.
    let Some(n) = fx
        .ancestors(module)
        .find(|n| n.kind() == "import_statement" || n.kind() == "export_statement")
    else {
        return false;
    };
    let mut c = n.walk();
    let type_only = n.children(&mut c).any(|ch| is_type_keyword(&ch));
    type_only || all_names_are_types(n)
}

fn is_type_keyword(n: &Node) -> bool {
    n.kind() == "type" && !n.is_named()
}

/// `import { type A, type B } from "y"` / `export { type A } from "y"`: only named bindings,
/// each marked `type`. A default or namespace import, or one value name, makes it a value import.
fn all_names_are_types(stmt: Node) -> bool {
    let mut c = stmt.walk();
    let list = stmt.named_children(&mut c).find_map(|ch| match ch.kind() {
        "export_clause" => Some(ch),
        "import_clause" => {
            let mut cc = ch.walk();
            let parts: Vec<Node> = ch
                .named_children(&mut cc)
                .filter(|p| p.kind() != "comment")
                .collect();
            match parts.as_slice() {
                [only] if only.kind() == "named_imports" => Some(*only),
                _ => None,
            }
        }
        _ => None,
    });
    let Some(list) = list else { return false };
    let mut c = list.walk();
    let specs: Vec<Node> = list
        .named_children(&mut c)
        .filter(|s| matches!(s.kind(), "import_specifier" | "export_specifier"))
        .collect();
    !specs.is_empty()
        && specs.iter().all(|s| {
            let mut sc = s.walk();
            let marked = s.children(&mut sc).any(|ch| is_type_keyword(&ch));
            marked
        })
}

fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(60) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(lang: Lang, src: &str) -> Vec<(String, u32, u32)> {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut s = SourceAnalyzer::new(Duration::from_secs(5));
        let path: Arc<str> = Arc::from("t");
        s.findings(&rs, lang, src.as_bytes(), &path)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .map(|f| (rs.rules[f.rule].code.clone(), f.line, f.count))
            .collect()
    }

    #[test]
    fn python_import_forms() {
        let got = scan(
            Lang::Python,
            "import torch.nn as nn\nfrom sklearn.linear_model import Ridge\nfrom . import torch\nx = 'import numpy'\n# import pandas\n",
        );
        let codes: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert!(codes.contains(&"SF320"), "{got:?}");
        assert!(codes.contains(&"SF310"), "{got:?}");
        assert!(
            !codes.contains(&"SF360"),
            "strings and comments are not imports: {got:?}"
        );
    }

    #[test]
    fn js_import_forms_fold_per_file() {
        let got = scan(
            Lang::JavaScript,
            "const {Server} = require('socket.io');\nimport io from 'socket.io-client';\nconst ws = await import('ws');\nconst x = require('./socket.io');\n",
        );
        let n2: Vec<_> = got.iter().filter(|g| g.0 == "SF120").collect();
        // socket.io (2 forms folded) and ws
        assert_eq!(n2.len(), 2, "{got:?}");
        assert_eq!(n2[0].2, 2);
    }

    #[test]
    fn typescript_type_only_imports_count_less() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let evidence = |src: &str| -> f64 {
            let mut s = SourceAnalyzer::new(Duration::from_secs(5));
            let path: Arc<str> = Arc::from("t.ts");
            s.findings(&rs, Lang::TypeScript, src.as_bytes(), &path)
                .unwrap_or_else(|e| panic!("{e:?}"))
                .iter()
                .map(|f| f.evidence)
                .sum()
        };
        let full = evidence("import { Server } from 'socket.io';\n");
        assert!(full > 0.0);
        let weak = full * rs.scoring.type_only_factor;
        for src in [
            "import type { Server } from 'socket.io';\n",
            "import { type Server } from 'socket.io';\n",
            "import { type Server, type Socket } from 'socket.io';\n",
            "export type { Server } from 'socket.io';\n",
            "export { type Server } from 'socket.io';\n",
        ] {
            assert!((evidence(src) - weak).abs() < 1e-9, "{src}");
        }
        for src in [
            "import { type Socket, Server } from 'socket.io';\n",
            "import io, { type Socket } from 'socket.io';\n",
            "import * as io from 'socket.io';\n",
            "export { Server } from 'socket.io';\n",
            "import 'socket.io';\n",
        ] {
            assert!((evidence(src) - full).abs() < 1e-9, "{src}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let src = "é = 1".as_bytes();
        assert_eq!(column_of(src, 2, 2), 2);
        assert_eq!(column_of(src, 3, 3), 3);
        assert_eq!(crate::finding::count_loc(b"a\n\n  # c\n// d\nb\n"), 2);
    }

    #[test]
    fn parse_timeout_is_reported() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut s = SourceAnalyzer::new(Duration::from_nanos(1));
        let big = "x = [1, 2, 3]\n".repeat(200_000);
        let path: Arc<str> = Arc::from("t");
        // No rule can match it: the prefilter does not parse it, so it cannot time out.
        assert!(s.findings(&rs, Lang::Python, big.as_bytes(), &path).is_ok());
        s.engine = Engine::Full;
        assert_eq!(
            s.findings(&rs, Lang::Python, big.as_bytes(), &path).err(),
            Some(ParseFailure::Timeout)
        );
        // the scanner is usable afterwards
        s.parse_timeout = Duration::from_secs(5);
        assert!(s
            .findings(&rs, Lang::Python, b"import numpy\n", &path)
            .is_ok());
    }
}
