#!/usr/bin/env bash
# The extra threads change nothing in the output: every capture of samples/ and of
# tests/data/lab in each format, with the ingest and render threads both on, against
# everything on one thread (--threads 1; payloads printed too, -X; the stream facts of
# --reassemble, which cross the threads with each segment).
# Usage: threads_equivalence.sh TCPFLOW_EXPLAIN SOURCE_DIR
# TFX_SAMPLES_ONLY=1 leaves tests/data/lab out (the ThreadSanitizer stage: a sanitized run is
# slow, and the samples already drive every format through both threads).
set -u
exe="$1"; src="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
captures=("$src"/samples/*.pcap)
[ "${TFX_SAMPLES_ONLY:-0}" != 1 ] && captures+=("$src"/tests/data/lab/*.pcap*)
failed=0; compared=0
for f in "${captures[@]}"; do
  [ -f "$f" ] || continue
  for format in text "text -X" json jsonl "json --reassemble"; do  # -X prints payloads: they cross threads too
    # shellcheck disable=SC2086 # "text -X" is two words on purpose
    "$exe" --format $format --ingest-thread on --render-thread on "$f" >"$tmp/on" 2>"$tmp/on.err"; on=$?
    # shellcheck disable=SC2086
    "$exe" --format $format --threads 1 "$f" >"$tmp/off" 2>"$tmp/off.err"; off=$?
    compared=$((compared + 1))
    if [ "$on" != "$off" ] || ! cmp -s "$tmp/on" "$tmp/off" || ! cmp -s "$tmp/on.err" "$tmp/off.err"; then
      echo "DIFFERS: $f --format $format (exit $on with threads, $off without)"; failed=1
    fi
  done
done
echo "$compared runs compared"
[ "$compared" -gt 0 ] || { echo "no capture found"; exit 1; }
exit "$failed"
