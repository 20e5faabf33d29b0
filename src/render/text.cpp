// Text walkthrough: one tcpdump-like line per segment, its meaning in a sentence under it,
// findings and state changes after that; a summary when each connection ends.

#include <fmt/format.h>

#include <cctype>

#include "model/explain.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"

namespace tfx::render {

namespace {

struct Style {
    bool on;
    std::string_view bold() const { return on ? "\033[1m" : ""; }
    std::string_view dim() const { return on ? "\033[2m" : ""; }
    std::string_view flags() const { return on ? "\033[1;36m" : ""; }
    std::string_view warn() const { return on ? "\033[33m" : ""; }
    std::string_view error() const { return on ? "\033[1;31m" : ""; }
    std::string_view state() const { return on ? "\033[32m" : ""; }
    std::string_view reset() const { return on ? "\033[0m" : ""; }
    std::string_view for_severity(Severity s) const {
        if (s == Severity::Error) return error();
        if (s == Severity::Warning) return warn();
        return dim();
    }
};

std::string seconds(Duration d) {
    const auto ns = d.count();
    const char* sign = ns < 0 ? "-" : "+";
    const auto mag = static_cast<unsigned long long>(ns < 0 ? -ns : ns);
    return fmt::format("{}{}.{:06}", sign, mag / 1'000'000'000ull, (mag % 1'000'000'000ull) / 1000ull);
}

class TextRenderer final : public EventSink {
public:
    TextRenderer(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o), st_{o.color} {}

    void capture_started(const CaptureInfo& info) override {
        out_.set_line_buffered(info.live);
        if (info.live) {
            out_.print("{}Live capture on {}{}{}\n\n", st_.bold(), info.source,
                       info.filter.empty() ? "" : " with filter '" + info.filter + "'", st_.reset());
        }
    }

    void conversation_opened(const ConversationSummary& s) override {
        out_.print("\n{}Connection {}: client {} -> server {}{}{}\n", st_.bold(), s.id, s.client.to_string(),
                   s.server.to_string(), s.roles_inferred ? " (roles inferred: the capture missed the first SYN)" : "",
                   st_.reset());
    }

    void segment(const AnnotatedSegment& s) override {
        if (!s.has_tcp) {
            write_malformed(s);
            return;
        }
        const bool from_client = s.sender == Role::Client;
        std::string numbers;
        const std::uint32_t seq = opt_.absolute_seq ? s.seq : s.rel_seq;
        const std::uint32_t ack = opt_.absolute_seq ? s.ack : s.rel_ack;
        if (s.payload_len > 0 || (s.flags & (tcpflag::kSyn | tcpflag::kFin | tcpflag::kRst)))
            numbers = s.payload_len > 0 ? fmt::format("seq {}:{}({})", seq, seq + s.payload_len, s.payload_len)
                                        : fmt::format("seq {}", seq);
        if (s.flags & tcpflag::kAck) numbers += fmt::format("{}ack {}", numbers.empty() ? "" : " ", ack);
        numbers += fmt::format(" win {}", s.window);
        const auto opts = model::options_text(s.options, opt_.absolute_seq ? 0 : s.ack - s.rel_ack);
        if (!opts.empty()) numbers += fmt::format(" [{}]", opts);
        std::string phase;
        if (s.phase != Phase::None) {
            phase = s.steps ? fmt::format("  ({} {}/{})", model::phase_name(s.phase), s.step, s.steps)
                            : fmt::format("  ({} {})", model::phase_name(s.phase), s.step);
        }
        out_.print("#{:<5} {}  c{}  {}  {}{:<11}{} {}{}\n", s.frame, seconds(s.since_start), s.conversation,
                   from_client ? "client > server" : "server > client", st_.flags(), flags_to_words(s.flags),
                   st_.reset(), numbers, phase);
        out_.print("       {}\n", model::explain_segment(s));
        for (const auto& a : s.notes()) {
            const auto sev = code_severity(a.code);
            if (sev == Severity::Info && (a.code == AnnotationCode::IsnInferred)) continue;
            out_.print("       {}! {}{}\n", st_.for_severity(sev), model::explain_annotation(a, s), st_.reset());
        }
        if (s.change_count > 0) {
            // "server ESTABLISHED -> CLOSE-WAIT -> LAST-ACK": chain an endpoint's steps.
            std::string changes;
            const auto list = s.state_changes();
            for (std::size_t i = 0; i < list.size(); ++i) {
                const auto& c = list[i];
                const bool continues = i > 0 && list[i - 1].endpoint == c.endpoint && list[i - 1].to == c.from;
                if (continues) {
                    changes += fmt::format(" -> {}", to_string(c.to));
                    continue;
                }
                if (!changes.empty()) changes += ", ";
                changes += fmt::format("{} {} -> {}", to_string(c.endpoint), to_string(c.from), to_string(c.to));
            }
            out_.print("       {}state: {}{}\n", st_.state(), changes, st_.reset());
        }
        if (opt_.payload != PayloadMode::None && !s.payload.empty()) write_payload(s);
        out_.end_event();
    }

    void conversation_closed(const ConversationSummary& s) override {
        out_.print("{}Connection {} summary:{} {}.\n", st_.bold(), s.id, st_.reset(), model::explain_conversation(s));
        std::string findings;
        for (int i = 0; i < kAnnotationCodeCount; ++i) {
            const auto code = static_cast<AnnotationCode>(i);
            const auto sev = code_severity(code);
            if (s.counts[static_cast<std::size_t>(i)] == 0 || sev == Severity::Info) continue;
            if (!findings.empty()) findings += ", ";
            findings += fmt::format("{} {}", s.counts[static_cast<std::size_t>(i)], code_name(code));
        }
        if (!findings.empty()) out_.print("  findings: {}\n", findings);
        if (!s.conn_state.empty())
            out_.print("  final states: client {}, server {}; Zeek conn_state {} history {}\n",
                       to_string(s.dir[0].final_state), to_string(s.dir[1].final_state), s.conn_state, s.history);
        out_.end_event();
    }

    void capture_finished(const CaptureSummary& c) override {
        out_.print("\n{}Capture:{} {} frames, {} TCP segments in {} connection{}", st_.bold(), st_.reset(), c.frames,
                   c.tcp_segments, c.conversations, c.conversations == 1 ? "" : "s");
        out_.print("; skipped {} non-TCP IP and {} non-IP frames; {} malformed, {} IP fragments.\n", c.non_tcp, c.non_ip,
                   c.malformed, c.fragments);
        if (c.evicted || c.expired)
            out_.print("Connections finalised early: {} by idle timeout, {} evicted by --max-connections.\n", c.expired,
                       c.evicted);
        if (c.truncated) out_.print("{}Warning: the capture file is truncated: {}{}\n", st_.warn(), c.truncation_message, st_.reset());
        if (c.kernel_received)
            out_.print("Kernel: {} packets received, {} dropped by the kernel, {} dropped by the interface.\n",
                       *c.kernel_received, c.kernel_dropped.value_or(0), c.interface_dropped.value_or(0));
        out_.flush();
    }

private:
    void write_malformed(const AnnotatedSegment& s) {
        std::string reasons;
        for (const auto& a : s.notes()) {
            if (!reasons.empty()) reasons += "; ";
            reasons += model::explain_annotation(a, s);
        }
        const std::string where =
            s.ip_version ? fmt::format(" {} > {}", s.src.to_string(), s.dst.to_string()) : std::string();
        out_.print("#{:<5} {}[malformed: {}]{}{}\n", s.frame, st_.error(), reasons.empty() ? "undecodable" : reasons,
                   st_.reset(), where);
        out_.end_event();
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

    OutputBuffer out_;
    RenderOptions opt_;
    Style st_;
};

}  // namespace

std::unique_ptr<EventSink> make_text_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<TextRenderer>(out, o);
}

}  // namespace tfx::render
