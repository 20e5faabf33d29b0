// Names and severities of the annotation codes: one row per code, in the enum's order, so
// the text renderer, the JSON renderer and `check` spell every code the same way.

#include "tfx/annotation.hpp"

#include <array>
#include <cstddef>

namespace tfx {

namespace {
struct CodeInfo {
    std::string_view name;
    Severity severity;
};
// Wireshark's tcp.analysis.* names where one exists, so users can cross-check.
constexpr std::array<CodeInfo, kAnnotationCodeCount> kCodes{{
    {"truncated_frame", Severity::Error},
    {"unsupported_link_header", Severity::Note},
    {"bad_ip_version", Severity::Error},
    {"bad_ip_header_len", Severity::Error},
    {"bad_ip_total_len", Severity::Error},
    {"bad_ipv6_ext_header", Severity::Error},
    {"bad_tcp_header_len", Severity::Error},
    {"bad_tcp_option_len", Severity::Warning},
    {"snaplen_truncated", Severity::Info},
    {"ip_fragment", Severity::Note},
    {"ip_length_zero", Severity::Info},
    {"caplen_exceeds_wirelen", Severity::Warning},
    {"syn_retransmission", Severity::Warning},
    {"simultaneous_open", Severity::Note},
    {"syn_ack_without_syn", Severity::Note},
    {"mid_stream_start", Severity::Info},
    {"role_guessed", Severity::Info},
    {"isn_inferred", Severity::Info},
    {"data_on_syn", Severity::Note},
    {"retransmission", Severity::Warning},
    {"fast_retransmission", Severity::Warning},
    {"spurious_retransmission", Severity::Warning},
    {"out_of_order", Severity::Warning},
    {"lost_segment", Severity::Warning},
    {"ack_lost_segment", Severity::Warning},
    {"duplicate_ack", Severity::Note},
    {"zero_window", Severity::Warning},
    {"zero_window_probe", Severity::Note},
    {"zero_window_probe_ack", Severity::Note},
    {"window_update", Severity::Info},
    {"window_full", Severity::Warning},
    {"keep_alive", Severity::Info},
    {"keep_alive_ack", Severity::Info},
    {"reused_ports", Severity::Note},
    {"segment_exceeds_mss", Severity::Info},
    {"duplicate_frame", Severity::Note},
    {"timestamp_backwards", Severity::Warning},
    {"capture_drop", Severity::Warning},
    {"illegal_transition", Severity::Warning},
    {"data_after_fin", Severity::Warning},
    {"data_after_reset", Severity::Warning},
    {"segment_after_reset", Severity::Note},
    {"rst_with_data", Severity::Note},
    {"window_scale_out_of_range", Severity::Warning},
    {"all_flags_set", Severity::Warning},
    {"no_flags", Severity::Warning},
    {"syn_with_fin", Severity::Warning},
    {"ip_reassembled", Severity::Info},
    {"analysis_limit", Severity::Note},
    {"sent_before_receiving", Severity::Info},
    {"idle_resumed", Severity::Note},
    {"vlan_tagging_differs", Severity::Note},
    {"refusal_contradicted", Severity::Warning},
}};
// A row left out would leave the last code nameless (std::array pads with empty rows).
static_assert(!kCodes.back().name.empty(), "every AnnotationCode needs a row in kCodes");
}  // namespace

std::string_view code_name(AnnotationCode code) { return kCodes[static_cast<std::size_t>(code)].name; }

std::optional<AnnotationCode> code_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kCodes.size(); ++i)
        if (kCodes[i].name == name) return static_cast<AnnotationCode>(i);
    return std::nullopt;
}

Severity code_severity(AnnotationCode code) { return kCodes[static_cast<std::size_t>(code)].severity; }

std::string_view severity_name(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Note: return "note";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "?";
}

}  // namespace tfx
