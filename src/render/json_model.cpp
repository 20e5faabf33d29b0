#include "render/json_model.hpp"

#include <fmt/format.h>

#include "model/explain.hpp"
#include "render/text_format.hpp"
#include "tfx/version.hpp"

namespace tfx::render {

namespace {

void write_options(JsonWriter& w, const TcpOptions& o, std::uint32_t sack_base) {
    w.begin_array();
    bool sack_done = false;
    for (int i = 0; i < o.count; ++i) {
        const auto kind = o.kinds[static_cast<std::size_t>(i)];
        w.begin_object();
        switch (kind) {
            case tcpopt::kEol: w.key("kind").plain_value("eol"); break;
            case tcpopt::kNop: w.key("kind").plain_value("nop"); break;
            case tcpopt::kMss:
                w.key("kind").plain_value("mss");
                if (o.mss) w.key("value").value(*o.mss);
                break;
            case tcpopt::kWindowScale:
                w.key("kind").plain_value("window_scale");
                if (o.window_scale) w.key("shift").value(*o.window_scale);
                break;
            case tcpopt::kSackPermitted: w.key("kind").plain_value("sack_permitted"); break;
            case tcpopt::kSack: {
                w.key("kind").plain_value("sack");
                if (sack_done) break;
                sack_done = true;
                w.key("blocks").begin_array();
                for (int b = 0; b < o.sack_count; ++b) {
                    const auto& blk = o.sack[static_cast<std::size_t>(b)];
                    w.begin_array();
                    w.value(blk.left - sack_base);
                    w.value(blk.right - sack_base);
                    w.end_array();
                }
                w.end_array();
                break;
            }
            case tcpopt::kTimestamps:
                w.key("kind").plain_value("timestamps");
                if (o.timestamps) {
                    w.key("value").value(o.timestamps->value);
                    w.key("echo_reply").value(o.timestamps->echo_reply);
                }
                break;
            case tcpopt::kMd5: w.key("kind").plain_value("md5"); break;
            case tcpopt::kAuthentication: w.key("kind").plain_value("tcp_ao"); break;
            case tcpopt::kMptcp: w.key("kind").plain_value("mptcp"); break;
            case tcpopt::kFastOpen:
                w.key("kind").plain_value("fast_open");
                w.key("cookie_len").value(o.fast_open_cookie_len);
                break;
            default:
                if (kind == tcpopt::kExperimental && o.fast_open) {
                    w.key("kind").plain_value("fast_open");
                    w.key("cookie_len").value(o.fast_open_cookie_len);
                    w.key("experimental").value(true);
                } else {
                    w.key("kind").plain_value("unknown");
                    w.key("number").value(kind);
                }
                break;
        }
        w.end_object();
    }
    w.end_array();
}

void write_direction(JsonWriter& w, const DirectionStats& d) {
    w.begin_object();
    w.key("packets").value(d.packets);
    w.key("payload_bytes").value(d.payload_bytes);
    w.key("unique_bytes").value(d.unique_bytes);
    w.key("retransmitted_bytes").value(d.retransmitted_bytes);
    w.key("wire_bytes").value(d.wire_bytes);
    w.key("mss").value(d.mss);
    w.key("window_scale").value(d.window_scale);
    w.key("sack_permitted").value(d.sack_permitted);
    w.key("timestamps").value(d.timestamps);
    w.key("max_window").value(d.max_window);
    w.key("zero_windows").value(d.zero_windows);
    w.key("syns").value(d.syns);
    w.key("fins").value(d.fins);
    w.key("rsts").value(d.rsts);
    w.key("final_state").plain_value(to_string(d.final_state));
    w.key("ack_rtt").begin_object();
    w.key("samples").value(d.rtt_samples);
    if (d.rtt_samples) {
        w.key("min_ns").value(d.rtt_min.count());
        w.key("avg_ns").value(d.rtt_sum.count() / d.rtt_samples);
        w.key("max_ns").value(d.rtt_max.count());
    }
    w.end_object();
    w.key("reordered_segments").value(d.reordered_segments);
    w.key("gaps_filled_by_reordering").value(d.gaps_filled_by_reordering);
    w.key("capture_drops").value(d.capture_drops);
    w.key("capture_dropped_bytes").value(d.capture_dropped_bytes);
    w.key("stalls").value(d.stalls);
    w.key("stall_time_ns").value(d.stall_time.count());
    w.end_object();
}

void write_optional_ns(JsonWriter& w, const std::optional<Duration>& d) {
    if (d) w.value(d->count());
    else w.null();
}

}  // namespace

void write_segment_fields(JsonWriter& w, const AnnotatedSegment& s, const RenderOptions& o) {
    w.key("frame").value(s.frame);
    w.key("ts_ns").value(s.ts.count());
    if (!s.has_tcp) {
        w.key("conversation").null();
        w.key("malformed").value(true);
        if (s.ip_version) {
            w.key("src").plain_value(EndpointText(s.src).view());
            w.key("dst").plain_value(EndpointText(s.dst).view());
        }
        w.key("annotations").begin_array();
        for (const auto& a : s.notes()) {
            w.begin_object();
            w.key("code").plain_value(code_name(a.code));
            w.key("severity").plain_value(severity_name(code_severity(a.code)));
            w.key("text").formatted_value([&](fmt::memory_buffer& out) { model::append_annotation_explanation(out, a, s); });
            w.end_object();
        }
        w.end_array();
        return;
    }
    w.key("conversation").value(s.conversation);
    w.key("since_start_ns").value(s.since_start.count());
    w.key("sender").plain_value(to_string(s.sender));
    w.key("src").plain_value(EndpointText(s.src).view());
    w.key("dst").plain_value(EndpointText(s.dst).view());
    w.key("flags").plain_value(flags_words(s.flags));
    w.key("flags_short").plain_value(flags_short(s.flags));
    w.key("seq").value(o.absolute_seq ? s.seq : s.rel_seq);
    w.key("ack").value(o.absolute_seq ? s.ack : s.rel_ack);
    w.key("seq_raw").value(s.seq);
    w.key("ack_raw").value(s.ack);
    w.key("len").value(s.payload_len);
    if (s.payload_captured != s.payload_len) w.key("len_captured").value(s.payload_captured);
    w.key("window").value(s.window);
    w.key("window_raw").value(s.window_raw);
    w.key("window_scaled").value(s.window_scaled);
    w.key("options");
    write_options(w, s.options, o.absolute_seq ? 0 : s.ack - s.rel_ack);
    w.key("meaning").plain_value(model::meaning_name(s.meaning));
    w.key("explanation").formatted_value([&s](fmt::memory_buffer& out) { model::append_segment_explanation(out, s); });
    if (s.phase != Phase::None) {
        w.key("phase").plain_value(model::phase_name(s.phase));
        w.key("step").value(s.step);
        w.key("steps");
        if (s.steps) w.value(s.steps);
        else w.null();
    }
    w.key("state_changes").begin_array();
    for (const auto& c : s.state_changes()) {
        w.begin_object();
        w.key("endpoint").plain_value(to_string(c.endpoint));
        w.key("from").plain_value(to_string(c.from));
        w.key("to").plain_value(to_string(c.to));
        w.end_object();
    }
    w.end_array();
    w.key("annotations").begin_array();
    for (const auto& a : s.notes()) {
        w.begin_object();
        w.key("code").plain_value(code_name(a.code));
        w.key("severity").plain_value(severity_name(code_severity(a.code)));
        if (a.related) w.key("related_frame").value(a.related);
        w.key("a").value(a.a);
        w.key("b").value(a.b);
        w.key("text").formatted_value([&](fmt::memory_buffer& out) { model::append_annotation_explanation(out, a, s); });
        w.end_object();
    }
    w.end_array();
    if (s.ack_rtt) w.key("ack_rtt_ns").value(s.ack_rtt->count());
    if (s.acks_frame) w.key("acks_frame").value(s.acks_frame);
    if (s.bytes_in_flight) w.key("bytes_in_flight").value(*s.bytes_in_flight);
    if (o.payload != PayloadMode::None && !s.payload.empty()) w.key("payload_hex").hex_value(s.payload);
}

void write_conversation_fields(JsonWriter& w, const ConversationSummary& s) {
    w.key("id").value(s.id);
    w.key("client").plain_value(EndpointText(s.client).view());
    w.key("server").plain_value(EndpointText(s.server).view());
    w.key("roles_inferred").value(s.roles_inferred);
    if (s.key.vlan) w.key("vlan").value(s.key.vlan);
    w.key("first_frame").value(s.first_frame);
    w.key("last_frame").value(s.last_frame);
    w.key("start_ns").value(s.first_ts.count());
    w.key("duration_ns").value(s.duration().count());
    w.key("handshake").plain_value(to_string(s.handshake));
    w.key("handshake_rtt_ns");
    write_optional_ns(w, s.handshake_rtt);
    w.key("syn_to_synack_ns");
    write_optional_ns(w, s.syn_to_synack);
    w.key("synack_to_ack_ns");
    write_optional_ns(w, s.synack_to_ack);
    w.key("vantage").plain_value(to_string(s.vantage));
    w.key("time_to_first_byte_ns");
    write_optional_ns(w, s.time_to_first_byte);
    w.key("exchanges").value(s.exchanges);
    w.key("server_think_avg_ns");
    write_optional_ns(w, s.exchanges ? std::optional<Duration>(s.server_think_sum / s.exchanges) : std::nullopt);
    w.key("server_think_max_ns");
    write_optional_ns(w, s.exchanges ? std::optional<Duration>(s.server_think_max) : std::nullopt);
    w.key("close").plain_value(to_string(s.close));
    w.key("closed_by");
    if (s.closed_by) w.value(to_string(*s.closed_by));
    else w.null();
    w.key("data_after_close").value(s.data_after_close);
    w.key("end_reason").value(s.end_reason);
    w.key("conn_state").value(s.conn_state);
    w.key("history").value(s.history);
    w.key("client_to_server");
    write_direction(w, s.dir[0]);
    w.key("server_to_client");
    write_direction(w, s.dir[1]);
    w.key("findings").begin_object();
    for (int i = 0; i < kAnnotationCodeCount; ++i)
        if (s.counts[static_cast<std::size_t>(i)])
            w.key(code_name(static_cast<AnnotationCode>(i))).value(s.counts[static_cast<std::size_t>(i)]);
    w.end_object();
    w.key("summary").formatted_value([&s](fmt::memory_buffer& out) { model::append_conversation_explanation(out, s); });
}

Json capture_info_json(const CaptureInfo& c) {
    Json j;
    j["source"] = c.source;
    j["live"] = c.live;
    j["format"] = c.format;
    j["filter"] = c.filter;
    Json lt = Json::array();
    for (int t : c.link_types) lt.push_back(link_type_name(t));
    j["link_types"] = std::move(lt);
    j["snaplen"] = c.snaplen;
    return j;
}

Json capture_summary_json(const CaptureSummary& c) {
    Json j;
    j["frames"] = c.frames;
    j["tcp_segments"] = c.tcp_segments;
    j["non_tcp"] = c.non_tcp;
    j["non_ip"] = c.non_ip;
    j["malformed"] = c.malformed;
    j["fragments"] = c.fragments;
    j["conversations"] = c.conversations;
    j["expired"] = c.expired;
    j["evicted"] = c.evicted;
    j["peak_alive"] = c.peak_alive;
    Json bursts = Json::array();
    for (const auto& b : c.drop_bursts) {
        bursts.push_back({{"first_frame", b.first_frame},
                          {"last_frame", b.last_frame},
                          {"first_ts_ns", b.first_ts.count()},
                          {"last_ts_ns", b.last_ts.count()},
                          {"findings", b.findings},
                          {"bytes", b.bytes},
                          {"connections", b.connections}});
    }
    j["capture_drops"] = {{"findings", c.capture_drops},
                          {"bytes", c.capture_dropped_bytes},
                          {"bursts", c.capture_drop_bursts},
                          {"first_bursts", std::move(bursts)}};
    j["truncated"] = c.truncated;
    if (c.truncated) j["truncation_message"] = c.truncation_message;
    if (c.kernel_received) {
        j["kernel"] = {{"received", *c.kernel_received},
                       {"dropped", c.kernel_dropped.value_or(0)},
                       {"interface_dropped", c.interface_dropped.value_or(0)}};
    }
    return j;
}

}  // namespace tfx::render
