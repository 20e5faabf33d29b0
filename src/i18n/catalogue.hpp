#pragma once
// The message catalogue: every sentence a person reads, by identifier (messages.hpp), in
// each language (english.cpp, french.cpp). A template names its parameters: "{me}" is a
// value, "{count|byte|bytes}" the singular or plural word chosen by the language's rule for
// the integer parameter `count`. Each template is parsed once, before main(), into literal
// pieces and parameter slots; say() then only appends, the way the walkthrough's hot path
// appends.

#include <fmt/format.h>

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/messages.hpp"
#include "tfx/language.hpp"
#include "tfx/types.hpp"

namespace tfx::i18n {

/// "en" or "fr"; anything else is not a language we write.
[[nodiscard]] std::optional<Language> parse_language(std::string_view name);
/// The choices parse_language() accepts, for usage messages: "en, fr".
[[nodiscard]] std::string_view language_choices();

/// One parameter value, passed in the order messages.hpp declares the message's names.
class Arg {
public:
    enum class Kind : std::uint8_t { Unsigned, Signed, Text, Duration };
    template <std::unsigned_integral N>
    Arg(N v) : kind_(Kind::Unsigned), unsigned_(v) {}  // NOLINT: implicit by design
    template <std::signed_integral N>
    Arg(N v) : kind_(Kind::Signed), signed_(v) {}                   // NOLINT
    Arg(std::string_view v) : kind_(Kind::Text), text_(v) {}        // NOLINT
    Arg(const char* v) : kind_(Kind::Text), text_(v) {}             // NOLINT
    Arg(const std::string& v) : kind_(Kind::Text), text_(v) {}      // NOLINT
    Arg(Duration v) : kind_(Kind::Duration), signed_(v.count()) {}  // NOLINT

    [[nodiscard]] Kind kind() const { return kind_; }
    [[nodiscard]] std::uint64_t as_unsigned() const { return unsigned_; }
    [[nodiscard]] std::int64_t as_signed() const { return signed_; }
    [[nodiscard]] std::string_view as_text() const { return text_; }

private:
    Kind kind_;
    union {
        std::uint64_t unsigned_;
        std::int64_t signed_;
    };
    std::string_view text_;
};

/// Appends message `id` in `lang`, its parameters given in their declared order.
void say(fmt::memory_buffer& out, Language lang, Msg id, std::span<const Arg> args);
inline void say(fmt::memory_buffer& out, Language lang, Msg id, std::initializer_list<Arg> args = {}) {
    say(out, lang, id, std::span<const Arg>(args.begin(), args.size()));
}
/// The same, as a string (off the per-segment path).
[[nodiscard]] std::string said(Language lang, Msg id, std::span<const Arg> args);
[[nodiscard]] inline std::string said(Language lang, Msg id, std::initializer_list<Arg> args = {}) {
    return said(lang, id, std::span<const Arg>(args.begin(), args.size()));
}

/// The text of a message without parameters ("client", "serveur"), for callers that pass
/// words as parameters of other messages.
[[nodiscard]] std::string_view word(Language lang, Msg id);

/// "client" or "server" in `lang`: the word for an endpoint's role.
[[nodiscard]] std::string_view role_word(Language lang, Role r);

/// Whether `n` takes the singular in `lang`: English 1 only, French 0 and 1.
[[nodiscard]] bool singular(Language lang, std::uint64_t n);

/// "0.027 ms", "1.500 s" in English; "0,027 ms", "1,500 s" in French (decimal comma).
void append_duration(fmt::memory_buffer& out, Duration d, Language lang);

// For the completeness test and the startup check.

/// The parameter names messages.hpp declares for `id`, in order.
[[nodiscard]] std::vector<std::string_view> declared_parameters(Msg id);
/// One language's table as written: (identifier, template) pairs.
struct Entry {
    Msg id;
    std::string_view text;
};
[[nodiscard]] std::span<const Entry> table(Language lang);
/// The tables themselves (english.cpp, french.cpp).
[[nodiscard]] std::span<const Entry> english_table();
[[nodiscard]] std::span<const Entry> french_table();
/// The parameter names a template uses (each once, in order of first use), or nullopt when
/// the template does not parse (an unclosed brace, an empty name, a plural with one form).
[[nodiscard]] std::optional<std::vector<std::string_view>> template_parameters(std::string_view text);

}  // namespace tfx::i18n
