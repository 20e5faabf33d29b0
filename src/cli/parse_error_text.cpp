#include "cli/parse_error_text.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/help_language.hpp"
#include "i18n/catalogue.hpp"

namespace tfx::cli {

namespace {

using i18n::Msg;

// "A<separator>B" split at the first separator.
std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text, std::string_view separator) {
    const auto at = text.find(separator);
    if (at == std::string_view::npos) return std::nullopt;
    return std::pair{text.substr(0, at), text.substr(at + separator.size())};
}

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

// ExtrasError: the arguments no option or positional took, as the app kept them.
std::optional<std::string> extras(const CLI::App& app, Language lang) {
    const std::vector<std::string> left = app.remaining();
    if (left.empty()) return std::nullopt;
    std::string list;
    for (const auto& a : left) list += (list.empty() ? "" : " ") + a;
    const bool options = std::all_of(left.begin(), left.end(), [](const std::string& a) { return a[0] == '-'; });
    return i18n::said(lang, options ? Msg::CliUnknownOptions : Msg::CliUnexpectedArguments, {left.size(), list});
}

// ArgumentMismatch::TypedAtLeast: "NAME: N required TYPE missing".
std::optional<std::string> missing_value(std::string_view what, Language lang) {
    const auto named = split(what, ": ");
    if (!named || !named->second.ends_with(" missing")) return std::nullopt;
    const auto counted = split(named->second.substr(0, named->second.size() - 8), " required ");
    if (!counted) return std::nullopt;
    const auto count = number(counted->first);
    if (!count) return std::nullopt;
    return i18n::said(lang, Msg::CliMissingValue, {named->first, *count, value_type_word(lang, counted->second)});
}

// ArgumentMismatch's counts: "Expected exactly N arguments to NAME, got M", "Expected at
// least N arguments to NAME, got M", "NAME: At least N required but received M", "NAME: At
// Most N required but received M".
std::optional<std::string> wrong_count(std::string_view what, Language lang) {
    constexpr std::string_view kExactly = "Expected exactly ";
    constexpr std::string_view kAtLeast = "Expected at least ";
    if (what.starts_with(kExactly) || what.starts_with(kAtLeast)) {
        const bool exactly = what.starts_with(kExactly);
        const auto counted = split(what.substr(kExactly.size() + (exactly ? 0 : 1)), " arguments to ");
        if (!counted) return std::nullopt;
        const auto named = split(counted->second, ", got ");
        const auto count = number(counted->first);
        const auto got = named ? number(named->second) : std::nullopt;
        if (!count || !got) return std::nullopt;
        return i18n::said(lang, exactly ? Msg::CliExpectedExactly : Msg::CliExpectedAtLeast,
                          {named->first, *count, *got});
    }
    const auto named = split(what, ": ");
    if (!named) return std::nullopt;
    for (const auto& [lead, id] : {std::pair{std::string_view("At least "), Msg::CliAtLeastReceived},
                                   std::pair{std::string_view("At Most "), Msg::CliAtMostReceived}}) {
        if (!named->second.starts_with(lead)) continue;
        const auto counts = split(named->second.substr(lead.size()), " required but received ");
        const auto count = counts ? number(counts->first) : std::nullopt;
        const auto got = counts ? number(counts->second) : std::nullopt;
        if (!count || !got) return std::nullopt;
        return i18n::said(lang, id, {named->first, *count, *got});
    }
    return std::nullopt;
}

// ArgumentMismatch::FlagOverride: "NAME was given a disallowed flag override", NAME as typed
// without its dashes (refuse_flag_values() makes every flag refuse a value).
std::optional<std::string> flag_with_value(std::string_view what, Language lang) {
    constexpr std::string_view kTail = " was given a disallowed flag override";
    if (!what.ends_with(kTail)) return std::nullopt;
    const std::string_view name = what.substr(0, what.size() - kTail.size());
    const std::string option = (name.size() == 1 ? "-" : "--") + std::string(name);
    return i18n::said(lang, Msg::CliFlagTakesNoValue, {option});
}

std::optional<std::string> argument_mismatch(std::string_view what, Language lang) {
    if (auto text = missing_value(what, lang)) return text;
    if (auto text = wrong_count(what, lang)) return text;
    return flag_with_value(what, lang);
}

// ValidationError: "NAME: DETAIL", DETAIL from the validator: CLI::IsMember's
// "VALUE not in {A,B}", CLI::Range's "Value VALUE not in range LOW to HIGH", or one of ours
// (option_ranges), written in the language already.
std::optional<std::string> invalid_value(std::string_view what, Language lang) {
    const auto named = split(what, ": ");
    if (!named) return std::nullopt;
    const auto [option, detail] = *named;
    if (detail.ends_with('}')) {
        if (const auto member = split(detail, " not in {"))
            return i18n::said(lang, Msg::CliNotInSet, {option, member->first, detail.substr(member->first.size() + 8)});
    }
    if (detail.starts_with("Value ")) {
        if (const auto range = split(detail.substr(6), " not in range ")) {
            if (const auto bounds = split(range->second, " to "))
                return i18n::said(lang, Msg::CliNotInRange, {option, range->first, bounds->first, bounds->second});
        }
    }
    return i18n::said(lang, Msg::CliOptionProblem, {option, detail});
}

// RequiresError "A requires B", ExcludesError "A excludes B".
std::optional<std::string> pair_of_options(std::string_view what, std::string_view verb, Msg id, Language lang) {
    const auto pair = split(what, verb);
    if (!pair) return std::nullopt;
    return i18n::said(lang, id, {pair->first, pair->second});
}

// RequiredError: "NAME is required".
std::optional<std::string> required(std::string_view what, Language lang) {
    constexpr std::string_view kTail = " is required";
    if (!what.ends_with(kTail)) return std::nullopt;
    return i18n::said(lang, Msg::CliRequired, {what.substr(0, what.size() - kTail.size())});
}

// ConversionError: "Could not convert: NAME = VALUE", "The value VALUE is not an allowed
// value for NAME", "NAME: too many inputs for a flag", "NAME: Should be true/false or a number".
std::optional<std::string> not_converted(std::string_view what, Language lang) {
    constexpr std::string_view kCould = "Could not convert: ";
    constexpr std::string_view kValue = "The value ";
    constexpr std::string_view kFlag = ": too many inputs for a flag";
    constexpr std::string_view kTrueFalse = ": Should be true/false or a number";
    if (what.starts_with(kCould)) {
        if (const auto pair = split(what.substr(kCould.size()), " = "))
            return i18n::said(lang, Msg::CliNotConverted, {pair->first, pair->second});
    } else if (what.starts_with(kValue)) {
        if (const auto pair = split(what.substr(kValue.size()), " is not an allowed value for "))
            return i18n::said(lang, Msg::CliNotAllowedValue, {pair->second, pair->first});
    } else if (what.ends_with(kFlag)) {
        return i18n::said(lang, Msg::CliFlagWithValue, {what.substr(0, what.size() - kFlag.size())});
    } else if (what.ends_with(kTrueFalse)) {
        return i18n::said(lang, Msg::CliTrueOrFalse, {what.substr(0, what.size() - kTrueFalse.size())});
    }
    return std::nullopt;
}

std::optional<std::string> translated(const CLI::ParseError& e, const CLI::App& app, Language lang) {
    const std::string_view what = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) return extras(app, lang);
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) return argument_mismatch(what, lang);
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) return invalid_value(what, lang);
    if (dynamic_cast<const CLI::RequiresError*>(&e) != nullptr)
        return pair_of_options(what, " requires ", Msg::CliRequires, lang);
    if (dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr)
        return pair_of_options(what, " excludes ", Msg::CliExcludes, lang);
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) return required(what, lang);
    if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) return not_converted(what, lang);
    return std::nullopt;
}

}  // namespace

std::string parse_error_text(const CLI::ParseError& e, const CLI::App& app, Language lang) {
    // A flag given a value is our refusal (refuse_flag_values()), in our words in English too.
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
        if (auto text = flag_with_value(e.what(), lang)) return *text;
    }
    if (lang == Language::En) return e.what();
    return translated(e, app, lang).value_or(e.what());
}

}  // namespace tfx::cli
