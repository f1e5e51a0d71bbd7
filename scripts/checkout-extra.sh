#!/usr/bin/env bash
# Lays out the repositories of a repos.tsv-shaped TSV (default: scripts/extra-repos.tsv) from
# fetched mirrors (MIRRORS/<owner>+<name>/repo, as the search tool's fetch leaves them) into
# DEST/<name>/ at the pinned commit (HEAD when the mirror lacks it). Blobs the mirror lacks (very
# large files) are skipped. Checkouts stay outside the repository: never commit them.
# usage: checkout-extra.sh MIRRORS DEST [TSV]
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirrors=${1:?usage: checkout-extra.sh MIRRORS DEST [TSV]}
dest=${2:?usage: checkout-extra.sh MIRRORS DEST [TSV]}
tsv=${3:-$here/extra-repos.tsv}
mkdir -p "$dest"
grep -v '^#' "$tsv" | tail -n +2 | while IFS=$'\t' read -r name repo commit _; do
  [ -n "$name" ] || continue
  m=$mirrors/${repo/\//+}/repo
  [ -d "$m" ] || { echo "missing mirror: fetch github:$repo first"; continue; }
  [ -d "$dest/$name" ] && continue
  c=$commit
  git --git-dir="$m" cat-file -e "$c^{commit}" 2>/dev/null || { c=HEAD; echo "$name: pinned commit absent, using HEAD"; }
  tmp=$dest/.$name.partial
  rm -rf "$tmp" && mkdir -p "$tmp"
  # Blob by blob rather than `git archive`: archive stops at the first blob the mirror lacks and
  # drops paths marked export-ignore in .gitattributes (often tests and benchmarks), and both
  # change what a scan sees.
  python3 - "$m" "$c" "$tmp" "$dest/$name" <<'PY'
import os, subprocess, sys
gd, commit, dest, final = sys.argv[1:5]
out = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "-z", commit],
                     capture_output=True, check=False).stdout
cat = subprocess.Popen(["git", "--git-dir", gd, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
files = missing = 0
for rec in out.split(b"\0"):
    if not rec:
        continue
    meta, path = rec.split(b"\t", 1)
    mode, typ, sha = meta.split()
    if typ != b"blob" or mode == b"120000":  # symlinks are not followed into the checkout
        continue
    cat.stdin.write(sha + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline()
    if header.endswith(b"missing\n"):
        missing += 1
        continue
    data = cat.stdout.read(int(header.split()[2]))
    cat.stdout.read(1)
    fp = os.path.join(dest.encode(), path)
    os.makedirs(os.path.dirname(fp), exist_ok=True)
    with open(fp, "wb") as f:
        f.write(data)
    files += 1
cat.stdin.close()
cat.wait()
print(f"{final}: {files} files at {commit}, {missing} missing blobs skipped")
PY
  mv "$tmp" "$dest/$name"
done
