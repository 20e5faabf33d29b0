#include "render/report/html_pictures.hpp"

#include <string_view>

#include "i18n/catalogue.hpp"
#include "render/pictures/edge_frames.hpp"
#include "render/report/html_escape.hpp"
#include "render/pictures/ladder_model.hpp"
#include "render/pictures/ladder_svg.hpp"
#include "render/pictures/state_diagram_svg.hpp"
#include "render/pictures/timeseq_model.hpp"
#include "render/pictures/timeseq_svg.hpp"

namespace tfx::render {

namespace {

// Each picture is drawn from the segments the report kept (segments_cut says when they are
// only the first of the connection's), so its cost is bounded by what the report shows.
std::string ladder_svg(const ConnectionPictureInput& connection) {
    LadderBuilder builder(connection.summary, false, connection.language);
    for (const AnnotatedSegment& seg : connection.segments) builder.add(seg);
    return render::ladder_svg(builder.model(), LadderSvgOptions{TimeScale::Even, connection.language});
}

std::string timeseq_svg(const ConnectionPictureInput& connection) {
    TimeSeqCollector collector;
    for (const AnnotatedSegment& seg : connection.segments) collector.record(seg);
    const TimeSeqConnection drawn = collector.take(connection.summary.id);
    return render::timeseq_svg(drawn, busiest_direction(drawn), connection.language).text;
}

std::string states_svg(const ConnectionPictureInput& connection) {
    EdgeFrameLog log;
    for (const AnnotatedSegment& seg : connection.segments) log.record(seg);
    return state_diagram_svg(connection.summary, log.take(connection.summary.id), connection.language);
}

void append_figure(std::string& out, std::string_view css_class, std::string_view caption, const std::string& svg) {
    out += "<figure class=\"";
    out += css_class;
    out += svg.empty() ? "\" data-picture=\"none\">" : "\">";
    out += svg;
    out += "<figcaption>";
    append_html_escaped(out, caption);
    out += "</figcaption></figure>\n";
}

}  // namespace

void append_connection_pictures(std::string& out, const ConnectionPictureInput& connection) {
    const Language lang = connection.language;
    append_figure(out, "ladder", i18n::word(lang, i18n::Msg::PicFigureLadder), ladder_svg(connection));
    append_figure(out, "timeseq", i18n::word(lang, i18n::Msg::PicFigureTimeseq), timeseq_svg(connection));
    append_figure(out, "states", i18n::word(lang, i18n::Msg::PicFigureStates), states_svg(connection));
}

}  // namespace tfx::render
