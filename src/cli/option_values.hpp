#pragma once
// What CLI11 would take too readily: the next argument as an option's file name even when it
// is an option itself (`-r --lang fr` would read a file named "--lang"), and a value given to a
// flag (`--strict=no` would quietly mean something).

#include <CLI/CLI.hpp>

#include "tfx/language.hpp"

namespace tfx::cli {

/// A file name, or "-" (standard input or output): a value that starts with '-' is refused
/// as an option given where a file name was expected; its message in `lang`.
[[nodiscard]] CLI::Validator file_name(Language lang = Language::En);

/// Makes every flag of `app` refuse `--flag=VALUE` (CLI11's FlagOverride error), as
/// getopt_long refuses an argument to an option that takes none. Call after adding the flags.
void refuse_flag_values(CLI::App& app);

}  // namespace tfx::cli
