#include "cli/language_option.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "i18n/catalogue.hpp"

namespace tfx::cli {

void add_language_option(CLI::App& app, std::string& name) {
    app.add_option("--lang", name, "Language of the sentences: en or fr (JSON keys and codes never change)")
        ->envname("TFX_LANG");
}

Language language_or_english(const std::string& name) { return i18n::parse_language(name).value_or(Language::En); }

std::string language_problem(const std::string& name) {
    if (i18n::parse_language(name)) return {};
    return fmt::format("--lang (or TFX_LANG) {}: the languages are {}", name, i18n::language_choices());
}

}  // namespace tfx::cli
