#include "cli/language_option.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "cli/help_language.hpp"
#include "i18n/catalogue.hpp"

namespace tfx::cli {

void add_language_option(CLI::App& app, std::string& name, Language help_language) {
    app.add_option("--lang", name, described(help_language, i18n::Msg::HelpLang))->envname("TFX_LANG");
}

Language language_or_english(const std::string& name) { return i18n::parse_language(name).value_or(Language::En); }

Language language_before_parsing(int argc, const char* const* argv) {
    constexpr std::string_view kOption = "--lang";
    std::optional<std::string_view> named;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg == kOption && i + 1 < argc) {
            named = argv[++i];
        } else if (arg.starts_with(kOption) && arg.size() > kOption.size() && arg[kOption.size()] == '=') {
            named = arg.substr(kOption.size() + 1);
        }
    }
    if (!named) {
        const char* env = std::getenv("TFX_LANG");
        if (env != nullptr) named = env;
    }
    if (!named) return Language::En;
    return i18n::parse_language(*named).value_or(Language::En);
}

std::string language_problem(const std::string& name) {
    if (i18n::parse_language(name)) return {};
    return fmt::format("--lang (or TFX_LANG) {}: the languages are {}", name, i18n::language_choices());
}

}  // namespace tfx::cli
