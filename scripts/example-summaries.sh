#!/usr/bin/env bash
# Regenerates docs/examples/summary-<pkg>.md: the job summary (`stackfit scan --format markdown`)
# of real published packages from the corpus that ../shared/corpus/fetch.sh downloads.
# Usage: scripts/example-summaries.sh [CORPUS_DIR]   (default: ../corpus, then /work/corpus)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-}"
if [ -z "$corpus" ]; then
  for c in "$repo/../corpus" /work/corpus; do
    if [ -d "$c" ]; then corpus="$c" && break; fi
  done
fi
[ -d "$corpus" ] || { echo "no corpus: run ../shared/corpus/fetch.sh DIR first" >&2; exit 2; }
(cd "$repo" && cargo build --locked --quiet)
for pkg in node/python-socketio node/socket.io; do
  name="${pkg#*/}"
  # Scan from inside the package so paths read as in its repository; no GitHub variables, so
  # locations are plain path:line (a published package has no commit to link to).
  (cd "$corpus/$pkg" &&
    env -u GITHUB_SERVER_URL -u GITHUB_REPOSITORY -u GITHUB_SHA -u GITHUB_WORKSPACE \
      "$repo/target/debug/stackfit" scan . --format markdown) |
    # The elapsed time changes from run to run.
    sed -E 's/ · [0-9]+ ms · / · /' >"$repo/docs/examples/summary-$name.md"
  echo "docs/examples/summary-$name.md"
done
