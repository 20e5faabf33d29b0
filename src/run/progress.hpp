#pragma once
// A one-line progress indicator on standard error while a capture file is read: bytes read
// of the file's size with the percentage, packets, connections, rate and time left,
// redrawn a few times a second and erased when reading ends.
//
// Only for a person waiting for output redirected away: never when standard error is not a
// terminal or standard output is one (the output shows the progress there, and the line
// would mix with it), when the CI environment variable is set (CI services set it, and some
// give jobs a terminal whose output ends up in the log) or TERM is "dumb", and never for
// live captures. Standard input
// and pipes have no size: the line then shows no percentage and no time left.
//
// Cost per frame: an addition and a decrement (about 8 instructions); the clock is read once
// per kFramesPerCheck frames, and the line drawn only when the interval has passed.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace tfx::run {

class ProgressLine {
public:
    /// Frames between two looks at the clock.
    static constexpr std::uint64_t kFramesPerCheck = 1024;
    static constexpr std::chrono::milliseconds kDefaultInterval{250};

    /// Off unless `wanted` and standard error (`err`) is a terminal outside CI. `path` is
    /// the capture file ("-" for stdin), `format` "pcap" or "pcapng" (their record headers
    /// count toward the bytes read).
    ProgressLine(bool wanted, std::FILE* err, const std::string& path, const std::string& format,
                 std::chrono::milliseconds interval = kDefaultInterval);
    ~ProgressLine() { erase(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    /// Counts a frame of `captured` bytes; true when it is time to call show().
    bool frame(std::uint32_t captured) {
        captured_bytes_ += captured;
        return --countdown_ == 0;
    }
    /// Redraws the line if the interval has passed since the last drawing: `frames` read so
    /// far, `connections` seen.
    void show(std::uint64_t frames, std::uint64_t connections);
    /// Removes the line (before anything else is written to standard error, and at the end).
    void erase();

    /// Whether a terminal may be drawn on: `err` is a terminal, standard output is not, CI is
    /// unset or empty, and TERM is not "dumb".
    [[nodiscard]] static bool terminal_allows(std::FILE* err);

private:
    std::FILE* err_ = nullptr;
    bool on_ = false;
    bool drawn_ = false;
    std::uint64_t total_bytes_ = 0;      ///< 0: unknown (stdin, a pipe)
    std::uint64_t captured_bytes_ = 0;   ///< the frames' captured bytes
    std::uint64_t header_bytes_ = 0;     ///< the file's header(s)
    std::uint32_t record_overhead_ = 0;  ///< a record's bytes beside its frame
    std::uint64_t countdown_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_drawn_;
};

}  // namespace tfx::run
