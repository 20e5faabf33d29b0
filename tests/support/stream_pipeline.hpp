#pragma once
// Frames built with frame_builder through a Session and ConnectionStreams into the
// DirectionOutputs a test gives (a FollowPrinter, a StreamDirectory, a recorder): the streams
// as --follow and --write-streams rebuild them.

#include <chrono>

#include "stream/connection_streams.hpp"
#include "support/session_harness.hpp"

namespace tfx::test {

class StreamPipeline {
public:
    explicit StreamPipeline(stream::DirectionOutputs& outputs)
        : streams_(events, outputs), session_(Options{}, streams_) {
        session_.start(CaptureInfo{});
    }

    /// Sends one Ethernet/IP/TCP frame, a millisecond after the previous one.
    void send(const TcpSpec& spec) {
        now_ += std::chrono::milliseconds(1);
        session_.feed(raw_frame(next_++, now_, linktype::kEthernet, eth_tcp(spec)));
    }
    /// Ends the capture: every connection is closed, every stream finished.
    void finish() { session_.finish(); }

    CollectingSink events;

private:
    stream::ConnectionStreams streams_;
    Session session_;
    FrameIndex next_ = 1;
    Timestamp now_{std::chrono::seconds(1'700'000'000)};
};

}  // namespace tfx::test
