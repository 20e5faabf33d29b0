#pragma once
// What went wrong in a demo's exchange, kept as a catalogue sentence so that the demo says
// it in its user's language; what the system wrote (strerror) stays as written.

#include <optional>
#include <string_view>

#include "tfx/result.hpp"

namespace tfx::demo {

/// nullopt: it went well.
using Problem = std::optional<Error>;

/// "CALL: the system's reason for `error`" ("connect: Connection refused").
[[nodiscard]] Error call_failed(std::string_view call, int error);
/// The same for the error the system call just left in errno.
[[nodiscard]] Error call_failed(std::string_view call);

/// `problem`, said as the client's or the server's ("client: recv: ...").
[[nodiscard]] Error on_client(const Error& problem);
[[nodiscard]] Error on_server(const Error& problem);

}  // namespace tfx::demo
