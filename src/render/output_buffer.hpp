#pragma once
// A large output buffer in front of a FILE*: renderers append with {fmt} and the buffer
// is written in big blocks, which is what makes text output fast (no iostreams, no locale).

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

namespace tfx::render {

class OutputBuffer {
public:
    explicit OutputBuffer(std::FILE* out) : out_(out) {}
    ~OutputBuffer() { flush(); }
    OutputBuffer(const OutputBuffer&) = delete;
    OutputBuffer& operator=(const OutputBuffer&) = delete;

    template <typename... Args>
    void print(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(buf_), f, std::forward<Args>(args)...);
        maybe_flush();
    }
    void write(std::string_view s) {
        buf_.append(s.data(), s.data() + s.size());
        maybe_flush();
    }
    void flush() {
        if (buf_.size() > 0) std::fwrite(buf_.data(), 1, buf_.size(), out_);
        buf_.clear();
        std::fflush(out_);
    }
    /// Live output: flush after each event so a person sees packets as they arrive.
    void set_line_buffered(bool on) { line_buffered_ = on; }
    void end_event() {
        if (line_buffered_) flush();
    }

private:
    void maybe_flush() {
        if (buf_.size() >= kFlushAt) {
            std::fwrite(buf_.data(), 1, buf_.size(), out_);
            buf_.clear();
        }
    }
    static constexpr std::size_t kFlushAt = 1 << 16;
    std::FILE* out_;
    fmt::memory_buffer buf_;
    bool line_buffered_ = false;
};

}  // namespace tfx::render
