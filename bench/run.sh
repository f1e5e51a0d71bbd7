#!/usr/bin/env bash
# stackfit vs ast-grep benchmark (issue 2, "Speed and memory"). See docs/performance.md.
#
# Takes about 10-15 minutes on a 2-core machine the first time (corpus download ~2 min,
# release build ~2 min, hyperfine ~4 min with the default 3 runs + 1 warm-up per command),
# about 6-8 minutes after that (BENCH_RUNS=5: add ~2 min). Idempotent: the corpus, the ast-grep install and the build are
# reused; bench/out/ is rewritten. Not part of `cargo test` or .ci/run (it downloads).
#
#   bench/run.sh                              # fetch the corpus into bench/corpus
#   STACKFIT_CORPUS=/work/corpus bench/run.sh # reuse an already downloaded corpus
#
# Environment:
#   STACKFIT_CORPUS   corpus directory (default bench/corpus; fetched there if missing)
#   STACKFIT_SHARED   the shared dir holding corpus/fetch.sh
#                     (default: $(git rev-parse --show-toplevel)/../shared)
#   BENCH_RUNS        hyperfine runs per command (default 3), BENCH_WARMUP (default 1)
#   AST_GREP_VERSION  ast-grep-cli version from PyPI (default 0.51.1)
#   BENCH_MEM_LIMIT_GB  virtual-memory cap for the measured commands (default 16)
#
# What it times, in one hyperfine run (each tool with its default thread count):
#   stackfit-default      stackfit scan CORPUS --format json
#   ast-grep-default      ast-grep scan -c bench/ast-grep/sgconfig.yml --json=stream CORPUS
#                         (minus source files over 1 MiB, see "limits" below)
#   stackfit-same-files   the same two commands on bench/out/same, a hard-link mirror of exactly
#   ast-grep-same-files   the files stackfit analyses (see bench/compare.py sameset)
#   stackfit-parse-only   stackfit scan bench/out/same --parse-only: the same walker and parser,
#                         no rules (a hidden flag): the floor stackfit is measured against
# then each command once more under /usr/bin/time -v for its peak RSS. Raw results: bench/out/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
out=$here/out
mkdir -p "$out"
log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- corpus
shared=${STACKFIT_SHARED:-$(git rev-parse --show-toplevel 2>/dev/null || echo "$root")/../shared}
corpus=${STACKFIT_CORPUS:-$here/corpus}
log "corpus: $corpus"
if [[ -x $shared/corpus/fetch.sh ]]; then
  "$shared/corpus/fetch.sh" "$corpus" >&2   # skips packages already unpacked
elif [[ ! -d $corpus ]]; then
  echo "run.sh: no $shared/corpus/fetch.sh (set STACKFIT_SHARED) and no corpus at $corpus" >&2
  exit 2
fi
corpus=$(cd "$corpus" && pwd)

# ---------------------------------------------------------------- tools
ast_grep_version=${AST_GREP_VERSION:-0.51.1}
ast_grep=$here/.venv/bin/ast-grep
if ! "$ast_grep" --version 2>/dev/null | grep -qx "ast-grep $ast_grep_version"; then
  log "installing ast-grep $ast_grep_version (PyPI ast-grep-cli) into bench/.venv"
  if python3 -m venv "$here/.venv" && "$here/.venv/bin/pip" install -q "ast-grep-cli==$ast_grep_version"; then
    :
  else
    log "PyPI install failed; trying npm @ast-grep/cli into bench/node_modules"
    (cd "$here" && npm install --no-save --silent "@ast-grep/cli@$ast_grep_version")
    ast_grep=$here/node_modules/.bin/ast-grep
  fi
fi
apt_updated=
need_apt() {
  command -v "$1" >/dev/null 2>&1 && return
  log "installing $2 (apt)"
  [[ -n $apt_updated ]] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_apt hyperfine hyperfine
[[ -x /usr/bin/time ]] || need_apt /usr/bin/time time

log "building stackfit (release)"
cargo build --release --quiet
stackfit=$root/target/release/stackfit

log "generating the ast-grep rules from queries/"
python3 "$here/gen_astgrep_rules.py"
sgconfig=$here/ast-grep/sgconfig.yml

# ---------------------------------------------------------------- limits
# ast-grep keeps every match of a file with its whole source line: in a one-line bundle of
# several MB, thousands of matches need more than this machine's 24 GB (it was OOM-killed at
# 24 GB with the friction rules). So its "default" run leaves out the source files over 1 MiB,
# the size stackfit refuses by default (--max-file-size), and every command runs under a
# virtual-memory cap so that a blow-up fails the benchmark instead of the shared machine.
big_globs=()
while IFS= read -r f; do
  big_globs+=(--globs "!**/${f#"$corpus"/}")
done < <(find "$corpus" -type f -size +1024k \( -name '*.py' -o -name '*.pyi' -o -name '*.js' \
  -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \
  -o -name '*.tsx' \) | sort)
printf '%s\n' "${big_globs[@]}" | grep -v '^--globs$' > "$out/ast-grep-excluded.txt" || true
ulimit -v $(( ${BENCH_MEM_LIMIT_GB:-16} * 1024 * 1024 ))

# ---------------------------------------------------------------- same-file set, equivalence
log "preparing the same-file set"
"$stackfit" scan "$corpus" --format json > "$out/stackfit-default.json"
"$ast_grep" scan -c "$sgconfig" --json=stream --inspect entity "${big_globs[@]}" "$corpus" \
  > /dev/null 2> "$out/ast-grep-inspect.log"  # (its ~2.8 GB of matches are not kept)
same=$out/same
python3 "$here/compare.py" sameset "$stackfit" "$out/stackfit-default.json" \
  "$out/ast-grep-inspect.log" "$corpus" "$same" "$out/same-files.txt" | tee "$out/same-files.summary"
"$stackfit" scan "$same" --format json > "$out/stackfit-same.json"
"$ast_grep" scan -c "$sgconfig" --json=stream "$same" > "$out/ast-grep-same.jsonl"
# A difference fails the run at the end (after the timing, so the numbers are still there).
equivalent=1
python3 "$here/compare.py" equivalence "$out/stackfit-same.json" "$out/ast-grep-same.jsonl" \
  "$out/equivalence.tsv" | tee "$out/equivalence.summary" || equivalent=
python3 "$here/compare.py" prefilter "$stackfit" "$same" "$corpus" | tail -n 1 | tee "$out/prefilter.summary"

# ---------------------------------------------------------------- timing
globs_q=
((${#big_globs[@]} == 0)) || printf -v globs_q '%q ' "${big_globs[@]}"
names=(stackfit-default ast-grep-default stackfit-same-files ast-grep-same-files stackfit-parse-only)
cmds=(
  "$stackfit scan $corpus --format json"
  "$ast_grep scan -c $sgconfig --json=stream $globs_q $corpus"
  "$stackfit scan $same --format json"
  "$ast_grep scan -c $sgconfig --json=stream $same"
  "$stackfit scan $same --format json --parse-only"
)
log "hyperfine (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
hf=(hyperfine --warmup "${BENCH_WARMUP:-1}" --runs "${BENCH_RUNS:-3}" --style basic
    --export-json "$out/hyperfine.json" --export-markdown "$out/hyperfine.md")
for i in "${!names[@]}"; do hf+=(-n "${names[$i]}" "${cmds[$i]}"); done
"${hf[@]}"

log "peak RSS (/usr/bin/time -v, one run each)"
: > "$out/rss.tsv"
for i in "${!names[@]}"; do
  /usr/bin/time -v -o "$out/time-${names[$i]}.txt" sh -c "exec ${cmds[$i]}" > /dev/null
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time-${names[$i]}.txt")
  printf '%s\t%s\n' "${names[$i]}" "$kb" >> "$out/rss.tsv"
done

# ---------------------------------------------------------------- summary
{
  echo "commit: $(git rev-parse HEAD) ($(git log -1 --format=%cs))$(git diff --quiet HEAD -- src queries || echo ' + uncommitted changes')"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "tools: $("$stackfit" --version), $("$ast_grep" --version), $(hyperfine --version)"
  echo "corpus: $corpus"
  python3 - "$out/stackfit-default.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["stats"]
print(f"stackfit default file set: {s['files_scanned']} files, {s['bytes_scanned']} bytes scanned; "
      f"skipped {s['files_skipped']} {s['skipped_by_reason']}")
EOF
  grep -h 'scannedFileCount' "$out/ast-grep-inspect.log" | sed 's/^sg: summary|file: /ast-grep default file set: /'
  echo "ast-grep default run leaves out the $(wc -l < "$out/ast-grep-excluded.txt") source files over 1 MiB (bench/out/ast-grep-excluded.txt)"
  cat "$out/same-files.summary" "$out/equivalence.summary" "$out/prefilter.summary"
  python3 "$here/compare.py" summary "$out/hyperfine.json" "$out/rss.tsv"
} | tee "$out/summary.txt"
echo "raw results in $out/" >&2
[[ -n $equivalent ]] || { echo "run.sh: the findings differ from ast-grep's (bench/out/equivalence.summary)" >&2; exit 1; }
