// Stream facts (stream/connection_streams.hpp, "Annotating"): frames through a Session and
// ConnectionStreams; each data segment passed on carries how its bytes counted in its
// direction's stream, each conversation summary the direction totals. The byte counts are
// those of the segments built here.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "support/stream_pipeline.hpp"

namespace {

using tfx::SegmentStream;
using tfx::StreamStats;
using tfx::test::StreamPipeline;
using tfx::test::TcpSpec;
namespace flag = tfx::tcpflag;

constexpr std::uint32_t kClientIsn = 1000;  // the client's data starts at seq 1001: offset 0
constexpr std::uint32_t kServerIsn = 5000;

TcpSpec client(std::uint16_t flags, std::uint32_t seq, const std::string& payload = "") {
    TcpSpec s;
    s.seq = seq;
    s.ack = flags & flag::kSyn ? 0 : kServerIsn + 1;
    s.flags = flags;
    for (const char c : payload) s.payload.push_back(static_cast<std::byte>(c));
    return s;
}

TcpSpec server(std::uint16_t flags, std::uint32_t seq) {
    TcpSpec s = client(flags, seq);
    std::swap(s.src, s.dst);
    std::swap(s.sport, s.dport);
    s.ack = kClientIsn + 1;
    return s;
}

class StreamFactsTest : public ::testing::Test {
protected:
    void handshake() {
        pipeline.send(client(flag::kSyn, kClientIsn));
        pipeline.send(server(flag::kSyn | flag::kAck, kServerIsn));
        pipeline.send(client(flag::kAck, kClientIsn + 1));
    }
    /// Sends a client data segment at seq `seq`: its stream facts.
    std::optional<SegmentStream> data(std::uint32_t seq, const std::string& payload,
                                      std::uint16_t flags = flag::kAck | flag::kPsh) {
        pipeline.send(client(flags, seq, payload));
        return pipeline.events.segments.back().stream;
    }
    /// Ends the capture: the client's and the server's stream totals.
    std::optional<std::array<StreamStats, 2>> totals() {
        pipeline.finish();
        return pipeline.events.closed.at(0).stream;
    }

    tfx::stream::DiscardedStreams discarded;
    StreamPipeline pipeline{discarded, tfx::stream::StreamFacts::Attached};
};

// A retransmission covering the second half of a 100-byte segment and 50 bytes past it: 50
// overlapping bytes and 50 new ones, at stream offsets 50 to 150.
TEST_F(StreamFactsTest, HalfOverlappingSegmentCountsFiftyNewAndFiftyOverlapping) {
    handshake();
    EXPECT_EQ(data(kClientIsn + 1, std::string(100, 'a')), (SegmentStream{.offset = 0, .end = 100, .new_bytes = 100}));
    EXPECT_EQ(data(kClientIsn + 51, std::string(100, 'a')),
              (SegmentStream{.offset = 50, .end = 150, .new_bytes = 50, .overlapping_bytes = 50}));
}

// The same 10 bytes sent twice, the second copy with 3 bytes changed: a duplicate of 10 bytes,
// 3 of them inconsistent; the totals count one inconsistent retransmission.
TEST_F(StreamFactsTest, ChangedRetransmissionIsDuplicateAndInconsistent) {
    handshake();
    data(kClientIsn + 1, "0123456789");
    EXPECT_EQ(data(kClientIsn + 1, "01XYZ56789"),
              (SegmentStream{.offset = 0, .end = 10, .duplicate_bytes = 10, .inconsistent_bytes = 3}));
    const auto t = totals();
    ASSERT_TRUE(t);
    EXPECT_EQ((*t)[0].delivered_bytes, 10U);
    EXPECT_EQ((*t)[0].duplicate_bytes, 10U);
    EXPECT_EQ((*t)[0].inconsistent_retransmissions, 1U);
    EXPECT_EQ((*t)[0].inconsistent_bytes, 3U);
}

// 10 bytes, a 10-byte hole never filled, 10 bytes: 20 delivered, 10 missing in one range; the
// server sent nothing.
TEST_F(StreamFactsTest, HoleIsMissingInTheTotals) {
    handshake();
    data(kClientIsn + 1, std::string(10, 'a'));
    EXPECT_EQ(data(kClientIsn + 21, std::string(10, 'c')), (SegmentStream{.offset = 20, .end = 30, .new_bytes = 10}));
    const auto t = totals();
    ASSERT_TRUE(t);
    EXPECT_EQ((*t)[0].delivered_bytes, 20U);
    EXPECT_EQ((*t)[0].missing_bytes, 10U);
    EXPECT_EQ((*t)[0].missing_ranges, 1U);
    EXPECT_EQ((*t)[1].delivered_bytes + (*t)[1].missing_bytes, 0U);
}

// The FIN at seq 1005 ends the client's stream at offset 4 (RFC 9293 §3.10.7.4): of "cdefgh"
// sent after it at offset 2, offsets 2 and 3 are new and the 4 bytes from offset 4 on are past
// the FIN.
TEST_F(StreamFactsTest, BytesPastTheFinAreCountedApart) {
    handshake();
    data(kClientIsn + 1, "ab");
    data(kClientIsn + 5, "", flag::kAck | flag::kFin);
    EXPECT_EQ(data(kClientIsn + 3, "cdefgh"),
              (SegmentStream{.offset = 2, .end = 8, .new_bytes = 2, .beyond_fin_bytes = 4}));
    EXPECT_EQ(totals().value()[0].beyond_fin_bytes, 4U);
}

// The capture missed the SYN: the stream starts at the first byte seen; a retransmission
// starting 3 bytes lower brings 3 bytes before the start and 1 duplicate.
TEST_F(StreamFactsTest, BytesBeforeTheStartAreCounted) {
    data(kClientIsn + 1, "xyz");
    EXPECT_EQ(data(kClientIsn - 2, "123x"),
              (SegmentStream{.offset = 0, .end = 1, .duplicate_bytes = 1, .before_start_bytes = 3}));
    EXPECT_EQ(totals().value()[0].before_start_bytes, 3U);
}

// Segments without stream data carry nothing: the handshake, a pure ACK, a RST's payload
// (RFC 9293 §3.5.3: a diagnostic, not stream data).
TEST_F(StreamFactsTest, OnlyDataSegmentsCarryFacts) {
    handshake();
    for (const auto& seg : pipeline.events.segments) EXPECT_FALSE(seg.stream) << "frame " << seg.frame;
    EXPECT_FALSE(data(kClientIsn + 1, ""));
    EXPECT_FALSE(data(kClientIsn + 1, "diag", flag::kRst | flag::kAck));
}

// With the facts kept (--write-streams, --follow without --reassemble), nothing is attached.
TEST(StreamFactsKept, EventsPassUnchanged) {
    tfx::stream::DiscardedStreams discarded;
    StreamPipeline pipeline(discarded);
    pipeline.send(client(flag::kAck | flag::kPsh, kClientIsn + 1, "hello"));
    pipeline.finish();
    EXPECT_FALSE(pipeline.events.segments.back().stream);
    EXPECT_FALSE(pipeline.events.closed.at(0).stream);
}

}  // namespace
