#pragma once
// Feeds frames built with frame_builder through a Session and collects every event, for
// tests of the pipeline from the flow table to the summaries.

#include <vector>

#include "support/frame_builder.hpp"
#include "tfx/session.hpp"

namespace tfx::test {

class CollectingSink final : public EventSink {
public:
    std::vector<AnnotatedSegment> segments;
    std::vector<ConversationSummary> opened;
    std::vector<ConversationSummary> closed;
    CaptureSummary capture;
    bool finished = false;

    void conversation_opened(const ConversationSummary& s) override { opened.push_back(s); }
    void segment(const AnnotatedSegment& s) override {
        segments.push_back(s);
        segments.back().payload = {};  // the view dies with the callback
    }
    void conversation_closed(const ConversationSummary& s) override { closed.push_back(s); }
    void capture_finished(const CaptureSummary& c) override {
        capture = c;
        finished = true;
    }
};

/// A captured frame of `link_type` holding all of `frame`.
inline RawFrame raw_frame(FrameIndex index, Timestamp ts, int link_type, const Bytes& frame) {
    RawFrame raw;
    raw.index = index;
    raw.ts = ts;
    raw.link_type = link_type;
    raw.caplen = static_cast<std::uint32_t>(frame.size());
    raw.wirelen = raw.caplen;
    raw.data = frame;
    return raw;
}

class Harness {
public:
    explicit Harness(Options options = {}) : session_(options, sink) { session_.start(CaptureInfo{}); }

    /// Sends one Ethernet/IP/TCP frame, `gap_us` microseconds after the previous one.
    const AnnotatedSegment& send(const TcpSpec& spec, std::int64_t gap_us = 1000) {
        send_raw(linktype::kEthernet, eth_tcp(spec), gap_us);
        return sink.segments.back();
    }
    /// Feeds raw bytes of any link type.
    void send_raw(int link_type, const Bytes& frame, std::int64_t gap_us = 1000) {
        now_ += std::chrono::microseconds(gap_us);
        session_.feed(raw_frame(next_++, now_, link_type, frame));
    }
    void finish() { session_.finish(); }

    CollectingSink sink;

private:
    Session session_;
    FrameIndex next_ = 1;
    Timestamp now_{std::chrono::seconds(1'700'000'000)};
};

/// A client and a server exchanging segments with consistent sequence numbers.
struct Peers {
    std::string client = "10.0.0.1";
    std::string server = "10.0.0.2";
    std::uint16_t cport = 40000;
    std::uint16_t sport = 80;

    [[nodiscard]] TcpSpec c2s(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) const {
        return TcpSpec{.src = client,
                       .dst = server,
                       .sport = cport,
                       .dport = sport,
                       .seq = seq,
                       .ack = ack,
                       .flags = flags,
                       .payload = Bytes(len, std::byte{0x61})};
    }
    [[nodiscard]] TcpSpec s2c(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) const {
        return TcpSpec{.src = server,
                       .dst = client,
                       .sport = sport,
                       .dport = cport,
                       .seq = seq,
                       .ack = ack,
                       .flags = flags,
                       .payload = Bytes(len, std::byte{0x62})};
    }
};

// The seed exchange (echo pouet | nc): handshake, 6 bytes and their ACK, FIN, FIN-ACK, last ACK.
inline void send_seed_exchange(Harness& h, const Peers& p, std::uint32_t c_isn, std::uint32_t s_isn) {
    using namespace tcpflag;
    h.send(p.c2s(c_isn, 0, kSyn));
    h.send(p.s2c(s_isn, c_isn + 1, kSyn | kAck));
    h.send(p.c2s(c_isn + 1, s_isn + 1, kAck));
    h.send(p.c2s(c_isn + 1, s_isn + 1, kAck | kPsh, 6));
    h.send(p.s2c(s_isn + 1, c_isn + 7, kAck));
    h.send(p.c2s(c_isn + 7, s_isn + 1, kFin | kAck));
    h.send(p.s2c(s_isn + 1, c_isn + 8, kFin | kAck));
    h.send(p.c2s(c_isn + 8, s_isn + 2, kAck));
}

}  // namespace tfx::test
