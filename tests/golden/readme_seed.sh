#!/usr/bin/env bash
# README.md shows the walkthrough of samples/seed-pouet.pcap: it must be the tool's output,
# byte for byte (the golden seed-pouet-text, which the golden test keeps equal to the tool).
#   readme_seed.sh SOURCE_DIR
set -euo pipefail
root="$1"
block="$(awk '/^\$ tcpflow-explain samples\/seed-pouet.pcap$/ {on=1; next} on && /^```$/ {exit} on {print}' "$root/README.md")"
expected="$(cat "$root/tests/golden/expected/seed-pouet-text.txt")"
if [ "$block" != "$expected" ]; then
  echo "README.md's seed walkthrough differs from tests/golden/expected/seed-pouet-text.txt:" >&2
  diff <(printf '%s\n' "$block") <(printf '%s\n' "$expected") >&2 || true
  exit 1
fi
echo "README seed walkthrough matches the tool's output"
