#pragma once
// Capture file sets named on the command line: `--file-list LIST` (one path a line, as
// tcpdump -V reads it) and the rule every file set follows.

#include <optional>
#include <string>
#include <vector>

#include "tfx/result.hpp"

namespace tfx::ingest {

/// The paths `list` names, one a line ("-": the list is read from standard input). Blank
/// lines are skipped and a trailing '\r' is dropped; any other character is part of the
/// path. Errors: CannotOpen (the list cannot be read), Usage (a member is "-": standard input
/// is not a file that can be merged with others).
[[nodiscard]] Result<std::vector<std::string>> read_file_list(const std::string& list);

/// Why `paths` (two or more files read as one capture) cannot be read as one (a usage
/// error); nullopt when they can. Standard input cannot be merged with files.
[[nodiscard]] std::optional<Error> file_set_problem(const std::vector<std::string>& paths);

}  // namespace tfx::ingest
