#pragma once
// The terminal while --step pages: keys read one at a time without echo, the alternate
// screen, and SIGINT, SIGTERM, SIGHUP and SIGWINCH caught so that every way out puts the
// terminal back as it was (its termios attributes, the main screen).

#include <signal.h>
#include <termios.h>

#include <string>
#include <string_view>

#include "tfx/language.hpp"

namespace tfx::step {

/// Empty when standard input and standard output are both terminals; otherwise why --step
/// cannot run, in `lang`.
[[nodiscard]] std::string terminal_problem(Language lang);

class Terminal {
public:
    struct Size {
        unsigned rows = 24;
        unsigned columns = 80;
    };
    /// What next() saw: a key (its byte), a resize, or a signal that ends the paging.
    struct Event {
        enum class Kind { Key, Resized, Signal, Closed } kind = Kind::Closed;
        unsigned char key = 0;
        int signal = 0;
    };

    Terminal();
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    /// False when the terminal could not be set up (its attributes unreadable).
    [[nodiscard]] bool ready() const { return ready_; }
    [[nodiscard]] Size size() const;
    /// Waits for the next key, resize or signal.
    [[nodiscard]] Event next();
    void write(std::string_view text) const;

private:
    void restore();

    bool ready_ = false;
    termios saved_{};
    sigset_t saved_mask_{};
    struct sigaction saved_actions_[4]{};
};

}  // namespace tfx::step
