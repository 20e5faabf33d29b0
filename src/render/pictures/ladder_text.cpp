// The ladder in the terminal: per connection, the client's column on the left, the server's
// on the right, one horizontal arrow per segment between them, the frame number on the left,
// each side's new state beside its column and the row's note on the right. Every line fits
// 80 columns: labels and notes are shortened, never wrapped.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "i18n/catalogue.hpp"
#include "render/pictures/ladder_sink.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/text_format.hpp"
#include "render/text_style.hpp"
#include "text/columns.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;
using text::columns;
using text::first_columns;

constexpr std::size_t kWidth = 80;       // columns of every line
constexpr std::size_t kStateWidth = 12;  // "SYN-RECEIVED", the longest state name
constexpr std::size_t kMinArrow = 24;    // columns between the two bars, at least
constexpr std::size_t kNoteWidth = 18;   // columns of the note, at least

// The characters of one drawing: Unicode box drawing or ASCII. Each glyph is one column.
struct Glyphs {
    std::string_view bar, line, heavy, head_right, head_left, cut, ellipsis;
    std::string_view retransmission, probe, keep_alive;
};
constexpr Glyphs kUnicode{"│", "─", "━", "▶", "◀", "╳", "…", "↻ ", "◇ ", "♡ "};
constexpr Glyphs kAscii{"|", "-", "=", ">", "<", "x", "~", "R ", "P ", "K "};

void repeat(std::string& out, std::string_view glyph, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out += glyph;
}

// `s` cut to `width` columns, the cut said by an ellipsis.
std::string fit(std::string_view s, std::size_t width, const Glyphs& g) {
    if (columns(s) <= width) return std::string(s);
    const std::size_t mark = columns(g.ellipsis);
    if (width <= mark) return std::string(first_columns(s, width));
    return std::string(first_columns(s, width - mark)) + std::string(g.ellipsis);
}

class LadderTextRenderer final : public LadderSink {
public:
    LadderTextRenderer(std::FILE* out, const RenderOptions& o)
        : LadderSink(o.absolute_seq, o.language),
          out_(out),
          st_{o.color},
          g_(o.ascii ? kAscii : kUnicode),
          lang_(o.language) {
        out_.set_ascii_only(o.ascii);
    }

    void capture_finished(const CaptureSummary& c) override {
        if (c.conversations == 0) out_.print("{}\n", i18n::word(lang_, Msg::PicNoLadder));
        out_.flush();
    }

protected:
    void draw(const LadderModel& m, const ConversationSummary& /*summary*/) override {
        layout(m);
        header(m);
        if (m.initial_state(Role::Client) != TcpState::Unknown || m.initial_state(Role::Server) != TcpState::Unknown) {
            const auto name = [](TcpState s) { return s == TcpState::Unknown ? std::string_view() : to_string(s); };
            plain_line("", name(m.initial_state(Role::Client)), name(m.initial_state(Role::Server)), "");
        }
        for (const auto& row : m.rows) draw_row(row);
        if (m.not_drawn > 0)
            out_.print("{}\n", i18n::said(lang_, Msg::PicRowsNotDrawn, {m.not_drawn, LadderModel::kMaxRows}));
        out_.end_piece();
    }

private:
    // Column positions for one connection: the frame numbers decide the left margin.
    void layout(const LadderModel& m) {
        FrameIndex last = 0;
        for (const auto& r : m.rows) last = std::max(last, r.frame);
        frame_w_ = fmt::formatted_size("#{} ", last);
        const std::size_t fixed = frame_w_ + kStateWidth + 1 + 2 + 1 + kStateWidth + 1;
        // Room for a whole phase note ("handshake 2/3") in every language.
        const std::size_t note_min = std::max(kNoteWidth, columns(i18n::word(lang_, Msg::PhaseHandshake)) + 4);
        arrow_w_ = std::max(kMinArrow, kWidth - fixed - note_min);
        note_w_ = kWidth > fixed + arrow_w_ ? kWidth - fixed - arrow_w_ : 0;
    }

    void header(const LadderModel& m) {
        const EndpointText client(m.client), server(m.server);
        const std::string title = i18n::said(lang_, Msg::ConnectionHeader, {m.id, client.view(), server.view()});
        if (columns(title) <= kWidth) {
            out_.print("\n{}{}{}\n", st_.bold(), title, st_.reset());
        } else {
            out_.print("\n{}{}{}\n", st_.bold(), i18n::said(lang_, Msg::PicConnectionFirstLine, {m.id, client.view()}),
                       st_.reset());
            out_.print("{}{}{}\n", st_.bold(), i18n::said(lang_, Msg::PicConnectionSecondLine, {server.view()}),
                       st_.reset());
        }
        if (m.roles_inferred) out_.print("{}\n", i18n::word(lang_, Msg::PicRolesInferredLine));
        std::string titles(frame_w_ + kStateWidth + 1 - 5, ' ');
        titles += fmt::format("{}{}{}", st_.client(), i18n::word(lang_, Msg::RoleClient), st_.reset());
        titles += std::string(arrow_w_, ' ');
        titles += fmt::format("{}{}{}\n", st_.server(), i18n::word(lang_, Msg::RoleServer), st_.reset());
        out_.write(titles);
    }

    // A line without an arrow: the two bars, a state beside either, text on the right.
    void plain_line(std::string_view frame, std::string_view client_state, std::string_view server_state,
                    std::string_view note) {
        std::string line = left_part(frame, client_state);
        repeat(line, " ", arrow_w_);
        line += right_part(server_state, note, false);
        out_.write(line);
    }

    std::string left_part(std::string_view frame, std::string_view client_state) const {
        std::string s;
        if (frame.empty())
            s.assign(frame_w_, ' ');
        else
            s += fmt::format("{}{:<{}}{}", st_.dim(), frame, frame_w_, st_.reset());
        s += std::string(kStateWidth - std::min(kStateWidth, client_state.size()), ' ');
        if (!client_state.empty()) s += fmt::format("{}{}{}", st_.state(), client_state, st_.reset());
        s += fmt::format(" {}", g_.bar);
        return s;
    }

    std::string right_part(std::string_view server_state, std::string_view note, bool finding) const {
        std::string s = fmt::format("{} ", g_.bar);
        std::size_t room = note_w_;
        if (!server_state.empty() || columns(note) <= note_w_) {
            if (!server_state.empty()) s += fmt::format("{}{}{}", st_.state(), server_state, st_.reset());
            s += std::string(kStateWidth + 1 - std::min(kStateWidth, server_state.size()), ' ');
        } else {
            room += kStateWidth + 1;  // a long note takes the server's state column when it is free
        }
        if (!note.empty())
            s += fmt::format("{}{}{}", finding ? st_.warn() : st_.dim(), fit(note, room, g_), st_.reset());
        // No trailing blanks: the line ends with its last character.
        while (!s.empty() && s.back() == ' ') s.pop_back();
        s += '\n';
        return s;
    }

    std::string mark_of(const LadderRow& r) const {
        if (r.has(ladder_mark::kRetransmission)) return std::string(g_.retransmission);
        if (r.has(ladder_mark::kWindowProbe)) return std::string(g_.probe);
        if (r.has(ladder_mark::kKeepAlive)) return std::string(g_.keep_alive);
        return {};
    }

    // The arrow between the bars, exactly arrow_w_ columns: "──SYN seq 0─────▶" from the
    // client, "◀─────SYN-ACK seq 0 ack 1──" from the server; a segment the capture never saw
    // stops short of the receiver's bar with a cross.
    std::string arrow(const LadderRow& r) const {
        const bool not_captured = r.kind == LadderRow::Kind::NotCaptured;
        const std::string_view line = r.has(ladder_mark::kReset) ? g_.heavy : g_.line;
        const std::string mark = mark_of(r);
        constexpr std::size_t kLead = 2, kTail = 2, kShort = 3;  // line before, after, gap of a cut arrow
        const std::size_t end_w = not_captured ? 1 + kShort : 1;
        const std::size_t room = arrow_w_ - kLead - kTail - end_w - columns(mark);
        std::string label = r.label;
        if (label.size() > room) label = r.label_no_ack;
        if (label.size() > room) label = r.label_brief;
        label = mark + fit(label, room, g_);
        const std::size_t fill = arrow_w_ - kLead - end_w - columns(label);
        std::string a;
        if (r.sender == Role::Client) {
            a += st_.client();
            repeat(a, line, kLead);
            a += label;
            repeat(a, line, fill);
            a += not_captured ? g_.cut : g_.head_right;
            a += st_.reset();
            if (not_captured) repeat(a, " ", kShort);
        } else {
            if (not_captured) repeat(a, " ", kShort);
            a += st_.server();
            a += not_captured ? g_.cut : g_.head_left;
            repeat(a, line, fill);
            a += label;
            repeat(a, line, kLead);
            a += st_.reset();
        }
        return a;
    }

    void draw_row(const LadderRow& r) {
        // A side that goes through several states on one row: the earlier ones on lines of
        // their own above the arrow, the last one beside it.
        const std::size_t steps = std::max(r.state_steps(Role::Client), r.state_steps(Role::Server));
        const auto state_at = [&](Role side, std::size_t line) -> std::string_view {
            const std::size_t n = r.state_steps(side);
            const std::size_t first_line = steps - n;  // bottom-aligned
            return line >= first_line && n > 0 ? to_string(r.state(side, line - first_line)) : std::string_view();
        };
        for (std::size_t i = 0; i + 1 < steps; ++i)
            plain_line("", state_at(Role::Client, i), state_at(Role::Server, i), "");
        const std::size_t last = steps > 0 ? steps - 1 : 0;
        const std::string frame = r.kind == LadderRow::Kind::Segment ? fmt::format("#{}", r.frame) : std::string();
        constexpr std::uint16_t kWarned = ladder_mark::kRetransmission | ladder_mark::kDuplicateAck |
                                          ladder_mark::kZeroWindow | ladder_mark::kNotCaptured | ladder_mark::kReset |
                                          ladder_mark::kOutOfOrder;
        std::string line = left_part(frame, state_at(Role::Client, last));
        line += arrow(r);
        line += right_part(state_at(Role::Server, last), r.note, (r.marks & kWarned) != 0);
        out_.write(line);
    }

    OutputBuffer out_;
    Style st_;
    Glyphs g_;
    Language lang_;
    std::size_t frame_w_ = 0, arrow_w_ = 0, note_w_ = 0;
};

}  // namespace

std::unique_ptr<EventSink> make_ladder_text_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<LadderTextRenderer>(out, o);
}

}  // namespace tfx::render
