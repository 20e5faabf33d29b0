// Line and literal scanning for the line-based first messages (text_scan.hpp).

#include "content/text_scan.hpp"

namespace tfx::content::detail {

namespace {
[[nodiscard]] char upper_ascii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
}  // namespace

Line line_at(std::string_view s, std::size_t from) {
    const std::string_view window = take(s, kMaxLineBytes);
    if (from >= window.size()) return {};
    const std::string_view rest = window.substr(from);
    const std::size_t lf = rest.find('\n');
    if (lf == std::string_view::npos) return {rest, false, 0};
    std::string_view text = rest.substr(0, lf);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return {text, true, from + lf + 1};
}

bool proper_prefix_of(std::string_view s, std::string_view literal) {
    return s.size() < literal.size() && literal.substr(0, s.size()) == s;
}

bool starts_with_nocase(std::string_view s, std::string_view upper) {
    if (s.size() < upper.size()) return false;
    for (std::size_t i = 0; i < upper.size(); ++i)
        if (upper_ascii(s[i]) != upper[i]) return false;
    return true;
}

bool contains_nocase(std::string_view s, std::string_view upper) {
    for (std::size_t i = 0; i + upper.size() <= s.size(); ++i)
        if (starts_with_nocase(s.substr(i), upper)) return true;
    return false;
}

BoundedText bounded(std::string_view s) { return {std::string(take(s, kMaxTextBytes)), s.size() > kMaxTextBytes}; }

}  // namespace tfx::content::detail
