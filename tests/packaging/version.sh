#!/usr/bin/env bash
# --version: the version and schema id, the git revision of the build (a commit this repository
# has, with -dirty when the tree had changes, or "unknown" outside a git checkout), and the
# libpcap version, which must be the one pkg-config reports for the libpcap built against.
#   version.sh BINARY SOURCE_DIR VERSION
set -euo pipefail
bin=$1 source=$2 version=$3
fail() { echo "version: $*" >&2; exit 1; }
mapfile -t lines < <("$bin" --version)
((${#lines[@]} == 3)) || fail "expected 3 lines, got ${#lines[@]}: ${lines[*]}"
[[ ${lines[0]} == "tcpflow-explain $version (JSON schema tcpflow-explain/1)" ]] || fail "line 1: ${lines[0]}"
[[ ${lines[1]} =~ ^git\ revision\ (.+)$ ]] || fail "line 2: ${lines[1]}"
revision=${BASH_REMATCH[1]}
if git -C "$source" rev-parse --show-toplevel >/dev/null 2>&1; then
  commit=${revision%-dirty}
  [[ $commit =~ ^[0-9a-f]{7,40}$ ]] && git -C "$source" cat-file -e "$commit^{commit}" 2>/dev/null ||
    fail "line 2 names no commit of this repository: $revision"
else
  [[ $revision == unknown ]] || fail "line 2 outside a git checkout: $revision"
fi
pcap=$(pkg-config --modversion libpcap)
[[ ${lines[2]} == "libpcap version $pcap"* ]] || fail "line 3: ${lines[2]} (pkg-config says libpcap $pcap)"
echo "version: ${lines[*]}"
