#pragma once
// The exchanges `tcpflow-explain demo NAME` plays on 127.0.0.1: this process's own listener
// (a thread) and client, each exchange a few hundred milliseconds at most, every socket
// operation bounded by kSocketTimeout.

#include <cstdint>
#include <span>
#include <string_view>

#include "demo/loopback_socket.hpp"
#include "i18n/messages.hpp"

namespace tfx::demo {

/// What a scenario is given once the capture runs: the server's port, and its listener
/// (not open for a scenario that needs none: nobody listens on that port).
struct Stage {
    Socket listener;
    std::uint16_t port = 0;
};

struct Scenario {
    std::string_view name;
    i18n::Msg about;  ///< one line, for `demo --list`
    bool listens;     ///< whether prepare() opens a listener
    /// Needs the loopback's traffic slowed down (shape_loopback()), which only a private
    /// network namespace may do.
    bool needs_shaped_loopback;
    Problem (*play)(Stage& stage);
};

[[nodiscard]] std::span<const Scenario> scenarios();
/// nullptr when no scenario has that name.
[[nodiscard]] const Scenario* find_scenario(std::string_view name);

/// Before the capture starts: the listener, or a free port nobody listens on.
[[nodiscard]] Problem prepare(const Scenario& scenario, Stage& stage);

}  // namespace tfx::demo
