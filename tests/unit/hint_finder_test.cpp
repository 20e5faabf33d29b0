// The content hints of one connection (content/hint_finder.hpp): a direction's first bytes
// gathered in stream order from its SYN on, the hint carried by the segment that completed it
// and by the connection's summary; out-of-order, missing or uncaptured first bytes give the
// direction up.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "content/hint_finder.hpp"
#include "support/data_segment.hpp"

namespace {

using tfx::AnnotatedSegment;
using tfx::FrameIndex;
using tfx::Role;
using tfx::content::ConnectionContent;
using tfx::content::ConnectionHints;
using tfx::content::ContentHint;
using tfx::content::HintFinder;
using tfx::content::Kind;
namespace flag = tfx::tcpflag;

/// What the session passes on: the hints segments carried, and the summary's.
struct Recording {
    std::map<FrameIndex, ContentHint> hints;  ///< by the frame that carried one
    struct Closed {
        std::shared_ptr<const ConnectionHints> content_hints;
    };
    std::optional<Closed> closed;
};

class HintFinderTest : public ::testing::Test {
protected:
    void open(std::uint16_t port = 80) { server_port = port; }
    /// Frame number of the segment sent. `captured`: payload bytes present (the rest cut).
    FrameIndex send(Role sender, std::uint16_t flags, std::uint32_t rel_seq, const std::string& payload,
                    std::optional<std::size_t> captured = std::nullopt) {
        const AnnotatedSegment seg = tfx::test::data_segment(++frame, sender, flags, rel_seq, payload, captured);
        if (const ContentHint* hint = finder.segment(connection, seg, server_port)) next.hints[seg.frame] = *hint;
        return seg.frame;
    }
    void handshake() {
        send(Role::Client, flag::kSyn, 0, "");
        send(Role::Server, flag::kSyn | flag::kAck, 0, "");
        send(Role::Client, flag::kAck, 1, "");
    }
    /// The summary takes the hints, and the connection's record goes.
    void close() {
        next.closed = Recording::Closed{finder.hints(connection, server_port)};
        connection = ConnectionContent{};
    }

    Recording next;
    HintFinder finder;
    ConnectionContent connection;
    std::uint16_t server_port = 80;
    FrameIndex frame = 0;
};

// A request line split over two segments: the hint comes with the second, the one that
// ended the line (RFC 9112 §3), and nothing is said before.
TEST_F(HintFinderTest, TheSegmentThatCompletesTheHintCarriesIt) {
    open();
    handshake();
    const FrameIndex first = send(Role::Client, flag::kAck, 1, "GET /index.ht");
    const FrameIndex second = send(Role::Client, flag::kAck | flag::kPsh, 14, "ml HTTP/1.1\r\nHost: a\r\n\r\n");
    const FrameIndex reply = send(Role::Server, flag::kAck | flag::kPsh, 1, "HTTP/1.1 404 Not Found\r\n\r\n");
    EXPECT_FALSE(next.hints.contains(first));
    ASSERT_TRUE(next.hints.contains(second));
    EXPECT_EQ(next.hints.at(second).kind, Kind::HttpRequest);
    EXPECT_EQ(next.hints.at(second).http.method.bytes, "GET");
    EXPECT_EQ(next.hints.at(second).http.target.bytes, "/index.html");
    ASSERT_TRUE(next.hints.contains(reply));
    EXPECT_EQ(next.hints.at(reply).http.status, 404);
    close();
    ASSERT_TRUE(next.closed);
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 0).kind, Kind::HttpRequest);
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 1).kind, Kind::HttpResponse);
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 1).http.reason.bytes, "Not Found");
    EXPECT_EQ(finder.held_bytes(), 0U);
}

// The second half first: the first bytes are not contiguous when it comes, so the direction
// is given up, and the late first half does not bring it back.
TEST_F(HintFinderTest, OutOfOrderFirstBytesGiveTheDirectionUp) {
    open();
    handshake();
    send(Role::Client, flag::kAck, 14, "ml HTTP/1.1\r\n\r\n");
    send(Role::Client, flag::kAck, 1, "GET /index.ht");
    EXPECT_TRUE(next.hints.empty());
    EXPECT_EQ(finder.held_bytes(), 0U);
    close();
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 0).kind, Kind::Unknown);
}

// A capture that started after the SYN: relative 1 is only where the capture began.
TEST_F(HintFinderTest, NoSynNoHint) {
    open();
    send(Role::Client, flag::kAck | flag::kPsh, 1, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(next.hints.empty());
    close();
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 0).kind, Kind::Unknown);
}

// A retransmission of bytes already held adds nothing; one that overlaps and goes further
// adds its new tail.
TEST_F(HintFinderTest, RetransmissionsAddOnlyNewBytes) {
    open();
    handshake();
    send(Role::Client, flag::kAck, 1, "SSH-2.0-");
    send(Role::Client, flag::kAck, 1, "SSH-2.0-");
    const FrameIndex tail = send(Role::Client, flag::kAck, 5, "2.0-OpenSSH_9.9 x\r\n");
    ASSERT_TRUE(next.hints.contains(tail));
    EXPECT_EQ(next.hints.at(tail).kind, Kind::SshBanner);
    EXPECT_EQ(next.hints.at(tail).ssh.software.bytes, "OpenSSH_9.9");
}

// Data on the SYN (RFC 7413 §2) starts at offset 0.
TEST_F(HintFinderTest, SynDataCounts) {
    open();
    const FrameIndex syn = send(Role::Client, flag::kSyn, 0, "GET /tfo HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(next.hints.contains(syn));
    EXPECT_EQ(next.hints.at(syn).http.target.bytes, "/tfo");
}

// A payload the capture cut (snaplen) ends the direction with what was captured: the hint
// says it is incomplete in the summary, and no later byte is taken.
TEST_F(HintFinderTest, ACutPayloadEndsTheDirection) {
    open();
    handshake();
    const FrameIndex cut = send(Role::Client, flag::kAck, 1, "GET /a-long-target HTTP/1.1\r\n", 8);
    ASSERT_TRUE(next.hints.contains(cut));
    EXPECT_EQ(next.hints.at(cut).kind, Kind::HttpRequest);
    EXPECT_NE(next.hints.at(cut).bytes_needed, 0U);  // "GET /a-l": the line has not ended
    close();
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 0).http.method.bytes, "GET");
}

// A RST's payload is a diagnostic, not stream data (RFC 9293 §3.5.3).
TEST_F(HintFinderTest, RstPayloadIsNotContent) {
    open();
    handshake();
    send(Role::Client, flag::kRst | flag::kAck, 1, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(next.hints.empty());
}

// "220 ready" names neither SMTP nor FTP and port 2121 neither; the client's USER (RFC 959
// §4.1.1) makes it FTP in the summary, which sees both sides.
TEST_F(HintFinderTest, TheSummarySeesBothSides) {
    open(2121);
    handshake();
    const FrameIndex greeting = send(Role::Server, flag::kAck | flag::kPsh, 1, "220 ready\r\n");
    ASSERT_TRUE(next.hints.contains(greeting));
    EXPECT_EQ(next.hints.at(greeting).kind, Kind::SmtpOrFtpGreeting);  // the client has not spoken yet
    send(Role::Client, flag::kAck | flag::kPsh, 1, "USER anonymous\r\n");
    close();
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 1).kind, Kind::FtpGreeting);
}

// Bytes that are no known protocol ("pouet\n", 6 bytes): no hint, and the bytes are let go.
TEST_F(HintFinderTest, UnknownBytesGiveNoHint) {
    open(1025);
    handshake();
    send(Role::Client, flag::kAck | flag::kPsh, 1, "pouet\n");
    EXPECT_TRUE(next.hints.empty());
    close();
    EXPECT_EQ(tfx::content::hint_of(next.closed->content_hints.get(), 0).kind, Kind::Unknown);
    EXPECT_EQ(finder.held_bytes(), 0U);
}

}  // namespace
