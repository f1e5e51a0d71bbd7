#!/usr/bin/env bash
# Growth (issue 12): wall time, CPU time and peak RSS of `stackfit scan` on the corpus x1, x2
# and x4, each copy a tree of hard links under $TMPDIR (no extra disk), to show that the cost
# grows linearly in bytes and the memory stays flat. Best of GROWTH_RUNS (default 3) runs by
# wall time; /usr/bin/time gives the peak RSS. About 2 minutes on 2 cores after run.sh's build.
#
#   bench/growth.sh [CORPUS]      # default: $STACKFIT_CORPUS or bench/corpus
#
# With GROWTH_BASE=OTHER_BIN, it first checks that OTHER_BIN (main's build, say) writes the same
# JSON, text and SARIF reports on CORPUS, but for the elapsed time: a memory change must not
# change a byte of output.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=$(cd "${1:-${STACKFIT_CORPUS:-$here/corpus}}" && pwd)
stackfit=${STACKFIT_BIN:-$root/target/release/stackfit}
runs=${GROWTH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/stackfit-growth.XXXXXX")
trap 'rm -rf "$work"' EXIT
[[ -x $stackfit ]] || { echo "growth.sh: no $stackfit (cargo build --release)" >&2; exit 2; }
out=$here/out
mkdir -p "$out"
if [[ -n ${GROWTH_BASE:-} ]]; then
  for fmt in json text sarif; do
    for side in new base; do
      bin=$stackfit; [[ $side == base ]] && bin=$GROWTH_BASE
      { "$bin" scan "$corpus" --format "$fmt" --no-color 2>&1 || echo "exit $?"; } |
        sed -E 's/"elapsed_ms": [0-9]+/"elapsed_ms": 0/; s/· [0-9.]+ m?s$/· T/' > "$work/$fmt.$side"
    done
    cmp -s "$work/$fmt.new" "$work/$fmt.base" ||
      { echo "growth.sh: --format $fmt differs from $GROWTH_BASE" >&2; exit 1; }
  done
  echo "output identical to $GROWTH_BASE (json, text, sarif)"
fi
{
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); best of $runs by wall time"
  printf '%-6s %12s %8s %8s %8s %12s\n' copies bytes wall_s cpu_s MB/s peak_RSS_MB
  for n in 1 2 4; do
    dir=$work/x$n
    mkdir -p "$dir"
    for i in $(seq "$n"); do cp -al "$corpus" "$dir/copy$i"; done
    best=
    for _ in $(seq "$runs"); do
      /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$stackfit" scan "$dir" --format json > "$work/r.json"
      read -r e u s m < "$work/t"
      if [[ -z $best ]] || python3 -c "import sys; sys.exit(not ($e < ${best%% *}))"; then
        best="$e $u $s $m"
      fi
    done
    read -r e u s m <<< "$best"
    bytes=$(python3 -c "import json; print(json.load(open('$work/r.json'))['stats']['bytes_scanned'])")
    python3 -c "print(f'x{$n:<5} {$bytes:12d} {$e:8.2f} {$u + $s:8.2f} {$bytes / 1e6 / $e:8.1f} {$m / 1024:12.1f}')"
  done
} | tee "$out/growth.txt"
