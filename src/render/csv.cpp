// --format csv: one row per connection, like Zeek's conn.log, for spreadsheets and scripts:
// addresses and ports in their own columns, each column's time unit in its name, and an
// empty field where the capture cannot know.

#include <fmt/compile.h>
#include <fmt/format.h>

#include <array>
#include <optional>
#include <string_view>

#include "render/conversation_counts.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/text_format.hpp"
#include "text/address.hpp"

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

// The header: the order and names are part of the output's contract, documented with the
// JSON Schema ($defs/csv_row in docs/schema.json, whose version they share).
constexpr std::string_view kHeader =
    "id,client_ip,client_port,server_ip,server_port,start_epoch_s,duration_s,client_packets,server_packets,"
    "client_bytes,server_bytes,retransmitted_bytes,retransmissions,duplicate_acks,zero_windows,handshake,"
    "handshake_rtt_ms,close,closed_by,conn_state,history,client_mss,server_mss,client_wscale,server_wscale,"
    "window_scaling,sack,timestamps,client_max_window,server_max_window,client_payload_bytes,"
    "server_payload_bytes\n";

// Whether both SYNs offered an option (RFC 7323 section 2.2 and 3.2, RFC 2018 section 2: it is
// in use only then): known "false" once a SYN of either side was seen without it, known "true"
// when both were seen with it, unknown (empty) otherwise, as when the capture began mid-stream.
template <typename Offered>
std::optional<bool> negotiated(const DirectionStats& c, const DirectionStats& s, Offered offered) {
    const bool client_seen = c.syns > 0;
    const bool server_seen = s.syns > 0;
    if ((client_seen && !offered(c)) || (server_seen && !offered(s))) return false;
    if (client_seen && server_seen) return true;
    return std::nullopt;
}

void append_address(fmt::memory_buffer& out, const IpAddress& address) {
    std::array<char, text::kAddressRoom> room{};
    append(out, std::string_view(room.data(),
                                 static_cast<std::size_t>(text::write_address(room.data(), address) - room.data())));
}

class CsvRenderer final : public EventSink {
public:
    explicit CsvRenderer(std::FILE* out) : out_(out) {}

    void capture_started(const CaptureInfo&) override { out_.write(kHeader); }
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
        append_address(out, s.client.addr);
        append(out, FMT_COMPILE(",{},"), s.client.port);
        append_address(out, s.server.addr);
        append(out, FMT_COMPILE(",{},"), s.server.port);
        append_fixed(out, s.first_ts.count(), 1'000'000'000, 9);  // exact, beyond a double's digits
        out.push_back(',');
        append_fixed(out, s.duration().count(), 1'000'000'000, 9);
        append(out, FMT_COMPILE(",{},{},{},{},{},{},{},{},{},"), c.packets, v.packets, c.unique_bytes, v.unique_bytes,
               c.retransmitted_bytes + v.retransmitted_bytes, retransmissions(s), s.count(AnnotationCode::DuplicateAck),
               s.count(AnnotationCode::ZeroWindow), to_string(s.handshake));
        if (s.handshake_rtt) append_fixed(out, s.handshake_rtt->count(), 1'000'000, 3);
        append(out, FMT_COMPILE(",{},{},{},"), to_string(s.close),
               s.closed_by ? to_string(*s.closed_by) : std::string_view(), s.conn_state);
        append_csv_field(out, s.history);
        auto optional_number = [&out](const auto& o) {
            out.push_back(',');
            if (o) append_uint(out, *o);
        };
        auto optional_bool = [&out](std::optional<bool> o) {
            out.push_back(',');
            if (o) append(out, *o ? std::string_view("true") : std::string_view("false"));
        };
        optional_number(c.mss);
        optional_number(v.mss);
        optional_number(c.window_scale);
        optional_number(v.window_scale);
        optional_bool(negotiated(c, v, [](const DirectionStats& d) { return d.window_scale.has_value(); }));
        optional_bool(negotiated(c, v, [](const DirectionStats& d) { return d.sack_permitted; }));
        optional_bool(negotiated(c, v, [](const DirectionStats& d) { return d.timestamps; }));
        append(out, FMT_COMPILE(",{},{},{},{}\n"), c.max_window, v.max_window, c.payload_bytes, v.payload_bytes);
    }

    OutputBuffer out_;
};

}  // namespace

std::unique_ptr<EventSink> make_csv_renderer(std::FILE* out) { return std::make_unique<CsvRenderer>(out); }

}  // namespace tfx::render
