#include "cli/option_ranges.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "i18n/catalogue.hpp"
#include "text/terminal_text.hpp"

namespace tfx::cli {

using text::printable;

CLI::Validator seconds_between(double lo, double hi, Language lang) {
    return CLI::Validator(
        [lo, hi, lang](std::string& text) -> std::string {
            const char* begin = text.c_str();
            char* end = nullptr;
            const double v = std::strtod(begin, &end);
            const bool number = end != begin && *end == '\0' && std::isfinite(v);
            if (number && v >= lo && v <= hi) return {};
            return i18n::said(lang, number ? i18n::Msg::CliSecondsOutOfRange : i18n::Msg::CliNotSeconds,
                              {printable(text), fmt::format("{:g}", lo), fmt::format("{:g}", hi)});
        },
        i18n::said(lang, i18n::Msg::HelpSecondsRange, {fmt::format("{:g}", lo), fmt::format("{:g}", hi)}));
}

CLI::Validator whole_number_between(std::uint64_t lo, std::uint64_t hi, Language lang) {
    return CLI::Validator(
        [lo, hi, lang](std::string& text) -> std::string {
            std::uint64_t v = 0;
            const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            const bool whole = !text.empty() && p == text.data() + text.size() && ec == std::errc{};
            const bool too_big = ec == std::errc::result_out_of_range;
            if (whole && v >= lo && v <= hi) return {};
            return i18n::said(lang,
                              whole || too_big ? i18n::Msg::CliWholeNumberOutOfRange : i18n::Msg::CliNotWholeNumber,
                              {printable(text), lo, hi});
        },
        i18n::said(lang, i18n::Msg::HelpWholeNumberRange, {lo, hi}));
}

CLI::Validator integer_between(int lo, int hi, Language lang) {
    return CLI::Range(lo, hi).description(i18n::said(lang, i18n::Msg::HelpIntegerRange, {lo, hi}));
}

}  // namespace tfx::cli
