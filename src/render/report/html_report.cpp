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
#include "i18n/catalogue.hpp"
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
using i18n::Msg;

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
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            // Nothing may be fetched: the report stands alone, whatever the capture holds.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>tcpflow-explain: ",
            opt_.language == Language::Fr ? "fr" : "en");
        text(info_.source);
        markup("</title>\n<style>");
        markup(html_report::kStyle);
        markup("</style>\n</head>\n<body>\n<header class=\"top\"><h1>");
        text(word(Msg::PicHtmlReportTitle));
        markup("<span class=\"source\">");
        text(info_.source);
        markup("</span></h1><p class=\"hint\">");
        text(word(Msg::PicHtmlHint));
        markup("</p></header>\n<main>\n");
        emit();
    }

    [[nodiscard]] std::string_view word(Msg id) const { return i18n::word(opt_.language, id); }
    [[nodiscard]] std::string said(Msg id, std::initializer_list<i18n::Arg> args) const {
        return i18n::said(opt_.language, id, args);
    }

    void fact(Msg name, std::string_view value) {
        markup("<dt>");
        text(word(name));
        markup("</dt><dd>");
        text(value);
        markup("</dd>");
    }

    void write_capture(const CaptureSummary& c) {
        markup("<section id=\"capture\"><h2>");
        text(word(Msg::PicHtmlCapture));
        markup("</h2>\n<dl class=\"capture\">");
        fact(Msg::PicHtmlSource, info_.source);
        fact(Msg::PicHtmlFormat, info_.format);
        if (!info_.filter.empty()) fact(Msg::PicHtmlFilter, info_.filter);
        fact(Msg::PicHtmlFramesLabel, said(Msg::PicHtmlFrames, {c.frames, c.tcp_segments}));
        fact(Msg::PicHtmlConnections, fmt::format("{}", c.conversations));
        if (c.selection) fact(Msg::PicHtmlSelection, selection_text(*c.selection, c.conversations, opt_.language));
        fact(Msg::PicHtmlSkippedLabel, said(Msg::PicHtmlSkipped, {c.non_tcp, c.non_ip, c.malformed, c.fragments}));
        if (c.evicted || c.expired)
            fact(Msg::PicHtmlFinalisedLabel, said(Msg::PicHtmlFinalised, {c.expired, c.evicted}));
        if (c.capture_drops)
            fact(Msg::PicHtmlDropsLabel,
                 said(Msg::PicHtmlDrops, {c.capture_dropped_bytes, c.capture_drops, c.capture_drop_bursts}));
        if (c.kernel_received)
            fact(Msg::PicHtmlKernelLabel, said(Msg::PicHtmlKernel, {*c.kernel_received, c.kernel_dropped.value_or(0),
                                                                    c.interface_dropped.value_or(0)}));
        markup("</dl>\n");
        if (c.truncated) {
            markup("<p class=\"note\">");
            text(word(Msg::PicHtmlTruncated));
            text(c.truncation_message);
            markup("</p>\n");
        }
        if (c.interrupted) {
            markup("<p class=\"note\">");
            text(said(Msg::PicHtmlInterrupted, {signal_name(c.interrupted->signal), c.interrupted->after_frame}));
            markup("</p>\n");
        }
        // These two notes hold <code> markup: their templates are trusted, their values numbers.
        if (connections_left_out_ > 0)
            markup("<p class=\"note left-out\">{}</p>\n",
                   said(Msg::PicHtmlConnectionsLeftOut, {shown_.size(), connections_left_out_, kMaxConnectionsShown}));
        if (frames_outside_connections_ > 0)
            markup("<p class=\"note\">{}</p>\n", said(Msg::PicHtmlUndecoded, {frames_outside_connections_}));
        markup("</section>\n");
        emit();
    }

    void write_connection_table() {
        markup(
            "<section id=\"connections\"><h2>{}</h2>\n<table class=\"connections\">\n<thead><tr>{}</tr></thead>\n"
            "<tbody>\n",
            word(Msg::PicHtmlConnections), word(Msg::PicHtmlConnectionsHead));
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
            text(explain::human_duration(s.duration(), opt_.language));
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
        markup("<section class=\"connection\" id=\"c{0}\"><h2>", s.id);
        text(said(Msg::PicHtmlConnectionHeading, {s.id, EndpointText(s.client).view(), EndpointText(s.server).view()}));
        markup("</h2>\n");
        if (s.roles_inferred) {
            markup("<p>");
            text(word(Msg::PicHtmlRolesInferred));
            markup("</p>\n");
        }
        markup("<p class=\"conversation-summary\">");
        explain::append_conversation_explanation(scratch_.clear(), s, opt_.language);
        text(scratch_.view());
        markup(".</p>\n");
        append_connection_pictures(page_,
                                   ConnectionPictureInput{s, c.segments, c.segments_left_out > 0, opt_.language});
        markup("<table class=\"segments\">\n<thead><tr>{}</tr></thead>\n<tbody>\n", word(Msg::PicHtmlSegmentsHead));
        emit();
        for (const auto& seg : c.segments) {
            write_segment(seg);
            emit();
        }
        markup("</tbody>\n</table>\n");
        if (c.segments_left_out > 0)
            markup("<p class=\"note left-out\">{}</p>\n",
                   said(Msg::PicHtmlSegmentsLeftOut, {c.segments_left_out, c.segments.size(), kMaxSegmentsShown}));
        markup("</section>\n");
        emit();
    }

    void write_segment(const AnnotatedSegment& s) {
        const bool from_client = s.sender == Role::Client;
        markup("<tr id=\"f{0}\" data-frame=\"{0}\" class=\"{1}\"><td class=\"num frame\">{0}</td><td class=\"time\">",
               s.frame, from_client ? "client" : "server");
        text::append_signed_seconds(scratch_.clear(), s.since_start);
        text(scratch_.view());
        markup("</td><td class=\"dir\">");
        text(word(from_client ? Msg::PicArrowClientToServer : Msg::PicArrowServerToClient));
        markup("</td><td class=\"flags\">");
        if (s.has_tcp) {
            text(flags_words(s.flags));
            if (s.phase != Phase::None) {
                append_phase_step(scratch_.clear(),
                                  word(s.phase == Phase::Handshake ? Msg::PhaseHandshake : Msg::PhaseTeardown), s);
                markup(" <span class=\"phase\">(");
                text(scratch_.view());
                markup(")</span>");
            }
            const std::uint32_t seq = opt_.absolute_seq ? s.seq : s.rel_seq;
            const std::uint32_t ack = opt_.absolute_seq ? s.ack : s.rel_ack;
            markup("</td><td class=\"num\">{}</td><td class=\"num\">", seq);
            if (s.flags & tcpflag::kAck) markup("{}", ack);
            markup("</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td>", s.payload_len, s.window,
                   s.window_scale_unknown ? "*2^?" : "");
        } else {
            text(word(Msg::PicHtmlMalformed));
            markup("</td><td></td><td></td><td></td><td></td>");
        }
        markup("<td class=\"meaning\"><p class=\"explanation\">");
        explain::append_segment_explanation(scratch_.clear(), s, numbering(), opt_.language);
        text(scratch_.view());
        markup("</p>");
        write_findings(s);
        if (s.change_count > 0) {
            markup("<p class=\"states\">");
            text(word(Msg::PicHtmlStateLabel));
            append_state_chain(scratch_.clear(), s.state_changes(), opt_.language);
            text(scratch_.view());
            markup("</p>");
        }
        if (s.has_tcp && (s.options.count > 0 || s.options.malformed || s.options.truncated)) {
            explain::append_options_text(scratch_.clear(), s.options, opt_.absolute_seq ? 0 : s.ack - s.rel_ack);
            if (!scratch_.view().empty()) {
                markup("<p class=\"options\">");
                text(word(Msg::PicHtmlOptionsLabel));
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
        html_report::append_script(page_, word(Msg::PicHtmlDetailFrame));
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
