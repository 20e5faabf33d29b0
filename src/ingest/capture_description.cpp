#include "ingest/capture_description.hpp"

#include <filesystem>

namespace tfx::ingest {

CaptureInfo describe_capture(const PcapReader& reader, const std::string& source, const std::string& filter,
                             bool live) {
    CaptureInfo info;
    info.live = live;
    info.source = live || source == "-" ? source : std::filesystem::path(source).filename().string();
    info.format = live ? "live" : reader.format();
    info.filter = filter;
    info.link_types = reader.link_types();
    info.snaplen = reader.snaplen();
    info.nanosecond = reader.nanosecond_file();
    return info;
}

std::string early_end_reason(ReadStatus status, const std::string& message) {
    switch (status) {
        case ReadStatus::Frame:
        case ReadStatus::End: return {};
        case ReadStatus::Truncated: return message.empty() ? "truncated capture" : message;
        case ReadStatus::Error: return message.empty() ? "read error" : message;
    }
    return {};
}

}  // namespace tfx::ingest
