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
//   connection ends. Gaps are not filled: a file holds the delivered bytes only; streams.json
//   says where bytes are missing.
//   Descriptors and memory: at most `max_open_files` stream files are open at once (by default
//   what the open file limit allows, less a reserve); past it the least recently written one is
//   flushed and closed, and reopened to append when its next bytes come. Bytes reach a file one
//   write buffer (kWriteBuffer bytes) at a time: a buffer and the segment that overflows it in
//   one writev. A file takes a buffer from a pool at its first bytes to wait and keeps it until
//   it closes, or until the pool has made `max_write_buffers` and another file needs one: then
//   the least recently written file's waiting bytes are written and its buffer changes hands.
//   So the writing side holds at most max_write_buffers buffers (4 MiB by default), whatever
//   the number of directions and of open files (thousands: 80 MB of buffers for 20,000 when
//   each open file kept its own).
//   Failure: the first error (a file that exists, a full disk) stops the writing and calls
//   `on_failure` (the command asks the run to stop); error() says what happened. streams.json
//   is then left incomplete.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ingest/output_file.hpp"
#include "run/recency_list.hpp"
#include "stream/connection_streams.hpp"
#include "stream/stream_files.hpp"
#include "tfx/result.hpp"

namespace tfx::run {

class StreamDirectory : public stream::DirectionOutputs {
public:
    static constexpr std::size_t kWriteBuffer = 4096;
    static constexpr std::size_t kDefaultWriteBuffers = 1024;

    /// `max_open_files`: stream files open at once; 0: the open file limit (raised to its hard
    /// limit) less a reserve for the rest of the process. `max_write_buffers`: write buffers
    /// made at most; 0: kDefaultWriteBuffers.
    /// `language`: of streams.json's note texts.
    StreamDirectory(std::string path, bool overwrite, Language language, std::function<void()> on_failure,
                    std::size_t max_open_files = 0, std::size_t max_write_buffers = 0);
    ~StreamDirectory() override;
    StreamDirectory(const StreamDirectory&) = delete;
    StreamDirectory& operator=(const StreamDirectory&) = delete;

    /// Opens the directory, creating it when missing, and creates streams.json in it. `inputs`:
    /// the captures being read, which are never written. Call before any stream is opened.
    [[nodiscard]] std::optional<Error> open(std::span<const ingest::FileIdentity> inputs);

    stream::StreamSink& opened(const stream::StreamDirection& direction) override;
    void closed(const stream::StreamDirection& direction, const stream::StreamEnd& end) override;
    void finished() override;

    /// Times a file closed to make room for another was reopened to append.
    [[nodiscard]] std::uint64_t files_reopened() const { return files_reopened_; }
    /// Write buffers made (never more than max_write_buffers).
    [[nodiscard]] std::size_t write_buffers_made() const { return buffers_made_; }

    /// The first error met; nullopt when every file and streams.json were written.
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }

private:
    class File;
    struct OpenTag;      ///< names the list of open files
    struct BufferedTag;  ///< names the list of files holding a write buffer
    using Key = std::pair<ConversationId, Role>;
    using Buffer = std::unique_ptr<std::byte[]>;

    /// Creates `name` in the directory for writing: its descriptor, or -1 (after fail()).
    int create(const std::string& name);
    /// Reopens `name`, created earlier by create(), to append: its descriptor, or -1 (after
    /// fail()).
    int reopen(const std::string& name);
    /// Makes room for one more open file (closing the least recently written) and puts `file`
    /// first in the order of use.
    void make_room_for(File& file);
    /// A spare write buffer, a new one, or at the limit the least recently written file's.
    Buffer take_buffer();
    void give_back(Buffer buffer);
    /// Writes row_ to streams.json.
    void write_row();
    void fail(Error error);
    [[nodiscard]] bool failed() const { return error_.has_value(); }

    std::string path_;
    bool overwrite_;
    Language language_;
    std::function<void()> on_failure_;
    int dir_ = -1;
    std::vector<ingest::FileIdentity> inputs_;
    std::FILE* index_ = nullptr;  ///< streams.json
    bool first_row_ = true;
    fmt::memory_buffer row_;  ///< the row being written (reused)
    stream::StreamFileNames names_;
    std::map<Key, std::unique_ptr<File>> files_;
    std::size_t max_open_files_;
    std::size_t max_write_buffers_;
    std::uint64_t files_reopened_ = 0;
    RecencyList<File, OpenTag> open_;          ///< least recent: the next to close when one more must open
    RecencyList<File, BufferedTag> buffered_;  ///< least recent: the next to give its buffer up
    std::size_t buffers_made_ = 0;
    std::vector<Buffer> spare_buffers_;
    std::optional<Error> error_;
};

}  // namespace tfx::run
