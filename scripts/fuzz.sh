#!/usr/bin/env bash
# Runs every cargo-fuzz target (or the ones named) for SECONDS each, one after another, one
# process at a time: the machine is shared. Not part of .ci/run. Needs nightly and cargo-fuzz
# (`cargo install cargo-fuzz`).
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# The targets are built once, then their binaries run directly (so an edit made while the
# fuzzer runs does not rebuild between targets); FUZZ_NO_BUILD=1 skips the build. New inputs go
# to fuzz/work/TARGET (git-ignored); fuzz/corpus/TARGET (the committed seeds) is only read.
# Crashes land in fuzz/artifacts/TARGET. Each run's log is fuzz/work/TARGET.log and one line
# per target (execs, exec/s, cov, ft, corpus, oom/timeout/crash) is appended to
# fuzz/work/summary.tsv. Exits 1 if any target crashed or timed out.
set -uo pipefail
secs=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")/.." || exit 2
fuzz=(cargo +nightly fuzz)
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir fuzz); fi
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  "${fuzz[@]}" build --fuzz-dir fuzz || exit 2
fi
bin="${CARGO_TARGET_DIR:-fuzz/target}/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
mkdir -p fuzz/work
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  # -fork=1: one child process at a time, and a crash or hang does not end the run (each is
  # saved to fuzz/artifacts/TARGET and counted in the log's `crash` column).
  args=(-artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$secs" -timeout=20
    -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  case $t in
    python|javascript|typescript|tsx|notebook) args+=(-max_len=32768) ;;
    rules_dir) args+=(-max_len=65536) ;;
    *) args+=(-max_len=16384) ;;
  esac
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  log="fuzz/work/$t.log"
  echo "== $t: ${secs}s" >&2
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  "$bin/$t" "${args[@]}" "fuzz/work/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  after=$(ls "fuzz/artifacts/$t" | wc -l)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  fails=$(sed -n 's/.* oom\/timeout\/crash: \([0-9/]*\).*/\1/p' <<<"$last")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  speed=$(sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%s\t%s\t%ss\texecs=%s\texec/s=%s\tcov=%s\tft=%s\tcorpus=%s\toom/timeout/crash=%s\tnew_artifacts=%s\trc=%s\n' \
    "$(date -u +%FT%TZ)" "$t" "$secs" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "${fails:-?}" "$((after - before))" "$rc" | tee -a fuzz/work/summary.tsv
  [ "$rc" -ne 0 ] && status=1
done
exit $status
