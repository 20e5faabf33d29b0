#pragma once
// The demos' TCP sockets on 127.0.0.1: blocking, every operation bounded by a timeout, closed
// by their owner's destructor on every path.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "demo/problem.hpp"

namespace tfx::demo {

/// How long any one socket operation of a demo may block (connect, accept, read, write).
inline constexpr std::chrono::seconds kSocketTimeout{3};

class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() { close(); }
    Socket(Socket&& other) noexcept;
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] bool is_open() const { return fd_ >= 0; }
    void close();

private:
    int fd_ = -1;
};

/// A listening socket on 127.0.0.1, on a port the kernel chose free; `port` receives it.
[[nodiscard]] Problem listen_on_loopback(Socket& listener, std::uint16_t& port);
/// A port of 127.0.0.1 nobody listens on: bound (so the kernel picks a free one), then released.
[[nodiscard]] Problem free_loopback_port(std::uint16_t& port);
/// Connects to 127.0.0.1:port.
[[nodiscard]] Problem connect_to_loopback(std::uint16_t port, Socket& out);
/// Connects to 127.0.0.1:port, where nobody listens: fine when the kernel refuses (RST).
[[nodiscard]] Problem connect_expecting_refusal(std::uint16_t port);
/// Accepts one connection; fails after kSocketTimeout, or at once when the listener is shut down.
[[nodiscard]] Problem accept_one(const Socket& listener, Socket& out);

[[nodiscard]] Problem write_all(const Socket& s, std::string_view bytes);
/// Reads exactly `n` bytes.
[[nodiscard]] Problem read_exactly(const Socket& s, std::size_t n, std::string& out);
/// Reads until the peer's FIN (end of file), appending to `out`.
[[nodiscard]] Problem read_to_eof(const Socket& s, std::string& out);
/// shutdown(SHUT_WR): sends our FIN, keeps reading.
[[nodiscard]] Problem shutdown_write(const Socket& s);
/// Closes with SO_LINGER {on, 0}: the kernel sends a RST instead of a FIN.
[[nodiscard]] Problem abort_with_reset(Socket& s);

}  // namespace tfx::demo
