#!/usr/bin/env bash
# check-format.sh: every C++ source the repository tracks follows .clang-format (clang-format-14).
#   scripts/check-format.sh          list the files that differ, exit 1 if any
#   scripts/check-format.sh --fix    reformat them in place
# Exit 77 (ctest's "skipped") when clang-format-14 is not installed: scripts/bootstrap.sh --test
# installs it, so CI always checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fmt="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$fmt" >/dev/null 2>&1; then
  echo "check-format: $fmt not found (scripts/bootstrap.sh --test installs it): skipped"
  exit 77
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src include tests bench examples -name '*.[ch]pp')
if [[ ${1:-} == --fix ]]; then
  "$fmt" -i "${files[@]}"
  exit 0
fi
differ=()
for f in "${files[@]}"; do
  "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1 || differ+=("$f")
done
if [[ ${#differ[@]} -gt 0 ]]; then
  echo "check-format: ${#differ[@]} file(s) do not follow .clang-format (fix: scripts/check-format.sh --fix):"
  printf '  %s\n' "${differ[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format"
