#include "ingest/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "i18n/messages.hpp"
#include "text/quoted.hpp"

namespace tfx::ingest {

namespace {

/// The error for an output file that could not be opened: the system's reason, and what it
/// means for the path the user gave ("No such file or directory (the directory 'out' does not
/// exist)").
Error open_failure(const std::string& path, const std::string& what, int err) {
    const std::string name = text::quoted(path);
    std::string reason = std::strerror(err);
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    if (err == ENOENT) return Error{ErrorKind::Io, i18n::Msg::ErrWriteNoDirectory, {name, what, reason, dir}};
    if (err == EISDIR) return Error{ErrorKind::Io, i18n::Msg::ErrWriteIsDirectory, {name, what, reason}};
    if (err == EACCES || err == EROFS) {
        if (::access(path.c_str(), F_OK) == 0)
            return Error{ErrorKind::Io, i18n::Msg::ErrWriteFileForbidden, {name, what, reason}};
        return Error{ErrorKind::Io, i18n::Msg::ErrWriteDirectoryForbidden, {name, what, reason, dir}};
    }
    return Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {name, what, reason}};
}

}  // namespace

std::optional<Error> refuse_input(const std::string& path, const std::string& what, const FileIdentity& output,
                                  std::span<const FileIdentity> inputs) {
    if (std::find(inputs.begin(), inputs.end(), output) == inputs.end()) return std::nullopt;
    return Error{ErrorKind::Usage,
                 inputs.size() == 1 ? i18n::Msg::ErrRefuseInput : i18n::Msg::ErrRefuseOneInput,
                 {text::quoted(path), what}};
}

std::optional<FileIdentity> identity_of(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::nullopt;
    return FileIdentity{st.st_dev, st.st_ino};
}

Result<int> open_output_file(const std::string& path, const std::string& what, std::span<const FileIdentity> inputs) {
    const std::string name = text::quoted(path);
    // No O_TRUNC here: the file is emptied only once it is known not to be the input, and
    // the check is made on the descriptor itself, so no rename between a check and the open
    // can swap the file.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == ELOOP) {
        // A symbolic link. Followed only when its owner is us or root (/dev/stdout, a link
        // of one's own): one planted by another user, in /tmp say, is refused. The link is
        // looked at before and after the open: a swap in between is refused too.
        struct stat before {
        }, after{};
        const bool trusted = ::lstat(path.c_str(), &before) == 0 && S_ISLNK(before.st_mode) &&
                             (before.st_uid == ::geteuid() || before.st_uid == 0);
        if (!trusted) return Error{ErrorKind::Usage, i18n::Msg::ErrWriteForeignLink, {name, what}};
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd >= 0 && (::lstat(path.c_str(), &after) != 0 || after.st_ino != before.st_ino ||
                        after.st_dev != before.st_dev || after.st_uid != before.st_uid)) {
            ::close(fd);
            return Error{ErrorKind::Usage, i18n::Msg::ErrWriteLinkChanged, {name, what}};
        }
    }
    if (fd < 0) {
        const int err = errno;
        return open_failure(path, what, err);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {name, what, std::strerror(err)}};
    }
    if (auto refused = refuse_input(path, what, FileIdentity{st.st_dev, st.st_ino}, inputs)) {
        ::close(fd);
        return *refused;
    }
    if (S_ISREG(st.st_mode) && ::ftruncate(fd, 0) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {name, what, std::strerror(err)}};
    }
    return fd;
}

Result<int> open_output_directory(const std::string& path, const std::string& what) {
    const std::string name = text::quoted(path);
    if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
        const int err = errno;
        return Error{ErrorKind::Io, i18n::Msg::ErrCreateDirectory, {name, what, std::strerror(err)}};
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return fd;
    const int err = errno;
    // With O_DIRECTORY, Linux says ENOTDIR for a link, even to a directory: ask the name.
    struct stat st {};
    if (err == ELOOP || (err == ENOTDIR && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)))
        return Error{ErrorKind::Usage, i18n::Msg::ErrWriteIntoLink, {name, what}};
    if (err == ENOTDIR) return Error{ErrorKind::Usage, i18n::Msg::ErrWriteIntoNotDirectory, {name, what}};
    return Error{ErrorKind::Io, i18n::Msg::ErrOpenDirectory, {name, what, std::strerror(err)}};
}

Result<int> create_file_in(int dir, const std::string& name, const std::string& what, bool overwrite) {
    const std::string quoted = text::quoted(name);
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos)
        return Error{ErrorKind::Usage, i18n::Msg::ErrRefuseNotPlainName, {quoted, what}};
    // O_NONBLOCK: opening a FIFO planted under the name must not wait for a reader.
    const int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (overwrite ? 0 : O_EXCL);
    const int fd = ::openat(dir, name.c_str(), flags, 0666);
    if (fd < 0) {
        const int err = errno;
        if (err == EEXIST) return Error{ErrorKind::Usage, i18n::Msg::ErrRefuseExists, {quoted, what}};
        if (err == ELOOP) return Error{ErrorKind::Usage, i18n::Msg::ErrRefuseLink, {quoted, what}};
        return Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {quoted, what, std::strerror(err)}};
    }
    struct stat st {};
    std::optional<Error> refused;
    if (::fstat(fd, &st) != 0) {
        refused = Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {quoted, what, std::strerror(errno)}};
    } else if (!S_ISREG(st.st_mode)) {
        refused = Error{ErrorKind::Usage, i18n::Msg::ErrWriteNotRegular, {quoted, what}};
    } else if (::ftruncate(fd, 0) != 0 || ::fcntl(fd, F_SETFL, 0) != 0) {
        refused = Error{ErrorKind::Io, i18n::Msg::ErrWriteFailed, {quoted, what, std::strerror(errno)}};
    }
    if (refused) {
        ::close(fd);
        return *refused;
    }
    return fd;
}

}  // namespace tfx::ingest
