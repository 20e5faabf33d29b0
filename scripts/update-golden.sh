#!/usr/bin/env bash
# Regenerates tests/golden/expected/* from tests/golden/CASES with the built tool.
# Review the resulting `git diff` like code before committing it.
#   scripts/update-golden.sh [path/to/tcpflow-explain]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="${1:-$root/build/release/src/tcpflow-explain}"
[ -x "$exe" ] || { echo "update-golden: build first (no $exe)" >&2; exit 2; }
mkdir -p "$root/tests/golden/expected"
while read -r name input ext flags; do
  case "$name" in ''|\#*) continue ;; esac
  if [[ "$input" == shared/* ]]; then path="$root/../${input}"; else path="$root/$input"; fi
  if [ ! -f "$path" ]; then echo "skip $name: $path absent"; continue; fi
  # shellcheck disable=SC2086
  "$exe" "$path" $flags --color never > "$root/tests/golden/expected/$name.$ext"
  echo "wrote $name.$ext"
done < "$root/tests/golden/CASES"
