#!/usr/bin/env bash
# Runs the GitHub Action (action.yml) locally the way a runner would, on a copy of
# fixtures/py-chat-server, and checks what a workflow would see: the step outputs, the job
# summary, the annotation lines, the files written, the install paths (released binary with its
# sha256 checked, cache hit, build from source), and that hostile inputs are never executed.
#
# Needs bash, python3 with PyYAML, tar and cargo (for the debug binary). Prints
# "N passed, M failed" and exits non-zero on any failure.

# shellcheck disable=SC2016 # the single-quoted $(...) and $vars are meant literally
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
runner="$repo/tests/action/run_action.py"
passed=0
failed=0

ok() {
  passed=$((passed + 1))
  echo "ok   $1"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/     /' | head -n 40; fi
}
check() { # check NAME COMMAND...
  local name="$1"
  shift
  if "$@"; then ok "$name"; else fail "$name"; fi
}
# checkc NAME 'EXPRESSION': for compound conditions (the expressions are this file's own).
checkc() {
  if eval "$2"; then ok "$1"; else fail "$1"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
output() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

(cd "$repo" && cargo build --locked --quiet) || {
  echo "cannot build stackfit"
  exit 1
}
bin="$repo/target/debug/stackfit"
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$repo/Cargo.toml" | head -n 1)"

tmp="$(mktemp -d)"
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

# A release of this version, as the prebuilt path expects it, and a manifest that lists it.
target=x86_64-unknown-linux-gnu
asset="stackfit-v$version-$target.tar.gz"
mkdir -p "$tmp/release/pkg"
cp "$bin" "$tmp/release/pkg/stackfit"
tar -czf "$tmp/release/$asset" -C "$tmp/release" pkg
sha="$(sha256sum "$tmp/release/$asset" | cut -d' ' -f1)"
printf '# sha256  asset\n%s  %s\n' "$sha" "$asset" >"$tmp/manifest.txt"
: >"$tmp/empty-manifest.txt"

# One run of the action. Sets $ws (workspace), $out (runner log), $err, $res (outputs JSON),
# $summary, $rc. Extra environment for the run comes as NAME=VALUE arguments before the inputs.
run_action() {
  local inputs="$1"
  shift
  ws="$tmp/ws.$RANDOM$RANDOM"
  mkdir -p "$ws/svc" "$ws/keep-me"
  cp -R "$repo/fixtures/py-chat-server" "$ws/svc/chat-server"
  out="$ws.log"
  err="$ws.err"
  res="$ws.json"
  summary="$ws.summary.md"
  : >"$summary"
  : >"$ws.path"
  mkdir -p "$ws.runner-temp"
  (
    cd "$ws" &&
      env -u STACKFIT_BIN \
        GITHUB_WORKSPACE="$ws" \
        GITHUB_STEP_SUMMARY="$summary" \
        GITHUB_PATH="$ws.path" \
        GITHUB_SERVER_URL="https://github.com" \
        GITHUB_REPOSITORY="acme/chat" \
        GITHUB_SHA="0123abcd" \
        GITHUB_ACTION_REPOSITORY="acme/stackfit" \
        RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$ws.runner-temp" \
        STACKFIT_CACHE_DIR="$tmp/cache.$RANDOM" \
        STACKFIT_RELEASE_DIR="$tmp/release" \
        STACKFIT_DIST_MANIFEST="$tmp/manifest.txt" \
        "$@" \
        python3 "$runner" "$repo" "$inputs" >"$res.raw" 2>"$err"
  )
  rc=$?
  # The runner log is stdout minus the outputs JSON the emulator prints last.
  python3 - "$res.raw" "$out" "$res" <<'EOF'
import sys
raw = open(sys.argv[1], encoding="utf-8").read()
i = raw.rfind("\n{\n")
i = 0 if raw.startswith("{\n") else (i + 1 if i >= 0 else len(raw))
open(sys.argv[2], "w", encoding="utf-8").write(raw[:i])
open(sys.argv[3], "w", encoding="utf-8").write(raw[i:] or "{}")
EOF
}

# 1. The default run: released binary, summary, annotations, JSON file.
run_action '{"path": "svc/chat-server", "json-file": "out/stackfit.json"}'
check "default run exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || fail "default run log" "$(cat "$out" "$err")"
check "released binary used after its sha256 check" contains "$out" "Using the released stackfit $version for $target (sha256 checked)"
check "cache and build steps skipped for a release" contains "$err" "skipped (if): Build stackfit"
check "output profile=node" [ "$(output "$res" profile)" = node ]
check "output mismatch=true" [ "$(output "$res" mismatch)" = true ]
check "output implementation-language=python" [ "$(output "$res" implementation-language)" = python ]
check "output confidence is a number in 0..1" python3 -c 'import sys; c=float(sys.argv[1]); assert 0 < c <= 1' "$(output "$res" confidence)"
check "output node-score > python-score" python3 -c 'import sys; assert float(sys.argv[1]) > float(sys.argv[2])' "$(output "$res" node-score)" "$(output "$res" python-score)"
check "output json-file names the input's file" [ "$(output "$res" json-file)" = out/stackfit.json ]
check "output sarif-file empty when not asked" [ -z "$(output "$res" sarif-file)" ]
check "JSON report written in the workspace" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]["profile"]=="node"' "$ws/out/stackfit.json"
diags="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("diagnostics", [])))' "$ws/out/stackfit.json")"
check "output diagnostics matches the JSON report ($diags)" [ "$(output "$res" diagnostics)" = "$diags" ]
check "summary: headline" contains "$summary" "## stackfit: NodeJS-shaped workload"
check "summary: verdict sentence" contains "$summary" "> **This workload fits the NodeJS profile"
check "summary: mermaid chart" contains "$summary" "xychart-beta"
check "summary: trait table" contains "$summary" "| N2 | real-time sockets | NodeJS |"
check "summary: evidence linked at the commit" contains "$summary" "](https://github.com/acme/chat/blob/0123abcd/svc/chat-server/chat/server.py#L"
check "summary: diagnostics section" contains "$summary" "### Diagnostics"
# MERMAID_MODULES: a directory whose node_modules holds mermaid and jsdom (.ci/run sets it).
if [ -n "${MERMAID_MODULES:-}" ]; then
  check "summary: the Mermaid chart parses" node "$repo/tests/action/check_mermaid.mjs" "$MERMAID_MODULES" "$summary"
  for f in "$repo"/docs/examples/summary-*.md; do
    if [ -f "$f" ]; then check "$(basename "$f"): the Mermaid chart parses" node "$repo/tests/action/check_mermaid.mjs" "$MERMAID_MODULES" "$f"; fi
  done
else
  echo "skip Mermaid parse check (MERMAID_MODULES not set)"
fi
check "annotations: verdict notice" grep -qE '^::notice title=stackfit verdict::This workload fits the NodeJS profile \(confidence [0-9.]+\)' "$out"
check "annotations: every file= is workspace-relative" python3 - "$out" <<'EOF'
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if re.match(r"::(error|warning|notice) file=", line):
        assert line.split("file=", 1)[1].startswith("svc/chat-server/"), line
EOF
check "annotations: at most 10 per level" python3 - "$out" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for level in ("error", "warning", "notice"):
    n = sum(1 for l in lines if l.startswith(f"::{level} "))
    assert n <= 10, (level, n)
EOF
check "text report printed with workflow commands stopped" python3 - "$out" <<'EOF'
import re, sys
log = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^::stop-commands::(\S+)\n(.*?)^::\1::$", log, re.S | re.M)
assert m and "NodeJS profile" in m.group(2), log
EOF
check "binary directory added to GITHUB_PATH" grep -q "prebuilt-$version" "$ws.path"

# 2. Hostile inputs are data, never code.
hostile='{"path": "$(touch pwned-path)", "args": "\"; rm -rf keep-me; touch pwned-args; echo \"", "config": "`touch pwned-config`", "json-file": "$(touch pwned-json).json", "fail-on": "none"}'
run_action "$hostile"
check "hostile inputs: the scan fails cleanly (exit 2)" [ "$rc" -eq 2 ]
check "hostile inputs: nothing executed" [ -z "$(find "$ws" "$ws.runner-temp" -name 'pwned*' -print)" ]
check "hostile inputs: nothing removed" [ -d "$ws/keep-me" ]
run_action '{"path": "svc/chat-server; touch pwned-semi", "args": "--threads 1 $(touch pwned-a)", "json-file": "out/$(touch pwned-j).json"}'
checkc "hostile args: clap rejects them, nothing executed" '[ "$rc" -eq 2 ] && [ -z "$(find "$ws" -name '\''pwned*'\'' -print)" ]'
run_action '{"path": "svc/chat-server", "args": "--threads 1", "json-file": "out/$(touch pwned).json"}'
checkc "a file name with \$(...) is written literally" '[ "$rc" -eq 0 ] && [ -f "$ws/out/\$(touch pwned).json" ] && [ ! -e "$ws/pwned" ]'
check "args split into separate arguments" contains "$out" "--threads 1 -- svc/chat-server"

# 3. Summary and annotations off: plain text report on stdout, no workflow commands.
run_action '{"path": "svc/chat-server", "summary": "false", "annotations": "false"}'
check "summary=false annotations=false exits 0" [ "$rc" -eq 0 ]
check "no summary written" [ ! -s "$summary" ]
check "no annotations" lacks "$out" "::notice title=stackfit verdict"
check "text report on stdout" contains "$out" "This workload fits the NodeJS profile"
check "JSON still written to RUNNER_TEMP" [ -f "$(output "$res" json-file)" ]

# 4. Bad inputs are reported, not guessed.
run_action '{"fail-on": "sometimes"}'
checkc "fail-on=sometimes is rejected (exit 2)" '[ "$rc" -eq 2 ] && contains "$out" "::error title=stackfit action::input fail-on must be one of"'
run_action '{"summary": "maybe"}'
checkc "summary=maybe is rejected (exit 2)" '[ "$rc" -eq 2 ] && contains "$out" "input summary must be true or false"'
run_action '{"path": "does/not/exist"}'
checkc "a missing path fails the step (exit 2)" '[ "$rc" -eq 2 ] && contains "$out" "stackfit could not scan '\''does/not/exist'\''"'

# 5. SARIF, once the binary can write it.
if "$bin" scan --help | grep -q sarif; then
  run_action '{"path": "svc/chat-server", "sarif-file": "reports/stackfit.sarif"}'
  check "sarif-file written" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0"' "$ws/reports/stackfit.sarif"
  check "output sarif-file" [ "$(output "$res" sarif-file)" = reports/stackfit.sarif ]
else
  run_action '{"path": "svc/chat-server", "sarif-file": "reports/stackfit.sarif"}'
  checkc "sarif-file without SARIF support fails clearly" '[ "$rc" -eq 2 ] && grep -q "unknown format .sarif." "$err"' 
fi

# 6. fail-on, once the binary has it.
if "$bin" scan --help | grep -q -- --fail-on; then
  run_action '{"path": "svc/chat-server", "fail-on": "none"}'
  check "fail-on=none never fails the step" [ "$rc" -eq 0 ]
else
  run_action '{"path": "svc/chat-server", "fail-on": "warning"}'
  checkc "fail-on without --fail-on support is refused" '[ "$rc" -eq 2 ] && contains "$out" "has no --fail-on"' 
fi

# 7. Install paths: a bad checksum is refused; cache hit; build from source with cargo.
fake_cargo="$tmp/fake-cargo"
cat >"$fake_cargo" <<EOF
#!/usr/bin/env bash
mkdir -p "\$CARGO_TARGET_DIR/release"
printf '%s\n' "\$*" >"\$CARGO_TARGET_DIR.args"
cp "$bin" "\$CARGO_TARGET_DIR/release/stackfit"
EOF
chmod +x "$fake_cargo"
printf '%s  %s\n' "$(printf '0%.0s' $(seq 64))" "$asset" >"$tmp/bad-manifest.txt"
cache="$tmp/cache-bad"
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/bad-manifest.txt" STACKFIT_CACHE_DIR="$cache" CARGO="$fake_cargo"
check "checksum mismatch: the release is refused" contains "$out" "::warning title=stackfit action::$asset has sha256 $sha, but dist-manifest/sha256.txt says 000"
checkc "checksum mismatch: built from source instead" '[ "$rc" -eq 0 ] && contains "$cache/target.args" "build --release --locked --quiet --manifest-path $repo/Cargo.toml"'
checkc "built binary stored with its cache key" '[ -x "$cache/bin/stackfit" ] && [ -s "$cache/bin/.cache-key" ]'
check "cache and build steps run when there is no release" lacks "$err" "skipped (if)"
rm -f "$cache/target.args"
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/empty-manifest.txt" STACKFIT_CACHE_DIR="$cache" CARGO="$fake_cargo"
checkc "second run: restored from the cache, no cargo" '[ "$rc" -eq 0 ] && contains "$out" "stackfit restored from the cache (stackfit-$version-$target-" && [ ! -e "$cache/target.args" ]'
check "cache key is stable for the same source" [ "$(cat "$cache/bin/.cache-key")" = "$(grep -o "stackfit-$version-$target-[0-9a-f]*-[0-9a-f]*" "$out" | head -n 1)" ]
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/empty-manifest.txt" CARGO=/nonexistent/cargo
checkc "no cargo and no release: a clear error" '[ "$rc" -ne 0 ] && contains "$out" "cargo is not installed on this runner"'

# 8. Static rules of the action file.
check "no expression inside any run: script" python3 - "$repo/action.yml" <<'EOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for s in a["runs"]["steps"]:
    assert "${{" not in s.get("run", ""), s
EOF
check "every input and output is documented" python3 - "$repo/action.yml" <<'EOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for k, v in list(a["inputs"].items()) + list(a["outputs"].items()):
    assert v.get("description"), k
for k, v in a["inputs"].items():
    assert "default" in v, k
want = {"path", "args", "fail-on", "config", "summary", "annotations", "sarif-file", "json-file"}
assert want == set(a["inputs"]), set(a["inputs"]) ^ want
want = {"profile", "confidence", "node-score", "python-score", "implementation-language",
        "mismatch", "diagnostics", "json-file", "sarif-file"}
assert want == set(a["outputs"]), set(a["outputs"]) ^ want
EOF

echo
echo "action: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
