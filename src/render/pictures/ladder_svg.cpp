// The ladder as SVG: one group per connection, the client's column on the left and the
// server's on the right, one arrow per segment sloping down as it crosses, each side's new
// state beside its column, the frame number and time on the left, the note on the right.
// `-F svg` stacks every connection's group in one standalone document.

#include "render/pictures/ladder_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "i18n/catalogue.hpp"
#include "render/pictures/ladder_sink.hpp"
#include "render/pictures/palette.hpp"
#include "render/pictures/text_metrics.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/text_format.hpp"
#include "text/append.hpp"
#include "text/xml_text.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;
using text::xml_escape;

// Geometry, in SVG user units (font size 12, monospace: about 7.2 units per character).
constexpr double kFontSize = 12;
constexpr double kMargin = 6;  // between the longest text and the picture's right edge
constexpr double kFrameX = 8;
constexpr double kClientX = 170;
constexpr double kServerX = 530;
constexpr double kNoteX = 640;
constexpr double kStateGap = 8;    // between a column and its state text
constexpr double kTitleY = 20;     // the connection's title
constexpr double kColumnsY = 44;   // the "client" and "server" heads
constexpr double kInitialY = 64;   // the states before the first segment
constexpr double kFirstRowY = 88;  // the first arrow
constexpr double kRowHeight = 34;  // between arrows, time scale "even"
constexpr double kMinRowGap = 26;  // between arrows at least, whatever the time scale
constexpr double kSlope = 10;      // how much lower an arrow ends than it starts
constexpr double kStateLine = 13;  // between the lines of several states on one row
constexpr double kBottom = 24;     // below the last arrow
// Time scale "log": the unit below which times are not told apart.
constexpr double kLogUnitNs = 1000;

std::string seconds_text(Duration d) {
    fmt::memory_buffer b;
    text::append_signed_seconds(b, d);
    return fmt::to_string(b);
}

// Where each row's arrow starts, from the top of the group.
std::vector<double> row_positions(const LadderModel& m, TimeScale scale) {
    const std::size_t n = m.rows.size();
    std::vector<double> y(n);
    const double span = n > 1 ? static_cast<double>(n - 1) * kRowHeight : 0;
    double last = 0;
    for (const auto& r : m.rows) last = std::max(last, static_cast<double>(r.time.count()));
    for (std::size_t i = 0; i < n; ++i) {
        const double t = std::max(0.0, static_cast<double>(m.rows[i].time.count()));
        double at = static_cast<double>(i) * kRowHeight;
        if (scale == TimeScale::Linear && last > 0) at = t / last * span;
        if (scale == TimeScale::Log && last > 0) at = std::log1p(t / kLogUnitNs) / std::log1p(last / kLogUnitNs) * span;
        // Proportional where it can be, but never closer than a label needs: a burst of
        // segments within a millisecond would otherwise draw its arrows on top of each other.
        y[i] = i == 0 ? kFirstRowY + at : std::max(kFirstRowY + at, y[i - 1] + kMinRowGap);
    }
    return y;
}

// The class list of one arrow: what it is, who sent it, and each finding it carries.
std::string arrow_classes(const LadderRow& r) {
    std::string c = r.kind == LadderRow::Kind::Segment ? "seg" : "not-captured";
    c += r.sender == Role::Client ? " client" : " server";
    struct Named {
        std::uint16_t mark;
        std::string_view name;
    };
    static constexpr Named kNames[] = {
        {ladder_mark::kRetransmission, "retransmission"}, {ladder_mark::kDuplicateAck, "duplicate-ack"},
        {ladder_mark::kZeroWindow, "zero-window"},        {ladder_mark::kWindowProbe, "window-probe"},
        {ladder_mark::kKeepAlive, "keep-alive"},          {ladder_mark::kReset, "reset"},
        {ladder_mark::kOutOfOrder, "out-of-order"},
    };
    for (const auto& n : kNames)
        if (r.has(n.mark)) fmt::format_to(std::back_inserter(c), " {}", n.name);
    return c;
}

// The states one side enters on a row, stacked upwards so the last one sits at `y`.
void append_states(std::string& out, const LadderRow& r, Role side, double y) {
    const std::size_t n = r.state_steps(side);
    const bool client = side == Role::Client;
    const double x = client ? kClientX - kStateGap : kServerX + kStateGap;
    for (std::size_t i = 0; i < n; ++i) {
        fmt::format_to(std::back_inserter(out),
                       "<text class=\"state\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>\n", x,
                       y - static_cast<double>(n - 1 - i) * kStateLine, client ? "end" : "start",
                       xml_escape(to_string(r.state(side, i))));
    }
}

// Draws one row; `right` grows to the end of its note.
void append_row(std::string& out, double& right, const LadderRow& r, double y) {
    const bool from_client = r.sender == Role::Client;
    const bool not_captured = r.kind == LadderRow::Kind::NotCaptured;
    const double x1 = from_client ? kClientX : kServerX;
    double x2 = from_client ? kServerX : kClientX;
    // A segment the capture never saw stops short of the receiver, with a cross.
    if (not_captured) x2 = (x1 + x2) / 2 + (from_client ? 90 : -90);
    const double y2 = not_captured ? y + kSlope / 2 : y + kSlope;
    const std::string_view marker = not_captured ? "cut" : from_client ? "head-client" : "head-server";
    fmt::format_to(std::back_inserter(out), "<line class=\"{}\"", arrow_classes(r));
    if (!not_captured) fmt::format_to(std::back_inserter(out), " data-frame=\"{}\"", r.frame);
    fmt::format_to(std::back_inserter(out),
                   " x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" marker-end=\"url(#{})\"/>\n", x1, y, x2, y2,
                   marker);
    const std::string_view mark = r.has(ladder_mark::kRetransmission) ? "\u21bb "
                                  : r.has(ladder_mark::kWindowProbe)  ? "\u25c7 "
                                  : r.has(ladder_mark::kKeepAlive)    ? "\u2661 "
                                                                      : "";
    fmt::format_to(
        std::back_inserter(out), "<text class=\"label {}\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"middle\">{}{}</text>\n",
        from_client ? "client" : "server", (kClientX + kServerX) / 2, y + kSlope / 2 - 5, mark, xml_escape(r.label));
    if (!not_captured) {
        fmt::format_to(std::back_inserter(out), "<text class=\"frame\" x=\"{}\" y=\"{:.1f}\">#{}</text>\n", kFrameX,
                       y + 4, r.frame);
        fmt::format_to(std::back_inserter(out), "<text class=\"time\" x=\"{}\" y=\"{:.1f}\">{}</text>\n", kFrameX,
                       y + 16, xml_escape(seconds_text(r.time)));
    }
    fmt::format_to(std::back_inserter(out), "<text class=\"note{}\" x=\"{}\" y=\"{:.1f}\">{}</text>\n",
                   r.marks != 0 ? " finding" : "", kNoteX, y + kSlope / 2 + 4, xml_escape(r.note));
    right = std::max(right, kNoteX + text_width(r.note, kFontSize, Typeface::Mono));
    // The sender's state changes as it sends, the receiver's as the arrow arrives.
    append_states(out, r, Role::Client, from_client ? y + 4 : y2 + 4);
    append_states(out, r, Role::Server, from_client ? y2 + 4 : y + 4);
}

}  // namespace

std::string ladder_svg_defs() {
    return fmt::format(
        "<defs>\n"
        "<marker id=\"head-client\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
        "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{0}\"/></marker>\n"
        "<marker id=\"head-server\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
        "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{1}\"/></marker>\n"
        "<marker id=\"cut\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\">"
        "<path d=\"M1,1 L9,9 M9,1 L1,9\" stroke=\"#c62828\" stroke-width=\"2\"/></marker>\n"
        "</defs>\n"
        "<style>\n"
        "svg.ladder text {{ font-family: {2}; font-size: {3}px; fill: #222; }}\n"
        "svg.ladder .title {{ font-weight: bold; }}\n"
        "svg.ladder .column {{ stroke: #888; stroke-width: 1.5; }}\n"
        "svg.ladder line.seg, svg.ladder line.not-captured {{ stroke-width: 1.5; }}\n"
        "svg.ladder line.client {{ stroke: {0}; }}\n"
        "svg.ladder line.server {{ stroke: {1}; }}\n"
        "svg.ladder line.not-captured {{ stroke-dasharray: 4 3; }}\n"
        "svg.ladder line.retransmission {{ stroke-dasharray: 6 3; }}\n"
        "svg.ladder line.reset {{ stroke-width: 3; }}\n"
        "svg.ladder text.client {{ fill: {0}; }}\n"
        "svg.ladder text.server {{ fill: {1}; }}\n"
        "svg.ladder text.state {{ fill: #2e7d32; font-weight: bold; }}\n"
        "svg.ladder text.frame, svg.ladder text.time {{ fill: #777; }}\n"
        "svg.ladder text.time {{ font-size: 10px; }}\n"
        "svg.ladder text.note.finding {{ fill: #b36b00; }}\n"
        "</style>\n",
        kClientColour, kServerColour, kMonoFamily, kFontSize);
}

LadderSvgGroup ladder_svg_group(const LadderModel& m, const LadderSvgOptions& options) {
    const auto y = row_positions(m, options.time_scale);
    const double last_y = y.empty() ? kInitialY : y.back() + kSlope;
    const double height = last_y + (m.not_drawn > 0 ? kRowHeight : 0) + kBottom;
    std::string out = fmt::format("<g id=\"conn-{}\" class=\"ladder\">\n", m.id);
    const Language lang = options.language;
    std::string title =
        i18n::said(lang, Msg::ConnectionHeader, {m.id, EndpointText(m.client).view(), EndpointText(m.server).view()});
    if (m.roles_inferred) title += i18n::word(lang, Msg::PicRolesInferredShort);
    fmt::format_to(std::back_inserter(out), "<text class=\"title\" x=\"{}\" y=\"{}\">{}</text>\n", kFrameX, kTitleY,
                   xml_escape(title));
    double right = std::max(kLadderSvgWidth - kMargin, kFrameX + text_width(title, kFontSize, Typeface::Mono));
    fmt::format_to(std::back_inserter(out),
                   "<text class=\"client\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n"
                   "<text class=\"server\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   kClientX, kColumnsY, xml_escape(i18n::word(lang, Msg::RoleClient)), kServerX, kColumnsY,
                   xml_escape(i18n::word(lang, Msg::RoleServer)));
    for (const double x : {kClientX, kServerX})
        fmt::format_to(std::back_inserter(out),
                       "<line class=\"column\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", x, kColumnsY + 6, x,
                       height - kBottom / 2);
    for (const Role side : {Role::Client, Role::Server}) {
        if (m.initial_state(side) == TcpState::Unknown) continue;
        const bool client = side == Role::Client;
        fmt::format_to(std::back_inserter(out),
                       "<text class=\"state initial\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n",
                       client ? kClientX - kStateGap : kServerX + kStateGap, kInitialY, client ? "end" : "start",
                       xml_escape(to_string(m.initial_state(side))));
    }
    for (std::size_t i = 0; i < m.rows.size(); ++i) append_row(out, right, m.rows[i], y[i]);
    if (m.not_drawn > 0)
        fmt::format_to(std::back_inserter(out),
                       "<text class=\"more\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       (kClientX + kServerX) / 2, last_y + kRowHeight / 2,
                       xml_escape(i18n::said(lang, Msg::PicSegmentsNotDrawn, {m.not_drawn})));
    out += "</g>\n";
    return {std::move(out), height, std::ceil(right + kMargin)};
}

std::string ladder_svg(const LadderModel& model, const LadderSvgOptions& options) {
    const LadderSvgGroup g = ladder_svg_group(model, options);
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" viewBox=\"0 0 {} {:.1f}\" width=\"{}\" "
        "height=\"{:.1f}\">\n{}{}</svg>\n",
        g.width, g.height, g.width, g.height, ladder_svg_defs(), g.svg);
}

namespace {

// -F svg: every connection's ladder, one under the other, in one document. The groups are
// held until the capture ends, since the document's size comes first; drawing connections 1
// to kMaxConnections only bounds that memory and the models' (a drawing of more connections
// is not one anybody reads), the rest are counted.
class LadderSvgRenderer final : public LadderSink {
    static constexpr std::size_t kMaxConnections = 1000;

public:
    LadderSvgRenderer(std::FILE* out, const RenderOptions& o)
        : LadderSink(o.absolute_seq, o.language), out_(out), options_{o.time_scale, o.language} {}

    void capture_finished(const CaptureSummary& c) override {
        const double height = std::max(total_ + (not_drawn_ > 0 ? kFirstRowY : 0), kFirstRowY);
        out_.print("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out_.print(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" viewBox=\"0 0 {} {:.1f}\" width=\"{}\" "
            "height=\"{:.1f}\">\n",
            width_, height, width_, height);
        out_.write(ladder_svg_defs());
        if (c.conversations == 0)
            out_.print("<text x=\"{}\" y=\"{}\">{}</text>\n", kFrameX, kTitleY,
                       xml_escape(i18n::word(options_.language, Msg::PicNoLadder)));
        out_.write(body_);
        if (not_drawn_ > 0)
            out_.print("<text class=\"more\" x=\"{}\" y=\"{:.1f}\">{}</text>\n", kFrameX, total_ + kTitleY,
                       xml_escape(i18n::said(options_.language, Msg::PicConnectionsNotDrawn, {not_drawn_})));
        out_.write("</svg>\n");
        out_.flush();
    }

protected:
    [[nodiscard]] bool draws(ConversationId id) const override { return id <= kMaxConnections; }
    void left_out(const ConversationSummary& /*summary*/) override { ++not_drawn_; }
    void draw(const LadderModel& model, const ConversationSummary& /*summary*/) override {
        const LadderSvgGroup g = ladder_svg_group(model, options_);
        body_ += fmt::format("<g transform=\"translate(0,{:.1f})\">\n", total_);
        body_ += g.svg;
        body_ += "</g>\n";
        total_ += g.height;
        width_ = std::max(width_, g.width);
    }

private:
    OutputBuffer out_;
    LadderSvgOptions options_;
    std::string body_;
    double total_ = 0;
    double width_ = kLadderSvgWidth;  ///< of the widest group
    std::uint64_t not_drawn_ = 0;
};

}  // namespace

std::unique_ptr<EventSink> make_ladder_svg_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<LadderSvgRenderer>(out, o);
}

}  // namespace tfx::render
