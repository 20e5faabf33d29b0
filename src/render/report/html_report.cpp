// The HTML report (-F html): one self-contained file with the capture summary, a sortable
// table of the connections, and per connection its pictures (html_pictures.hpp) and its
// segments with the walkthrough's sentences. The script only adds interaction: without it
// everything is still on the page. Bounds: html_report.hpp.

#include "render/report/html_report.hpp"

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "explain/explain.hpp"
#include "render/report/html_escape.hpp"
#include "render/report/html_pictures.hpp"
#include "render/report/html_report_assets.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "render/selection_text.hpp"
#include "render/signal_name.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

using html_report::kMaxConnectionsShown;
using html_report::kMaxSegmentsShown;

// English plural ending of a count.
template <typename N>
std::string_view plural(N n) {
    return n == 1 ? "" : "s";
}

// Sentences and numbers are formatted into a scratch buffer by the walkthrough's functions,
// then escaped into the page.
class Scratch {
public:
    fmt::memory_buffer& clear() {
        buf_.clear();
        return buf_;
    }
    [[nodiscard]] std::string_view view() const { return {buf_.data(), buf_.size()}; }

private:
    fmt::memory_buffer buf_;
};

struct ShownConnection {
    ConversationSummary summary;             // the opening one until the connection closes
    std::vector<AnnotatedSegment> segments;  // payload views cleared: they do not outlive the event
    std::uint64_t segments_left_out = 0;
};

std::uint64_t findings_count(const ConversationSummary& s) {
    std::uint64_t n = 0;
    for (int i = 0; i < kAnnotationCodeCount; ++i)
        if (code_severity(static_cast<AnnotationCode>(i)) != Severity::Info) n += s.counts[static_cast<std::size_t>(i)];
    return n;
}

std::string_view severity_class(Severity s) {
    switch (s) {
        case Severity::Error: return "sev-error";
        case Severity::Warning: return "sev-warning";
        case Severity::Note: return "sev-note";
        case Severity::Info: break;
    }
    return "sev-info";
}

class HtmlReport final : public EventSink {
public:
    HtmlReport(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o) {}

    void capture_started(const CaptureInfo& info) override { info_ = info; }

    void conversation_opened(const ConversationSummary& s) override {
        if (shown_.size() >= kMaxConnectionsShown) {
            ++connections_left_out_;
            return;
        }
        index_.emplace(s.id, shown_.size());
        shown_.push_back(ShownConnection{s, {}, 0});
    }

    void segment(const AnnotatedSegment& s) override {
        const auto it = index_.find(s.conversation);
        if (it == index_.end()) {
            if (s.conversation == 0) ++frames_outside_connections_;
            return;
        }
        auto& c = shown_[it->second];
        if (c.segments.size() >= kMaxSegmentsShown) {
            ++c.segments_left_out;
            return;
        }
        c.segments.push_back(s);
        c.segments.back().payload = {};
    }

    void conversation_closed(const ConversationSummary& s) override {
        const auto it = index_.find(s.id);
        if (it == index_.end()) return;
        shown_[it->second].summary = s;
    }

    void capture_finished(const CaptureSummary& summary) override {
        write_head();
        write_capture(summary);
        write_connection_table();
        for (const auto& c : shown_) write_connection(c);
        write_tail();
        out_.flush();
    }

private:
    [[nodiscard]] explain::Numbering numbering() const {
        return opt_.absolute_seq ? explain::Numbering::Absolute : explain::Numbering::Relative;
    }

    // Writes the page built so far and starts the next piece.
    void emit() {
        out_.write(page_);
        page_.clear();
    }

    void text(std::string_view s) { append_html_escaped(page_, s); }
    void markup(std::string_view s) { page_ += s; }
    template <typename... Args>
    void markup(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(page_), f, std::forward<Args>(args)...);
    }

    void write_head() {
        markup(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            // Nothing may be fetched: the report stands alone, whatever the capture holds.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>tcpflow-explain: ");
        text(info_.source);
        markup("</title>\n<style>");
        markup(html_report::kStyle);
        markup("</style>\n</head>\n<body>\n<header class=\"top\"><h1>tcpflow-explain report: <span class=\"source\">");
        text(info_.source);
        markup(
            "</span></h1><p class=\"hint\">Click a segment (or step with \u2190 \u2192, j k) to see what it "
            "means.</p></header>\n<main>\n");
        emit();
    }

    void fact(std::string_view name, std::string_view value) {
        markup("<dt>{}</dt><dd>", name);
        text(value);
        markup("</dd>");
    }

    void write_capture(const CaptureSummary& c) {
        markup("<section id=\"capture\"><h2>Capture</h2>\n<dl class=\"capture\">");
        fact("Source", info_.source);
        fact("Format", info_.format);
        if (!info_.filter.empty()) fact("Filter", info_.filter);
        fact("Frames", fmt::format("{} frame{}, {} TCP segment{}", c.frames, plural(c.frames), c.tcp_segments,
                                   plural(c.tcp_segments)));
        fact("Connections", fmt::format("{}", c.conversations));
        if (c.selection) fact("Selection", selection_text(*c.selection, c.conversations));
        fact("Skipped", fmt::format("{} non-TCP IP and {} non-IP frame{}; {} malformed, {} IP fragment{}", c.non_tcp,
                                    c.non_ip, plural(c.non_ip), c.malformed, c.fragments, plural(c.fragments)));
        if (c.evicted || c.expired)
            fact("Finalised early",
                 fmt::format("{} by idle timeout, {} evicted by --max-connections", c.expired, c.evicted));
        if (c.capture_drops)
            fact("Capture drops",
                 fmt::format("receivers acknowledged {} byte{} this capture never saw ({} finding{}, "
                             "in {} burst{}): the capture point lost packets, not the network",
                             c.capture_dropped_bytes, plural(c.capture_dropped_bytes), c.capture_drops,
                             plural(c.capture_drops), c.capture_drop_bursts, plural(c.capture_drop_bursts)));
        if (c.kernel_received)
            fact("Kernel", fmt::format("{} packet{} received, {} dropped by the kernel, {} dropped by the interface",
                                       *c.kernel_received, plural(*c.kernel_received), c.kernel_dropped.value_or(0),
                                       c.interface_dropped.value_or(0)));
        markup("</dl>\n");
        if (c.truncated) {
            markup("<p class=\"note\">The capture file is truncated: ");
            text(c.truncation_message);
            markup("</p>\n");
        }
        if (c.interrupted)
            markup("<p class=\"note\">Interrupted by {} after frame {}: the rest of the capture was not read.</p>\n",
                   signal_name(c.interrupted->signal), c.interrupted->after_frame);
        if (connections_left_out_ > 0)
            markup(
                "<p class=\"note left-out\">This report shows the first {} connections; {} more {} left out "
                "(a report holds at most {}). Select the connections to show with a BPF filter after the capture "
                "file (for example <code>'host 192.0.2.7 and port 443'</code>), or read fewer packets with "
                "<code>--count N</code>.</p>\n",
                shown_.size(), connections_left_out_, connections_left_out_ == 1 ? "was" : "were",
                kMaxConnectionsShown);
        if (frames_outside_connections_ > 0)
            markup(
                "<p class=\"note\">{} frame{} could not be decoded and belong{} to no connection: the text "
                "walkthrough (<code>-F text</code>) lists them.</p>\n",
                frames_outside_connections_, plural(frames_outside_connections_),
                frames_outside_connections_ == 1 ? "s" : "");
        markup("</section>\n");
        emit();
    }

    void write_connection_table() {
        markup(
            "<section id=\"connections\"><h2>Connections</h2>\n<table class=\"connections\">\n<thead><tr>"
            "<th>#</th><th>Client</th><th>Server</th><th>State</th><th>Duration</th>"
            "<th>Bytes c\u2192s / s\u2192c</th><th>Packets</th><th>Findings</th>"
            "</tr></thead>\n<tbody>\n");
        for (const auto& c : shown_) {
            const auto& s = c.summary;
            const auto bytes = s.dir[0].payload_bytes + s.dir[1].payload_bytes;
            markup("<tr><td class=\"num\" data-sort=\"{0}\"><a href=\"#c{0}\">{0}</a></td><td>", s.id);
            text(EndpointText(s.client).view());
            markup("</td><td>");
            text(EndpointText(s.server).view());
            markup("</td><td>");
            text(fmt::format("{} ({}, {})", s.conn_state.empty() ? "-" : s.conn_state, to_string(s.handshake),
                             to_string(s.close)));
            markup("</td><td class=\"num\" data-sort=\"{}\">", s.duration().count());
            text(explain::human_duration(s.duration()));
            markup(
                "</td><td class=\"num\" data-sort=\"{}\">{} / {}</td><td class=\"num\">{}</td>"
                "<td class=\"num\">{}</td></tr>\n",
                bytes, s.dir[0].payload_bytes, s.dir[1].payload_bytes, s.dir[0].packets + s.dir[1].packets,
                findings_count(s));
        }
        markup("</tbody>\n</table>\n</section>\n");
        emit();
    }

    void write_connection(const ShownConnection& c) {
        const auto& s = c.summary;
        markup("<section class=\"connection\" id=\"c{0}\"><h2>Connection {0}: client ", s.id);
        text(EndpointText(s.client).view());
        markup(" \u2192 server ");
        text(EndpointText(s.server).view());
        markup("</h2>\n");
        if (s.roles_inferred) markup("<p>Roles inferred: the capture missed the first SYN.</p>\n");
        markup("<p class=\"conversation-summary\">");
        explain::append_conversation_explanation(scratch_.clear(), s);
        text(scratch_.view());
        markup(".</p>\n");
        append_connection_pictures(page_, ConnectionPictureInput{s, c.segments, c.segments_left_out > 0});
        markup(
            "<table class=\"segments\">\n<thead><tr><th>#</th><th>Time</th><th>Direction</th><th>Flags</th>"
            "<th>Seq</th><th>Ack</th><th>Len</th><th>Win</th><th>Meaning</th></tr></thead>\n<tbody>\n");
        emit();
        for (const auto& seg : c.segments) {
            write_segment(seg);
            emit();
        }
        markup("</tbody>\n</table>\n");
        if (c.segments_left_out > 0)
            markup(
                "<p class=\"note left-out\">This connection has {} more segment{} after these {} (a report lists at "
                "most {} per connection): the text walkthrough (<code>-F text</code>) lists every one, or narrow "
                "the capture with a BPF filter or <code>--count N</code>.</p>\n",
                c.segments_left_out, plural(c.segments_left_out), c.segments.size(), kMaxSegmentsShown);
        markup("</section>\n");
        emit();
    }

    void write_segment(const AnnotatedSegment& s) {
        const bool from_client = s.sender == Role::Client;
        markup("<tr id=\"f{0}\" data-frame=\"{0}\" class=\"{1}\"><td class=\"num frame\">{0}</td><td class=\"time\">",
               s.frame, from_client ? "client" : "server");
        text::append_signed_seconds(scratch_.clear(), s.since_start);
        text(scratch_.view());
        markup("</td><td class=\"dir\">{}</td><td class=\"flags\">",
               from_client ? "client \u2192 server" : "server \u2192 client");
        if (s.has_tcp) {
            text(flags_words(s.flags));
            if (s.phase != Phase::None) {
                markup(" <span class=\"phase\">({} {}/", explain::phase_name(s.phase), s.step);
                if (s.steps)
                    markup("{})</span>", s.steps);
                else
                    markup("?)</span>");
            }
            const std::uint32_t seq = opt_.absolute_seq ? s.seq : s.rel_seq;
            const std::uint32_t ack = opt_.absolute_seq ? s.ack : s.rel_ack;
            markup("</td><td class=\"num\">{}</td><td class=\"num\">", seq);
            if (s.flags & tcpflag::kAck) markup("{}", ack);
            markup("</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td>", s.payload_len, s.window,
                   s.window_scale_unknown ? "*2^?" : "");
        } else {
            markup("malformed</td><td></td><td></td><td></td><td></td>");
        }
        markup("<td class=\"meaning\"><p class=\"explanation\">");
        explain::append_segment_explanation(scratch_.clear(), s, numbering(), opt_.language);
        text(scratch_.view());
        markup("</p>");
        write_findings(s);
        if (s.change_count > 0) {
            markup("<p class=\"states\">state: ");
            append_state_chain(scratch_.clear(), s.state_changes());
            text(scratch_.view());
            markup("</p>");
        }
        if (s.has_tcp && (s.options.count > 0 || s.options.malformed || s.options.truncated)) {
            explain::append_options_text(scratch_.clear(), s.options, opt_.absolute_seq ? 0 : s.ack - s.rel_ack);
            if (!scratch_.view().empty()) {
                markup("<p class=\"options\">options: ");
                text(scratch_.view());
                markup("</p>");
            }
        }
        markup("</td></tr>\n");
    }

    void write_findings(const AnnotatedSegment& s) {
        bool any = false;
        for (const auto& a : s.notes()) {
            if (!shown_beside_segment(a, s)) continue;
            if (!any) markup("<ul class=\"findings\">");
            any = true;
            markup("<li class=\"{}\"><code>{}</code> ", severity_class(code_severity(a.code)), code_name(a.code));
            explain::append_annotation_explanation(scratch_.clear(), a, s, numbering(), opt_.language);
            text(scratch_.view());
            markup("</li>");
        }
        if (any) markup("</ul>");
    }

    void write_tail() {
        markup("</main>\n<aside id=\"detail\" hidden aria-live=\"polite\"></aside>\n<script>");
        markup(html_report::kScript);
        markup("</script>\n</body>\n</html>\n");
        emit();
    }

    OutputBuffer out_;
    RenderOptions opt_;
    CaptureInfo info_;
    std::vector<ShownConnection> shown_;
    std::unordered_map<ConversationId, std::size_t> index_;
    std::uint64_t connections_left_out_ = 0;
    std::uint64_t frames_outside_connections_ = 0;
    std::string page_;
    Scratch scratch_;
};

}  // namespace

std::unique_ptr<EventSink> make_html_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<HtmlReport>(out, o);
}

}  // namespace tfx::render
