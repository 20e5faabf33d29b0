#pragma once
// A large output buffer in front of a FILE*: renderers append with {fmt} and the buffer
// is written in big blocks, which is what makes text output fast (no iostreams, no locale).
// {fmt} writes straight into the buffer through fmt::appender (a std::back_inserter would
// go through fmt's iterator_buffer and push characters one by one).

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "text/ascii_text.hpp"

namespace tfx::render {

class OutputBuffer {
public:
    explicit OutputBuffer(std::FILE* out) : out_(out) {}
    ~OutputBuffer() { flush(); }
    OutputBuffer(const OutputBuffer&) = delete;
    OutputBuffer& operator=(const OutputBuffer&) = delete;

    template <typename... Args>
    void print(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(fmt::appender(buf_), f, std::forward<Args>(args)...);
        maybe_flush();
    }
    void write(std::string_view s) {
        buf_.append(s.data(), s.data() + s.size());
        maybe_flush();
    }
    /// Direct access for writers that append piece by piece (json_writer.hpp, text_format.hpp);
    /// call end_piece() after a complete record so the buffer is flushed when it is large.
    fmt::memory_buffer& raw() { return buf_; }
    void end_piece() { maybe_flush(); }
    void flush() {
        if (buf_.size() > 0) write_out();
        std::fflush(out_);
    }
    /// Everything goes out in ASCII (text/ascii_text.hpp), whatever the text appended: the
    /// one place --ascii applies to words as well as to drawings.
    void set_ascii_only(bool on) { ascii_only_ = on; }
    /// Live output: flush after each event so a person sees packets as they arrive.
    void set_line_buffered(bool on) { line_buffered_ = on; }
    void end_event() {
        if (line_buffered_) flush();
    }

private:
    void maybe_flush() {
        if (buf_.size() >= kFlushAt) write_out();
    }
    // Pieces are appended whole, so the buffer never ends inside a UTF-8 sequence here.
    void write_out() {
        const std::size_t size = ascii_only_ ? text::to_ascii_in_place(buf_.data(), buf_.size()) : buf_.size();
        std::fwrite(buf_.data(), 1, size, out_);
        buf_.clear();
    }
    static constexpr std::size_t kFlushAt = 1 << 18;
    std::FILE* out_;
    fmt::memory_buffer buf_;
    bool line_buffered_ = false;
    bool ascii_only_ = false;
};

}  // namespace tfx::render
