#!/usr/bin/env bash
# bootstrap.sh: install what tcpflow-explain needs on a fresh (even minimal) Debian 12.
#
#   scripts/bootstrap.sh          build dependencies
#   scripts/bootstrap.sh --test   + what the tests and sample scripts use (tcpdump, tshark,
#                                 nc, socat, iproute2, clang-14 + libFuzzer runtime, clang-format-14, graphviz,
#                                 python3-jsonschema, procps, tcptrace; groff-base and man-db (man page
#                                 lint), dpkg-dev (the .deb's Depends), zsh and fish (their completions'
#                                 syntax), python3-distributed (scripts/tfx-dask); for the browser tests
#                                 chromium and fonts-dejavu-core (the face the pictures' text is measured in),
#                                 and nodejs + npm unless a node and an npm are already on PATH)
#
# Idempotent: installs only missing packages, runs `apt-get update` only when something is
# missing. Run as root (re-runs itself with sudo when not root and sudo exists).
set -euo pipefail

BUILD_PKGS=(build-essential g++ cmake ninja-build pkg-config libpcap-dev libboost-graph-dev
            nlohmann-json3-dev libfmt-dev libcli11-dev libre2-dev libgtest-dev libgmock-dev
            libbenchmark-dev python3)
TEST_PKGS=(tcpdump tshark netcat-openbsd socat iproute2 clang-14 libclang-rt-14-dev clang-format-14
           graphviz python3-jsonschema procps chromium fonts-dejavu-core tcptrace groff-base man-db dpkg-dev zsh fish
           python3-distributed)
# Node for the browser tests (tests/browser): Debian's nodejs and npm, unless node and npm
# commands already exist (a NodeSource nodejs bundles npm and conflicts with Debian's npm).
NODE_PKGS=(nodejs npm)

with_test=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bootstrap: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [[ $EUID -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -E bash "$0" "$@"
  fi
  echo "bootstrap: must run as root (and sudo is not available)" >&2
  exit 1
fi

command -v apt-get >/dev/null 2>&1 || { echo "bootstrap: apt-get not found: Debian 12 expected" >&2; exit 1; }

wanted=("${BUILD_PKGS[@]}")
((with_test)) && wanted+=("${TEST_PKGS[@]}")
if ((with_test)) && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  wanted+=("${NODE_PKGS[@]}")
fi

installed() {  # true when the package is fully installed
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
for pkg in "${wanted[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#wanted[@]} packages already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/tfx-bootstrap.XXXXXX.log)
trap 'rm -f "$log"' EXIT

fail() {
  echo "bootstrap: $1 failed; last lines of its output:" >&2
  tail -n 25 "$log" >&2
  exit 1
}

# tshark asks whether non-root users may capture: answer "no" ahead of time.
if printf '%s\n' "${missing[@]}" | grep -qx tshark; then
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    debconf-set-selections 2>>"$log" || fail "debconf-set-selections"
fi

echo "bootstrap: installing ${#missing[@]} package(s): ${missing[*]}"
apt-get update -qq >>"$log" 2>&1 || fail "apt-get update"
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >>"$log" 2>&1 || fail "apt-get install ${missing[*]}"

still=()
for pkg in "${missing[@]}"; do installed "$pkg" || still+=("$pkg"); done
if [[ ${#still[@]} -gt 0 ]]; then
  echo "bootstrap: still not installed after apt-get: ${still[*]}" >&2
  exit 1
fi
echo "bootstrap: done"
