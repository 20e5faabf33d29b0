// Connection streams (stream/connection_streams.hpp): the session's segments turned into
// stream offsets (offset 0 = relative sequence number 1, SYN data included, unwrapped past
// 2^32), bytes before the stream's start cut off, a RST's payload left out, every event
// passed on.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stream/connection_streams.hpp"
#include "support/data_segment.hpp"

namespace {

using tfx::AnnotatedSegment;
using tfx::ConversationSummary;
using tfx::Role;
using namespace tfx::stream;
namespace flag = tfx::tcpflag;

struct Recorded : StreamSink {
    std::map<std::uint64_t, std::string> chunks;  ///< by offset
    std::vector<std::pair<std::uint64_t, std::uint64_t>> gaps;
    void bytes(std::uint64_t offset, std::span<const std::byte> data, tfx::FrameIndex /*frame*/) override {
        chunks[offset] = std::string(reinterpret_cast<const char*>(data.data()), data.size());
    }
    void missing(std::uint64_t offset, std::uint64_t length, MissingReason /*reason*/) override {
        gaps.emplace_back(offset, length);
    }
    [[nodiscard]] std::string text() const {
        std::string all;
        for (const auto& [offset, chunk] : chunks) all += chunk;
        return all;
    }
};

struct Outputs : DirectionOutputs {
    std::map<Role, std::unique_ptr<Recorded>> sinks;
    std::map<Role, StreamTotals> totals;
    std::map<Role, std::uint64_t> before_start;
    bool finished_called = false;
    StreamSink& opened(const StreamDirection& direction) override {
        auto& sink = sinks[direction.sender];
        sink = std::make_unique<Recorded>();
        return *sink;
    }
    void closed(const StreamDirection& direction, const StreamEnd& end) override {
        totals[direction.sender] = end.totals;
        before_start[direction.sender] = end.before_start_bytes;
    }
    void finished() override { finished_called = true; }
};

struct Counting : tfx::EventSink {
    int opened = 0, segments = 0, closed = 0, finished = 0;
    void conversation_opened(const ConversationSummary& /*opening*/) override { ++opened; }
    void segment(const AnnotatedSegment& /*seg*/) override { ++segments; }
    void conversation_closed(const ConversationSummary& /*summary*/) override { ++closed; }
    void capture_finished(const tfx::CaptureSummary& /*summary*/) override { ++finished; }
};

class ConnectionStreamsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ConversationSummary opening;
        opening.id = 1;
        streams.conversation_opened(opening);
    }
    void send(Role sender, std::uint16_t flags, std::uint32_t rel_seq, const std::string& payload) {
        const AnnotatedSegment seg = tfx::test::data_segment(++frame, sender, flags, rel_seq, payload);
        streams.segment(seg);
    }
    void end() {
        ConversationSummary summary;
        summary.id = 1;
        streams.conversation_closed(summary);
        streams.capture_finished({});
    }

    Counting next;
    Outputs outputs;
    ConnectionStreams streams{next, outputs};
    tfx::FrameIndex frame = 0;
};

// RFC 7413 §2: a SYN's data starts at ISN + 1, the first byte after the SYN: offset 0.
TEST_F(ConnectionStreamsTest, SynDataStartsAtOffsetZero) {
    send(Role::Client, flag::kSyn, 0, "abc");
    send(Role::Client, flag::kAck | flag::kPsh, 4, "def");
    send(Role::Client, flag::kAck | flag::kFin, 7, "");
    end();
    EXPECT_EQ(outputs.sinks.at(Role::Client)->text(), "abcdef");
    EXPECT_EQ(outputs.sinks.at(Role::Client)->chunks.begin()->first, 0U);
    EXPECT_EQ(outputs.totals.at(Role::Client).delivered_bytes, 6U);
    EXPECT_EQ(outputs.totals.at(Role::Client).missing_bytes, 0U);
    EXPECT_FALSE(outputs.sinks.contains(Role::Server));  // no payload: no stream
    EXPECT_TRUE(outputs.finished_called);
}

// Each step forward is below 2^31 (RFC 9293 §3.4), so the fourth segment, whose relative
// number wrapped to 0x10, is at offset 2^32 + 0x0f.
TEST_F(ConnectionStreamsTest, OffsetsGoOnPastTheWrap) {
    send(Role::Server, flag::kAck, 1, "aaaa");
    send(Role::Server, flag::kAck, 0x7FFFFFF0U, "bbbb");
    send(Role::Server, flag::kAck, 0xFFFFFFF0U, "cccc");
    send(Role::Server, flag::kAck, 0x10U, "dddd");
    end();
    const Recorded& r = *outputs.sinks.at(Role::Server);
    EXPECT_EQ(r.chunks.at(0), "aaaa");
    EXPECT_EQ(r.chunks.at(0x7FFFFFEFULL), "bbbb");
    EXPECT_EQ(r.chunks.at(0xFFFFFFEFULL), "cccc");
    EXPECT_EQ(r.chunks.at(0x10000000FULL), "dddd");
    const StreamTotals& t = outputs.totals.at(Role::Server);
    EXPECT_EQ(t.delivered_bytes, 16U);
    EXPECT_EQ(t.delivered_bytes + t.missing_bytes, 0x100000013ULL);
}

// Mid-stream: the stream starts at the first byte seen (relative 1); a retransmission
// reaching 3 bytes below it brings 3 bytes before the start and one copy of offset 0.
TEST_F(ConnectionStreamsTest, BytesBeforeTheStartAreCountedNotDelivered) {
    send(Role::Client, flag::kAck, 1, "xyz");
    send(Role::Client, flag::kAck, 0xFFFFFFFEU, "123x");
    end();
    EXPECT_EQ(outputs.sinks.at(Role::Client)->text(), "xyz");
    EXPECT_EQ(outputs.before_start.at(Role::Client), 3U);
    EXPECT_EQ(outputs.totals.at(Role::Client).delivered_bytes, 3U);
    EXPECT_EQ(outputs.totals.at(Role::Client).duplicate_bytes, 1U);
}

// RFC 9293 §3.5.3: a RST may carry a diagnostic, which is not stream data.
TEST_F(ConnectionStreamsTest, RstPayloadIsLeftOut) {
    send(Role::Client, flag::kAck, 1, "hello");
    send(Role::Client, flag::kRst | flag::kAck, 6, "diag");
    end();
    EXPECT_EQ(outputs.sinks.at(Role::Client)->text(), "hello");
    EXPECT_EQ(outputs.totals.at(Role::Client).delivered_bytes, 5U);
}

// The FIN's offset ends the stream: a hole before it is missing, bytes past it are not the stream.
TEST_F(ConnectionStreamsTest, FinEndsTheStream) {
    send(Role::Client, flag::kAck, 1, "ab");
    send(Role::Client, flag::kAck | flag::kFin, 5, "ef");  // FIN at relative 7: offset 6
    send(Role::Client, flag::kAck, 7, "zz");
    end();
    const StreamTotals& t = outputs.totals.at(Role::Client);
    EXPECT_EQ(t.delivered_bytes, 4U);
    EXPECT_EQ(t.missing_bytes, 2U);  // offsets 2 and 3
    EXPECT_EQ(t.beyond_fin_bytes, 2U);
    EXPECT_EQ(outputs.sinks.at(Role::Client)->gaps, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2, 2}}));
}

TEST_F(ConnectionStreamsTest, EveryEventIsPassedOn) {
    send(Role::Client, flag::kSyn, 0, "");
    send(Role::Server, flag::kSyn | flag::kAck, 0, "");
    send(Role::Client, flag::kAck, 1, "x");
    end();
    EXPECT_EQ(next.opened, 1);
    EXPECT_EQ(next.segments, 3);
    EXPECT_EQ(next.closed, 1);
    EXPECT_EQ(next.finished, 1);
    EXPECT_TRUE(streams.wants_segments());
}

}  // namespace
