#pragma once
// The options that name the capture files, shared by the walkthrough and `check`: -r FILE
// (repeatable), --file-list LIST and --keep-going, and how they fill the run's input.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "run/capture_runner.hpp"
#include "tfx/language.hpp"
#include "tfx/result.hpp"

namespace tfx::cli {

struct FileSetOptions {
    std::vector<std::string> read_paths;
    std::string file_list;
    bool keep_going = false;
    CLI::Option* read = nullptr;  ///< -r, for the options that exclude it (-i)
    CLI::Option* list = nullptr;  ///< --file-list, likewise
};

/// Adds -r, --file-list and --keep-going, described in `lang`; a file name that is an option
/// is refused in `lang`.
void add_file_set_options(CLI::App& app, FileSetOptions& o, Language lang);

/// The files the options name: the -r files, then those of the list. Errors: as
/// ingest::read_file_list.
[[nodiscard]] Result<std::vector<std::string>> files_named(const FileSetOptions& o);

/// Puts `files` (files_named) into `input`: one is input.path, several are read as one
/// capture. Nothing when `files` is empty. A usage problem in `lang` (the files cannot be
/// read as one, the list names no file), or empty.
[[nodiscard]] std::string use_files(const std::vector<std::string>& files, const FileSetOptions& o, Language lang,
                                    run::InputSpec& input);

}  // namespace tfx::cli
