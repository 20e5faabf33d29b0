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

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "text/append.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tfx::render {

/// `CompactOnly`: the layout is compact at compile time (JSONL, where the writer is most of
/// the renderer's time: the pretty-layout checks cost 15 % of its instructions); otherwise
/// chosen by the constructor's `indent`.
template <bool CompactOnly>
class BasicJsonWriter {
public:
    /// `indent` 0 = compact. `depth`: nesting level of the value about to be written (for
    /// pretty indentation); `pad`: extra spaces after every newline (a document embedded at
    /// a column).
    explicit BasicJsonWriter(fmt::memory_buffer& out, int indent = 0, int depth = 0, int pad = 0)
        : out_(out), indent_(indent), depth_(depth), pad_(pad) {
        assert((!CompactOnly || indent == 0) && "a compact-only writer has no indentation");
        resume();
    }
    ~BasicJsonWriter() { sync(); }
    BasicJsonWriter(const BasicJsonWriter&) = delete;
    BasicJsonWriter& operator=(const BasicJsonWriter&) = delete;

    /// The writer appends through its own cursor and sets the buffer's size only when a
    /// top-level value is complete (or it needs more room, or it ends): a size update per
    /// piece was a tenth of the JSONL renderer's time. Between top-level values the buffer
    /// is the owner's. To append to it directly while a value is still open, call sync()
    /// first and resume() after (debug builds assert on a forgotten sync()).
    void sync() {
        if (!dirty_) return;
        assert(out_.size() == synced_size_ && "the buffer was written behind the writer's back: sync() first");
        out_.try_resize(static_cast<std::size_t>(cur_ - out_.data()));
        synced_size_ = out_.size();
        dirty_ = false;
    }
    void resume() {
        assert(!dirty_);
        synced_size_ = out_.size();
        cur_ = out_.data() + out_.size();
        end_ = out_.data() + out_.capacity();
    }

    [[gnu::always_inline]] void begin_object() { open('{'); }
    [[gnu::always_inline]] void end_object() { close('}'); }
    [[gnu::always_inline]] void begin_array() { open('['); }
    [[gnu::always_inline]] void end_array() { close(']'); }

    /// A member name. Ours are snake_case identifiers and finding codes: nothing to escape.
    BasicJsonWriter& key(std::string_view name) { return write_key(name); }
    /// The same for a literal name: inlined, so its length is a constant and the copy a few
    /// moves (keys are the most frequent piece of JSONL).
    template <std::size_t N>
    [[gnu::always_inline]] BasicJsonWriter& key(const char (&name)[N]) {
        return write_key(std::string_view(name, N - 1));
    }

    /// A member whose value is a number or a boolean: name and value in one step, with one
    /// room check and none of the key-then-value bookkeeping (most of a segment's members).
    /// Only inside an object.
    template <std::size_t N, typename Number>
    requires std::is_arithmetic_v<Number> &&(!std::is_floating_point_v<Number>)
        [[gnu::always_inline]] void member(const char (&name)[N], Number v) {
        assert(level_ > 0 && !after_key_);
        char* p = member_name_at(reserve(kMostSeparator + line_width() + N + 3 + text::kMostDecimalChars),
                                 std::string_view(name, N - 1));
        if constexpr (std::is_same_v<Number, bool>)
            p = copy(p, v ? std::string_view("true") : std::string_view("false"));
        else if constexpr (std::is_signed_v<Number>)
            p = text::write_decimal(p, std::int64_t{v});
        else
            p = text::write_decimal(p, std::uint64_t{v});
        commit(p);
    }
    /// The same for a string that needs no escaping (see plain_value()).
    template <std::size_t N>
    [[gnu::always_inline]] void plain_member(const char (&name)[N], std::string_view v) {
        assert(level_ > 0 && !after_key_);
        char* p = member_name_at(reserve(kMostSeparator + line_width() + N + 3 + v.size() + 2),
                                 std::string_view(name, N - 1));
        *p++ = '"';
        p = copy(p, v);
        *p++ = '"';
        commit(p);
    }

    void value(std::string_view s) {
        start_value();
        quoted(s);
        end_value();
    }
    void value(const char* s) { value(std::string_view(s)); }
    /// A string that `write(fmt::memory_buffer&)` appends straight into the output (our
    /// sentences), escaped afterwards where needed: no temporary string on the common path.
    template <typename Write>
    void formatted_value(Write&& write) {
        start_value();
        put('"');
        sync();
        const std::size_t start = out_.size();
        write(out_);
        resume();
        escape_written_since(start);
        put('"');
        end_value();
    }
    /// A string known to need no escaping (names of our enums, addresses, flag words):
    /// copied without the per-character scan. Sentences and user text go through value().
    [[gnu::always_inline]] void plain_value(std::string_view s) {
        start_value();
        char* p = reserve(s.size() + 2);
        *p++ = '"';
        p = copy(p, s);
        *p++ = '"';
        commit(p);
        end_value();
    }
    [[gnu::always_inline]] void value(bool b) {
        start_value();
        append(b ? "true" : "false");
        end_value();
    }
    [[gnu::always_inline]] void value(std::uint64_t n) {
        start_value();
        number(n);
        end_value();
    }
    [[gnu::always_inline]] void value(std::int64_t n) {
        start_value();
        number(n);
        end_value();
    }
    [[gnu::always_inline]] void value(std::uint32_t n) { value(std::uint64_t{n}); }
    [[gnu::always_inline]] void value(std::uint16_t n) { value(std::uint64_t{n}); }
    [[gnu::always_inline]] void value(std::uint8_t n) { value(std::uint64_t{n}); }
    [[gnu::always_inline]] void value(std::int32_t n) { value(std::int64_t{n}); }
    void null() {
        start_value();
        append("null");
        end_value();
    }
    template <typename T>
    void value(const std::optional<T>& o) {
        if (o)
            value(*o);
        else
            null();
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
        end_value();
    }
    /// Already formatted JSON, placed as one value (the caller made it match the layout).
    void raw_value(std::string_view json) {
        start_value();
        append(json);
        end_value();
    }

    /// Bytes as they are, with no separator: layout the caller places itself.
    void raw(std::string_view s) { append(s); }

    /// Newline and indentation for nesting level `depth` (nothing when compact).
    void newline(int depth) {
        if (!indent()) return;
        const auto spaces = static_cast<std::size_t>(pad_ + depth * indent());
        char* p = reserve(spaces + 1);
        *p++ = '\n';
        std::memset(p, ' ', spaces);
        commit(p + spaces);
    }

private:
    // Every piece is written the same way, through the writer's cursor (as src/text/append.hpp
    // does on a buffer's own size): make room for at most `most` more bytes, write through
    // the pointer, commit where it ended.
    [[gnu::always_inline]] char* reserve(std::size_t most) {
        if (static_cast<std::size_t>(end_ - cur_) < most) grow(most);
        return cur_;
    }
    [[gnu::always_inline]] void commit(char* end) {
        cur_ = end;
        dirty_ = true;
    }
    [[gnu::noinline]] void grow(std::size_t most) {
        sync();
        out_.reserve(out_.size() + std::max<std::size_t>(most, 4096));
        resume();
    }
    // A complete top-level value: the buffer's size catches up (its owner may flush it).
    [[gnu::always_inline]] void end_value() {
        if (level_ == 0) sync();
    }
    [[gnu::always_inline]] static char* copy(char* p, std::string_view s) { return text::copy_bytes(p, s); }
    [[gnu::always_inline]] void put(char c) {
        char* p = reserve(1);
        *p = c;
        commit(p + 1);
    }
    [[gnu::always_inline]] void append(std::string_view s) { commit(copy(reserve(s.size()), s)); }
    template <typename Integer>
    [[gnu::always_inline]] void number(Integer n) {
        commit(text::write_decimal(reserve(text::kMostDecimalChars), n));
    }
    void append(const char* first, const char* last) {
        append(std::string_view(first, static_cast<std::size_t>(last - first)));
    }

    [[gnu::always_inline]] BasicJsonWriter& write_key(std::string_view name) {
        commit(member_name_at(reserve(kMostSeparator + line_width() + name.size() + 4), name));
        after_key_ = true;
        return *this;
    }
    // Writes what precedes a member's value at `p`: the separator, the quoted name, the
    // colon (and, pretty, a space). Needs kMostSeparator + line_width() + name.size() + 4.
    // Members are inside an object: never at the top level.
    [[gnu::always_inline]] char* member_name_at(char* p, std::string_view name) {
        assert(level_ > 0 && "a member outside an object");
        p = item_separator(p);
        *p++ = '"';
        p = copy(p, name);
        *p++ = '"';
        *p++ = ':';
        if (indent()) *p++ = ' ';
        return p;
    }

    // What comes before an item of an object or array: a comma unless it is the first,
    // then (pretty) a newline and the indentation. Needs room for kMostSeparator + line_width().
    static constexpr std::size_t kMostSeparator = 1;
    [[gnu::always_inline]] int indent() const {
        if constexpr (CompactOnly)
            return 0;
        else
            return indent_;
    }
    [[gnu::always_inline]] std::size_t line_width() const {
        return indent() ? 1 + static_cast<std::size_t>(pad_ + depth_ * indent()) : 0;
    }
    [[gnu::always_inline]] char* separator(char* p) { return level_ == 0 ? p : item_separator(p); }
    // The same inside an object or array.
    [[gnu::always_inline]] char* item_separator(char* p) {
        bool& first = first_[static_cast<std::size_t>(level_ - 1)];
        if (!first) *p++ = ',';
        first = false;
        if (indent()) {
            const std::size_t width = line_width();
            *p++ = '\n';
            std::memset(p, ' ', width - 1);
            p += width - 1;
        }
        return p;
    }
    [[gnu::always_inline]] void next_item() { commit(separator(reserve(kMostSeparator + line_width()))); }
    [[gnu::always_inline]] void start_value() {
        // A new top-level value: the owner may have appended to (or flushed) the buffer
        // since the last one was complete.
        if (level_ == 0 && !dirty_) resume();
        if (after_key_)
            after_key_ = false;
        else
            next_item();
    }
    [[gnu::always_inline]] void open(char bracket) {
        start_value();
        put(bracket);
        ++depth_;
        first_[static_cast<std::size_t>(level_++)] = true;
    }
    [[gnu::always_inline]] void close(char bracket) {
        const bool empty = first_[static_cast<std::size_t>(--level_)];
        --depth_;
        if (!empty) newline(depth_);
        put(bracket);
        end_value();
    }

    // Characters JSON requires escaped: '"', '\\' and the controls below 0x20.
    static constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

    // The first character in [p, end) that needs escaping, or end. Most of the text is
    // sentences with nothing to escape, so it tests many bytes at a time: sixteen with SSE2,
    // then (or without SSE2) eight in a word, where a byte is below 0x20, '"' or '\\' exactly
    // when the classic "has a byte less than n" / "has a zero byte" bit tests say so; the
    // byte loop then finds which one.
    static const char* first_to_escape(const char* p, const char* end) {
#if defined(__SSE2__)
        // SSE2 is on every x86-64. A byte needs escaping when it equals '"' or '\\', or when
        // min(byte, 0x1f) is the byte itself (an unsigned compare SSE2 does not have).
        const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
        const __m128i last_control = _mm_set1_epi8(0x1f);
        while (end - p >= 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, last_control), x),
                                              _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
            if (const int mask = _mm_movemask_epi8(hits)) return p + __builtin_ctz(static_cast<unsigned>(mask));
            p += 16;
        }
#endif
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
        const char* const first = first_to_escape(written, cur_);
        if (first == cur_) return;
        const std::string rest(first, static_cast<const char*>(cur_));
        commit(out_.data() + start + static_cast<std::size_t>(first - written));
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
                default: {  // the other controls, as \u00xx (lower-case hex, nlohmann's)
                    static constexpr char kHex[] = "0123456789abcdef";
                    const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
                    append(std::string_view(u, sizeof u));
                    break;
                }
            }
        }
    }

    static constexpr int kMaxLevels = 16;  // our documents nest 5 deep at most
    fmt::memory_buffer& out_;
    char* cur_ = nullptr;          // where the next byte goes, inside out_'s storage
    char* end_ = nullptr;          // the end of out_'s storage
    std::size_t synced_size_ = 0;  // out_.size() as the last sync() or resume() left it
    bool dirty_ = false;           // bytes before cur_ not yet counted in out_.size()
    int indent_;                   // CompactOnly: always 0, never read
    int depth_;
    int pad_;
    int level_ = 0;
    bool after_key_ = false;
    std::array<bool, kMaxLevels> first_{};
};

/// Compact or pretty, as the constructor's `indent` says (the JSON document, tests).
using JsonWriter = BasicJsonWriter<false>;
/// Compact only (JSONL).
using CompactJsonWriter = BasicJsonWriter<true>;

}  // namespace tfx::render
