#include "run/progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <limits>

#include "text/terminal_text.hpp"

namespace tfx::run {

namespace {

// Sizes of a classic pcap file's header and record header, and of a pcapng section header,
// interface description and enhanced packet block around the frame (options not counted).
constexpr std::uint64_t kPcapFileHeader = 24;
constexpr std::uint32_t kPcapRecordHeader = 16;
constexpr std::uint64_t kPcapngHeaders = 28 + 20;
constexpr std::uint32_t kPcapngPacketBlock = 32;

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

std::uint64_t regular_file_size(const std::string& path) {
    struct stat st {};
    if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

std::size_t terminal_columns(std::FILE* err) {
    struct winsize ws {};
    if (::ioctl(fileno(err), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

double megabytes(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

// "1:05" (minutes and seconds), "2:03:04" beyond an hour.
std::string clock_text(double seconds) {
    const auto s = static_cast<std::uint64_t>(seconds + 0.5);
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

bool ProgressLine::terminal_allows(std::FILE* err) {
    if (!text::terminal_draws(fileno(err)) || ::isatty(STDOUT_FILENO) == 1) return false;
    const char* ci = std::getenv("CI");
    return ci == nullptr || *ci == '\0';
}

ProgressLine::ProgressLine(bool wanted, std::FILE* err, const std::string& path, const std::string& format,
                           std::chrono::milliseconds interval)
    : err_(err), on_(wanted && terminal_allows(err)), countdown_(on_ ? kFramesPerCheck : kNever), interval_(interval) {
    if (!on_) return;
    const bool pcapng = format == "pcapng";
    total_bytes_ = regular_file_size(path);
    header_bytes_ = pcapng ? kPcapngHeaders : kPcapFileHeader;
    record_overhead_ = pcapng ? kPcapngPacketBlock : kPcapRecordHeader;
    start_ = last_drawn_ = std::chrono::steady_clock::now();
}

void ProgressLine::show(std::uint64_t frames, std::uint64_t connections) {
    countdown_ = kFramesPerCheck;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_drawn_ < interval_) return;
    last_drawn_ = now;
    // Bytes read, estimated from the frames without asking the reader where it is.
    const std::uint64_t bytes = header_bytes_ + frames * record_overhead_ + captured_bytes_;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? megabytes(bytes) / elapsed : 0;
    std::string line;
    if (total_bytes_ > 0) {
        // The estimate may pass the size a little (pcapng options are not counted the other way).
        const std::uint64_t done = std::min(bytes, total_bytes_);
        const double fraction = static_cast<double>(done) / static_cast<double>(total_bytes_);
        line = fmt::format("{:.1f} of {:.1f} MB ({:.0f}%), {} packets, {} connections, {:.1f} MB/s", megabytes(done),
                           megabytes(total_bytes_), fraction * 100, frames, connections, rate);
        if (rate > 0) line += ", " + clock_text(megabytes(total_bytes_ - done) / rate) + " left";
    } else {
        line = fmt::format("{:.1f} MB, {} packets, {} connections, {:.1f} MB/s", megabytes(bytes), frames, connections,
                           rate);
    }
    const std::size_t width = terminal_columns(err_);
    if (line.size() >= width) line.resize(width - 1);  // never wrap: \r returns to this line only
    std::fprintf(err_, "\r\x1b[K%s", line.c_str());
    std::fflush(err_);
    drawn_ = true;
}

void ProgressLine::erase() {
    if (!drawn_) return;
    std::fprintf(err_, "\r\x1b[K");
    std::fflush(err_);
    drawn_ = false;
}

}  // namespace tfx::run
