#pragma once
// How many terminal columns UTF-8 text takes, for the tables and drawings whose text is
// Latin letters, punctuation, box drawing and arrows: one column per code point (none of
// them is a wide or combining character).

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace tfx::text {

/// Whether `byte` continues a UTF-8 sequence (10xxxxxx) rather than starting a code point.
constexpr bool continues_code_point(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

/// The columns `s` takes: its code points.
constexpr std::size_t columns(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return !continues_code_point(c); }));
}

/// The first `n` columns of `s`, cut between code points.
constexpr std::string_view first_columns(std::string_view s, std::size_t n) {
    std::size_t seen = 0, end = 0;
    for (; end < s.size(); ++end) {
        if (continues_code_point(s[end])) continue;
        if (seen == n) break;
        ++seen;
    }
    return s.substr(0, end);
}

}  // namespace tfx::text
