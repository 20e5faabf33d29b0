#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. installs what the tests need (scripts/bootstrap.sh --test, apt-get, idempotent);
#   2. release build with warnings as errors: unit, golden, corpus-agreement, live-capture
#      and `check` end-to-end tests (ctest);
#   3. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   4. ThreadSanitizer: the thread tests (tfx_thread_tests), and every sample with the
#      ingest and render threads on against off (tests/golden/threads_equivalence.sh);
#   5. fuzz targets: a bounded libFuzzer run per target (clang) when scripts/fuzz.sh exists;
#   6. the benchmark script on a small capture (checks it runs; timings are not asserted).
# Stages can be chosen: TFX_STAGES="release asan tsan fuzz bench" (default: all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stages="${TFX_STAGES:-release asan tsan fuzz bench}"
jobs="${TFX_JOBS:-$(nproc)}"

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies"
bash "$root/scripts/bootstrap.sh" --test

run_suite() {
  local preset="$1"
  step "configure + build ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  step "ctest ($preset)"
  ctest --preset "$preset" -j "$jobs" --timeout 900
}

for s in $stages; do
  case "$s" in
    release) run_suite ci ;;
    asan) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 run_suite asan ;;
    tsan)
      step "configure + build (tsan: tcpflow-explain and the thread tests)"
      cmake --preset tsan >/dev/null
      cmake --build --preset tsan -j "$jobs"
      step "ThreadSanitizer: thread tests, threads on against off on the samples"
      TSAN_OPTIONS=halt_on_error=1 "$root/build/tsan/tests/tfx_thread_tests"
      TSAN_OPTIONS=halt_on_error=1 TFX_SAMPLES_ONLY=1 bash "$root/tests/golden/threads_equivalence.sh" \
        "$root/build/tsan/src/tcpflow-explain" "$root" ;;
    fuzz) if [ -x "$root/scripts/fuzz.sh" ]; then step "fuzzing (bounded)"; "$root/scripts/fuzz.sh" --ci; fi ;;
    bench)
      # The benchmark captures come from ../shared/bench (not part of the repository): a
      # clone without it skips this stage, as the corpus tests skip.
      if [ ! -f "$root/../shared/bench/gen_pcap.cpp" ]; then
        step "benchmark smoke run: SKIPPED (no ../shared/bench/gen_pcap.cpp beside the clone)"
      elif [ -x "$root/scripts/bench" ]; then
        step "benchmark smoke run"; "$root/scripts/bench" --smoke
      fi ;;
    *) echo "test.sh: unknown stage '$s'" >&2; exit 2 ;;
  esac
done
step "all stages passed: $stages"
