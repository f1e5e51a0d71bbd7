#!/usr/bin/env python3
"""Helpers for bench/run.sh (Python standard library only).

  compare.py sameset STACKFIT_BIN STACKFIT_JSON ASTGREP_INSPECT_LOG CORPUS DEST OUT_LIST
      The files both tools analyse: what ast-grep scanned (or skipped as empty) with the four
      grammars' extensions, minus every file stackfit skips (declaration files, too large, and
      whatever else main skips). DEST becomes a tree of hard links to exactly those files, with
      the same relative paths, so both tools get the same files by scanning one directory as
      they do by default; stackfit is re-run on DEST until it skips nothing there.
  compare.py equivalence STACKFIT_JSON ASTGREP_JSONL [OUT_TSV]
      Per rule: occurrences per file found by stackfit vs by ast-grep on the same files. This
      is the check that the ast-grep rule set is equivalent, not just similar in size. ast-grep's
      import matches of the project's own modules (stackfit's `first_party` names) are counted
      apart, as "first-party, excluded by design". Exit 1 if any (rule, grammar) pair differs.
  compare.py summary HYPERFINE_JSON RSS_TSV
      Prints the ratios and peak RSS figures.
  compare.py prefilter STACKFIT_BIN DIR [DIR...]
      Scans each DIR with the prefilter and with --no-prefilter (also with --include-generated)
      and checks that the JSON reports are identical except for the elapsed time. Exit 1 on a
      difference, naming the first differing key.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

GRAMMAR_OF_LANG = {"Python": "python", "JavaScript": "javascript", "TypeScript": "typescript", "Tsx": "tsx"}
EXTS = {".py", ".pyi", ".pyw", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"}


def grammar_of(path):
    p = path.lower()
    ext = os.path.splitext(p)[1]
    if ext in (".py", ".pyi", ".pyw"):
        return "python"
    if ext in (".js", ".mjs", ".cjs", ".jsx"):
        return "javascript"
    if ext in (".ts", ".mts", ".cts"):
        return "typescript"
    if ext == ".tsx":
        return "tsx"
    return "python"  # extensionless scripts stackfit recognises by shebang


def mirror(files, corpus, dest):
    """Recreates `dest` as hard links (copies across file systems) to `files` of `corpus`."""
    if dest.exists():
        shutil.rmtree(dest)
    for rel in files:
        src, dst = corpus / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def sameset(stackfit, sf_json, inspect_log, corpus, dest, out_list):
    corpus, dest = Path(corpus).resolve(), Path(dest).resolve()
    sf = json.loads(Path(sf_json).read_text())
    files = set()
    for line in Path(inspect_log).read_text().splitlines():
        if "entity|file|" not in line:
            continue
        path, _, info = line.split("entity|file|", 1)[1].rpartition(": ")
        # ast-grep also scans .html files for embedded scripts (reported as language=JavaScript
        # etc.): stackfit does not, so only the four grammars' own extensions count.
        if os.path.splitext(path)[1].lower() not in EXTS:
            continue
        lang = info.split("language=", 1)[1].split(",")[0] if "language=" in info else None
        if lang in GRAMMAR_OF_LANG or info.startswith("skipped="):
            files.add(Path(path).resolve().relative_to(corpus).as_posix())
    # stackfit's JSON lists at most 200 skipped files: scan the mirror and drop what stackfit
    # skips until it skips nothing, so the mirror is exactly the files stackfit analyses.
    # Directories it prunes (generated/vendored, dependency trees) go the same way.
    for round_ in range(50):
        mirror(sorted(files), corpus, dest)
        res = subprocess.run([stackfit, "scan", str(dest), "--format", "json"],
                             check=True, capture_output=True, text=True)
        st = json.loads(res.stdout)["stats"]
        dirs = [d["path"] if isinstance(d, dict) else d
                for key in ("generated_directories", "directories_pruned") for d in st.get(key, [])]
        if st["files_skipped"] == 0 and not dirs:
            break
        files -= {s["path"] for s in st["skipped_files"]}
        files = {f for f in files if not any(f.startswith(d.rstrip("/") + "/") for d in dirs)}
    else:
        sys.exit("sameset: stackfit still skips files in the mirror")
    if st["files_scanned"] != len(files):
        sys.exit(f"sameset: stackfit scanned {st['files_scanned']} of the {len(files)} mirrored files")
    Path(out_list).write_text("".join(f + "\n" for f in sorted(files)))
    total = sum((corpus / f).stat().st_size for f in files)
    want = sf["stats"]["files_scanned"]
    notebooks = st.get("notebooks", 0)
    print(f"same files: {len(files)} files, {total} bytes, in {dest} "
          f"(stackfit's default run scanned {want}: {want - len(files)} files ast-grep cannot scan: "
          f"{sf['stats'].get('notebooks', 0) - notebooks} notebooks, the rest extensionless scripts "
          f"found by their shebang)")


def rule_meta(queries):
    import tomllib
    return {
        r["code"]: r
        for r in (tomllib.loads(p.read_text()) for p in sorted((Path(queries) / "rules").glob("*.toml")))
    }


def normalize_name(name):
    """PEP 503, as stackfit's `normalize_pypi`: `face_recognition` -> `face-recognition`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def npm_package(spec):
    """An npm specifier's package (`socket.io/client` -> `socket.io`, `@s/p/sub` -> `@s/p`,
    `node:fs` -> `fs`), None for a relative path or URL (src/rules/mod.rs `npm_package_of`)."""
    spec = spec[5:] if spec.startswith("node:") else spec
    if not spec or spec.startswith((".", "/")) or "://" in spec:
        return None
    parts = spec.split("/")
    if spec.startswith("@"):
        return "/".join(parts[:2]) if len(parts) >= 2 else None
    return parts[0]


class Libraries:
    """queries/libraries.toml resolved the way src/rules/ resolves it: a Python module by its
    longest listed dotted prefix, an npm specifier's package by exact name and then by `x*`
    prefix in table order, a PyPI name normalised."""

    def __init__(self, queries):
        import tomllib
        self.libs = tomllib.loads((Path(queries) / "libraries.toml").read_text())["library"]
        self.python, self.npm_exact, self.npm_prefix, self.pypi = {}, {}, [], {}
        for i, lib in enumerate(self.libs):
            for m in lib.get("python", []):
                self.python[m] = i
            for n in lib.get("npm", []):
                if n.endswith("*"):
                    self.npm_prefix.append((n[:-1], i))
                else:
                    self.npm_exact[n] = i
            for n in lib.get("pypi", []):
                self.pypi[normalize_name(n)] = i

    def for_python(self, module):
        while module:
            if module in self.python:
                return self.python[module]
            module = module.rpartition(".")[0]
        return None

    def for_npm(self, spec):
        pkg = npm_package(spec)
        if pkg is None:
            return None
        if pkg in self.npm_exact:
            return self.npm_exact[pkg]
        return next((i for p, i in self.npm_prefix if pkg.startswith(p)), None)

    def for_import(self, spec, grammar):
        return self.for_python(spec) if grammar == "python" else self.for_npm(spec)

    def own(self, names):
        """The libraries a project with these first-party names is (src/score/own.rs
        `libraries`). The report does not say which table a name came from (package.json,
        a Python project name, a top-level package), so each is looked up in all three: that
        can only set apart more ast-grep matches than stackfit drops, which the file-by-file
        comparison then reports as a difference."""
        out = set()
        for n in names:
            out |= {i for i in (self.for_npm(n), self.pypi.get(normalize_name(n)), self.for_python(n))
                    if i is not None}
        for i, lib in enumerate(self.libs):
            if any("." in m and m.split(".")[0] in names for m in lib.get("python", [])):
                out.add(i)
            if any(npm_package(m) in names and npm_package(m) != m for m in lib.get("npm", [])
                   if not m.endswith("*")):
                out.add(i)
        return out


def equivalence(sf_json, ag_jsonl, out=None):
    """Signal findings (imports and queries) and friction diagnostics of stackfit, against
    ast-grep's matches, per (rule, grammar), compared file by file (occurrences per file).

    - Rules with a named context check (`context = ...`) filter their matches in Rust, which
      ast-grep cannot: for them ast-grep must report a superset (in every file, at least as
      many matches as stackfit's occurrences).
    - Import rules: stackfit does not count the project's own modules as library use
      (src/score/own.rs: the names in the report's `file_classes.first_party`, from the
      manifests and top-level packages of the scanned root, hold for the whole scan). The
      ast-grep rules cannot know them, so their import matches whose module belongs to a
      first-party name are put in a category of their own, "first-party, excluded by design",
      counted and printed; what is left must be identical to stackfit's, file by file.
    Exit 1 if any pair differs."""
    sf = json.loads(Path(sf_json).read_text())
    root = Path(sf.get("root") or ".").resolve()
    meta = rule_meta(Path(__file__).resolve().parent.parent / "queries")
    first_party = sorted(set((sf.get("file_classes") or {}).get("first_party")
                             or (sf.get("root_identity") or {}).get("first_party") or []))
    libraries = Libraries(Path(__file__).resolve().parent.parent / "queries")
    own = libraries.own(set(first_party))
    own_names = {normalize_name(n) for n in first_party}
    s_occ = collections.defaultdict(collections.Counter)  # (rule, grammar) -> path -> occurrences
    manifest = itself = 0
    items = [(f["rule"], f["path"], f.get("count", 1), f.get("message", "")) for f in sf["findings"]]
    items += [(d["code"], d["path"], 1, "") for d in sf.get("diagnostics", [])]
    for code, path, count, message in items:
        if meta.get(code, {}).get("source") not in ("import", "query"):
            manifest += 1  # dependency manifests and repo-level rules: not code patterns
            itself += message.startswith("is the ") and " library itself" in message
            continue
        s_occ[(code, grammar_of(path))][path] += count
    a_occ = collections.defaultdict(collections.Counter)
    fp_occ = collections.defaultdict(collections.Counter)  # first-party import matches
    fp_names = collections.defaultdict(collections.Counter)  # (rule, grammar) -> head -> matches
    fp_in_package = collections.Counter()  # the package directory (label/name) they are in
    fp_kind = collections.Counter()
    for line in Path(ag_jsonl).read_text().splitlines():
        if not line.strip():
            continue
        m = json.loads(line)
        code, _, grammar = m["ruleId"].partition("-")
        try:
            rel = Path(m["file"]).resolve().relative_to(root).as_posix()
        except ValueError:
            rel = m["file"]
        key = (code, grammar)
        if meta.get(code, {}).get("source") == "import" and libraries.for_import(m["text"], grammar) in own:
            # The project is this library: stackfit drops every import of it (src/score/own.rs).
            head = m["text"].split(".")[0] if grammar == "python" else npm_package(m["text"])
            kind = "own module" if normalize_name(head or "") in own_names else "same library entry"
            fp_occ[key][rel] += 1
            fp_names[key][(head, kind)] += 1
            fp_kind[kind] += 1
            fp_in_package["/".join(rel.split("/")[:2])] += 1
            continue
        a_occ[key][rel] += 1
    left_out = set()
    lo = Path(__file__).resolve().parent / "ast-grep" / "left-out.yml"
    if lo.is_file():
        for line in lo.read_text().splitlines():
            if line.startswith("  - "):
                code, grammar = line[4:].split("#")[0].split()[:2]
                left_out.add((code, grammar))
    # A .ts file uses typescript/ then javascript/ patterns: a rule left out for javascript is
    # left out for typescript too when typescript has no file of its own.
    left_out |= {(c, g2) for c, g in left_out for g2 in ("typescript", "tsx") if g == "javascript"}
    print("equivalence: left out (the translator cannot express them): "
          + (", ".join(f"{c} ({g})" for c, g in sorted(left_out)) or "none"))
    keys = sorted(k for k in set(s_occ) | set(a_occ) | set(fp_occ) if k not in left_out)
    head = ["rule", "grammar", "context", "stackfit_occurrences", "astgrep_occurrences",
            "astgrep_first_party", "stackfit_files", "astgrep_files", "files_only_stackfit",
            "files_only_astgrep", "files_count_differs", "verdict"]
    rows = ["\t".join(head)]
    tally = collections.Counter()
    ctx_s = ctx_a = 0
    problems = []
    for k in keys:
        ctx = meta.get(k[0], {}).get("context", "")
        s, a, fp = s_occ[k], a_occ[k], fp_occ[k]
        only_s = len(set(s) - set(a))
        only_a = len(set(a) - set(s))
        count_differs = sum(1 for f in set(s) & set(a) if s[f] != a[f])
        if s == a:
            verdict = "first-party, excluded by design" if fp else "identical"
        elif ctx and all(a[f] >= n for f, n in s.items()):
            verdict = "superset (context check)"
        else:
            verdict = "DIFFERENT"
        tally[verdict] += 1
        if ctx:
            ctx_s += sum(s.values())
            ctx_a += sum(a.values())
        row = [k[0], k[1], ctx, sum(s.values()), sum(a.values()), sum(fp.values()), len(s), len(a),
               only_s, only_a, count_differs, verdict]
        rows.append("\t".join(map(str, row)))
        if verdict == "DIFFERENT":
            problems.append("  differs: " + "  ".join(f"{h}={v}" for h, v in zip(head, row)))
    if out:
        Path(out).write_text("\n".join(rows) + "\n")
    plain = [k for k in keys if not meta.get(k[0], {}).get("context")]
    tot_s = sum(sum(s_occ[k].values()) for k in plain)
    tot_a = sum(sum(a_occ[k].values()) for k in plain)
    tot_fp = sum(sum(c.values()) for c in fp_occ.values())
    print(f"equivalence: {len(keys)} (rule, grammar) pairs, compared file by file: "
          f"{tally['identical']} identical; "
          f"{tally['first-party, excluded by design']} identical once ast-grep's first-party import "
          f"matches are set apart; {tally['superset (context check)']} pairs of rules with a context "
          f"check where ast-grep reports the superset the check filters ({ctx_a} matches, stackfit "
          f"keeps {ctx_s}); {tally['DIFFERENT']} different. Rules without a context check: {tot_s} "
          f"stackfit occurrences, {tot_a} ast-grep matches (+ {tot_fp} first-party). "
          f"({manifest} stackfit findings from manifests and repo-level rules left out.)")
    print(f"equivalence: first-party names in stackfit's report ({len(first_party)}): "
          + (", ".join(first_party) or "none"))
    print(f"equivalence: first-party libraries (the library-table entries those names are): "
          + (", ".join(libraries.libs[i]["name"] for i in sorted(own)) or "none"))
    print(f"equivalence: first-party, excluded by design: {tot_fp} ast-grep import matches that "
          f"resolve to a first-party library, which stackfit does not count as library use "
          f"(it reports {itself} 'is the ... library itself' findings instead): "
          f"{fp_kind['own module']} of the project's own modules, {fp_kind['same library entry']} "
          f"of other modules listed in the same library entry")
    for k in sorted(k for k in fp_occ if fp_occ[k]):
        names = ", ".join(f"{n} {c}" + (" [same entry]" if kind == "same library entry" else "")
                          for (n, kind), c in fp_names[k].most_common())
        print(f"  first-party: {k[0]} ({k[1]}): {sum(fp_occ[k].values())} matches in "
              f"{len(fp_occ[k])} files ({names})")
    for pkg, c in fp_in_package.most_common():
        print(f"  first-party: in {pkg}: {c} matches")
    for p in problems:
        print(p)
    return tally["DIFFERENT"] == 0


def summary(hf_json, rss_tsv):
    res = {r["command"]: r for r in json.loads(Path(hf_json).read_text())["results"]}
    rss = {}
    for line in Path(rss_tsv).read_text().splitlines():
        name, kb = line.split("\t")
        rss[name] = int(kb)

    def m(name):
        return res[name]["mean"]

    def cpu(name):
        return res[name]["user"] + res[name]["system"]

    print()
    print(f"{'command':<22} {'mean s':>7} {'± s':>5} {'min s':>6} {'max s':>6} {'CPU s':>6} {'peak RSS MB':>11}")
    for name, r in res.items():
        mb = rss.get(name)
        print(f"{name:<22} {r['mean']:7.2f} {r['stddev'] or 0:5.2f} {r['min']:6.2f} {r['max']:6.2f} "
              f"{cpu(name):6.2f} {mb / 1024 if mb else float('nan'):11.1f}")
    print("(wall-clock mean/min/max over the runs; CPU s = mean user + system time)")
    print()
    pairs = [("ast-grep-default", "stackfit-default", 2.0, "as each runs by default (ast-grep without files over 1 MiB)"),
             ("ast-grep-same-files", "stackfit-same-files", 3.0, "on exactly the same files")]
    ok = True
    for a, s, target, what in pairs:
        if a in res and s in res:
            ratio = m(a) / m(s)
            good = ratio >= target
            ok &= good
            print(f"stackfit is {ratio:.2f}x faster than ast-grep {what} (wall, mean; "
                  f"min/min {res[a]['min'] / res[s]['min']:.2f}x; CPU time {cpu(a) / cpu(s):.2f}x) "
                  f"target >= {target:g}x: {'met' if good else 'NOT met'}")
    if "stackfit-parse-only" in res and "stackfit-same-files" in res:
        s, p = "stackfit-same-files", "stackfit-parse-only"
        ratio = m(s) / m(p)
        good = ratio <= 1.0
        ok &= good
        print(f"stackfit / parse-only floor: {ratio:.2f} x (wall, mean; min/min "
              f"{res[s]['min'] / res[p]['min']:.2f}x; CPU time {cpu(s) / cpu(p):.2f}x) "
              f"target <= 1.0x: {'met' if good else 'NOT met'}")
    for name in ("stackfit-default", "stackfit-same-files"):
        if name in rss:
            mb = rss[name] / 1024
            good = mb < 60
            ok &= good
            print(f"{name} peak RSS {mb:.1f} MB (target < 60 MB): {'met' if good else 'NOT met'}")
    for name in ("ast-grep-default", "ast-grep-same-files", "stackfit-parse-only"):
        if name in rss:
            print(f"{name} peak RSS {rss[name] / 1024:.1f} MB")
    return ok


def _first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}"
            d = _first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path} (length {len(a)} vs {len(b)})"
        for i, (x, y) in enumerate(zip(a, b)):
            d = _first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else path


def prefilter(stackfit, *dirs):
    """Prefilter on vs off: identical reports (findings, diagnostics, verdict, stats)."""
    bad = 0
    for d in dirs:
        for extra in ([], ["--include-generated"]):
            reports = []
            for flag in ([], ["--no-prefilter"]):
                res = subprocess.run([stackfit, "scan", d, "--format", "json", *extra, *flag],
                                     capture_output=True, text=True)
                if res.returncode == 2:
                    reports.append(("error", res.stderr))
                    continue
                rep = json.loads(res.stdout)
                rep.get("stats", {}).pop("elapsed_ms", None)
                reports.append(("ok", rep))
            on, off = reports
            label = f"{d} {' '.join(extra)}".strip()
            if on == off:
                st = on[1]["stats"] if on[0] == "ok" else {}
                print(f"prefilter: identical: {label} ({st.get('files_scanned', '?')} files, "
                      f"{len(on[1].get('findings', [])) if on[0] == 'ok' else 0} findings, "
                      f"{len(on[1].get('diagnostics', [])) if on[0] == 'ok' else 0} diagnostics)")
            else:
                bad += 1
                where = _first_difference(on[1], off[1]) if on[0] == off[0] == "ok" else "exit status"
                print(f"prefilter: DIFFERENT: {label}: first difference at {where}")
    print(f"prefilter: {bad} difference(s)")
    if bad:
        sys.exit(1)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "sameset":
        sameset(*args)
    elif cmd == "equivalence":
        if not equivalence(*args):
            sys.exit(1)
    elif cmd == "summary":
        summary(*args)
    elif cmd == "prefilter":
        prefilter(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
