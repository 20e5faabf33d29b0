#include "render/json_model.hpp"

#include <fmt/format.h>

#include "model/explain.hpp"
#include "tfx/version.hpp"

namespace tfx::render {

namespace {

Json options_json(const TcpOptions& o, std::uint32_t sack_base) {
    Json arr = Json::array();
    bool sack_done = false;
    for (int i = 0; i < o.count; ++i) {
        const auto kind = o.kinds[static_cast<std::size_t>(i)];
        Json e;
        switch (kind) {
            case tcpopt::kEol: e["kind"] = "eol"; break;
            case tcpopt::kNop: e["kind"] = "nop"; break;
            case tcpopt::kMss:
                e["kind"] = "mss";
                if (o.mss) e["value"] = *o.mss;
                break;
            case tcpopt::kWindowScale:
                e["kind"] = "window_scale";
                if (o.window_scale) e["shift"] = *o.window_scale;
                break;
            case tcpopt::kSackPermitted: e["kind"] = "sack_permitted"; break;
            case tcpopt::kSack: {
                e["kind"] = "sack";
                if (sack_done) break;
                sack_done = true;
                Json blocks = Json::array();
                for (int b = 0; b < o.sack_count; ++b) {
                    const auto& blk = o.sack[static_cast<std::size_t>(b)];
                    blocks.push_back({blk.left - sack_base, blk.right - sack_base});
                }
                e["blocks"] = std::move(blocks);
                break;
            }
            case tcpopt::kTimestamps:
                e["kind"] = "timestamps";
                if (o.timestamps) {
                    e["value"] = o.timestamps->value;
                    e["echo_reply"] = o.timestamps->echo_reply;
                }
                break;
            case tcpopt::kMd5: e["kind"] = "md5"; break;
            case tcpopt::kAuthentication: e["kind"] = "tcp_ao"; break;
            case tcpopt::kMptcp: e["kind"] = "mptcp"; break;
            case tcpopt::kFastOpen:
                e["kind"] = "fast_open";
                e["cookie_len"] = o.fast_open_cookie_len;
                break;
            default:
                if (kind == tcpopt::kExperimental && o.fast_open) {
                    e["kind"] = "fast_open";
                    e["cookie_len"] = o.fast_open_cookie_len;
                    e["experimental"] = true;
                } else {
                    e["kind"] = "unknown";
                    e["number"] = kind;
                }
                break;
        }
        arr.push_back(std::move(e));
    }
    return arr;
}

std::string hex(std::span<const std::byte> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) out += fmt::format("{:02x}", static_cast<unsigned>(b));
    return out;
}

Json direction_json(const DirectionStats& d) {
    Json j;
    j["packets"] = d.packets;
    j["payload_bytes"] = d.payload_bytes;
    j["unique_bytes"] = d.unique_bytes;
    j["retransmitted_bytes"] = d.retransmitted_bytes;
    j["wire_bytes"] = d.wire_bytes;
    j["mss"] = d.mss ? Json(*d.mss) : Json(nullptr);
    j["window_scale"] = d.window_scale ? Json(*d.window_scale) : Json(nullptr);
    j["sack_permitted"] = d.sack_permitted;
    j["timestamps"] = d.timestamps;
    j["max_window"] = d.max_window;
    j["zero_windows"] = d.zero_windows;
    j["syns"] = d.syns;
    j["fins"] = d.fins;
    j["rsts"] = d.rsts;
    j["final_state"] = to_string(d.final_state);
    Json rtt;
    rtt["samples"] = d.rtt_samples;
    if (d.rtt_samples) {
        rtt["min_ns"] = d.rtt_min.count();
        rtt["avg_ns"] = d.rtt_sum.count() / d.rtt_samples;
        rtt["max_ns"] = d.rtt_max.count();
    }
    j["ack_rtt"] = std::move(rtt);
    return j;
}

Json optional_ns(const std::optional<Duration>& d) { return d ? Json(d->count()) : Json(nullptr); }

}  // namespace

Json segment_json(const AnnotatedSegment& s, const RenderOptions& o) {
    Json j;
    j["frame"] = s.frame;
    j["ts_ns"] = s.ts.count();
    if (!s.has_tcp) {
        j["conversation"] = nullptr;
        j["malformed"] = true;
        if (s.ip_version) {
            j["src"] = s.src.to_string();
            j["dst"] = s.dst.to_string();
        }
        Json notes = Json::array();
        for (const auto& a : s.notes()) {
            Json n;
            n["code"] = code_name(a.code);
            n["severity"] = severity_name(code_severity(a.code));
            n["text"] = model::explain_annotation(a, s);
            notes.push_back(std::move(n));
        }
        j["annotations"] = std::move(notes);
        return j;
    }
    j["conversation"] = s.conversation;
    j["since_start_ns"] = s.since_start.count();
    j["sender"] = to_string(s.sender);
    j["src"] = s.src.to_string();
    j["dst"] = s.dst.to_string();
    j["flags"] = flags_to_words(s.flags);
    j["flags_short"] = flags_to_tcpdump(s.flags);
    j["seq"] = o.absolute_seq ? s.seq : s.rel_seq;
    j["ack"] = o.absolute_seq ? s.ack : s.rel_ack;
    j["seq_raw"] = s.seq;
    j["ack_raw"] = s.ack;
    j["len"] = s.payload_len;
    if (s.payload_captured != s.payload_len) j["len_captured"] = s.payload_captured;
    j["window"] = s.window;
    j["window_raw"] = s.window_raw;
    j["window_scaled"] = s.window_scaled;
    j["options"] = options_json(s.options, o.absolute_seq ? 0 : s.ack - s.rel_ack);
    j["meaning"] = model::meaning_name(s.meaning);
    j["explanation"] = model::explain_segment(s);
    if (s.phase != Phase::None) {
        j["phase"] = model::phase_name(s.phase);
        j["step"] = s.step;
        j["steps"] = s.steps ? Json(s.steps) : Json(nullptr);
    }
    Json changes = Json::array();
    for (const auto& c : s.state_changes())
        changes.push_back({{"endpoint", to_string(c.endpoint)}, {"from", to_string(c.from)}, {"to", to_string(c.to)}});
    j["state_changes"] = std::move(changes);
    Json notes = Json::array();
    for (const auto& a : s.notes()) {
        Json n;
        n["code"] = code_name(a.code);
        n["severity"] = severity_name(code_severity(a.code));
        if (a.related) n["related_frame"] = a.related;
        n["a"] = a.a;
        n["b"] = a.b;
        n["text"] = model::explain_annotation(a, s);
        notes.push_back(std::move(n));
    }
    j["annotations"] = std::move(notes);
    if (s.ack_rtt) j["ack_rtt_ns"] = s.ack_rtt->count();
    if (s.acks_frame) j["acks_frame"] = s.acks_frame;
    if (s.bytes_in_flight) j["bytes_in_flight"] = *s.bytes_in_flight;
    if (o.payload != PayloadMode::None && !s.payload.empty()) j["payload_hex"] = hex(s.payload);
    return j;
}

Json conversation_json(const ConversationSummary& s) {
    Json j;
    j["id"] = s.id;
    j["client"] = s.client.to_string();
    j["server"] = s.server.to_string();
    j["roles_inferred"] = s.roles_inferred;
    if (s.key.vlan) j["vlan"] = s.key.vlan;
    j["first_frame"] = s.first_frame;
    j["last_frame"] = s.last_frame;
    j["start_ns"] = s.first_ts.count();
    j["duration_ns"] = s.duration().count();
    j["handshake"] = to_string(s.handshake);
    j["handshake_rtt_ns"] = optional_ns(s.handshake_rtt);
    j["syn_to_synack_ns"] = optional_ns(s.syn_to_synack);
    j["synack_to_ack_ns"] = optional_ns(s.synack_to_ack);
    j["close"] = to_string(s.close);
    j["closed_by"] = s.closed_by ? Json(to_string(*s.closed_by)) : Json(nullptr);
    j["data_after_close"] = s.data_after_close;
    j["end_reason"] = s.end_reason;
    j["conn_state"] = s.conn_state;
    j["history"] = s.history;
    j["client_to_server"] = direction_json(s.dir[0]);
    j["server_to_client"] = direction_json(s.dir[1]);
    Json counts = Json::object();
    for (int i = 0; i < kAnnotationCodeCount; ++i)
        if (s.counts[static_cast<std::size_t>(i)])
            counts[std::string(code_name(static_cast<AnnotationCode>(i)))] = s.counts[static_cast<std::size_t>(i)];
    j["findings"] = std::move(counts);
    j["summary"] = model::explain_conversation(s);
    return j;
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
