// One line per TCP connection of a capture file, through the installed library:
//
//   connection_lines FILE
//
// prints a line per connection as it is finalised: id, client -> server, handshake, close,
// Zeek conn_state and history, packets each way,
//
//   1 127.0.0.1:52200 -> 127.0.0.1:1025 complete graceful SF ShADaFf 5/3 packets
//
// then the number of frames and connections.

#include <cinttypes>
#include <cstdio>
#include <string>

#include <tfx/capture.hpp>

namespace {

class ConnectionLines final : public tfx::EventSink {
public:
    // Only the connections' summaries are printed: the segments can be skipped.
    void segment(const tfx::AnnotatedSegment& /*seg*/) override {}
    [[nodiscard]] bool wants_segments() const override { return false; }

    void conversation_closed(const tfx::ConversationSummary& s) override {
        std::printf("%" PRIu32 " %s -> %s %s %s %s %s %" PRIu64 "/%" PRIu64 " packets\n", s.id,
                    s.client.to_string().c_str(), s.server.to_string().c_str(),
                    std::string(tfx::to_string(s.handshake)).c_str(), std::string(tfx::to_string(s.close)).c_str(),
                    s.conn_state.c_str(), s.history.c_str(), s.dir[0].packets, s.dir[1].packets);
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    ConnectionLines lines;
    const auto summary = tfx::analyze_file(argv[1], tfx::Options{}, lines);
    if (!summary) {
        std::fprintf(stderr, "%s\n", summary.error().message.c_str());
        return 1;
    }
    std::printf("frames %" PRIu64 ", connections %" PRIu64 "\n", summary->frames, summary->conversations);
    return 0;
}
