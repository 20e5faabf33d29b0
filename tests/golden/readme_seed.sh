#!/usr/bin/env bash
# README.md shows the walkthrough and the ladder of samples/seed-pouet.pcap: each must be the
# tool's output, byte for byte (the goldens seed-pouet-text and seed-pouet-ladder, which the
# golden tests keep equal to the tool).
#   readme_seed.sh SOURCE_DIR
set -euo pipefail
root="$1"
failed=0
# check COMMAND-LINE GOLDEN: the README's block under "$ COMMAND-LINE" equals GOLDEN.
check() {
  local block expected
  block="$(awk -v cmd="\$ $1" '$0 == cmd {on=1; next} on && /^```$/ {exit} on {print}' "$root/README.md")"
  expected="$(cat "$root/tests/golden/expected/$2")"
  if [ "$block" != "$expected" ]; then
    echo "README.md's block under '\$ $1' differs from tests/golden/expected/$2:" >&2
    diff <(printf '%s\n' "$block") <(printf '%s\n' "$expected") >&2 || true
    failed=1
  fi
}
check "tcpflow-explain samples/seed-pouet.pcap" seed-pouet-text.txt
check "tcpflow-explain samples/seed-pouet.pcap -F ladder" seed-pouet-ladder.txt
[ "$failed" = 0 ] && echo "README seed walkthrough and ladder match the tool's output"
exit "$failed"
