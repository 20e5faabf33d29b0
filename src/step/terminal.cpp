#include "step/terminal.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <iterator>

#include "i18n/catalogue.hpp"

namespace tfx::step {

namespace {

constexpr int kCaught[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
constexpr std::string_view kEnterScreen = "\x1b[?1049h";  // the alternate screen: the shell's text stays
constexpr std::string_view kLeaveScreen = "\x1b[?1049l";

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_resized = 0;

void note_signal(int signal) {
    if (signal == SIGWINCH)
        g_resized = 1;
    else
        g_signal = signal;
}

}  // namespace

std::string terminal_problem(Language lang) {
    const bool in = isatty(STDIN_FILENO) != 0, out = isatty(STDOUT_FILENO) != 0;
    if (in && out) return {};
    using i18n::Msg;
    return i18n::said(lang, !in && !out ? Msg::StepNoTerminal
                            : !in       ? Msg::StepInputNotTerminal
                                        : Msg::StepOutputNotTerminal);
}

Terminal::Terminal() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    g_signal = 0;
    g_resized = 0;
    // The signals are blocked except while waiting for a key (ppoll), so none is missed
    // between checking for one and waiting.
    sigset_t caught;
    sigemptyset(&caught);
    for (const int s : kCaught) sigaddset(&caught, s);
    sigprocmask(SIG_BLOCK, &caught, &saved_mask_);
    struct sigaction action {};
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kCaught); ++i) sigaction(kCaught[i], &action, &saved_actions_[i]);

    termios raw = saved_;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG | IEXTEN));
    raw.c_iflag &= static_cast<tcflag_t>(~(IXON | ICRNL));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    ready_ = true;
    write(kEnterScreen);
}

Terminal::~Terminal() { restore(); }

void Terminal::restore() {
    if (!ready_) return;
    write(kLeaveScreen);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    for (std::size_t i = 0; i < std::size(kCaught); ++i) sigaction(kCaught[i], &saved_actions_[i], nullptr);
    sigprocmask(SIG_SETMASK, &saved_mask_, nullptr);
    ready_ = false;
}

Terminal::Size Terminal::size() const {
    winsize w{};
    Size s;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row > 0 && w.ws_col > 0) {
        s.rows = w.ws_row;
        s.columns = w.ws_col;
    }
    return s;
}

Terminal::Event Terminal::next() {
    Event e;
    for (;;) {
        if (g_signal != 0) {
            e.kind = Event::Kind::Signal;
            e.signal = g_signal;
            return e;
        }
        if (g_resized != 0) {
            g_resized = 0;
            e.kind = Event::Kind::Resized;
            return e;
        }
        pollfd in{STDIN_FILENO, POLLIN, 0};
        const int ready = ppoll(&in, 1, nullptr, &saved_mask_);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return e;
        }
        unsigned char byte = 0;
        const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
        if (n == 1) {
            e.kind = Event::Kind::Key;
            e.key = byte;
            return e;
        }
        if (n < 0 && errno == EINTR) continue;
        return e;  // end of input: the terminal is gone
    }
}

void Terminal::write(std::string_view text) const {
    while (!text.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace tfx::step
