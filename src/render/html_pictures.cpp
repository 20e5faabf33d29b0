#include "render/html_pictures.hpp"

#include <string_view>

namespace tfx::render {

namespace {

// One slot per picture. Each returns one connection's picture as an <svg> element, or an
// empty string while that picture is not drawn.
std::string ladder_svg(const ConnectionPictureInput& /*connection*/) { return {}; }
std::string timeseq_svg(const ConnectionPictureInput& /*connection*/) { return {}; }
std::string states_svg(const ConnectionPictureInput& /*connection*/) { return {}; }

void append_figure(std::string& out, std::string_view css_class, std::string_view caption, const std::string& svg) {
    out += "<figure class=\"";
    out += css_class;
    out += svg.empty() ? "\" data-picture=\"none\">" : "\">";
    out += svg;
    out += "<figcaption>";
    out += caption;
    out += "</figcaption></figure>\n";
}

}  // namespace

void append_connection_pictures(std::string& out, const ConnectionPictureInput& connection) {
    append_figure(out, "ladder", "Ladder diagram", ladder_svg(connection));
    append_figure(out, "timeseq", "Time-sequence graph", timeseq_svg(connection));
    append_figure(out, "states", "State diagram", states_svg(connection));
}

}  // namespace tfx::render
