// Floods in process: memory is bounded by the connections alive at once, and
// every connection is finalised exactly once. The big measurement (10 million packets, a
// 1-million-connection SYN flood, peak RSS) is scripts/flood-bench.sh.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/unacked_list.hpp"
#include "support/session_harness.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

// Counts instead of keeping events: a flood's segments would otherwise be the memory.
class CountingSink final : public EventSink {
public:
    std::uint64_t opened = 0, closed = 0, segments = 0;
    std::uint64_t evicted = 0, expired_handshake = 0, closed_reason = 0, end_of_capture = 0;
    std::set<ConversationId> closed_ids;  // small in these tests: checks "exactly once"
    bool keep_ids = true;
    CaptureSummary capture;
    ConversationSummary last;

    void conversation_opened(const ConversationSummary&) override { ++opened; }
    void segment(const AnnotatedSegment&) override { ++segments; }
    void conversation_closed(const ConversationSummary& s) override {
        ++closed;
        last = s;
        if (keep_ids) {
            EXPECT_TRUE(closed_ids.insert(s.id).second) << "connection " << s.id << " finalised twice";
        }
        if (s.end_reason == "evicted")
            ++evicted;
        else if (s.end_reason == "idle_timeout")
            ++expired_handshake;
        else if (s.end_reason == "closed")
            ++closed_reason;
        else if (s.end_reason == "end_of_capture")
            ++end_of_capture;
    }
    void capture_finished(const CaptureSummary& c) override { capture = c; }
};

// Frames are built once and patched (addresses, port, sequence numbers) per packet: a
// flood of frame_builder calls would time the builder, not the session. The checksums go
// stale; nothing verifies them.
struct Template {
    Bytes frame;
    explicit Template(const TcpSpec& spec) : frame(eth_tcp(spec)) {}

    static void put32(Bytes& b, std::size_t off, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b[off + static_cast<std::size_t>(i)] = static_cast<std::byte>(v >> (24 - 8 * i));
    }
    // Ethernet (14) + IPv4 (20): src at 26, dst at 30, TCP sport at 34, seq at 38, ack at 42.
    Template& src(std::uint32_t a) {
        put32(frame, 26, a);
        return *this;
    }
    Template& dst(std::uint32_t a) {
        put32(frame, 30, a);
        return *this;
    }
    Template& sport(std::uint16_t p) {
        frame[34] = static_cast<std::byte>(p >> 8);
        frame[35] = static_cast<std::byte>(p & 0xffU);
        return *this;
    }
    Template& seq(std::uint32_t v) {
        put32(frame, 38, v);
        return *this;
    }
    Template& ack(std::uint32_t v) {
        put32(frame, 42, v);
        return *this;
    }
};

struct Feeder {
    Session& session;
    Timestamp now{std::chrono::seconds(1'700'000'000)};
    FrameIndex index = 1;

    void send(const Bytes& frame, std::chrono::microseconds gap) {
        now += gap;
        RawFrame raw;
        raw.index = index++;
        raw.ts = now;
        raw.link_type = linktype::kEthernet;
        raw.caplen = raw.wirelen = static_cast<std::uint32_t>(frame.size());
        raw.data = frame;
        session.feed(raw);
    }
    void send(const TcpSpec& spec, std::chrono::microseconds gap) { send(eth_tcp(spec), gap); }
};

// 100.64.0.0/10 plus i: a spoofed source that never repeats.
std::uint32_t spoofed(std::uint32_t i) { return 0x64400000U + (i & 0x3fffffU); }

}  // namespace

TEST(Flood, SynFloodOfTwoHundredThousandSpoofedSourcesStaysUnderTheCap) {
    Options o;
    o.max_connections = 10'000;
    o.handshake_timeout = std::chrono::seconds(2);
    CountingSink sink;
    sink.keep_ids = false;
    Session session(o, sink);
    session.start(CaptureInfo{});
    Feeder f{session};
    constexpr std::uint32_t kSyns = 200'000;
    Template syn(TcpSpec{.src = "100.64.0.1", .dst = "192.0.2.1", .dport = 80, .flags = kSyn});
    for (std::uint32_t i = 0; i < kSyns; ++i) {
        syn.src(spoofed(i)).sport(static_cast<std::uint16_t>(1024 + i % 60000)).seq(i * 2654435761U);
        f.send(syn.frame, std::chrono::microseconds(5));  // 200k SYN/s: 1 s of capture, under the timeout
    }
    session.finish();
    EXPECT_LE(sink.capture.peak_alive, o.max_connections);
    EXPECT_EQ(sink.capture.conversations, kSyns);
    EXPECT_EQ(sink.opened, kSyns);
    EXPECT_EQ(sink.closed, kSyns) << "every connection is finalised";
    EXPECT_EQ(sink.capture.evicted, kSyns - o.max_connections);
    EXPECT_EQ(sink.evicted, kSyns - o.max_connections);
    EXPECT_EQ(sink.end_of_capture, o.max_connections);
}

TEST(Flood, HalfOpenConnectionsExpireOnCaptureTimeBeforeTheCapIsReached) {
    // 50k SYNs over 50 s of capture with a 2 s handshake timeout: about 2000 alive at once,
    // far below the cap, and nothing evicted.
    Options o;
    o.max_connections = 10'000;
    o.handshake_timeout = std::chrono::seconds(2);
    CountingSink sink;
    sink.keep_ids = false;
    Session session(o, sink);
    session.start(CaptureInfo{});
    Feeder f{session};
    constexpr std::uint32_t kSyns = 50'000;
    Template syn(TcpSpec{.src = "100.64.0.1", .dst = "192.0.2.1", .sport = 4000, .dport = 80, .flags = kSyn});
    for (std::uint32_t i = 0; i < kSyns; ++i) f.send(syn.src(spoofed(i)).seq(i).frame, std::chrono::microseconds(1000));
    session.finish();
    EXPECT_EQ(sink.capture.evicted, 0U);
    EXPECT_LE(sink.capture.peak_alive, 2002U);
    EXPECT_GE(sink.capture.expired, kSyns - 2002U);
    EXPECT_EQ(sink.closed, kSyns);
}

TEST(Flood, ClosedConnectionsAreFreedAfterTheLinger) {
    // 20k complete connections one after the other: each is finalised a closed_linger after
    // its last segment, so only a handful are alive at once.
    Options o;
    o.closed_linger = std::chrono::milliseconds(50);
    CountingSink sink;
    Session session(o, sink);
    session.start(CaptureInfo{});
    Feeder f{session};
    constexpr std::uint32_t kConns = 20'000;
    const auto gap = std::chrono::microseconds(100);
    const Peers p;
    // Client-to-server frames carry the client address as source, the others as destination.
    std::vector<std::pair<Template, bool>> steps = {
        {Template(p.c2s(1, 0, kSyn)), true},         {Template(p.s2c(1, 2, kSyn | kAck)), false},
        {Template(p.c2s(2, 2, kAck)), true},         {Template(p.c2s(2, 2, kAck | kPsh, 10)), true},
        {Template(p.c2s(12, 2, kFin | kAck)), true}, {Template(p.s2c(2, 13, kFin | kAck)), false},
        {Template(p.c2s(13, 3, kAck)), true}};
    for (std::uint32_t i = 0; i < kConns; ++i) {
        const std::uint32_t client = 0x0a000000U + i;
        for (auto& [t, c2s] : steps) f.send((c2s ? t.src(client) : t.dst(client)).frame, gap);
    }
    session.finish();
    EXPECT_EQ(sink.closed, kConns);
    EXPECT_EQ(sink.closed_ids.size(), kConns);
    // 50 ms of linger at 7 frames x 100 us per connection: about 72 connections linger.
    EXPECT_LE(sink.capture.peak_alive, 100U);
    EXPECT_GE(sink.closed_reason, kConns - 100U);
    EXPECT_EQ(sink.capture.evicted, 0U);
}

TEST(Flood, EvictionNotesTheOldestAndKeepsTheRestCorrect) {
    // A cap of 3 with four interleaved connections: the least recently active is evicted,
    // reported once with end_reason "evicted", and the survivors are analysed normally.
    Options o;
    o.max_connections = 3;
    Harness h(o);
    std::vector<Peers> peers(4);
    for (std::size_t i = 0; i < peers.size(); ++i) peers[i].cport = static_cast<std::uint16_t>(41000 + i);
    for (auto& p : peers) h.send(p.c2s(10, 0, kSyn));  // the fourth evicts the first
    for (std::size_t i = 1; i < peers.size(); ++i) {
        h.send(peers[i].s2c(20, 11, kSyn | kAck));
        h.send(peers[i].c2s(11, 21, kAck));
    }
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 4U);
    EXPECT_EQ(h.sink.closed[0].client.port, 41000);
    EXPECT_EQ(h.sink.closed[0].end_reason, "evicted");
    EXPECT_EQ(h.sink.capture.evicted, 1U);
    EXPECT_LE(h.sink.capture.peak_alive, 3U);
    for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(h.sink.closed[i].handshake, HandshakeOutcome::Complete) << i;
}

TEST(Flood, LongConnectionKeepsBoundedState) {
    // 300k segments on one connection, with a retransmission now and then: the analysis
    // stays correct and per-connection bounds (max_unacked_segments) hold.
    Options o;
    o.max_unacked_segments = 64;
    CountingSink sink;
    Session session(o, sink);
    session.start(CaptureInfo{});
    Feeder f{session};
    const Peers p;
    const auto gap = std::chrono::microseconds(10);
    const std::uint32_t isn = 0xFFFF0000U;  // the sequence space wraps early on
    f.send(p.c2s(isn, 0, kSyn), gap);
    f.send(p.s2c(0, isn + 1, kSyn | kAck), gap);
    f.send(p.c2s(isn + 1, 1, kAck), gap);
    std::uint32_t seq = isn + 1;
    constexpr int kRounds = 100'000;
    Template data(p.c2s(seq, 1, kAck | kPsh, 100));
    Template ack(p.s2c(1, seq, kAck));
    for (int i = 0; i < kRounds; ++i) {
        f.send(data.seq(seq).frame, gap);
        if (i % 1000 == 999) f.send(data.frame, gap);  // a retransmission now and then
        seq += 100;
        f.send(ack.ack(seq).frame, gap);
    }
    session.finish();
    EXPECT_EQ(sink.closed, 1U);
    EXPECT_EQ(sink.segments, 3U + 2U * kRounds + kRounds / 1000);
    EXPECT_EQ(sink.capture.peak_alive, 1U);
    EXPECT_EQ(sink.last.dir[0].payload_bytes, 100U * (kRounds + kRounds / 1000));
    EXPECT_EQ(sink.last.count(AnnotationCode::Retransmission), static_cast<std::uint32_t>(kRounds / 1000));
    EXPECT_EQ(sink.last.count(AnnotationCode::LostSegment), 0U);
    EXPECT_EQ(sink.last.handshake, HandshakeOutcome::Complete);
}

// A sender writing sequence numbers out of order (a flood of random ones, or a lossy window)
// makes the unacked list unsorted; from UnackedList::kIndexFrom entries an index answers the
// per-segment questions instead of a scan of up to 4096 entries (random sequence numbers
// cost ~70x the in-order ones when every segment scanned). Within a window, as real traffic
// is, its answers are the scan's: checked here against a plain list, across the 2^32 wrap,
// through pushes past the bound, partial and full ACKs.
TEST(Flood, OutOfOrderUnackedListAnswersAsALinearScanDoes) {
    using analysis::UnackedList;
    using analysis::UnackedSegment;
    constexpr std::uint32_t kBound = 512;
    UnackedList list;
    std::vector<UnackedSegment> model;  // oldest first
    std::mt19937 rng(42);
    const std::uint32_t base = 0xfff00000U;  // the window crosses 2^32
    const auto random_seq = [&] { return SeqNum{base + static_cast<std::uint32_t>(rng() % 2'000'000)}; };
    const auto hit = [](const UnackedSegment& e, SeqNum seq, SeqNum end) {
        return seq_before(e.seq, end) && seq_before(seq, e.nextseq);
    };
    FrameIndex frame = 1;
    int indexed_steps = 0;  // out of order with at least kIndexFrom entries: the index answered
    for (int step = 0; step < 20'000; ++step) {
        const SeqNum seq = random_seq();
        const SeqNum end = seq + static_cast<std::uint32_t>(1 + rng() % 3000);
        switch (rng() % 8) {
            case 0: {  // an ACK: removes what it covers, trims what it cuts
                const SeqNum ack = random_seq();
                const auto keep = [&](UnackedSegment& e) {
                    if (!seq_after(e.nextseq, ack)) return false;
                    if (seq_after(ack, e.seq)) e.seq = ack;
                    return true;
                };
                list.compact(keep);
                std::erase_if(model, [&](UnackedSegment& e) { return !keep(e); });
                break;
            }
            case 1: {  // a retransmission: every overlapping entry is marked, the oldest returned
                const UnackedSegment* got = list.mark_resent(seq, end);
                const UnackedSegment* want = nullptr;
                for (auto& e : model) {
                    if (!hit(e, seq, end)) continue;
                    e.resent = true;
                    if (want == nullptr) want = &e;
                }
                ASSERT_EQ(got == nullptr, want == nullptr) << "step " << step;
                if (got != nullptr) {
                    EXPECT_EQ(got->frame, want->frame) << "step " << step;
                }
                break;
            }
            default: {
                const bool any =
                    std::any_of(model.begin(), model.end(), [&](const auto& e) { return hit(e, seq, end); });
                ASSERT_EQ(list.overlaps(seq, end), any) << "step " << step;
                if (model.size() == kBound) model.erase(model.begin());
                const UnackedSegment s{.seq = seq,
                                       .nextseq = end,
                                       .ts = {},
                                       .frame = frame++ & UnackedSegment::kFrameBits,
                                       .resent = false};
                list.push(s, kBound);
                model.push_back(s);
            }
        }
        ASSERT_EQ(list.size(), model.size()) << "step " << step;
        if (!list.sorted() && list.size() >= UnackedList::kIndexFrom) ++indexed_steps;
        if (model.empty()) continue;
        SeqNum first = model.front().seq;
        SeqNum last = model.front().nextseq;
        for (const auto& e : model) {
            if (seq_before(e.seq, first)) first = e.seq;
            if (seq_after(e.nextseq, last)) last = e.nextseq;
        }
        const auto [got_first, got_last] = list.extent();
        ASSERT_EQ(got_first, first) << "step " << step;
        ASSERT_EQ(got_last, last) << "step " << step;
        for (std::size_t i = 0; i < model.size(); ++i) ASSERT_EQ(list.at(i).resent, model[i].resent) << "step " << step;
    }
    EXPECT_GT(indexed_steps, 2'000);  // 3 233 with this seed
}
