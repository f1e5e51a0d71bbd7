"""Runs every SQL query of docs/dashboards.md in DuckDB on fixture reports and checks the answers.

The queries are taken from the document's ```sql blocks (each starts with `-- query: NAME`), so
the document and the test cannot drift: a query added to the document without a check here
fails, and so does a check whose query is gone. The expected answers are computed from the same
JSON in plain Python.

Usage: python tests/dashboards/test_duckdb.py   (STACKFIT names the binary; default
target/debug/stackfit under CARGO_TARGET_DIR or ./target). Needs the `duckdb` package.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "dashboards.md"
FIXTURES = [
    "py-chat-server",
    "ml-dashboard",
    "node-cli-tool",
    "monorepo-fullstack",
    "ws-library",
    "py-dataviz-react",
    "js-tfjs-trainer",
    "metadata-neutral",
    "friction-python",
]


def binary():
    if os.environ.get("STACKFIT"):
        return os.environ["STACKFIT"]
    target = os.environ.get("CARGO_TARGET_DIR", str(REPO / "target"))
    return str(Path(target) / "debug" / "stackfit")


def queries():
    """NAME -> SQL, from the document's ```sql blocks."""
    text = DOC.read_text()
    out = {}
    for block in re.findall(r"```sql\n(.*?)```", text, re.S):
        m = re.match(r"-- query: (\w+)\n", block)
        assert m, f"an sql block without `-- query: NAME`:\n{block}"
        assert m.group(1) not in out, f"query {m.group(1)} twice"
        out[m.group(1)] = block
    return out


def scan(name):
    out = subprocess.run(
        [binary(), "scan", f"fixtures/{name}", "--format", "json", "--fail-on", "none"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def write(path, docs):
    with open(path, "w") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")


def verdict_docs(docs):
    return [d for d in docs if d.get("verdict")]


def check_verdicts(rows, now):
    c = Counter(d["verdict"]["profile"] for d in verdict_docs(now))
    want = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    assert rows == want, (rows, want)
    assert len(rows) >= 3


def check_mismatches(rows, now):
    want = sorted(
        (
            (d["root"], d["verdict"]["profile"], d["verdict"]["implementation_language"],
             d["verdict"]["confidence"], d["verdict"]["summary"])
            for d in verdict_docs(now)
            if d["verdict"]["mismatch"]
        ),
        key=lambda r: (-r[3], r[0]),
    )
    assert rows == want, (rows, want)
    assert len(rows) >= 2


def check_traits(rows, now):
    stats = {}
    for d in verdict_docs(now):
        for t in d["traits"]:
            s = stats.setdefault(t["id"], {"name": t["name"], "n": 0, "opened": 0, "scores": []})
            s["scores"].append(t["score"])
            s["n"] += t["score"] > 0
            s["opened"] += t["id"] in d["verdict"]["opened_by"]
    want = [
        (i, s["name"], s["n"], s["opened"], round(sum(s["scores"]) / len(s["scores"]), 3))
        for i, s in stats.items()
        if s["n"] > 0
    ]
    want.sort(key=lambda r: (-r[2], -r[4], r[0]))
    got = [(r[0], r[1], r[2], r[3], round(r[4], 3)) for r in rows]
    assert got == want, (got, want)


def check_diagnostics(rows, now):
    n, repos, sev = Counter(), {}, {}
    for d in verdict_docs(now):
        for x in d["diagnostics"]:
            n[(x["code"], x["severity"])] += 1
            repos.setdefault((x["code"], x["severity"]), set()).add(d["root"])
    want = sorted(
        ((c, s, k, len(repos[(c, s)])) for (c, s), k in n.items()),
        key=lambda r: (-r[2], r[0]),
    )
    assert rows == want, (rows, want)
    assert rows, "no diagnostics in the fixtures"


def check_trend(rows, before, now):
    b = Counter(d["verdict"]["profile"] for d in verdict_docs(before))
    n = Counter(d["verdict"]["profile"] for d in verdict_docs(now))
    want = [(p, b[p], n[p]) for p in sorted(set(b) | set(n))]
    assert rows == want, (rows, want)


def check_changes(rows, before, now):
    b = {d["root"]: d["verdict"]["profile"] for d in verdict_docs(before)}
    n = {d["root"]: d["verdict"]["profile"] for d in verdict_docs(now)}
    want = []
    for root in sorted(set(b) | set(n)):
        if b.get(root) != n.get(root):
            change = "new" if root not in b else "removed" if root not in n else "changed"
            want.append((root, b.get(root), n.get(root), change))
    assert rows == want, (rows, want)
    assert {r[3] for r in rows} == {"new", "removed", "changed"}, rows


CHECKS = {
    "verdicts": lambda rows, b, n: check_verdicts(rows, n),
    "mismatches": lambda rows, b, n: check_mismatches(rows, n),
    "traits": lambda rows, b, n: check_traits(rows, n),
    "diagnostics": lambda rows, b, n: check_diagnostics(rows, n),
    "trend": check_trend,
    "changes": check_changes,
}


def main():
    docs = [scan(f) for f in FIXTURES]
    # now: every fixture plus an error line; before: the first had another verdict, the last
    # was not there yet, and a retired repository was.
    now = docs + [{"root": "/missing/repo", "error": "cannot scan: no such file or directory"}]
    first = dict(docs[0], verdict=dict(docs[0]["verdict"], profile="python", mismatch=False))
    retired = dict(docs[1], root="fixtures/retired-service")
    before = [first] + docs[1:-1] + [retired]
    qs = queries()
    missing = set(CHECKS) - set(qs)
    unchecked = set(qs) - set(CHECKS)
    assert not missing, f"checks without a query in the doc: {missing}"
    assert not unchecked, f"queries in the doc without a check: {unchecked}"
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        write(f"{tmp}/org.ndjson", now)
        write(f"{tmp}/now.ndjson", now)
        write(f"{tmp}/before.ndjson", before)
        os.chdir(tmp)
        for name, sql in qs.items():
            try:
                rows = duckdb.connect().sql(sql).fetchall()
                CHECKS[name](rows, before, now)
                print(f"ok   {name}: {len(rows)} rows")
                passed += 1
            except Exception as e:  # noqa: BLE001 - report every query, then fail
                print(f"FAIL {name}: {e}")
                failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
