#!/usr/bin/env bash
# Each picture option belongs to one format: given with another, it is a usage error (exit 2)
# naming the option, never silently ignored; given with its own format, it draws.
#   picture_options.sh TOOL SOURCE_DIR
set -uo pipefail
tool="$1" seed="$2/samples/seed-pouet.pcap"
failures=0

expect_usage_error() {  # OPTION-NAMED-IN-MESSAGE ARGS...
  local named="$1"; shift
  local err status
  err="$("$tool" "$@" "$seed" 2>&1 >/dev/null)"; status=$?
  if [[ $status -ne 2 || "$err" != *"$named"* ]]; then
    echo "FAIL: $* -> status $status, message: $err (want 2, naming $named)" >&2
    failures=$((failures + 1))
  fi
}

expect_drawing() {  # ARGS...
  if ! "$tool" "$@" "$seed" >/dev/null 2>&1; then
    echo "FAIL: $* -> status $? (want 0)" >&2
    failures=$((failures + 1))
  fi
}

expect_usage_error --ascii --ascii
expect_usage_error --ascii --ascii -F svg
expect_usage_error --time-scale --time-scale linear
expect_usage_error --time-scale --time-scale log -F ladder
expect_usage_error --time-scale --time-scale linear -F svg --graph timeseq
expect_usage_error "--graph timeseq" --graph timeseq -F dot
expect_usage_error "--graph full" --graph full -F svg
expect_usage_error "--graph talkers" --graph talkers
expect_drawing -F ladder --ascii
expect_drawing -F svg --time-scale log
expect_drawing -F svg --graph timeseq
expect_drawing -F dot --graph full
expect_drawing -F dot --graph talkers

if ((failures)); then
  echo "picture_options: $failures failure(s)" >&2
  exit 1
fi
echo "picture_options: ok"
