// DOT: the RFC 9293 state diagram with the path each endpoint of each connection took.

#include <fmt/format.h>

#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "tcp/state_graph.hpp"

namespace tfx::render {

namespace {

class DotRenderer final : public EventSink {
public:
    explicit DotRenderer(std::FILE* out) : out_(out) {}
    void segment(const AnnotatedSegment&) override {}
    bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& s) override {
        const tcp::ObservedPath paths[2] = {
            {fmt::format("client {}", s.client.to_string()), s.observed_edges[0], s.visited_states[0]},
            {fmt::format("server {}", s.server.to_string()), s.observed_edges[1], s.visited_states[1]},
        };
        out_.write(tcp::state_graph_dot(
            fmt::format("connection {}: {} -> {}", s.id, s.client.to_string(), s.server.to_string()), paths));
    }
    void capture_finished(const CaptureSummary& c) override {
        if (c.conversations == 0) out_.write(tcp::state_graph_dot("RFC 9293 TCP states", {}));
        out_.flush();
    }

private:
    OutputBuffer out_;
};

}  // namespace

std::unique_ptr<EventSink> make_dot_renderer(std::FILE* out, const RenderOptions&) {
    return std::make_unique<DotRenderer>(out);
}

}  // namespace tfx::render
