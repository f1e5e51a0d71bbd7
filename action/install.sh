#!/usr/bin/env bash
# Gets the stackfit binary for the GitHub Action (action.yml), in two steps around an
# actions/cache step:
#
#   install.sh plan   Works out the runner's target, the action's version and a cache key from
#                     the action's own source. If dist-manifest/sha256.txt lists a prebuilt
#                     archive for this target and version, downloads it from the release, checks
#                     its sha256 against the manifest and uses it (prebuilt=true).
#   install.sh build  Otherwise: reuses the binary restored from the cache when its key matches,
#                     or builds it from the action's source with cargo (the cache step then saves
#                     it, and cargo's target directory, for the next run).
#
# Every value arrives through the environment; nothing here is evaluated as code. Written for
# bash 3.2 (macOS) as well as Git Bash on Windows.
set -euo pipefail

die() {
  echo "::error title=stackfit action::$*"
  exit 1
}

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
out="${GITHUB_OUTPUT:-/dev/stdout}"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

target_triple() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    Windows/ARM64) echo aarch64-pc-windows-msvc ;;
    *) echo "unknown-$(uname -s 2>/dev/null | tr '[:upper:]' '[:lower:]')-$(uname -m 2>/dev/null)" ;;
  esac
}

exe_suffix() {
  if [ "${RUNNER_OS:-}" = "Windows" ]; then echo ".exe"; fi
}

package_version() {
  sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" | head -n 1
}

# A hash of everything the binary is built from, so a cached binary is reused only for the
# same source.
source_hash() {
  local list
  list="$(mktemp)"
  (
    cd "$action_path"
    {
      printf '%s\n' Cargo.toml Cargo.lock build.rs
      find src queries -type f
    } | LC_ALL=C sort | while IFS= read -r f; do
      printf '%s  %s\n' "$(sha256_of "$f")" "$f"
    done
  ) >"$list"
  sha256_of "$list"
  rm -f "$list"
}

# The archive's expected sha256 from the manifest, or nothing.
manifest_sha() {
  local manifest="$1" asset="$2"
  [ -f "$manifest" ] || return 0
  awk -v a="$asset" '$0 !~ /^#/ && NF == 2 && ($2 == a || $2 == "*" a) { print $1; exit }' "$manifest"
}

# Downloads (or, with STACKFIT_RELEASE_DIR, copies) the release archive, checks it and unpacks
# the binary into $2. Returns non-zero, with a warning, if anything is off.
fetch_prebuilt() {
  local asset="$1" bin_dir="$2" want="$3" version="$4"
  local dl
  dl="$(mktemp -d)"
  # Test hook: STACKFIT_RELEASE_DIR stands for the release; the sha256 check still applies.
  if [ -n "${STACKFIT_RELEASE_DIR:-}" ]; then
    cp "$STACKFIT_RELEASE_DIR/$asset" "$dl/$asset" 2>/dev/null || {
      echo "::warning title=stackfit action::$asset is not in STACKFIT_RELEASE_DIR; building from source"
      rm -rf "$dl"
      return 1
    }
  else
    local repo="${ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}}"
    local server="${GITHUB_SERVER_URL:-https://github.com}"
    [ -n "$repo" ] || return 1
    local url="$server/$repo/releases/download/v$version/$asset"
    echo "Downloading $url"
    curl --proto '=https' --tlsv1.2 -fsSL --retry 3 --connect-timeout 10 --max-time 120 \
      -o "$dl/$asset" "$url" || {
      rm -rf "$dl"
      echo "::warning title=stackfit action::could not download $asset; building from source"
      return 1
    }
  fi
  local got
  got="$(sha256_of "$dl/$asset")"
  if [ "$got" != "$want" ]; then
    # Loud (an error annotation) but not fatal: the archive is deleted unopened and the
    # binary is built from the action's own source, which is what the workflow pinned.
    echo "::error title=stackfit action checksum mismatch::$asset has sha256 $got, but dist-manifest/sha256.txt says $want: the download is not used; building from source"
    rm -rf "$dl"
    return 1
  fi
  mkdir -p "$bin_dir"
  # (errexit does not apply inside a function called as an `if` condition: check each step.)
  tar -xzf "$dl/$asset" -C "$dl" || {
    echo "::warning title=stackfit action::$asset does not unpack; building from source"
    rm -rf "$dl"
    return 1
  }
  local exe found
  exe="stackfit$(exe_suffix)"
  found="$(find "$dl" -type f -name "$exe" | head -n 1)"
  [ -n "$found" ] || {
    echo "::warning title=stackfit action::$asset holds no $exe; building from source"
    rm -rf "$dl"
    return 1
  }
  if ! cp "$found" "$bin_dir/$exe" || ! chmod +x "$bin_dir/$exe"; then
    rm -rf "$dl"
    return 1
  fi
  rm -rf "$dl"
}

# Later steps of the job can run `stackfit` too.
add_to_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then printf '%s\n' "$1" >>"$GITHUB_PATH"; fi
}

plan() {
  local target version suffix cache_root bin_dir target_dir lock_hash src_hash key asset want
  target="$(target_triple)"
  version="$(package_version)"
  [ -n "$version" ] || die "no version in $action_path/Cargo.toml"
  suffix="$(exe_suffix)"
  cache_root="${STACKFIT_CACHE_DIR:-${RUNNER_TOOL_CACHE:-${HOME:-/tmp}/.cache}/stackfit-action/$target}"
  bin_dir="$cache_root/bin"
  target_dir="$cache_root/target"
  lock_hash="$(sha256_of "$action_path/Cargo.lock")"
  src_hash="$(source_hash)"
  key="stackfit-$version-$target-${lock_hash:0:16}-${src_hash:0:16}"
  asset="stackfit-v$version-$target.tar.gz"
  want="$(manifest_sha "${STACKFIT_DIST_MANIFEST:-$action_path/dist-manifest/sha256.txt}" "$asset")"
  local prebuilt=false
  if [ -n "$want" ]; then
    local pre_dir="$cache_root/prebuilt-$version"
    if fetch_prebuilt "$asset" "$pre_dir" "$want" "$version"; then
      prebuilt=true
      bin_dir="$pre_dir"
      echo "Using the released stackfit $version for $target (sha256 checked)"
      add_to_path "$bin_dir"
    fi
  else
    echo "No released stackfit $version for $target in dist-manifest/sha256.txt: building from source"
  fi
  {
    echo "prebuilt=$prebuilt"
    echo "target=$target"
    echo "version=$version"
    echo "bin-dir=$bin_dir"
    echo "bin=$bin_dir/stackfit$suffix"
    echo "target-dir=$target_dir"
    echo "cache-key=$key"
    echo "restore-key=stackfit-$version-$target-${lock_hash:0:16}-"
  } >>"$out"
}

build() {
  local bin_dir="${STACKFIT_BIN_DIR:?}" target_dir="${STACKFIT_TARGET_DIR:?}" key="${STACKFIT_CACHE_KEY:?}"
  local exe
  exe="stackfit$(exe_suffix)"
  if [ -x "$bin_dir/$exe" ] && [ "$(cat "$bin_dir/.cache-key" 2>/dev/null || true)" = "$key" ]; then
    echo "stackfit restored from the cache ($key)"
    add_to_path "$bin_dir"
    return 0
  fi
  local cargo="${CARGO:-cargo}"
  command -v "$cargo" >/dev/null 2>&1 ||
    die "cargo is not installed on this runner: add a Rust toolchain step (e.g. rustup or dtolnay/rust-toolchain) before stackfit, or publish a release listed in dist-manifest/sha256.txt"
  echo "Building stackfit from $action_path (cached for the next run)"
  CARGO_TARGET_DIR="$target_dir" "$cargo" build --release --locked --quiet \
    --manifest-path "$action_path/Cargo.toml"
  mkdir -p "$bin_dir"
  cp "$target_dir/release/$exe" "$bin_dir/$exe"
  chmod +x "$bin_dir/$exe"
  printf '%s\n' "$key" >"$bin_dir/.cache-key"
  add_to_path "$bin_dir"
}

case "${1:-}" in
  plan) plan ;;
  build) build ;;
  *)
    echo "usage: install.sh plan|build" >&2
    exit 2
    ;;
esac
