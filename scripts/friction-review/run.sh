#!/bin/bash
# usage: run.sh BIN OUTDIR
bin=$1; out=$2
cd /tmp
for d in /work/corpus/repos/* /work/corpus/extra/* /work/corpus/holdout/*; do
  n=$(basename $d)
  NO_COLOR=1 timeout 600 "$bin" scan "$d" --no-config --format json --fail-on none > "$out/$n.json" 2> "$out/$n.stderr"
  echo "$n $?" >> "$out/rc.txt"
done
