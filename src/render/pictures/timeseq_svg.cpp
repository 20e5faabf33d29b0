#include "render/pictures/timeseq_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string_view>

#include "i18n/catalogue.hpp"
#include "render/pictures/text_metrics.hpp"
#include "text/xml_text.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

constexpr double kWidth = 900, kHeight = 470;
constexpr double kLeft = 90, kRight = 880, kTop = 78, kBottom = 420;
constexpr double kFontSize = 11, kTitleFontSize = 14;
constexpr double kLegendX = kLeft + 8;  // the first legend sample's centre
constexpr double kLegendTextX = 12;     // a legend text, from its sample's centre
constexpr double kLegendGap = 18;       // from one legend text's end to the next sample's centre
constexpr double kMargin = 6;           // between the widest text and the picture's right edge

constexpr std::string_view kDataColour = "#222222";
constexpr std::string_view kRetransColour = "#d62728";
constexpr std::string_view kAckColour = "#2ca02c";
constexpr std::string_view kWindowColour = "#bcbd22";
constexpr std::string_view kSackColour = "#9467bd";
constexpr std::string_view kDupAckColour = "#ff7f0e";

// A tick step from the 1-2-5 series giving about `ticks` intervals over `range`.
double tick_step(double range, int ticks) {
    if (!(range > 0)) return 1;
    const double raw = range / ticks;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (m * decade >= raw) return m * decade;
    return 10 * decade;
}

// Maps data to plot coordinates.
struct Axes {
    double t_max = 1;
    double seq_min = 0, seq_max = 1;
    [[nodiscard]] double x(double t) const { return kLeft + (kRight - kLeft) * t / t_max; }
    [[nodiscard]] double y(double seq) const {
        return kBottom - (kBottom - kTop) * (seq - seq_min) / (seq_max - seq_min);
    }
};

// The sequence axis spans the data and the ACKs with room above; the window line may leave
// it at the top (clipped): a window far larger than the data would flatten every segment.
Axes axes_of(const TimeSeqDirection& d) {
    Axes a;
    double t_max = 0, top = 0, bottom = std::numeric_limits<double>::max();
    for (const auto& s : d.segments) {
        t_max = std::max(t_max, s.t);
        top = std::max(top, static_cast<double>(s.end));
        bottom = std::min(bottom, static_cast<double>(s.start));
    }
    for (const auto& p : d.acks) {
        t_max = std::max(t_max, p.t);
        top = std::max(top, static_cast<double>(p.ack));
        bottom = std::min(bottom, static_cast<double>(p.ack));
    }
    if (bottom == std::numeric_limits<double>::max()) bottom = 0;
    a.t_max = t_max > 0 ? t_max * 1.02 : 1e-3;
    a.seq_min = std::max(0.0, bottom);
    a.seq_max = top > a.seq_min ? a.seq_min + (top - a.seq_min) * 1.3 : a.seq_min + 1;
    return a;
}

// A time axis tick: as many decimals as the step needs, the decimal comma in French
// (docs/glossaire.md: durations take it, with the same digits).
std::string seconds_label(double t, double step, Language lang) {
    const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    std::string label = fmt::format("{:.{}f}", t, decimals);
    if (lang == Language::Fr) std::replace(label.begin(), label.end(), '.', ',');
    return label;
}

void write_axes(std::string& out, const Axes& a, Language lang) {
    fmt::format_to(std::back_inserter(out),
                   "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", kLeft, kTop,
                   kRight - kLeft, kBottom - kTop);
    const double ts = tick_step(a.t_max, 8);
    for (double t = 0; t <= a.t_max + ts * 1e-9; t += ts) {
        fmt::format_to(std::back_inserter(out),
                       "<line class=\"tick\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#eee\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       a.x(t), kTop, kBottom, kBottom + 16, seconds_label(t, ts, lang));
    }
    const double ss = tick_step(a.seq_max - a.seq_min, 8);
    for (double s = std::ceil(a.seq_min / ss) * ss; s <= a.seq_max; s += ss) {
        fmt::format_to(std::back_inserter(out),
                       "<line class=\"tick\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.0f}</text>\n",
                       kLeft, a.y(s), kRight, kLeft - 6, a.y(s) + 4, s);
    }
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n"
                   "<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   // The axis titles hold no markup characters.
                   (kLeft + kRight) / 2, kBottom + 36, i18n::word(lang, Msg::PicTimeAxis), (kTop + kBottom) / 2,
                   i18n::word(lang, Msg::PicSeqAxis));
}

// ACK or window line: horizontal until the next ACK, then a vertical step.
void write_step_line(std::string& out, const Axes& a, const std::vector<AckPoint>& acks, bool window,
                     std::string_view cls, std::string_view colour) {
    if (acks.empty()) return;
    std::string d;
    for (std::size_t i = 0; i < acks.size(); ++i) {
        const double v = static_cast<double>(window ? acks[i].window_edge : acks[i].ack);
        if (i == 0)
            fmt::format_to(std::back_inserter(d), "M{:.1f} {:.1f}", a.x(acks[i].t), a.y(v));
        else
            fmt::format_to(std::back_inserter(d), " V{:.1f}", a.y(v));
        const double next_t = i + 1 < acks.size() ? acks[i + 1].t : acks[i].t;
        fmt::format_to(std::back_inserter(d), " H{:.1f}", a.x(next_t));
    }
    fmt::format_to(std::back_inserter(out), "<path class=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\"/>\n", cls, d,
                   colour);
}

void write_segments(std::string& out, const Axes& a, const TimeSeqDirection& d, bool retransmissions) {
    for (const auto& s : d.segments) {
        if (s.retransmission != retransmissions) continue;
        const double x = a.x(s.t), y0 = a.y(static_cast<double>(s.start)), y1 = a.y(static_cast<double>(s.end));
        fmt::format_to(
            std::back_inserter(out),
            "<path class=\"{}\" data-frame=\"{}\" data-start=\"{}\" data-end=\"{}\" d=\"M{:.1f} {:.1f}H{:.1f}"
            "M{:.1f} {:.1f}V{:.1f}M{:.1f} {:.1f}H{:.1f}\" stroke=\"{}\" stroke-width=\"{}\" fill=\"none\"/>\n",
            retransmissions ? "retrans" : "seg", s.frame, s.start, s.end, x - 3, y0, x + 3, x, y0, y1, x - 3, y1, x + 3,
            retransmissions ? kRetransColour : kDataColour, retransmissions ? 2 : 1);
    }
}

void write_marks(std::string& out, const Axes& a, const TimeSeqDirection& d, const std::string& clip_id,
                 Language lang) {
    fmt::format_to(std::back_inserter(out),
                   "<clipPath id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n"
                   "<g clip-path=\"url(#{})\">\n",
                   clip_id, kLeft, kTop, kRight - kLeft, kBottom - kTop, clip_id);
    write_step_line(out, a, d.acks, true, "window-line", kWindowColour);
    write_step_line(out, a, d.acks, false, "ack-line", kAckColour);
    out += "</g>\n";
    std::uint64_t widest = 0;
    for (const auto& p : d.acks) widest = std::max(widest, p.window_edge);
    if (static_cast<double>(widest) > a.seq_max)
        fmt::format_to(std::back_inserter(out),
                       "<text class=\"window-note\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#7a7a00\">{}</text>\n",
                       kRight - 4, kTop + 14, text::xml_escape(i18n::said(lang, Msg::PicWindowAbove, {widest})));
    for (const auto& s : d.sacks) {
        fmt::format_to(
            std::back_inserter(out),
            "<line class=\"sack\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" "
            "stroke-width=\"3\" data-left=\"{4}\" data-right=\"{5}\"/>\n",
            a.x(s.t), a.y(static_cast<double>(s.left)), a.y(static_cast<double>(s.right)), kSackColour, s.left,
            s.right);
    }
    for (const auto& p : d.acks) {
        const double x = a.x(p.t), y = a.y(static_cast<double>(p.ack));
        if (p.duplicate)
            fmt::format_to(
                std::back_inserter(out),
                "<circle class=\"dup-ack\" data-frame=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>\n",
                p.frame, x, y, kDupAckColour);
        if (p.zero_window)
            fmt::format_to(std::back_inserter(out),
                           "<path class=\"zero-window\" data-frame=\"{}\" d=\"M{:.1f} {:.1f}l-6 10h12z\" fill=\"{}\">"
                           "<title>{}</title></path>\n",
                           p.frame, x, y + 2, kRetransColour,
                           text::xml_escape(i18n::said(lang, Msg::PicZeroWindowAt, {p.frame})));
    }
    write_segments(out, a, d, false);
    write_segments(out, a, d, true);
}

// The legend's words, in the order of its samples.
std::array<std::string_view, 7> legend_texts(Language lang) {
    const auto word = [lang](Msg id) { return i18n::word(lang, id); };
    return {word(Msg::PicLegendSegmentSent), word(Msg::PicLegendRetransmission), "ACK",
            word(Msg::PicLegendAckWindow),   word(Msg::PicLegendSack),           word(Msg::PicMeaningDuplicateAck),
            word(Msg::PicNoteZeroWindow)};
}

// Where each legend sample is centred, one after the other on a line, and where the line ends.
struct LegendPlaces {
    std::array<double, 7> x{};
    double end = 0;
};
LegendPlaces legend_places(Language lang) {
    LegendPlaces p;
    double x = kLegendX;
    const auto texts = legend_texts(lang);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        p.x[i] = x;
        p.end = x + kLegendTextX + text_width(texts[i], kFontSize);
        x = p.end + kLegendGap;
    }
    return p;
}

void write_legend(std::string& out, const LegendPlaces& places, Language lang) {
    const std::string ibeam = "<path d=\"M-3 -6H3M0 -6V6M-3 6H3\" stroke=\"{}\"/>";
    const std::array<std::string, 7> samples{{
        fmt::format(fmt::runtime(ibeam), kDataColour),
        fmt::format(fmt::runtime(ibeam), kRetransColour),
        fmt::format("<line x1=\"-8\" y1=\"0\" x2=\"8\" y2=\"0\" stroke=\"{}\"/>", kAckColour),
        fmt::format("<line x1=\"-8\" y1=\"0\" x2=\"8\" y2=\"0\" stroke=\"{}\"/>", kWindowColour),
        fmt::format("<line x1=\"0\" y1=\"-6\" x2=\"0\" y2=\"6\" stroke=\"{}\" stroke-width=\"3\"/>", kSackColour),
        fmt::format("<circle r=\"3\" fill=\"{}\"/>", kDupAckColour),
        fmt::format("<path d=\"M0 -4l-6 10h12z\" fill=\"{}\"/>", kRetransColour),
    }};
    const auto texts = legend_texts(lang);
    out += "<g class=\"legend\">";
    for (std::size_t i = 0; i < texts.size(); ++i)
        fmt::format_to(std::back_inserter(out),
                       "<g transform=\"translate({:.1f} 56)\">{}<text x=\"{}\" y=\"4\">{}</text></g>", places.x[i],
                       samples[i], kLegendTextX, text::xml_escape(texts[i]));
    out += "</g>\n";
}

// The title (the catalogue's words as they are, no markup characters; the addresses escaped)
// and, when points were dropped, the note saying so: both as drawn, escaped.
std::string title_of(const TimeSeqConnection& c, int direction, Language lang) {
    const std::string from = (direction == 1 ? c.server : c.client).to_string();
    const std::string to = (direction == 1 ? c.client : c.server).to_string();
    return i18n::said(lang, Msg::PicTimeseqTitle,
                      {c.id, text::xml_escape(from), text::xml_escape(to),
                       i18n::word(lang, direction == 1 ? Msg::PicServersData : Msg::PicClientsData)});
}
std::string cut_note_of(const TimeSeqConnection& c, Language lang) {
    return i18n::said(lang, Msg::PicTimeseqCut, {TimeSeqConnection::kMaxPoints, c.dropped});
}

// 900 units, or more when the texts above the plot need more room than it has (the plot
// keeps its place).
double width_for(const LegendPlaces& legend, const std::string& title, const std::string* cut_note) {
    double right = std::max(kRight, legend.end);
    right = std::max(right, kLeft + text_width(title, kTitleFontSize, Typeface::SansBold));
    if (cut_note) right = std::max(right, kLeft + text_width(*cut_note, kFontSize));
    return std::max(kWidth, std::ceil(right + kMargin));
}

}  // namespace

int busiest_direction(const TimeSeqConnection& c) { return c.dir[1].highest_seq() > c.dir[0].highest_seq() ? 1 : 0; }

TimeSeqSvg timeseq_svg(const TimeSeqConnection& c, int direction, Language lang) {
    const TimeSeqDirection& d = c.dir[direction == 1 ? 1 : 0];
    const Axes a = axes_of(d);
    const LegendPlaces legend = legend_places(lang);
    const std::string title = title_of(c, direction, lang);
    const std::string cut_note = c.dropped > 0 ? cut_note_of(c, lang) : std::string();
    TimeSeqSvg svg;
    svg.width = width_for(legend, title, c.dropped > 0 ? &cut_note : nullptr);
    std::string& out = svg.text;
    out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeseq\" data-connection=\"{}\" data-direction=\"{}\" "
        "width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{}\" font-size=\"{}\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        "<text x=\"{}\" y=\"18\" font-size=\"{}\" font-weight=\"bold\">{}</text>\n",
        c.id, direction == 1 ? "server" : "client", svg.width, kHeight, svg.width, kHeight, kSansFamily, kFontSize,
        kLeft, kTitleFontSize, title);
    if (c.dropped > 0)
        fmt::format_to(std::back_inserter(out), "<text class=\"truncated\" x=\"{}\" y=\"34\" fill=\"{}\">{}</text>\n",
                       kLeft, kRetransColour, text::xml_escape(cut_note));
    write_legend(out, legend, lang);
    write_axes(out, a, lang);
    write_marks(out, a, d, fmt::format("timeseq-clip-{}-{}", c.id, direction == 1 ? 1 : 0), lang);
    out += "</svg>\n";
    return svg;
}

}  // namespace tfx::render
