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

# A release of this version laid out as .github/workflows/release.yml packages it
# (stackfit-vX-TARGET/stackfit), and the manifest action/update-manifest.sh writes for it. The
# released "binary" is a stand-in that logs its arguments (NUL-separated) to
# $STACKFIT_ARGV_LOG and runs the debug build; until that build has --changed-since, the
# stand-in lists the flag in `scan --help` and drops it, so the action's pull-request mode
# (its argv) is tested either way.
target=x86_64-unknown-linux-gnu
asset="stackfit-v$version-$target.tar.gz"
pkg="stackfit-v$version-$target"
mkdir -p "$tmp/release/$pkg"
sed "s|@REAL@|$bin|" >"$tmp/release/$pkg/stackfit" <<'EOF2'
#!/usr/bin/env bash
if [ -n "${STACKFIT_ARGV_LOG:-}" ]; then printf '%s\0' "$@" >"$STACKFIT_ARGV_LOG"; fi
real="@REAL@"
if "$real" scan --help | grep -q -- --changed-since; then exec "$real" "$@"; fi
if [ "$*" = "scan --help" ]; then
  "$real" scan --help
  echo "      --changed-since <REF>  (test stand-in)"
  exit 0
fi
args=()
for a in "$@"; do case "$a" in --changed-since=*) ;; *) args+=("$a") ;; esac; done
exec "$real" "${args[@]}"
EOF2
chmod +x "$tmp/release/$pkg/stackfit"
tar -czf "$tmp/release/$asset" -C "$tmp/release" "$pkg"
rm -rf "${tmp:?}/release/$pkg"
sha="$(sha256sum "$tmp/release/$asset" | cut -d' ' -f1)"
(cd "$tmp/release" && sha256sum "$asset" >SHA256SUMS)
mkdir -p "$tmp/mf"
cp -R "$repo/action" "$repo/dist-manifest" "$tmp/mf/"
TAG="v$version" bash "$tmp/mf/action/update-manifest.sh" write "$tmp/release/SHA256SUMS" >/dev/null
cp "$tmp/mf/dist-manifest/sha256.txt" "$tmp/manifest.txt"
: >"$tmp/empty-manifest.txt"
argv_log="$tmp/argv"
# argv_has ARG: the last stackfit run had exactly this argument.
argv_has() { tr '\0' '\n' <"$argv_log" | grep -qxF -- "$1"; }
argv_lacks_changed_since() { ! tr '\0' '\n' <"$argv_log" | grep -q -- '^--changed-since'; }

# One run of the action. Sets $ws (workspace), $out (runner log), $err, $res (outputs JSON),
# $summary, $rc, and $ws.outputs/ (each step's raw GITHUB_OUTPUT). Extra environment for the
# run comes as NAME=VALUE arguments after the inputs. When $prepare names a function, it is
# called with the workspace before the run (to make it a git checkout, add hostile files...).
prepare=
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
  mkdir -p "$ws.runner-temp" "$ws.outputs"
  if [ -n "$prepare" ]; then "$prepare" "$ws"; fi
  (
    cd "$ws" &&
      env -u STACKFIT_BIN \
        RUN_ACTION_OUTPUTS_DIR="$ws.outputs" \
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
blocks = re.finditer(r"^::stop-commands::(\S+)\n(.*?)^::\1::$", log, re.S | re.M)
assert any("NodeJS profile" in m.group(2) for m in blocks), log
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
check "checksum mismatch: the release is refused, loudly" contains "$out" "::error title=stackfit action checksum mismatch::$asset has sha256 $sha, but dist-manifest/sha256.txt says 000"
checkc "checksum mismatch: built from source instead" '[ "$rc" -eq 0 ] && contains "$cache/target.args" "build --release --locked --quiet --manifest-path $repo/Cargo.toml"'
checkc "built binary stored with its cache key" '[ -x "$cache/bin/stackfit" ] && [ -s "$cache/bin/.cache-key" ]'
check "cache and build steps run when there is no release" lacks "$err" "skipped (if)"
rm -f "$cache/target.args"
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/empty-manifest.txt" STACKFIT_CACHE_DIR="$cache" CARGO="$fake_cargo"
checkc "second run: restored from the cache, no cargo" '[ "$rc" -eq 0 ] && contains "$out" "stackfit restored from the cache (stackfit-$version-$target-" && [ ! -e "$cache/target.args" ]'
check "cache key is stable for the same source" [ "$(cat "$cache/bin/.cache-key")" = "$(grep -o "stackfit-$version-$target-[0-9a-f]*-[0-9a-f]*" "$out" | head -n 1)" ]
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/empty-manifest.txt" CARGO=/nonexistent/cargo
checkc "no cargo and no release: a clear error" '[ "$rc" -ne 0 ] && contains "$out" "cargo is not installed on this runner"'

# 8. Install paths, continued: a manifest without this version, and no network.
printf '%s  stackfit-v0.0.1-%s.tar.gz\n' "$sha" "$target" >"$tmp/other-manifest.txt"
run_action '{"path": "svc/chat-server"}' STACKFIT_DIST_MANIFEST="$tmp/other-manifest.txt" CARGO="$fake_cargo"
checkc "no entry for this version: built from source" '[ "$rc" -eq 0 ] && contains "$out" "No released stackfit $version for $target in dist-manifest/sha256.txt: building from source" && contains "$out" "Building stackfit from"'
run_action '{"path": "svc/chat-server"}' STACKFIT_RELEASE_DIR= GITHUB_SERVER_URL=https://127.0.0.1:9 CARGO="$fake_cargo"
checkc "no network: a warning, then built from source" '[ "$rc" -eq 0 ] && contains "$out" "::warning title=stackfit action::could not download $asset; building from source" && contains "$out" "Building stackfit from"'
check "the release URL is the action repository's, at the version's tag" contains "$out" "Downloading https://127.0.0.1:9/acme/stackfit/releases/download/v$version/$asset"

# 9. Pull-request mode: --changed-since with the base commit from the event payload.
# prepare_git WS: makes the workspace a git checkout of two commits (base, then a change to
# rooms.py) and writes a pull_request payload naming the base commit to $tmp/event.json.
git_q() { git -c user.email=t@example.com -c user.name=test -c init.defaultBranch=main "$@"; }
prepare_git() {
  (
    cd "$1" && git_q init -q && git_q add -A && git_q commit -qm base &&
      printf '{"pull_request": {"base": {"sha": "%s"}}}\n' "$(git rev-parse HEAD)" >"$tmp/event.json" &&
      git rev-parse HEAD >"$tmp/base.sha" &&
      printf '\n# changed\n' >>svc/chat-server/chat/rooms.py && git_q commit -qam head
  )
}
# prepare_shallow WS: the same history behind an origin, checked out with depth 1 the way
# actions/checkout does by default: the base commit is not in the checkout.
prepare_shallow() {
  prepare_git "$1"
  git clone -q --bare "$1" "$1.origin"
  rm -rf "$1"
  git clone -q --depth=1 "file://$1.origin" "$1"
  mkdir -p "$1/keep-me"
}
# prepare_unreachable WS: a base commit that exists nowhere.
prepare_unreachable() {
  prepare_git "$1"
  printf '{"pull_request": {"base": {"sha": "%s"}}}\n' "$(printf '7%.0s' $(seq 40))" >"$tmp/event.json"
}
pr_env=(GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$tmp/event.json" STACKFIT_ARGV_LOG="$argv_log")
prepare=prepare_git
run_action '{"path": "svc/chat-server"}' "${pr_env[@]}"
base="$(cat "$tmp/base.sha")"
check "pull_request: exits 0" [ "$rc" -eq 0 ]
check "pull_request: --changed-since=<base sha from the event>" argv_has "--changed-since=$base"
check "pull_request: the path still comes last" argv_has "svc/chat-server"
check "pull_request: the log says so" contains "$out" "Pull-request mode: diagnostics in the files changed since $base"
run_action '{"path": "svc/chat-server", "changed-since": "none"}' "${pr_env[@]}"
checkc "pull_request with changed-since=none: whole repository" '[ "$rc" -eq 0 ] && argv_lacks_changed_since'
run_action '{"path": "svc/chat-server"}' GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$tmp/event.json" STACKFIT_ARGV_LOG="$argv_log"
checkc "push event: no --changed-since" '[ "$rc" -eq 0 ] && argv_lacks_changed_since'
run_action '{"path": "svc/chat-server", "changed-since": "HEAD~1"}' GITHUB_EVENT_NAME=push STACKFIT_ARGV_LOG="$argv_log"
checkc "changed-since=HEAD~1 on a push: passed as given" '[ "$rc" -eq 0 ] && argv_has "--changed-since=HEAD~1"'
run_action '{"path": "svc/chat-server", "changed-since": "no-such-ref"}' GITHUB_EVENT_NAME=push STACKFIT_ARGV_LOG="$argv_log"
check "changed-since naming a missing ref: passed on for stackfit to refuse" argv_has "--changed-since=no-such-ref"
if "$bin" scan --help | grep -q -- --changed-since; then
  check "changed-since naming a missing ref: exit 2" [ "$rc" -eq 2 ]
fi
prepare=prepare_shallow
run_action '{"path": "svc/chat-server"}' "${pr_env[@]}"
base="$(cat "$tmp/base.sha")"
checkc "shallow checkout: the base commit is fetched, then used" '[ "$rc" -eq 0 ] && contains "$out" "Fetching $base and HEAD with depth 2" && argv_has "--changed-since=$base"'
check "shallow checkout: the base is now in the checkout" git -C "$ws" cat-file -e "$base^{commit}"
prepare=prepare_unreachable
run_action '{"path": "svc/chat-server"}' "${pr_env[@]}"
checkc "unreachable base: a warning, the whole repository is reported" '[ "$rc" -eq 0 ] && contains "$out" "::warning title=stackfit action::cannot find 7777" && argv_lacks_changed_since'
# A payload is attacker-shaped data: it must be a commit id, and is never executed.
prepare_hostile_event() {
  prepare_git "$1"
  printf '{"pull_request": {"base": {"sha": "$(touch pwned-event)\\n::error::pwned"}}}\n' >"$tmp/event.json"
}
prepare=prepare_hostile_event
run_action '{"path": "svc/chat-server"}' "${pr_env[@]}"
checkc "hostile base sha in the event: refused (exit 2), nothing executed" '[ "$rc" -eq 2 ] && [ -z "$(find "$ws" -name "pwned*" -print)" ]'
check "hostile base sha: reported on one escaped line" contains "$out" "::error title=stackfit action::the event's pull_request.base.sha is not a commit id: '\$(touch pwned-event)%0A::error::pwned'"
prepare=prepare_git
run_action '{"path": "svc/chat-server", "changed-since": "--upload-pack=touch pwned"}' "${pr_env[@]}"
checkc "changed-since starting with - is refused (exit 2), nothing executed" '[ "$rc" -eq 2 ] && contains "$out" "input changed-since must be auto, none or a git ref" && [ -z "$(find "$ws" -name "pwned*" -print)" ]'
prepare=

# 10. A hostile repository: file names with newlines, `::` commands, `%0A`, HTML, mentions,
# links and `$(...)`, and a diagnostic (SF002) quoting such text. No workflow command, no
# GITHUB_OUTPUT line and no Markdown or HTML may come from it.
prepare_hostile() {
  local d="$1/svc/chat-server"
  rm -rf "$d"
  mkdir -p "$d/<img src=x onerror=alert(1)>"
  {
    printf 'import time\nimport websockets\n\nasync def handler(ws):\n'
    printf '    websockets.broadcast(ws, "[c](https://e.example) www.e.example <b>x</b> | ::error::pwned-code @admin #1")\n'
    for _ in $(seq 12); do printf '    time.sleep(1)\n'; done
    printf 'x = 1  # stackfit: ignore[SF9<img src=x>::error::pwned-quote %%0A @admin]\n'
  } >"$d/evil"$'\n'"::error file=x::pwned-name%0A::warning::y.py"
  printf 'import time\n\nasync def h():\n    time.sleep(1)\n' >"$d/a::notice::b,c:d%0A::error::pwned-pct \$(touch pwned-exec).py"
  printf 'import time\n\nasync def h():\n    time.sleep(1)\n' >"$d/<img src=x onerror=alert(1)>/@admin #1 [x](https:__evil.example) |y| *z* \`c\`.py"
  printf 'websockets\n' >"$d/requirements.txt"
}
check_log() { # check_log LOG WS: the runner's view of the log
  python3 - "$1" "$2" <<'EOF'
import os, re, sys
log, ws = sys.argv[1], sys.argv[2]
annotation = re.compile(r"::(error|warning|notice) file=([^,:]*),line=\d+,endLine=\d+(,col=\d+(,endColumn=\d+)?)?,title=stackfit [A-Z]+\d+ \([a-z0-9-]+\)::")
allowed = [annotation, re.compile(r"::notice title=stackfit verdict::"),
           re.compile(r"::group::stackfit report$"), re.compile(r"::endgroup::$")]
def unescape(v):
    return v.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
stop, files = None, set()
# The runner reads lines split at CR and LF, and trims them before looking for `::`.
for line in re.split(r"\r\n|\r|\n", open(log, encoding="utf-8", newline="").read()):
    t = line.strip()
    if stop is not None:
        if t == f"::{stop}::":
            stop = None
        continue
    assert not t.startswith("##["), t
    if not t.startswith("::"):
        continue
    m = re.fullmatch(r"::stop-commands::(\S+)", t)
    if m:
        stop = m.group(1)
        assert re.fullmatch(r"stackfit-[0-9a-f]{32}-\d+", stop), stop
        continue
    assert any(p.match(t) for p in allowed), t
    m = annotation.match(t)
    if m:
        path = unescape(m.group(2))
        assert os.path.lexists(os.path.join(ws, path)), path
        files.add(path)
assert stop is None, "commands left stopped"
assert any("\n" in f for f in files), files
EOF
}
check_outputs() { # check_outputs FILE: the scan step's raw GITHUB_OUTPUT
  python3 - "$1" <<'EOF'
import sys
keys = {"profile", "confidence", "node-score", "python-score", "implementation-language",
        "mismatch", "diagnostics", "new-diagnostics", "summary", "json-file", "sarif-file"}
seen = []
for line in open(sys.argv[1], encoding="utf-8", newline="").read().split("\n"):
    if not line:
        continue
    assert "\r" not in line, line
    k, _, v = line.partition("=")
    assert k in keys and "<<" not in k, line
    assert "pwned" not in v, line
    seen.append(k)
assert sorted(seen) == sorted(keys), seen
EOF
}
check_markdown() { # check_markdown FILE: only the report's own Markdown and HTML
  python3 - "$1" <<'EOF'
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
base = "https://github.com/acme/chat/blob/0123abcd/"
for quoted in ("pwned-name", "pwned-quote", r"\[c\](https&#58;//e.example) www&#46;e"):
    assert quoted in md, f"{quoted}: the hostile files are not reported"
tags = set(re.findall(r"<[^>]*>", md))
assert tags <= {"<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>"}, tags
assert "![" not in md
def unescaped(line, ch):
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line.startswith(ch, i):
            out.append(i)
        i += 1
    return out
table = None
for line in md.split("\n"):
    if "pwned" in line:
        assert line.startswith("| "), line  # scanned text only ever inside a table cell
    if not line.startswith("|"):
        table = None
        continue
    cells = len(unescaped(line, "|"))
    table = table or cells
    assert cells == table, line
    rest = line
    for i in reversed(unescaped(line, "](")):
        j = line.index(")", i)
        assert line[i + 2:j].startswith(base), line
        rest = rest[:i] + rest[j + 1:]
    rest = re.sub(r"&#\d+;", "", rest)  # the escapes themselves
    assert not re.search(r"@\w|#\d|://|www\.", rest, re.I), rest
EOF
}
prepare=prepare_hostile
run_action '{"path": "svc/chat-server"}'
check "hostile repository: exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || fail "hostile repository log" "$(cat "$out" "$err")"
check "hostile repository: nothing executed" [ -z "$(find "$ws" "$ws.runner-temp" -name 'pwned*' -print)" ]
checkc "hostile repository: overflow lines are plain" 'grep -q "^stackfit: svc/chat-server/evil%0A::error file=x::pwned-name%250A::warning::y.py:" "$out"'
check "hostile repository: SF002 quotes the comment, escaped" contains "$out" 'rule code `SF9<img src=x>::error::pwned-quote %250A @admin`'
check "hostile repository: the log holds no workflow command but the report's" check_log "$out" "$ws"
check "hostile repository: GITHUB_OUTPUT holds only the documented keys" check_outputs "$ws.outputs/scan.txt"
check "hostile repository: the summary holds no Markdown or HTML from the repository" check_markdown "$summary"
if [ -n "${MERMAID_MODULES:-}" ]; then
  check "hostile repository: the summary parses to no foreign node" node "$repo/tests/action/check_markdown.mjs" "$MERMAID_MODULES" "$summary" "https://github.com/acme/chat/blob/0123abcd/"
fi
run_action '{"path": "svc/chat-server", "annotations": "false"}'
checkc "hostile repository, annotations off: text report printed with commands stopped" '[ "$rc" -eq 0 ] && python3 - "$out" <<EOF
import re, sys
log = open(sys.argv[1], encoding="utf-8").read()
blocks = list(re.finditer(r"^::stop-commands::(\S+)\n(.*?)^::\1::$", log, re.S | re.M))
assert any("pwned-name" in m.group(2) for m in blocks), log
assert "pwned" not in re.sub(r"^::stop-commands::(\S+)\n(.*?)^::\1::$", "", log, flags=re.S | re.M)
EOF'
prepare=

# 11. Static rules of the action file.
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
want = {"path", "args", "fail-on", "config", "summary", "annotations", "sarif-file", "json-file",
        "changed-since"}
assert want == set(a["inputs"]), set(a["inputs"]) ^ want
want = {"profile", "confidence", "node-score", "python-score", "implementation-language",
        "mismatch", "diagnostics", "new-diagnostics", "json-file", "sarif-file"}
assert want == set(a["outputs"]), set(a["outputs"]) ^ want
EOF

echo
echo "action: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
