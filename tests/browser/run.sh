#!/usr/bin/env bash
# run.sh: the ctest entry of the browser tests. Finds Chromium and the Node packages
# (install.sh), then hands its arguments to browser.mjs. Exit 77 (ctest SKIP_RETURN_CODE)
# with the reason on stderr when Chromium, Node or the npm registry is not available.
#
#   run.sh page FILE.html [steps...]        run.sh render-mermaid FILE.mmd --screenshot OUT.png
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

chromium="${TFX_CHROMIUM:-}"
if [[ -z "$chromium" ]]; then
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then chromium="$(command -v "$name")"; break; fi
  done
fi
if [[ -z "$chromium" ]]; then
  echo "browser tests SKIPPED: no Chromium found (scripts/bootstrap.sh --test installs Debian's chromium)" >&2
  exit 77
fi

modules="$(bash "$here/install.sh")"  # exits 77 itself when Node or the registry is missing
exec node "$here/browser.mjs" --modules "$modules" --chromium "$chromium" "$@"
