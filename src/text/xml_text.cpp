#include "text/xml_text.hpp"

#include "text/terminal_text.hpp"

namespace tfx::text {

std::string xml_escape(std::string_view raw) {
    const std::string s = text::valid_utf8(raw);
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 forbids C0 controls except tab, LF, CR, even as references.
                if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
                    out += "\xEF\xBF\xBD";
                else
                    out += ch;
        }
    }
    return out;
}

}  // namespace tfx::text
