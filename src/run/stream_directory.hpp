#pragma once
// Module note: run / stream_directory
//   Purpose: --write-streams DIR: each direction's rebuilt bytes in a file of DIR, named as
//   tcpflow names them (stream/stream_files.hpp), and DIR/streams.json, one row per file
//   (connection, direction, bytes, sha256, the missing ranges, overlaps, inconsistent
//   retransmissions), written as the connections end, in that order.
//   Files: DIR is created when missing (never through a symbolic link); every file is created
//   in it (never through a link, never over an existing file unless `overwrite`, never the
//   capture being read, never blocking on a FIFO). A direction's file is created at its first
//   delivered byte (or, when none was delivered, at its end, empty) and closed when its
//   connection ends: open files are bounded by the directions with data alive at once. Gaps
//   are not filled: a file holds the delivered bytes only; streams.json says where bytes are
//   missing.
//   Failure: the first error (a file that exists, a full disk) stops the writing and calls
//   `on_failure` (the command asks the run to stop); error() says what happened. streams.json
//   is then left incomplete.

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "ingest/output_file.hpp"
#include "stream/connection_streams.hpp"
#include "stream/stream_files.hpp"
#include "tfx/result.hpp"

namespace tfx::run {

class StreamDirectory : public stream::DirectionOutputs {
public:
    StreamDirectory(std::string path, bool overwrite, std::function<void()> on_failure);
    ~StreamDirectory() override;
    StreamDirectory(const StreamDirectory&) = delete;
    StreamDirectory& operator=(const StreamDirectory&) = delete;

    /// Opens the directory, creating it when missing, and creates streams.json in it. `input`:
    /// the capture being read, which is never written. Call before any stream is opened.
    [[nodiscard]] std::optional<Error> open(const std::optional<ingest::FileIdentity>& input);

    stream::StreamSink& opened(const stream::StreamDirection& direction) override;
    void closed(const stream::StreamDirection& direction, const stream::StreamEnd& end) override;
    void finished() override;

    /// The first error met; nullopt when every file and streams.json were written.
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }

private:
    class File;
    using Key = std::pair<ConversationId, Role>;

    /// Creates `name` in the directory for writing: its descriptor, or -1 (after fail()).
    int create(const std::string& name);
    void write_row(const nlohmann::ordered_json& row);
    void fail(Error error);
    [[nodiscard]] bool failed() const { return error_.has_value(); }

    std::string path_;
    bool overwrite_;
    std::function<void()> on_failure_;
    int dir_ = -1;
    std::optional<ingest::FileIdentity> input_;
    std::FILE* index_ = nullptr;  ///< streams.json
    bool first_row_ = true;
    stream::StreamFileNames names_;
    std::map<Key, std::unique_ptr<File>> files_;
    std::optional<Error> error_;
};

}  // namespace tfx::run
