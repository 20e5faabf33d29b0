#pragma once
// What the command line and the public CaptureReader both say about an opened capture: the
// CaptureInfo a Session starts with, and the words for a read that ended early.

#include <string>

#include "ingest/pcap_reader.hpp"
#include "ingest/read_status.hpp"
#include "tfx/session.hpp"

namespace tfx::ingest {

/// `source` is the path ("-" for stdin) or the interface; a file is named without its folders.
[[nodiscard]] CaptureInfo describe_capture(const PcapReader& reader, const std::string& source,
                                           const std::string& filter, bool live);

/// Why reading stopped before the end: empty for Frame and End, else the reader's message or,
/// when it gave none, "truncated capture" / "read error".
[[nodiscard]] std::string early_end_reason(ReadStatus status, const std::string& message);

}  // namespace tfx::ingest
