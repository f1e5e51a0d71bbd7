#!/usr/bin/env python3
"""The dependency graph between stackfit's top-level modules, and a check that it has no cycle.

Each file under src/ belongs to its top-level module: src/X.rs and everything under src/X/ is
module X (src/main.rs and src/lib.rs belong to none). A file depends on module Y when its code,
outside comments, strings and `#[cfg(test)]` modules, names `crate::Y` (also as a member of a
`use crate::{Y, ...}` group) or reaches Y through enough `super::` to climb to the crate root.
tests/architecture.rs makes the same check from `cargo test`.

Usage: module-graph.py [--dot] [SRC]   (SRC defaults to the src/ next to this script's folder)
Prints "module -> deps" lines and "no cycles" (exit 0), or the cycle (exit 1); with --dot, the
graph in Graphviz format instead (still exit 1 on a cycle).
"""

import re
import sys
from pathlib import Path

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RAW_STRING = re.compile(r'b?r(#*)"')


def strip_code(text):
    """The text with comments, string and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif (m := RAW_STRING.match(text, i)) and (
            i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
        ):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            out.append(blank(text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(blank(text[i : j + 1]))
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{..}') or a lifetime ('a), which is kept.
            if i + 1 < n and text[i + 1] == "\\":
                j = text.find("'", i + 3)
                j = n if j < 0 else j + 1
            elif i + 2 < n and text[i + 2] == "'":
                j = i + 3
            else:
                out.append(c)
                i += 1
                continue
            out.append(blank(text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching_brace(text, i):
    """The index just past the `}` closing the `{` at `i`."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


CFG_TEST_MOD = re.compile(
    r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*"  # the attribute, then any others
    r"(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{"  # `pub(crate) mod tests {`
)


def blank(s):
    """`s` with every character but newlines turned into a space."""
    return "".join(c if c == "\n" else " " for c in s)


def drop_test_modules(code):
    """The code without its `#[cfg(test)] mod name { ... }` blocks (blanked, newlines kept)."""
    while m := CFG_TEST_MOD.search(code):
        end = matching_brace(code, m.end() - 1)
        code = code[: m.start()] + blank(code[m.start() : end]) + code[end:]
    return code


def first_segments(code, i):
    """The first path segment(s) after a `::` ending at `i`: one name, or each member of a
    `{...}` group."""
    while i < len(code) and code[i].isspace():
        i += 1
    if i < len(code) and code[i] == "{":
        end = matching_brace(code, i)
        inner, depth, parts, start = code[i + 1 : end - 1], 0, [], 0
        for k, ch in enumerate(inner):
            if ch in "{(<":
                depth += 1
            elif ch in "})>":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(inner[start:k])
                start = k + 1
        parts.append(inner[start:])
        return [m.group(0) for p in parts if (m := IDENT.match(p.strip()))]
    m = IDENT.match(code, i)
    return [m.group(0)] if m else []


def file_module(src, path):
    """(top-level module, depth of the file's module path) of a file, or None."""
    rel = path.relative_to(src).parts
    if len(rel) == 1:
        if rel[0] in ("main.rs", "lib.rs"):
            return None
        return rel[0][:-3], 1
    depth = len(rel) - (1 if rel[-1] == "mod.rs" else 0)
    return rel[0], depth


def references(code, depth):
    """Top-level module names the code refers to: `crate::X`, and `super::...::X` climbing
    `depth` levels (to the crate root)."""
    names = []
    for m in re.finditer(r"\bcrate\s*::", code):
        names += first_segments(code, m.end())
    for m in re.finditer(r"\b(?:super\s*::\s*)+", code):
        if m.start() > 0 and code[m.start() - 1] == ":":
            continue
        if m.group(0).count("super") == depth:
            names += first_segments(code, m.end())
    return names


def build_graph(src):
    files = sorted(src.rglob("*.rs"))
    modules = {fm[0] for f in files if (fm := file_module(src, f))}
    graph = {m: set() for m in modules}
    for f in files:
        fm = file_module(src, f)
        if not fm:
            continue
        code = drop_test_modules(strip_code(f.read_text(encoding="utf-8")))
        for name in references(code, fm[1]):
            if name in modules and name != fm[0]:
                graph[fm[0]].add(name)
    return graph


def find_cycle(graph):
    """One cycle as a list of modules (first repeated last), or None. Tarjan's SCCs."""
    index, low, stack, on, counter, sccs = {}, {}, [], set(), [0], []

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            sccs.append(scc)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    for scc in sccs:
        if len(scc) > 1:
            members, start = set(scc), min(scc)
            # A path back to `start` inside the component: breadth-first, so it is a shortest one.
            prev, queue = {start: None}, [start]
            for v in queue:
                for w in sorted(graph[v] & members):
                    if w == start:
                        path = [v]
                        while prev[path[-1]] is not None:
                            path.append(prev[path[-1]])
                        return path[::-1] + [start]
                    if w not in prev:
                        prev[w] = v
                        queue.append(w)
    return None


def main(argv):
    args = [a for a in argv if a != "--dot"]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "src"
    graph = build_graph(src)
    cycle = find_cycle(graph)
    if "--dot" in argv:
        print("digraph modules {")
        for m in sorted(graph):
            print(f"  {m};")
            for d in sorted(graph[m]):
                print(f"  {m} -> {d};")
        print("}")
    else:
        for m in sorted(graph):
            print(f"{m} -> {', '.join(sorted(graph[m])) or '(none)'}")
    if cycle:
        print("cycle: " + " -> ".join(cycle), file=sys.stderr if "--dot" in argv else sys.stdout)
        return 1
    if "--dot" not in argv:
        print("no cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
