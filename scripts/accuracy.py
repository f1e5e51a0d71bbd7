#!/usr/bin/env python3
"""Accuracy table for docs/accuracy.md: runs stackfit on every package of the corpus laid out
by ../shared/corpus/fetch.sh (DIR/<label>/<name>/) and prints a Markdown table of expected
label, verdict, confidence, scores and the strongest traits. Standard library only.

usage: scripts/accuracy.py CORPUS_DIR [STACKFIT_BINARY]
"""
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    corpus = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/stackfit"
    rows, right, swaps, total = [], 0, 0, 0
    for label in sorted(os.listdir(corpus)):
        ldir = os.path.join(corpus, label)
        if not os.path.isdir(ldir):
            continue
        for name in sorted(os.listdir(ldir)):
            out = subprocess.run(
                [binary, "scan", os.path.join(ldir, name), "--format", "json"],
                capture_output=True, text=True, check=False,
            )
            if out.returncode != 0:
                rows.append(f"| {name} | {label} | error | | | | {out.stderr.strip()} |")
                continue
            r = json.loads(out.stdout)
            v = r["verdict"]
            total += 1
            ok = v["profile"] == label
            right += ok
            swap = {label, v["profile"]} == {"node", "python"}
            swaps += swap
            traits = sorted((t for t in r["traits"] if t["score"] > 0), key=lambda t: -t["score"])
            top = ", ".join(f'{t["id"]} {t["score"]:.2f}' for t in traits[:4])
            mark = "yes" if ok else ("**SWAP**" if swap else "no")
            comps = r.get("components") or []
            comp = f' ({len(comps)} components)' if len(comps) > 1 else ""
            rows.append(
                f'| {name} | {label} | {v["profile"]}{comp} | {mark} | {v["confidence"]:.2f} '
                f'| {v["node_score"]:.2f} / {v["python_score"]:.2f} '
                f'| {v["implementation_language"] or "-"}{" (mismatch)" if v["mismatch"] else ""} | {top} |'
            )
    print("| package | expected | verdict | right | confidence | node / python | language | strongest traits |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(f"{right} of {total} right; {swaps} node/python swaps.")


if __name__ == "__main__":
    main()
