#include "run/stream_directory.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <vector>

namespace tfx::run {

namespace {

constexpr const char* kWhat = "--write-streams";

Error io_error(const std::string& name, int err) {
    return Error{ErrorKind::Io, "cannot write '" + name + "' (" + kWhat + "): " + std::strerror(err)};
}

// Each connection alive with data holds up to two files open: use all the descriptors the
// hard limit allows (the soft limit is often 1024, far below it).
void raise_open_file_limit() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

// A stream file written through a small buffer of its own, not stdio: glibc keeps every open
// FILE in one list that each fclose walks, so closing is quadratic with thousands of stream
// files open at once.
class BufferedFile {
public:
    static constexpr std::size_t kBuffer = 4096;

    explicit BufferedFile(int fd) : fd_(fd) {}
    ~BufferedFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    BufferedFile(const BufferedFile&) = delete;
    BufferedFile& operator=(const BufferedFile&) = delete;

    /// False on failure (errno says why).
    bool write(std::span<const std::byte> data) {
        if (buffer_.size() + data.size() <= kBuffer) {
            if (buffer_.capacity() < kBuffer) buffer_.reserve(kBuffer);
            buffer_.insert(buffer_.end(), data.begin(), data.end());
            return true;
        }
        return flush() && write_all(data);
    }
    /// Writes what is buffered and closes; false on failure (errno says why).
    bool close() {
        const bool flushed = flush();
        const int err = errno;
        const bool closed = ::close(fd_) == 0;
        fd_ = -1;
        if (!flushed) errno = err;
        return flushed && closed;
    }

private:
    bool flush() {
        const bool ok = write_all(buffer_);
        buffer_.clear();
        return ok;
    }
    bool write_all(std::span<const std::byte> data) {
        while (!data.empty()) {
            const ssize_t n = ::write(fd_, data.data(), data.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            data = data.subspan(static_cast<std::size_t>(n));
        }
        return true;
    }

    int fd_;
    std::vector<std::byte> buffer_;
};

}  // namespace

// One direction's file: the delivered bytes go to it and to the digest of its row.
class StreamDirectory::File : public stream::StreamSink {
public:
    File(StreamDirectory& owner, const stream::StreamDirection& direction) : owner_(owner), direction_(direction) {}
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex frame) override {
        digest_.bytes(offset, data, frame);
        if (!ensure_open()) return;
        if (!file_->write(data)) owner_.fail(io_error(name_, errno));
    }
    void missing(std::uint64_t offset, std::uint64_t length, stream::MissingReason reason) override {
        digest_.missing(offset, length, reason);
    }
    void inconsistent(const stream::Inconsistency& found) override { digest_.inconsistent(found); }
    void beyond_fin(stream::ByteRange range, FrameIndex frame) override { digest_.beyond_fin(range, frame); }
    void note(const stream::StreamNote& said) override { digest_.note(said); }

    /// Closes the file (created empty when no byte was delivered); its row of streams.json,
    /// nullopt once the writing failed.
    std::optional<nlohmann::ordered_json> finish(const stream::StreamEnd& end) {
        if (!ensure_open()) return std::nullopt;
        const bool closed = file_->close();
        file_.reset();
        if (!closed) {
            owner_.fail(io_error(name_, errno));
            return std::nullopt;
        }
        auto row = stream::stream_file_row({name_, direction_.connection, direction_.sender, digest_.sha256_hex(),
                                            end.totals, digest_.gaps(), digest_.inconsistencies(), digest_.notes()});
        row["before_start_bytes"] = end.before_start_bytes;
        return row;
    }

private:
    // Created at the first byte, so that a name goes to the connections in the order their
    // data came. False once the writing failed.
    bool ensure_open() {
        if (owner_.failed()) return false;
        if (file_) return true;
        name_ = owner_.names_.name_for(direction_.connection, direction_.src, direction_.dst, direction_.vlan);
        const int fd = owner_.create(name_);
        if (fd >= 0) file_.emplace(fd);
        return file_.has_value();
    }

    StreamDirectory& owner_;
    stream::StreamDirection direction_;
    std::string name_;
    std::optional<BufferedFile> file_;
    stream::StreamDigest digest_;
};

StreamDirectory::StreamDirectory(std::string path, bool overwrite, std::function<void()> on_failure)
    : path_(std::move(path)), overwrite_(overwrite), on_failure_(std::move(on_failure)) {}

StreamDirectory::~StreamDirectory() {
    files_.clear();
    if (index_ != nullptr) std::fclose(index_);
    if (dir_ >= 0) ::close(dir_);
}

std::optional<Error> StreamDirectory::open(const std::optional<ingest::FileIdentity>& input) {
    input_ = input;
    auto dir = ingest::open_output_directory(path_, kWhat);
    if (!dir) return dir.error();
    dir_ = dir.value();
    raise_open_file_limit();
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
    // With overwrite, an existing file is emptied: never the capture being read.
    if (overwrite_ && input_) {
        struct stat st {};
        if (::fstatat(dir_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            ingest::FileIdentity{st.st_dev, st.st_ino} == *input_) {
            fail(Error{ErrorKind::Usage,
                       "refusing to write '" + name + "' (" + kWhat + "): it is the capture being read"});
            return -1;
        }
    }
    auto fd = ingest::create_file_in(dir_, name, kWhat, overwrite_);
    if (!fd) {
        fail(fd.error());
        return -1;
    }
    return fd.value();
}

stream::StreamSink& StreamDirectory::opened(const stream::StreamDirection& direction) {
    auto& file = files_[Key{direction.connection, direction.sender}];
    file = std::make_unique<File>(*this, direction);
    return *file;
}

void StreamDirectory::closed(const stream::StreamDirection& direction, const stream::StreamEnd& end) {
    const auto found = files_.find(Key{direction.connection, direction.sender});
    if (found == files_.end()) return;
    const auto row = found->second->finish(end);
    files_.erase(found);
    if (row) write_row(*row);
}

void StreamDirectory::write_row(const nlohmann::ordered_json& row) {
    if (failed()) return;
    const std::string text = (first_row_ ? "" : ",\n") + row.dump();
    first_row_ = false;
    if (std::fputs(text.c_str(), index_) == EOF) fail(io_error("streams.json", errno));
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
