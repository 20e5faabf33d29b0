#include "render/report/html_escape.hpp"

#include "text/terminal_text.hpp"

namespace tfx::render {

void append_html_escaped(std::string& out, std::string_view s) {
    const std::string shown = text::printable(s, text::Newlines::Keep);
    out.reserve(out.size() + shown.size());
    for (const char c : shown) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
}

std::string html_escape(std::string_view s) {
    std::string out;
    append_html_escaped(out, s);
    return out;
}

}  // namespace tfx::render
