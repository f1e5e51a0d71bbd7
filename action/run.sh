#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml). ONE stackfit run writes everything:
#   stdout            annotations (`--format github`), or the text report if annotations are off
#   markdown          appended to $GITHUB_STEP_SUMMARY
#   github-output     key=value lines appended to $GITHUB_OUTPUT (profile, scores, ...)
#   json / sarif      the files the inputs name (JSON always, in $RUNNER_TEMP if not named)
#   text              printed in a collapsed log group, with workflow commands stopped
#
# Inputs arrive as INPUT_* environment variables (action.yml maps them with `env:`; no
# expression is ever expanded into this script). Every value is quoted; INPUT_ARGS is split on
# whitespace without globbing or evaluation. Exit codes: 0 ok, 1 fail-on threshold reached,
# 2 bad input or the scan could not run. Written for bash 3.2 (macOS) and Git Bash (Windows).
set -euo pipefail

error() {
  # Values in the message are inputs: escape them as workflow-command data.
  local msg="$*"
  msg="${msg//'%'/%25}"
  msg="${msg//$'\r'/%0D}"
  msg="${msg//$'\n'/%0A}"
  echo "::error title=stackfit action::$msg"
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# true/false input -> exit status; anything else is an error.
flag() {
  case "$(lower "$2")" in
    true | yes | on | 1) return 0 ;;
    false | no | off | 0) return 1 ;;
    *)
      error "input $1 must be true or false, not '$2'"
      exit 2
      ;;
  esac
}

bin="${STACKFIT_BIN:-stackfit}"
# SARIF rules link their documentation (helpUri) at the action's own repository and ref.
if [ -z "${STACKFIT_DOCS_URL:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ] && [ -n "${ACTION_REF:-}" ]; then
  export STACKFIT_DOCS_URL="${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY/blob/$ACTION_REF/docs/rules.md"
fi
scan_path="${INPUT_PATH:-.}"
fail_on="$(lower "${INPUT_FAIL_ON:-none}")"
config="${INPUT_CONFIG:-}"
sarif_file="${INPUT_SARIF_FILE:-}"
json_file="${INPUT_JSON_FILE:-}"

case "$fail_on" in
  none | note | warning | error) ;;
  *)
    error "input fail-on must be one of none, note, warning, error, not '$fail_on'"
    exit 2
    ;;
esac
summary=false
annotations=false
if flag summary "${INPUT_SUMMARY:-true}"; then summary=true; fi
if flag annotations "${INPUT_ANNOTATIONS:-true}"; then annotations=true; fi

# Paths in the inputs are relative to the workspace, like every other action's.
cd "${GITHUB_WORKSPACE:-.}"
work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/stackfit.XXXXXX")"
if command -v cygpath >/dev/null 2>&1; then
  # Git Bash on Windows: stackfit.exe gets C:/... paths, bash runs /c/... ones.
  work="$(cygpath -m "$work")"
  bin="$(cygpath -u "$bin")"
fi
if [ -z "$json_file" ]; then json_file="$work/stackfit.json"; fi

args=(scan --output "github-output=$work/outputs.txt" --output "json=$json_file")
if [ "$annotations" = true ]; then
  args+=(--format github --output "text=$work/report.txt")
else
  args+=(--format text)
fi
if [ "$summary" = true ]; then args+=(--output "markdown=$work/summary.md"); fi
if [ -n "$sarif_file" ]; then args+=(--output "sarif=$sarif_file"); fi
if [ -n "$config" ]; then args+=(--config "$config"); fi
# --fail-on arrives with the linter; until a binary has it, only `none` can be honoured.
if "$bin" scan --help 2>/dev/null | grep -q -- '--fail-on'; then
  args+=(--fail-on "$fail_on")
elif [ "$fail_on" != none ]; then
  error "this stackfit build has no --fail-on; fail-on must be none"
  exit 2
fi

# Extra arguments: split on blanks and newlines; no globbing, no quotes, no evaluation.
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  set -f
  # shellcheck disable=SC2206 # word splitting is the point; globbing is off
  extra=(${INPUT_ARGS})
  set +f
fi

echo "stackfit ${args[*]} ${extra[*]+${extra[*]}} -- $scan_path"
set +e
"$bin" "${args[@]}" ${extra[@]+"${extra[@]}"} -- "$scan_path"
rc=$?
set -e

if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  error "stackfit could not scan '$scan_path' (exit code $rc); its message is above"
  exit "$rc"
fi

if [ -f "$work/report.txt" ]; then
  # The report quotes file names and code: stop workflow commands while it is printed.
  token="stackfit-$(date +%s)-$RANDOM$RANDOM"
  echo "::group::stackfit report"
  echo "::stop-commands::$token"
  cat "$work/report.txt"
  echo "::$token::"
  echo "::endgroup::"
fi

{
  if [ -f "$work/outputs.txt" ]; then cat "$work/outputs.txt"; fi
  echo "json-file=$json_file"
  echo "sarif-file=$sarif_file"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"

if [ "$summary" = true ] && [ -f "$work/summary.md" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi

if [ "$rc" -eq 1 ]; then
  error "stackfit found diagnostics at or above fail-on: $fail_on"
fi
exit "$rc"
