#include "run/stream_directory.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "i18n/messages.hpp"
#include "text/quoted.hpp"

namespace tfx::run {

namespace {

constexpr const char* kWhat = "--write-streams";

Error io_error(const std::string& name, int err) {
    return Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {text::quoted(name), kWhat, std::strerror(err)}};
}

// Stream files may be open by the thousand: use all the descriptors the hard limit allows
// (the soft limit is often 1024, far below it). The limit in force afterwards.
std::size_t raise_open_file_limit() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        struct rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

// Descriptors left to the rest of the process (the capture, standard streams, streams.json,
// the directory, the threads' own).
std::size_t stream_files_allowed(std::size_t limit) {
    constexpr std::size_t kReserve = 64;
    return std::max<std::size_t>(1, limit > 2 * kReserve ? limit - kReserve : limit / 2);
}

/// Writes every byte of `parts` to `fd`; false on failure (errno says why).
bool write_all(int fd, std::array<iovec, 2> parts) {
    std::size_t first = 0;
    while (first < parts.size()) {
        if (parts[first].iov_len == 0) {
            ++first;
            continue;
        }
        const ssize_t n = ::writev(fd, &parts[first], static_cast<int>(parts.size() - first));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        auto left = static_cast<std::size_t>(n);
        for (; first < parts.size() && left >= parts[first].iov_len; ++first) left -= parts[first].iov_len;
        if (left > 0) {
            parts[first].iov_base = static_cast<std::byte*>(parts[first].iov_base) + left;
            parts[first].iov_len -= left;
        }
    }
    return true;
}

iovec as_iovec(const std::byte* data, std::size_t size) {
    return {const_cast<std::byte*>(data), size};  // writev does not write through it
}

}  // namespace

// One direction's file: the delivered bytes go to it (through a pooled buffer while the file
// is open) and to the digest of its row. Written directly, not through stdio: glibc keeps
// every open FILE in one list that each fclose walks.
class StreamDirectory::File : public stream::StreamSink,
                              public RecencyLinks<File, OpenTag>,
                              public RecencyLinks<File, BufferedTag> {
public:
    File(StreamDirectory& owner, const stream::StreamDirection& direction) : owner_(owner), direction_(direction) {}
    ~File() override {
        owner_.open_.remove(*this);
        owner_.buffered_.remove(*this);
        if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex frame) override {
        digest_.bytes(offset, data, frame);
        if (!ensure_open()) return;
        owner_.open_.use(*this);
        if (used_ + data.size() > kWriteBuffer) {
            // What waits in the buffer and the segment that overflows it, in one system call.
            const std::size_t waiting = std::exchange(used_, 0);
            if (!write_all(fd_, {as_iovec(buffer_.get(), waiting), as_iovec(data.data(), data.size())}))
                owner_.fail(io_error(name_, errno));
            return;
        }
        if (!buffer_) buffer_ = owner_.take_buffer();
        owner_.buffered_.use(*this);
        std::memcpy(buffer_.get() + used_, data.data(), data.size());
        used_ += data.size();
    }
    void missing(std::uint64_t offset, std::uint64_t length, stream::MissingReason reason) override {
        digest_.missing(offset, length, reason);
    }
    void inconsistent(const stream::Inconsistency& found) override { digest_.inconsistent(found); }
    void beyond_fin(stream::ByteRange range, FrameIndex frame) override { digest_.beyond_fin(range, frame); }
    void note(const stream::StreamNote& said) override { digest_.note(said); }

    /// Closes the file (created empty when no byte was delivered) and appends its row of
    /// streams.json to `row`; false once the writing failed.
    bool finish(const stream::StreamEnd& end, fmt::memory_buffer& row, Language lang) {
        if (!ensure_created() || !close_file()) return false;
        stream::append_stream_file_row(
            row,
            {name_, direction_.connection, direction_.sender, digest_.sha256_hex(), end.totals, digest_.gaps(),
             digest_.inconsistencies(), digest_.notes(), end.before_start_bytes},
            lang);
        return true;
    }

    /// Writes what is buffered, closes the descriptor and gives the buffer back; false (after
    /// fail()) on failure. Nothing to do when the file is not open.
    bool close_file() {
        if (fd_ < 0) return !owner_.failed();
        const bool flushed = release_buffer();
        const bool closed = ::close(fd_) == 0;
        const int err = errno;
        fd_ = -1;
        owner_.open_.remove(*this);
        if (flushed && !closed) owner_.fail(io_error(name_, err));
        return flushed && closed && !owner_.failed();
    }

    /// Writes what is buffered and gives the buffer back, the file staying open; false (after
    /// fail()) on failure.
    bool release_buffer() {
        const std::size_t waiting = std::exchange(used_, 0);
        const bool flushed = waiting == 0 || write_all(fd_, {as_iovec(buffer_.get(), waiting), iovec{}});
        if (!flushed) owner_.fail(io_error(name_, errno));
        owner_.buffered_.remove(*this);
        owner_.give_back(std::move(buffer_));
        return flushed;
    }

private:
    // Created at the first byte, so that a name goes to the connections in the order their
    // data came. False once the writing failed.
    bool ensure_created() {
        if (owner_.failed()) return false;
        if (!name_.empty()) return true;
        name_ = owner_.names_.name_for(direction_.connection, direction_.src, direction_.dst, direction_.vlan);
        return adopt(owner_.create(name_));
    }
    // Open, with a buffer: created, or reopened to append after it was closed to make room.
    bool ensure_open() {
        if (fd_ >= 0) return !owner_.failed();
        if (name_.empty()) return ensure_created();
        if (owner_.failed()) return false;
        return adopt(owner_.reopen(name_));
    }
    bool adopt(int fd) {
        if (fd < 0) return false;
        owner_.make_room_for(*this);
        fd_ = fd;
        return !owner_.failed();
    }

    StreamDirectory& owner_;
    stream::StreamDirection direction_;
    std::string name_;  ///< empty until the file is created
    int fd_ = -1;
    Buffer buffer_;         ///< taken at the first bytes to wait, given back when they are written
    std::size_t used_ = 0;  ///< bytes waiting in buffer_
    stream::StreamDigest digest_;
};

StreamDirectory::StreamDirectory(std::string path, bool overwrite, Language language, std::function<void()> on_failure,
                                 std::size_t max_open_files, std::size_t max_write_buffers)
    : path_(std::move(path)),
      overwrite_(overwrite),
      language_(language),
      on_failure_(std::move(on_failure)),
      max_open_files_(max_open_files),
      max_write_buffers_(max_write_buffers == 0 ? kDefaultWriteBuffers : max_write_buffers) {}

StreamDirectory::~StreamDirectory() {
    files_.clear();
    if (index_ != nullptr) std::fclose(index_);
    if (dir_ >= 0) ::close(dir_);
}

std::optional<Error> StreamDirectory::open(std::span<const ingest::FileIdentity> inputs) {
    inputs_.assign(inputs.begin(), inputs.end());
    auto dir = ingest::open_output_directory(path_, kWhat);
    if (!dir) return dir.error();
    dir_ = dir.value();
    const std::size_t limit = raise_open_file_limit();
    if (max_open_files_ == 0) max_open_files_ = stream_files_allowed(limit);
    const int index = create("streams.json");
    if (index < 0) return error_;
    index_ = ::fdopen(index, "w");
    if (index_ == nullptr) {
        const int err = errno;
        ::close(index);
        return io_error("streams.json", err);
    }
    if (std::fputs("[\n", index_) == EOF) return io_error("streams.json", errno);
    return std::nullopt;
}

int StreamDirectory::create(const std::string& name) {
    // With overwrite, an existing file is emptied: never the capture being read. Live
    // captures and stdin have no file to protect, and no stat is spent per file on them.
    if (overwrite_ && !inputs_.empty()) {
        struct stat st {};
        if (::fstatat(dir_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (auto refused = ingest::refuse_input(name, kWhat, ingest::FileIdentity{st.st_dev, st.st_ino}, inputs_)) {
                fail(*refused);
                return -1;
            }
        }
    }
    auto fd = ingest::create_file_in(dir_, name, kWhat, overwrite_);
    if (!fd) {
        fail(fd.error());
        return -1;
    }
    return fd.value();
}

int StreamDirectory::reopen(const std::string& name) {
    // The file was created here; O_NOFOLLOW and the check below refuse whatever replaced it
    // since (a link, a FIFO).
    const int fd = ::openat(dir_, name.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        fail(io_error(name, errno));
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const int err = errno;
        ::close(fd);
        fail(S_ISREG(st.st_mode)
                 ? io_error(name, err)
                 : Error{ErrorKind::Usage, i18n::Msg::ErrWriteNoLongerRegular, {text::quoted(name), kWhat}});
        return -1;
    }
    ++files_reopened_;
    return fd;
}

void StreamDirectory::make_room_for(File& file) {
    while (open_.size() >= max_open_files_ && open_.least_recent() != nullptr) open_.least_recent()->close_file();
    open_.use(file);
}

StreamDirectory::Buffer StreamDirectory::take_buffer() {
    // At the limit, the least recently written file's bytes go to its file and its buffer
    // changes hands: one more write system call instead of one more buffer.
    if (spare_buffers_.empty() && buffers_made_ >= max_write_buffers_ && buffered_.least_recent() != nullptr)
        buffered_.least_recent()->release_buffer();
    if (spare_buffers_.empty()) {
        ++buffers_made_;
        return std::make_unique_for_overwrite<std::byte[]>(kWriteBuffer);
    }
    Buffer buffer = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
    return buffer;
}

void StreamDirectory::give_back(Buffer buffer) {
    if (buffer) spare_buffers_.push_back(std::move(buffer));
}

stream::StreamSink& StreamDirectory::opened(const stream::StreamDirection& direction) {
    auto& file = files_[Key{direction.connection, direction.sender}];
    file = std::make_unique<File>(*this, direction);
    return *file;
}

void StreamDirectory::closed(const stream::StreamDirection& direction, const stream::StreamEnd& end) {
    const auto found = files_.find(Key{direction.connection, direction.sender});
    if (found == files_.end()) return;
    row_.clear();
    if (!first_row_) row_.append(std::string_view(",\n"));
    const bool finished = found->second->finish(end, row_, language_);
    files_.erase(found);
    if (finished) write_row();
}

void StreamDirectory::write_row() {
    if (failed()) return;
    first_row_ = false;
    if (std::fwrite(row_.data(), 1, row_.size(), index_) != row_.size()) fail(io_error("streams.json", errno));
}

void StreamDirectory::finished() {
    if (failed() || index_ == nullptr) return;
    const bool written = std::fputs(first_row_ ? "]\n" : "\n]\n", index_) != EOF;
    const int err = errno;
    const bool closed = std::fclose(index_) == 0;
    index_ = nullptr;
    if (!written || !closed) fail(io_error("streams.json", written ? errno : err));
}

void StreamDirectory::fail(Error error) {
    if (failed()) return;
    error_ = std::move(error);
    if (on_failure_) on_failure_();
}

}  // namespace tfx::run
