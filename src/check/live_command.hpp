#pragma once
// The live form of `check`: `check -i lo 'tcp port 8080' --expect ... -- curl ...`.
//
// start() runs on the capture thread from InputSpec::on_capturing, i.e. once packets are
// really being captured: it spawns the command (its stdout goes to our stderr, so a JSON
// report on stdout stays clean) and a watcher thread. The watcher waits for the command,
// then for the grace period (the last FIN/ACKs may still be in flight), then stops the
// capture with run::request_stop(), which breaks the capture loop even while it waits in the
// kernel. finish() is called after the
// capture returned, terminates the command if it is still running (the capture was stopped
// by the user): SIGTERM to its process group, SIGKILL kTermGrace later if it still runs,
// and collects its status. The command inherits no descriptor but 0-2, and runs in its own
// process group, as the user the process runs as (after -Z).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check/report.hpp"

namespace tfx::check {

class LiveCommand {
public:
    /// How long a command may take to exit after SIGTERM before it is killed.
    static constexpr std::chrono::milliseconds kTermGrace{2000};

    LiveCommand(std::vector<std::string> argv, std::chrono::milliseconds grace);
    ~LiveCommand();
    LiveCommand(const LiveCommand&) = delete;
    LiveCommand& operator=(const LiveCommand&) = delete;

    /// Spawns the command and the watcher. Call once, from the capture thread.
    void start();
    /// Waits for the watcher, terminating the command first if it still runs.
    void finish();
    [[nodiscard]] CommandStatus status() const;

private:
    void watch();
    void stop_capture();

    std::vector<std::string> argv_;
    std::chrono::milliseconds grace_;
    pid_t pid_ = -1;
    std::thread watcher_;
    std::atomic<bool> exited_{false};
    std::atomic<bool> cancel_{false};
    mutable std::mutex mu_;
    CommandStatus status_;
};

}  // namespace tfx::check
