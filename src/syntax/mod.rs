//! Walking a parsed tree with less work per node than `tree_sitter::TreeCursor`.
//!
//! The matcher visits most nodes of a tree and lists the children of many. tree-sitter 0.27's
//! cursor rebuilds its child iterator on every `goto_next_sibling` and steps over the current
//! child again: on the benchmark corpus that was about 450 instructions a sibling, a tenth of a
//! scan. [`PreOrder`] and [`children`] visit the same nodes in the same order, with the same
//! field ids, through a small C walk (`walk.c`) that keeps one iterator per level. It reads
//! tree-sitter's subtree layout from the `tree-sitter` crate's own headers, so it is compiled
//! against exactly the version `Cargo.lock` pins; the tests below compare it with the cursor
//! node by node on every grammar.
use std::marker::PhantomData;
use std::os::raw::c_int;
use tree_sitter::{ffi, Node};

#[repr(C)]
struct RawWalk {
    _private: [u8; 0],
}

/// A child as `walk.c` lists it.
#[repr(C)]
#[derive(Clone, Copy)]
struct RawKid {
    node: ffi::TSNode,
    field: u16,
}

extern "C" {
    fn sf_walk_new(root: ffi::TSNode) -> *mut RawWalk;
    fn sf_walk_free(w: *mut RawWalk);
    fn sf_walk_next(
        w: *mut RawWalk,
        enter: bool,
        skip_before: u32,
        out: *mut ffi::TSNode,
        depth: *mut u32,
    ) -> c_int;
    fn sf_children(scratch: *mut RawWalk, node: ffi::TSNode, out: *mut RawKid, cap: u32) -> i64;
}

/// Out of memory in the C walk: what Rust does when an allocation fails.
fn out_of_memory() -> ! {
    std::alloc::handle_alloc_error(std::alloc::Layout::new::<[u64; 64]>())
}

/// Every node under a root (itself first), in the order of `TreeCursor`'s pre-order walk, each
/// with its depth below the root. The caller says at each step whether to walk under the node
/// it was given last.
pub struct PreOrder<'t> {
    raw: *mut RawWalk,
    tree: PhantomData<Node<'t>>,
}

impl<'t> PreOrder<'t> {
    pub fn new(root: Node<'t>) -> PreOrder<'t> {
        // SAFETY: `root` is a live node of a tree that outlives `'t`; the walk only reads it.
        let raw = unsafe { sf_walk_new(root.into_raw()) };
        if raw.is_null() {
            out_of_memory();
        }
        PreOrder {
            raw,
            tree: PhantomData,
        }
    }

    /// The next node and its depth; `enter`: first walk under the node returned last (ignored
    /// on the first call, which returns the root).
    pub fn next(&mut self, enter: bool) -> Option<(Node<'t>, u32)> {
        self.next_ending_after(enter, 0)
    }

    /// As [`next`](Self::next), stepping over (not returning) every node that ends at or before
    /// byte `skip_before`, with what is under it (0: none).
    pub fn next_ending_after(
        &mut self,
        enter: bool,
        skip_before: usize,
    ) -> Option<(Node<'t>, u32)> {
        let skip = u32::try_from(skip_before).unwrap_or(u32::MAX);
        let mut out = std::mem::MaybeUninit::<ffi::TSNode>::uninit();
        let mut depth = 0u32;
        // SAFETY: `raw` is the walk `new` made, over a tree borrowed for `'t`.
        match unsafe { sf_walk_next(self.raw, enter, skip, out.as_mut_ptr(), &mut depth) } {
            // SAFETY: 1 means `out` was written with a node of that tree.
            1 => Some((unsafe { Node::from_raw(out.assume_init()) }, depth)),
            0 => None,
            _ => out_of_memory(),
        }
    }
}

impl Drop for PreOrder<'_> {
    fn drop(&mut self) {
        // SAFETY: made by `sf_walk_new`, freed once.
        unsafe { sf_walk_free(self.raw) }
    }
}

/// Lists nodes' children as the cursor visits them, each with its field id (0: none), reusing
/// one frame stack and one buffer from list to list.
pub struct Children<'t> {
    walk: PreOrder<'t>,
    buf: Vec<RawKid>,
}

impl<'t> Children<'t> {
    /// A lister for the nodes of `root`'s tree.
    pub fn new(root: Node<'t>) -> Children<'t> {
        Children {
            walk: PreOrder::new(root),
            buf: Vec::new(),
        }
    }

    /// `node`'s children, handed to `each` in order.
    pub fn each(&mut self, node: Node<'t>, mut each: impl FnMut(Node<'t>, u16)) {
        let raw = node.into_raw();
        let buf = &mut self.buf;
        loop {
            let cap = u32::try_from(buf.capacity()).unwrap_or(u32::MAX);
            // SAFETY: `buf` has room for `cap` kids; the C side writes at most that many, and
            // uses the walk's frame stack only as scratch.
            let n = unsafe { sf_children(self.walk.raw, raw, buf.as_mut_ptr(), cap) };
            let Ok(n) = usize::try_from(n) else {
                out_of_memory()
            };
            if n <= cap as usize {
                // SAFETY: the first `n` kids were written.
                unsafe { buf.set_len(n) };
                break;
            }
            buf.clear();
            buf.reserve(n);
        }
        for k in buf.iter() {
            // SAFETY: a node of `node`'s tree, which lives for `'t`.
            each(unsafe { Node::from_raw(k.node) }, k.field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use tree_sitter::{Parser, TreeCursor};

    /// (id, kind, start, end, depth) of every node, by the cursor.
    fn by_cursor(root: Node) -> Vec<(usize, u16, usize, usize, u32)> {
        let mut out = Vec::new();
        let mut c: TreeCursor = root.walk();
        let mut depth = 0u32;
        loop {
            let n = c.node();
            out.push((n.id(), n.kind_id(), n.start_byte(), n.end_byte(), depth));
            if c.goto_first_child() {
                depth += 1;
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    return out;
                }
                depth -= 1;
            }
        }
    }

    fn by_walk(root: Node) -> Vec<(usize, u16, usize, usize, u32)> {
        let mut out = Vec::new();
        let mut w = PreOrder::new(root);
        while let Some((n, d)) = w.next(true) {
            out.push((n.id(), n.kind_id(), n.start_byte(), n.end_byte(), d));
        }
        out
    }

    fn kids_by_cursor(node: Node) -> Vec<(usize, u16, u16, bool)> {
        let mut c = node.walk();
        let mut out = Vec::new();
        if c.goto_first_child() {
            loop {
                let n = c.node();
                let f = c.field_id().map_or(0, |f| f.get());
                out.push((n.id(), n.kind_id(), f, n.is_named()));
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    /// Compares the walk and the child lists with the cursor's on `src`; the node count.
    fn same_as_cursor(lang: Lang, src: &str) -> usize {
        let mut p = Parser::new();
        p.set_language(&lang.ts_language())
            .unwrap_or_else(|e| panic!("{e}"));
        let tree = p
            .parse(src, None)
            .unwrap_or_else(|| panic!("no tree for {src:?}"));
        let root = tree.root_node();
        let walked = by_walk(root);
        assert_eq!(walked, by_cursor(root), "{lang:?}: {src:?}");
        let mut lister = Children::new(root);
        // Child lists and fields at every node.
        let mut w = PreOrder::new(root);
        while let Some((n, d)) = w.next(true) {
            let mut got = Vec::new();
            lister.each(n, |k, f| got.push((k.id(), k.kind_id(), f, k.is_named())));
            assert_eq!(got, kids_by_cursor(n), "{lang:?}: children of {}", n.kind());
            // A walk from an inner node covers exactly its subtree.
            if d <= 2 {
                assert_eq!(by_walk(n), by_cursor(n));
            }
        }
        // Skipping: not entering a node steps over its subtree.
        let mut w = PreOrder::new(root);
        let mut skipped = Vec::new();
        let mut enter = true;
        while let Some((n, d)) = w.next(enter) {
            enter = d < 2;
            skipped.push((n.id(), d));
        }
        assert!(skipped.iter().all(|&(_, d)| d <= 2));
        let expected = walked.iter().filter(|w| w.4 <= 2).count();
        assert_eq!(skipped.len(), expected);
        // Stepping over what ends before a byte: the root's children that end after it.
        let mid = src.len() / 2;
        let mut w = PreOrder::new(root);
        let _ = w.next(true);
        let mut got = Vec::new();
        // Under the root, then over each child.
        let mut enter = true;
        while let Some((n, d)) = w.next_ending_after(enter, mid) {
            got.push((n.id(), d));
            enter = false;
        }
        let want: Vec<(usize, u32)> = walked
            .iter()
            .filter(|w| w.4 == 1 && (w.3 > mid || mid == 0))
            .map(|w| (w.0, 1))
            .collect();
        assert_eq!(got, want, "{lang:?}: skipping to byte {mid}");
        walked.len()
    }

    #[test]
    fn the_walk_and_the_child_lists_match_the_cursor() {
        let py = "import os\n@dec\nclass A(B, metaclass=M):\n    def f(self, x: int = 1, *a, **k) -> str:\n        # c\n        return f\"{x!r}\" if x else [y async for y in z]\n    async def g(): await h()\nprint(1 if a else 2, *b, **c)\nx[1:2, ...] = lambda: (yield)\n";
        let js = "import a, { b as c } from 'd';\n/* c */ export default class X extends Y {\n  #p = 1; static m() { return <A b={c} {...d}>t<br/></A>; }\n}\nfor (const [k, v] of m) { if (k < 2) continue; }\nconst f = async (x = 1, ...r) => `${x}${await g?.(r)}`;\nlabel: while (1) { do { x++ } while (y); break label; }\n";
        let ts = "interface I<T> extends J { a?: T; [k: string]: number }\ntype U = A | B & C;\nenum E { A = 1 }\nfunction f<T extends object>(this: Window, x: T): asserts x is T {}\nabstract class K implements I<string> { private constructor(readonly a: number) { super(); } }\nlet v = <T,>(x: T) => x as unknown satisfies T;\n";
        let broken = "def f(:\n  return [1, 2\nclass\n";
        let n = same_as_cursor(Lang::Python, py)
            + same_as_cursor(Lang::JavaScript, js)
            + same_as_cursor(Lang::TypeScript, ts)
            + same_as_cursor(Lang::Tsx, js)
            + same_as_cursor(Lang::Python, broken)
            + same_as_cursor(Lang::JavaScript, "function (\n  x = {a: [1,\n")
            + same_as_cursor(Lang::Python, "");
        assert!(n > 400, "{n} nodes");
    }

    /// Every source file of `fixtures/`, walked both ways.
    #[test]
    fn the_walk_matches_the_cursor_on_every_fixture() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    files(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut all = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut all,
        );
        let mut walked = 0;
        for p in all {
            let lang = match p.extension().and_then(|e| e.to_str()) {
                Some("py") => Lang::Python,
                Some("js" | "mjs" | "cjs" | "jsx") => Lang::JavaScript,
                Some("ts" | "mts" | "cts") => Lang::TypeScript,
                Some("tsx") => Lang::Tsx,
                _ => continue,
            };
            let Ok(src) = std::fs::read_to_string(&p) else {
                continue;
            };
            if src.len() > 64 * 1024 {
                continue;
            }
            same_as_cursor(lang, &src);
            walked += 1;
        }
        assert!(walked > 50, "{walked} fixture files");
    }
}
