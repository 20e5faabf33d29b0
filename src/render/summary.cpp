// --summary: one row per connection, like Zeek's conn.log (text table or CSV; JSON and
// JSONL summaries are the JSON renderers with summary_only set).

#include <fmt/format.h>

#include "model/explain.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"

namespace tfx::render {

namespace {

std::uint32_t retransmissions(const ConversationSummary& s) {
    return s.count(AnnotationCode::Retransmission) + s.count(AnnotationCode::FastRetransmission) +
           s.count(AnnotationCode::SpuriousRetransmission);
}

std::string ms(const std::optional<Duration>& d) {
    return d ? fmt::format("{:.3f}", static_cast<double>(d->count()) / 1e6) : std::string("-");
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

class SummaryRenderer final : public EventSink {
public:
    SummaryRenderer(std::FILE* out, bool csv) : out_(out), csv_(csv) {}

    void capture_started(const CaptureInfo&) override {
        if (csv_) {
            out_.write("id,client,server,start_ns,duration_ns,client_packets,server_packets,client_bytes,server_bytes,"
                       "retransmitted_bytes,retransmissions,duplicate_acks,zero_windows,handshake,handshake_rtt_ms,"
                       "close,closed_by,conn_state,history,client_mss,server_mss,client_wscale,server_wscale,sack,"
                       "timestamps,max_window_client,max_window_server\n");
        } else {
            out_.print("{:>5}  {:<24} {:<24} {:>10} {:>7} {:>7} {:>10} {:>10} {:>6} {:<17} {:>9} {:<12} {:<7} {:<6} {}\n",
                       "id", "client", "server", "duration", "pkts>", "pkts<", "bytes>", "bytes<", "rexmt", "handshake",
                       "rtt_ms", "close", "by", "state", "history");
        }
    }
    void segment(const AnnotatedSegment&) override {}
    void conversation_closed(const ConversationSummary& s) override {
        const auto& c = s.dir[0];
        const auto& v = s.dir[1];
        const std::string by = s.closed_by ? std::string(to_string(*s.closed_by)) : "-";
        if (csv_) {
            auto opt = [](const auto& o) { return o ? fmt::format("{}", *o) : std::string(); };
            out_.print("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", s.id,
                       csv_field(s.client.to_string()), csv_field(s.server.to_string()), s.first_ts.count(),
                       s.duration().count(), c.packets, v.packets, c.payload_bytes, v.payload_bytes,
                       c.retransmitted_bytes + v.retransmitted_bytes, retransmissions(s),
                       s.count(AnnotationCode::DuplicateAck), s.count(AnnotationCode::ZeroWindow), to_string(s.handshake),
                       s.handshake_rtt ? ms(s.handshake_rtt) : "", to_string(s.close), s.closed_by ? by : "",
                       s.conn_state, csv_field(s.history), opt(c.mss), opt(v.mss), opt(c.window_scale),
                       opt(v.window_scale), c.sack_permitted && v.sack_permitted, c.timestamps && v.timestamps,
                       c.max_window, v.max_window);
        } else {
            out_.print("{:>5}  {:<24} {:<24} {:>10} {:>7} {:>7} {:>10} {:>10} {:>6} {:<17} {:>9} {:<12} {:<7} {:<6} {}\n",
                       s.id, s.client.to_string(), s.server.to_string(),
                       fmt::format("{:.6f}", static_cast<double>(s.duration().count()) / 1e9), c.packets, v.packets,
                       c.payload_bytes, v.payload_bytes, retransmissions(s), to_string(s.handshake),
                       ms(s.handshake_rtt), to_string(s.close), by, s.conn_state.empty() ? "-" : s.conn_state,
                       s.history.empty() ? "-" : s.history);
        }
    }
    void capture_finished(const CaptureSummary&) override { out_.flush(); }

private:
    OutputBuffer out_;
    bool csv_;
};

}  // namespace

std::unique_ptr<EventSink> make_summary_renderer(OutputFormat format, std::FILE* out, const RenderOptions&) {
    return std::make_unique<SummaryRenderer>(out, format == OutputFormat::Csv);
}

}  // namespace tfx::render

namespace tfx {

std::unique_ptr<EventSink> make_renderer(OutputFormat format, std::FILE* out, const RenderOptions& options) {
    switch (format) {
        case OutputFormat::Json: return render::make_json_renderer(out, options, false);
        case OutputFormat::Jsonl: return render::make_json_renderer(out, options, true);
        case OutputFormat::Dot:
            return options.talkers_graph ? render::make_talkers_renderer(out) : render::make_dot_renderer(out, options);
        case OutputFormat::Csv: return render::make_summary_renderer(format, out, options);
        case OutputFormat::Text: break;
    }
    if (options.summary_only) return render::make_summary_renderer(format, out, options);
    return render::make_text_renderer(out, options);
}

}  // namespace tfx
