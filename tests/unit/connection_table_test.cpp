// The session's connection table (session/connection_table): expiry by timeout class,
// eviction of the least recently active, the memory of finished connections for port reuse,
// and which segments continue a dormant connection.

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "session/connection_table.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::flow::TimeoutClass;
using tfx::session::ConnectionTable;
using tfx::test::key_of;

namespace {

using std::chrono::seconds;

Timestamp at(seconds s) { return std::chrono::duration_cast<Timestamp>(s); }

Options short_timeouts() {
    Options o;
    o.handshake_timeout = seconds(10);
    o.idle_timeout = seconds(300);
    o.closed_linger = seconds(5);
    return o;
}

std::vector<std::uint32_t> slots_of(const std::vector<ConnectionTable::Expired>& expired) {
    std::vector<std::uint32_t> slots;
    for (const auto& e : expired) slots.push_back(e.slot);
    return slots;
}

// The client's SYN with sequence number `isn`, as the state machines see it.
void client_syn(session::Connection& c, std::uint32_t isn) {
    AnnotatedSegment seg;
    c.fsm.on_segment(Role::Client, tcpflag::kSyn, SeqNum{isn}, SeqNum{0}, 0, seg);
}

decode::DecodedFrame segment(std::uint16_t flags, std::uint32_t seq, std::uint32_t ack) {
    decode::DecodedFrame d;
    d.kind = decode::FrameKind::Tcp;
    d.flags = flags;
    d.seq = seq;
    d.ack = ack;
    return d;
}

}  // namespace

TEST(ConnectionTable, ExpiryGivesExactlyTheConnectionsPastTheirClassTimeout) {
    const Options options = short_timeouts();
    ConnectionTable table(options);
    table.open(0, 1, key_of(0), true, true, at(seconds(0)));  // half-open from 0 s: due after 10 s
    table.open(1, 2, key_of(1), true, true, at(seconds(5)));  // half-open from 5 s: due after 15 s
    table.open(2, 3, key_of(2), true, true, at(seconds(0)));
    table.touch(2, TimeoutClass::Open, at(seconds(0)));  // open from 0 s: due after 300 s
    table.open(3, 4, key_of(3), true, true, at(seconds(0)));
    table.touch(3, TimeoutClass::Closed, at(seconds(1)));  // closed at 1 s: due after 6 s

    // A deadline is inclusive: at exactly 10 s only the closed one (due 6 s) has expired.
    EXPECT_FALSE(table.quiet(at(seconds(10))));
    EXPECT_EQ(slots_of(table.expire(at(seconds(10)))), std::vector<std::uint32_t>{3});
    table.drop(3, true, at(seconds(10)));

    const Timestamp later = at(seconds(10)) + Duration{1};
    const auto& expired = table.expire(later);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].slot, 0u);
    EXPECT_EQ(expired[0].cls, TimeoutClass::Handshake);
    table.drop(0, true, later);
    EXPECT_FALSE(table.alive(0));
    EXPECT_TRUE(table.alive(1));
    EXPECT_TRUE(table.alive(2));
    EXPECT_EQ(table.size(), 2u);
    // Nothing else can expire until the next deadline, 15 s (slot 1).
    EXPECT_TRUE(table.quiet(at(seconds(15))));
    EXPECT_FALSE(table.quiet(at(seconds(15)) + Duration{1}));
    EXPECT_EQ(slots_of(table.expire(at(seconds(15)) + Duration{1})), std::vector<std::uint32_t>{1});
}

TEST(ConnectionTable, ExpiryGivesTheOldestFirstInEachClass) {
    const Options options = short_timeouts();
    ConnectionTable table(options);
    table.open(7, 1, key_of(7), true, true, at(seconds(0)));
    table.open(4, 2, key_of(4), true, true, at(seconds(0)));
    table.touch(7, TimeoutClass::Open, at(seconds(1)));
    table.touch(4, TimeoutClass::Open, at(seconds(2)));
    table.open(9, 3, key_of(9), true, true, at(seconds(3)));
    // At 400 s all three are due: the half-open one first, then the open ones by last activity.
    const auto& expired = table.expire(at(seconds(400)));
    EXPECT_EQ(slots_of(expired), (std::vector<std::uint32_t>{9, 7, 4}));
}

TEST(ConnectionTable, EvictionPicksTheLeastRecentlyActiveWhenFull) {
    Options options = short_timeouts();
    options.max_connections = 3;
    ConnectionTable table(options);
    table.open(0, 1, key_of(0), true, true, at(seconds(1)));
    table.open(1, 2, key_of(1), true, true, at(seconds(2)));
    EXPECT_EQ(table.eviction_victim(), flow::ActivityLists::kNone);  // 2 of 3: room left
    table.open(2, 3, key_of(2), true, true, at(seconds(3)));
    table.touch(0, TimeoutClass::Closed, at(seconds(4)));
    table.touch(2, TimeoutClass::Open, at(seconds(5)));
    // Slot 1 was last active at 2 s, the others at 4 s and 5 s, each in another class.
    EXPECT_EQ(table.eviction_victim(), 1u);
    table.drop(1, false, at(seconds(5)));
    EXPECT_EQ(table.eviction_victim(), flow::ActivityLists::kNone);
}

TEST(ConnectionTable, AFinishedFourTupleIsRememberedForPortReuse) {
    const Options options = short_timeouts();
    ConnectionTable table(options);
    auto& c = table.open(0, 1, key_of(0), true, true, at(seconds(0)));
    client_syn(c, 1000);
    c.last_frame = 7;
    table.drop(0, true, at(seconds(1)));
    // The same ISN again is the same attempt (a retransmitted SYN); another ISN reuses the ports.
    EXPECT_FALSE(table.reused_after(key_of(0), 1000).has_value());
    EXPECT_EQ(table.reused_after(key_of(0), 2000), FrameIndex{7});
    EXPECT_FALSE(table.reused_after(key_of(1), 2000).has_value());  // never seen

    // After a RST even the same ISN starts a new connection (RFC 9293 3.10.7.3).
    auto& refused = table.open(1, 2, key_of(1), true, true, at(seconds(2)));
    client_syn(refused, 3000);
    AnnotatedSegment rst;
    refused.fsm.on_segment(Role::Server, tcpflag::kRst | tcpflag::kAck, SeqNum{0}, SeqNum{3001}, 0, rst);
    ASSERT_TRUE(refused.fsm.ended_by_rst_or_fin());
    refused.last_frame = 9;
    table.drop(1, true, at(seconds(2)));
    EXPECT_EQ(table.reused_after(key_of(1), 3000), FrameIndex{9});

    // A connection dropped without remembering (the end of the capture) leaves nothing.
    auto& last = table.open(2, 3, key_of(2), true, true, at(seconds(3)));
    client_syn(last, 4000);
    table.drop(2, false, at(seconds(3)));
    EXPECT_FALSE(table.reused_after(key_of(2), 5000).has_value());
}

TEST(ConnectionTable, ADormantConnectionFitsOnlySegmentsNearWhereItLeftOff) {
    ConnectionTable::Dormant m;
    m.summary.client = key_of(0).lo;
    m.analysis.sides[0].nextseq = SeqNum{1000};
    m.analysis.sides[0].has_nextseq = true;
    m.analysis.sides[1].nextseq = SeqNum{5000};
    m.analysis.sides[1].has_nextseq = true;
    const Endpoint& client = key_of(0).lo;
    const Endpoint& server = key_of(0).hi;
    constexpr std::uint32_t kSpan = ConnectionTable::kResumeSpan;
    using namespace tcpflag;

    EXPECT_TRUE(ConnectionTable::fits(m, segment(kAck, 999, 5000), client));  // a keep-alive
    EXPECT_TRUE(ConnectionTable::fits(m, segment(kAck, 5000, 1000), server));
    EXPECT_TRUE(ConnectionTable::fits(m, segment(kAck, 1000 + kSpan, 5000), client));
    EXPECT_TRUE(ConnectionTable::fits(m, segment(kAck, 1000 - kSpan, 5000), client));
    EXPECT_FALSE(ConnectionTable::fits(m, segment(kAck, 1000 + kSpan + 1, 5000), client));
    EXPECT_FALSE(ConnectionTable::fits(m, segment(kAck, 1000, 5000 + kSpan + 1), client));
    // Sequence numbers wrap: next 1000 is near 2^32 - 10.
    EXPECT_TRUE(ConnectionTable::fits(m, segment(kAck, 0xFFFFFFF6u, 5000), client));
    // A SYN starts a new sequence space; without ACK the ack field means nothing.
    EXPECT_FALSE(ConnectionTable::fits(m, segment(kSyn, 1000, 0), client));
    EXPECT_TRUE(ConnectionTable::fits(m, segment(kPsh, 1000, 123456789), client));
    // With nothing known of where it left off, nothing fits.
    ConnectionTable::Dormant unknown;
    unknown.summary.client = client;
    EXPECT_FALSE(ConnectionTable::fits(unknown, segment(kAck, 1000, 5000), client));
}

TEST(ConnectionTable, ASleepingConnectionWakesWithItsNumberAndProgress) {
    const Options options = short_timeouts();
    ConnectionTable table(options);
    auto& c = table.open(5, 42, key_of(5), true, true, at(seconds(0)));
    c.last_frame = 11;
    ConversationSummary summary;
    summary.id = 42;
    summary.key = key_of(5);
    EXPECT_FALSE(table.put_to_sleep(5, summary, at(seconds(301))).has_value());  // room: none forgotten
    EXPECT_FALSE(table.alive(5));
    EXPECT_FALSE(table.dormant_on(key_of(6)).has_value());
    const auto entry = table.dormant_on(key_of(5));
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(table.dormant_by_id(), (std::vector<ConnectionTable::IdAt>{{42, *entry}}));

    const auto& woken = table.wake(*entry, 8, at(seconds(400)));
    EXPECT_TRUE(table.alive(8));
    EXPECT_EQ(woken.id, 42u);
    EXPECT_EQ(woken.key, key_of(5));
    EXPECT_EQ(woken.last_frame, FrameIndex{11});
    EXPECT_FALSE(table.has_dormant());
    EXPECT_EQ(table.alive_by_id(), (std::vector<ConnectionTable::IdAt>{{42, 8}}));
}

TEST(ConnectionTable, AForgottenDormantConnectionGivesBackItsSummary) {
    const Options options = short_timeouts();
    ConnectionTable table(options);
    table.open(0, 3, key_of(0), true, true, at(seconds(0)));
    ConversationSummary summary;
    summary.id = 3;
    summary.end_reason = "idle_timeout";
    EXPECT_FALSE(table.put_to_sleep(0, summary, at(seconds(301))).has_value());
    const ConversationSummary given = table.forget_dormant(*table.dormant_on(key_of(0)));
    EXPECT_EQ(given.id, 3u);
    EXPECT_EQ(given.end_reason, "idle_timeout");
    EXPECT_FALSE(table.has_dormant());
    EXPECT_TRUE(table.dormant_by_id().empty());
}

TEST(ConnectionTable, ALingeringConnectionLeavesItsSlotAndComesBackWhole) {
    Options options = short_timeouts();
    options.max_connections = 2;
    ConnectionTable table(options);
    auto& c = table.open(0, 7, key_of(0), true, true, at(seconds(1)));
    client_syn(c, 4000);
    c.first_ts = at(seconds(1));
    c.last_frame = 42;
    c.counts.add(AnnotationCode::Retransmission);
    table.linger(0, at(seconds(2)));
    EXPECT_FALSE(table.alive(0));
    EXPECT_EQ(table.size(), 1U);  // still alive: it counts toward max_connections
    EXPECT_GT(table.lingering_bytes(), 0U);
    const auto entry = table.lingering_on(key_of(0));
    ASSERT_TRUE(entry.has_value());
    table.open(1, 8, key_of(1), true, true, at(seconds(3)));
    EXPECT_EQ(table.eviction_victim(), *entry | ConnectionTable::kLingering);  // the least recently active

    const auto& back = table.wake_lingering(*entry, 5);
    EXPECT_TRUE(table.alive(5));
    EXPECT_FALSE(table.has_lingering());
    EXPECT_EQ(back.id, 7U);
    EXPECT_EQ(back.key, key_of(0));
    EXPECT_EQ(back.last_frame, 42U);
    EXPECT_EQ(back.counts.table()[static_cast<std::size_t>(AnnotationCode::Retransmission)], 1U);
    EXPECT_EQ(back.fsm.endpoint(Role::Client).syn_seq, SeqNum{4000});
    EXPECT_EQ(table.activity().last_active(5), at(seconds(2)));  // its last activity, not the wake's
}

TEST(ConnectionTable, LingeringConnectionsExpireAfterTheLiveOnesAtTheClosedLinger) {
    const Options options = short_timeouts();  // closed linger 5 s, handshake 10 s
    ConnectionTable table(options);
    table.open(0, 1, key_of(0), true, true, at(seconds(0)));
    table.linger(0, at(seconds(1)));                          // due after 6 s
    table.open(1, 2, key_of(1), true, true, at(seconds(0)));  // due after 10 s
    table.open(2, 3, key_of(2), true, true, at(seconds(2)));
    table.linger(2, at(seconds(3)));  // due after 8 s
    EXPECT_TRUE(table.expire(at(seconds(6))).empty());
    EXPECT_TRUE(table.expired_lingering().empty());
    EXPECT_EQ(slots_of(table.expire(at(seconds(11)))), std::vector<std::uint32_t>{1});
    ASSERT_EQ(table.expired_lingering().size(), 2U);
    const auto first = table.expired_lingering()[0];
    EXPECT_EQ(table.take_lingering(first).id, 1U);
    table.drop_lingering(first, true, at(seconds(11)));
    const auto second = table.expired_lingering()[1];
    EXPECT_EQ(table.take_lingering(second).id, 3U);
    table.drop_lingering(second, true, at(seconds(11)));
    EXPECT_FALSE(table.has_lingering());
}
