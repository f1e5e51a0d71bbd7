#!/usr/bin/env bash
# Where stackfit's time goes, measured on a patched COPY of the engine (the worktree is not
# touched; see bench/profile_patch.py). Run bench/run.sh first: it builds the same-file set
# bench/out/same that this profiles. Takes about 5 minutes (one extra release build of the copy,
# then single-threaded runs, so CPU time is not blurred by the parallel walk).
#
# Prints: CPU seconds for read-only / parse-only / parse+kind_id visitor / parse+query, the
# per-file parse vs query split by language, the slowest files, and the query compilation cost
# per grammar. Results in bench/out/profile/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
same=${1:-$here/out/same}
runs=${PROFILE_RUNS:-3}
out=$here/out/profile
copy=$out/src-copy
mkdir -p "$out"
[[ -d $same ]] || { echo "profile.sh: no $same (run bench/run.sh first)" >&2; exit 2; }

rm -rf "$copy" && mkdir -p "$copy"
cp -r "$root/Cargo.toml" "$root/Cargo.lock" "$root/build.rs" "$root/src" "$root/queries" "$copy/"
python3 "$here/profile_patch.py" "$copy"
(cd "$copy" && CARGO_TARGET_DIR=$out/target cargo build --release --quiet) 2> "$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
bin=$out/target/release/stackfit

best_cpu() { # best (min) user+sys seconds over $runs runs of: STACKFIT_PROF=$1 stackfit scan ... -j 1
  local best=
  for _ in $(seq "$runs"); do
    t=$( { STACKFIT_PROF=$1 /usr/bin/time -f '%U %S' "$bin" scan "$same" --format json -j 1 >/dev/null; } 2>&1 | tail -n 1 | awk '{print $1 + $2}')
    best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
  done
  echo "$best"
}
{
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "single thread (-j 1), best of $runs, CPU seconds (user+sys) on $same:"
  for mode in read parse walk visitq full; do
    m=$mode; [[ $m == full ]] && m=
    printf '  %-7s %6.2f s\n' "$mode" "$(best_cpu "$m")"
  done
  echo "  (read: walk+read only; parse: + tree-sitter parse; walk: + a TreeCursor kind_id visitor"
  echo "   over every node; visitq: + the combined query run at each candidate node; full: today)"
} | tee "$out/modes.txt"

STACKFIT_PROF=timing "$bin" scan "$same" --format json -j 1 2> "$out/timing.tsv" > /dev/null
python3 - "$out/timing.tsv" <<'EOF' | tee "$out/files.txt"
import collections, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.startswith("T\t")]
files = [(r[1], int(r[2]), int(r[3]) / 1e9, int(r[4]) / 1e9) for r in rows]
P = sum(f[2] for f in files); Q = sum(f[3] for f in files); B = sum(f[1] for f in files)
print(f"per file, single thread: {len(files)} files, {B / 1e6:.1f} MB: parse {P:.2f} s, query {Q:.2f} s (query/parse {Q / P:.2f})")
def lang(p):
    e = p.rsplit(".", 1)[-1]
    return {"py": "python", "js": "javascript", "mjs": "javascript", "cjs": "javascript", "jsx": "javascript",
            "ts": "typescript", "mts": "typescript", "cts": "typescript", "tsx": "tsx"}.get(e, "python")
agg = collections.defaultdict(lambda: [0, 0, 0.0, 0.0])
for p, b, pa, q in files:
    a = agg[lang(p)]; a[0] += 1; a[1] += b; a[2] += pa; a[3] += q
for k, a in sorted(agg.items()):
    print(f"  {k:11} {a[0]:5} files {a[1] / 1e6:6.1f} MB  parse {a[2]:5.2f} s  query {a[3]:5.2f} s  {a[1] / 1e6 / (a[2] + a[3]):4.1f} MB/s")
files.sort(key=lambda f: -(f[2] + f[3]))
tot = P + Q
print(f"  largest single file cost: {files[0][2] + files[0][3]:.3f} s ({(files[0][2] + files[0][3]) / tot * 100:.1f}% of the total)")
for n in (0.01, 0.05):
    top = files[: max(1, int(len(files) * n))]
    print(f"  slowest {n * 100:.0f}% of files: {sum(f[2] + f[3] for f in top) / tot * 100:.0f}% of the time, {sum(f[1] for f in top) / B * 100:.0f}% of the bytes")
print("  slowest files:")
for p, b, pa, q in files[:8]:
    print(f"    {pa + q:.3f} s (parse {pa:.3f}, query {q:.3f}) {b / 1e3:6.0f} KB {p}")
EOF

tiny=$out/tiny
rm -rf "$tiny"; for e in py js ts tsx; do mkdir -p "$tiny/$e"; echo 'x = 1' > "$tiny/$e/a.$e"; done
{
  echo "query compilation (one tiny file per grammar, best of $runs, CPU s incl. ~0.01 s process start):"
  for e in py js ts tsx; do
    best=
    for _ in $(seq "$runs"); do
      t=$( { /usr/bin/time -f '%U %S' "$root/target/release/stackfit" scan "$tiny/$e" --format json -j 1 >/dev/null; } 2>&1 | awk '{print $1 + $2}')
      best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
    done
    printf '  %-4s %.2f s\n' "$e" "$best"
  done
} | tee "$out/compile.txt"
