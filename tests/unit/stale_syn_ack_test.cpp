// Two SYN-ACKs with different ISNs answer one SYN (a server restarted, or two servers behind
// one address): the ISN the client acknowledges is the connection's (RFC 9293 §3.4.1, the
// handshake's third step), and a later copy of the other SYN-ACK is outside the receive
// window (§3.10.7.4). The server's bytes are numbered, and its stream rebuilt, from the
// acknowledged ISN, whatever SYN-ACK comes after.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>

#include "stream/connection_streams.hpp"
#include "support/session_harness.hpp"
#include "support/stream_pipeline.hpp"

namespace {

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

constexpr std::uint32_t kClientIsn = 1000;
constexpr std::uint32_t kStaleIsn = 3'212'050'950;  // the first answer, never acknowledged
constexpr std::uint32_t kIsn = 97'572'840;          // the answer the client acknowledges

struct Server : stream::StreamSink {
    std::string bytes_seen;
    std::uint64_t first_offset = ~std::uint64_t{0};
    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex /*frame*/) override {
        first_offset = std::min(first_offset, offset);
        bytes_seen.append(reinterpret_cast<const char*>(data.data()), data.size());
    }
    void missing(std::uint64_t /*offset*/, std::uint64_t /*length*/, stream::MissingReason /*reason*/) override {}
};

struct Outputs : stream::DirectionOutputs {
    std::map<Role, Server> sinks;
    std::map<Role, std::uint64_t> missing_bytes;
    stream::StreamSink& opened(const stream::StreamDirection& direction) override { return sinks[direction.sender]; }
    void closed(const stream::StreamDirection& direction, const stream::StreamEnd& end) override {
        missing_bytes[direction.sender] = end.totals.missing_bytes;
    }
};

// The handshake of the capture this reproduces: a SYN, the stale SYN-ACK, the SYN-ACK the
// client takes, its ACK, the stale SYN-ACK again, then 5 bytes from the server.
void send_handshake_with_a_stale_syn_ack(const Peers& p, const std::function<void(const TcpSpec&)>& send) {
    send(p.c2s(kClientIsn, 0, kSyn));
    send(p.s2c(kStaleIsn, kClientIsn + 1, kSyn | kAck));
    send(p.s2c(kIsn, kClientIsn + 1, kSyn | kAck));
    send(p.c2s(kClientIsn + 1, kIsn + 1, kAck));
    send(p.s2c(kStaleIsn, kClientIsn + 1, kSyn | kAck));
    TcpSpec data = p.s2c(kIsn + 1, kClientIsn + 1, kAck | kPsh);
    data.payload = text("hello");
    send(data);
}

TEST(StaleSynAck, the_server_is_numbered_from_the_acknowledged_isn) {
    Harness h;
    const Peers p;
    send_handshake_with_a_stale_syn_ack(p, [&](const TcpSpec& spec) { h.send(spec); });
    h.finish();
    ASSERT_EQ(h.sink.segments.size(), 6u);
    const AnnotatedSegment& data = h.sink.segments.back();
    EXPECT_EQ(data.rel_seq, 1u) << "the first byte after the acknowledged ISN";
    EXPECT_EQ(h.sink.segments[3].rel_ack, 1u) << "the client's ACK of the SYN";
    EXPECT_EQ(h.sink.closed.size(), 1u) << "one connection: no SYN started another";
}

TEST(StaleSynAck, the_server_stream_starts_at_offset_zero) {
    Outputs outputs;
    StreamPipeline pipeline(outputs);
    const Peers p;
    send_handshake_with_a_stale_syn_ack(p, [&](const TcpSpec& spec) { pipeline.send(spec); });
    pipeline.finish();
    ASSERT_TRUE(outputs.sinks.count(Role::Server));
    EXPECT_EQ(outputs.sinks[Role::Server].first_offset, 0u);
    EXPECT_EQ(outputs.sinks[Role::Server].bytes_seen, "hello");
    EXPECT_EQ(outputs.missing_bytes[Role::Server], 0u) << "nothing before the 5 bytes is missing";
}

}  // namespace
