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
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

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
    JsonWriter& key(std::string_view name) {
        next_item();
        out_.push_back('"');
        append(name);
        append(indent_ ? "\": " : "\":");
        after_key_ = true;
        return *this;
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
        out_.push_back('"');
        const std::size_t start = out_.size();
        write(out_);
        escape_written_since(start);
        out_.push_back('"');
    }
    /// A string known to need no escaping (names of our enums, addresses, flag words):
    /// copied without the per-character scan. Sentences and user text go through value().
    void plain_value(std::string_view s) {
        start_value();
        out_.push_back('"');
        append(s);
        out_.push_back('"');
    }
    void value(bool b) {
        start_value();
        append(b ? "true" : "false");
    }
    void value(std::uint64_t n) {
        start_value();
        const fmt::format_int text(n);
        append(std::string_view(text.data(), text.size()));
    }
    void value(std::int64_t n) {
        start_value();
        const fmt::format_int text(n);
        append(std::string_view(text.data(), text.size()));
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
        out_.push_back('"');
        for (const auto b : bytes) {
            const auto v = static_cast<unsigned>(b);
            out_.push_back(kDigits[v >> 4]);
            out_.push_back(kDigits[v & 0xf]);
        }
        out_.push_back('"');
    }
    /// Already formatted JSON, placed as one value (the caller made it match the layout).
    void raw_value(std::string_view json) {
        start_value();
        append(json);
    }

    /// Newline and indentation for nesting level `depth` (nothing when compact).
    void newline(int depth) {
        if (!indent_) return;
        out_.push_back('\n');
        for (int i = pad_ + depth * indent_; i > 0; --i) out_.push_back(' ');
    }

private:
    // Appends with one resize and one memcpy: fmt's buffer::append copies through a
    // generic chunked loop, which was a third of JSONL's instructions (callgrind).
    void append(std::string_view s) {
        const std::size_t at = out_.size();
        out_.resize(at + s.size());
        std::memcpy(out_.data() + at, s.data(), s.size());
    }
    void append(const char* first, const char* last) { append(std::string_view(first, static_cast<std::size_t>(last - first))); }

    void next_item() {
        if (level_ == 0) return;
        bool& first = first_[static_cast<std::size_t>(level_ - 1)];
        if (!first) out_.push_back(',');
        first = false;
        newline(depth_);
    }
    void start_value() {
        if (after_key_) after_key_ = false;
        else next_item();
    }
    void open(char bracket) {
        start_value();
        out_.push_back(bracket);
        ++depth_;
        first_[static_cast<std::size_t>(level_++)] = true;
    }
    void close(char bracket) {
        const bool empty = first_[static_cast<std::size_t>(--level_)];
        --depth_;
        if (!empty) newline(depth_);
        out_.push_back(bracket);
    }

    // Characters JSON requires escaped: '"', '\\' and the controls below 0x20.
    static constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

    void quoted(std::string_view s) {
        out_.push_back('"');
        escaped(s);
        out_.push_back('"');
    }

    // Escapes in place what was appended from `start` on. Only text that needs escaping
    // (a quote in a few findings) is copied out and written again.
    void escape_written_since(std::size_t start) {
        const std::string_view written(out_.data() + start, out_.size() - start);
        const auto first = std::find_if(written.begin(), written.end(),
                                        [](char c) { return needs_escape(static_cast<unsigned char>(c)); });
        if (first == written.end()) return;
        const std::string rest(first, written.end());
        out_.resize(start + static_cast<std::size_t>(first - written.begin()));
        escaped(rest);
    }

    void escaped(std::string_view s) {
        const char* p = s.data();
        const char* const end = p + s.size();
        while (p != end) {
            const char* run = p;  // copy the longest run that needs no escape in one append
            while (p != end && !needs_escape(static_cast<unsigned char>(*p))) ++p;
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
