#include "check/live_command.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "run/capture_runner.hpp"
#include "text/quoted.hpp"

extern char** environ;

namespace tfx::check {

LiveCommand::LiveCommand(std::vector<std::string> argv, std::chrono::milliseconds grace)
    : argv_(std::move(argv)), grace_(grace) {
    status_.argv = argv_;
}

LiveCommand::~LiveCommand() { finish(); }

void LiveCommand::start() {
    std::vector<char*> args;
    args.reserve(argv_.size() + 1);
    for (auto& a : argv_) args.push_back(a.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    // The command's stdout joins our stderr: stdout carries the report.
    posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
    // Nothing else of ours reaches it: libpcap's capture socket and eventfd are not
    // close-on-exec, and the socket in the command's hands could inject frames or, its
    // BPF filter detached, read the whole interface (with our CAP_NET_RAW, not its own).
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    // Its own process group: stopping it reaches the processes it started too.
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    {
        std::lock_guard lock(mu_);
        if (rc != 0) {
            status_.started = false;
            status_.error = text::quoted(argv_[0]) + ": " + std::strerror(rc);
        } else {
            status_.started = true;
            pid_ = pid;
        }
    }
    if (rc != 0) {
        // Nothing to wait for: stop the capture right away.
        exited_ = true;
        stop_capture();
        return;
    }
    watcher_ = std::thread([this] { watch(); });
}

void LiveCommand::watch() {
    int st = 0;
    pid_t r = -1;
    do {
        r = waitpid(pid_, &st, 0);
    } while (r < 0 && errno == EINTR);
    {
        std::lock_guard lock(mu_);
        if (r == pid_) {
            if (WIFEXITED(st))
                status_.exit_status = WEXITSTATUS(st);
            else if (WIFSIGNALED(st))
                status_.signal = WTERMSIG(st);
        }
    }
    exited_ = true;
    // Grace period for the segments still in flight; cut short by cancel or a user stop.
    const auto step = std::chrono::milliseconds(10);
    for (auto waited = std::chrono::milliseconds(0); waited < grace_; waited += step) {
        if (cancel_ || run::stop_requested().load()) break;
        std::this_thread::sleep_for(step);
    }
    stop_capture();
}

void LiveCommand::stop_capture() {
    // Under the lock: once finish() set cancel_, the capture is over and no signal is sent.
    std::lock_guard lock(mu_);
    if (cancel_) return;
    // Thread-safe: sets the stop flag and breaks a capture blocked in the kernel.
    run::request_stop();
}

void LiveCommand::finish() {
    pid_t pid = -1;
    {
        std::lock_guard lock(mu_);
        cancel_ = true;
        pid = pid_;
    }
    if (pid > 0 && !exited_) {
        // The group, SIGTERM first; whatever ignores it is killed after kTermGrace.
        kill(-pid, SIGTERM);
        const auto step = std::chrono::milliseconds(10);
        for (auto waited = std::chrono::milliseconds(0); !exited_ && waited < kTermGrace; waited += step)
            std::this_thread::sleep_for(step);
        if (!exited_) {
            {
                std::lock_guard lock(mu_);
                status_.killed_after_term = true;
            }
            kill(-pid, SIGKILL);
        }
    }
    if (watcher_.joinable()) watcher_.join();
}

CommandStatus LiveCommand::status() const {
    std::lock_guard lock(mu_);
    return status_;
}

}  // namespace tfx::check
