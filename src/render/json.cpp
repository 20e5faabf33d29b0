// JSON document and JSONL stream renderers.
// The document streams too: each connection is written when it is finalised, with its
// segments (waiting until then as compact records: segment_record.hpp, pending_bytes.hpp);
// JSONL writes every event as it happens. Both write segments and connections with
// JsonWriter, byte for byte what nlohmann's dump() printed before (the golden tests hold
// them to it).

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "render/json_model.hpp"
#include "render/output_buffer.hpp"
#include "render/pending_bytes.hpp"
#include "render/renderers.hpp"
#include "render/segment_record.hpp"
#include "render/text_format.hpp"
#include "tfx/version.hpp"

namespace tfx::render {

namespace {

std::string indented(const Json& j, int indent) {
    std::string text = json_text(j, 2);
    std::string pad(static_cast<std::size_t>(indent), ' ');
    std::string out = pad;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        out += c;
        if (c == '\n') out += pad;
    }
    return out;
}

// The capture summary, with the findings tally when it was asked for.
Json summary_json(const CaptureSummary& c, const RenderOptions& o, const FindingsTally& tally) {
    Json j = capture_summary_json(c);
    if (o.findings_tally) j["findings"] = findings_tally_json(tally);
    return j;
}

Json tool_json() { return Json{{"name", "tcpflow-explain"}, {"version", kVersion}}; }

// Pretty layout of the document (that of nlohmann's dump(2)): a connection object sits
// at column 4, its segments one level deeper; malformed frames are an array at column 2.
constexpr int kIndent = 2;
constexpr int kConversationPad = 4;
constexpr int kSegmentDepth = 2;
constexpr int kMalformedPad = 2;
constexpr int kMalformedDepth = 1;

class JsonDocumentRenderer final : public EventSink {
public:
    JsonDocumentRenderer(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o) {}

    void capture_started(const CaptureInfo& info) override {
        frame_files_ = info.frame_files;
        out_.print("{{\n  \"schema\": \"{}\",\n  \"tool\": {},\n  \"capture\": {},\n  \"conversations\": [", kSchemaId,
                   indented(tool_json(), 2).substr(2), indented(capture_info_json(info), 2).substr(2));
    }
    // Each segment waits for its connection as a compact record (~10x smaller than its JSON
    // text; beyond a memory budget it waits in a temporary file: pending_bytes.hpp) and is
    // formatted when the connection is written. Malformed frames belong to no connection and
    // are few: they are formatted at once.
    void segment(const AnnotatedSegment& s) override {
        if (left_out(opt_, s)) return;
        if (!s.has_tcp) {
            scratch_.clear();
            format_element(scratch_, s, malformed_.empty(), kMalformedDepth, kMalformedPad);
            malformed_.append(scratch_.data(), scratch_.size());
            return;
        }
        if (opt_.summary_only) return;
        record_.clear();
        append_segment_record(record_, s, opt_.payload != PayloadMode::None);
        pending_.append(s.conversation, record_);
        if (s.content_hint != nullptr) hints_[s.conversation].push_back({s.frame, *s.content_hint});
    }
    void conversation_closed(const ConversationSummary& s) override {
        if (opt_.findings_tally) tally_.add(s);
        out_.write(first_ ? "\n" : ",\n");
        first_ = false;
        auto& out = out_.raw();
        out.append(std::string_view("    "));
        JsonWriter w(out, kIndent, 0, kConversationPad);
        w.begin_object();
        write_conversation_fields(w, s, opt_.language);
        if (!opt_.summary_only) {
            w.key("segments");
            if (pending_.empty(s.id)) {
                w.raw_value("[]");
            } else {
                w.raw_value("[");
                w.sync();  // the segments are appended by their own writers, then ']' directly
                bool first_segment = true;
                const std::vector<FrameHint> hints = take_hints(s.id);
                pending_.take(s.id, [&](std::string_view piece) {
                    records_.feed(piece);
                    while (const AnnotatedSegment* segment = records_.next()) {
                        const AnnotatedSegment& shown = with_hint(*segment, hints);
                        format_element(out, shown, first_segment, kSegmentDepth, kConversationPad);
                        first_segment = false;
                        out_.end_piece();  // a long connection is written as it is decoded
                    }
                });
                if (records_.mid_record()) throw std::runtime_error("a JSON segment record was cut short");
                w.resume();
                w.newline(kSegmentDepth - 1);
                w.raw("]");
            }
        }
        w.end_object();
        out_.end_piece();
    }
    void capture_finished(const CaptureSummary& c) override {
        out_.write(first_ ? "],\n" : "\n  ],\n");
        out_.write("  \"malformed_frames\": ");
        if (malformed_.empty()) {
            out_.write("[]");
        } else {
            out_.write("[");
            out_.write(malformed_);
            out_.write("\n  ]");
        }
        out_.write(",\n  \"summary\": ");
        out_.write(indented(summary_json(c, opt_, tally_), 2).substr(2));
        out_.write("\n}\n");
        out_.flush();
    }

private:
    /// A content hint waiting with its connection, and the frame that carries it. The records
    /// do not carry hints: at most two a connection, they wait here.
    struct FrameHint {
        FrameIndex frame = 0;
        content::ContentHint hint;
    };

    std::vector<FrameHint> take_hints(ConversationId id) {
        const auto found = hints_.find(id);
        if (found == hints_.end()) return {};
        std::vector<FrameHint> taken = std::move(found->second);
        hints_.erase(found);
        return taken;
    }

    /// `segment` with its hint back, when one of `hints` is for its frame.
    const AnnotatedSegment& with_hint(const AnnotatedSegment& segment, const std::vector<FrameHint>& hints) {
        for (const FrameHint& h : hints) {
            if (h.frame != segment.frame) continue;
            hinted_ = segment;
            hinted_.content_hint = &h.hint;
            return hinted_;
        }
        return segment;
    }

    // Appends ",\n<indent>{...}" (no comma before an array's first element) to `dest`.
    void format_element(fmt::memory_buffer& dest, const AnnotatedSegment& s, bool first, int depth, int pad) const {
        if (!first) dest.push_back(',');
        JsonWriter w(dest, kIndent, depth, pad);
        w.newline(depth);
        w.begin_object();
        write_segment_fields(w, s, opt_, frame_files_.get());
        w.end_object();
    }

    OutputBuffer out_;
    RenderOptions opt_;
    FindingsTally tally_;
    PendingBytes pending_;
    std::string record_;           ///< the segment being stored
    SegmentRecordReader records_;  ///< the connection being written
    std::string malformed_;
    std::unordered_map<ConversationId, std::vector<FrameHint>> hints_;
    AnnotatedSegment hinted_;  ///< a decoded segment with its hint, while it is formatted
    fmt::memory_buffer scratch_;
    std::shared_ptr<const FrameFiles> frame_files_;
    bool first_ = true;
};

class JsonLinesRenderer final : public EventSink {
public:
    JsonLinesRenderer(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o) {}

    void capture_started(const CaptureInfo& info) override {
        frame_files_ = info.frame_files;
        out_.set_line_buffered(info.live);
        Json j{{"type", "capture"}, {"schema", kSchemaId}, {"tool", tool_json()}};
        j.update(capture_info_json(info));
        out_.write(json_text(j));
        end_line();
    }
    void conversation_opened(const ConversationSummary& s) override {
        if (opt_.summary_only) return;
        CompactJsonWriter w(out_.raw());
        w.begin_object();
        w.plain_member("type", "conversation_open");
        w.member("conversation", s.id);
        w.plain_member("client", EndpointText(s.client).view());
        w.plain_member("server", EndpointText(s.server).view());
        w.member("roles_inferred", s.roles_inferred);
        w.end_object();
        end_line();
    }
    void segment(const AnnotatedSegment& s) override {
        if (opt_.summary_only) return;  // malformed frames too: JSONL has no line for them then
        if (left_out(opt_, s)) return;
        CompactJsonWriter w(out_.raw());
        w.begin_object();
        w.plain_member("type", "segment");
        write_segment_fields(w, s, opt_, frame_files_.get());
        w.end_object();
        end_line();
    }
    bool wants_segments() const override { return !opt_.summary_only; }
    void conversation_closed(const ConversationSummary& s) override {
        if (opt_.findings_tally) tally_.add(s);
        CompactJsonWriter w(out_.raw());
        w.begin_object();
        w.plain_member("type", "conversation");
        write_conversation_fields(w, s, opt_.language);
        w.end_object();
        end_line();
    }
    void capture_finished(const CaptureSummary& c) override {
        Json j{{"type", "capture_end"}};
        j.update(summary_json(c, opt_, tally_));
        out_.write(json_text(j));
        end_line();
        out_.flush();
    }

private:
    void end_line() {
        out_.raw().push_back('\n');
        out_.end_piece();
        out_.end_event();
    }
    OutputBuffer out_;
    RenderOptions opt_;
    FindingsTally tally_;
    std::shared_ptr<const FrameFiles> frame_files_;
};

}  // namespace

std::unique_ptr<EventSink> make_json_renderer(std::FILE* out, const RenderOptions& o, bool lines) {
    if (lines) return std::make_unique<JsonLinesRenderer>(out, o);
    return std::make_unique<JsonDocumentRenderer>(out, o);
}

}  // namespace tfx::render
