#pragma once
// The outcome of one read from a capture source, shared by PcapReader and PcapngReader.

#include <cstdint>

namespace tfx::ingest {

enum class ReadStatus : std::uint8_t {
    Frame,      ///< `out` holds the next frame
    End,        ///< end of file, or break_loop() was called
    Truncated,  ///< the file ends inside a record (or a record header is damaged); `message` says how
    Error,      ///< read error; `message` says what
};

}  // namespace tfx::ingest
