#pragma once
// What the command line and the public CaptureReader both say about an opened capture: the
// CaptureInfo a Session starts with, and the words for a read that ended early.

#include <optional>
#include <string>

#include "ingest/pcap_reader.hpp"
#include "ingest/read_status.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::ingest {

/// `source` is the path ("-" for stdin) or the interface; a file is named without its folders.
[[nodiscard]] CaptureInfo describe_capture(const PcapReader& reader, const std::string& source,
                                           const std::string& filter, bool live);

/// Why reading stopped before the end, to be said in any language: nullopt for Frame and
/// End; else the reader's own account of the damage (`problem`, PcapReader::problem()), or
/// its `message` as it worded it, or when it gave none, "truncated capture" / "read error".
[[nodiscard]] std::optional<Error> early_end(ReadStatus status, const std::string& message,
                                             const std::optional<Error>& problem);

}  // namespace tfx::ingest
