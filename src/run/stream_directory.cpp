#include "run/stream_directory.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace

// One direction's file: the delivered bytes go to it and to the digest of its row.
class StreamDirectory::File : public stream::StreamSink {
public:
    File(StreamDirectory& owner, const stream::StreamDirection& direction) : owner_(owner), direction_(direction) {}
    ~File() override {
        if (file_ != nullptr) std::fclose(file_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex frame) override {
        digest_.bytes(offset, data, frame);
        if (!ensure_open()) return;
        if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) owner_.fail(io_error(name_, errno));
    }
    void missing(std::uint64_t offset, std::uint64_t length, stream::MissingReason reason) override {
        digest_.missing(offset, length, reason);
    }
    void inconsistent(const stream::Inconsistency& found) override { digest_.inconsistent(found); }

    /// Closes the file (created empty when no byte was delivered); its row of streams.json,
    /// nullopt once the writing failed.
    std::optional<nlohmann::ordered_json> finish(const stream::StreamEnd& end) {
        if (!ensure_open()) return std::nullopt;
        const int closed = std::fclose(file_);
        file_ = nullptr;
        if (closed != 0) {
            owner_.fail(io_error(name_, errno));
            return std::nullopt;
        }
        auto row = stream::stream_file_row({name_, direction_.connection, direction_.sender, digest_.sha256_hex(),
                                            end.totals, digest_.gaps(), digest_.inconsistencies()});
        row["before_start_bytes"] = end.before_start_bytes;
        return row;
    }

private:
    // Created at the first byte, so that a name goes to the connections in the order their
    // data came. False once the writing failed.
    bool ensure_open() {
        if (owner_.failed()) return false;
        if (file_ != nullptr) return true;
        name_ = owner_.names_.name_for(direction_.connection, direction_.src, direction_.dst, direction_.vlan);
        file_ = owner_.create(name_);
        return file_ != nullptr;
    }

    StreamDirectory& owner_;
    stream::StreamDirection direction_;
    std::string name_;
    std::FILE* file_ = nullptr;
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
    index_ = create("streams.json");
    if (index_ == nullptr) return error_;
    if (std::fputs("[\n", index_) == EOF) return io_error("streams.json", errno);
    return std::nullopt;
}

std::FILE* StreamDirectory::create(const std::string& name) {
    // With overwrite, an existing file is emptied: never the capture being read.
    if (overwrite_ && input_) {
        struct stat st {};
        if (::fstatat(dir_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            ingest::FileIdentity{st.st_dev, st.st_ino} == *input_) {
            fail(Error{ErrorKind::Usage,
                       "refusing to write '" + name + "' (" + kWhat + "): it is the capture being read"});
            return nullptr;
        }
    }
    auto fd = ingest::create_file_in(dir_, name, kWhat, overwrite_);
    if (!fd) {
        fail(fd.error());
        return nullptr;
    }
    std::FILE* file = ::fdopen(fd.value(), "wb");
    if (file == nullptr) {
        const int err = errno;
        ::close(fd.value());
        fail(io_error(name, err));
    }
    return file;
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
