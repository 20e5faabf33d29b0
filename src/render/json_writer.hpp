#pragma once
// A streaming JSON writer that prints exactly what nlohmann::ordered_json::dump() prints
// (compact: dump(); pretty: dump(2)), straight into an output buffer: no JSON tree, no
// allocation per value. The hot JSON (segments, connections) is written with it; the
// cold parts (capture header and footer) still go through nlohmann.
//
// nlohmann's layout, reproduced here: compact separators "," and ":"; pretty separators
// ",\n" and ": " with `indent` spaces per level; an empty object or array is "{}" / "[]"
// in both modes; strings escape '"', '\\', \b \f \n \r \t and other control characters as
// \u00xx (lower-case hex); everything else, UTF-8 included, is copied as is.

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "text/append.hpp"

namespace tfx::render {

class JsonWriter {
public:
    /// `indent` 0 = compact. `depth`: nesting level of the value about to be written (for
    /// pretty indentation); `pad`: extra spaces after every newline (a document embedded at
    /// a column).
    explicit JsonWriter(fmt::memory_buffer& out, int indent = 0, int depth = 0, int pad = 0)
        : out_(out), indent_(indent), depth_(depth), pad_(pad) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    /// A member name. Ours are snake_case identifiers and finding codes: nothing to escape.
    JsonWriter& key(std::string_view name) { return write_key(name); }
    /// The same for a literal name: inlined, so its length is a constant and the copy a few
    /// moves (keys are the most frequent piece of JSONL).
    template <std::size_t N>
    [[gnu::always_inline]] JsonWriter& key(const char (&name)[N]) {
        return write_key(std::string_view(name, N - 1));
    }

    void value(std::string_view s) {
        start_value();
        quoted(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    /// A string that `write(fmt::memory_buffer&)` appends straight into the output (our
    /// sentences), escaped afterwards where needed: no temporary string on the common path.
    template <typename Write>
    void formatted_value(Write&& write) {
        start_value();
        put('"');
        const std::size_t start = out_.size();
        write(out_);
        escape_written_since(start);
        put('"');
    }
    /// A string known to need no escaping (names of our enums, addresses, flag words):
    /// copied without the per-character scan. Sentences and user text go through value().
    void plain_value(std::string_view s) {
        start_value();
        char* p = reserve(s.size() + 2);
        *p++ = '"';
        p = copy(p, s);
        *p++ = '"';
        commit(p);
    }
    void value(bool b) {
        start_value();
        append(b ? "true" : "false");
    }
    void value(std::uint64_t n) {
        start_value();
        number(n);
    }
    void value(std::int64_t n) {
        start_value();
        number(n);
    }
    void value(std::uint32_t n) { value(std::uint64_t{n}); }
    void value(std::uint16_t n) { value(std::uint64_t{n}); }
    void value(std::uint8_t n) { value(std::uint64_t{n}); }
    void value(std::int32_t n) { value(std::int64_t{n}); }
    void null() {
        start_value();
        append("null");
    }
    template <typename T>
    void value(const std::optional<T>& o) {
        if (o) value(*o);
        else null();
    }
    /// Bytes as a string of lower-case hex digits (JSON never carries raw payload).
    void hex_value(std::span<const std::byte> bytes) {
        static constexpr char kDigits[] = "0123456789abcdef";
        start_value();
        char* p = reserve(2 * bytes.size() + 2);
        *p++ = '"';
        for (const auto b : bytes) {
            const auto v = static_cast<unsigned>(b);
            *p++ = kDigits[v >> 4];
            *p++ = kDigits[v & 0xf];
        }
        *p++ = '"';
        commit(p);
    }
    /// Already formatted JSON, placed as one value (the caller made it match the layout).
    void raw_value(std::string_view json) {
        start_value();
        append(json);
    }

    /// Newline and indentation for nesting level `depth` (nothing when compact).
    void newline(int depth) {
        if (!indent_) return;
        const auto spaces = static_cast<std::size_t>(pad_ + depth * indent_);
        char* p = reserve(spaces + 1);
        *p++ = '\n';
        std::memset(p, ' ', spaces);
        commit(p + spaces);
    }

private:
    // Every piece is written the same way (src/text/append.hpp): make room for at most `most`
    // more bytes, write through the pointer, commit where it ended.
    [[gnu::always_inline]] char* reserve(std::size_t most) { return text::reserve_tail(out_, most); }
    [[gnu::always_inline]] void commit(char* end) { text::commit_tail(out_, end); }
    [[gnu::always_inline]] static char* copy(char* p, std::string_view s) { return text::copy_bytes(p, s); }
    [[gnu::always_inline]] void put(char c) {
        char* p = reserve(1);
        *p = c;
        commit(p + 1);
    }
    void append(std::string_view s) { text::append_bytes(out_, s); }
    template <typename Integer>
    void number(Integer n) {
        constexpr std::size_t kMostDigits = 20;  // 2^64 - 1 and -2^63 both fit
        char* p = reserve(kMostDigits);
        commit(std::to_chars(p, p + kMostDigits, n).ptr);
    }
    void append(const char* first, const char* last) { append(std::string_view(first, static_cast<std::size_t>(last - first))); }

    [[gnu::always_inline]] JsonWriter& write_key(std::string_view name) {
        char* p = reserve(kMostSeparator + line_width() + name.size() + 4);
        p = separator(p);
        *p++ = '"';
        p = copy(p, name);
        *p++ = '"';
        *p++ = ':';
        if (indent_) *p++ = ' ';
        commit(p);
        after_key_ = true;
        return *this;
    }

    // What comes before an item of an object or array: a comma unless it is the first,
    // then (pretty) a newline and the indentation. Needs room for kMostSeparator + line_width().
    static constexpr std::size_t kMostSeparator = 1;
    std::size_t line_width() const { return indent_ ? 1 + static_cast<std::size_t>(pad_ + depth_ * indent_) : 0; }
    [[gnu::always_inline]] char* separator(char* p) {
        if (level_ == 0) return p;
        bool& first = first_[static_cast<std::size_t>(level_ - 1)];
        if (!first) *p++ = ',';
        first = false;
        if (indent_) {
            const std::size_t width = line_width();
            *p++ = '\n';
            std::memset(p, ' ', width - 1);
            p += width - 1;
        }
        return p;
    }
    void next_item() { commit(separator(reserve(kMostSeparator + line_width()))); }
    void start_value() {
        if (after_key_) after_key_ = false;
        else next_item();
    }
    void open(char bracket) {
        start_value();
        put(bracket);
        ++depth_;
        first_[static_cast<std::size_t>(level_++)] = true;
    }
    void close(char bracket) {
        const bool empty = first_[static_cast<std::size_t>(--level_)];
        --depth_;
        if (!empty) newline(depth_);
        put(bracket);
    }

    // Characters JSON requires escaped: '"', '\\' and the controls below 0x20.
    static constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

    // The first character in [p, end) that needs escaping, or end. Tests eight bytes at a
    // time (most of the text is sentences with nothing to escape): a byte of the word is
    // below 0x20, '"' or '\\' exactly when the classic "has a byte less than n" / "has a
    // zero byte" bit tests say so; the byte loop then finds which one.
    static const char* first_to_escape(const char* p, const char* end) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ull;
        constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
        const auto has_byte_below = [](std::uint64_t w, std::uint64_t n) { return (w - kOnes * n) & ~w & kHighBits; };
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, sizeof w);
            if (has_byte_below(w, 0x20) | has_byte_below(w ^ (kOnes * '"'), 1) | has_byte_below(w ^ (kOnes * '\\'), 1))
                break;
            p += 8;
        }
        while (p != end && !needs_escape(static_cast<unsigned char>(*p))) ++p;
        return p;
    }

    void quoted(std::string_view s) {
        put('"');
        escaped(s);
        put('"');
    }

    // Escapes in place what was appended from `start` on. Only text that needs escaping
    // (a quote in a few findings) is copied out and written again.
    void escape_written_since(std::size_t start) {
        const char* const written = out_.data() + start;
        const char* const end = out_.data() + out_.size();
        const char* const first = first_to_escape(written, end);
        if (first == end) return;
        const std::string rest(first, end);
        out_.resize(start + static_cast<std::size_t>(first - written));
        escaped(rest);
    }

    void escaped(std::string_view s) {
        const char* p = s.data();
        const char* const end = p + s.size();
        while (p != end) {
            const char* run = p;  // copy the longest run that needs no escape in one append
            p = first_to_escape(p, end);
            append(run, p);
            if (p == end) break;
            const auto c = static_cast<unsigned char>(*p++);
            switch (c) {
                case '"': append("\\\""); break;
                case '\\': append("\\\\"); break;
                case '\b': append("\\b"); break;
                case '\f': append("\\f"); break;
                case '\n': append("\\n"); break;
                case '\r': append("\\r"); break;
                case '\t': append("\\t"); break;
                default: fmt::format_to(fmt::appender(out_), "\\u{:04x}", c); break;
            }
        }
    }

    static constexpr int kMaxLevels = 16;  // our documents nest 5 deep at most
    fmt::memory_buffer& out_;
    int indent_;
    int depth_;
    int pad_;
    int level_ = 0;
    bool after_key_ = false;
    std::array<bool, kMaxLevels> first_{};
};

}  // namespace tfx::render
