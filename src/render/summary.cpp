// --summary: one row per connection, like Zeek's conn.log (a text table; CSV is csv.cpp, JSON
// and JSONL summaries are the JSON renderers with summary_only set).

#include <fmt/compile.h>
#include <fmt/format.h>

#include "i18n/catalogue.hpp"
#include "render/conversation_counts.hpp"
#include "render/measured_table.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/selection_text.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

// Milliseconds with 3 decimals, as "{:.3f}" of the double; "-" when unknown.
void append_ms(fmt::memory_buffer& out, const std::optional<Duration>& d) {
    if (d)
        append_fixed(out, d->count(), 1'000'000, 3);
    else
        out.push_back('-');
}

// The text table's columns, their headers in `lang`; each widens to its widest cell
// (measured_table.hpp). The cells are the values the CSV and JSON write, in every language.
std::array<MeasuredTable::Column, 15> table_columns(Language lang) {
    const auto head = [lang](Msg id) { return i18n::word(lang, id); };
    return {{
        {head(Msg::SummaryHeadId), 5, Align::Right, 2},
        {head(Msg::SummaryHeadClient), 24, Align::Left, 1},
        {head(Msg::SummaryHeadServer), 24, Align::Left, 1},
        {head(Msg::SummaryHeadDuration), 10, Align::Right, 1},
        {head(Msg::SummaryHeadPacketsToServer), 7, Align::Right, 1},
        {head(Msg::SummaryHeadPacketsToClient), 7, Align::Right, 1},
        {head(Msg::SummaryHeadBytesToServer), 10, Align::Right, 1},
        {head(Msg::SummaryHeadBytesToClient), 10, Align::Right, 1},
        {head(Msg::SummaryHeadRetransmissions), 6, Align::Right, 1},
        {head(Msg::SummaryHeadHandshake), 17, Align::Left, 1},
        {head(Msg::SummaryHeadRtt), 9, Align::Right, 1},
        {head(Msg::SummaryHeadClose), 12, Align::Left, 1},
        {head(Msg::SummaryHeadClosedBy), 7, Align::Left, 1},
        {head(Msg::SummaryHeadState), 6, Align::Left, 1},
        {head(Msg::SummaryHeadHistory), 0, Align::Left, 0},
    }};
}

class SummaryRenderer final : public EventSink {
public:
    SummaryRenderer(std::FILE* out, Language lang) : out_(out), table_(table_columns(lang)), lang_(lang) {}

    void capture_started(const CaptureInfo& info) override {
        if (info.live) {
            table_.write_header_now(out_.raw());  // rows of a live capture cannot wait to be measured
            out_.end_piece();
        }
    }
    void segment(const AnnotatedSegment&) override {}
    bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& s) override {
        write_text_row(s);
        out_.end_piece();
    }
    void capture_finished(const CaptureSummary& c) override {
        table_.finish(out_.raw());
        // The table says it is incomplete.
        if (c.selection) out_.print("{}\n", selection_text(*c.selection, c.conversations, lang_));
        if (c.interrupted) {
            i18n::say(out_.raw(), lang_, Msg::SummaryInterrupted,
                      {signal_name(c.interrupted->signal), c.interrupted->after_frame});
            out_.write("\n");
        }
        out_.flush();
    }

private:
    void write_text_row(const ConversationSummary& s) {
        const auto& c = s.dir[0];
        const auto& v = s.dir[1];
        const auto formatted = [this](auto&& append_value) {
            scratch_.clear();
            append_value(scratch_);
            return std::string_view(scratch_.data(), scratch_.size());
        };
        table_.cell(std::uint64_t{s.id});
        table_.cell(EndpointText(s.client).view());
        table_.cell(EndpointText(s.server).view());
        table_.cell(formatted([&s](auto& out) { append_fixed(out, s.duration().count(), 1'000'000'000, 6); }));
        table_.cell(c.packets);
        table_.cell(v.packets);
        table_.cell(c.unique_bytes);
        table_.cell(v.unique_bytes);
        table_.cell(std::uint64_t{retransmissions(s)});
        table_.cell(to_string(s.handshake));
        table_.cell(formatted([&s](auto& out) { append_ms(out, s.handshake_rtt); }));
        table_.cell(to_string(s.close));
        table_.cell(s.closed_by ? to_string(*s.closed_by) : std::string_view("-"));
        table_.cell(s.conn_state.empty() ? std::string_view("-") : std::string_view(s.conn_state));
        table_.cell(s.history.empty() ? std::string_view("-") : std::string_view(s.history));
        table_.end_row(out_.raw());
    }

    OutputBuffer out_;
    MeasuredTable table_;
    fmt::memory_buffer scratch_;  // a cell formatted before it is added
    Language lang_;
};

}  // namespace

std::unique_ptr<EventSink> make_summary_renderer(std::FILE* out, Language lang) {
    return std::make_unique<SummaryRenderer>(out, lang);
}

}  // namespace tfx::render
