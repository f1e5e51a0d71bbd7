#!/usr/bin/env bash
# Adds a release's sha256 lines to dist-manifest/sha256.txt, the list the GitHub Action checks
# downloaded archives against (action/install.sh). Run by .github/workflows/release.yml; a
# maintainer can run `write` by hand (docs/releasing.md).
#
#   update-manifest.sh write SHA256SUMS   Rewrites dist-manifest/sha256.txt in this checkout:
#                                         the lines of TAG are replaced by those of SHA256SUMS.
#   update-manifest.sh pr SHA256SUMS      `write`, then commits the file on a new branch
#                                         release/TAG-dist-manifest through the REST API (no git
#                                         credentials needed) and opens a pull request to
#                                         BASE_BRANCH with the gh CLI.
#
# Environment: TAG (v1.2.3); for `pr` also GH_TOKEN, GH_REPO (owner/name) and BASE_BRANCH.
# SHA256SUMS is `sha256sum` output; every line must name an archive of TAG.
set -euo pipefail

die() {
  echo "::error title=dist-manifest::$*"
  exit 1
}

root="$(cd "$(dirname "$0")/.." && pwd)"
manifest="$root/dist-manifest/sha256.txt"
tag="${TAG:?TAG (v1.2.3) is not set}"
case "$tag" in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) die "TAG must look like v1.2.3, not '$tag'" ;;
esac
case "$tag" in *[!A-Za-z0-9.+-]*) die "TAG must look like v1.2.3, not '$tag'" ;; esac

write() {
  local sums="$1" new
  [ -f "$sums" ] || die "no file $sums"
  # Each line: 64 hex digits, two spaces, stackfit-TAG-TARGET.tar.gz.
  if grep -vqE "^[0-9a-f]{64}  stackfit-${tag//./\\.}-[a-z0-9_]+(-[a-z0-9_]+)+\.tar\.gz$" "$sums"; then
    die "$sums has a line that is not '<sha256>  stackfit-$tag-<target>.tar.gz'"
  fi
  [ -s "$sums" ] || die "$sums is empty"
  new="$(mktemp)"
  {
    # The header and other versions' lines stay; this version's are replaced.
    if [ -f "$manifest" ]; then
      awk -v p="stackfit-$tag-" 'index($2, p) != 1 && index($2, "*" p) != 1' "$manifest"
    fi
    LC_ALL=C sort -k 2 "$sums"
  } >"$new"
  mkdir -p "$(dirname "$manifest")"
  mv "$new" "$manifest"
  echo "dist-manifest/sha256.txt now lists $(wc -l <"$sums" | tr -d ' ') archives of $tag"
}

pr() {
  local repo="${GH_REPO:?GH_REPO is not set}" base="${BASE_BRANCH:?BASE_BRANCH is not set}"
  local branch="release/$tag-dist-manifest" head blob content
  head="$(git -C "$root" rev-parse HEAD)"
  blob="$(git -C "$root" rev-parse "HEAD:dist-manifest/sha256.txt")"
  write "$1"
  content="$(base64 <"$manifest" | tr -d '\n')"
  # A re-run finds the branch from the first run: reset it to the tagged commit.
  gh api --silent "repos/$repo/git/refs" -f ref="refs/heads/$branch" -f sha="$head" ||
    gh api --silent -X PATCH "repos/$repo/git/refs/heads/$branch" -f sha="$head" -F force=true
  gh api --silent -X PUT "repos/$repo/contents/dist-manifest/sha256.txt" \
    -f message="dist-manifest: sha256 of the $tag archives" \
    -f content="$content" -f sha="$blob" -f branch="$branch"
  if ! gh pr create --repo "$repo" --base "$base" --head "$branch" \
    --title "dist-manifest: sha256 of the $tag archives" \
    --body "Adds the sha256 of the $tag release archives to dist-manifest/sha256.txt, so the action at the merged commit installs the released binary instead of building it. The lines are the release's SHA256SUMS; see docs/releasing.md."; then
    echo "::warning title=dist-manifest::could not open the pull request (does the repository let GitHub Actions create pull requests?); open it from the branch $branch"
  fi
}

case "${1:-}" in
  write) write "${2:?usage: update-manifest.sh write SHA256SUMS}" ;;
  pr) pr "${2:?usage: update-manifest.sh pr SHA256SUMS}" ;;
  *)
    echo "usage: update-manifest.sh write|pr SHA256SUMS" >&2
    exit 2
    ;;
esac
