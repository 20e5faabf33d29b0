#!/bin/bash
# scripts/tfx-dask on a local cluster of 2 workers, 4 shards: the merged rows equal one
# process's --summary rows (connection numbers aside). Skipped (77) without python3-distributed.
#     tfx_dask.sh TOOL SOURCE_DIR
set -euo pipefail
tool=$1 source=$2
if ! /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
    echo "python3-distributed not installed (scripts/bootstrap.sh --test installs it): skipped"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
s=$source/samples
/usr/bin/python3 "$source/scripts/tfx-dask" --scheduler local:2 --shards 4 --binary "$tool" -o "$tmp/rows.csv" \
    -r "$s/port-reuse.pcap" -r "$s/loss-retrans.pcap" -r "$s/reorder.pcap" -r "$s/half-close.pcap"
"$tool" --summary -F csv -r "$s/port-reuse.pcap" -r "$s/loss-retrans.pcap" -r "$s/reorder.pcap" \
    -r "$s/half-close.pcap" >"$tmp/one.csv"
# Rows without their connection number (the first column), in start order.
strip() { tail -n +2 "$1" | cut -d, -f2- | sort; }
if ! diff <(strip "$tmp/one.csv") <(strip "$tmp/rows.csv"); then
    echo "FAIL: the merged shards' rows differ from one process's"
    exit 1
fi
[ "$(head -1 "$tmp/one.csv")" = "$(head -1 "$tmp/rows.csv")" ] || { echo "FAIL: CSV header"; exit 1; }
# The merged rows are in start order (exactly: the epoch seconds have nine decimals).
python3 - "$tmp/rows.csv" <<'PY' || { echo "FAIL: merged rows not sorted by start_epoch_s"; exit 1; }
import csv, sys
from decimal import Decimal
starts = [Decimal(r["start_epoch_s"]) for r in csv.DictReader(open(sys.argv[1]))]
sys.exit(0 if len(starts) > 3 and starts == sorted(starts) else 1)
PY
# The merged order does not depend on the shard count, also for connections starting at the same
# instant: twelve SYNs from as many client ports, all stamped at the same microsecond.
PYTHONPATH="$source/tests/support" python3 - "$tmp/same-instant.pcap" <<'PY'
import sys
from crafted_pcap import CLIENT, SERVER, SYN, CraftedPcap
with CraftedPcap(sys.argv[1]) as pcap:
    for port in range(40000, 40012):
        pcap.seg(1, CLIENT, SERVER, port, 80, 1000, 0, SYN)
PY
for k in 1 3 4; do
    /usr/bin/python3 "$source/scripts/tfx-dask" --scheduler local:2 --shards $k --binary "$tool" \
        -o "$tmp/same-$k.csv" -r "$tmp/same-instant.pcap"
done
[ "$(wc -l <"$tmp/same-1.csv")" = 13 ] || { echo "FAIL: twelve rows expected"; exit 1; }
for k in 3 4; do
    cmp <(cut -d, -f2- "$tmp/same-1.csv") <(cut -d, -f2- "$tmp/same-$k.csv") ||
        { echo "FAIL: the merged order depends on --shards ($k)"; exit 1; }
done
# JSONL: the conversation records exactly as the binary wrote them, connection numbers aside.
/usr/bin/python3 "$source/scripts/tfx-dask" --scheduler local:2 --shards 3 --binary "$tool" -o "$tmp/rows.jsonl" \
    -r "$s/port-reuse.pcap" -r "$s/loss-retrans.pcap" -r "$s/reorder.pcap" -r "$s/half-close.pcap"
"$tool" --summary -F jsonl -r "$s/port-reuse.pcap" -r "$s/loss-retrans.pcap" -r "$s/reorder.pcap" \
    -r "$s/half-close.pcap" | grep '^{"type":"conversation"' >"$tmp/one.jsonl"
unnumbered() { sed -E 's/^(\{"type":"conversation","id":)[0-9]+,/\1N,/' "$1" | sort; }
if ! diff <(unnumbered "$tmp/one.jsonl") <(unnumbered "$tmp/rows.jsonl") >/dev/null; then
    echo "FAIL: the merged JSONL records differ from one process's"
    exit 1
fi
[ "$(wc -l <"$tmp/rows.jsonl")" -gt 3 ] || { echo "FAIL: too few JSONL records"; exit 1; }
# A failing shard (an input that is not a capture) is reported with the binary's message.
printf 'garbage!' >"$tmp/bad.pcap"
if /usr/bin/python3 "$source/scripts/tfx-dask" --scheduler local:2 --shards 2 --retries 0 --binary "$tool" \
    -o "$tmp/x.csv" -r "$tmp/bad.pcap" -r "$s/reorder.pcap" 2>"$tmp/err"; then
    echo "FAIL: a failing shard must fail the run"
    exit 1
fi
grep -q "shard 1/2: exit 4: .*bad.pcap" "$tmp/err" || { echo "FAIL: message"; cat "$tmp/err"; exit 1; }
echo "ok: $(($(wc -l <"$tmp/one.csv") - 1)) rows"
