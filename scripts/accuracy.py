#!/usr/bin/env python3
"""Accuracy tables for docs/accuracy.md: runs stackfit on labelled checkouts and prints Markdown.

Sets of projects, each with an expected label (node, python, mixed or neutral):
  --packages DIR     packages unpacked by ../shared/corpus/fetch.sh as DIR/<label>/<name>/
                     (with --packages-tsv TSV, packages listed there but absent are error rows)
  --repos TSV=DIR    repositories listed in TSV (the columns of ../shared/corpus/repos.tsv:
                     name, repo, commit, label, main_language, evidence, notes, also), checked
                     out as DIR/<name>/. Repeatable; each TSV is one set, named after its file.

A verdict in {label} and the TSV's `also` labels is right. For each set it prints one row per
project, the per-class results, a confusion matrix, the node/python swaps, a calibration table
(confidence buckets against accuracy) and the misses with their strongest evidence; then the
same over all sets together. A scan that fails or times out is a row with the error.

Exit code: 0 when the report was written (misses included), 2 on bad usage.
Standard library only.

usage: scripts/accuracy.py [--bin target/release/stackfit] [--packages DIR [--packages-tsv TSV]]
                           [--repos TSV=DIR ...] [--json OUT] [--jobs 2] [--timeout 300]
"""
import argparse
import concurrent.futures
import csv
import json
import os
import signal
import subprocess
import sys

CLASSES = ["node", "python", "mixed", "neutral"]
VERDICT_COLUMNS = CLASSES + ["other"]
BUCKETS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0)]


# ---------------------------------------------------------------------------------------------
# Reading the sets


class Project:
    """One labelled checkout to scan, and after the scan its outcome."""

    def __init__(self, name, path, label, also=(), note=""):
        self.name, self.path, self.label = name, path, label
        self.also = [a for a in also if a and a != label]
        self.note = note
        self.result = None  # dict read from the JSON report
        self.error = None  # why there is no result

    @property
    def accepted(self):
        return [self.label] + self.also


def split_labels(text):
    """`also` may hold several labels: 'python', 'python,mixed', 'python mixed'."""
    for sep in ",;/|":
        text = text.replace(sep, " ")
    return [t.strip().lower() for t in text.split() if t.strip()]


def read_tsv(path):
    """Rows of a repos.tsv-shaped file as dicts; `#` lines are comments, the first line a header."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    return [dict(zip(header, (c.strip() for c in r))) for r in rows[1:] if any(c.strip() for c in r)]


def package_dir_name(package):
    """The directory fetch.sh gives a package: `/` becomes `__`, `@` is dropped."""
    return package.replace("/", "__").replace("@", "")


def packages_set(directory, tsv=None):
    projects = []
    for label in sorted(os.listdir(directory)):
        ldir = os.path.join(directory, label)
        if not os.path.isdir(ldir) or label.startswith("."):
            continue
        for name in sorted(os.listdir(ldir)):
            if os.path.isdir(os.path.join(ldir, name)) and not name.startswith("."):
                projects.append(Project(name, os.path.join(ldir, name), label))
    if tsv:
        # packages.tsv has no header line: registry, package, version, label, language, why.
        seen = {(p.label, p.name) for p in projects}
        with open(tsv, encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if line.startswith("#") or len(cols) < 4:
                    continue
                name, label = package_dir_name(cols[1]), cols[3].strip()
                if (label, name) not in seen:
                    p = Project(name, os.path.join(directory, label, name), label)
                    p.error = "not fetched: run ../shared/corpus/fetch.sh"
                    projects.append(p)
    order = {c: i for i, c in enumerate(CLASSES)}
    projects.sort(key=lambda p: (order.get(p.label, len(order)), p.name))
    return projects


def repos_set(tsv, directory):
    projects = []
    for row in read_tsv(tsv):
        name = row.get("name", "")
        label = row.get("label", "").lower()
        if not name or not label:
            continue
        p = Project(name, os.path.join(directory, name), label, split_labels(row.get("also", "")))
        if not os.path.isdir(p.path):
            p.error = f"no checkout at {p.path}"
        projects.append(p)
    return projects


# ---------------------------------------------------------------------------------------------
# Scanning


def scan(binary, project, timeout, threads):
    """Runs one scan; sets project.result or project.error. Never raises."""
    if project.error:
        return project
    cmd = [binary, "scan", project.path, "--format", "json"]
    if threads:
        cmd += ["--threads", str(threads)]
    try:
        # Its own session, so a timeout ends the scan and anything it started, and only that.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                errors="replace", start_new_session=True)
    except OSError as e:
        project.error = f"could not run {binary}: {e}"
        return project
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        proc.communicate()
        project.error = f"timeout after {timeout} s"
        return project
    try:
        doc = json.loads(stdout)
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("verdict"), dict):
        err = (stderr or stdout or "").strip().splitlines()
        project.error = f"exit {proc.returncode}: " + (err[-1] if err else "no JSON report")
        return project
    project.result = doc
    return project


def scan_all(binary, projects, jobs, timeout, threads):
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(scan, binary, p, timeout, threads) for p in projects]
        for fut in concurrent.futures.as_completed(futures):
            done += 1
            p = fut.result()
            state = p.error or verdict_of(p)
            print(f"[{done}/{len(projects)}] {p.name}: {state}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Reading a report defensively: today's fields, and the ones issue 9 adds when present


def num(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def verdict_of(p):
    if p.result is None:
        return "error"
    profile = p.result["verdict"].get("profile")
    return profile if isinstance(profile, str) and profile else "unknown"


def confidence_of(p):
    return None if p.result is None else num(p.result["verdict"].get("confidence"))


def is_right(p):
    return p.result is not None and verdict_of(p) in p.accepted


def is_swap(p):
    v = verdict_of(p)
    return (p.result is not None and not is_right(p) and p.label in ("node", "python")
            and v in ("node", "python") and v != p.label)


def mark(p):
    if p.result is None:
        return "error"
    if is_right(p):
        return "yes"
    return "**SWAP**" if is_swap(p) else "no"


def traits_of(p):
    traits = p.result.get("traits") if p.result else None
    return [t for t in traits if isinstance(t, dict)] if isinstance(traits, list) else []


def trait_class(t):
    """`domain` or `generic` when the report says so (field name not fixed yet)."""
    for key in ("evidence_class", "class", "kind"):
        v = t.get(key)
        if isinstance(v, str) and v:
            return v
    return None


def trait_label(t):
    parts = [f"{t.get('id', '?')} {num(t.get('score')) or 0:.2f}"]
    extra = []
    share = num(t.get("share"))
    if share is not None:
        extra.append(f"share {share:.2f}")
    cls = trait_class(t)
    if cls:
        extra.append(cls)
    if extra:
        parts.append("(" + ", ".join(extra) + ")")
    return " ".join(parts)


def top_traits(p, n=4):
    ts = [t for t in traits_of(p) if (num(t.get("score")) or 0) > 0]
    ts.sort(key=lambda t: -(num(t.get("score")) or 0))
    return ts[:n]


def opened_by(p):
    """The traits that opened the verdict (verdict.opened_by), as ids; None when not reported."""
    if p.result is None:
        return None
    raw = p.result["verdict"].get("opened_by")
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [raw]
    ids = []
    for it in items:
        if isinstance(it, str):
            ids.append(it)
        elif isinstance(it, dict):
            tid = it.get("id") or it.get("trait")
            if isinstance(tid, str):
                share = num(it.get("share"))
                ids.append(f"{tid} {share:.2f}" if share is not None else tid)
    return ids


def file_classes(p):
    """File-class counts ({product: n, test: n, ...}) wherever the report keeps them."""
    if p.result is None:
        return None
    for holder in (p.result, p.result.get("verdict"), p.result.get("stats")):
        if isinstance(holder, dict):
            fc = holder.get("file_classes")
            if isinstance(fc, dict):
                counts = fc.get("counts") if isinstance(fc.get("counts"), dict) else fc
                out = {k: v for k, v in counts.items() if num(v) is not None}
                if out:
                    return out
    return None


def top_evidence(t, n=2):
    ev = t.get("top_evidence")
    if not isinstance(ev, list):
        return []
    out = []
    for e in ev[:n]:
        if isinstance(e, dict) and e.get("path"):
            out.append(f"{e.get('rule', '?')} {e['path']}:{e.get('line', '?')}")
    return out


# ---------------------------------------------------------------------------------------------
# Markdown


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_conf(c):
    return "-" if c is None else f"{c:.2f}"


def expected_text(p):
    return p.label + (f" (or {', '.join(p.also)})" if p.also else "")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def rows_table(projects):
    with_classes = any(file_classes(p) for p in projects)
    with_opened = any(opened_by(p) is not None for p in projects)
    header = ["project", "expected", "verdict", "right", "confidence", "node / python", "language"]
    header += ["opened by"] if with_opened else []
    header += ["strongest traits"]
    header += ["file classes"] if with_classes else []
    rows = []
    for p in projects:
        if p.result is None:
            r = [p.name, expected_text(p), "error", "error", "-", "-", "-"]
            r += ["-"] if with_opened else []
            r += [p.error]
            r += ["-"] if with_classes else []
            rows.append(r)
            continue
        v = p.result["verdict"]
        comps = p.result.get("components")
        ncomp = len(comps) if isinstance(comps, list) else 0
        verdict = verdict_of(p) + (f" ({ncomp} components)" if ncomp > 1 else "")
        ns, ps = num(v.get("node_score")), num(v.get("python_score"))
        scores = f"{ns or 0:.2f} / {ps or 0:.2f}"
        lang = v.get("implementation_language")
        lang = (lang if isinstance(lang, str) and lang else "-") + (
            " (mismatch)" if v.get("mismatch") is True else "")
        r = [p.name, expected_text(p), verdict, mark(p), fmt_conf(confidence_of(p)), scores, lang]
        if with_opened:
            ob = opened_by(p)
            r.append(", ".join(ob) if ob else "-")
        r.append(", ".join(trait_label(t) for t in top_traits(p)) or "-")
        if with_classes:
            fc = file_classes(p) or {}
            r.append(", ".join(f"{k} {fc[k]}" for k in sorted(fc, key=lambda k: -fc[k])) or "-")
        rows.append(r)
    return table(header, rows)


def per_class(projects):
    rows = []
    for c in CLASSES + sorted({p.label for p in projects} - set(CLASSES)):
        ps = [p for p in projects if p.label == c]
        if not ps:
            continue
        right = sum(is_right(p) for p in ps)
        errors = sum(p.result is None for p in ps)
        rows.append([c, f"{right} of {len(ps)}", f"{100 * right / len(ps):.0f}%",
                     str(errors) if errors else ""])
    total = len(projects)
    right = sum(is_right(p) for p in projects)
    errors = sum(p.result is None for p in projects)
    pct = f"{100 * right / total:.0f}%" if total else "-"
    rows.append(["**all**", f"**{right} of {total}**", pct, str(errors) if errors else ""])
    return table(["class", "right", "%", "scan errors"], rows)


def confusion(projects):
    counts = {}
    for p in projects:
        if p.result is None:
            col = "error"
        else:
            v = verdict_of(p)
            col = v if v in CLASSES else "other"
        counts[(p.label, col)] = counts.get((p.label, col), 0) + 1
    columns = VERDICT_COLUMNS + (["error"] if any(p.result is None for p in projects) else [])
    rows = []
    for c in CLASSES:
        r = [f"**{c}**"]
        for col in columns:
            n = counts.get((c, col), 0)
            r.append((f"**{n}**" if col == c else str(n)) if n else "·")
        rows.append(r)
    return table(["expected \\ verdict"] + columns, rows)


def bucket_of(c):
    for i, (lo, hi) in enumerate(BUCKETS):
        if lo <= c < hi or (i == len(BUCKETS) - 1 and c >= lo):
            return i
    return 0  # below 0: only a broken report


def calibration_rows(projects):
    scanned = [p for p in projects if p.result is not None]
    stats = [[0, 0] for _ in BUCKETS]
    unknown = [0, 0]
    for p in scanned:
        c = confidence_of(p)
        slot = unknown if c is None else stats[bucket_of(c)]
        slot[0] += 1
        slot[1] += is_right(p)
    out = []
    for i, (lo, hi) in enumerate(BUCKETS):
        n, r = stats[i]
        name = f"[{lo:.1f}, {hi:.1f}" + ("]" if i == len(BUCKETS) - 1 else ")")
        out.append((name, n, r))
    if unknown[0]:
        out.append(("no confidence", unknown[0], unknown[1]))
    return out


def calibration(sets):
    """sets: [(name, projects)]; one count/right pair of columns per set."""
    header = ["confidence"]
    for name, _ in sets:
        header += [f"{name}: n", f"{name}: right"]
    cols = [calibration_rows(ps) for _, ps in sets]
    rows = []
    for i, first in enumerate(cols[0]):
        r = [first[0]]
        for col in cols:
            _, n, right = col[i] if i < len(col) else ("", 0, 0)
            r += [str(n), f"{right} ({100 * right / n:.0f}%)" if n else "-"]
        rows.append(r)
    return table(header, rows)


def misses(projects):
    rows = []
    for p in projects:
        if is_right(p):
            continue
        if p.result is None:
            rows.append([p.name, expected_text(p), "error", "-", p.error, "-"])
            continue
        tops = top_traits(p, 3)
        ev = "; ".join(f"{t.get('id')}: " + ", ".join(top_evidence(t)) for t in tops if top_evidence(t))
        ob = opened_by(p)
        traits = ", ".join(trait_label(t) for t in tops)
        if ob:
            traits = f"opened by {', '.join(ob)}" + (f"; {traits}" if traits else "")
        rows.append([p.name + (" **SWAP**" if is_swap(p) else ""), expected_text(p), verdict_of(p),
                     fmt_conf(confidence_of(p)), traits or "-", ev or "-"])
    if not rows:
        return "No misses."
    return table(["project", "expected", "got", "confidence", "top traits", "top evidence"], rows)


def summary_line(projects):
    right = sum(is_right(p) for p in projects)
    swaps = sum(is_swap(p) for p in projects)
    errors = sum(p.result is None for p in projects)
    s = f"{right} of {len(projects)} right; {swaps} node↔python swap{'s' if swaps != 1 else ''}"
    return s + (f"; {errors} scan error{'s' if errors != 1 else ''}." if errors else ".")


def report_set(name, projects):
    out = [f"## {name} ({len(projects)} projects)", "", summary_line(projects), "",
           rows_table(projects), "", f"### {name}: per class", "", per_class(projects), "",
           f"### {name}: confusion matrix (rows expected, columns verdict)", "",
           confusion(projects), "",
           f"node↔python swaps: {sum(is_swap(p) for p in projects)}", "",
           f"### {name}: calibration", "", calibration([(name, projects)]), "",
           f"### {name}: misses", "", misses(projects), ""]
    return "\n".join(out)


def report_all(sets):
    everything = [p for _, ps in sets for p in ps]
    named = [("all", everything)] + (sets if len(sets) > 1 else [])
    out = [f"## All sets ({len(everything)} projects)", "", summary_line(everything), ""]
    for name, ps in sets:
        out.append(f"- {name}: {summary_line(ps)}")
    out += ["", "### all: per class", "", per_class(everything), "",
            "### all: confusion matrix (rows expected, columns verdict)", "", confusion(everything),
            "", f"node↔python swaps: {sum(is_swap(p) for p in everything)}", "",
            "### calibration: all sets together and per set", "", calibration(named), ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# JSON


def project_json(p):
    d = {"name": p.name, "path": p.path, "expected": p.label, "also": p.also,
         "verdict": verdict_of(p), "right": is_right(p), "swap": is_swap(p),
         "confidence": confidence_of(p), "error": p.error}
    if p.result is not None:
        v = p.result["verdict"]
        d["node_score"] = num(v.get("node_score"))
        d["python_score"] = num(v.get("python_score"))
        d["opened_by"] = opened_by(p)
        d["file_classes"] = file_classes(p)
        d["traits"] = [{"id": t.get("id"), "score": num(t.get("score")),
                        "share": num(t.get("share")), "class": trait_class(t),
                        "top_evidence": top_evidence(t, 5)} for t in top_traits(p, 14)]
    return d


def stats_json(projects):
    per = {}
    for c in CLASSES:
        ps = [p for p in projects if p.label == c]
        per[c] = {"right": sum(is_right(p) for p in ps), "total": len(ps)}
    return {"right": sum(is_right(p) for p in projects), "total": len(projects),
            "swaps": sum(is_swap(p) for p in projects),
            "errors": sum(p.result is None for p in projects), "per_class": per,
            "calibration": [{"bucket": b, "count": n, "right": r}
                            for b, n, r in calibration_rows(projects)]}


# ---------------------------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Accuracy tables for docs/accuracy.md (Markdown on stdout).",
        epilog="Exit code 0 when the report was written, misses included; 2 on bad usage.")
    ap.add_argument("--bin", default="target/release/stackfit", help="stackfit binary")
    ap.add_argument("--packages", metavar="DIR", help="packages laid out as DIR/<label>/<name>/")
    ap.add_argument("--packages-tsv", metavar="TSV",
                    help="packages.tsv: its packages missing from DIR become error rows")
    ap.add_argument("--repos", metavar="TSV=DIR", action="append", default=[],
                    help="a repos.tsv-shaped TSV and the directory of its checkouts (repeatable)")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    ap.add_argument("--jobs", type=int, default=2, help="scans run at once (default 2)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per scan (default 300)")
    ap.add_argument("--scan-threads", type=int, default=1,
                    help="--threads given to each scan (default 1; 0: stackfit's default)")
    args = ap.parse_args(argv)
    if not args.packages and not args.repos:
        ap.error("give --packages DIR and/or --repos TSV=DIR")
    if args.packages_tsv and not args.packages:
        ap.error("--packages-tsv needs --packages")
    if args.jobs < 1 or args.timeout < 1 or args.scan_threads < 0:
        ap.error("--jobs and --timeout must be positive, --scan-threads not negative")
    if args.packages and not os.path.isdir(args.packages):
        ap.error(f"--packages: no directory {args.packages}")
    if args.packages_tsv and not os.path.isfile(args.packages_tsv):
        ap.error(f"--packages-tsv: no file {args.packages_tsv}")
    repos = []
    for spec in args.repos:
        tsv, sep, directory = spec.partition("=")
        if not sep or not tsv or not directory:
            ap.error(f"--repos takes TSV=DIR, not {spec!r}")
        if not os.path.isfile(tsv):
            ap.error(f"--repos: no file {tsv}")
        if not os.path.isdir(directory):
            ap.error(f"--repos: no directory {directory}")
        repos.append((tsv, directory))
    args.repos = repos
    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        ap.error(f"--bin: {args.bin} is not an executable file (cargo build --release?)")
    return args


def set_name(tsv, taken):
    base = os.path.splitext(os.path.basename(tsv))[0] or "repos"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    return name


def binary_version(binary):
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30,
                             check=False)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sets = []
    try:
        if args.packages:
            sets.append(("packages", packages_set(args.packages, args.packages_tsv)))
        for tsv, directory in args.repos:
            sets.append((set_name(tsv, {n for n, _ in sets}), repos_set(tsv, directory)))
    except (OSError, UnicodeDecodeError) as e:
        print(f"accuracy.py: {e}", file=sys.stderr)
        return 2
    everything = [p for _, ps in sets for p in ps]
    scan_all(args.bin, everything, args.jobs, args.timeout, args.scan_threads)
    out = [f"<!-- scripts/accuracy.py; binary: {binary_version(args.bin)} -->", ""]
    out += [report_set(name, ps) for name, ps in sets]
    out.append(report_all(sets))
    print("\n".join(out))
    if args.json:
        doc = {"binary": binary_version(args.bin),
               "sets": [{"name": n, "summary": stats_json(ps),
                         "projects": [project_json(p) for p in ps]} for n, ps in sets],
               "all": stats_json(everything)}
        try:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")
        except OSError as e:
            print(f"accuracy.py: cannot write {args.json}: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
