// --summary: one row per connection, like Zeek's conn.log (a text table; CSV is csv.cpp, JSON
// and JSONL summaries are the JSON renderers with summary_only set).

#include <fmt/compile.h>
#include <fmt/format.h>

#include "render/conversation_counts.hpp"
#include "render/measured_table.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/selection_text.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

// Milliseconds with 3 decimals, as "{:.3f}" of the double; "-" when unknown.
void append_ms(fmt::memory_buffer& out, const std::optional<Duration>& d) {
    if (d)
        append_fixed(out, d->count(), 1'000'000, 3);
    else
        out.push_back('-');
}

// The text table's columns; each widens to its widest cell (measured_table.hpp).
constexpr std::array<MeasuredTable::Column, 15> kTableColumns{{
    {"id", 5, Align::Right, 2},
    {"client", 24, Align::Left, 1},
    {"server", 24, Align::Left, 1},
    {"duration", 10, Align::Right, 1},
    {"pkts>", 7, Align::Right, 1},
    {"pkts<", 7, Align::Right, 1},
    {"bytes>", 10, Align::Right, 1},
    {"bytes<", 10, Align::Right, 1},
    {"rexmt", 6, Align::Right, 1},
    {"handshake", 17, Align::Left, 1},
    {"rtt_ms", 9, Align::Right, 1},
    {"close", 12, Align::Left, 1},
    {"by", 7, Align::Left, 1},
    {"state", 6, Align::Left, 1},
    {"history", 0, Align::Left, 0},
}};

class SummaryRenderer final : public EventSink {
public:
    explicit SummaryRenderer(std::FILE* out) : out_(out), table_(kTableColumns) {}

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
        if (c.selection) out_.print("{}\n", selection_text(*c.selection, c.conversations));
        if (c.interrupted)
            out_.print("(interrupted by {} after frame {}: the rest of the capture was not read)\n",
                       signal_name(c.interrupted->signal), c.interrupted->after_frame);
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
};

}  // namespace

std::unique_ptr<EventSink> make_summary_renderer(std::FILE* out) { return std::make_unique<SummaryRenderer>(out); }

}  // namespace tfx::render
