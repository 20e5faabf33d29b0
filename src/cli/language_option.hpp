#pragma once
// --lang and TFX_LANG, the same for every command that writes sentences: never the locale,
// so that the output is the same on every machine.

#include <string>

#include "tfx/language.hpp"

namespace CLI {
class App;
}

namespace tfx::cli {

/// Adds --lang (its environment variable TFX_LANG) to `app`, read into `name`, described in
/// `help_language`.
void add_language_option(CLI::App& app, std::string& name, Language help_language);

/// The language `name` gives once it is valid; English before that (an unknown name, or a
/// parse error met before the option was read), so that the error that says so is readable.
[[nodiscard]] Language language_or_english(const std::string& name);

/// The language --help and a parse error are written in. CLI11 may stop before it reads --lang (a
/// missing value stops it where it stands) and reads TFX_LANG only after the command line,
/// so the arguments before "--" are scanned for the last --lang, then TFX_LANG is read, the
/// way CLI11 would have; English when neither names a language.
[[nodiscard]] Language language_before_parsing(int argc, const char* const* argv);

/// The usage problem of an unknown language name, or empty when `name` is a language.
[[nodiscard]] std::string language_problem(const std::string& name);

}  // namespace tfx::cli
