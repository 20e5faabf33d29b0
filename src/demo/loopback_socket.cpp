#include "demo/loopback_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "i18n/messages.hpp"

namespace tfx::demo {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

Problem set_timeouts(int fd) {
    timeval tv{};
    tv.tv_sec = kSocketTimeout.count();
    // SO_SNDTIMEO bounds connect() too, SO_RCVTIMEO accept().
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        return call_failed("setsockopt(SO_RCVTIMEO/SO_SNDTIMEO)");
    return std::nullopt;
}

Problem new_tcp_socket(Socket& out) {
    Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s.is_open()) return call_failed("socket");
    if (auto p = set_timeouts(s.fd())) return p;
    out = std::move(s);
    return std::nullopt;
}

// Binds to 127.0.0.1 on a port the kernel picks, and says which.
Problem bind_free_port(const Socket& s, std::uint16_t& port) {
    const sockaddr_in any_port = loopback(0);
    if (::bind(s.fd(), reinterpret_cast<const sockaddr*>(&any_port), sizeof any_port) != 0) return call_failed("bind");
    sockaddr_in bound{};
    socklen_t len = sizeof bound;
    if (::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&bound), &len) != 0) return call_failed("getsockname");
    port = ntohs(bound.sin_port);
    return std::nullopt;
}

}  // namespace

Socket::Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void Socket::close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

Problem listen_on_loopback(Socket& listener, std::uint16_t& port) {
    Socket s;
    if (auto p = new_tcp_socket(s)) return p;
    if (auto p = bind_free_port(s, port)) return p;
    if (::listen(s.fd(), 4) != 0) return call_failed("listen");
    listener = std::move(s);
    return std::nullopt;
}

Problem free_loopback_port(std::uint16_t& port) {
    Socket s;
    if (auto p = new_tcp_socket(s)) return p;
    return bind_free_port(s, port);
}

namespace {

// connect() to 127.0.0.1:port on `s`: 0, or the errno it failed with.
int try_connect(const Socket& s, std::uint16_t port) {
    const sockaddr_in to = loopback(port);
    int rc = -1;
    do {
        rc = ::connect(s.fd(), reinterpret_cast<const sockaddr*>(&to), sizeof to);
    } while (rc != 0 && errno == EINTR);
    return rc == 0 ? 0 : errno;
}

Error connect_failed(int error) { return call_failed("connect", error); }

}  // namespace

Problem connect_to_loopback(std::uint16_t port, Socket& out) {
    Socket s;
    if (auto p = new_tcp_socket(s)) return p;
    if (const int error = try_connect(s, port); error != 0) return connect_failed(error);
    out = std::move(s);
    return std::nullopt;
}

Problem connect_expecting_refusal(std::uint16_t port) {
    Socket s;
    if (auto p = new_tcp_socket(s)) return p;
    const int error = try_connect(s, port);
    if (error == ECONNREFUSED) return std::nullopt;
    if (error == 0) return Error{ErrorKind::Io, i18n::Msg::DemoPortTaken, {std::to_string(port)}};
    return connect_failed(error);
}

Problem accept_one(const Socket& listener, Socket& out) {
    int fd = -1;
    do {
        fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return call_failed("accept");
    out = Socket(fd);
    return set_timeouts(out.fd());
}

Problem write_all(const Socket& s, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(s.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return call_failed("send");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return std::nullopt;
}

namespace {

// One recv(); `n` receives its count (0 at end of file).
Problem receive(const Socket& s, char* buf, std::size_t size, std::size_t& n) {
    ssize_t got = -1;
    do {
        got = ::recv(s.fd(), buf, size, 0);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return call_failed("recv");
    n = static_cast<std::size_t>(got);
    return std::nullopt;
}

}  // namespace

Problem read_exactly(const Socket& s, std::size_t n, std::string& out) {
    char buf[4096];
    while (n > 0) {
        std::size_t got = 0;
        if (auto p = receive(s, buf, std::min(n, sizeof buf), got)) return p;
        if (got == 0) return Error{ErrorKind::Io, i18n::Msg::DemoPeerClosedEarly};
        out.append(buf, got);
        n -= got;
    }
    return std::nullopt;
}

Problem read_to_eof(const Socket& s, std::string& out) {
    char buf[4096];
    for (;;) {
        std::size_t got = 0;
        if (auto p = receive(s, buf, sizeof buf, got)) return p;
        if (got == 0) return std::nullopt;
        out.append(buf, got);
    }
}

Problem shutdown_write(const Socket& s) {
    if (::shutdown(s.fd(), SHUT_WR) != 0) return call_failed("shutdown");
    return std::nullopt;
}

Problem abort_with_reset(Socket& s) {
    const linger abort_now{1, 0};
    if (setsockopt(s.fd(), SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now) != 0)
        return call_failed("setsockopt(SO_LINGER)");
    s.close();
    return std::nullopt;
}

}  // namespace tfx::demo
