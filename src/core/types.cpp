// Names of the public enums and small value-type helpers: one table per enum, so that the
// text renderer, the JSON renderer and `check` spell everything the same way.

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

#include "tfx/annotation.hpp"
#include "tfx/conversation.hpp"
#include "tfx/segment.hpp"
#include "tfx/tcp_state.hpp"
#include "tfx/types.hpp"
#include "text/append.hpp"

namespace tfx {

namespace {
char* write_hex(char* out, unsigned v) {  // v < 0x10000: lower case, no leading zeros (RFC 5952 §4.1, §4.3)
    static constexpr char kDigits[] = "0123456789abcdef";
    const int nibbles = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
    for (int shift = 4 * (nibbles - 1); shift >= 0; shift -= 4) *out++ = kDigits[(v >> shift) & 0xf];
    return out;
}
}  // namespace

// The 256 octets as text with a dot after: an IPv4 address is four 4-byte copies (every
// segment's endpoints are printed, in the JSON twice).
struct OctetText {
    std::array<char, 4> text{};  // digits, '.', zeros
    std::uint8_t digits = 0;
};
constexpr std::array<OctetText, 256> kOctets = [] {
    std::array<OctetText, 256> table{};
    for (unsigned v = 0; v < 256; ++v) {
        auto& o = table[v];
        if (v >= 100) o.text[o.digits++] = static_cast<char>('0' + v / 100);
        if (v >= 10) o.text[o.digits++] = static_cast<char>('0' + v / 10 % 10);
        o.text[o.digits++] = static_cast<char>('0' + v % 10);
        o.text[o.digits] = '.';
    }
    return table;
}();

char* IpAddress::write_text(char* out) const {
    if (version == 4) {  // writes up to 3 bytes past the end it returns: within kMaxText
        for (std::size_t i = 0; i < 4; ++i) {
            const OctetText& o = kOctets[bytes[i]];
            std::memcpy(out, o.text.data(), o.text.size());
            out += o.digits + (i < 3 ? 1 : 0);
        }
        return out;
    }
    if (version != 6) {
        *out++ = '?';
        return out;
    }
    // RFC 5952: the longest run (>= 2) of zero groups becomes "::" (the first such run on
    // a tie).
    std::array<unsigned, 8> g{};
    for (std::size_t i = 0; i < 8; ++i) g[i] = (unsigned{bytes[2 * i]} << 8) | bytes[2 * i + 1];
    std::size_t best = 8, best_len = 0;
    for (std::size_t i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == best) {
            *out++ = ':';
            *out++ = ':';
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len) *out++ = ':';
        out = write_hex(out, g[i]);
    }
    return out;
}

std::string IpAddress::to_string() const {
    std::array<char, kMaxText> text{};
    return std::string(text.data(), write_text(text.data()));
}

char* Endpoint::write_text(char* out) const {
    if (addr.version == 6) *out++ = '[';
    out = addr.write_text(out);
    if (addr.version == 6) *out++ = ']';
    *out++ = ':';
    return text::write_decimal(out, std::uint64_t{port});
}

std::string Endpoint::to_string() const {
    std::array<char, kMaxText> text{};
    return std::string(text.data(), write_text(text.data()));
}

FlowKey FlowKey::from(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan) {
    if (src < dst) return FlowKey{src, dst, vlan};
    return FlowKey{dst, src, vlan};
}

std::string flags_to_words(std::uint16_t f) {
    using namespace tcpflag;
    std::string out;
    auto add = [&out](const char* w) {
        if (!out.empty()) out += '-';
        out += w;
    };
    // The order people say them in: SYN-ACK, FIN-ACK, PSH-ACK, RST-ACK, FIN-PSH-ACK.
    if (f & kSyn) add("SYN");
    if (f & kFin) add("FIN");
    if (f & kRst) add("RST");
    if (f & kPsh) add("PSH");
    if (f & kUrg) add("URG");
    if (f & kAck) add("ACK");
    if (f & kEce) add("ECE");
    if (f & kCwr) add("CWR");
    if (f & kAe) add("AE");
    if (out.empty()) out = "none";
    return out;
}

std::string flags_to_tcpdump(std::uint16_t f) {
    using namespace tcpflag;
    std::string out;
    if (f & kSyn) out += 'S';
    if (f & kFin) out += 'F';
    if (f & kPsh) out += 'P';
    if (f & kRst) out += 'R';
    if (f & kUrg) out += 'U';
    if (f & kEce) out += 'E';
    if (f & kCwr) out += 'W';
    if (f & kAe) out += 'e';
    if (f & kAck) out += '.';
    if (out.empty()) out = "none";
    return out;
}

std::string_view to_string(TcpState s) {
    static constexpr std::array<std::string_view, kTcpStateCount> kNames{
        "UNKNOWN",     "CLOSED",     "LISTEN",     "SYN-SENT",   "SYN-RECEIVED", "ESTABLISHED",
        "FIN-WAIT-1",  "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",    "LAST-ACK",     "TIME-WAIT"};
    return kNames[static_cast<std::size_t>(s)];
}

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
}};
}  // namespace

std::string_view code_name(AnnotationCode code) {
    return kCodes[static_cast<std::size_t>(code)].name;
}

std::optional<AnnotationCode> code_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kCodes.size(); ++i)
        if (kCodes[i].name == name) return static_cast<AnnotationCode>(i);
    return std::nullopt;
}

Severity code_severity(AnnotationCode code) {
    return kCodes[static_cast<std::size_t>(code)].severity;
}

std::string_view severity_name(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Note: return "note";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "?";
}

std::string_view to_string(HandshakeOutcome h) {
    switch (h) {
        case HandshakeOutcome::Complete: return "complete";
        case HandshakeOutcome::SimultaneousOpen: return "simultaneous_open";
        case HandshakeOutcome::Refused: return "refused";
        case HandshakeOutcome::Unanswered: return "unanswered";
        case HandshakeOutcome::NoFinalAck: return "no_final_ack";
        case HandshakeOutcome::NotSeen: return "not_seen";
        case HandshakeOutcome::Probe: return "probe";
    }
    return "?";
}

std::string_view to_string(CloseKind c) {
    switch (c) {
        case CloseKind::StillOpen: return "still_open";
        case CloseKind::Graceful: return "graceful";
        case CloseKind::Simultaneous: return "simultaneous";
        case CloseKind::HalfClosed: return "half_closed";
        case CloseKind::ClosingIncomplete: return "closing_incomplete";
        case CloseKind::Reset: return "reset";
        case CloseKind::NeverOpened: return "never_opened";
    }
    return "?";
}

std::string_view to_string(Role r) { return r == Role::Client ? "client" : "server"; }

bool AnnotatedSegment::has(AnnotationCode code) const {
    return std::any_of(annotations.begin(), annotations.begin() + annotation_count,
                       [code](const Annotation& a) { return a.code == code; });
}

void AnnotatedSegment::add(const Annotation& a) {
    if (annotation_count < kMaxAnnotations) {
        annotations[annotation_count++] = a;
        return;
    }
    annotations[kMaxAnnotations - 1] = Annotation{AnnotationCode::AnalysisLimit, 0, 0, 0};
}

}  // namespace tfx
