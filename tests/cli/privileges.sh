#!/usr/bin/env bash
# Privileges, as root (exits 77, skipped, otherwise; needs the user `nobody`):
#   -w and --junit do not follow a symbolic link another user planted in a shared directory;
#   -Z drops root for a capture FILE too, before -w is created (a root-only directory then
#   refuses it); the `check -- CMD` child inherits no descriptor but 0-2 (not the capture's
#   AF_PACKET socket) and runs as the -Z user, or as sudo's caller when -Z is not given;
#   a child that ignores SIGTERM is killed after the grace period, and the report says so.
#
# usage: privileges.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: privileges.sh BINARY SOURCE_DIR}
SRC=${2:?usage: privileges.sh BINARY SOURCE_DIR}
S=$SRC/samples
CHILD=$SRC/tests/cli/inherited_fds.py

if [ "$(id -u)" -ne 0 ]; then
    echo "privileges: needs root (to drop it, and for a live capture on lo): skipped"
    exit 77
fi
if ! id nobody >/dev/null 2>&1; then
    echo "privileges: no user 'nobody': skipped"
    exit 77
fi
for tool in python3 timeout; do
    command -v "$tool" >/dev/null || { echo "privileges: $tool missing: skipped"; exit 77; }
done
NOBODY_UID=$(id -u nobody)

# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"
chmod 755 "$TMP"  # nobody must reach its subdirectories

# ---- -Z on a file: the -w file is created as nobody, so a root-only directory refuses it
CURRENT=Z_drops_root_for_a_capture_file_before_w_is_created
mkdir -m 700 "$TMP/rootonly"
cp "$S/seed-pouet.pcap" "$TMP/in.pcap"
chmod 644 "$TMP/in.pcap"
timeout 30 "$BIN" --summary -Z nobody "$TMP/in.pcap" -w "$TMP/rootonly/out.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 8 $?
has "$TMP/err" "Permission denied"
[ -e "$TMP/rootonly/out.pcap" ] && fail "the -w file was created as root"
# Where nobody may write, the file is nobody's.
mkdir -m 777 "$TMP/open"
timeout 30 "$BIN" --summary -Z nobody "$TMP/in.pcap" -w "$TMP/open/out.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
[ "$(stat -c %u "$TMP/open/out.pcap" 2>/dev/null)" = "$NOBODY_UID" ] || fail "the -w file is not nobody's"

# ---- a symbolic link another user planted in a shared directory: not followed as root
CURRENT=w_and_junit_do_not_follow_a_symlink_planted_by_another_user
# A directory nobody can write (not sticky: in a sticky one the kernel's fs.protected_*
# settings may refuse first, which would hide what the tool does).
mkdir -m 755 "$TMP/shared"
chown nobody "$TMP/shared"
echo precious >"$TMP/victim.txt"
ln -s "$TMP/victim.txt" "$TMP/shared/trap.pcap"
ln -s "$TMP/victim.txt" "$TMP/shared/trap.xml"
chown -h nobody "$TMP/shared/trap.pcap" "$TMP/shared/trap.xml"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" -w "$TMP/shared/trap.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "symbolic link owned by another user"
timeout 30 "$BIN" check "$S/seed-pouet.pcap" --expect 'packets > 0' --junit "$TMP/shared/trap.xml" \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
[ "$(cat "$TMP/victim.txt")" = precious ] || fail "the link's target was overwritten"

# ---- live check: the child's descriptors and user
if ! python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)' 2>/dev/null; then
    echo "privileges: no AF_PACKET socket here: live cases skipped"
    finish privileges
    exit
fi
# A filter nothing matches: the command's own traffic is not the point here.
NOTHING='tcp port 9 and host 127.0.0.254'

CURRENT=check_child_inherits_no_descriptor_and_runs_as_the_Z_user
timeout 30 "$BIN" check -Z nobody -i lo "$NOTHING" --count 0 --expect 'packets > 0' --grace 0 \
    -- python3 "$CHILD" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
hasnt "$TMP/err" "inherited fd"
has "$TMP/err" "uid $NOBODY_UID euid $NOBODY_UID"
has "$TMP/err" "CapEff 0000000000000000"

CURRENT=check_child_under_sudo_runs_as_the_caller_not_root
SUDO_USER=nobody timeout 30 "$BIN" check -i lo "$NOTHING" --count 0 --expect 'packets > 0' --grace 0 \
    -- python3 "$CHILD" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/err" "uid $NOBODY_UID euid $NOBODY_UID"
has "$TMP/err" "the command runs as 'nobody' (sudo's caller)"
SUDO_USER=nobody timeout 30 "$BIN" check -Z root -i lo "$NOTHING" --count 0 --expect 'packets > 0' --grace 0 \
    -- python3 "$CHILD" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/err" "uid 0 euid 0"
hasnt "$TMP/err" "inherited fd"

# ---- a child that ignores SIGTERM: killed after the grace period, and the report says so
CURRENT=check_child_ignoring_sigterm_is_killed_after_the_grace_period
start=$(date +%s)
timeout 60 "$BIN" check -i lo "$NOTHING" --count 0 --expect 'packets > 0' \
    -- sh -c 'trap "" TERM INT; sleep 40.0417' >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
took=$(($(date +%s) - start))
[ "$took" -le 10 ] || fail "took ${took}s: the child was waited for"
expect_rc 0 $rc  # a live capture stopped by Ctrl-C ends normally
has "$TMP/out" "killed by signal 9 (SIGKILL: still running 2000 ms after SIGTERM)"
# A duration no other process on the machine uses, so pgrep finds only this test's sleep.
pgrep -f 'sleep 40\.0417' >/dev/null && fail "the child's own child survived"

finish privileges
