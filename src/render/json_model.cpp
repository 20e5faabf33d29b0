#include "render/json_model.hpp"

#include <fmt/format.h>

#include <string_view>
#include <type_traits>

#include "analysis/diagnosis.hpp"
#include "content/describe.hpp"
#include "content/hint_fields.hpp"
#include "explain/diagnosis_text.hpp"
#include "explain/explain.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"
#include "tfx/version.hpp"

namespace tfx::render {

namespace {

// The explanations speak the numbering the seq and ack fields use.
explain::Numbering numbering(const RenderOptions& o) {
    return o.absolute_seq ? explain::Numbering::Absolute : explain::Numbering::Relative;
}

template <typename Writer>
void write_options(Writer& w, const TcpOptions& o, std::uint32_t sack_base) {
    w.begin_array();
    bool sack_done = false;
    for (int i = 0; i < o.count; ++i) {
        const auto kind = o.kinds[static_cast<std::size_t>(i)];
        w.begin_object();
        switch (kind) {
            case tcpopt::kEol: w.plain_member("kind", "eol"); break;
            case tcpopt::kNop: w.plain_member("kind", "nop"); break;
            case tcpopt::kMss:
                w.plain_member("kind", "mss");
                if (o.mss) w.member("value", *o.mss);
                break;
            case tcpopt::kWindowScale:
                w.plain_member("kind", "window_scale");
                if (o.window_scale) w.member("shift", *o.window_scale);
                break;
            case tcpopt::kSackPermitted: w.plain_member("kind", "sack_permitted"); break;
            case tcpopt::kSack: {
                w.plain_member("kind", "sack");
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
                w.plain_member("kind", "timestamps");
                if (o.timestamps) {
                    w.member("value", o.timestamps->value);
                    w.member("echo_reply", o.timestamps->echo_reply);
                }
                break;
            case tcpopt::kMd5: w.key("kind").plain_value("md5"); break;
            case tcpopt::kAuthentication: w.plain_member("kind", "tcp_ao"); break;
            case tcpopt::kMptcp: w.plain_member("kind", "mptcp"); break;
            case tcpopt::kFastOpen:
                w.plain_member("kind", "fast_open");
                w.member("cookie_len", o.fast_open_cookie_len);
                break;
            default:
                if (kind == tcpopt::kExperimental && o.fast_open) {
                    w.plain_member("kind", "fast_open");
                    w.member("cookie_len", o.fast_open_cookie_len);
                    w.member("experimental", true);
                } else {
                    w.plain_member("kind", "unknown");
                    w.member("number", kind);
                }
                break;
        }
        w.end_object();
    }
    w.end_array();
}

// One direction's numbers. `segment_rtt` is the RTT of this direction's segments (data, SYN,
// FIN), from a segment to the peer's ACK of it (Karn's rule): the peer's ACK samples.
template <typename Writer>
void write_direction(Writer& w, const DirectionStats& d, const DirectionStats& peer) {
    w.begin_object();
    w.member("packets", d.packets);
    w.member("payload_bytes", d.payload_bytes);
    w.member("unique_bytes", d.unique_bytes);
    w.member("retransmitted_bytes", d.retransmitted_bytes);
    w.member("wire_bytes", d.wire_bytes);
    w.key("mss").value(d.mss);
    w.key("window_scale").value(d.window_scale);
    w.member("sack_permitted", d.sack_permitted);
    w.member("timestamps", d.timestamps);
    w.member("max_window", d.max_window);
    w.member("zero_windows", d.zero_windows);
    w.member("syns", d.syns);
    w.member("fins", d.fins);
    w.member("rsts", d.rsts);
    w.plain_member("final_state", to_string(d.final_state));
    w.key("segment_rtt").begin_object();
    w.member("samples", peer.rtt_samples);
    if (peer.rtt_samples) {
        w.member("min_ns", peer.rtt_min.count());
        w.member("avg_ns", peer.rtt_sum.count() / peer.rtt_samples);
        w.member("max_ns", peer.rtt_max.count());
    }
    w.end_object();
    w.member("reordered_segments", d.reordered_segments);
    w.member("gaps_opened", d.gaps_opened);
    w.member("gaps_filled_by_reordering", d.gaps_filled_by_reordering);
    w.member("gaps_filled_by_retransmission", d.gaps_filled_by_retransmission);
    w.member("capture_drops", d.capture_drops);
    w.member("capture_dropped_bytes", d.capture_dropped_bytes);
    w.member("stalls", d.stalls);
    w.member("stall_time_ns", d.stall_time.count());
    w.end_object();
}

// A segment's part in its stream (docs/streams.md, "--reassemble"): offset, end and new
// always, the other counts only when not zero.
template <typename Writer>
void write_segment_stream(Writer& w, const SegmentStream& st) {
    w.begin_object();
    w.member("offset", st.offset);
    w.member("end", st.end);
    w.member("new", st.new_bytes);
    if (st.duplicate_bytes) w.member("duplicate", st.duplicate_bytes);
    if (st.overlapping_bytes) w.member("overlapping", st.overlapping_bytes);
    if (st.inconsistent_bytes) w.member("inconsistent", st.inconsistent_bytes);
    if (st.uncompared_bytes) w.member("uncompared", st.uncompared_bytes);
    if (st.cut_bytes) w.member("cut", st.cut_bytes);
    if (st.beyond_fin_bytes) w.member("beyond_fin", st.beyond_fin_bytes);
    if (st.before_start_bytes) w.member("before_start", st.before_start_bytes);
    w.end_object();
}

template <typename Writer>
void write_stream_stats(Writer& w, const StreamStats& st) {
    w.begin_object();
    w.member("delivered_bytes", st.delivered_bytes);
    w.member("missing_bytes", st.missing_bytes);
    w.member("missing_ranges", st.missing_ranges);
    w.member("duplicate_bytes", st.duplicate_bytes);
    w.member("overlapping_bytes", st.overlapping_bytes);
    w.member("inconsistent_retransmissions", st.inconsistent_retransmissions);
    w.member("inconsistent_bytes", st.inconsistent_bytes);
    w.member("beyond_fin_bytes", st.beyond_fin_bytes);
    w.member("before_start_bytes", st.before_start_bytes);
    w.end_object();
}

template <typename Writer>
void write_optional_ns(Writer& w, const std::optional<Duration>& d) {
    if (d)
        w.value(d->count());
    else
        w.null();
}

// A text from the wire, escaped as content::append_shown_text() shows it.
template <typename Writer>
void write_wire_text(Writer& w, std::string_view bytes) {
    w.formatted_value([&](auto& out) { content::append_shown_text(out, bytes); });
}

// A content hint as an object of its named fields (content/hint_fields.hpp).
template <typename Writer>
void write_content_hint(Writer& w, const content::ContentHint& hint) {
    w.begin_object();
    content::for_each_hint_field(hint, [&](std::string_view name, const auto& value) {
        using Value = std::decay_t<decltype(value)>;
        w.key(name);
        if constexpr (std::is_same_v<Value, std::string_view>) {
            w.plain_value(value);
        } else if constexpr (std::is_same_v<Value, content::WireText>) {
            write_wire_text(w, value.bytes);
        } else if constexpr (std::is_same_v<Value, std::uint64_t>) {
            w.value(value);
        } else if constexpr (std::is_same_v<Value, content::FlagField>) {
            w.value(true);
        } else if constexpr (std::is_same_v<Value, content::TlsVersionField>) {
            w.plain_value(content::tls_version_name(value.version));
        } else {
            static_assert(std::is_same_v<Value, content::AlpnField>);
            w.begin_array();
            for (const content::BoundedText& item : value.names) write_wire_text(w, item.bytes);
            w.end_array();
        }
    });
    w.end_object();
}

// "content": {"client": {...}, "server": {...}} with the sides whose hint is known; nothing
// when neither is.
template <typename Writer>
void write_conversation_content(Writer& w, const ConversationSummary& s) {
    const auto hint = [&](std::size_t side) -> const content::ContentHint& {
        return content::hint_of(s.content_hints.get(), side);
    };
    const auto known = [&](std::size_t side) { return hint(side).kind != content::Kind::Unknown; };
    if (!known(0) && !known(1)) return;
    w.key("content").begin_object();
    for (std::size_t side = 0; side < 2; ++side) {
        if (!known(side)) continue;
        w.key(side == 0 ? "client" : "server");
        write_content_hint(w, hint(side));
    }
    w.end_object();
}

}  // namespace

template <typename Writer>
void write_segment_fields(Writer& w, const AnnotatedSegment& s, const RenderOptions& o, const FrameFiles* files) {
    w.member("frame", s.frame);
    if (files != nullptr) w.member("file", files->file_of(s.frame));
    w.member("ts_ns", s.ts.count());
    if (!s.has_tcp) {
        w.key("conversation").null();
        w.member("malformed", true);
        if (s.ip_version) {
            w.plain_member("src", EndpointText(s.src).view());
            w.plain_member("dst", EndpointText(s.dst).view());
        }
        w.key("annotations").begin_array();
        for (const auto& a : s.notes()) {
            w.begin_object();
            w.plain_member("code", code_name(a.code));
            w.plain_member("severity", severity_name(code_severity(a.code)));
            w.key("text").formatted_value([&](fmt::memory_buffer& out) {
                explain::append_annotation_explanation(out, a, s, numbering(o), o.language);
            });
            w.end_object();
        }
        w.end_array();
        return;
    }
    w.member("conversation", s.conversation);
    w.member("since_start_ns", s.since_start.count());
    w.plain_member("sender", to_string(s.sender));
    w.plain_member("src", EndpointText(s.src).view());
    w.plain_member("dst", EndpointText(s.dst).view());
    w.plain_member("flags", flags_words(s.flags));
    w.plain_member("flags_short", flags_short(s.flags));
    w.member("seq", o.absolute_seq ? s.seq : s.rel_seq);
    w.member("ack", o.absolute_seq ? s.ack : s.rel_ack);
    w.member("seq_raw", s.seq);
    w.member("ack_raw", s.ack);
    w.member("len", s.payload_len);
    if (s.payload_captured != s.payload_len) w.member("len_captured", s.payload_captured);
    w.member("window", s.window);
    w.member("window_raw", s.window_raw);
    w.member("window_scaled", s.window_scaled);
    w.key("options");
    write_options(w, s.options, o.absolute_seq ? 0 : s.ack - s.rel_ack);
    w.plain_member("meaning", explain::meaning_name(s.meaning));
    w.key("explanation").formatted_value([&](fmt::memory_buffer& out) {
        explain::append_segment_explanation(out, s, numbering(o), o.language);
    });
    if (s.phase != Phase::None) {
        w.plain_member("phase", explain::phase_name(s.phase));
        w.member("step", s.step);
        w.key("steps");
        if (s.steps)
            w.value(s.steps);
        else
            w.null();
    }
    w.key("state_changes").begin_array();
    for (const auto& c : s.state_changes()) {
        w.begin_object();
        w.plain_member("endpoint", to_string(c.endpoint));
        w.plain_member("from", to_string(c.from));
        w.plain_member("to", to_string(c.to));
        w.end_object();
    }
    w.end_array();
    w.key("annotations").begin_array();
    for (const auto& a : s.notes()) {
        w.begin_object();
        w.plain_member("code", code_name(a.code));
        w.plain_member("severity", severity_name(code_severity(a.code)));
        if (a.related) w.member("related_frame", a.related);
        w.member("a", a.a);
        w.member("b", a.b);
        w.key("text").formatted_value([&](fmt::memory_buffer& out) {
            explain::append_annotation_explanation(out, a, s, numbering(o), o.language);
        });
        w.end_object();
    }
    w.end_array();
    if (s.ack_rtt) w.member("ack_rtt_ns", s.ack_rtt->count());
    if (s.acks_frame) w.member("acks_frame", s.acks_frame);
    if (s.bytes_in_flight) w.member("bytes_in_flight", *s.bytes_in_flight);
    if (s.stream) {
        w.key("stream");
        write_segment_stream(w, *s.stream);
    }
    if (s.content_hint != nullptr) {
        w.key("content");
        write_content_hint(w, *s.content_hint);
    }
    if (o.payload != PayloadMode::None && !s.payload.empty()) w.key("payload_hex").hex_value(s.payload);
}

// `key`: an object whose members `write_members` writes, or null when `facts` is empty.
template <typename Writer, typename Facts, typename WriteMembers>
void write_object_or_null(Writer& w, std::string_view key, const std::optional<Facts>& facts,
                          WriteMembers&& write_members) {
    w.key(key);
    if (!facts) {
        w.null();
        return;
    }
    w.begin_object();
    write_members(*facts);
    w.end_object();
}

// The connection's diagnosis: the facts of analysis::Diagnosis, then its sentence.
template <typename Writer>
void write_diagnosis(Writer& w, const analysis::Diagnosis& d, Language lang) {
    w.begin_object();
    w.key("kind").begin_array();
    for (std::size_t i = 0; i < d.kind_count; ++i) w.plain_value(analysis::to_string(d.kinds[i]));
    w.end_array();
    w.key("text").formatted_value([&d, lang](fmt::memory_buffer& out) { explain::append_diagnosis(out, d, lang); });
    w.key("zero_window").begin_array();
    for (const auto& z : d.zero_window) {
        if (!z) continue;
        w.begin_object();
        w.plain_member("side", to_string(z->side));
        w.member("segments", z->segments);
        w.member("spells", z->spells);
        w.member("time_ns", z->time.count());
        w.end_object();
    }
    w.end_array();
    write_object_or_null(w, "think_time", d.think_time, [&w](const analysis::ThinkTimeFacts& t) {
        w.member("exchanges", t.exchanges);
        w.member("max_ns", t.max.count());
        w.member("total_ns", t.total.count());
    });
    write_object_or_null(w, "recovery", d.recovery, [&w](const analysis::RecoveryFacts& r) {
        w.member("segments", r.segments);
        w.member("fast", r.fast);
        w.member("timeout", r.timeout);
        w.member("spurious", r.spurious);
        w.member("recoveries", r.recoveries);
        w.member("time_ns", r.time.count());
    });
    w.member("reordered_segments", d.reordered_segments);
    write_object_or_null(w, "capture", d.capture, [&w](const analysis::CaptureFacts& c) {
        w.member("acked_unseen", c.acked_unseen);
        w.member("dropped_bytes", c.dropped_bytes);
        w.member("unfilled_gaps", c.unfilled_gaps);
        w.member("snaplen_cut", c.snaplen_cut);
        w.member("offload_sized", c.offload_sized);
    });
    w.key("rtt_ns");
    write_optional_ns(w, d.rtt.value);
    w.key("rtt_source");
    if (d.rtt.value)
        w.plain_value(d.rtt.from_handshake ? "handshake" : "ack");
    else
        w.null();
    w.end_object();
}

template <typename Writer>
void write_conversation_fields(Writer& w, const ConversationSummary& s, Language lang) {
    w.member("id", s.id);
    w.plain_member("client", EndpointText(s.client).view());
    w.plain_member("server", EndpointText(s.server).view());
    w.member("roles_inferred", s.roles_inferred);
    if (s.key.vlan) w.member("vlan", s.key.vlan);
    w.member("first_frame", s.first_frame);
    w.member("last_frame", s.last_frame);
    w.member("start_ns", s.first_ts.count());
    w.member("duration_ns", s.duration().count());
    w.plain_member("handshake", to_string(s.handshake));
    w.key("handshake_rtt_ns");
    write_optional_ns(w, s.handshake_rtt);
    w.key("syn_to_synack_ns");
    write_optional_ns(w, s.syn_to_synack);
    w.key("synack_to_ack_ns");
    write_optional_ns(w, s.synack_to_ack);
    w.plain_member("vantage", to_string(s.vantage));
    w.key("time_to_first_byte_ns");
    write_optional_ns(w, s.time_to_first_byte);
    w.member("exchanges", s.exchanges);
    w.key("server_think_avg_ns");
    write_optional_ns(w, s.exchanges ? std::optional<Duration>(s.server_think_sum / s.exchanges) : std::nullopt);
    w.key("server_think_max_ns");
    write_optional_ns(w, s.exchanges ? std::optional<Duration>(s.server_think_max) : std::nullopt);
    w.plain_member("close", to_string(s.close));
    w.key("closed_by");
    if (s.closed_by)
        w.value(to_string(*s.closed_by));
    else
        w.null();
    w.member("data_after_close", s.data_after_close);
    w.key("end_reason").value(s.end_reason);
    w.key("conn_state").value(s.conn_state);
    w.key("history").value(s.history);
    w.key("client_to_server");
    write_direction(w, s.dir[0], s.dir[1]);
    w.key("server_to_client");
    write_direction(w, s.dir[1], s.dir[0]);
    if (s.stream) {
        w.key("stream").begin_object();
        w.key("client");
        write_stream_stats(w, (*s.stream)[0]);
        w.key("server");
        write_stream_stats(w, (*s.stream)[1]);
        w.end_object();
    }
    w.key("findings").begin_object();
    for (int i = 0; i < kAnnotationCodeCount; ++i)
        if (s.counts[static_cast<std::size_t>(i)])
            w.key(code_name(static_cast<AnnotationCode>(i))).value(s.counts[static_cast<std::size_t>(i)]);
    w.end_object();
    write_conversation_content(w, s);
    w.key("summary").formatted_value(
        [&s, lang](fmt::memory_buffer& out) { explain::append_conversation_explanation(out, s, lang); });
    w.key("diagnosis");
    write_diagnosis(w, analysis::diagnose(s), lang);
}

// The two layouts the renderers use (json_model.hpp).
template void write_segment_fields(JsonWriter&, const AnnotatedSegment&, const RenderOptions&, const FrameFiles*);
template void write_segment_fields(CompactJsonWriter&, const AnnotatedSegment&, const RenderOptions&,
                                   const FrameFiles*);
template void write_conversation_fields(JsonWriter&, const ConversationSummary&, Language);
template void write_conversation_fields(CompactJsonWriter&, const ConversationSummary&, Language);

std::string json_text(const Json& j, int indent) { return j.dump(indent, ' ', false, Json::error_handler_t::replace); }

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
    if (!c.files.empty()) j["files"] = c.files;
    if (!c.skipped_files.empty()) {
        Json skipped = Json::array();
        for (const auto& s : c.skipped_files)
            skipped.push_back(
                Json{{"path", s.path}, {"code", std::string(code(s.reason.kind))}, {"reason", s.reason.message}});
        j["skipped_files"] = std::move(skipped);
    }
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
    j["interrupted"] = c.interrupted.has_value();
    if (c.interrupted) {
        j["interrupted_by"] = signal_name(c.interrupted->signal);
        j["interrupted_after_frame"] = c.interrupted->after_frame;
    }
    if (c.selection) {
        j["selection"] = {{"connections", c.selection->connections}, {"missing", c.selection->missing}};
    }
    if (c.kernel_received) {
        j["kernel"] = {{"received", *c.kernel_received},
                       {"dropped", c.kernel_dropped.value_or(0)},
                       {"interface_dropped", c.interface_dropped.value_or(0)}};
    }
    return j;
}

Json findings_tally_json(const FindingsTally& tally) {
    Json j = Json::object();
    for (int i = 0; i < kAnnotationCodeCount; ++i) {
        const auto code = static_cast<AnnotationCode>(i);
        const auto& e = tally.entry(code);
        if (e.findings == 0) continue;
        j[std::string(code_name(code))] = {{"count", e.findings},
                                           {"severity", severity_name(code_severity(code))},
                                           {"connections", e.connections},
                                           {"first_connections", e.first_ids}};
    }
    return j;
}

}  // namespace tfx::render
