#include "i18n/catalogue.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include "text/append.hpp"

namespace tfx::i18n {

namespace {

// The declared parameter names, as one space-separated string per message.
constexpr std::array<std::string_view, kMessageCount> kDeclared = {
#define TFX_MESSAGE_PARAMS(id, params) std::string_view(params),
    TFX_MESSAGES(TFX_MESSAGE_PARAMS)
#undef TFX_MESSAGE_PARAMS
};

constexpr std::uint8_t kNoSlot = 0xff;

// A literal, then (unless slot is kNoSlot) a parameter: its value, or with `plural` the
// singular or plural word.
struct Piece {
    std::string_view literal;
    std::uint8_t slot = kNoSlot;
    bool plural = false;
    std::string_view one, other;
};

// One parsed template. Parsing stops at the first error; the completeness test reports it.
struct Parsed {
    std::vector<Piece> pieces;
    std::vector<std::string_view> names;  // in order of first use
    bool ok = true;
};

// "me other ack" -> {"me", "other", "ack"}.
std::vector<std::string_view> split_names(std::string_view declared) {
    std::vector<std::string_view> names;
    for (std::size_t at = 0; at < declared.size();) {
        const std::size_t end = std::min(declared.find(' ', at), declared.size());
        if (end > at) names.push_back(declared.substr(at, end - at));
        at = end + 1;
    }
    return names;
}

Parsed parse(std::string_view text, std::string_view declared) {
    Parsed p;
    const std::vector<std::string_view> slots = split_names(declared);
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t open = text.find('{', at);
        Piece piece;
        piece.literal = text.substr(at, open == std::string_view::npos ? std::string_view::npos : open - at);
        if (open == std::string_view::npos) {
            p.pieces.push_back(piece);
            break;
        }
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) {
            p.ok = false;
            break;
        }
        const std::string_view inside = text.substr(open + 1, close - open - 1);
        const std::size_t bar = inside.find('|');
        const std::string_view name = inside.substr(0, bar);
        if (bar != std::string_view::npos) {
            const std::string_view forms = inside.substr(bar + 1);
            const std::size_t second = forms.find('|');
            if (second == std::string_view::npos || forms.find('|', second + 1) != std::string_view::npos) {
                p.ok = false;
                break;
            }
            piece.plural = true;
            piece.one = forms.substr(0, second);
            piece.other = forms.substr(second + 1);
        }
        if (name.empty()) {
            p.ok = false;
            break;
        }
        std::size_t slot = 0;
        while (slot < slots.size() && slots[slot] != name) ++slot;
        piece.slot = slot < slots.size() ? static_cast<std::uint8_t>(slot) : kNoSlot;
        if (std::find(p.names.begin(), p.names.end(), name) == p.names.end()) p.names.push_back(name);
        p.pieces.push_back(piece);
        at = close + 1;
    }
    return p;
}

// A parsed template and the room its text takes besides its values: the literals and the
// longer form of each plural; a parameter may be used more than once.
struct Template {
    std::vector<Piece> pieces;
    std::size_t fixed_room = 0;
    std::size_t most_uses = 1;
};

Template make_template(std::vector<Piece> pieces) {
    Template t;
    std::array<std::size_t, 16> uses{};
    for (const Piece& p : pieces) {
        t.fixed_room += p.literal.size() + std::max(p.one.size(), p.other.size());
        if (p.slot < uses.size()) t.most_uses = std::max(t.most_uses, ++uses[p.slot]);
    }
    t.pieces = std::move(pieces);
    return t;
}

// Every language's templates parsed once, indexed by identifier.
class Compiled {
public:
    Compiled() {
        for (const Language lang : {Language::En, Language::Fr}) {
            auto& pieces = by_language_[static_cast<std::size_t>(lang)];
            for (const Entry& e : table(lang)) {
                const auto i = static_cast<std::size_t>(e.id);
                pieces[i] = make_template(parse(e.text, kDeclared[i]).pieces);
            }
        }
    }
    [[nodiscard]] const Template& at(Language lang, Msg id) const {
        return by_language_[static_cast<std::size_t>(lang)][static_cast<std::size_t>(id)];
    }

private:
    std::array<std::array<Template, kMessageCount>, 2> by_language_;
};

// Built before main(): the tables are constants, and say() then pays no guard per call.
const Compiled kCompiled;
const Compiled& compiled() { return kCompiled; }

// The number a plural form is chosen by. A number given as text (tfx::Error keeps its values
// as the text they are said with) is read from its digits; text that is not a whole number
// takes the plural.
std::uint64_t magnitude(const Arg& a) {
    if (a.kind() == Arg::Kind::Text) {
        const std::string_view digits = a.as_text();
        std::uint64_t n = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        return error == std::errc{} && end == digits.data() + digits.size() ? n : 2;
    }
    if (a.kind() == Arg::Kind::Unsigned) return a.as_unsigned();
    const std::int64_t v = a.as_signed();
    return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

}  // namespace

std::optional<Language> parse_language(std::string_view name) {
    if (name == "en") return Language::En;
    if (name == "fr") return Language::Fr;
    return std::nullopt;
}

std::string_view language_choices() { return "en, fr"; }

bool singular(Language lang, std::uint64_t n) { return lang == Language::Fr ? n <= 1 : n == 1; }

void append_duration(fmt::memory_buffer& out, Duration d, Language lang) {
    const auto ns = d.count();
    const auto mag = ns < 0 ? -ns : ns;
    const bool seconds = mag >= 1'000'000'000;
    text::append_fixed(out, ns, seconds ? 1'000'000'000 : 1'000'000, 3);
    // Three decimals were written: the point is the fourth character from the end.
    if (lang == Language::Fr) out[out.size() - 4] = ',';
    text::append(out, seconds ? std::string_view(" s") : std::string_view(" ms"));
}

void say(fmt::memory_buffer& out, Language lang, Msg id, std::span<const Arg> args) {
    const Template& t = compiled().at(lang, id);
    const Arg* values = args.data();
    const std::size_t count = args.size();
    // Room for the whole message made once, then written through a pointer: the pieces are
    // short, and a capacity check per piece would cost more than their bytes (callgrind).
    std::size_t room = t.fixed_room;
    for (std::size_t i = 0; i < count; ++i)
        room += values[i].kind() == Arg::Kind::Text ? values[i].as_text().size() : text::kMostDecimalChars;
    room *= t.most_uses;
    char* p = text::reserve_tail(out, room);
    for (const Piece& piece : t.pieces) {
        p = text::copy_bytes(p, piece.literal);
        if (piece.slot >= count) continue;
        const Arg& value = values[piece.slot];
        if (piece.plural) {
            p = text::copy_bytes(p, singular(lang, magnitude(value)) ? piece.one : piece.other);
            continue;
        }
        switch (value.kind()) {
            case Arg::Kind::Unsigned: p = text::write_decimal(p, value.as_unsigned()); break;
            case Arg::Kind::Signed: p = text::write_decimal(p, value.as_signed()); break;
            case Arg::Kind::Text: p = text::copy_bytes(p, value.as_text()); break;
            case Arg::Kind::Duration: {
                text::commit_tail(out, p);
                const std::size_t before = out.size();
                append_duration(out, Duration{value.as_signed()}, lang);
                room += out.size() - before;
                p = text::reserve_tail(out, room);
                break;
            }
        }
    }
    text::commit_tail(out, p);
}

std::string_view word(Language lang, Msg id) {
    const auto& pieces = compiled().at(lang, id).pieces;
    return pieces.empty() ? std::string_view() : pieces.front().literal;
}

std::string_view role_word(Language lang, Role r) {
    return word(lang, r == Role::Client ? Msg::RoleClient : Msg::RoleServer);
}

std::string said(Language lang, Msg id, std::span<const Arg> args) {
    fmt::memory_buffer out;
    say(out, lang, id, args);
    return fmt::to_string(out);
}

std::span<const Entry> table(Language lang) { return lang == Language::Fr ? french_table() : english_table(); }

std::vector<std::string_view> declared_parameters(Msg id) {
    return split_names(kDeclared[static_cast<std::size_t>(id)]);
}

std::optional<std::vector<std::string_view>> template_parameters(std::string_view text) {
    Parsed p = parse(text, "");
    if (!p.ok) return std::nullopt;
    return std::move(p.names);
}

}  // namespace tfx::i18n
