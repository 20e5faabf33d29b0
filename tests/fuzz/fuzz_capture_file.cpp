// libFuzzer target: whole capture files (pcap or pcapng, any byte order) read by
// tfx::ingest::PcapReader (libpcap checks a pcap header, then the records come from our
// mapped reader; pcapng goes through our block reader), then the pipeline, exactly as the
// command line does it (tfx::run::run_capture). The bytes go to an anonymous memory file
// (memfd, a regular file, so it is mapped like one on disk) opened by its /proc/self/fd
// path, so nothing touches the disk. The renderer alternates between
// text and JSON (by input size) and writes to /dev/null; half the inputs (by size) go
// through the ingest thread.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "run/capture_runner.hpp"
#include "tfx/render.hpp"
#include "tfx/session.hpp"

namespace {

std::FILE* null_output() {
    static std::FILE* f = std::fopen("/dev/null", "w");
    return f;
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = ::memfd_create("tfx-fuzz-capture", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (!write_all(fd, data, size)) {
        ::close(fd);
        return 0;
    }
    tfx::run::InputSpec input;
    input.path = "/proc/self/fd/" + std::to_string(fd);
    input.ingest_thread = (size & 4U) != 0;  // half the inputs are read and decoded on a thread
    tfx::Options options;
    options.max_connections = 64;  // eviction and expiry run on small inputs too
    options.max_unacked_segments = 64;
    tfx::RenderOptions render;
    render.payload = (size & 2U) ? tfx::PayloadMode::HexAscii : tfx::PayloadMode::None;
    auto renderer =
        tfx::make_renderer((size & 1U) ? tfx::OutputFormat::Json : tfx::OutputFormat::Text, null_output(), render);
    const auto result = tfx::run::run_capture(input, options, *renderer);
    (void)result;
    ::close(fd);
    return 0;
}
