#!/usr/bin/env bash
# Installs the build dependencies (apt-get; sudo when not root), builds the release
# binary and explains the bundled seed capture: `echo pouet | nc localhost 1025`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
echo
echo "\$ build/release/src/tcpflow-explain samples/seed-pouet.pcap"
build/release/src/tcpflow-explain samples/seed-pouet.pcap
