#pragma once
// The cheapest way to append to a fmt::memory_buffer: make room once, write through a
// pointer, commit where the writing ended. fmt's own buffer::append copies through a generic
// chunked loop and its push_back is an out-of-line call per character; on the per-segment
// path that cost more than the bytes themselves (callgrind). Forced inline: GCC stops
// inlining into functions as large as the renderers' segment writers, and a call per piece
// would cost more than the piece.

#include <fmt/format.h>

#include <cstring>
#include <string_view>

namespace tfx::render {

/// Room for at most `most` more bytes after the buffer's end; write there, then commit.
[[gnu::always_inline]] inline char* reserve_tail(fmt::memory_buffer& out, std::size_t most) {
    const std::size_t at = out.size();
    if (at + most > out.capacity()) out.reserve(at + most);  // the call only when it grows
    return out.data() + at;
}

/// Ends the buffer at `end`, a pointer into the room reserve_tail() made.
[[gnu::always_inline]] inline void commit_tail(fmt::memory_buffer& out, char* end) {
    out.try_resize(static_cast<std::size_t>(end - out.data()));
}

[[gnu::always_inline]] inline char* copy_bytes(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

[[gnu::always_inline]] inline void append_bytes(fmt::memory_buffer& out, std::string_view s) {
    commit_tail(out, copy_bytes(reserve_tail(out, s.size()), s));
}

}  // namespace tfx::render
