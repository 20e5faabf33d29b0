#pragma once
// Reads a whole capture through PcapReader, keeping a copy of every frame's bytes (the
// reader's buffer is reused by the next read), for tests of the ingest layer.

#include <string>
#include <vector>

#include "ingest/pcap_reader.hpp"
#include "support/frame_builder.hpp"

namespace tfx::test {

struct Read {
    std::vector<RawFrame> frames;
    std::vector<Bytes> data;
    ingest::ReadStatus last = ingest::ReadStatus::Error;
    std::string message;
};

inline Read read_all(ingest::PcapReader& r) {
    Read out;
    RawFrame f;
    for (;;) {
        out.last = r.next(f, out.message);
        if (out.last != ingest::ReadStatus::Frame) break;
        out.frames.push_back(f);
        out.data.emplace_back(f.data.begin(), f.data.end());
    }
    return out;
}

}  // namespace tfx::test
