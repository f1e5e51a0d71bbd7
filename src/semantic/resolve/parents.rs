//! The model's parent cache. In tree-sitter 0.27 `Node::parent` is no pointer read: it searches
//! down from the root (`ts_node_child_with_descendant` at every level), so a climb from a node
//! to the root costs depth² × siblings, and the context checks climb from every candidate
//! match (the enclosing function, class, loop, `try`, `if TYPE_CHECKING:` ...). Here one such
//! descent answers the whole chain: a miss searches down from the root once, as tree-sitter
//! does, and records the parent of every node on the path, so the node's ancestors (and the
//! ancestors its neighbours share) are then read from the cache.
use super::SemanticModel;
use crate::finding::SourceTree;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use tree_sitter::Node;

/// Parent by child node id (`Node::id`, unique within one tree).
pub(super) type ParentMap<'t> = HashMap<usize, Node<'t>, BuildHasherDefault<IdHasher>>;

/// Hashes a node id (an address in the tree) with one multiply, rotated so that the low bits
/// the table indexes by are the well-mixed high bits of the product (the address's own low bits
/// are always zero). std's SipHash would cost more than the descent it saves on a short chain.
#[derive(Default)]
pub(super) struct IdHasher(u64);

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(SEED);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(SEED);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

impl<'t> SemanticModel<'t> {
    /// `n`'s parent, the same node `n.parent()` gives, from the per-file cache (see the module
    /// comment for why). `None` for the root.
    pub fn parent(&self, n: Node<'t>) -> Option<Node<'t>> {
        if n.id() == self.root.id() {
            return None;
        }
        if let Some(p) = self.parents.borrow().get(&n.id()) {
            return Some(*p);
        }
        // tree-sitter's search for an empty node (a MISSING token) follows its own rules at
        // boundaries, so only that node's own parent is recorded from its path. Every node on
        // the path to a non-empty node has exactly the parent the path shows.
        let whole_path = n.start_byte() < n.end_byte();
        let mut parents = self.parents.borrow_mut();
        let parent = self.descend(n, |p, child| {
            if whole_path {
                parents.insert(child.id(), p);
            }
        });
        parents.insert(n.id(), parent);
        Some(parent)
    }

    /// The loop of `ts_node_parent`: the path it searches from the root down to `n`, calling
    /// `step(parent, child)` for each step above `n`. Returns the last node above `n` (its
    /// parent; the node where the search stopped if `n` is not below it).
    pub(super) fn descend(
        &self,
        n: Node<'t>,
        mut step: impl FnMut(Node<'t>, Node<'t>),
    ) -> Node<'t> {
        let mut cur = self.root;
        while cur.id() != n.id() {
            match cur.child_with_descendant(n) {
                Some(next) if next.id() != n.id() && next.id() != cur.id() => {
                    step(cur, next);
                    cur = next;
                }
                _ => break,
            }
        }
        cur
    }

    /// `n`'s ancestors, nearest first (not `n` itself), through the parent cache.
    pub fn ancestors(&self, n: Node<'t>) -> impl Iterator<Item = Node<'t>> + '_ {
        std::iter::successors(self.parent(n), move |p| self.parent(*p))
    }
}

/// A finding's key climbs to the match's function or class (`finding::match_key`).
impl<'t> SourceTree<'t> for SemanticModel<'t> {
    fn source(&self) -> &'t [u8] {
        self.src
    }

    fn parent_of(&self, n: Node<'t>) -> Option<Node<'t>> {
        self.parent(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use tree_sitter::{Parser, Tree};

    fn parse(lang: Lang, src: &str) -> Tree {
        let mut p = Parser::new();
        p.set_language(&lang.ts_language())
            .unwrap_or_else(|e| panic!("{e}"));
        p.parse(src, None).unwrap_or_else(|| panic!("no tree"))
    }

    /// Every node of the tree, in document (pre-)order.
    fn all_nodes(tree: &Tree) -> Vec<Node<'_>> {
        let mut out = Vec::new();
        crate::semantic::scope::walk(tree.root_node(), |n| {
            out.push(n);
            true
        });
        out
    }

    fn same(a: Option<Node>, b: Option<Node>) -> bool {
        a.map(|n| n.id()) == b.map(|n| n.id()) && a == b
    }

    /// For every node, in three orders (document, reversed, and deepest first), the cache gives
    /// tree-sitter's parent and its whole ancestor chain.
    fn check(lang: Lang, src: &str) {
        let tree = parse(lang, src);
        let nodes = all_nodes(&tree);
        assert!(nodes.len() > 10, "{} nodes", nodes.len());
        let mut deepest_first = nodes.clone();
        deepest_first.sort_by_key(|n| std::cmp::Reverse(depth(*n)));
        let orders = [
            nodes.clone(),
            nodes.iter().rev().copied().collect(),
            deepest_first,
        ];
        for order in orders {
            let fx = SemanticModel::new(tree.root_node(), src.as_bytes(), lang);
            for n in &order {
                assert!(
                    same(fx.parent(*n), n.parent()),
                    "{lang:?}: parent of {} at {:?}",
                    n.kind(),
                    n.start_position()
                );
                let chain: Vec<usize> = fx.ancestors(*n).map(|a| a.id()).collect();
                let expected: Vec<usize> = std::iter::successors(n.parent(), |p| p.parent())
                    .map(|a| a.id())
                    .collect();
                assert_eq!(chain, expected, "{lang:?}: ancestors of {}", n.kind());
            }
            // Asked again, from a full cache: the same answers.
            for n in &nodes {
                assert!(same(fx.parent(*n), n.parent()));
            }
            // The budget-charged chain of name resolution is the same chain.
            for n in &nodes {
                let expected: Vec<usize> = std::iter::successors(n.parent(), |p| p.parent())
                    .map(|a| a.id())
                    .collect();
                let chain: Vec<usize> = fx.charged_ancestors(*n).iter().map(|a| a.id()).collect();
                assert_eq!(chain, expected);
            }
        }
    }

    fn depth(n: Node) -> usize {
        std::iter::successors(n.parent(), |p| p.parent()).count()
    }

    #[test]
    fn python_parents_match_tree_sitter() {
        check(
            Lang::Python,
            "\
import time
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import numpy as np
@decorator(arg)
class C(Base):
    x: int = 1
    async def m(self, a, *rest, **kw):
        try:
            for i in range(10):
                while i:
                    y = [k * 2 for k in (lambda q: q)(i) if k]
                    self.pool.map(lambda z: {z: (z, [z, {z}])}, y)
        except (ImportError, ValueError) as e:
            raise RuntimeError(f\"bad {e!r}\") from e
        finally:
            pass
def f():
    return g(h(i(j(k(l(m(n(o(p(1))))))))))
",
        );
    }

    #[test]
    fn javascript_parents_match_tree_sitter() {
        check(
            Lang::JavaScript,
            "\
#!/usr/bin/env node
const fs = require('fs');
import { a as b } from 'm';
class S extends E {
  #p = 1;
  static s = () => {};
  async run(x, { y, z: [w] }, ...rest) {
    for (const k of xs) {
      items.forEach((it) => {
        if (it) { fs.readFileSync(`a${it}b`).on('error', function () { return [1, [2, [3, {a: {b: {c: x}}}]]]; }); }
      });
    }
  }
}
app.get('/x', async (req, res) => { await new Promise((r) => setTimeout(r, 1)); });
module.exports = { S };
",
        );
        check(
            Lang::TypeScript,
            "import type { T } from 'y';\nfunction f(n: number = g(1)): Promise<void> { return h<T>(n as any)!; }\n",
        );
    }

    #[test]
    fn deep_nesting_and_broken_code() {
        // A chain of 200 nested calls and as many nested blocks.
        let mut py = String::from("x = ");
        py.push_str(&"f(".repeat(200));
        py.push_str(&")".repeat(200));
        py.push('\n');
        for d in 0..60 {
            py.push_str(&"    ".repeat(d));
            py.push_str("if a:\n");
        }
        py.push_str(&"    ".repeat(60));
        py.push_str("pass\n");
        check(Lang::Python, &py);
        let js = format!("{}x{};\n", "[(".repeat(150), ")]".repeat(150));
        check(Lang::JavaScript, &js);
        // Errors and MISSING (empty) nodes.
        check(Lang::Python, "def f(:\n    x = (1, \nclass\n    y = [\n");
        check(
            Lang::JavaScript,
            "function f( { if (a { b( ; } const = ; x.y(\nclass { m( }\n",
        );
    }
}
