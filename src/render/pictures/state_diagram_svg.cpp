#include "render/pictures/state_diagram_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>

#include "i18n/catalogue.hpp"
#include "render/pictures/text_metrics.hpp"
#include "text/xml_text.hpp"
#include "tcp/state_graph.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;
using text::xml_escape;

constexpr double kWidth = 760, kHeight = 640;
constexpr double kBoxW = 124, kBoxH = 30;
constexpr double kLeftLane = 14, kRightLane = 746;  // where edges back to CLOSED climb

constexpr std::string_view kUntakenColour = "#c8c8c8";

constexpr double kEdgeFontSize = 10, kLegendFontSize = 11;
constexpr double kMargin = 4;       // between a label and the picture's edge, or a line
constexpr double kLaneGap = 4;      // between the outer side lane and a label beside it
constexpr double kLineHeight = 11;  // of an edge label's lines
constexpr double kAscent = 8.5;     // from the top of a label's line to its baseline (size 10)

// The horizontal room the labels take: the picture widens (and starts left of 0) so that
// none is clipped.
struct Extent {
    double left = 0, right = kWidth;
    void centred(double x, double width) {
        left = std::min(left, x - width / 2 - kMargin);
        right = std::max(right, x + width / 2 + kMargin);
    }
    void from(double x, double width) { right = std::max(right, x + width + kMargin); }
    void until(double x, double width) { left = std::min(left, x - width - kMargin); }
};

struct Point {
    double x = 0, y = 0;
};

// Hand-placed like the RFC's figure; indexed by TcpState.
constexpr std::array<Point, kTcpStateCount> kPlace{{
    {120, 130},  // UNKNOWN (below the left lane's run into CLOSED)
    {380, 40},   // CLOSED
    {380, 130},  // LISTEN
    {610, 230},  // SYN-SENT
    {150, 230},  // SYN-RECEIVED
    {380, 330},  // ESTABLISHED
    {150, 440},  // FIN-WAIT-1
    {150, 560},  // FIN-WAIT-2
    {610, 440},  // CLOSE-WAIT
    {380, 440},  // CLOSING
    {610, 560},  // LAST-ACK
    {380, 560},  // TIME-WAIT
}};

constexpr std::uint32_t bit(TcpState s) { return 1u << static_cast<unsigned>(s); }

// Where the segment from a box's centre towards `towards` leaves the box.
Point box_exit(Point centre, Point towards) {
    const double dx = towards.x - centre.x, dy = towards.y - centre.y;
    const double tx = dx == 0 ? 1e9 : (kBoxW / 2) / std::abs(dx), ty = dy == 0 ? 1e9 : (kBoxH / 2) / std::abs(dy);
    const double t = std::min(tx, ty);
    return {centre.x + dx * t, centre.y + dy * t};
}

struct Route {
    std::string d;  ///< SVG path data
    Point mid;      ///< the middle of the line (of a side lane's horizontal run)
    Point normal;   ///< unit vector, the side of the line its label goes
    /// A side lane's route: how much of its horizontal run a label may take, and where a
    /// label too wide for it goes instead: beside the lane, outside the drawing, starting
    /// at `beside` (`lane_side` 1, the right lane) or ending there (-1, the left lane).
    double room = std::numeric_limits<double>::infinity();
    Point beside;
    int lane_side = 0;
};

// SVG path data through `points`, by horizontal and vertical runs where they are.
std::string path_through(std::initializer_list<Point> points) {
    std::string d;
    const Point* previous = nullptr;
    for (const Point& p : points) {
        if (!previous)
            fmt::format_to(std::back_inserter(d), "M{:.1f} {:.1f}", p.x, p.y);
        else if (p.y == previous->y)
            fmt::format_to(std::back_inserter(d), "H{:.1f}", p.x);
        else if (p.x == previous->x)
            fmt::format_to(std::back_inserter(d), "V{:.1f}", p.y);
        else
            fmt::format_to(std::back_inserter(d), "L{:.1f} {:.1f}", p.x, p.y);
        previous = &p;
    }
    return d;
}

constexpr Point place(TcpState s) { return kPlace[static_cast<std::size_t>(s)]; }

// The routes below keep every line out of the boxes it does not join: a line through a box
// reads as an edge into that state. The labels go on the side of `normal` at `mid`.

// Out of a box's left side at `start`, along a vertical run at `x`, into another's left side at
// `end`; the label right of the run, in the middle.
Route by_vertical_run(Point start, double x, Point end) {
    Route r;
    r.d = path_through({start, {x, start.y}, {x, end.y}, end});
    r.mid = {x, (start.y + end.y) / 2};
    r.normal = {1, 0};
    return r;
}

// ESTABLISHED's abort to CLOSED: straight up it would pass through LISTEN, on the CLOSED-LISTEN
// lines. A bracket left of the middle column, from ESTABLISHED's left side to CLOSED's, below
// the left lane's run into CLOSED; its label inside the bracket.
Route bracket_beside_listen(Point a, Point b, double offset) {
    return by_vertical_run({a.x - kBoxW / 2, a.y + offset / 2}, a.x - kBoxW / 2 - 6 - offset,
                           {b.x - kBoxW / 2, b.y + 6 + offset / 2});
}

// From the middle column (CLOSING, TIME-WAIT) to CLOSED: a straight run to the right lane would
// cross CLOSE-WAIT or LAST-ACK. The line leaves by the bottom, runs below the row and climbs the
// lane; its label beside the lane (the run below the row has no room for one).
Route below_row_to_right_lane(Point a, Point b, double offset) {
    const double lane = kRightLane - offset;
    const Point start{a.x + kBoxW / 2 - 8 - offset, a.y + kBoxH / 2}, end{b.x + kBoxW / 2, b.y + offset / 2};
    const double below = start.y + 14 + offset;
    Route r;
    r.d = path_through({start, {start.x, below}, {lane, below}, {lane, end.y}, end});
    r.mid = {(start.x + lane) / 2, below};
    r.normal = {0, 1};
    r.room = 0;
    r.beside = {kRightLane + kLaneGap, below + 4};
    r.lane_side = 1;
    return r;
}

// From a closing state of a side column to CLOSED: out of its outer side, up that side's lane.
Route by_side_lane(Point a, Point b, double offset) {
    const bool left = a.x < b.x;
    const double lane = left ? kLeftLane + offset : kRightLane - offset;
    const double side = left ? -1 : 1;
    const Point start{a.x + side * kBoxW / 2, a.y + offset / 2}, end{b.x + side * kBoxW / 2, b.y + offset / 2};
    Route r;
    r.d = path_through({start, {lane, start.y}, {lane, end.y}, end});
    r.mid = {(start.x + lane) / 2, start.y};
    r.normal = {0, -1};
    r.room = std::abs(lane - start.x) - 2 * kMargin;
    r.beside = {left ? kLeftLane - kLaneGap : kRightLane + kLaneGap, start.y + 4};
    r.lane_side = left ? -1 : 1;
    return r;
}

// UNKNOWN to FIN-WAIT-1, below SYN-RECEIVED in the same column: down an inner lane between the
// left lane and the boxes, into FIN-WAIT-1's left side above the left lane's run out of it.
Route inner_left_lane(Point a, Point b, double offset) {
    return by_vertical_run({a.x - kBoxW / 2, a.y + offset / 2}, (kLeftLane + b.x - kBoxW / 2) / 2 + offset,
                           {b.x - kBoxW / 2, b.y - 10 + offset / 2});
}

// UNKNOWN to CLOSE-WAIT: straight it would cross ESTABLISHED. Right of UNKNOWN, down between
// SYN-RECEIVED and LISTEN, along the gap above ESTABLISHED, down into CLOSE-WAIT's top.
Route above_established(Point a, Point b, double offset) {
    const Point syn_received = place(TcpState::SynReceived), established = place(TcpState::Established);
    const double down = syn_received.x + kBoxW / 2 + 30 + offset;
    const double along = established.y - kBoxH / 2 - 30 + offset;
    const Point start{a.x + kBoxW / 2, a.y + offset / 2}, end{b.x + 30 - offset, b.y - kBoxH / 2};
    Route r;
    r.d = path_through({start, {down, start.y}, {down, along}, {end.x, along}, end});
    r.mid = {(down + end.x) / 2, along};
    r.normal = {0, 1};
    return r;
}

// A straight arrow between two boxes, moved `offset` px to its right so that A->B and B->A
// (and the two sides of one edge) stay apart.
Route straight(Point a, Point b, double offset) {
    const Point s = box_exit(a, b), e = box_exit(b, a);
    const double len = std::hypot(e.x - s.x, e.y - s.y);
    const double nx = len > 0 ? -(e.y - s.y) / len : 0, ny = len > 0 ? (e.x - s.x) / len : 0;
    Route r;
    r.d = path_through({{s.x + nx * offset, s.y + ny * offset}, {e.x + nx * offset, e.y + ny * offset}});
    r.mid = {(s.x + e.x) / 2 + nx * offset, (s.y + e.y) / 2 + ny * offset};
    r.normal = {nx, ny};
    return r;
}

// How the edge `from` -> `to` is drawn.
Route route(TcpState from, TcpState to, double offset) {
    const Point a = place(from), b = place(to);
    if (from == TcpState::Established && to == TcpState::Closed) return bracket_beside_listen(a, b, offset);
    if (to == TcpState::Closed && a.y > place(TcpState::Established).y)
        return a.x == b.x ? below_row_to_right_lane(a, b, offset) : by_side_lane(a, b, offset);
    if (from == TcpState::Unknown && to == TcpState::FinWait1) return inner_left_lane(a, b, offset);
    if (from == TcpState::Unknown && to == TcpState::CloseWait) return above_established(a, b, offset);
    return straight(a, b, offset);
}

// Where a label of `lines` lines, `width` wide, starts (its first baseline, centred) so that
// its box keeps kMargin clear of `line` on the side of its normal: the box's half-extent
// along the normal, |nx| w/2 + |ny| h/2, away from the line's middle.
Point clear_of(const Route& line, double width, int lines) {
    const double height = kLineHeight * lines;
    const double reach = std::abs(line.normal.x) * width / 2 + std::abs(line.normal.y) * height / 2 + kMargin;
    const Point centre{line.mid.x + line.normal.x * reach, line.mid.y + line.normal.y * reach};
    // A baseline sits kAscent below the top of its line box.
    return {centre.x, centre.y - height / 2 + kAscent};
}

// Which point of a label its x is (SVG's text-anchor).
enum class Anchor : std::uint8_t { Start, Middle, End };

std::string_view svg_name(Anchor a) {
    switch (a) {
        case Anchor::Start: return "start";
        case Anchor::End: return "end";
        case Anchor::Middle: break;
    }
    return "middle";
}

void write_edge(std::string& out, Extent& extent, const tcp::TransitionSpec& t, int id, const ConversationSummary& s,
                std::span<const TakenEdge> taken, Language lang) {
    const std::uint64_t edge = std::uint64_t{1} << id;
    const bool sides[2] = {(s.observed_edges[0] & edge) != 0, (s.observed_edges[1] & edge) != 0};
    if (!sides[0] && !sides[1]) {
        const Route r = route(t.from, t.to, 5);
        fmt::format_to(std::back_inserter(out),
                       "<path class=\"edge\" d=\"{}\" stroke=\"{}\" fill=\"none\"{} marker-end=\"url(#sd-arrow-grey)\">"
                       "<title>{}</title></path>\n",
                       r.d, kUntakenColour, t.observable ? "" : " stroke-dasharray=\"4 3\"",
                       xml_escape(edge_event(id, lang)));
        return;
    }
    // One label per edge, a line of it per side, clear of the lines drawn; on a side lane
    // whose horizontal run is too short for it, beside the lane, outside the drawing.
    std::string frames[2];
    double widths[2] = {0, 0};
    for (int side = 0; side < 2; ++side) {
        if (!sides[side]) continue;
        frames[side] = side_frames_label(taken, id, side == 0 ? Role::Client : Role::Server, lang);
        widths[side] = text_width(frames[side], kEdgeFontSize);
    }
    const double widest = std::max(widths[0], widths[1]);
    std::optional<Route> outer;  // the taken line furthest along the labels' side
    for (int side = 0; side < 2; ++side) {
        if (!sides[side]) continue;
        Route r = route(t.from, t.to, side == 0 ? 3 : 9);
        const std::string_view colour = side == 0 ? kClientColour : kServerColour;
        const std::string_view name = side == 0 ? "client" : "server";
        fmt::format_to(std::back_inserter(out),
                       "<path class=\"edge taken {0}\" d=\"{1}\" stroke=\"{2}\" stroke-width=\"2.5\" fill=\"none\" "
                       "marker-end=\"url(#sd-arrow-{0})\"><title>{3}</title></path>\n",
                       name, r.d, colour, xml_escape(edge_event(id, lang)));
        const auto along = [](const Route& x) { return x.mid.x * x.normal.x + x.mid.y * x.normal.y; };
        if (!outer || along(r) > along(*outer)) outer = std::move(r);
    }
    if (!outer) return;
    const bool beside = widest > outer->room;
    const Point at = beside ? outer->beside : clear_of(*outer, widest, sides[0] && sides[1] ? 2 : 1);
    const Anchor anchor = !beside ? Anchor::Middle : outer->lane_side > 0 ? Anchor::Start : Anchor::End;
    std::string label;
    for (int side = 0; side < 2; ++side) {
        if (!sides[side]) continue;
        switch (anchor) {
            case Anchor::Start: extent.from(at.x, widths[side]); break;
            case Anchor::End: extent.until(at.x, widths[side]); break;
            case Anchor::Middle: extent.centred(at.x, widths[side]); break;
        }
        fmt::format_to(std::back_inserter(label), "<tspan x=\"{:.1f}\" dy=\"{}\" fill=\"{}\">{}</tspan>", at.x,
                       label.empty() ? 0 : kLineHeight, side == 0 ? kClientColour : kServerColour,
                       xml_escape(frames[side]));
    }
    fmt::format_to(std::back_inserter(out),
                   "<text class=\"frames\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>\n", at.x, at.y,
                   svg_name(anchor), label);
}

void write_state(std::string& out, TcpState st, const ConversationSummary& s) {
    const Point p = kPlace[static_cast<std::size_t>(st)];
    const bool c = s.visited_states[0] & bit(st), v = s.visited_states[1] & bit(st);
    const double x = p.x - kBoxW / 2, y = p.y - kBoxH / 2;
    const std::string_view stroke = c && v ? "#555555" : c ? kClientColour : v ? kServerColour : kUntakenColour;
    // Both sides: the halves drawn below carry the colours, the outline none.
    const std::string_view fill = c && v ? "none" : c ? kClientFill : v ? kServerFill : "white";
    fmt::format_to(std::back_inserter(out), "<g class=\"state{}\">", c || v ? " visited" : "");
    if (c && v) {  // both sides: left half client, right half server
        fmt::format_to(std::back_inserter(out),
                       "<rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"{2:.1f}\" height=\"{3}\" fill=\"{5}\"/>"
                       "<rect x=\"{4:.1f}\" y=\"{1:.1f}\" width=\"{2:.1f}\" height=\"{3}\" fill=\"{6}\"/>",
                       x, y, kBoxW / 2, kBoxH, p.x, kClientFill, kServerFill);
    }
    fmt::format_to(
        std::back_inserter(out),
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" "
        "stroke-width=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"{}\">{}</text></g>\n",
        x, y, kBoxW, kBoxH, fill, stroke, c || v ? 2 : 1, p.x, p.y + 4, c || v ? "#000000" : "#909090", to_string(st));
}

}  // namespace

std::string state_diagram_svg(const ConversationSummary& s, std::span<const TakenEdge> taken, Language lang) {
    // The drawing first: its labels decide the picture's width.
    std::string body;
    Extent extent;
    const std::string client_at = i18n::said(lang, Msg::PicClientAt, {s.client.to_string()});
    const std::string server_at = i18n::said(lang, Msg::PicServerAt, {s.server.to_string()});
    const std::string_view key = i18n::word(lang, Msg::PicStatesLegendKey);
    fmt::format_to(std::back_inserter(body),
                   "<text x=\"{}\" y=\"{}\" font-size=\"{}\"><tspan fill=\"{}\">{}</tspan>  "
                   "<tspan fill=\"{}\">{}</tspan>  {}</text>\n",
                   10, kHeight - 12, kLegendFontSize, kClientColour, xml_escape(client_at), kServerColour,
                   xml_escape(server_at), xml_escape(key));
    extent.from(10, text_width(fmt::format("{}  {}  {}", client_at, server_at, key), kLegendFontSize));
    // UNKNOWN is the observer's state, not the RFC's: drawn only when an endpoint was in it,
    // with the edges taken out of it.
    const bool unknown_used = ((s.visited_states[0] | s.visited_states[1]) & bit(TcpState::Unknown)) != 0;
    const std::uint64_t observed = s.observed_edges[0] | s.observed_edges[1];
    const auto table = tcp::transition_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].from == TcpState::Unknown && !(observed & (std::uint64_t{1} << i))) continue;
        write_edge(body, extent, table[i], static_cast<int>(i), s, taken, lang);
    }
    for (int v = 0; v < kTcpStateCount; ++v) {
        const auto st = static_cast<TcpState>(v);
        if (st != TcpState::Unknown || unknown_used) write_state(body, st, s);
    }

    const double left = std::floor(extent.left), width = std::ceil(extent.right) - left;
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"state-diagram\" data-connection=\"{0}\" width=\"{1}\" "
        "height=\"{2}\" viewBox=\"{3} 0 {1} {2}\" font-family=\"{5}\" font-size=\"{4}\">\n"
        "<defs>",
        s.id, width, kHeight, left, kEdgeFontSize, kSansFamily);
    for (const auto& [name, colour] :
         {std::pair{"client", kClientColour}, std::pair{"server", kServerColour}, std::pair{"grey", kUntakenColour}})
        fmt::format_to(
            std::back_inserter(out),
            "<marker id=\"sd-arrow-{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
            "markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"{}\"/></marker>",
            name, colour);
    // The background from the picture's left edge, wherever the labels put it.
    fmt::format_to(std::back_inserter(out), "</defs>\n<rect{} width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
                   left < 0 ? fmt::format(" x=\"{}\"", left) : std::string());
    out += body;
    out += "</svg>\n";
    return out;
}

}  // namespace tfx::render
