#include "ingest/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tfx::ingest {

std::optional<FileIdentity> identity_of(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::nullopt;
    return FileIdentity{st.st_dev, st.st_ino};
}

Result<int> open_output_file(const std::string& path, const std::string& what,
                             const std::optional<FileIdentity>& input) {
    const std::string name = "'" + path + "'";
    // No O_TRUNC here: the file is emptied only once it is known not to be the input, and
    // the check is made on the descriptor itself, so no rename between a check and the open
    // can swap the file.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP)
            return Error{ErrorKind::Usage, "cannot write " + name + " (" + what +
                                               "): it is a symbolic link, which is not followed "
                                               "(name the file it points to)"};
        return Error{ErrorKind::Io, "cannot write " + name + " (" + what + "): " + std::strerror(err)};
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{ErrorKind::Io, "cannot write " + name + " (" + what + "): " + std::strerror(err)};
    }
    if (input && FileIdentity{st.st_dev, st.st_ino} == *input) {
        ::close(fd);
        return Error{ErrorKind::Usage, "refusing to write " + name + " (" + what +
                                           "): it is the capture being read, which writing would destroy"};
    }
    if (S_ISREG(st.st_mode) && ::ftruncate(fd, 0) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{ErrorKind::Io, "cannot write " + name + " (" + what + "): " + std::strerror(err)};
    }
    return fd;
}

}  // namespace tfx::ingest
