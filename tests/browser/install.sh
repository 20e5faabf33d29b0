#!/usr/bin/env bash
# install.sh: the browser tests' Node packages (package-lock.json: puppeteer-core, mermaid),
# installed with `npm ci` into a cache directory outside the source tree, one directory per
# lock file (its SHA-256), so a changed lock installs afresh (and the older installs go) and
# an unchanged one is reused.
#
#   tests/browser/install.sh      prints the directory holding node_modules
#
# Exit 77 (the tests' "skipped") when node or npm is missing or the npm registry cannot be
# reached; any other failure (a lock npm refuses, a full disk) is an error.
# TFX_NPM_CACHE overrides the cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/tcpflow-explain/npm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

skip() { echo "browser tests SKIPPED: $1" >&2; exit 77; }
command -v node >/dev/null 2>&1 || skip "node not found (scripts/bootstrap.sh --test installs nodejs)"
command -v npm >/dev/null 2>&1 || skip "npm not found (scripts/bootstrap.sh --test installs npm)"

root="${TFX_NPM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/tcpflow-explain/npm}"
lock_hash="$(sha256sum "$here/package-lock.json" | cut -c1-16)"
target="$root/$lock_hash"
mkdir -p "$root"

# Several tests may start at once: one installs, the others wait for it.
exec 9>"$root/.install.lock"
flock 9
if [[ -f "$target/.complete" ]]; then
  echo "$target"
  exit 0
fi

npm ping >/dev/null 2>&1 || skip "the npm registry cannot be reached (npm ping failed); nothing cached in $target"

work="$(mktemp -d "$root/.install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
# --ignore-scripts: nothing from the registry runs at install time (puppeteer-core downloads
# no browser; the system Chromium is driven).
if ! (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
  echo "install.sh: npm ci failed in $work:" >&2
  tail -n 20 "$work/npm.log" >&2
  exit 1
fi
touch "$work/.complete"
rm -rf "$target"
mv "$work" "$target"
trap - EXIT
# Installs for older lock files are of no more use (about 200 MB each).
for old in "$root"/????????????????; do
  [[ -d "$old" && "$old" != "$target" ]] && rm -rf "$old"
done
echo "$target"
