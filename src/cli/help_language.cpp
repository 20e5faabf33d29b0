#include "cli/help_language.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "i18n/catalogue.hpp"

namespace tfx::cli {

namespace {

using i18n::Msg;

// The words CLI11 writes by itself into a help, by the key it looks each up with.
struct Label {
    const char* key;
    Msg id;
};
constexpr Label kLabels[] = {
    {"Usage", Msg::HelpLabelUsage},
    {"OPTIONS", Msg::HelpLabelOptions},
    {"Positionals", Msg::HelpLabelPositionals},
    {"REQUIRED", Msg::HelpLabelRequired},
    {"Needs", Msg::HelpLabelNeeds},
    {"Excludes", Msg::HelpLabelExcludes},
    {"TEXT", Msg::HelpLabelText},
    {"INT", Msg::HelpLabelInt},
    {"UINT", Msg::HelpLabelUint},
    {"FLOAT", Msg::HelpLabelFloat},
};

// CLI11 looks an option's value type up as one label together with its validators'
// descriptions ("TEXT:{text,hex,raw}", "UINT:N in [1, 4294967295]"), which no label matches:
// here the type before the first ':' is looked up alone. The validators' part is syntax
// ({text,hex,raw}) or written in the help's language already (option_ranges).
// CLI11 writes an option's environment variable as "(LABEL:NAME)", with no room for the space
// French puts on either side of a colon: the whole parenthesis is the catalogue's.
class TypeLabelFormatter final : public CLI::Formatter {
public:
    explicit TypeLabelFormatter(Language lang) : lang_(lang) {}

    std::string make_option_opts(const CLI::Option* opt) const override {
        std::string opts = CLI::Formatter::make_option_opts(opt);
        const std::string type = opt->get_type_name();
        const auto colon = type.find(':');
        if (colon != std::string::npos && opts.starts_with(" " + type))
            opts.replace(1, colon, get_label(type.substr(0, colon)));
        const std::string env = opt->get_envname();
        if (!env.empty()) {
            const std::string written = " (" + get_label("Env") + ":" + env + ")";
            if (const auto at = opts.find(written); at != std::string::npos)
                opts.replace(at, written.size(), " (" + i18n::said(lang_, Msg::HelpEnvironmentVariable, {env}) + ")");
        }
        return opts;
    }

private:
    Language lang_;
};

}  // namespace

void speak_help_in(CLI::App& app, Language lang) {
    auto formatter = std::make_shared<TypeLabelFormatter>(lang);
    for (const auto& [key, id] : kLabels) formatter->label(key, described(lang, id));
    app.formatter(formatter);
    app.option_defaults()->group(described(lang, Msg::HelpOptionsGroup));
    // Made again, now in the options' group, with its description in `lang`.
    app.set_help_flag("-h,--help", described(lang, Msg::HelpHelpFlag));
}

std::string described(Language lang, i18n::Msg id) { return i18n::said(lang, id); }

std::string value_type_word(Language lang, std::string_view type) {
    for (const auto& [key, id] : kLabels)
        if (type == key) return described(lang, id);
    return std::string(type);
}

}  // namespace tfx::cli
