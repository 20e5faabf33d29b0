#pragma once
// Output files named on the command line (-w, check --junit): opened so that neither a
// symbolic link planted in a shared directory (/tmp) nor the input itself can be the file
// that gets truncated.

#include <sys/types.h>

#include <optional>
#include <span>
#include <string>

#include "tfx/result.hpp"

namespace tfx::ingest {

/// Which file an open descriptor is (st_dev, st_ino): two names, or a name and a
/// descriptor, for the same file compare equal.
struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

/// The check every output file passes before anything is written to it: nullopt when
/// `output` (the file about to be written, named `path` by the option `what`) is none of
/// `inputs` (every capture file being read), the refusal otherwise (Usage).
[[nodiscard]] std::optional<Error> refuse_input(const std::string& path, const std::string& what,
                                                const FileIdentity& output, std::span<const FileIdentity> inputs);

/// The identity of an open descriptor; nullopt when fstat fails.
[[nodiscard]] std::optional<FileIdentity> identity_of(int fd);

/// Opens `path` for writing and empties it: created (mode 0666 less the umask) when
/// missing; refused when its last component is a symbolic link owned by another user than
/// us or root (tcpdump's -w follows any; /dev/stdout and one's own links still work), and
/// refused without truncating anything when it is one of `inputs` (the captures being
/// read). `what` names the option in messages ("-w").
/// Returns the descriptor (close-on-exec). Errors: Usage (the input, a symbolic link),
/// Io (anything else the system refuses).
[[nodiscard]] Result<int> open_output_file(const std::string& path, const std::string& what,
                                           std::span<const FileIdentity> inputs);

/// Opens the directory `path` that files are written into, creating it (mode 0777 less the
/// umask) when missing; its parent must exist. Refused when `path` is a symbolic link or
/// not a directory. Returns the descriptor (close-on-exec) for create_file_in(). Errors:
/// Usage (a link, not a directory), Io (anything else the system refuses).
[[nodiscard]] Result<int> open_output_directory(const std::string& path, const std::string& what);

/// Creates the file `name` in the directory `dir` (from open_output_directory) for writing.
/// `name` must be one path component: no '/', not empty, "." or "..", so nothing is written
/// outside `dir`. A symbolic link of that name is never followed. An existing file is
/// refused unless `overwrite`; then it is emptied if it is a regular file, refused if it is
/// anything else (a FIFO would block, a device is not ours to write). Returns the
/// descriptor (close-on-exec). Errors: Usage (the name, an existing file, a link), Io.
[[nodiscard]] Result<int> create_file_in(int dir, const std::string& name, const std::string& what, bool overwrite);

}  // namespace tfx::ingest
