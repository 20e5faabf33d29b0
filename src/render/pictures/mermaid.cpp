// Mermaid: the ladders of a capture as one `sequenceDiagram`, for Markdown pages that render
// Mermaid (GitHub, GitLab, documentation sites).
//
// Each connection gets its own pair of participants, declared just before its messages and
// headed by a note over both: two connections never share a column, because a column is one
// endpoint (address and port) and a client port belongs to one connection. Sharing a
// "client" and a "server" column across connections would draw different endpoints on one
// line; one diagram per connection would need one Mermaid block per connection, which a
// single output cannot give a Markdown page.

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "i18n/catalogue.hpp"
#include "render/pictures/ladder_sink.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

// Text as Mermaid's sequence diagram grammar reads it unchanged. A message or note text runs
// from its colon to the first '#', ';' or line end ('#' starts a comment, ';' ends the
// statement) and "%%" starts a comment anywhere; the text is then shown as HTML, where '<',
// '>', '&' and '"' have a meaning. Each of those becomes a Mermaid entity code ("#59;"),
// which Mermaid decodes before drawing; control characters become spaces. Colons after the
// first are text, so addresses keep theirs.
std::string mermaid_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '#': out += "#35;"; break;
            case ';': out += "#59;"; break;
            case '%': out += "#37;"; break;
            case '<': out += "#lt;"; break;
            case '>': out += "#gt;"; break;
            case '&': out += "#amp;"; break;
            case '"': out += "#quot;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                    out += ' ';
                else
                    out += c;
        }
    }
    return out;
}

class MermaidRenderer final : public LadderSink {
public:
    MermaidRenderer(std::FILE* out, const RenderOptions& o)
        : LadderSink(o.absolute_seq, o.language), out_(out), lang_(o.language) {}

    void capture_started(const CaptureInfo& /*info*/) override { out_.write("sequenceDiagram\n"); }

    void capture_finished(const CaptureSummary& c) override {
        if (c.conversations == 0) out_.print("    %% {}\n", i18n::word(lang_, Msg::PicNoConnection));
        out_.flush();
    }

protected:
    void draw(const LadderModel& m, const ConversationSummary& /*summary*/) override {
        const std::string client = fmt::format("c{}c", m.id), server = fmt::format("c{}s", m.id);
        out_.print("    participant {} as {}\n", client,
                   mermaid_text(i18n::said(lang_, Msg::PicClientAt, {EndpointText(m.client).view()})));
        out_.print("    participant {} as {}\n", server,
                   mermaid_text(i18n::said(lang_, Msg::PicServerAt, {EndpointText(m.server).view()})));
        std::string title = i18n::said(lang_, Msg::PicConnection, {m.id});
        if (m.roles_inferred) title += i18n::word(lang_, Msg::PicRolesInferredShort);
        out_.print("    Note over {},{}: {}\n", client, server, mermaid_text(title));
        if (m.initial_state(Role::Client) != TcpState::Unknown)
            out_.print("    Note left of {}: {}\n", client, to_string(m.initial_state(Role::Client)));
        if (m.initial_state(Role::Server) != TcpState::Unknown)
            out_.print("    Note right of {}: {}\n", server, to_string(m.initial_state(Role::Server)));
        for (const auto& r : m.rows) {
            const bool from_client = r.sender == Role::Client;
            // A segment the capture never saw ends in a cross; a retransmission is dotted.
            const std::string_view arrow = r.kind == LadderRow::Kind::NotCaptured ? "-x"
                                           : r.has(ladder_mark::kRetransmission)  ? "-->>"
                                                                                  : "->>";
            const std::string text = r.kind == LadderRow::Kind::Segment
                                         ? fmt::format("[{}] {} ({})", r.frame, r.label, r.note)
                                         : fmt::format("{} ({})", r.label, r.note);
            out_.print("    {}{}{}: {}\n", from_client ? client : server, arrow, from_client ? server : client,
                       mermaid_text(text));
            states(r, Role::Client, fmt::format("left of {}", client));
            states(r, Role::Server, fmt::format("right of {}", server));
        }
        if (m.not_drawn > 0)
            out_.print("    Note over {},{}: {}\n", client, server,
                       mermaid_text(i18n::said(lang_, Msg::PicSegmentsNotDrawn, {m.not_drawn})));
        out_.end_piece();
    }

private:
    // "Note left of c1c: SYN-SENT", or "CLOSE-WAIT → LAST-ACK" for several states on one row.
    void states(const LadderRow& r, Role side, const std::string& where) {
        if (r.state_steps(side) == 0) return;
        std::string text;
        for (std::size_t i = 0; i < r.state_steps(side); ++i) {
            if (i > 0) text += " → ";
            text += to_string(r.state(side, i));
        }
        out_.print("    Note {}: {}\n", where, mermaid_text(text));
    }

    OutputBuffer out_;
    Language lang_;
};

}  // namespace

std::unique_ptr<EventSink> make_mermaid_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<MermaidRenderer>(out, o);
}

}  // namespace tfx::render
