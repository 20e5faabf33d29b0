#!/usr/bin/env bash
# make-samples.sh: regenerate samples/*.pcap (and samples/*.nstat.txt) from real captures
# of the kernel's TCP stack, on loopback or between lab network namespaces joined by the
# impairment bridge (scripts/impair/tfx-impair.py). Needs root, tcpdump, nc (openbsd),
# python3, iproute2 (ip, nstat).
#
#   scripts/make-samples.sh [--out DIR] [--list] [NAME...]
#
# Without NAME, makes every sample. Each scenario is bounded in time, uses a fixed port,
# checks the shape of what it captured and retries (up to 3 times) when the kernel's
# timing produced something else. Traffic: loopback, or 10.213.0.0/24 inside namespaces
# this script creates and always removes (trap), nothing else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/samples"
PY="${PYTHON:-python3}"
APP="$ROOT/scripts/samples/tcpapp.py"
# shellcheck source=netns-lab.sh
source "$ROOT/scripts/netns-lab.sh"
LAB_QUIET=1

LOOPBACK_SAMPLES=(seed-pouet refused rst-abort ipv6-handshake midstream capture-drop)
LAB_SAMPLES=(loss-retrans reorder zero-window keepalive port-reuse simultaneous-close half-close tso-offload simultaneous-open)

die() { echo "make-samples: $*" >&2; exit 1; }
say() { echo "make-samples: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --list) printf '%s\n' "${LOOPBACK_SAMPLES[@]}" "${LAB_SAMPLES[@]}"; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
WANT=("$@")
[[ ${#WANT[@]} -gt 0 ]] || WANT=("${LOOPBACK_SAMPLES[@]}" "${LAB_SAMPLES[@]}")

[[ $EUID -eq 0 ]] || die "must run as root (captures and namespaces)"
for tool in tcpdump nc ip nstat timeout "$PY"; do
  command -v "$tool" >/dev/null 2>&1 || die "missing $tool (scripts/bootstrap.sh --test installs it)"
done
nc -h 2>&1 | grep -q -- '-N' || die "nc is not netcat-openbsd (needs -N)"
mkdir -p "$OUT"

WORK=$(mktemp -d /tmp/tfx-samples.XXXXXX)
BG_PIDS=()

DIRECT_NS=()  # namespaces of veth_pair_up (no bridge), removed by cleanup

cleanup() {
  local pid ns
  for pid in "${BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  lab_down || true
  for ns in "${DIRECT_NS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [[ -n "${TFX_KEEP_WORK:-}" ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# in NS CMD...: run CMD inside namespace NS ("" = this namespace)
in_ns() { local ns=$1; shift; if [[ -n "$ns" ]]; then ip netns exec "$ns" "$@"; else "$@"; fi; }

# spawn NS CMD...: exec CMD (in namespace NS), replacing the current (sub)shell, so that
# a background `( spawn ... ) &` has the pid of CMD itself and signals reach it (a
# background subshell of a non-interactive bash would ignore SIGINT).
spawn() { local ns=$1; shift; if [[ -n "$ns" ]]; then exec ip netns exec "$ns" "$@"; else exec "$@"; fi; }

# bg NS CMD...: start in background, bounded by `timeout`; sets BG_PID
bg() {
  local ns=$1; shift
  ( spawn "$ns" timeout 40 "$@" </dev/null >>"$WORK/bg.out" 2>&1 ) &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

wait_bounded() {  # pid seconds: wait for pid to exit, at most seconds, then kill it
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 20; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.05
  done
  say "process $pid still running after ${limit}s, killing it"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

wait_file() {  # file seconds
  local i
  for ((i = 0; i < $2 * 20; i++)); do [[ -s "$1" ]] && return 0; sleep 0.05; done
  return 1
}

# cap_start NS IFACE FILE SNAPLEN FILTER: tcpdump in background, returns once it listens
# (extra tcpdump options, such as a buffer size, in the array CAP_EXTRA)
CAP_EXTRA=()
cap_start() {
  local ns=$1 ifc=$2 file=$3 snap=$4 filter=$5 i
  rm -f "$file" "$WORK/tcpdump.err"
  ( spawn "$ns" timeout 60 tcpdump -i "$ifc" --immediate-mode "${CAP_EXTRA[@]}" -w "$file" -U -s "$snap" -n "$filter" \
    2>"$WORK/tcpdump.err" </dev/null ) &
  CAP_PID=$!
  BG_PIDS+=("$CAP_PID")
  for ((i = 0; i < 200; i++)); do
    grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && return 0
    kill -0 "$CAP_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/tcpdump.err" >&2
  die "tcpdump did not start on $ifc"
}

cap_stop() {
  sleep 0.3  # let the last frames reach the capture
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait_bounded "$CAP_PID" 5 || true
}

# flags FILE: the TCP flags of each packet, space separated, as tcpdump prints them
flags() { tcpdump -nr "$1" 2>/dev/null | sed -n 's/.*Flags \[\([^]]*\)\].*/\1/p' | tr '\n' ' ' | sed 's/ $//'; }
count() { tcpdump -nr "$1" 2>/dev/null | wc -l; }

# --- kernel counters -------------------------------------------------------------------
nstat_snap() { ip netns exec "$1" nstat -asz 2>/dev/null | awk 'NR > 1 {print $1, $2}' >"$2"; }

# nstat_diff NAME: writes $WORK/NAME.nstat.txt from the before/after snapshots of A and B
NSTAT_KEYS="TcpOutSegs TcpRetransSegs TcpOutRsts TcpExtTCPFastRetrans TcpExtTCPLostRetransmit \
TcpExtTCPSackRecovery TcpExtTCPSACKReorder TcpExtTCPTSReorder TcpExtTCPLossProbes \
TcpExtTCPLossProbeRecovery TcpExtTCPSlowStartRetrans TcpExtTCPTimeouts TcpExtTCPSpuriousRTOs \
TcpExtTCPDSACKRecv TcpExtTCPDSACKOfoRecv TcpExtTCPDSACKOldSent TcpExtTCPDSACKOfoSent \
TcpExtTCPDSACKUndo TcpExtTCPDSACKIgnoredOld TcpExtTCPDSACKIgnoredNoUndo TcpExtTCPDSACKRecvSegs \
TcpExtTCPWinProbe TcpExtTCPKeepAlive TcpExtTCPToZeroWindowAdv TcpExtTCPFromZeroWindowAdv \
TcpExtTCPWantZeroWindowAdv TcpExtTCPOFOQueue TcpExtTCPAbortOnData TcpExtTCPAbortOnClose \
TcpExtTW TcpExtDelayedACKs TcpExtTCPSYNChallenge TcpExtTCPChallengeACK"

# listed: every NSTAT_KEYS counter; other: the other Tcp* counters that changed
cat >"$WORK/nstat.awk" <<'AWK'
NR == FNR { before[$1] = $2; next }
{ after[$1] = $2 }
END {
  n = split(keys, k, " ")
  for (i = 1; i <= n; i++) listed[k[i]] = 1
  if (mode == "listed") {
    for (i = 1; i <= n; i++) printf "%s %d\n", k[i], after[k[i]] - before[k[i]]
  } else {
    for (key in after)
      if (!(key in listed) && key ~ /^Tcp/ && after[key] != before[key] &&
          key != "TcpCurrEstab")
        printf "%s %d (other)\n", key, after[key] - before[key]
  }
}
AWK

nstat_diff() {
  local name=$1 side label
  {
    echo "# $name: kernel TCP counters, difference after - before the exchange (nstat -asz"
    echo "# inside each lab namespace). Ground truth for the analysis; see samples/README.md."
    if [[ -n "${NSTAT_SETUP:-}" ]]; then
      echo "# setup: $NSTAT_SETUP"
    else
      echo "# lab: MTU $LAB_MTU, offloads off via $LAB_OFFLOAD_METHOD, cubic;"
      echo "# bridge: tfx-impair.py $LAB_BRIDGE_ARGS"
    fi
    for side in a b; do
      if [[ $side == a ]]; then label="ns-a ${NSTAT_IP_A:-10.213.0.1} (client)"; else label="ns-b ${NSTAT_IP_B:-10.213.0.2} (server)"; fi
      echo "[$label]"
      awk -v keys="$NSTAT_KEYS" -v mode=listed -f "$WORK/nstat.awk" \
        "$WORK/nstat.$side.before" "$WORK/nstat.$side.after"
      awk -v keys="$NSTAT_KEYS" -v mode=other -f "$WORK/nstat.awk" \
        "$WORK/nstat.$side.before" "$WORK/nstat.$side.after" | sort
    done
  } >"$WORK/$name.nstat.txt"
}

nstat_get() {  # name side key -> value from the diff file
  awk -v want="[ns-$2" -v key="$3" '
    /^\[/ { on = (index($0, want) == 1); next }
    on && $1 == key { print $2; exit }' "$WORK/$1.nstat.txt"
}

# clean NAME: neither side retransmitted nor reset (bridge jitter on a busy machine can
# cause a spurious loss probe; such a run is retried rather than kept)
# (the sides named in $2, default both, must not retransmit; no side may send a RST)
clean() {
  local side
  for side in a b; do
    (($(nstat_get "$1" "$side" TcpOutRsts) == 0)) || { say "$1: ns-$side TcpOutRsts != 0"; return 1; }
  done
  for side in ${2:-a b}; do
    (($(nstat_get "$1" "$side" TcpRetransSegs) == 0)) || { say "$1: ns-$side TcpRetransSegs != 0"; return 1; }
  done
}

# --- loopback scenarios ----------------------------------------------------------------
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

make_seed_pouet() {  # file host(127.0.0.1|::1)
  local file=$1 host=$2 srv
  port_free 1025 || die "port 1025 is in use"
  cap_start "" lo "$file" 0 "tcp port 1025"
  bg "" nc -l "$host" 1025
  srv=$BG_PID
  sleep 0.3
  # the classic `echo pouet | nc localhost 1025`; the short sleep keeps the server's ACK
  # of the data apart from its FIN (else the kernel may merge them into 7 packets)
  { printf 'pouet\n'; sleep 0.2; } | timeout 10 nc -N "$host" 1025 >/dev/null
  wait_bounded "$srv" 5 || true
  cap_stop
}

check_seed() { [[ "$(flags "$1")" == "S S. . P. . F. F. ." ]]; }

scenario_seed-pouet() { make_seed_pouet "$1" 127.0.0.1; check_seed "$1"; }
scenario_ipv6-handshake() { make_seed_pouet "$1" ::1; check_seed "$1"; }

scenario_refused() {
  port_free 42001 || die "port 42001 is in use"
  cap_start "" lo "$1" 0 "tcp port 42001"
  timeout 5 nc -z 127.0.0.1 42001 || true
  cap_stop
  [[ "$(flags "$1")" == "S R." ]]
}

scenario_rst-abort() {
  local srv
  cap_start "" lo "$1" 0 "tcp port 42002"
  bg "" "$PY" "$APP" server rst-abort 127.0.0.1 42002 --ready "$WORK/ready"
  srv=$BG_PID
  wait_file "$WORK/ready" 5 || die "rst-abort server did not start"
  timeout 10 "$PY" "$APP" client rst-abort 127.0.0.1 42002
  wait_bounded "$srv" 5 || true
  cap_stop
  local f; f=$(flags "$1")
  [[ "$f" == S\ S.\ .\ P.\ *R.* && "$f" != *F* ]]
}

scenario_midstream() {
  local srv cli
  rm -f "$WORK/ready" "$WORK/connected" "$WORK/go"
  bg "" "$PY" "$APP" server midstream 127.0.0.1 42003 --ready "$WORK/ready"
  srv=$BG_PID
  wait_file "$WORK/ready" 5 || die "midstream server did not start"
  bg "" "$PY" "$APP" client midstream 127.0.0.1 42003 --ready "$WORK/connected" --go "$WORK/go"
  cli=$BG_PID
  wait_file "$WORK/connected" 5 || die "midstream client did not connect"
  sleep 0.3  # the handshake's last ACK is long gone
  cap_start "" lo "$1" 0 "tcp port 42003"
  touch "$WORK/go"
  wait_bounded "$cli" 10 || true
  wait_bounded "$srv" 5 || true
  cap_stop
  local f; f=$(flags "$1")
  [[ "$f" != *S* && "$f" == P.* && "$f" == *F* ]]
}

# A capture that drops packets itself, the way a busy capture host does: tcpdump's kernel
# buffer is tiny (-B 16 KiB) and tcpdump is suspended (SIGSTOP) for 0.25 s while two
# connections send a steady stream; the kernel drops what does not fit and says so
# ("N packets dropped by kernel", kept as NAME.capstats.txt). The receivers got every byte.
scenario_capture-drop() {
  local srv cli dropped
  port_free 42017 || die "port 42017 is in use"
  CAP_EXTRA=(-B 16)
  cap_start "" lo "$1" 96 "tcp port 42017"
  CAP_EXTRA=()
  rm -f "$WORK/ready"
  bg "" "$PY" "$APP" server paced 127.0.0.1 42017 --connections 2 --ready "$WORK/ready"
  srv=$BG_PID
  wait_file "$WORK/ready" 5 || die "capture-drop server did not start"
  bg "" "$PY" "$APP" client paced 127.0.0.1 42017 --connections 2 --size 40000 --chunk 1000 --pause 0.01
  cli=$BG_PID
  sleep 0.15
  pkill -STOP -P "$CAP_PID" tcpdump || true
  sleep 0.25
  pkill -CONT -P "$CAP_PID" tcpdump || true
  wait_bounded "$cli" 15 || true
  wait_bounded "$srv" 5 || true
  cap_stop
  grep -E "packets (captured|received|dropped)" "$WORK/tcpdump.err" >"$WORK/capture-drop.capstats.txt" || true
  dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$WORK/capture-drop.capstats.txt")
  [[ -n "$dropped" ]] && ((dropped > 0)) && [[ $(tcpdump -nr "$1" 2>/dev/null | grep -c 'Flags \[F') -ge 4 ]]
}

# veth_pair_up PREFIX: two namespaces joined by a plain veth pair, offloads left as the
# kernel sets them (TSO/GSO/GRO on): sets TSO_NS_A, TSO_NS_B (10.213.1.1, 10.213.1.2).
veth_pair_up() {
  TSO_NS_A="$1-a"; TSO_NS_B="$1-b"
  DIRECT_NS+=("$TSO_NS_A" "$TSO_NS_B")
  ip netns add "$TSO_NS_A" && ip netns add "$TSO_NS_B" &&
    ip link add tfx-ta netns "$TSO_NS_A" type veth peer name tfx-tb netns "$TSO_NS_B" &&
    ip -n "$TSO_NS_A" addr add 10.213.1.1/24 dev tfx-ta &&
    ip -n "$TSO_NS_B" addr add 10.213.1.2/24 dev tfx-tb &&
    ip -n "$TSO_NS_A" link set lo up && ip -n "$TSO_NS_B" link set lo up &&
    ip -n "$TSO_NS_A" link set tfx-ta up && ip -n "$TSO_NS_B" link set tfx-tb up
}

veth_pair_down() {
  ip netns del "$TSO_NS_A" 2>/dev/null || true
  ip netns del "$TSO_NS_B" 2>/dev/null || true
}

# Segmentation offload: the sender hands the veth super-segments of several MSS (GSO/TSO);
# tcpdump sees them before they are cut, so segments are larger than the MSS on the SYN.
scenario_tso-offload() {
  local srv
  veth_pair_up "tfxlab-$$-tso" || { veth_pair_down; return 1; }
  nstat_snap "$TSO_NS_A" "$WORK/nstat.a.before"
  nstat_snap "$TSO_NS_B" "$WORK/nstat.b.before"
  cap_start "$TSO_NS_A" tfx-ta "$1" 128 "tcp port 42018"
  rm -f "$WORK/ready"
  bg "$TSO_NS_B" "$PY" "$APP" server bulk 10.213.1.2 42018 --ready "$WORK/ready"
  srv=$BG_PID
  wait_file "$WORK/ready" 5 || die "tso-offload server did not start"
  timeout 30 ip netns exec "$TSO_NS_A" "$PY" "$APP" client bulk 10.213.1.2 42018 --size 30000 ||
    say "tso-offload client exited non-zero"
  wait_bounded "$srv" 10 || true
  cap_stop
  nstat_snap "$TSO_NS_A" "$WORK/nstat.a.after"
  nstat_snap "$TSO_NS_B" "$WORK/nstat.b.after"
  NSTAT_SETUP="plain veth pair, MTU 1500, kernel default offloads (TSO/GSO/GRO on), no bridge" \
    NSTAT_IP_A=10.213.1.1 NSTAT_IP_B=10.213.1.2 nstat_diff tso-offload
  veth_pair_down
  # at least one data segment larger than the 1460-byte MSS
  clean tso-offload && tcpdump -nr "$1" 2>/dev/null | awk '/length [0-9]+$/ { if ($NF + 0 > 1460) big = 1 } END { exit !big }'
}

# --- namespace scenarios ---------------------------------------------------------------
# lab_scenario NAME BRIDGE-FLAGS... ; then the caller runs the exchange between
# lab_begin (capture + counters before) and lab_end (counters after + capture stop).
lab_begin() {  # capture-ns capture-if file snaplen filter
  nstat_snap "$LAB_NS_A" "$WORK/nstat.a.before"
  nstat_snap "$LAB_NS_B" "$WORK/nstat.b.before"
  cap_start "$1" "$2" "$3" "$4" "$5"
}

lab_end() {  # name
  cap_stop
  nstat_snap "$LAB_NS_A" "$WORK/nstat.a.after"
  nstat_snap "$LAB_NS_B" "$WORK/nstat.b.after"
  nstat_diff "$1"
  cp "$LAB_STATE/bridge.log" "$WORK/$1.bridge.log" 2>/dev/null || true
}

# run_pair NAME PORT [server-args] -- [client-args]: server in B, client in A, bounded
run_pair() {
  local scen=$1 port=$2 srv; shift 2
  local sargs=() cargs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do sargs+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  cargs=("$@")
  rm -f "$WORK/ready"
  bg "$LAB_NS_B" "$PY" "$APP" server "$scen" "$LAB_IP_B" "$port" --ready "$WORK/ready" "${sargs[@]}"
  srv=$BG_PID
  wait_file "$WORK/ready" 5 || die "$scen server did not start"
  timeout 30 ip netns exec "$LAB_NS_A" "$PY" "$APP" client "$scen" "$LAB_IP_B" "$port" "${cargs[@]}" ||
    say "$scen client exited non-zero"
  wait_bounded "$srv" 10 || true
}

scenario_loss-retrans() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 5 --drop-a2b 5,17,18 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 128 "tcp port 42010"
  run_pair bulk 42010 -- --size 40000
  lab_end loss-retrans
  lab_down
  clean loss-retrans b && (($(nstat_get loss-retrans a TcpRetransSegs) >= 3)) && (($(nstat_get loss-retrans a TcpExtTCPSackRecovery) >= 1))
}

scenario_reorder() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 5 --reorder-a2b 6,16 --reorder-after 3 || return 1
  lab_begin "$LAB_NS_B" "$LAB_IF_B" "$1" 128 "tcp port 42011"
  run_pair bulk 42011 -- --size 30000
  lab_end reorder
  lab_down
  clean reorder b && (($(nstat_get reorder b TcpExtTCPOFOQueue) >= 1))
}

scenario_zero-window() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 10 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42012"
  run_pair zero-window 42012 --rcvbuf 2048 --stall 1.5 --read-size 2048 --read-pause 0.05 -- --size 12000
  lab_end zero-window
  lab_down
  clean zero-window && (($(nstat_get zero-window a TcpExtTCPWinProbe) >= 1)) &&
    (($(nstat_get zero-window b TcpExtTCPToZeroWindowAdv) >= 1))
}

scenario_keepalive() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 10 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42013"
  run_pair keepalive 42013 -- --idle 3.5
  lab_end keepalive
  lab_down
  clean keepalive && (($(nstat_get keepalive a TcpExtTCPKeepAlive) >= 2))
}

scenario_port-reuse() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 10 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42014"
  run_pair port-reuse 42014 -- --bind-port 42114 --gap 0.3
  lab_end port-reuse
  lab_down
  clean port-reuse && [[ $(tcpdump -nr "$1" 2>/dev/null | grep -c "42114 > .*Flags \[S\]") -eq 2 ]]
}

scenario_simultaneous-close() {
  local at
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 30 || return 1
  at=$(date +%s.%N | awk '{printf "%.3f", $1 + 1.5}')
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42015"
  run_pair simultaneous-close 42015 --close-at "$at" -- --close-at "$at"
  lab_end simultaneous-close
  lab_down
  # both FINs leave before either side has seen the other's: two F. that ack no FIN
  clean simultaneous-close && [[ $(tcpdump -nr "$1" 2>/dev/null | grep -c 'Flags \[F\.\]') -eq 2 ]] &&
    [[ "$(flags "$1")" == *"F. F. . ." ]]
}

scenario_simultaneous-open() {
  local at pa pb
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 30 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42019"
  at=$(date +%s.%N | awk '{printf "%.3f", $1 + 1.5}')  # after the capture started: both wait for it
  # No listener: both peers connect() at the same time, ns-a from port 42019 to ns-b's 42020.
  bg "$LAB_NS_B" "$PY" "$APP" client simultaneous-open "$LAB_IP_A" 42019 --bind-port 42020 --open-at "$at"
  pb=$BG_PID
  bg "$LAB_NS_A" "$PY" "$APP" client simultaneous-open "$LAB_IP_B" 42020 --bind-port 42019 --open-at "$at"
  pa=$BG_PID
  wait_bounded "$pa" 30 || true
  wait_bounded "$pb" 10 || true
  lab_end simultaneous-open
  lab_down
  # two SYNs without ACK (they crossed), then two SYN-ACKs; both kernels counted an active open
  clean simultaneous-open && [[ "$(flags "$1")" == "S S S. S."* ]] &&
    (($(nstat_get simultaneous-open a TcpActiveOpens) == 1)) && (($(nstat_get simultaneous-open b TcpActiveOpens) == 1))
}

scenario_half-close() {
  lab_up --prefix "tfxlab-$$" --time-limit 40 -- --delay-ms 10 || return 1
  lab_begin "$LAB_NS_A" "$LAB_IF_A" "$1" 0 "tcp port 42016"
  run_pair half-close 42016
  lab_end half-close
  lab_down
  # client FIN first, then server data, then server FIN
  clean half-close || return 1
  tcpdump -nr "$1" 2>/dev/null | awk '
    /10.213.0.1.[0-9]+ > .*Flags \[F/ { cf = NR }
    /10.213.0.2.42016 > .*Flags \[P/ && cf { data = NR }
    /10.213.0.2.42016 > .*Flags \[F/ && data { ok = 1 }
    END { exit !ok }'
}

# --- samples/README.md -----------------------------------------------------------------
declare -A WHAT=(
  [seed-pouet]="The classic walkthrough: \`echo pouet \\| nc 127.0.0.1 1025\` against \`nc -l 127.0.0.1 1025\`: SYN, SYN-ACK, ACK, PSH-ACK \"pouet\\n\" (6 bytes), ACK, FIN-ACK, FIN-ACK, ACK. Loopback, port 1025, -s 0."
  [refused]="SYN to a closed port (\`nc -z 127.0.0.1 42001\`), answered by RST-ACK. Loopback, -s 0."
  [rst-abort]="Established connection, 16 bytes each way, then the client closes with SO_LINGER {1,0}: RST-ACK instead of FIN, no FIN at all. Loopback, port 42002, -s 0."
  [ipv6-handshake]="The seed exchange over ::1 (\`nc -l ::1 1025\` / \`nc -N ::1 1025\`): same 8 packets, IPv6. Loopback, -s 0."
  [midstream]="Capture started after the handshake (connection open, then tcpdump): 3 x 32-byte request/response rounds, then FIN-ACK, FIN-ACK, ACK; no SYN in the file. Loopback, port 42003, -s 0."
  [loss-retrans]="Bulk 40000 bytes client->server through the bridge (5 ms each way, MTU 1500, MSS 1448) dropping the 5th, 17th and 18th data segments a->b: duplicate ACKs with SACK blocks, fast retransmissions, SACK recovery. Captured at the sender (ns-a), -s 128 (headers only: caplen < len)."
  [reorder]="Bulk 30000 bytes through the bridge (5 ms each way) holding the 6th and 16th data segments a->b until 3 later frames passed: out-of-order arrivals, SACKs, then the late segment closes the hole. Captured at the receiver (ns-b), -s 128."
  [zero-window]="Receiver with SO_RCVBUF 2048 (window 1448, wscale 0) that sleeps 1.5 s then reads 2048 bytes every 50 ms; sender pushes 12000 bytes: zero windows, zero-window probes, window updates. Bridge 10 ms each way, captured at the sender (ns-a), -s 0."
  [keepalive]="SO_KEEPALIVE with TCP_KEEPIDLE=1, TCP_KEEPINTVL=1 on the client; 6-byte ping, 12-byte reply, 3.5 s idle: keep-alive probes (seq = snd.una - 1, no data) each ACKed, then FIN/FIN/ACK. Bridge 10 ms, captured at the client (ns-a), -s 0."
  [port-reuse]="Two successive connections from the same client port 42114 (SO_REUSEADDR) to 10.213.0.2:42014; the server closes first, so the second SYN meets the server's TIME-WAIT socket and is accepted. Bridge 10 ms, captured at ns-a, -s 0."
  [simultaneous-close]="Both sides call shutdown(SHUT_WR) at the same agreed wall-clock time with 30 ms one-way delay: the two FIN-ACKs cross (neither acknowledges the other's FIN), then each side ACKs the other's FIN (both go through CLOSING). Captured at ns-a, -s 0."
  [capture-drop]="Two connections on loopback each send 40 writes of 1000 bytes, 10 ms apart; tcpdump runs with a 16 KiB kernel buffer (-B 16) and is suspended (SIGSTOP) for 0.25 s in the middle: the kernel drops the frames that do not fit (tcpdump's own count is in capture-drop.capstats.txt). The receivers acknowledge bytes the capture never saw. Port 42017, -s 96."
  [tso-offload]="Bulk 30000 bytes between two namespaces joined by a plain veth pair with the kernel's default offloads (TSO/GSO/GRO on): tcpdump on the sender's veth sees super-segments of several MSS (7240, 14480 bytes with MSS 1460) before they are cut; the client's TcpOutSegs in tso-offload.nstat.txt counts the MSS-size segments on the wire, more than the frames captured. No loss. Port 42018, -s 128."
  [simultaneous-open]="No listener: at the same agreed wall-clock time ns-a connect()s from port 42019 to 10.213.0.2:42020 and ns-b from port 42020 to 10.213.0.1:42019 (both bound with SO_REUSEADDR), 30 ms one-way delay: the two SYNs cross, each side answers the other's SYN with a SYN-ACK (RFC 9293 Figure 8: both CLOSED -> SYN-SENT -> SYN-RECEIVED -> ESTABLISHED; each kernel counts TcpActiveOpens=1, no passive open), then 12 bytes each way and FINs. The SYN-ACK repeats the sender's SYN, so each side reports the duplicate with a D-SACK (TCPDSACKOldSent=1). Captured at ns-a, -s 0."
  [half-close]="Client sends a request then shutdown(SHUT_WR) (its FIN follows the data); the server reads to EOF, then still sends two data segments after that FIN, then closes. Bridge 10 ms, captured at ns-a, -s 0."
)

nstat_summary() {  # file -> "ns-a: K=V ...; ns-b: K=V ..." (listed counters that are not 0, minus TcpOutSegs/TW)
  awk '
    /^\[ns-a/ { side = "client ns-a"; next }
    /^\[ns-b/ { side = "server ns-b"; next }
    /^#/ || /\(other\)/ || NF < 2 { next }
    $1 == "TcpOutSegs" || $1 == "TcpExtTW" || $1 == "TcpExtDelayedACKs" { next }
    $2 != 0 { k = $1; sub(/^TcpExt/, "", k); out[side] = out[side] " " k "=" $2 }
    END {
      s = ""
      for (x in out) {}
      if ("client ns-a" in out) s = "client ns-a:" out["client ns-a"]
      if ("server ns-b" in out) s = s (s ? "; " : "") "server ns-b:" out["server ns-b"]
      print (s ? s : "all listed counters 0")
    }' "$1"
}

write_readme() {
  local name f n
  {
    echo "# Sample captures"
    echo
    echo "Real captures of the Linux TCP stack (kernel $(uname -r) when last generated), made by"
    echo "\`scripts/make-samples.sh\` (as root: \`sudo scripts/make-samples.sh [NAME...]\`). Loopback samples use"
    echo "\`tcpdump -i lo\`; the others run between two network namespaces (10.213.0.1 client in ns-a,"
    echo "10.213.0.2 server in ns-b) joined by the user-space impairment bridge \`scripts/impair/tfx-impair.py\`"
    echo "(MTU 1500, offloads off, cubic). Every sample is Ethernet (DLT_EN10MB)."
    echo
    echo "Checksums: on loopback the kernel leaves TCP checksums to offload, so the loopback samples"
    echo "carry unfinished checksums (\`tcpdump -vv\` says \"incorrect\" for every packet the kernel"
    echo "sent from a socket; the RST of refused.pcap is complete), exactly as any real capture on lo."
    echo "A tool should not call them corrupt. The namespace samples have complete checksums (tx"
    echo "checksumming off on the veths)."
    echo
    echo "\`NAME.nstat.txt\` holds the kernel's own TCP counters for namespace samples (difference of"
    echo "\`nstat -asz\` before/after, for both namespaces): ground truth for the analysis. The"
    echo "summary below lists the non-zero ones of the fixed list (TcpOutSegs, TW and DelayedACKs omitted)."
    echo "Packet counts vary a little between regenerations (timing); golden tests must use the committed files."
    echo
    echo "Regenerate all (about a minute, root, loopback and private namespaces only):"
    echo "\`sudo scripts/make-samples.sh\`; one or a few: \`sudo scripts/make-samples.sh loss-retrans reorder\`;"
    echo "the names: \`scripts/make-samples.sh --list\`. Each scenario checks what it captured (flags"
    echo "sequence or kernel counters) and retries up to 3 times. This file is rewritten each run."
    echo "The bridge's per-frame log of a run (which segment was dropped or held) can be kept with"
    echo "\`TFX_KEEP_WORK=1\` (printed path, \`NAME.bridge.log\`)."
    echo
    echo "| file | packets | what it shows and how it was made | kernel counters (nstat truth) |"
    echo "| --- | ---: | --- | --- |"
    for name in "${LOOPBACK_SAMPLES[@]}" "${LAB_SAMPLES[@]}"; do
      f="$OUT/$name.pcap"
      [[ -f "$f" ]] || continue
      n=$(count "$f")
      if [[ -f "$OUT/$name.nstat.txt" ]]; then
        echo "| $name.pcap | $n | ${WHAT[$name]} | $(nstat_summary "$OUT/$name.nstat.txt") |"
      elif [[ -f "$OUT/$name.capstats.txt" ]]; then
        echo "| $name.pcap | $n | ${WHAT[$name]} | tcpdump: $(tr '\n' ';' <"$OUT/$name.capstats.txt" | sed 's/;$//; s/;/, /g') |"
      else
        echo "| $name.pcap | $n | ${WHAT[$name]} | (loopback, not recorded) |"
      fi
    done
  } >"$OUT/README.md"
}

# --- driver ----------------------------------------------------------------------------
RESULTS=()
for name in "${WANT[@]}"; do
  declare -F "scenario_$name" >/dev/null || die "unknown sample $name (see --list)"
  ok=0
  for attempt in 1 2 3; do
    tmp="$WORK/$name.pcap"
    rm -f "$tmp" "$WORK/$name.nstat.txt" "$WORK/$name.capstats.txt"
    if "scenario_$name" "$tmp"; then ok=1; break; fi
    say "$name: attempt $attempt did not have the expected shape ($(flags "$tmp" | cut -c1-120)), retrying"
    lab_down || true
    sleep 1
  done
  ((ok)) || die "$name: no good capture after 3 attempts"
  cp "$tmp" "$OUT/$name.pcap"
  chmod 0644 "$OUT/$name.pcap"
  if [[ -f "$WORK/$name.nstat.txt" ]]; then cp "$WORK/$name.nstat.txt" "$OUT/$name.nstat.txt"; fi
  if [[ -f "$WORK/$name.capstats.txt" ]]; then cp "$WORK/$name.capstats.txt" "$OUT/$name.capstats.txt"; fi
  n=$(count "$OUT/$name.pcap")
  size=$(stat -c %s "$OUT/$name.pcap")
  ((size < 20480)) || say "warning: $name.pcap is $size bytes (> 20 KB)"
  RESULTS+=("$(printf '%-20s %4d packets %6d bytes' "$name" "$n" "$size")")
  say "$name: $n packets, $size bytes"
done
printf '%s\n' "${RESULTS[@]}"
write_readme
say "wrote $OUT/README.md"
