// JSON document and JSONL stream renderers.
// The document streams too: each connection is written when it is finalised, with its
// segments (buffered for that connection only); JSONL writes every event as it happens.

#include <unordered_map>
#include <vector>

#include "render/json_model.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "tfx/version.hpp"

namespace tfx::render {

namespace {

std::string indented(const Json& j, int indent) {
    std::string text = j.dump(2);
    std::string pad(static_cast<std::size_t>(indent), ' ');
    std::string out = pad;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        out += c;
        if (c == '\n') out += pad;
    }
    return out;
}

Json tool_json() { return Json{{"name", "tcpflow-explain"}, {"version", kVersion}}; }

class JsonDocumentRenderer final : public EventSink {
public:
    JsonDocumentRenderer(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o) {}

    void capture_started(const CaptureInfo& info) override {
        out_.print("{{\n  \"schema\": \"{}\",\n  \"tool\": {},\n  \"capture\": {},\n  \"conversations\": [", kSchemaId,
                   indented(tool_json(), 2).substr(2), indented(capture_info_json(info), 2).substr(2));
    }
    void conversation_opened(const ConversationSummary& s) override { pending_[s.id] = Json::array(); }
    void segment(const AnnotatedSegment& s) override {
        if (!s.has_tcp) {
            malformed_.push_back(segment_json(s, opt_));
            return;
        }
        if (opt_.summary_only) return;
        pending_[s.conversation].push_back(segment_json(s, opt_));
    }
    void conversation_closed(const ConversationSummary& s) override {
        Json conv = conversation_json(s);
        if (!opt_.summary_only) {
            auto it = pending_.find(s.id);
            conv["segments"] = it != pending_.end() ? std::move(it->second) : Json::array();
        }
        pending_.erase(s.id);
        out_.write(first_ ? "\n" : ",\n");
        first_ = false;
        out_.write(indented(conv, 4));
    }
    void capture_finished(const CaptureSummary& c) override {
        out_.write(first_ ? "],\n" : "\n  ],\n");
        out_.write("  \"malformed_frames\": ");
        out_.write(malformed_.empty() ? "[]" : indented(malformed_, 2).substr(2));
        out_.write(",\n  \"summary\": ");
        out_.write(indented(capture_summary_json(c), 2).substr(2));
        out_.write("\n}\n");
        out_.flush();
    }

private:
    OutputBuffer out_;
    RenderOptions opt_;
    std::unordered_map<ConversationId, Json> pending_;
    Json malformed_ = Json::array();
    bool first_ = true;
};

class JsonLinesRenderer final : public EventSink {
public:
    JsonLinesRenderer(std::FILE* out, const RenderOptions& o) : out_(out), opt_(o) {}

    void capture_started(const CaptureInfo& info) override {
        out_.set_line_buffered(info.live);
        Json j{{"type", "capture"}, {"schema", kSchemaId}, {"tool", tool_json()}};
        j.update(capture_info_json(info));
        line(j);
    }
    void conversation_opened(const ConversationSummary& s) override {
        if (opt_.summary_only) return;
        line(Json{{"type", "conversation_open"},
                  {"conversation", s.id},
                  {"client", s.client.to_string()},
                  {"server", s.server.to_string()},
                  {"roles_inferred", s.roles_inferred}});
    }
    void segment(const AnnotatedSegment& s) override {
        if (opt_.summary_only) return;
        Json j{{"type", "segment"}};
        j.update(segment_json(s, opt_));
        line(j);
    }
    void conversation_closed(const ConversationSummary& s) override {
        Json j{{"type", "conversation"}};
        j.update(conversation_json(s));
        line(j);
    }
    void capture_finished(const CaptureSummary& c) override {
        Json j{{"type", "capture_end"}};
        j.update(capture_summary_json(c));
        line(j);
        out_.flush();
    }

private:
    void line(const Json& j) {
        out_.write(j.dump());
        out_.write("\n");
        out_.end_event();
    }
    OutputBuffer out_;
    RenderOptions opt_;
};

}  // namespace

std::unique_ptr<EventSink> make_json_renderer(std::FILE* out, const RenderOptions& o, bool lines) {
    if (lines) return std::make_unique<JsonLinesRenderer>(out, o);
    return std::make_unique<JsonDocumentRenderer>(out, o);
}

}  // namespace tfx::render
