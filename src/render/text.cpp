// Text walkthrough: one tcpdump-like line per segment, its meaning in a sentence under it,
// findings and state changes after that; a summary when each connection ends.

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "content/describe.hpp"
#include "explain/diagnosis_text.hpp"
#include "explain/explain.hpp"
#include "explain/stream_text.hpp"
#include "i18n/catalogue.hpp"
#include "render/findings.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/selection_text.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"
#include "render/text_style.hpp"
#include "render/time_column.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

class TextRenderer final : public EventSink {
public:
    TextRenderer(std::FILE* out, const RenderOptions& o)
        : out_(out), opt_(o), st_{o.color}, time_(o.time_format, o.localtime) {}

    void capture_started(const CaptureInfo& info) override {
        out_.set_line_buffered(info.live || opt_.flush_each_event);
        if (info.live) {
            auto& out = out_.raw();
            append(out, st_.bold());
            if (info.filter.empty())
                say(out, Msg::LiveCapture, {info.source});
            else
                say(out, Msg::LiveCaptureFiltered, {info.source, info.filter});
            append(out, FMT_COMPILE("{}\n\n"), st_.reset());
            out_.end_piece();
        }
    }

    void conversation_opened(const ConversationSummary& s) override {
        auto& out = out_.raw();
        append(out, FMT_COMPILE("\n{}"), st_.bold());
        say(out, Msg::ConnectionHeader, {s.id, EndpointText(s.client).view(), EndpointText(s.server).view()});
        if (s.roles_inferred) say(out, Msg::RolesInferred);
        append(out, FMT_COMPILE("{}\n"), st_.reset());
        out_.end_piece();
    }

    // The per-segment lines are appended piece by piece into the output buffer: no
    // temporary strings of our own (the sentences come from explain/explain.cpp).
    void segment(const AnnotatedSegment& s) override {
        if (left_out(opt_, s)) return;
        if (!s.has_tcp) {
            write_malformed(s);
            return;
        }
        auto& out = out_.raw();
        const bool from_client = s.sender == Role::Client;
        // Padded fields go through append_padded: fmt's own padding measures Unicode width.
        append(out, "#");
        append_padded(out, s.frame, 5, Align::Left);
        append(out, " ");
        time_.append(out, s);
        append(out, FMT_COMPILE("  c{}  {}  {}"), s.conversation, from_client ? client_to_server_ : server_to_client_,
               (s.flags & tcpflag::kRst) ? st_.rst() : st_.flags());
        append_padded(out, flags_words(s.flags), 11, Align::Left);
        append(out, FMT_COMPILE("{} "), st_.reset());
        const std::uint32_t seq = opt_.absolute_seq ? s.seq : s.rel_seq;
        const std::uint32_t ack = opt_.absolute_seq ? s.ack : s.rel_ack;
        // Every segment shows its sequence number, pure ACKs too (tcpdump omits it there):
        // a student follows the sequence space only if every step shows it.
        if (s.payload_len > 0)
            append(out, FMT_COMPILE("seq {}:{}({})"), seq, seq + s.payload_len, s.payload_len);
        else
            append(out, FMT_COMPILE("seq {}"), seq);
        if (s.flags & tcpflag::kAck) append(out, FMT_COMPILE(" ack {}"), ack);
        append(out, FMT_COMPILE(" win {}"), s.window);
        if (s.window_scale_unknown) append(out, "*2^?");  // the shift was set on SYNs not captured
        if (s.options.count > 0 || s.options.malformed || s.options.truncated) {
            const std::size_t before = out.size();
            append(out, " [");
            const std::size_t options_start = out.size();
            explain::append_options_text(out, s.options, opt_.absolute_seq ? 0 : s.ack - s.rel_ack);
            if (out.size() == options_start)
                out.resize(before);  // no option text: no brackets
            else
                out.push_back(']');
        }
        if (s.phase != Phase::None) {
            append(out, "  (");
            append_phase_step(out, s.phase == Phase::Handshake ? handshake_ : teardown_, s);
            out.push_back(')');
        }
        if (opt_.verbose) write_header_details(out, s);
        append(out, "\n       ");
        explain::append_segment_explanation(out, s, numbering(), lang());
        out.push_back('\n');
        if (s.content_hint != nullptr) {
            if (s.content_hint->kind != content::Kind::Unknown) {
                append(out, "       ");
                say(out, Msg::ContentItIs);
                content::append_description(out, *s.content_hint, lang());
                append(out, ".\n");
            }
        }
        for (const auto& a : s.notes()) {
            if (!shown_beside_segment(a, s)) continue;
            const auto sev = code_severity(a.code);
            append(out, FMT_COMPILE("       {}! "), st_.for_severity(sev));
            explain::append_annotation_explanation(out, a, s, numbering(), lang());
            append(out, FMT_COMPILE("{}\n"), st_.reset());
        }
        if (s.stream && explain::stream_worth_saying(*s.stream)) {
            append(out, "       ");
            explain::append_segment_stream(out, *s.stream, lang());
            out.push_back('\n');
        }
        if (s.change_count > 0) {
            append(out, FMT_COMPILE("       {}"), st_.state());
            say(out, Msg::StateLabel);
            append_state_chain(out, s.state_changes(), lang());
            append(out, FMT_COMPILE("{}\n"), st_.reset());
        }
        if (opt_.payload != PayloadMode::None && !s.payload.empty()) write_payload(s);
        out_.end_piece();
        out_.end_event();
    }

    void conversation_closed(const ConversationSummary& s) override {
        auto& out = out_.raw();
        append(out, st_.bold());
        say(out, Msg::ConnectionSummaryLabel, {s.id});
        append(out, FMT_COMPILE("{} "), st_.reset());
        explain::append_conversation_explanation(out, s, lang());
        append(out, ".\n");
        bool first_finding = true;
        bool any_finding = false;
        for (int i = 0; i < kAnnotationCodeCount; ++i) {
            const auto code = static_cast<AnnotationCode>(i);
            const auto count = s.counts[static_cast<std::size_t>(i)];
            if (count == 0 || !is_finding(code)) continue;
            if (first_finding)
                say(out, Msg::FindingsLabel);
            else
                append(out, ", ");
            first_finding = false;
            any_finding = true;
            append(out, FMT_COMPILE("{} {}"), count, code_name(code));
            // tshark's name for a sequence gap; the summary above says what filled each one.
            if (code == AnnotationCode::LostSegment) say(out, Msg::SequenceGapNote, {count});
        }
        if (any_finding) out.push_back('\n');
        write_content_line(out, s);
        explain::append_diagnosis_line(out, s, lang());
        if (!s.conn_state.empty()) {
            say(out, Msg::FinalStates,
                {to_string(s.dir[0].final_state), to_string(s.dir[1].final_state), s.conn_state, s.history});
            out.push_back('\n');
        }
        if (s.stream) {
            for (const Role sender : {Role::Client, Role::Server}) {
                append(out, "  ");
                say(out, Msg::StreamStatsLabel, {role_word(sender)});
                explain::append_stream_stats(out, (*s.stream)[static_cast<std::size_t>(index_of(sender))], lang());
                out.push_back('\n');
            }
        }
        out_.end_piece();
        out_.end_event();
        time_.forget(s.id);
        if (opt_.findings_tally) tally_.add(s);
    }

    void capture_finished(const CaptureSummary& c) override {
        auto& out = out_.raw();
        append(out, FMT_COMPILE("\n{}"), st_.bold());
        say(out, Msg::CaptureLabel);
        append(out, st_.reset());
        say(out, Msg::CaptureCounts, {c.frames, c.tcp_segments, c.conversations});
        say(out, Msg::CaptureSkipped, {c.non_tcp, c.non_ip, c.malformed, c.fragments});
        out.push_back('\n');
        if (c.selection) out_.print("{}\n", selection_text(*c.selection, c.conversations, lang()));
        if (c.evicted || c.expired) line(out, Msg::FinalisedEarly, {c.expired, c.evicted});
        if (c.capture_drops) {
            append(out, st_.warn());
            say(out, Msg::CaptureDropsLabel);
            append(out, st_.reset());
            line(out, Msg::CaptureDropsLine, {c.capture_dropped_bytes, c.capture_drops, c.capture_drop_bursts});
            for (const auto& b : c.drop_bursts)
                line(out, Msg::CaptureDropBurst,
                     {b.first_frame, b.last_frame, b.bytes, b.connections, b.last_ts - b.first_ts});
            if (c.capture_drop_bursts > c.drop_bursts.size())
                line(out, Msg::CaptureDropMoreBursts, {c.capture_drop_bursts - c.drop_bursts.size()});
        }
        if (c.truncated) {
            append(out, st_.warn());
            say(out, Msg::TruncatedCaptureLine, {c.truncation_message});
            append(out, FMT_COMPILE("{}\n"), st_.reset());
        }
        if (c.interrupted) {
            append(out, st_.warn());
            say(out, Msg::InterruptedCaptureLine, {signal_name(c.interrupted->signal), c.interrupted->after_frame});
            append(out, FMT_COMPILE("{}\n"), st_.reset());
        }
        if (c.kernel_received)
            line(out, Msg::KernelCounts,
                 {*c.kernel_received, c.kernel_dropped.value_or(0), c.interface_dropped.value_or(0)});
        out_.end_piece();
        if (opt_.findings_tally) write_tally();
        out_.flush();
    }

private:
    [[nodiscard]] Language lang() const { return opt_.language; }
    [[nodiscard]] std::string_view role_word(Role r) const { return i18n::role_word(lang(), r); }
    void say(fmt::memory_buffer& out, Msg id, std::initializer_list<i18n::Arg> args = {}) const {
        i18n::say(out, lang(), id, args);
    }
    // A message on a line of its own.
    void line(fmt::memory_buffer& out, Msg id, std::initializer_list<i18n::Arg> args = {}) const {
        say(out, id, args);
        out.push_back('\n');
    }

    [[nodiscard]] explain::Numbering numbering() const {
        return opt_.absolute_seq ? explain::Numbering::Absolute : explain::Numbering::Relative;
    }

    // "  content: client: an HTTP request, GET /; server: an HTTP response, 200 OK", the sides
    // whose hint is known.
    void write_content_line(fmt::memory_buffer& out, const ConversationSummary& s) const {
        if (s.content_hints == nullptr) return;
        bool first = true;
        for (std::size_t side = 0; side < 2; ++side) {
            const content::ContentHint& hint = content::hint_of(s.content_hints.get(), side);
            if (hint.kind == content::Kind::Unknown) continue;
            if (first)
                say(out, Msg::ContentLabel);
            else
                say(out, Msg::ContentSeparator);
            first = false;
            append(out, role_word(side == 0 ? Role::Client : Role::Server));
            say(out, Msg::PicColon);
            content::append_description(out, hint, lang());
        }
        if (!first) out.push_back('\n');
    }

    void write_malformed(const AnnotatedSegment& s) {
        std::string reasons;
        for (const auto& a : s.notes()) {
            if (!reasons.empty()) reasons += "; ";
            // The row already says "malformed:"; the reasons that say it too are not repeated.
            std::string reason = explain::explain_annotation(a, s, numbering(), lang());
            const std::string_view kPrefix = i18n::word(lang(), Msg::MalformedPrefix);
            if (std::string_view(reason).starts_with(kPrefix)) reason.erase(0, kPrefix.size());
            reasons += reason;
        }
        const std::string where = s.ip_version
                                      ? fmt::format(" {} > {}", EndpointText(s.src).view(), EndpointText(s.dst).view())
                                      : std::string();
        auto& out = out_.raw();
        append(out, FMT_COMPILE("#{:<5} {}"), s.frame, st_.error());
        say(out, Msg::MalformedRow, {reasons.empty() ? i18n::word(lang(), Msg::UndecodableReason) : reasons});
        append(out, FMT_COMPILE("{}{}\n"), st_.reset(), where);
        out_.end_piece();
        out_.end_event();
    }

    // -v: what tcpdump -v adds that the segment line does not say: the IP header's TTL (hop
    // limit) and identification, the frame's lengths, the window field before and after scaling.
    void write_header_details(fmt::memory_buffer& out, const AnnotatedSegment& s) {
        append(out, "\n       ");
        if (s.ip_version == 6)
            say(out, Msg::VerboseIpv6, {s.ttl});
        else
            say(out, Msg::VerboseIpv4, {s.ttl, s.ip_id});
        say(out, Msg::VerboseLengths, {s.wire_len, s.captured_len});
        if (s.window_scale_unknown)
            say(out, Msg::VerboseWindowUnknownScale, {s.window_raw});
        else if (s.window_scaled)
            say(out, Msg::VerboseWindowScaled, {s.window_raw, s.window});
        else
            say(out, Msg::VerboseWindowUnscaled, {s.window_raw});
        if (s.flags & tcpflag::kUrg) say(out, Msg::VerboseUrgent, {s.urgent});
    }

    void write_payload(const AnnotatedSegment& s) {
        const auto& p = s.payload;
        if (opt_.payload == PayloadMode::Ascii) {
            std::string line;
            for (auto b : p) {
                const auto c = static_cast<unsigned char>(b);
                line += (c == '\n' || (c >= 0x20 && c < 0x7f)) ? static_cast<char>(c) : '.';
            }
            out_.print("{}\n", line);
            return;
        }
        for (std::size_t off = 0; off < p.size(); off += 16) {
            std::string hex, ascii;
            for (std::size_t i = off; i < off + 16; ++i) {
                if (i < p.size()) {
                    const auto c = static_cast<unsigned char>(p[i]);
                    hex += fmt::format("{:02x}", c);
                    ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
                } else {
                    hex += "  ";
                }
                if (i % 2 == 1) hex += ' ';
            }
            out_.print("       0x{:04x}:  {} {}\n", off, hex, ascii);
        }
    }

    // tshark's -z expert: one row per finding code, with the first connections that have it.
    void write_tally() {
        auto& out = out_.raw();
        append(out, FMT_COMPILE("\n{}"), st_.bold());
        say(out, Msg::TallyLabel);
        append(out, st_.reset());
        if (tally_.empty()) {
            say(out, Msg::TallyNone);
            out.push_back('\n');
            return;
        }
        constexpr std::size_t kConnectionsShown = 5;
        const std::string_view finding = i18n::word(lang(), Msg::TallyFinding);
        const std::string_view count = i18n::word(lang(), Msg::TallyCount);
        std::size_t name_width = finding.size();
        std::size_t count_width = count.size();
        for (int i = 0; i < kAnnotationCodeCount; ++i) {
            const auto code = static_cast<AnnotationCode>(i);
            if (tally_.entry(code).findings == 0) continue;
            name_width = std::max(name_width, code_name(code).size());
            count_width = std::max(count_width, fmt::formatted_size("{}", tally_.entry(code).findings));
        }
        append(out, "\n  ");
        append_padded(out, finding, name_width, Align::Left);
        append(out, "  ");
        append_padded(out, count, count_width, Align::Right);
        append(out, "  ");
        say(out, Msg::TallyConnections);
        out.push_back('\n');
        for (int i = 0; i < kAnnotationCodeCount; ++i) {
            const auto code = static_cast<AnnotationCode>(i);
            const auto& e = tally_.entry(code);
            if (e.findings == 0) continue;
            append(out, FMT_COMPILE("  {}"), st_.for_severity(code_severity(code)));
            append_padded(out, code_name(code), name_width, Align::Left);
            append(out, FMT_COMPILE("{}  "), st_.reset());
            append_padded(out, e.findings, count_width, Align::Right);
            append(out, "  ");
            const std::size_t shown = std::min(kConnectionsShown, e.first_ids.size());
            for (std::size_t k = 0; k < shown; ++k) append(out, FMT_COMPILE("{}{}"), k ? ", " : "", e.first_ids[k]);
            if (e.connections > shown) say(out, Msg::TallyMore, {e.connections - shown});
            out.push_back('\n');
        }
        out_.end_piece();
    }

    OutputBuffer out_;
    RenderOptions opt_;
    // The words of every segment line, looked up once.
    std::string_view client_to_server_ = i18n::word(opt_.language, Msg::ClientToServer);
    std::string_view server_to_client_ = i18n::word(opt_.language, Msg::ServerToClient);
    std::string_view handshake_ = i18n::word(opt_.language, Msg::PhaseHandshake);
    std::string_view teardown_ = i18n::word(opt_.language, Msg::PhaseTeardown);
    Style st_;
    TimeColumn time_;
    FindingsTally tally_;
};

}  // namespace

std::unique_ptr<EventSink> make_text_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<TextRenderer>(out, o);
}

}  // namespace tfx::render
