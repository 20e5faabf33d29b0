// `-F svg --graph timeseq`: one SVG document per capture, one time-sequence graph per
// connection (the direction that sent more sequence space), stacked top to bottom. The
// graphs are kept until the capture ends (an SVG's height must be known at its start):
// at most kMaxGraphs of them, the others counted in a note.

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <cmath>
#include <string>
#include <vector>

#include "i18n/catalogue.hpp"
#include "text/xml_text.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/pictures/timeseq_model.hpp"
#include "render/pictures/text_metrics.hpp"
#include "render/pictures/timeseq_svg.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

constexpr std::size_t kMaxGraphs = 100;
constexpr int kGraphHeight = 470, kNoteHeight = 24;
constexpr double kMinWidth = 900;  // timeseq_svg()'s narrowest
constexpr double kNoteX = 10, kNoteFontSize = 12;

class TimeSeqRenderer final : public EventSink {
public:
    TimeSeqRenderer(std::FILE* out, Language lang) : out_(out), lang_(lang) {}
    void segment(const AnnotatedSegment& seg) override { collector_.record(seg); }
    void conversation_closed(const ConversationSummary& s) override {
        const TimeSeqConnection c = collector_.take(s.id);
        if (graphs_.size() >= kMaxGraphs) {
            ++not_drawn_;
            return;
        }
        const int direction = busiest_direction(c);
        TimeSeqSvg graph = timeseq_svg(c, direction, lang_);
        width_ = std::max(width_, graph.width);
        graphs_.push_back(std::move(graph.text));
    }
    void capture_finished(const CaptureSummary&) override {
        const int height = kNoteHeight + kGraphHeight * static_cast<int>(graphs_.size());
        out_.print(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
            "font-family=\"{2}\" font-size=\"{3}\">\n"
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{4}\" y=\"16\">{5}</text>\n",
            std::max(width_, std::ceil(kNoteX + text_width(note(), kNoteFontSize) + kNoteX)), height, kSansFamily,
            kNoteFontSize, kNoteX, text::xml_escape(note()));
        for (std::size_t i = 0; i < graphs_.size(); ++i) {
            out_.print("<g transform=\"translate(0 {})\">\n", kNoteHeight + kGraphHeight * static_cast<int>(i));
            out_.write(graphs_[i]);
            out_.write("</g>\n");
        }
        out_.write("</svg>\n");
        out_.flush();
    }

private:
    std::string note() const {
        if (graphs_.empty()) return std::string(i18n::word(lang_, Msg::PicTimeseqNoConnection));
        std::string n = i18n::said(lang_, Msg::PicTimeseqNote, {graphs_.size()});
        if (not_drawn_) {
            n += i18n::word(lang_, Msg::PicListSeparator);
            n += i18n::said(lang_, Msg::PicConnectionsNotDrawn, {not_drawn_});
        }
        return n;
    }

    OutputBuffer out_;
    TimeSeqCollector collector_;
    std::vector<std::string> graphs_;
    std::uint64_t not_drawn_ = 0;
    double width_ = kMinWidth;  ///< of the widest graph
    Language lang_;
};

}  // namespace

std::unique_ptr<EventSink> make_timeseq_renderer(std::FILE* out, Language lang) {
    return std::make_unique<TimeSeqRenderer>(out, lang);
}

}  // namespace tfx::render
