#pragma once
// Range checks for the numeric options of both commands, with messages a person can read
// ("--idle-timeout: 1e10 is out of range: seconds from 1e-06 to 1e+09"), instead of CLI11's
// ("Value 0 not in range 0.000000 to 1797693134862315708145274237317043567980..."). Inside
// the range every later conversion is exact or saturates: no timeout overflows a Duration.

#include <CLI/CLI.hpp>
#include <cstdint>

#include "tfx/language.hpp"

namespace tfx::cli {

/// Longest duration option accepted: 10^9 s (about 31.7 years), far below the ~292 years a
/// Duration (signed 64-bit nanoseconds) holds, and long enough for "never" in any capture.
inline constexpr double kMostSeconds = 1e9;

/// A finite decimal number of seconds in [lo, hi]; its message and its --help text in `lang`.
[[nodiscard]] CLI::Validator seconds_between(double lo, double hi, Language lang = Language::En);
/// A whole number (digits only) in [lo, hi]; its message and its --help text in `lang`.
[[nodiscard]] CLI::Validator whole_number_between(std::uint64_t lo, std::uint64_t hi, Language lang = Language::En);
/// CLI::Range(lo, hi) (its message is CLI11's, translated with the other parse errors), its
/// --help text in `lang`.
[[nodiscard]] CLI::Validator integer_between(int lo, int hi, Language lang);

}  // namespace tfx::cli
