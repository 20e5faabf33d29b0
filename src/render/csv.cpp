// --format csv: one row per connection, like Zeek's conn.log, for spreadsheets and scripts.

#include <fmt/compile.h>
#include <fmt/format.h>

#include "render/conversation_counts.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

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

class CsvRenderer final : public EventSink {
public:
    explicit CsvRenderer(std::FILE* out) : out_(out) {}

    void capture_started(const CaptureInfo&) override {
        out_.write(
            "id,client,server,start_ns,duration_ns,client_packets,server_packets,client_bytes,server_bytes,"
            "retransmitted_bytes,retransmissions,duplicate_acks,zero_windows,handshake,handshake_rtt_ms,"
            "close,closed_by,conn_state,history,client_mss,server_mss,client_wscale,server_wscale,sack,"
            "timestamps,max_window_client,max_window_server,client_payload_bytes,server_payload_bytes\n");
    }
    void segment(const AnnotatedSegment&) override {}
    bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& s) override {
        write_row(s);
        out_.end_piece();
    }
    // A CSV stays rows only: stderr and the exit status say when it is incomplete.
    void capture_finished(const CaptureSummary&) override { out_.flush(); }

private:
    // The row is appended field by field (this runs once per connection, and fmt's
    // runtime parsing of a 15-field format string was most of --summary's time).
    void write_row(const ConversationSummary& s) {
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
        if (s.handshake_rtt) append_fixed(out, s.handshake_rtt->count(), 1'000'000, 3);
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
};

}  // namespace

std::unique_ptr<EventSink> make_csv_renderer(std::FILE* out) { return std::make_unique<CsvRenderer>(out); }

}  // namespace tfx::render
