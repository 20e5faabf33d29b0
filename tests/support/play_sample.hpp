#pragma once
// Plays one of the bundled captures (samples/NAME.pcap) through a Session into `sink`, as the
// command line would, for tests that check facts of a real kernel capture.

#include <cstdint>
#include <string>

#include "ingest/pcap_reader.hpp"
#include "tfx/session.hpp"

namespace tfx::test {

/// False when the capture cannot be read. `snaplen` > 0 cuts every frame to that many bytes,
/// as `editcap -s` or `tcpdump -s` would.
inline bool play_sample(const std::string& name, EventSink& sink, std::uint32_t snaplen = 0) {
    auto reader = ingest::PcapReader::open_file(std::string(TFX_SOURCE_DIR) + "/samples/" + name + ".pcap");
    if (!reader.ok()) return false;
    Session session({}, sink);
    CaptureInfo info;
    info.source = name;
    session.start(info);
    RawFrame frame;
    std::string message;
    while (reader->next(frame, message) == ingest::ReadStatus::Frame) {
        if (snaplen > 0 && frame.caplen > snaplen) {
            frame.caplen = snaplen;
            frame.data = frame.data.first(snaplen);
        }
        session.feed(frame);
    }
    session.finish();
    return true;
}

}  // namespace tfx::test
