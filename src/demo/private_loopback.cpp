#include "demo/private_loopback.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "i18n/messages.hpp"

extern char** environ;

namespace tfx::demo {

namespace {

constexpr const char* kLoopback = "lo";

// One ioctl on `lo` through a throw-away datagram socket; `set` fills the request.
template <typename Fill>
Problem loopback_ioctl(unsigned long request, std::string_view what, Fill set) {
    Socket s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!s.is_open()) return call_failed("socket");
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, kLoopback, IFNAMSIZ - 1);
    if (::ioctl(s.fd(), SIOCGIFFLAGS, &ifr) != 0) return call_failed("SIOCGIFFLAGS lo");
    set(ifr);
    if (::ioctl(s.fd(), request, &ifr) != 0) return call_failed(what);
    return std::nullopt;
}

// iproute2's tc, where distributions install it (root's PATH is not always the usual one).
const char* find_tc() {
    for (const char* path : {"/usr/sbin/tc", "/sbin/tc", "/usr/bin/tc", "/bin/tc"})
        if (::access(path, X_OK) == 0) return path;
    return nullptr;
}

// Runs `tc ARGS...`, its output discarded; its first error line when it fails.
Problem run_tc(std::array<const char*, 14> args) {
    const char* tc = find_tc();
    if (tc == nullptr) return Error{ErrorKind::Io, i18n::Msg::DemoTcMissing};
    args[0] = tc;
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) return call_failed("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, tc, &fa, nullptr, const_cast<char* const*>(args.data()), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(err_pipe[1]);
    std::string said;
    char buf[512];
    for (ssize_t n = 0; rc == 0 && (n = ::read(err_pipe[0], buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        said.append(buf, static_cast<std::size_t>(n));
    }
    ::close(err_pipe[0]);
    if (rc != 0) return call_failed(tc, rc);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
    said = said.substr(0, said.find('\n'));
    const std::string command = "tc qdisc add dev lo root tbf";
    if (said.empty()) return Error{ErrorKind::Io, i18n::Msg::DemoTcFailed, {command}};
    return Error{ErrorKind::Io, i18n::Msg::DemoTcFailedSaying, {command, said}};
}

// Tail loss probes (RFC 8985) fire 10 ms after the last segment when the handshake measured
// microseconds, long before the shaped queue delivers it: each would show as a retransmission
// the demo is not about. Only this namespace's setting; kept when it cannot be changed.
void disable_tail_loss_probes() {
    const int fd = ::open("/proc/sys/net/ipv4/tcp_early_retrans", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    (void)!::write(fd, "0\n", 2);
    ::close(fd);
}

}  // namespace

Problem enter_private_loopback() {
    if (::unshare(CLONE_NEWNET) != 0) return call_failed("unshare(CLONE_NEWNET)");
    return loopback_ioctl(SIOCSIFFLAGS, "SIOCSIFFLAGS lo up",
                          [](ifreq& ifr) { ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP); });
}

Problem shape_loopback() {
    disable_tail_loss_probes();
    // Segments of at most 1500 bytes: each fits the bucket's burst, so none is dropped.
    if (auto p = loopback_ioctl(SIOCSIFMTU, "SIOCSIFMTU lo 1500", [](ifreq& ifr) { ifr.ifr_mtu = 1500; })) return p;
    return run_tc({nullptr, "qdisc", "add", "dev", kLoopback, "root", "tbf", "rate", "64kbit", "burst", "3000",
                   "latency", "2s", nullptr});
}

}  // namespace tfx::demo
