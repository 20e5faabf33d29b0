#include "ingest/capture_description.hpp"

#include <filesystem>

#include "i18n/messages.hpp"

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

std::optional<Error> early_end(ReadStatus status, const std::string& message, const std::optional<Error>& problem) {
    if (status == ReadStatus::Frame || status == ReadStatus::End) return std::nullopt;
    if (problem) return problem;
    const ErrorKind kind = status == ReadStatus::Truncated ? ErrorKind::NotACapture : ErrorKind::Io;
    if (!message.empty()) return Error{kind, i18n::Msg::ReadNoteAsWritten, {message}};
    return Error{kind, status == ReadStatus::Truncated ? i18n::Msg::ReadTruncatedCapture : i18n::Msg::ReadFailed};
}

}  // namespace tfx::ingest
