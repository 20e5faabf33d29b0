#!/usr/bin/env bash
# flood-bench.sh: peak memory of tcpflow-explain on synthetic flood captures.
#
#   scripts/flood-bench.sh [--build-dir DIR] [--sizes "1000000 10000000"] [--flood-every 10]
#                          [--pps 10000] [--modes "summary jsonl"] [-- EXTRA TCPFLOW-EXPLAIN OPTIONS]
#
# For each size N it writes a capture of N packets with tests/fuzz/flood_gen.cpp: a stream
# of complete connections (10 packets each) with one spoofed, never-answered SYN every
# FLOOD_EVERY packets (10M packets: a 1-million-connection SYN flood plus ~900k complete
# connections, 1000 s of capture at 10k packets/s). Then it runs the release binary on it
# twice, `--summary` and `--format jsonl` (output to /dev/null), under /usr/bin/time, and
# prints peak RSS, run time and the capture summary (connections, peak alive, expired,
# evicted). Memory should be flat from 1M to 10M packets: it is bounded by the connections
# alive at once (handshake timeout x SYN rate), not by the capture length.
# The release build is made if missing (cmake --preset release, in DIR, default build/release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TFX_BENCH_BUILD_DIR:-$root/build/release}"
sizes="1000000 10000000"
flood_every=10
pps=10000
modes="summary jsonl"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --flood-every) flood_every="$2"; shift ;;
    --pps) pps="$2"; shift ;;
    --modes) modes="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "flood-bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$build" = /* ]] || build="$root/$build"
[[ -x /usr/bin/time ]] || { echo "flood-bench.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

bin="$build/src/tcpflow-explain"
if [[ ! -x "$bin" ]]; then
  echo "flood-bench.sh: building the release binary in $build"
  cmake --preset release -B "$build" >/dev/null
  cmake --build "$build" -j "${TFX_JOBS:-2}" --target tfx_cli
fi
tmp="$(mktemp -d "${TMPDIR:-/tmp}/tfx-flood.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"${CXX:-c++}" -std=c++20 -O2 -o "$tmp/flood_gen" "$root/tests/fuzz/flood_gen.cpp"

printf '%-10s %-8s %10s %8s  %s\n' packets mode peak_MB seconds "capture summary"
for n in $sizes; do
  cap="$tmp/flood-$n.pcap"
  "$tmp/flood_gen" "$cap" "$n" "$flood_every" "$pps" 2>"$tmp/gen.log"
  for mode in $modes; do
    if [[ $mode == summary ]]; then args=(--summary); else args=(--format jsonl); fi
    /usr/bin/time -f '%M %e' -o "$tmp/time" "$bin" "${args[@]}" "${extra[@]}" "$cap" | tail -n 1 >"$tmp/last"
    read -r kb secs <"$tmp/time"
    if [[ $mode == jsonl ]]; then
      info=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s=s.get("summary", s); print(", ".join(f"{k} {s[k]}" for k in ("conversations","peak_alive","expired","evicted") if k in s))' "$tmp/last" 2>/dev/null || cut -c1-160 "$tmp/last")
    else
      info=$(cut -c1-160 "$tmp/last")
    fi
    printf '%-10s %-8s %10.1f %8s  %s\n' "$n" "$mode" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$secs" "$info"
  done
  echo "           ($(cat "$tmp/gen.log"))"
  rm -f "$cap"
done
