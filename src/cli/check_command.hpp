#pragma once
// `tcpflow-explain check`: evaluates expectations over the connections of a capture (file,
// stdin, or a live capture around a command) and exits 0 (all hold), 1 (one failed) or 2
// (usage, bad expectation, or the input could not be read).

namespace tfx::cli {

/// Exit statuses of `check` (a contract: CI tells a failed expectation from a broken
/// invocation or input).
namespace check_status {
inline constexpr int kPassed = 0;
inline constexpr int kFailed = 1;
inline constexpr int kError = 2;
}  // namespace check_status

/// Entry point; argv[0] is "check". Writes the report to stdout and errors to stderr.
[[nodiscard]] int run_check(int argc, char** argv);

}  // namespace tfx::cli
