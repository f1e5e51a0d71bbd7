#!/usr/bin/env python3
"""Generates the ast-grep project in bench/ast-grep/ from stackfit's own rule data, so the
benchmark's rule set stays equivalent to stackfit's as `queries/` changes.

- Usage rules: every `queries/<dir>/<CODE>.scm` of a `source = "query"` rule is translated,
  pattern by pattern, from a tree-sitter query into an ast-grep rule object (`kind` for node
  types, `has`/`inside` with `field` for the tree shape, `nthChild` for `.` anchors, `regex` for
  `#eq?` / `#any-of?` / `#match?`, `not: regex` for their `#not-` forms). The reported node is the `@match` capture, as in stackfit.
  Anonymous nodes (`operator: "+"`) become a `regex` on the field's child (ast-grep's `kind`
  takes named types only); an alternation holding `@match` becomes one rule per option; sibling
  patterns keep tree-sitter's order with `follows` (`operator: "*" (subscript_expression)`:
  the subscript after the operator); a `@_requires` pattern (SF362) becomes an `inside` the
  file's root node that `has` it anywhere.
- Import rules: one rule per trait and grammar (SF1k0 / SF3k0), built from the patterns of
  `queries/<dir>/imports.scm` (reported node = `@import.module`) plus a regex over the module or
  specifier generated from `queries/libraries.toml` (longest-prefix and exact-before-prefix
  resolution reproduced with `not` clauses).
- Grammar fallback is stackfit's: .ts uses typescript/ then javascript/; .tsx uses tsx/, then
  typescript/, then javascript/.

Usage: gen_astgrep_rules.py [--queries DIR] [--out DIR] [--check]
  --check: exit 1 if the files on disk differ from what would be generated.
Only the Python standard library is needed (tomllib: Python >= 3.11).
"""
import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
# stackfit grammar -> (ast-grep language, query dirs most specific first); see src/lang.rs.
GRAMMARS = {
    "python": ("python", ["python"]),
    "javascript": ("javascript", ["javascript"]),
    "typescript": ("typescript", ["typescript", "javascript"]),
    "tsx": ("tsx", ["tsx", "typescript", "javascript"]),
}
# The node type of a whole file, per grammar (a `@_requires` pattern may be anywhere in it).
ROOT_KIND = {"python": "module", "javascript": "program", "typescript": "program", "tsx": "program"}


# --------------------------------------------------------------------------- query parser
class QueryError(Exception):
    pass


def tokenize(text):
    toks = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == ";":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "()[].":
            toks.append((c, c))
            i += 1
        elif c == '"':
            j = i + 1
            buf = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    nxt = text[j + 1]
                    buf.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            toks.append(("str", "".join(buf)))
            i = j + 1
        elif c == "@":
            m = re.compile(r"@[\w.\-]+").match(text, i)
            toks.append(("cap", m.group(0)[1:]))
            i = m.end()
        elif c == "#":
            m = re.compile(r"#[\w\-]+[?!]?").match(text, i)
            toks.append(("pred", m.group(0)))
            i = m.end()
        elif c in "*+?":
            raise QueryError(f"quantifier `{c}` is not supported by the translator")
        else:
            m = re.compile(r"[A-Za-z_][\w]*:?").match(text, i)
            if not m:
                raise QueryError(f"unexpected character {c!r}")
            w = m.group(0)
            toks.append(("field", w[:-1]) if w.endswith(":") else ("word", w))
            i = m.end()
    return toks


class Parser:
    """Parses a .scm file into top-level patterns: dicts
    {"t": "node", kind, children: [{field, pat, anchor}], caps, preds} or {"t": "alt", opts, caps}."""

    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else (None, None)

    def take(self, typ=None):
        t = self.peek()
        if typ and t[0] != typ:
            raise QueryError(f"expected {typ}, got {t}")
        self.i += 1
        return t

    def patterns(self):
        out = []
        while self.peek()[0] is not None:
            preds = []
            pat = self.pattern(preds)
            pat["preds"] = pat.get("preds", []) + preds
            out.append(pat)
        return out

    def captures(self, pat):
        while self.peek()[0] == "cap":
            pat["caps"].append(self.take()[1])
        return pat

    def predicate(self):
        self.take("(")
        name = self.take("pred")[1]
        args = []
        while self.peek()[0] != ")":
            args.append(self.take())
        self.take(")")
        return (name, args)

    def pattern(self, preds):
        t = self.peek()
        if t[0] == "[":
            self.take()
            opts = []
            while self.peek()[0] != "]":
                opts.append(self.pattern(preds))
            self.take("]")
            return self.captures({"t": "alt", "opts": opts, "caps": []})
        if t[0] == "(" and self.peek(1)[0] == "(":
            # A group: `((node) @c (#pred ...))` = one pattern plus predicates.
            self.take()
            inner = []
            while self.peek()[0] != ")":
                if self.peek()[0] == "(" and self.peek(1)[0] == "pred":
                    preds.append(self.predicate())
                else:
                    inner.append(self.pattern(preds))
            self.take(")")
            if len(inner) != 1:
                raise QueryError("groups of several sibling patterns are not supported")
            return self.captures(inner[0])
        if t[0] == "(":
            self.take()
            kind = self.take()[1]
            node = {"t": "node", "kind": kind, "children": [], "caps": []}
            anchor = False
            while self.peek()[0] != ")":
                p = self.peek()
                if p[0] == ".":
                    self.take()
                    anchor = True
                    continue
                if p[0] == "(" and self.peek(1)[0] == "pred":
                    preds.append(self.predicate())
                    continue
                field = None
                if p[0] == "field":
                    field = self.take()[1]
                child = self.pattern(preds)
                node["children"].append({"field": field, "pat": child, "anchor": anchor})
                anchor = False
            self.take(")")
            return self.captures(node)
        if t[0] == "str":
            # An anonymous node (`"+"`, `"+="`): its type is its text.
            self.take()
            return self.captures({"t": "anon", "text": t[1], "caps": []})
        raise QueryError(f"unexpected token {t}")


# --------------------------------------------------------------------------- translation
def cap_regexes(preds):
    """capture name -> list of rule fragments (`regex`, or `not: regex`) its node must satisfy."""
    out = {}
    for name, args in preds:
        caps = [a[1] for a in args if a[0] == "cap"]
        strs = [a[1] for a in args if a[0] == "str"]
        if not caps:
            continue
        negate = name.startswith("#not-")
        base = name.replace("#not-", "#", 1)
        if base == "#eq?" and len(strs) == 1:
            rx = "^" + re.escape(strs[0]) + "$"
        elif base == "#any-of?" and strs:
            rx = "^(?:" + "|".join(re.escape(s) for s in strs) + ")$"
        elif base == "#match?" and len(strs) == 1:
            rx = strs[0]
        else:
            raise QueryError(f"predicate {name} {args} is not supported")
        out.setdefault(caps[0], []).append({"not": {"regex": rx}} if negate else {"regex": rx})
    return out


def positions(children):
    """1-based nthChild for anchored children (`. a . b` -> 1, 2); None when not anchored."""
    pos, prev = [], None
    for k, ch in enumerate(children):
        if ch["anchor"]:
            if k == 0:
                p = 1
            elif prev is not None:
                p = prev + 1
            else:
                raise QueryError("an anchor after an unanchored sibling is not supported")
        else:
            p = None
        pos.append(p)
        prev = p
    return pos


def merge(rule, extra):
    """ANDs rule objects: keys that would collide go into `all`."""
    out = dict(rule)
    alls = list(out.pop("all", []))
    for k, v in extra.items():
        if k == "all":
            alls.extend(v)
        elif k in out:
            alls.append({k: v})
        else:
            out[k] = v
    if alls:
        out["all"] = alls
    return out


def down(pat, rx, skip=None):
    """Rule object matching the node `pat` describes. `skip`: a child dict left out (the path
    an inversion came up through)."""
    rule = {}
    if pat["t"] == "alt":
        rule["any"] = [down(o, rx) for o in pat["opts"]]
    elif pat["t"] == "anon":
        # ast-grep's `kind` only takes named node types; an anonymous node's text is its type.
        # Under a `field` (every use in queries/), that is exactly the one node tree-sitter means.
        rule["regex"] = "^" + re.escape(pat["text"]) + "$"
    elif pat["kind"] != "_":
        rule["kind"] = pat["kind"]
    for c in pat["caps"]:
        for r in rx.get(c, []):
            rule = merge(rule, r)
    if pat["t"] == "node":
        prev = None
        for ch, p in zip(pat["children"], positions(pat["children"])):
            if ch is skip:
                prev = None
                continue
            sub = down(ch["pat"], rx)
            if p is not None:
                sub = merge(sub, {"nthChild": p})
            if not sub:
                # `(_)`: any named child at all.
                sub = {"nthChild": {"position": "n+1"}}
            mine = sub
            if prev is not None and p is None:
                # tree-sitter matches sibling patterns in order: `operator: "*" (subscript)`
                # wants the subscript after the operator. ast-grep's `has` does not, so the
                # child must follow (anywhere after) a sibling matching the previous pattern.
                sub = merge(sub, {"follows": {"stopBy": "end", **prev}})
            prev = mine
            if ch["field"]:
                sub = {"field": ch["field"], **sub}
            rule = merge(rule, {"has": sub})
    return rule


def contains(pat, cap):
    if cap in pat["caps"]:
        return True
    if pat["t"] == "node":
        return any(contains(ch["pat"], cap) for ch in pat["children"])
    if pat["t"] == "alt":
        return any(contains(o, cap) for o in pat["opts"])
    return False


def expand(pat, cap):
    """The variants of `pat` with each alternation on the way down to `cap` replaced by one of
    its options: `(for body: [(a) @match (b (a) @match)])` -> `(for body: (a) @match)` and
    `(for body: (b (a) @match))`. Every option must hold `cap` (an option without it would
    report another node, see `captured` in src/analyze/source.rs)."""
    if cap in pat["caps"] or not contains(pat, cap):
        return [pat]
    if pat["t"] == "alt":
        if not all(contains(o, cap) for o in pat["opts"]):
            raise QueryError(f"an alternation where only some options capture @{cap}")
        return [dict(v, caps=v["caps"] + pat["caps"]) for o in pat["opts"] for v in expand(o, cap)]
    out = []
    for k, ch in enumerate(pat["children"]):
        if contains(ch["pat"], cap):
            for v in expand(ch["pat"], cap):
                kids = list(pat["children"])
                kids[k] = dict(ch, pat=v)
                out.append(dict(pat, children=kids))
            return out
    return [pat]


def find_path(pat, cap):
    """[(parent node, child dict), ...] from `pat` down to the node captured as `cap`."""
    if cap in pat["caps"]:
        return []
    if pat["t"] == "node":
        for ch in pat["children"]:
            sub = find_path(ch["pat"], cap)
            if sub is not None:
                return [(pat, ch)] + sub
    elif pat["t"] == "alt":
        for o in pat["opts"]:
            if find_path(o, cap) is not None:
                raise QueryError(f"@{cap} inside an alternation cannot be the reported node")
    return None


def translate(pat, target):
    """Rule object that matches the node captured as `target` (the reported node): its own
    shape, then one nested `inside` per ancestor in the pattern (minus the child we came from)."""
    rx = cap_regexes(pat["preds"])
    path = find_path(pat, target)
    if path is None:
        raise QueryError(f"pattern has no @{target} capture")
    up, nth = None, None
    for parent, ch in path:  # root first
        r = down(parent, rx, skip=ch)
        if nth is not None:
            r = merge(r, {"nthChild": nth})
        if up is not None:
            r = merge(r, {"inside": up})
        if ch["field"]:
            r = {"field": ch["field"], **r}
        up, nth = r, positions(parent["children"])[parent["children"].index(ch)]
    rule = down(path[-1][1]["pat"] if path else pat, rx)
    if nth is not None:
        rule = merge(rule, {"nthChild": nth})
    if up is not None:
        rule = merge(rule, {"inside": up})
    if not rule:
        raise QueryError("a bare wildcard pattern cannot be expressed")
    return rule


def either(rules):
    return rules[0] if len(rules) == 1 else {"any": rules}


# --------------------------------------------------------------------------- library regexes
def python_regex(libs, trait):
    """Module names whose longest listed dotted prefix belongs to `trait`."""
    mods = {m: lib["trait"] for lib in libs for m in lib.get("python", [])}
    mine = sorted(m for m, t in mods.items() if t == trait)
    if not mine:
        return None
    alt = "|".join(re.escape(m) for m in mine)
    rule = {"regex": rf"^(?:{alt})(?:\.|$)"}
    # A longer module listed for another trait wins over ours.
    theirs = sorted(
        m for m, t in mods.items()
        if t != trait and any(m.startswith(x + ".") for x in mine)
    )
    for m in theirs:
        if any(x.startswith(m + ".") for x in mine):
            raise SystemExit(f"libraries.toml: nested python prefixes around {m}: not handled")
    if theirs:
        rule["not"] = {"regex": "^(?:" + "|".join(re.escape(m) for m in theirs) + r")(?:\.|$)"}
    return rule


def npm_regex(libs, trait):
    """Specifiers whose npm package (`@s/p/sub` -> `@s/p`, `node:x` -> `x`) resolves to `trait`:
    exact names first, then `prefix*` families in table order (see src/rules/mod.rs)."""
    exact, prefixes = {}, []
    for lib in libs:
        for n in lib.get("npm", []):
            if n.endswith("*"):
                prefixes.append((n[:-1], lib["trait"]))
            else:
                exact[n] = lib["trait"]

    def pkg_rx(p):
        return re.escape(p) + "[^/]*"

    yes, no = [], []
    yes += [re.escape(n) for n, t in sorted(exact.items()) if t == trait]
    for k, (p, t) in enumerate(prefixes):
        if t != trait:
            continue
        yes.append(pkg_rx(p))
        # Exact names of other traits, and earlier prefixes of other traits, take precedence.
        no += [re.escape(n) for n, t2 in sorted(exact.items()) if t2 != trait and n.startswith(p)]
        no += [pkg_rx(q) for q, t2 in prefixes[:k] if t2 != trait and (q.startswith(p) or p.startswith(q))]
    if not yes:
        return None
    rule = {"regex": r"^(?:node:)?(?:" + "|".join(yes) + r")(?:/|$)"}
    if no:
        rule["not"] = {"regex": r"^(?:node:)?(?:" + "|".join(sorted(set(no))) + r")(?:/|$)"}
    return rule


# --------------------------------------------------------------------------- YAML output
def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


def yaml(v, indent=0):
    pad = "  " * indent
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{pad}{k}:")
                lines.append(yaml(x, indent + 1))
            else:
                lines.append(f"{pad}{k}: {yaml_scalar(x)}")
    else:
        for x in v:
            if isinstance(x, dict):
                sub = yaml(x, indent + 1).split("\n")
                lines.append(f"{pad}- " + sub[0].lstrip())
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {yaml_scalar(x)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def generate(queries: Path):
    libs = tomllib.loads((queries / "libraries.toml").read_text())["library"]
    rules = []
    for f in sorted((queries / "rules").glob("*.toml")):
        r = tomllib.loads(f.read_text())
        rules.append(r)
    files = {}

    def pick(dirs, stem):
        for d in dirs:
            p = queries / d / f"{stem}.scm"
            if p.is_file():
                return p
        return None

    def emit(code, grammar, lang, rule, source, note):
        name = f"{code}-{grammar}"
        doc = {
            "id": name,
            "language": lang,
            "severity": "info",
            "message": note,
            "rule": rule,
        }
        header = (
            f"# Generated by bench/gen_astgrep_rules.py from {source}; do not edit.\n"
        )
        files[f"rules/{grammar}/{code}.yml"] = header + yaml(doc) + "\n"

    warned = set()
    left_out = []
    for grammar, (lang, dirs) in GRAMMARS.items():
        root = ROOT_KIND[grammar]
        imports = pick(dirs, "imports")
        import_pats = Parser(imports.read_text()).patterns() if imports else []
        for r in rules:
            if r.get("source") == "import":
                lib_rule = (python_regex if grammar == "python" else npm_regex)(libs, r["trait"])
                if lib_rule is None or not import_pats:
                    continue
                # The module regex once, then where such a string may sit (any import form).
                alts = [translate(p, "import.module") for p in import_pats]
                rule = merge(lib_rule, {"any": alts})
                src = f"{imports.relative_to(queries.parent)} + queries/libraries.toml ({r['trait']})"
                emit(r["code"], grammar, lang, rule, src, r["message"])
            elif r.get("source") == "query":
                if r.get("context") and r["code"] not in warned:
                    warned.add(r["code"])
                    print(f"warning: {r['code']} has context = {r['context']!r}, which the ast-grep "
                          "rules cannot express: expect more ast-grep findings", file=sys.stderr)
                # `patterns = "SF210"`: the rule reuses another rule's pattern file.
                f = pick(dirs, r.get("patterns") or r["code"])
                if not f:
                    continue
                try:
                    pats = Parser(f.read_text()).patterns()
                except QueryError as e:
                    print(f"warning: {r['code']} ({grammar}) left out: {e}", file=sys.stderr)
                    left_out.append((f"{r['code']} {grammar}", str(e)))
                    continue
                if not pats:
                    continue
                alts, requires = [], []
                try:
                    for p in pats:
                        if "_requires" in p["caps"]:
                            # A file-level requirement (src/rules/compile.rs): no finding of
                            # its own; the rule's matches count only in a file that has one.
                            requires.append(down(p, cap_regexes(p["preds"])))
                            continue
                        if contains(p, "_requires"):
                            raise QueryError("@_requires below a pattern's top node is not supported")
                        target = "match" if contains(p, "match") else (p["caps"] or [None])[0]
                        alts += [translate(v, target) for v in expand(p, target)]
                    rule = either(alts)
                    if requires:
                        # Inside the file's root node, which has one anywhere below it.
                        has = dict(stopBy="end", **either(requires))
                        rule = merge(rule, {"inside": {"kind": root, "stopBy": "end", "has": has}})
                except QueryError as e:
                    # Left out of the comparison (compare.py equivalence reads the list), not fatal.
                    print(f"warning: {r['code']} ({grammar}) left out: {e}", file=sys.stderr)
                    left_out.append((f"{r['code']} {grammar}", str(e)))
                    continue
                emit(r["code"], grammar, lang, rule, str(f.relative_to(queries.parent)), r["message"])
    files["left-out.yml"] = (
        "# Generated by bench/gen_astgrep_rules.py: rules the translator cannot express (rule, grammar,\n"
        "# reason); compare.py equivalence leaves them out.\n"
        + ("left_out:\n" + "".join(f"  - {k}  # {why}\n" for k, why in left_out) if left_out else "left_out: []\n")
    )
    files["sgconfig.yml"] = (
        "# ast-grep project equivalent to stackfit's rules (see bench/README.md).\n"
        "# rules/ is generated by bench/gen_astgrep_rules.py from queries/; do not edit it.\n"
        "ruleDirs:\n  - rules\n"
    )
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--queries", type=Path, default=HERE.parent / "queries")
    ap.add_argument("--out", type=Path, default=HERE / "ast-grep")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    try:
        files = generate(a.queries)
    except QueryError as e:
        sys.exit(f"gen_astgrep_rules: {e}")
    existing = {
        str(p.relative_to(a.out)): p.read_text()
        for p in a.out.rglob("*.yml")
    } if a.out.is_dir() else {}
    if a.check:
        if existing != files:
            stale = sorted(set(existing) ^ set(files) | {k for k in files if existing.get(k) != files[k]})
            print("ast-grep rules are out of date: " + ", ".join(stale), file=sys.stderr)
            sys.exit(1)
        return
    for stale in set(existing) - set(files):
        (a.out / stale).unlink()
    for rel, text in files.items():
        p = a.out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if existing.get(rel) != text:
            p.write_text(text)
    n = sum(1 for k in files if k.startswith("rules/"))
    print(f"{n} ast-grep rules in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
