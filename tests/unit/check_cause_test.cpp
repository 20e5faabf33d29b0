// Root causes of check failures (check/cause): the sentence names the connection and the
// frame that shows the cause; options of the client's SYN are not explained by it.

#include <gtest/gtest.h>

#include "check/cause.hpp"

namespace tfx::check {
namespace {

SegmentLine line(FrameIndex frame, Role sender, std::uint16_t flags,
                 SegmentMeaning meaning = SegmentMeaning::ConnectionRequest) {
    SegmentLine l;
    l.frame = frame;
    l.sender = sender;
    l.flags = flags;
    l.meaning = meaning;
    return l;
}

// Connection 3: the client's SYN in frame 5, the server's RST-ACK refusing it in frame 6.
ConnectionFacts refused_by_the_server() {
    ConnectionFacts f;
    f.summary.id = 3;
    f.summary.handshake = HandshakeOutcome::Refused;
    f.lines = {line(5, Role::Client, tcpflag::kSyn),
               line(6, Role::Server, tcpflag::kRst | tcpflag::kAck, SegmentMeaning::Refused)};
    return f;
}

TEST(CheckCause, RefusedNamesTheRstFrameAndItsSender) {
    const auto c = root_cause(refused_by_the_server());
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->kind, CauseKind::Refused);
    EXPECT_EQ(c->frame, 6u);
    EXPECT_EQ(c->sentence, "conn 3 was refused (frame 6: RST-ACK from the server)");
}

// docs/glossaire.md: the same cause in French, the same frame and kind; a narrow no-break
// space (U+202F) before the colon.
TEST(CheckCause, TheSentencesFollowTheLanguage) {
    const auto c = root_cause(refused_by_the_server(), Language::Fr);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->kind, CauseKind::Refused);
    EXPECT_EQ(c->frame, 6u);
    EXPECT_EQ(c->sentence, "la connexion 3 a été refusée (trame 6\u202f: RST-ACK du serveur)");
    EXPECT_EQ(cause_name(c->kind), "refused");  // the JSON kind never changes

    ConnectionFacts unanswered;
    unanswered.summary.id = 7;
    unanswered.summary.handshake = HandshakeOutcome::Unanswered;
    unanswered.summary.dir[0].syns = 3;
    unanswered.lines = {line(9, Role::Client, tcpflag::kSyn, SegmentMeaning::SynRetransmitted)};
    EXPECT_EQ(root_cause(unanswered, Language::Fr)->sentence,
              "la connexion 7 n'a jamais été établie (trame 9\u202f: le dernier des 3 SYN n'a reçu aucune réponse)");
}

TEST(CheckCause, UnansweredSynsNameTheLastSyn) {
    ConnectionFacts f;
    f.summary.id = 7;
    f.summary.handshake = HandshakeOutcome::Unanswered;
    f.summary.dir[0].syns = 3;
    f.lines = {line(1, Role::Client, tcpflag::kSyn), line(4, Role::Client, tcpflag::kSyn),
               line(9, Role::Client, tcpflag::kSyn, SegmentMeaning::SynRetransmitted)};
    const auto c = root_cause(f);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->kind, CauseKind::NeverEstablished);
    EXPECT_EQ(c->frame, 9u);
    EXPECT_EQ(c->sentence, "conn 7 was never established (frame 9: the last of 3 SYNs got no answer)");
}

TEST(CheckCause, MissingFinalAckNamesTheSynAck) {
    ConnectionFacts f;
    f.summary.id = 2;
    f.summary.handshake = HandshakeOutcome::NoFinalAck;
    f.lines = {line(1, Role::Client, tcpflag::kSyn),
               line(2, Role::Server, tcpflag::kSyn | tcpflag::kAck, SegmentMeaning::ConnectionAccepted)};
    const auto c = root_cause(f);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->sentence,
              "conn 2 never completed its handshake (frame 2: SYN-ACK from the server, never acknowledged)");
    // The SYN-ACK came: the server's options are its own, not a consequence.
    EXPECT_FALSE(explained_by(*c, *find_field("mss_server")));
    EXPECT_TRUE(explained_by(*c, *find_field("server_bytes")));
}

TEST(CheckCause, CompleteHandshakeHasNone) {
    ConnectionFacts f;
    f.summary.handshake = HandshakeOutcome::Complete;
    EXPECT_FALSE(root_cause(f).has_value());
}

TEST(CheckCause, ClientSynOptionsAreNotExplainedByARefusal) {
    Cause refused{CauseKind::Refused, 2, "conn 1 was refused"};
    EXPECT_FALSE(explained_by(refused, *find_field("mss_client")));
    EXPECT_FALSE(explained_by(refused, *find_field("sack_client")));
    EXPECT_TRUE(explained_by(refused, *find_field("sack")));
    EXPECT_TRUE(explained_by(refused, *find_field("close")));
    EXPECT_TRUE(explained_by(refused, *find_field("rst_count")));
}

}  // namespace
}  // namespace tfx::check
