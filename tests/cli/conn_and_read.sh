#!/usr/bin/env bash
# --conn N,M (only those connections shown, numbered as in the whole capture), frame numbers
# under a BPF filter (the file's own), and tcpdump's habits (-r FILE, -n) on bundled captures.
#   conn_and_read.sh TOOL SOURCE_DIR
set -uo pipefail
tool="$1" src="$2"
lab="$src/tests/data/lab/lab.pcap" labng="$src/tests/data/lab/lab.pcapng"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The frame numbers of connection $2 in JSON Lines output on stdin.
frames_of() {
  python3 -c '
import json, sys
conn = int(sys.argv[1])
print(" ".join(str(e["frame"]) for e in map(json.loads, sys.stdin)
               if e.get("type") == "segment" and e.get("conversation") == conn))' "$1"
}

# ---- frame numbers under a BPF filter: those of the whole file ------------------------------
# lab.pcap's third connection is the only one from client port 40001 (its --summary row).
whole="$("$tool" "$lab" -F jsonl | frames_of 3)"
first="${whole%% *}"
if [[ -z "$whole" || "$first" -le 1 ]]; then fail "connection 3 of lab.pcap should start after frame 1: '$whole'"; fi
for how in file pcapng stdin; do
  case $how in
    file) got="$("$tool" "$lab" tcp port 40001 -F jsonl | frames_of 1)" ;;
    pcapng) got="$("$tool" "$labng" tcp port 40001 -F jsonl | frames_of 1)" ;;
    stdin) got="$("$tool" - tcp port 40001 -F jsonl < "$lab" | frames_of 1)" ;;
  esac
  [[ "$got" == "$whole" ]] || fail "filter 'tcp port 40001' ($how): frames '$got', without the filter '$whole'"
done

# ---- --conn ---------------------------------------------------------------------------------
json="$("$tool" "$lab" --conn 3,1 -F json)" || fail "--conn 3,1 -F json exited $?"
python3 - "$json" <<'PY' || fail "--conn 3,1 -F json: see above"
import json, sys
doc = json.loads(sys.argv[1])
ids = [c["id"] for c in doc["conversations"]]
assert ids == [1, 3], ids
assert doc["summary"]["selection"] == {"connections": [1, 3], "missing": []}, doc["summary"]
assert doc["summary"]["conversations"] == 3, "the capture's count stays the whole capture's"
PY
# The same list, repeated, reordered, with a duplicate; and the frames of the whole capture.
a="$("$tool" "$lab" --conn 3,1)"; b="$("$tool" "$lab" --conn 1 --conn 3 --conn 3)"
[[ "$a" == "$b" ]] || fail "--conn 3,1 and --conn 1 --conn 3 --conn 3 differ"
got="$("$tool" "$lab" --conn 3 -F jsonl | frames_of 3)"
[[ "$got" == "$whole" ]] || fail "--conn 3: frames '$got', without it '$whole'"
# Every format shows only the chosen connection (and still draws it).
for fmt in text jsonl csv ladder mermaid svg dot html; do
  out="$("$tool" "$lab" --conn 2 -F "$fmt" 2>&1)" || fail "--conn 2 -F $fmt exited $?"
  [[ -n "$out" ]] || fail "--conn 2 -F $fmt: empty output"
done
csv_rows="$("$tool" "$lab" --conn 2 -F csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ')"
[[ "$csv_rows" == "2 " ]] || fail "--conn 2 -F csv: rows '$csv_rows'"
grep -q "Showing connection 2 of 3 (--conn)" <<<"$("$tool" "$lab" --conn 2 --summary)" ||
  fail "--conn 2 --summary: no selection line"
# A number the capture does not have: the output, a line saying so, and exit 2.
out="$("$tool" "$lab" --conn 2,9 2>"$tmp/err")"; status=$?
[[ $status -eq 2 ]] || fail "--conn 2,9 exited $status (want 2)"
grep -q "No connection 9 in this capture." <<<"$out" || fail "--conn 2,9: no note in the output"
grep -q "no connection 9" "$tmp/err" || fail "--conn 2,9: stderr: $(cat "$tmp/err")"
for bad in 0 x 2, ,2 -1; do
  "$tool" "$lab" --conn "$bad" >/dev/null 2>&1; status=$?
  [[ $status -eq 2 ]] || fail "--conn '$bad' exited $status (want 2)"
done
"$tool" "$lab" --conn 1 --follow 1 >/dev/null 2>&1; status=$?
[[ $status -eq 2 ]] || fail "--conn with --follow exited $status (want 2)"
# check --select takes the same list.
"$tool" check "$lab" --select 'id 1,3' --count 2 --expect 'packets > 0' >/dev/null ||
  fail "check --select 'id 1,3' --count 2 did not pass"
"$tool" check "$lab" --select 'id 3,1' --count 1 --expect 'packets > 0' >/dev/null && 
  fail "check --select 'id 3,1' --count 1 passed (2 connections are selected)"

# ---- tcpdump habits ---------------------------------------------------------------------------
[[ "$("$tool" -r "$lab")" == "$("$tool" "$lab")" ]] || fail "-r FILE differs from the positional FILE"
[[ "$("$tool" -r "$lab" tcp port 40001)" == "$("$tool" "$lab" tcp port 40001)" ]] ||
  fail "-r FILE FILTER differs from FILE FILTER"
[[ "$("$tool" -n "$lab" -F json)" == "$("$tool" "$lab" -F json)" ]] || fail "-n changed the output"
"$tool" -r "$lab" -i lo >/dev/null 2>&1; status=$?
[[ $status -eq 2 ]] || fail "-r with -i exited $status (want 2)"
help="$("$tool" --help)"
grep -q "^  check " <<<"$help" || fail "--help does not list the check subcommand"
grep -q -- "-r,--read" <<<"$help" || fail "--help does not list -r"

if ((failures)); then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "conn_and_read: all checks passed"
