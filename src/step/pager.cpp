#include "step/pager.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <string_view>

#include "i18n/catalogue.hpp"
#include "run/capture_runner.hpp"
#include "run/error_line.hpp"
#include "step/terminal.hpp"
#include "text/columns.hpp"

namespace tfx::step {

namespace {

using i18n::Msg;

constexpr unsigned char kCtrlC = 0x03;
constexpr unsigned char kEscape = 0x1b;
constexpr std::size_t kMostDigits = 19;  // a frame number fits in 64 bits

std::string_view state_name(TcpState s) { return s == TcpState::Unknown ? std::string_view("?") : to_string(s); }

// "segment 4 of 9, frame 4 | connection 1 | client ESTABLISHED, server CLOSE-WAIT"
std::string status_line(const std::vector<Stop>& stops, std::size_t at, Language lang) {
    const Stop& stop = stops[at];
    std::string line = i18n::said(lang, Msg::StepStatus, {at + 1, stops.size(), stop.frame});
    if (stop.conversation == 0) return line + std::string(i18n::word(lang, Msg::StepOutsideConnection));
    return line + i18n::said(lang, Msg::StepConnection,
                             {stop.conversation, state_name(stop.states[0]), state_name(stop.states[1])});
}

// Columns a line takes on the screen: its text's, colour sequences (ESC [ ... final byte) left out.
std::size_t columns(std::string_view line) {
    std::size_t n = 0;
    for (std::size_t colour = line.find("\x1b["); colour != std::string_view::npos; colour = line.find("\x1b[")) {
        n += text::columns(line.substr(0, colour));
        std::size_t end = colour + 2;
        while (end < line.size() && (line[end] < 0x40 || line[end] > 0x7e)) ++end;
        line.remove_prefix(std::min(end + 1, line.size()));
    }
    return n + text::columns(line);
}

std::vector<std::string_view> lines_of(std::string_view text) {
    while (!text.empty() && text.front() == '\n') text.remove_prefix(1);  // the block's leading blank line
    while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// The lines that fit `rows` screen rows (a long line wraps onto several). The walkthrough
// keeps its first lines; the ladder keeps its heading (`keep_head` lines) and its last rows,
// the current segment's among them.
std::string fitted(const std::vector<std::string_view>& lines, std::size_t rows, unsigned width, bool ladder,
                   Language lang) {
    const auto height = [width](std::string_view l) {
        return std::max<std::size_t>(1, (columns(l) + width - 1) / width);
    };
    std::size_t total = 0;
    for (const auto l : lines) total += height(l);
    std::string out;
    if (total <= rows) {
        for (const auto l : lines) out.append(l).append("\n");
        return out;
    }
    if (rows == 0) return out;
    const std::size_t room = rows - 1;  // one row says what is left out
    if (!ladder) {
        std::size_t used = 0, shown = 0;
        while (shown < lines.size() && used + height(lines[shown]) <= room) used += height(lines[shown++]);
        for (std::size_t k = 0; k < shown; ++k) out.append(lines[k]).append("\n");
        out += i18n::said(lang, Msg::StepMoreLines, {lines.size() - shown});
        out += '\n';
        return out;
    }
    constexpr std::size_t kHeading = 2;  // "Connection N: ..." and the client/server titles
    const auto rows_of = [&](std::size_t from, std::size_t to) {
        std::size_t n = 0;
        for (std::size_t k = from; k < to; ++k) n += height(lines[k]);
        return n;
    };
    std::size_t head = std::min(kHeading, lines.size());
    while (head > 0 && rows_of(0, head) > room) --head;
    std::size_t used = rows_of(0, head), first = lines.size();
    while (first > head && used + height(lines[first - 1]) <= room) used += height(lines[--first]);
    for (std::size_t k = 0; k < head; ++k) out.append(lines[k]).append("\n");
    out += i18n::said(lang, Msg::StepEarlierLines, {first - head});
    out += '\n';
    for (std::size_t k = first; k < lines.size(); ++k) out.append(lines[k]).append("\n");
    return out;
}

std::string screen(const Recorder& recorder, std::size_t at, Terminal::Size size, bool color, std::string_view typed,
                   std::string_view remark) {
    const auto& stops = recorder.stops();
    std::string out = "\x1b[H\x1b[2J";
    const Language lang = recorder.language();
    const std::string status = status_line(stops, at, lang);
    out += color ? fmt::format("\x1b[7m{}\x1b[0m\n", status) : status + "\n";
    const std::string prompt = !typed.empty()    ? i18n::said(lang, Msg::StepGoTo, {typed})
                               : !remark.empty() ? std::string(remark)
                                                 : std::string(i18n::word(lang, Msg::StepHelp));
    const std::size_t status_rows = std::max<std::size_t>(1, (columns(status) + size.columns - 1) / size.columns);
    const std::size_t prompt_rows = std::max<std::size_t>(1, (columns(prompt) + size.columns - 1) / size.columns);
    const std::size_t fixed = status_rows + prompt_rows + 1;  // and a blank row under the status
    const std::size_t rows = size.rows > fixed ? size.rows - fixed : 0;
    out += "\n";
    out +=
        fitted(lines_of(recorder.screen_text(at)), rows, size.columns, recorder.format() == OutputFormat::Ladder, lang);
    if (color) out += "\x1b[0m";
    out += fmt::format("\x1b[{};1H{}", size.rows > prompt_rows ? size.rows - prompt_rows + 1 : 1, prompt);
    return out;
}

}  // namespace

std::string Position::forward() {
    if (at_ + 1 >= stops_.size()) return std::string(i18n::word(lang_, Msg::StepLast));
    ++at_;
    return {};
}

std::string Position::back() {
    if (at_ == 0) return std::string(i18n::word(lang_, Msg::StepFirst));
    --at_;
    return {};
}

std::string Position::go_to_frame(FrameIndex frame) {
    const auto it =
        std::lower_bound(stops_.begin(), stops_.end(), frame, [](const Stop& s, FrameIndex f) { return s.frame < f; });
    if (it == stops_.end()) {
        at_ = stops_.size() - 1;
        return i18n::said(lang_, Msg::StepNoneAfter, {frame});
    }
    at_ = static_cast<std::size_t>(it - stops_.begin());
    if (it->frame != frame) return i18n::said(lang_, Msg::StepNotShown, {frame});
    return {};
}

int page(const Recorder& recorder, bool color) {
    Terminal terminal;
    if (!terminal.ready()) {
        run::complain(recorder.language(), Msg::ErrorLine, run::kProgram,
                      i18n::said(recorder.language(), Msg::StepTerminalUnreadable));
        return run::exit_code::kUsage;
    }
    Position position(recorder.stops(), recorder.language());
    std::string typed, remark;
    enum class Escape { None, Started, Bracket } escape = Escape::None;  // an arrow key's bytes arriving
    for (;;) {
        terminal.write(screen(recorder, position.at(), terminal.size(), color, typed, remark));
        remark.clear();
        const Terminal::Event e = terminal.next();
        if (e.kind == Terminal::Event::Kind::Signal) return run::exit_code::interrupted(e.signal);
        if (e.kind == Terminal::Event::Kind::Closed) return run::exit_code::kOk;
        if (e.kind == Terminal::Event::Kind::Resized) continue;
        const unsigned char key = e.key;
        // ESC [ C and ESC [ D: the right and left arrows; a lone Escape cancels a frame number.
        if (escape == Escape::Started && key == '[') {
            escape = Escape::Bracket;
            continue;
        }
        if (escape == Escape::Bracket) {
            escape = Escape::None;
            if (key == 'C') remark = position.forward();
            if (key == 'D') remark = position.back();
            continue;
        }
        escape = Escape::None;
        if (key == kCtrlC) return run::exit_code::interrupted(SIGINT);
        if (key >= '0' && key <= '9') {
            if (typed.size() < kMostDigits) typed.push_back(static_cast<char>(key));
            continue;
        }
        if (key == 0x7f || key == '\b') {
            if (!typed.empty()) typed.pop_back();
            continue;
        }
        if (key == kEscape) {
            typed.clear();
            escape = Escape::Started;
            continue;
        }
        if ((key == '\r' || key == '\n') && !typed.empty()) {
            remark = position.go_to_frame(std::stoull(typed));
            typed.clear();
            continue;
        }
        typed.clear();
        if (key == '\r' || key == '\n' || key == ' ')
            remark = position.forward();
        else if (key == 'b' || key == 'B')
            remark = position.back();
        else if (key == 'q' || key == 'Q')
            return run::exit_code::kOk;
    }
}

}  // namespace tfx::step
