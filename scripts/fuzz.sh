#!/usr/bin/env bash
# fuzz.sh: libFuzzer runs of the tests/fuzz targets (docs/robustness.md).
#
#   scripts/fuzz.sh --ci              build the `fuzz` preset and run every target for a bounded
#                                     and reproducible run (seed TFX_FUZZ_SEED=1, a fixed input
#                                     count, at most TFX_FUZZ_SECONDS=60 s each); exit 1 on any
#                                     crash, leak, timeout, OOM or sanitizer report
#   scripts/fuzz.sh --long N          the same with N seconds per target (e.g. 600)
#   --keep-going                      do not stop at the first finding (libFuzzer -fork=1 with
#                                     -ignore_crashes/-ignore_timeouts/-ignore_ooms): every
#                                     finding is saved; the exit status is still 1 if any
#   scripts/fuzz.sh --seed            regenerate the committed seed corpora tests/fuzz/corpus/
#                                     from samples/ and the built-in hostile frames
#   --target NAME                     only this target (decode, session, capture_file,
#                                     expectations, reassembly, content, stream); repeatable
#   --build-dir DIR                   fuzz build directory (default build/fuzz; env TFX_FUZZ_BUILD_DIR)
#   --no-build                        use the binaries already in the build directory
#
# Seeds: tests/fuzz/corpus/<target>/ (committed, ours), every file of tests/fuzz/regressions/,
# and at run time, when present, seeds made from ../shared/lab and ../shared/corpus (never
# committed). New inputs libFuzzer finds go to <build>/fuzz-work/<target>/; a finding's input
# goes to <build>/fuzz-artifacts/<target>/: copy it to tests/fuzz/regressions/<target>/ once
# the bug is understood, so it is replayed by ctest (fuzz.replay.*) in every build forever.
# One target runs at a time (one core). Installs nothing except through bootstrap.sh --test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mode=""
seconds="${TFX_FUZZ_SECONDS:-60}"
build="${TFX_FUZZ_BUILD_DIR:-$root/build/fuzz}"
no_build=0
keep_going=0
deterministic=0
targets=()
all_targets=(decode session capture_file expectations reassembly content stream)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ci) mode=run; deterministic=1 ;;
    --long) mode=run; seconds="${2:?--long needs seconds}"; shift ;;
    --seed) mode=seed ;;
    --target) targets+=("${2:?--target needs a name}"); shift ;;
    --build-dir) build="${2:?--build-dir needs a directory}"; shift ;;
    --no-build) no_build=1 ;;
    --keep-going) keep_going=1 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$mode" ]] || { echo "fuzz.sh: say --ci, --long N or --seed (try --help)" >&2; exit 2; }
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
[[ "$build" = /* ]] || build="$root/$build"

# CI runs are reproducible: a fixed seed and a fixed number of inputs per target (chosen to take
# well under a minute on this project's 2-core machines), with the time limit only as a cap.
# A finding in CI is then a finding on every machine, replayable with the same command; the
# open-ended exploration is --long's job.
ci_runs() {
  case "$1" in
    decode) echo 10000000 ;; session) echo 30000 ;; capture_file) echo 50000 ;;
    expectations) echo 150000 ;; reassembly) echo 800000 ;; content) echo 400000 ;; stream) echo 30000 ;;
  esac
}

max_len() {
  case "$1" in
    decode|stream) echo 4096 ;; session|reassembly) echo 16384 ;; capture_file) echo 65536 ;; expectations) echo 4096 ;;
    content) echo 20000 ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}

if ! command -v clang++-14 >/dev/null 2>&1 || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: clang-14 or libFuzzer missing: running scripts/bootstrap.sh --test"
  bash "$root/scripts/bootstrap.sh" --test
fi

if [[ $no_build -eq 0 ]]; then
  echo "fuzz.sh: building the fuzz preset in $build"
  cmake --preset fuzz -B "$build" >/dev/null
  # shellcheck disable=SC2046
  cmake --build "$build" -j "${TFX_JOBS:-2}" --target tfx_fuzz_seedgen $(printf 'tfx_fuzz_%s ' "${targets[@]}")
fi

if [[ "$mode" == seed ]]; then
  # Only our own inputs are committed: samples/ and the built-in frames.
  "$build/tests/fuzz/tfx_fuzz_seedgen" "$root/tests/fuzz/corpus" --builtin \
    "$root"/samples/*.pcap "$root"/samples/*.pcapng "$root"/samples/*.json 2>/dev/null || true
  for t in "${all_targets[@]}"; do
    printf '  %-14s %4d seeds, %6d KB\n' "$t" "$(find "$root/tests/fuzz/corpus/$t" -type f | wc -l)" \
      "$(du -sk "$root/tests/fuzz/corpus/$t" | cut -f1)"
  done
  exit 0
fi

# Seeds from ../shared, made at run time (not committed).
shared_seeds="$build/fuzz-seeds-shared"
if [[ -d "$root/../shared" && ! -d "$shared_seeds" ]]; then
  mapfile -t shared_files < <(find "$root/../shared/lab" "$root/../shared/corpus/pcaps" -maxdepth 1 -type f \
                                 \( -name '*.pcap' -o -name '*.pcapng' \) 2>/dev/null | sort)
  if [[ ${#shared_files[@]} -gt 0 ]]; then
    "$build/tests/fuzz/tfx_fuzz_seedgen" "$shared_seeds" "${shared_files[@]}" 2>/dev/null || true
  fi
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0
summary=()
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/tfx_fuzz_$t"
  work="$build/fuzz-work/$t"
  artifacts="$build/fuzz-artifacts/$t"
  log="$build/fuzz-logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # Findings of earlier runs move aside, so this run's verdict is its own.
  if [[ -n "$(ls -A "$artifacts")" ]]; then
    mkdir -p "$build/fuzz-artifacts-previous/$t"
    mv "$artifacts"/* "$build/fuzz-artifacts-previous/$t/"
  fi
  seeds=()
  [[ -d "$root/tests/fuzz/corpus/$t" ]] && seeds+=("$root/tests/fuzz/corpus/$t")
  [[ -d "$shared_seeds/$t" ]] && seeds+=("$shared_seeds/$t")
  seeds+=("$root/tests/fuzz/regressions")
  echo "fuzz.sh: $t for ${seconds}s (log $log)"
  mode_flags=()
  [[ $keep_going -eq 1 ]] && mode_flags=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  [[ $deterministic -eq 1 ]] && mode_flags+=(-seed="${TFX_FUZZ_SEED:-1}" -runs="$(ci_runs "$t")")
  set +e
  "$bin" "${mode_flags[@]}" -max_total_time="$seconds" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=10 \
         -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" >"$log" 2>&1
  status=$?
  set -e
  # Inputs listed in -dict or .md notes are not corpus files; libFuzzer ignores nothing else.
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1 || true)
  # Fork mode prints no final stats: the last status line's #N is the execution count.
  [[ -n "$execs" ]] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -1 || true)
  [[ -n "$rate" ]] || rate=$(sed -n 's/.* exec\/s:* \([0-9]*\).*/\1/p' <<<"$last")
  found=$(find "$artifacts" -type f | sort | head -5)
  result=ok
  if [[ $status -ne 0 || -n "$found" ]]; then
    result="FAILED (status $status)"
    failed=1
    echo "fuzz.sh: $t found a problem; last lines of $log:" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|ALARM|out-of-memory' "$log" | head -20 >&2 || true
    [[ -n "$found" ]] && echo "  reproducer(s): $found (replay: $build/tests/fuzz/tfx_fuzz_$t FILE)" >&2
  fi
  summary+=("$(printf '%-14s execs %-10s exec/s %-7s cov %-6s ft %-7s corpus %-12s %s' \
               "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
done
echo
echo "fuzz.sh: ${seconds}s per target"
printf '  %s\n' "${summary[@]}"
exit $failed
