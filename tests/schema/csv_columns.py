#!/usr/bin/env python3
"""--format csv as a CSV reader loads it: the header is the column list of docs/schema.json's
$defs/csv_row, in its order, and the rows hold what tshark shows of the samples.

usage: csv_columns.py TOOL SCHEMA SAMPLES_DIR
"""
import csv
import io
import json
import os
import subprocess
import sys

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")


def rows(tool, capture):
    out = subprocess.run([tool, "--format", "csv", capture], capture_output=True, check=True).stdout.decode()
    reader = csv.DictReader(io.StringIO(out))
    return reader.fieldnames, list(reader)


def main():
    tool, schema_path, samples = sys.argv[1:4]
    with open(schema_path) as f:
        columns = list(json.load(f)["$defs"]["csv_row"]["properties"])

    # tshark -r ipv6-handshake.pcap: frame 1 is ::1.42252 -> ::1.1025 SYN at 1795671007.875987 (a
    # microsecond file); the SYN and the SYN-ACK both carry SACK-permitted, window scale 10 and
    # timestamps.
    header, got = rows(tool, os.path.join(samples, "ipv6-handshake.pcap"))
    check("header", header, columns)
    check("ipv6 rows", len(got), 1)
    r = got[0]
    check("ipv6 client", (r["client_ip"], r["client_port"]), ("::1", "42252"))
    check("ipv6 server", (r["server_ip"], r["server_port"]), ("::1", "1025"))
    check("ipv6 start", r["start_epoch_s"], "1795671007.875987000")
    check("ipv6 negotiated", (r["window_scaling"], r["sack"], r["timestamps"]), ("true", "true", "true"))
    check("ipv6 wscale", (r["client_wscale"], r["server_wscale"]), ("10", "10"))

    # tshark -r seed-pouet.pcap: 127.0.0.1.52200 -> 127.0.0.1.1025, 8 frames, 5 from the client,
    # the first at 1795671004.435130, the last 0.193981 s later.
    _, got = rows(tool, os.path.join(samples, "seed-pouet.pcap"))
    check("seed rows", len(got), 1)
    r = got[0]
    check("seed client", (r["client_ip"], r["client_port"]), ("127.0.0.1", "52200"))
    check("seed server", (r["server_ip"], r["server_port"]), ("127.0.0.1", "1025"))
    check("seed packets", (r["client_packets"], r["server_packets"]), ("5", "3"))
    check("seed start", r["start_epoch_s"], "1795671004.435130000")
    check("seed duration", r["duration_s"], "0.193981000")

    # midstream.pcap starts after the handshake (tshark: no frame has SYN set): what the SYNs
    # negotiate is unknown, so those fields are empty, not false.
    _, got = rows(tool, os.path.join(samples, "midstream.pcap"))
    check("midstream rows", len(got), 1)
    r = got[0]
    check("midstream ports", (r["client_port"], r["server_port"]), ("46342", "42003"))
    for field in ("window_scaling", "sack", "timestamps", "client_mss", "server_mss", "client_wscale",
                  "server_wscale", "handshake_rtt_ms"):
        check(f"midstream {field}", r[field], "")

    for f in failures:
        print(f"FAIL {f}")
    if failures:
        return 1
    print("the CSV columns and rows hold what the schema and tshark say")
    return 0


if __name__ == "__main__":
    sys.exit(main())
