#!/usr/bin/env bash
# The HTML report (`scan --format html`) and the org dashboard (`stackfit dashboard`) in a real
# browser: headless Chromium loads each page from a file, takes a screenshot and dumps the DOM.
# A page passes when Chromium logged no console message at all (an uncaught exception is logged
# as one, and so is console.error), the page asks for nothing over the network (no src/href/
# url()/@import), the dashboard's script ran (the table carries data-ready) and sorts (loading
# it with #sort=name orders the rows by name), and a repository root holding markup with an
# event handler is shown as text, not run.
#
# Usage: tests/html/test_render.sh [OUT_DIR]   (screenshots and pages are left in OUT_DIR;
# default: a temporary directory, removed at the end). STACKFIT names the binary (default: target/debug/stackfit,
# built when missing). Needs python3 and chromium; without chromium it fails, unless
# STACKFIT_SKIP_BROWSER=1, when it says loudly that it skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "test_render: FAIL: $*" >&2; exit 1; }

if ! command -v chromium >/dev/null 2>&1; then
  if [ "${STACKFIT_SKIP_BROWSER:-}" = 1 ]; then
    echo "########################################################################"
    echo "test_render: SKIPPED: chromium is not installed (apt-get install chromium)"
    echo "########################################################################"
    exit 0
  fi
  fail "chromium is not installed (apt-get install -y chromium), set STACKFIT_SKIP_BROWSER=1 to skip"
fi

bin="${STACKFIT:-${CARGO_TARGET_DIR:-target}/debug/stackfit}"
[ -x "$bin" ] || cargo build --locked --quiet
[ -x "$bin" ] || fail "no stackfit binary at $bin"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${1:-$work/out}"
mkdir -p "$out"

# Chromium as root here: no sandbox, no GPU, and none of its background connections (the
# network is closed). --virtual-time-budget lets the page's script run before the dump.
browse() { # browse URL LOG [chromium args...]
  local url="$1" log="$2"
  shift 2
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$work/profile-$RANDOM" --hide-scrollbars \
    --virtual-time-budget=3000 --enable-logging=stderr --v=0 "$@" "$url" 2>"$log"
}

# Every console message (log, error, uncaught exception) appears as `:CONSOLE` in the log.
console_clean() { # console_clean LOG
  if grep -E ':CONSOLE' "$1" >&2; then return 1; fi
}

# The check itself must see an error: a page that throws is caught.
printf '<!DOCTYPE html><body><script>notDefined();</script></body>\n' >"$work/bad.html"
browse "file://$work/bad.html" "$work/bad.log" --dump-dom >/dev/null
grep -q 'Uncaught ReferenceError' "$work/bad.log" ||
  fail "chromium did not report a page's uncaught exception: the console check would see nothing"

# Reports: a few fixtures of each verdict, one a line, with a git commit; and a repository
# whose root holds markup.
evil_root="evil/<svg onload=\"document.title='pwned';console.log('pwned')\">x"
fixtures=(py-chat-server ml-dashboard node-cli-tool monorepo-fullstack ws-library
  py-dataviz-react js-tfjs-trainer metadata-neutral)
for f in "${fixtures[@]}"; do
  "$bin" scan "fixtures/$f" --format json --fail-on none >"$work/$f.json"
done
python3 - "$work" "$evil_root" "${fixtures[@]}" <<'EOF'
import json, sys
work, evil, names = sys.argv[1], sys.argv[2], sys.argv[3:]
docs = [json.load(open(f"{work}/{n}.json")) for n in names]
def write(path, lines):
    with open(path, "w") as f:
        for d in lines:
            f.write(json.dumps(d) + "\n")
now = []
for d in docs:
    now.append(dict(d, git={"remote": None, "commit": "b" * 40}))
evil_doc = dict(docs[0], root=evil)
now.append(evil_doc)
now.append({"root": "/missing/repo", "error": "cannot scan `/missing/repo`: no such file or directory"})
write(f"{work}/now.ndjson", now)
# Before: the first repository had another verdict, the last was not there, one is gone.
before = [dict(d, git={"commit": "a" * 40}) for d in docs[:-1]]
before[0] = dict(before[0], verdict=dict(before[0]["verdict"], profile="python", mismatch=False))
before.append({"root": "fixtures/retired-service", "verdict": {"profile": "node"}})
write(f"{work}/before.ndjson", before)
EOF

"$bin" scan fixtures/py-chat-server --format html --fail-on none >"$out/report.html"
"$bin" dashboard "$work/now.ndjson" --output "$out/org.html"
"$bin" dashboard "$work/before.ndjson" "$work/now.ndjson" --output "$out/org-trend.html"

for page in report org org-trend; do
  html="$out/$page.html"
  if grep -nE '(src|href)=|url\(|@import' "$html" >&2; then
    fail "$page.html refers to something outside the page"
  fi
  browse "file://$html" "$work/$page.shot.log" --window-size=1200,1500 \
    --screenshot="$out/$page.png" >/dev/null
  [ -s "$out/$page.png" ] || fail "no screenshot of $page.html"
  browse "file://$html#sort=name" "$work/$page.log" --dump-dom >"$work/$page.dom"
  console_clean "$work/$page.log" || fail "$page.html logged to the console (above)"
  console_clean "$work/$page.shot.log" || fail "$page.html logged to the console (above)"
  grep -q '<title>stackfit' "$work/$page.dom" || fail "$page.html: no title in the DOM"
  grep -q 'pwned' "$work/$page.dom" && grep -q '<title>pwned' "$work/$page.dom" &&
    fail "$page.html ran a script from the scan"
done

grep -q 'id="trait-chart"' "$work/report.dom" || fail "report.html has no trait chart"
grep -q 'chat/server.py:23' "$work/report.dom" || fail "report.html lacks file:line evidence"

python3 - "$work" <<'EOF'
import re, sys
work = sys.argv[1]
for page in ("org", "org-trend"):
    dom = open(f"{work}/{page}.dom").read()
    table = re.search(r'<table id="repos"[^>]*>', dom)
    assert table, f"{page}: no repositories table"
    assert 'data-ready="1"' in table.group(0), f"{page}: the script did not run: {table.group(0)}"
    assert 'data-sorted-by="name:asc"' in table.group(0), f"{page}: #sort=name not applied"
    body = dom[table.end():dom.index("</table>", table.end())]
    import html
    names = [html.unescape(n) for n in re.findall(r'<tr><td data-v="([^"]*)"', body)]
    assert len(names) == 9, f"{page}: {len(names)} rows: {names}"
    assert names == sorted(names, key=str.lower), f"{page}: rows not sorted by name: {names}"
    assert "&lt;svg onload" in dom and "<svg onload" not in dom, f"{page}: markup not escaped"
    assert re.search(r'id="scatter"', dom) and dom.count('class="dot"') == 9, f"{page}: scatter"
    assert "/missing/repo" in dom, f"{page}: error line not shown"
trend = open(f"{work}/org-trend.dom").read()
changes = trend[trend.index('id="changes"'):]
changes = changes[:changes.index("</ul>")]
assert "<b>py-chat-server</b>" in changes and "\u2192" in changes, changes
assert "retired-service</b>: removed" in changes, changes
assert "new," in changes, changes
print("test_render: dashboard DOM checks passed")
EOF

echo "test_render: 3 pages rendered in chromium without console messages${1:+; screenshots in $out}"
