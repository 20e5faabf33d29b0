#include "cli/option_values.hpp"

#include <string>

#include "i18n/catalogue.hpp"
#include "text/terminal_text.hpp"

namespace tfx::cli {

CLI::Validator file_name(Language lang) {
    return CLI::Validator(
        [lang](std::string& text) -> std::string {
            if (text.size() < 2 || text.front() != '-') return {};
            return i18n::said(lang, i18n::Msg::CliOptionAsFileName, {text::printable(text)});
        },
        std::string());
}

void refuse_flag_values(CLI::App& app) {
    for (CLI::Option* flag : app.get_options([](CLI::Option* o) { return o->get_expected_max() == 0; }))
        flag->disable_flag_override();
}

}  // namespace tfx::cli
