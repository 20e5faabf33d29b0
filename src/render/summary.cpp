// --summary: one row per connection, like Zeek's conn.log (text table or CSV; JSON and
// JSONL summaries are the JSON renderers with summary_only set).

#include <fmt/compile.h>
#include <fmt/format.h>

#include "render/measured_table.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/selection_text.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

std::uint32_t retransmissions(const ConversationSummary& s) {
    return s.count(AnnotationCode::Retransmission) + s.count(AnnotationCode::FastRetransmission) +
           s.count(AnnotationCode::SpuriousRetransmission);
}

// Milliseconds with 3 decimals, as "{:.3f}" of the double; "-" when unknown.
void append_ms(fmt::memory_buffer& out, const std::optional<Duration>& d) {
    if (d)
        append_fixed(out, d->count(), 1'000'000, 3);
    else
        out.push_back('-');
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void append_csv_field(fmt::memory_buffer& out, std::string_view s) {
    if (s.find_first_of(",\"\n") == std::string_view::npos) return append(out, s);
    append(out, csv_field(std::string(s)));
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
    SummaryRenderer(std::FILE* out, bool csv) : out_(out), csv_(csv), table_(kTableColumns) {}

    void capture_started(const CaptureInfo& info) override {
        if (csv_) {
            out_.write(
                "id,client,server,start_ns,duration_ns,client_packets,server_packets,client_bytes,server_bytes,"
                "retransmitted_bytes,retransmissions,duplicate_acks,zero_windows,handshake,handshake_rtt_ms,"
                "close,closed_by,conn_state,history,client_mss,server_mss,client_wscale,server_wscale,sack,"
                "timestamps,max_window_client,max_window_server,client_payload_bytes,server_payload_bytes\n");
        } else if (info.live) {
            table_.write_header_now(out_.raw());  // rows of a live capture cannot wait to be measured
            out_.end_piece();
        }
    }
    void segment(const AnnotatedSegment&) override {}
    bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& s) override {
        if (csv_)
            write_csv_row(s);
        else
            write_text_row(s);
        out_.end_piece();
    }
    void capture_finished(const CaptureSummary& c) override {
        if (!csv_) table_.finish(out_.raw());
        // The table says it is incomplete; a CSV stays rows only (stderr and the exit status say it).
        if (c.selection && !csv_) out_.print("{}\n", selection_text(*c.selection, c.conversations));
        if (c.interrupted && !csv_)
            out_.print("(interrupted by {} after frame {}: the rest of the capture was not read)\n",
                       signal_name(c.interrupted->signal), c.interrupted->after_frame);
        out_.flush();
    }

private:
    // The CSV row is appended field by field (this runs once per connection, and fmt's
    // runtime parsing of a 15-field format string was most of --summary's time).
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

    void write_csv_row(const ConversationSummary& s) {
        const auto& c = s.dir[0];
        const auto& v = s.dir[1];
        auto& out = out_.raw();
        append(out, FMT_COMPILE("{},"), s.id);
        append_csv_field(out, EndpointText(s.client).view());
        out.push_back(',');
        append_csv_field(out, EndpointText(s.server).view());
        append(out, FMT_COMPILE(",{},{},{},{},{},{},{},{},{},{},{},"), s.first_ts.count(), s.duration().count(),
               c.packets, v.packets, c.unique_bytes, v.unique_bytes, c.retransmitted_bytes + v.retransmitted_bytes,
               retransmissions(s), s.count(AnnotationCode::DuplicateAck), s.count(AnnotationCode::ZeroWindow),
               to_string(s.handshake));
        if (s.handshake_rtt) append_ms(out, s.handshake_rtt);
        append(out, FMT_COMPILE(",{},{},{},"), to_string(s.close),
               s.closed_by ? to_string(*s.closed_by) : std::string_view(), s.conn_state);
        append_csv_field(out, s.history);
        auto optional_number = [&out](const auto& o) {
            out.push_back(',');
            if (o) append_uint(out, *o);
        };
        optional_number(c.mss);
        optional_number(v.mss);
        optional_number(c.window_scale);
        optional_number(v.window_scale);
        append(out, FMT_COMPILE(",{},{},{},{},{},{}\n"), c.sack_permitted && v.sack_permitted,
               c.timestamps && v.timestamps, c.max_window, v.max_window, c.payload_bytes, v.payload_bytes);
    }

    OutputBuffer out_;
    bool csv_;
    MeasuredTable table_;
    fmt::memory_buffer scratch_;  // a cell formatted before it is added
};

}  // namespace

std::unique_ptr<EventSink> make_summary_renderer(OutputFormat format, std::FILE* out, const RenderOptions&) {
    return std::make_unique<SummaryRenderer>(out, format == OutputFormat::Csv);
}

}  // namespace tfx::render
