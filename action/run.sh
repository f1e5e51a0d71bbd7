#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml). ONE stackfit run writes everything:
#   stdout            annotations (`--format github`), or the text report if annotations are off
#                     (then printed with workflow commands stopped)
#   markdown          appended to $GITHUB_STEP_SUMMARY
#   github-output     key=value lines appended to $GITHUB_OUTPUT (profile, scores, ...)
#   json / sarif      the files the inputs name (JSON always, in $RUNNER_TEMP if not named)
#   text              printed in a collapsed log group, with workflow commands stopped
#   stderr            printed after the scan, with workflow commands stopped
# On pull_request events (input changed-since: auto) it passes --changed-since with the base
# commit of the event, fetching it first when the checkout is shallow.
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

warning() {
  local msg="$*"
  msg="${msg//'%'/%25}"
  msg="${msg//$'\r'/%0D}"
  msg="${msg//$'\n'/%0A}"
  echo "::warning title=stackfit action::$msg"
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# Prints a file that may quote scanned text (file names, code) with workflow commands stopped,
# under a token nobody can guess, so no line of it is read as a command.
print_stopped() {
  local token
  token="stackfit-$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')-$RANDOM$RANDOM"
  echo "::stop-commands::$token"
  cat "$1"
  echo "::$token::"
}

# The action's inputs and the event are not scanned text, but a value with a line break could
# still add a line to $GITHUB_OUTPUT or start a workflow command: refuse it.
single_line() {
  case "$2" in
    *$'\n'* | *$'\r'*)
      error "input $1 must be one line"
      exit 2
      ;;
  esac
}

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

# Sets changed_since to the git ref for --changed-since, or to nothing (whole repository).
# INPUT_CHANGED_SINCE: `auto` (the pull request's base commit on pull_request and
# pull_request_target events), empty or `none` (off), or a ref. The base commit comes from the
# event payload through PR_BASE_SHA.
changed_since=
set_changed_since() {
  local want="${INPUT_CHANGED_SINCE:-auto}"
  single_line changed-since "$want"
  case "$(lower "$want")" in
    "" | none | false) return 0 ;;
    auto)
      case "${EVENT_NAME:-}" in
        pull_request | pull_request_target) ;;
        *) return 0 ;;
      esac
      want="${PR_BASE_SHA:-}"
      case "$want" in
        "") return 0 ;;
        *[!0-9a-f]*)
          error "the event's pull_request.base.sha is not a commit id: '$want'"
          exit 2
          ;;
      esac
      if [ "${#want}" -ne 40 ] && [ "${#want}" -ne 64 ]; then
        error "the event's pull_request.base.sha is not a commit id: '$want'"
        exit 2
      fi
      ;;
    *)
      case "$want" in
        -* | *[!A-Za-z0-9._/@{}~^+-]*)
          error "input changed-since must be auto, none or a git ref (letters, digits and ._/@{}~^+-), not '$want'"
          exit 2
          ;;
      esac
      ;;
  esac
  changed_since="$want"
}

# Makes sure REF and its merge base with HEAD are in the checkout: a default actions/checkout
# fetches one commit. Fetches the two commits from origin a little deeper each time (public
# repositories, or a checkout that kept its credentials). Fails if they cannot be had.
have_merge_base() { git -C "$1" merge-base "$2" HEAD >/dev/null 2>&1; }
ensure_base() {
  local dir="$1" ref="$2" head depth
  have_merge_base "$dir" "$ref" && return 0
  # Only a commit id can be fetched by name from origin.
  case "$ref" in *[!0-9a-f]*) return 1 ;; esac
  head="$(git -C "$dir" rev-parse HEAD 2>/dev/null)" || return 1
  for depth in 2 20 200 2000; do
    echo "Fetching $ref and HEAD with depth $depth to find their merge base"
    git -C "$dir" fetch --no-tags --no-recurse-submodules --quiet --depth="$depth" origin "$ref" "$head" ||
      return 1
    have_merge_base "$dir" "$ref" && return 0
  done
  return 1
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
single_line path "$scan_path"
single_line config "$config"
single_line sarif-file "$sarif_file"
single_line json-file "$json_file"

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
set_changed_since

# Paths in the inputs are relative to the workspace, like every other action's.
cd "${GITHUB_WORKSPACE:-.}"
work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/stackfit.XXXXXX")"
if command -v cygpath >/dev/null 2>&1; then
  # Git Bash on Windows: stackfit.exe gets C:/... paths, bash runs /c/... ones.
  work="$(cygpath -m "$work")"
  bin="$(cygpath -u "$bin")"
fi
if [ -z "$json_file" ]; then json_file="$work/stackfit.json"; fi

help="$("$bin" scan --help 2>/dev/null || true)"
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
if grep -q -- '--fail-on' <<<"$help"; then
  args+=(--fail-on "$fail_on")
elif [ "$fail_on" != none ]; then
  error "this stackfit build has no --fail-on; fail-on must be none"
  exit 2
fi

# Pull-request mode: diagnostics only in the files the pull request changed (the verdict still
# reads the whole repository). Without the base commit, the whole repository is reported.
if [ -n "$changed_since" ]; then
  git_dir="$scan_path"
  [ -d "$git_dir" ] || git_dir="$(dirname -- "$git_dir")"
  if ! grep -q -- '--changed-since' <<<"$help"; then
    if [ "$(lower "${INPUT_CHANGED_SINCE:-auto}")" != auto ]; then
      error "this stackfit build has no --changed-since; set changed-since to auto or none"
      exit 2
    fi
    echo "This stackfit build has no --changed-since: reporting the whole repository"
  elif ensure_base "$git_dir" "$changed_since" || [ "$(lower "${INPUT_CHANGED_SINCE:-auto}")" != auto ]; then
    # A ref the workflow named is passed as it is: if it is not there, stackfit says so (exit 2).
    args+=(--changed-since="$changed_since")
    echo "Pull-request mode: diagnostics in the files changed since $changed_since"
  else
    warning "cannot find $changed_since and its merge base with HEAD in the checkout, so diagnostics of the whole repository are reported; check out with fetch-depth: 0 (or keep the credentials) for pull-request mode"
  fi
fi

# Extra arguments: split on blanks and newlines; no globbing, no quotes, no evaluation.
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  set -f
  # shellcheck disable=SC2206 # word splitting is the point; globbing is off
  extra=(${INPUT_ARGS})
  set +f
fi

# The command line quotes inputs: printed with workflow commands stopped.
printf 'stackfit %s -- %s\n' "${args[*]} ${extra[*]+${extra[*]}}" "$scan_path" >"$work/command.txt"
print_stopped "$work/command.txt"
set +e
# stdout carries the annotations; stderr may quote file names, so it is printed afterwards
# with workflow commands stopped.
if [ "$annotations" = true ]; then
  "$bin" "${args[@]}" ${extra[@]+"${extra[@]}"} -- "$scan_path" 2>"$work/stderr.txt"
else
  "$bin" "${args[@]}" ${extra[@]+"${extra[@]}"} -- "$scan_path" >"$work/plain.txt" 2>"$work/stderr.txt"
fi
rc=$?
set -e
if [ -s "$work/plain.txt" ]; then print_stopped "$work/plain.txt"; fi
if [ -s "$work/stderr.txt" ]; then print_stopped "$work/stderr.txt"; fi

if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  error "stackfit could not scan '$scan_path' (exit code $rc); its message is above"
  exit "$rc"
fi

if [ -f "$work/report.txt" ]; then
  # The report quotes file names and code.
  echo "::group::stackfit report"
  print_stopped "$work/report.txt"
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
