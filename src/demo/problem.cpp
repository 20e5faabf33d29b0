#include "demo/problem.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include "i18n/messages.hpp"

namespace tfx::demo {

Error call_failed(std::string_view call, int error) {
    return Error{ErrorKind::Io, i18n::Msg::DemoCallFailed, {std::string(call), std::strerror(error)}};
}

Error call_failed(std::string_view call) { return call_failed(call, errno); }

Error on_client(const Error& problem) { return Error{problem.kind, i18n::Msg::DemoClientFailed, {}, problem}; }
Error on_server(const Error& problem) { return Error{problem.kind, i18n::Msg::DemoServerFailed, {}, problem}; }

}  // namespace tfx::demo
