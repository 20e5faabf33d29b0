#pragma once
// How many terminal columns UTF-8 text takes, for the tables and drawings whose text is
// Latin letters, punctuation, box drawing and arrows: one column per code point (none of
// them is a wide or combining character), and one per invalid byte, which a terminal shows
// as U+FFFD and to_ascii() writes as '?'.

#include <cstddef>
#include <string_view>

#include "text/utf8.hpp"

namespace tfx::text {

/// The columns `s` takes: its code points and invalid bytes.
constexpr std::size_t columns(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t at = 0; at < s.size(); at += decode_utf8(s, at).length) ++n;
    return n;
}

/// The first `n` columns of `s`, cut between code points.
constexpr std::string_view first_columns(std::string_view s, std::size_t n) {
    std::size_t end = 0;
    for (std::size_t seen = 0; end < s.size() && seen < n; ++seen) end += decode_utf8(s, end).length;
    return s.substr(0, end);
}

}  // namespace tfx::text
