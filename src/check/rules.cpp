#include "check/rules.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>

#include "i18n/catalogue.hpp"
#include "text/terminal_text.hpp"

namespace tfx::check {

namespace {

using i18n::Msg;
using nlohmann::json;

/// A usage error the parser has already said in its language (its sentences quote the rules
/// file's text and point into it).
Error usage(std::string msg) { return Error{ErrorKind::Usage, Msg::ErrSaid, {std::move(msg)}}; }
/// The usage error `id` in `lang`.
Error usage(Language lang, Msg id, std::initializer_list<i18n::Arg> args) { return usage(i18n::said(lang, id, args)); }

std::string type_of(const json& j) { return j.type_name(); }

/// The token nlohmann's parser expected, from the closed set of names its syntax errors end
/// with ("; expected string literal"), in `lang`: punctuation as written, words from the
/// catalogue. Nothing when the error names none.
std::optional<std::string> expected_token(std::string_view what, Language lang) {
    constexpr std::string_view kExpected = "; expected ";
    const auto at = what.rfind(kExpected);
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view name = what.substr(at + kExpected.size());
    if (name.size() == 3 && name.front() == '\'' && name.back() == '\'') return std::string(name);
    if (name == "string literal") return std::string(i18n::word(lang, Msg::JsonTokenString));
    if (name == "number literal") return std::string(i18n::word(lang, Msg::JsonTokenNumber));
    if (name == "end of input") return std::string(i18n::word(lang, Msg::JsonTokenEnd));
    if (name == "'[', '{', or a literal") return std::string(i18n::word(lang, Msg::JsonTokenOpening));
    if (name == "true literal" || name == "false literal" || name == "null literal")
        return std::string(name.substr(0, name.find(' ')));
    return std::nullopt;
}

/// Line and column (1-based) of a byte offset, for JSON syntax errors.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

/// A JSON syntax error of the rules file at `path`, where it is (file:line:column). English
/// keeps nlohmann's sentence; another language says it from the exception's byte position
/// and the token the parser expected.
Error json_syntax_error(std::string_view source, const std::string& path, const json::parse_error& e, Language lang) {
    const auto [line, col] = line_col(source, e.byte > 0 ? e.byte - 1 : 0);
    const std::string at = path + ":" + std::to_string(line) + ":" + std::to_string(col);
    std::string what = e.what();
    if (lang == Language::En) {
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: ".
        if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
        return usage(lang, Msg::RulesNotJson, {at, what});
    }
    const std::optional<std::string> expected = expected_token(what, lang);
    if (e.byte == 0 || e.byte > source.size()) {
        if (expected) return usage(lang, Msg::RulesJsonEnds, {at, source.size(), *expected});
        return usage(lang, Msg::RulesJsonEndsEarly, {at, source.size()});
    }
    const std::string found = text::printable(source.substr(e.byte - 1, 1));
    if (expected) return usage(lang, Msg::RulesJsonUnexpected, {at, found, e.byte, *expected});
    return usage(lang, Msg::RulesJsonUnexpectedHere, {at, found, e.byte});
}

std::optional<Error> check_keys(const json& obj, std::initializer_list<std::string_view> allowed,
                                const std::string& where, Language lang) {
    for (const auto& [key, value] : obj.items()) {
        bool ok = false;
        for (auto a : allowed) ok = ok || key == a;
        if (ok) continue;
        std::vector<std::string> names(allowed.begin(), allowed.end());
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return usage(lang, Msg::RulesUnknownKey, {where, key, did_you_mean_hint(lang, key, names), list});
    }
    return std::nullopt;
}

/// Reads "select", "quantifier" and "count" of an object into `sel` / `q`.
std::optional<Error> read_scope(const json& obj, const std::string& where, Selector& sel, Quantifier& q,
                                Language lang) {
    if (auto it = obj.find("select"); it != obj.end()) {
        if (!it->is_string()) return usage(lang, Msg::RulesSelectType, {where, type_of(*it)});
        const auto text = it->get<std::string>();
        auto s = Selector::parse(text, lang);
        if (auto* e = std::get_if<SourceError>(&s))
            return usage(format_source_error(where + ".select", text, *e, lang));
        sel = std::get<Selector>(std::move(s));
    }
    const auto qi = obj.find("quantifier");
    const auto ci = obj.find("count");
    std::optional<Quantifier> quant;
    if (qi != obj.end()) {
        if (!qi->is_string()) return usage(lang, Msg::RulesQuantifier, {where, type_of(*qi)});
        const auto word = qi->get<std::string>();
        if (word == "exactly") {
            if (ci == obj.end()) return usage(lang, Msg::RulesExactlyNeedsCount, {where});
            quant = Quantifier{QuantifierKind::Exactly, 0};
        } else {
            quant = parse_quantifier(word);
            if (!quant) return usage(lang, Msg::RulesQuantifier, {where, "\"" + word + "\""});
            if (ci != obj.end() && quant->kind != QuantifierKind::Exactly)
                return usage(lang, Msg::RulesCountContradicts, {where, word});
        }
    }
    if (ci != obj.end()) {
        if (!ci->is_number_unsigned()) return usage(lang, Msg::RulesCountType, {where, type_of(*ci)});
        const auto n = ci->get<std::uint64_t>();
        if (n > 1'000'000'000) return usage(lang, Msg::RulesCountTooLarge, {where});
        quant = Quantifier{QuantifierKind::Exactly, static_cast<std::uint32_t>(n)};
    }
    if (quant) q = *quant;
    return std::nullopt;
}

/// Offset of the first bracket nested deeper than kMostRulesNesting, outside strings; npos
/// when there is none. A scan, not a parse: it bounds what the parser and every later walk
/// over the document (nlohmann's dump() and destructor recurse per level) can be asked to do.
std::size_t too_deep_at(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMostRulesNesting) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<Quantifier> parse_quantifier(std::string_view text) {
    if (text == "all" || text == "every") return Quantifier{QuantifierKind::All, 0};
    if (text == "any") return Quantifier{QuantifierKind::Any, 0};
    if (text.substr(0, 8) == "exactly ") text.remove_prefix(8);
    std::uint32_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc{} && p == text.data() + text.size() && !text.empty())
        return Quantifier{QuantifierKind::Exactly, n};
    return std::nullopt;
}

Result<RuleSet> parse_rules(std::string_view text, const std::string& path, const RuleDefaults& defaults,
                            Language lang) {
    if (const std::size_t at = too_deep_at(text); at != std::string_view::npos) {
        const auto [line, col] = line_col(text, at);
        return usage(lang, Msg::RulesTooDeep,
                     {path + ":" + std::to_string(line) + ":" + std::to_string(col), kMostRulesNesting});
    }
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        return json_syntax_error(text, path, e, lang);
    } catch (const json::exception& e) {
        // Anything else the parser rejects (a number like 1e999 is out_of_range.406).
        if (lang != Language::En && e.id == 406) return usage(lang, Msg::RulesJsonNumberTooLarge, {path});
        std::string what = e.what();
        if (auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
        return usage(lang, Msg::RulesNotJson, {path, what});
    }
    if (!doc.is_object()) return usage(lang, Msg::RulesNotObject, {path});
    if (auto e = check_keys(doc, {"description", "filter", "select", "quantifier", "count", "checks"}, path, lang))
        return *e;

    RuleSet rules;
    if (auto it = doc.find("filter"); it != doc.end()) {
        if (!it->is_string()) return usage(lang, Msg::RulesFilterType, {path, type_of(*it)});
        rules.filter = it->get<std::string>();
    }
    Selector file_sel = defaults.select;
    Quantifier file_q = defaults.quantifier;
    if (auto e = read_scope(doc, path, file_sel, file_q, lang)) return *e;

    const auto checks = doc.find("checks");
    if (checks == doc.end() || !checks->is_array() || checks->empty())
        return usage(lang, Msg::RulesChecksArray, {path, R"({"name", "expect"})"});
    for (std::size_t i = 0; i < checks->size(); ++i) {
        const json& c = (*checks)[i];
        // The origin is an identifier of the JSON report, the same in every language; `where`
        // names the check in the messages.
        const std::string index = "checks[" + std::to_string(i) + "]";
        std::string origin = path + ": " + index;
        std::string where = i18n::said(lang, Msg::SourceErrorWhere, {path, index});
        if (!c.is_object()) return usage(lang, Msg::RulesCheckType, {where, type_of(c)});
        if (auto it = c.find("name"); it != c.end() && it->is_string()) {
            const std::string quoted_name = " \"" + it->get<std::string>() + "\"";
            origin += quoted_name;
            where += quoted_name;
        }
        if (auto e = check_keys(c, {"name", "description", "expect", "select", "quantifier", "count"}, where, lang))
            return *e;
        Check check;
        check.origin = origin;
        check.select = file_sel;
        check.quantifier = file_q;
        if (auto e = read_scope(c, where, check.select, check.quantifier, lang)) return *e;

        const auto ex = c.find("expect");
        if (ex == c.end()) return usage(lang, Msg::RulesMissingExpect, {where});
        std::vector<std::string> texts;
        if (ex->is_string()) {
            texts.push_back(ex->get<std::string>());
        } else if (ex->is_array() && !ex->empty()) {
            for (const auto& t : *ex) {
                if (!t.is_string()) return usage(lang, Msg::RulesExpectItemType, {where, type_of(t)});
                texts.push_back(t.get<std::string>());
            }
        } else {
            return usage(lang, Msg::RulesExpectType, {where});
        }
        for (std::size_t k = 0; k < texts.size(); ++k) {
            auto parsed = parse_expectation(texts[k], lang);
            if (auto* e = std::get_if<SourceError>(&parsed)) {
                const std::string at =
                    texts.size() > 1 ? where + ".expect[" + std::to_string(k) + "]" : where + ".expect";
                return usage(format_source_error(at, texts[k], *e, lang));
            }
            auto& one = std::get<Expectation>(parsed);
            if (!check.expect.text.empty()) check.expect.text += " and ";
            check.expect.text += one.text;
            for (auto& t : one.terms) check.expect.terms.push_back(std::move(t));
        }
        if (auto it = c.find("name"); it != c.end()) {
            if (!it->is_string() || it->get<std::string>().empty()) return usage(lang, Msg::RulesNameType, {where});
            check.name = it->get<std::string>();
        } else {
            check.name = check.expect.text;
        }
        rules.checks.push_back(std::move(check));
    }
    return rules;
}

Result<RuleSet> load_rules(const std::string& path, const RuleDefaults& defaults, Language lang) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorKind::CannotOpen, Msg::RulesCannotOpen, {path}};
    // Read at most one byte past the limit (--rules /dev/zero must end).
    std::string text(kMostRulesBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return Error{ErrorKind::Io, Msg::RulesCannotRead, {path}};
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMostRulesBytes) return usage(lang, Msg::RulesTooLarge, {path, kMostRulesBytes >> 20});
    return parse_rules(text, path, defaults, lang);
}

}  // namespace tfx::check
