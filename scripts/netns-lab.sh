#!/usr/bin/env bash
# netns-lab.sh: a two-host lab in network namespaces, joined through the impairment bridge.
#
#   ns <P>-a (tfx-a 10.213.0.1/24) <-veth-> ns <P>-br (tfx-br-a | tfx-impair | tfx-br-b)
#                                           <-veth-> ns <P>-b (tfx-b 10.213.0.2/24)
#
# Usage:
#   scripts/netns-lab.sh up   [--prefix P] [--mtu N] [--time-limit S] [-- BRIDGE-FLAGS...]
#   scripts/netns-lab.sh down [--prefix P | --all]
#   scripts/netns-lab.sh status
# `up` prints shell assignments (LAB_PREFIX, LAB_NS_A, LAB_NS_B, LAB_NS_BR, LAB_IP_A, ...)
# for eval. As a library (`source scripts/netns-lab.sh`), it defines lab_up / lab_down
# with the same arguments; lab_up sets those variables in the caller's shell.
#
# Addresses are 10.213.0.x and exist only inside the lab namespaces. IPv6 is disabled
# there, neighbours are static (no ARP), offloads are off (ethtool if installed, else the
# SIOCETHTOOL fallback scripts/impair/offload.py), congestion control is cubic. The
# bridge exits by itself after --time-limit seconds (default 60); `down` removes
# everything: bridge, remaining processes in the lab namespaces, namespaces (and so veths).

LAB_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_STATE_ROOT="${TFXLAB_STATE_ROOT:-/tmp/tfxlab-state}"
LAB_PYTHON="${PYTHON:-python3}"

lab_log() { [[ -n "${LAB_QUIET:-}" ]] || echo "netns-lab: $*" >&2; }

lab_offloads_off() {  # ns ifname...
  local ns=$1; shift
  if command -v ethtool >/dev/null 2>&1; then
    local i
    for i in "$@"; do
      ip netns exec "$ns" ethtool -K "$i" tx off sg off tso off gso off gro off >/dev/null 2>&1 || return 1
    done
    LAB_OFFLOAD_METHOD="ethtool -K"
  else
    ip netns exec "$ns" "$LAB_PYTHON" "$LAB_SCRIPT_DIR/impair/offload.py" "$@" >/dev/null || return 1
    LAB_OFFLOAD_METHOD="scripts/impair/offload.py (SIOCETHTOOL)"
  fi
}

lab_up() {
  local prefix="tfxlab-$$" mtu=1500 limit=60
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --prefix) prefix=$2; shift 2 ;;
      --mtu) mtu=$2; shift 2 ;;
      --time-limit) limit=$2; shift 2 ;;
      --) shift; break ;;
      *) echo "netns-lab: unknown option $1" >&2; return 2 ;;
    esac
  done
  [[ "$prefix" == tfxlab-* ]] || { echo "netns-lab: prefix must start with tfxlab-" >&2; return 2; }
  LAB_PREFIX=$prefix
  LAB_NS_A="$prefix-a"; LAB_NS_B="$prefix-b"; LAB_NS_BR="$prefix-br"
  LAB_IF_A=tfx-a; LAB_IF_B=tfx-b
  LAB_IP_A=10.213.0.1; LAB_IP_B=10.213.0.2
  LAB_STATE="$LAB_STATE_ROOT/$prefix"
  mkdir -p "$LAB_STATE"
  local ns
  for ns in "$LAB_NS_A" "$LAB_NS_B" "$LAB_NS_BR"; do
    ip netns add "$ns" || return 1
    echo "$ns" >>"$LAB_STATE/namespaces"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  ip link add "$LAB_IF_A" netns "$LAB_NS_A" mtu "$mtu" type veth peer name tfx-br-a netns "$LAB_NS_BR" mtu "$mtu" || return 1
  ip link add "$LAB_IF_B" netns "$LAB_NS_B" mtu "$mtu" type veth peer name tfx-br-b netns "$LAB_NS_BR" mtu "$mtu" || return 1
  lab_offloads_off "$LAB_NS_A" "$LAB_IF_A" || return 1
  lab_offloads_off "$LAB_NS_B" "$LAB_IF_B" || return 1
  lab_offloads_off "$LAB_NS_BR" tfx-br-a tfx-br-b || return 1
  # Belt and braces: even if an offload stayed on, never build super-segments.
  ip -n "$LAB_NS_A" link set "$LAB_IF_A" gso_max_segs 1 2>/dev/null || true
  ip -n "$LAB_NS_B" link set "$LAB_IF_B" gso_max_segs 1 2>/dev/null || true
  ip -n "$LAB_NS_BR" link set tfx-br-a promisc on up
  ip -n "$LAB_NS_BR" link set tfx-br-b promisc on up
  ip -n "$LAB_NS_A" addr add "$LAB_IP_A/24" dev "$LAB_IF_A"
  ip -n "$LAB_NS_B" addr add "$LAB_IP_B/24" dev "$LAB_IF_B"
  ip -n "$LAB_NS_A" link set "$LAB_IF_A" up
  ip -n "$LAB_NS_B" link set "$LAB_IF_B" up
  local mac_a mac_b
  mac_a=$(ip netns exec "$LAB_NS_A" cat "/sys/class/net/$LAB_IF_A/address")
  mac_b=$(ip netns exec "$LAB_NS_B" cat "/sys/class/net/$LAB_IF_B/address")
  ip -n "$LAB_NS_A" neigh replace "$LAB_IP_B" lladdr "$mac_b" dev "$LAB_IF_A" nud permanent
  ip -n "$LAB_NS_B" neigh replace "$LAB_IP_A" lladdr "$mac_a" dev "$LAB_IF_B" nud permanent
  for ns in "$LAB_NS_A" "$LAB_NS_B"; do
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_congestion_control=cubic \
      net.ipv4.tcp_no_metrics_save=1 2>/dev/null || true
  done
  LAB_MTU=$mtu
  LAB_BRIDGE_ARGS="$*"
  # The bridge, bounded in time; its pid goes into the state dir for `down`.
  rm -f "$LAB_STATE/bridge.ready"
  ip netns exec "$LAB_NS_BR" "$LAB_PYTHON" "$LAB_SCRIPT_DIR/impair/tfx-impair.py" \
    --if-a tfx-br-a --if-b tfx-br-b --time-limit "$limit" \
    --ready-file "$LAB_STATE/bridge.ready" --log "$LAB_STATE/bridge.log" \
    --stats-file "$LAB_STATE/bridge.stats.json" "$@" \
    >"$LAB_STATE/bridge.out" 2>&1 </dev/null &
  LAB_BRIDGE_PID=$!
  echo "$LAB_BRIDGE_PID" >"$LAB_STATE/bridge.pid"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$LAB_STATE/bridge.ready" ]] && break
    if ! kill -0 "$LAB_BRIDGE_PID" 2>/dev/null; then
      echo "netns-lab: bridge died:" >&2; cat "$LAB_STATE/bridge.out" >&2; return 1
    fi
    sleep 0.05
  done
  [[ -s "$LAB_STATE/bridge.ready" ]] || { echo "netns-lab: bridge not ready after 5s" >&2; return 1; }
  # One bounded reachability check: a SYN to a closed port of B must come back refused
  # (RST) through the bridge; a timeout means the path is broken.
  if ! ip netns exec "$LAB_NS_A" "$LAB_PYTHON" -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], 9), timeout=3)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$LAB_IP_B" 2>/dev/null; then
    echo "netns-lab: $LAB_IP_B not reachable from $LAB_NS_A through the bridge" >&2
    return 1
  fi
  lab_log "up: $LAB_NS_A <-> $LAB_NS_BR <-> $LAB_NS_B (mtu $mtu, offloads off via $LAB_OFFLOAD_METHOD)"
  return 0
}

lab_print_vars() {
  local v
  for v in LAB_PREFIX LAB_NS_A LAB_NS_B LAB_NS_BR LAB_IF_A LAB_IF_B LAB_IP_A LAB_IP_B LAB_STATE \
           LAB_BRIDGE_PID LAB_OFFLOAD_METHOD LAB_MTU LAB_BRIDGE_ARGS; do
    printf '%s=%q\n' "$v" "${!v}"
  done
}

# Stops the bridge (SIGTERM, then SIGKILL), the processes left in the lab namespaces,
# and deletes the namespaces. Safe to call twice, and on a half-built lab.
lab_down_prefix() {
  local prefix=$1 state="$LAB_STATE_ROOT/$1" pid ns
  if [[ -f "$state/bridge.pid" ]]; then
    pid=$(<"$state/bridge.pid")
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
       tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q tfx-impair; then
      kill -TERM "$pid" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  for ns in "$prefix-a" "$prefix-b" "$prefix-br"; do
    [[ -e "/run/netns/$ns" ]] || continue
    # Anything still running inside our own namespace was started by this lab.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 0.1
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$state"
}

lab_down() {
  case "${1:-}" in
    --all)
      local ns p
      for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^tfxlab-' || true); do
        p=${ns%-*}; lab_down_prefix "$p"
      done
      ;;
    --prefix) lab_down_prefix "$2" ;;
    "") [[ -n "${LAB_PREFIX:-}" ]] && lab_down_prefix "$LAB_PREFIX" ;;
    *) echo "netns-lab: unknown option $1" >&2; return 2 ;;
  esac
  return 0
}

lab_main() {
  [[ $EUID -eq 0 ]] || { echo "netns-lab: must run as root" >&2; exit 1; }
  local cmd=${1:-}; shift || true
  case "$cmd" in
    up)
      # Stand-alone `up` leaves the lab running for interactive use; tear it down on failure.
      if ! lab_up "$@"; then lab_down; exit 1; fi
      lab_print_vars
      ;;
    down) lab_down "$@" ;;
    status)
      ip netns list | grep '^tfxlab-' || echo "no tfxlab namespaces"
      ;;
    *) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  lab_main "$@"
fi
