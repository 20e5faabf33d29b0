#pragma once
// The name of a signal as shells and kill(1) print it, for the outputs that say a capture
// file's reading was interrupted.

#include <cstring>
#include <string>

namespace tfx::render {

/// "SIGINT", "SIGTERM", ...; "signal N" for a number the C library does not name.
[[nodiscard]] inline std::string signal_name(int signal) {
    const char* abbrev = ::sigabbrev_np(signal);
    return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

}  // namespace tfx::render
