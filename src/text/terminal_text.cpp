#include "text/terminal_text.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "text/utf8.hpp"

namespace tfx::text {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
}  // namespace

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Step step = decode_utf8(s, i);
        if (step.valid)
            out.append(s.substr(i, step.length));
        else
            out += kReplacement;
        i += step.length;
    }
    return out;
}

std::string printable(std::string_view s, Newlines newlines) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Step step = decode_utf8(s, i);
        const char32_t cp = step.code_point;
        if (!step.valid) {
            out += kReplacement;
        } else if ((cp < 0x20 || cp == 0x7f) && cp != '\t' && !(cp == '\n' && newlines == Newlines::Keep)) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
        } else if (cp >= 0x80 && cp < 0xA0) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));  // the C1 controls
        } else {
            out.append(s.substr(i, step.length));
        }
        i += step.length;
    }
    return out;
}

bool terminal_draws(int fd) {
    if (isatty(fd) != 1) return false;
    const char* term = std::getenv("TERM");
    return term == nullptr || std::string_view(term) != "dumb";
}

}  // namespace tfx::text
