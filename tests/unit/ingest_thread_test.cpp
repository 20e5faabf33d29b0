// The ingest thread against the sequential path it replaces: the same frames, bytes and
// decodings (reassembled fragments included) in the same order, across many batches; the
// same end status and message; the frame limit; stopping early.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "decode/reassembly.hpp"
#include "ingest/pcap_reader.hpp"
#include "session/session_engine.hpp"
#include "run/ingest_thread.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"
#include "support/scratch_dir.hpp"

namespace {

using namespace tfx::test;
using tfx::ingest::PcapReader;
using tfx::ingest::ReadStatus;
using tfx::run::IngestThread;

struct Seen {
    tfx::FrameIndex index = 0;
    std::int64_t ts = 0;
    Bytes data;
    tfx::decode::FrameKind kind{};
    std::uint32_t seq = 0;
    std::uint16_t sport = 0;
    Bytes payload;
    std::size_t issues = 0;
    bool operator==(const Seen&) const = default;
};

Seen seen(const tfx::RawFrame& f, const tfx::decode::DecodedFrame& d) {
    return Seen{f.index, f.ts.count(), Bytes(f.data.begin(), f.data.end()),       d.kind,
                d.seq,   d.src_port,   Bytes(d.payload.begin(), d.payload.end()), d.issue_list().size()};
}

// ~1,300 frames (five batches and a bit): plain segments of several connections, and every
// 50th segment split over two IPv4 fragments (its payload then comes from the reassembler,
// not from the frame).
PcapWriter mixed_capture() {
    PcapWriter w;
    std::int64_t us = 1'700'000'000'000'000;
    for (std::uint32_t i = 0; i < 1300; ++i) {
        TcpSpec s{.src = "192.0.2.1",
                  .dst = "198.51.100.7",
                  .sport = static_cast<std::uint16_t>(40000 + i % 7),
                  .dport = 443,
                  .seq = 1000 + i * 100,
                  .ack = 1,
                  .flags = tfx::tcpflag::kAck,
                  .payload = filled(i % 120, static_cast<std::uint8_t>(i))};
        const auto ts = std::chrono::microseconds{us += 10};
        if (i % 50 == 7) {
            s.payload = filled(200, 0x5a);
            const Bytes segment = tcp(s);
            const std::uint16_t split = 64;
            for (const bool first : {true, false}) {
                const std::span<const std::byte> part =
                    first ? std::span<const std::byte>(segment.data(), split)
                          : std::span<const std::byte>(segment.data() + split, segment.size() - split);
                w.add(ts, ethernet(ipv4({.src = s.src,
                                         .dst = s.dst,
                                         .id = static_cast<std::uint16_t>(i),
                                         .dont_fragment = false,
                                         .more_fragments = first,
                                         .frag_offset = static_cast<std::uint16_t>(first ? 0 : split)},
                                        kProtoTcp, part),
                                   kEtherIpv4));
            }
        } else {
            w.add(ts, eth_tcp(s));
        }
    }
    return w;
}

struct Sequential {
    std::vector<Seen> frames;
    ReadStatus status = ReadStatus::Error;
    std::string message;
};

Sequential read_sequentially(const std::string& path, std::uint64_t limit = ~0ULL) {
    auto r = PcapReader::open_file(path);
    EXPECT_TRUE(r.ok());
    Sequential out;
    tfx::decode::FrameDecoder decoder;
    tfx::RawFrame raw;
    while (out.frames.size() < limit) {
        out.status = r->next(raw, out.message);
        if (out.status != ReadStatus::Frame) return out;
        const tfx::RawFrame f = tfx::detail::SessionEngine::normalized(raw);
        out.frames.push_back(seen(f, decoder.decode(f)));
    }
    out.status = ReadStatus::End;
    out.message.clear();
    return out;
}

class IngestThreadTest : public ScratchDirTest {};

}  // namespace

TEST_F(IngestThreadTest, SameFramesAndDecodingsAsTheSequentialPath) {
    for (const bool cut : {false, true}) {
        SCOPED_TRACE(cut ? "file cut in its last record" : "whole file");
        const std::string file = path(cut ? "cut.pcap" : "whole.pcap");
        ASSERT_TRUE(cut ? mixed_capture().write_truncated(file, 9) : mixed_capture().write(file));
        const Sequential expected = read_sequentially(file);
        ASSERT_GT(expected.frames.size(), 1300U);
        int reassembled = 0;
        for (const Seen& s : expected.frames)
            reassembled += s.kind == tfx::decode::FrameKind::Tcp && s.payload.size() == 200;
        ASSERT_GE(reassembled, 20);  // the fragment path is exercised

        auto reader = PcapReader::open_file(file);
        ASSERT_TRUE(reader.ok());
        tfx::ingest::CaptureSet input(std::move(reader.value()));
        IngestThread ingest(input, std::nullopt);
        std::vector<Seen> got;
        std::vector<std::pair<std::size_t, Seen>> peeked;  // what peek(3) promised for frame i
        std::size_t peeks = 0;
        std::map<tfx::FlowKey, std::uint32_t> slot_of;
        std::set<std::uint32_t> slots_seen;
        while (const IngestThread::Frame* f = ingest.next()) {
            // Tickets count the frames; each TCP segment comes routed: the session's ends, and
            // one slot per key (nothing is released here, so no slot is ever reused).
            ASSERT_EQ(f->ticket, got.size() + 1);
            if (f->decoded.kind == tfx::decode::FrameKind::Tcp) {
                const auto ends = tfx::detail::SessionEngine::ends_of(f->decoded);
                ASSERT_EQ(f->route.ends.key, ends.key);
                ASSERT_EQ(f->route.ends.src, ends.src);
                ASSERT_EQ(f->route.ends.dst, ends.dst);
                const auto [it, added] = slot_of.try_emplace(ends.key, f->route.slot);
                ASSERT_EQ(it->second, f->route.slot);
                if (added) {
                    ASSERT_TRUE(slots_seen.insert(f->route.slot).second) << "two keys share a slot";
                }
            }
            if (const IngestThread::Frame* ahead = ingest.peek(3)) {
                peeked.emplace_back(got.size() + 3, seen(ahead->frame, ahead->decoded));
                ++peeks;
            }
            got.push_back(seen(f->frame, f->decoded));
        }
        EXPECT_EQ(ingest.next(), nullptr);  // stays ended
        EXPECT_EQ(ingest.peek(1), nullptr);
        ASSERT_GT(peeks, got.size() / 2);  // within a batch, peeking succeeds
        ASSERT_EQ(slot_of.size(), 7U);     // the capture's seven connections
        for (const auto& [index, frame] : peeked) ASSERT_EQ(got.at(index), frame) << "peeked frame " << index + 1;
        ASSERT_EQ(got.size(), expected.frames.size());
        for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected.frames[i]) << "frame " << i + 1;
        EXPECT_EQ(ingest.end_status(), expected.status);
        EXPECT_EQ(ingest.end_message(), expected.message);
        EXPECT_EQ(ingest.end_status(), cut ? ReadStatus::Truncated : ReadStatus::End);
    }
}

// Without keep_bytes the frames come without their bytes or payload (nothing the session
// reads), everything else as with them: the same decodings, tickets and slots.
TEST_F(IngestThreadTest, FramesWithoutTheirBytesKeepEverythingElse) {
    const std::string file = path("whole.pcap");
    ASSERT_TRUE(mixed_capture().write(file));
    const auto collect = [&file](bool keep_bytes) {
        auto reader = PcapReader::open_file(file);
        EXPECT_TRUE(reader.ok());
        std::vector<std::string> out;
        if (!reader.ok()) return out;
        tfx::ingest::CaptureSet input(std::move(reader.value()));
        IngestThread ingest(input, std::nullopt, keep_bytes);
        while (const IngestThread::Frame* f = ingest.next()) {
            if (!keep_bytes) {
                EXPECT_TRUE(f->frame.data.empty());
                EXPECT_TRUE(f->decoded.payload.empty());
            }
            out.push_back(std::to_string(f->ticket) + " " + std::to_string(f->frame.index) + " " +
                          std::to_string(f->frame.caplen) + " " + std::to_string(static_cast<int>(f->decoded.kind)) +
                          " " + std::to_string(f->decoded.seq) + " " + std::to_string(f->decoded.payload_len) + " " +
                          std::to_string(f->decoded.payload_captured) + " " + std::to_string(f->route.slot));
        }
        return out;
    };
    const auto with = collect(true);
    ASSERT_GT(with.size(), 1300U);
    EXPECT_EQ(collect(false), with);
}

TEST_F(IngestThreadTest, StopsAtTheFrameLimit) {
    const std::string file = path("f.pcap");
    ASSERT_TRUE(mixed_capture().write(file));
    const Sequential expected = read_sequentially(file, 300);
    auto reader = PcapReader::open_file(file);
    ASSERT_TRUE(reader.ok());
    tfx::ingest::CaptureSet input(std::move(reader.value()));
    IngestThread ingest(input, 300);
    std::vector<Seen> got;
    while (const IngestThread::Frame* f = ingest.next()) got.push_back(seen(f->frame, f->decoded));
    EXPECT_EQ(got, expected.frames);
    EXPECT_EQ(ingest.end_status(), ReadStatus::End);
}

// Destroying it mid-capture (the caller stopped: Ctrl-C) stops the worker, which may be
// blocked on a full queue, without a deadlock or a leak (ASan).
TEST_F(IngestThreadTest, StopsWhenDestroyedEarly) {
    const std::string file = path("f.pcap");
    ASSERT_TRUE(mixed_capture().write(file));
    for (const int taken : {0, 1, 700}) {
        auto reader = PcapReader::open_file(file);
        ASSERT_TRUE(reader.ok());
        tfx::ingest::CaptureSet input(std::move(reader.value()));
        IngestThread ingest(input, std::nullopt);
        for (int i = 0; i < taken; ++i) ASSERT_NE(ingest.next(), nullptr);
    }
}

namespace {

// What the session says, reduced to what identifies it (payload views die with the call).
// The sink can stall now and then, so the worker runs up to a full queue ahead.
class RecordingSink final : public tfx::EventSink {
public:
    explicit RecordingSink(bool stall) : stall_(stall) {}
    std::vector<std::string> events;

    void conversation_opened(const tfx::ConversationSummary& s) override {
        events.push_back("open " + std::to_string(s.id) + " " + s.client.to_string() + " " + s.server.to_string());
    }
    void segment(const tfx::AnnotatedSegment& s) override {
        std::string e = "seg " + std::to_string(s.frame) + " conn " + std::to_string(s.conversation) + " rel " +
                        std::to_string(s.rel_seq) + "/" + std::to_string(s.rel_ack) + " meaning " +
                        std::to_string(static_cast<int>(s.meaning));
        for (const auto& a : s.notes()) e += " " + std::to_string(static_cast<int>(a.code));
        events.push_back(std::move(e));
        if (stall_ && ++segments_ % 997 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    void conversation_closed(const tfx::ConversationSummary& s) override {
        events.push_back("close " + std::to_string(s.id) + " " + s.end_reason + " " + std::to_string(s.dir[0].packets) +
                         "/" + std::to_string(s.dir[1].packets));
    }
    void capture_finished(const tfx::CaptureSummary& c) override {
        events.push_back("end " + std::to_string(c.conversations) + " expired " + std::to_string(c.expired) +
                         " evicted " + std::to_string(c.evicted) + " peak " + std::to_string(c.peak_alive));
    }

private:
    bool stall_;
    std::uint64_t segments_ = 0;
};

// Random segments over a few dozen 4-tuples: fresh SYNs (port reuse), data, FINs, RSTs, and
// now and then a pause long enough for idle connections to expire. With a small connection
// cap, connections end all the time, so slots are released while the worker has already
// routed later frames of the same key, and freed slots are handed to other keys.
PcapWriter churning_capture(std::uint32_t seed) {
    std::mt19937 rng(seed);
    PcapWriter w;
    std::int64_t us = 1'700'000'000'000'000;
    for (int i = 0; i < 6000; ++i) {
        const auto k = static_cast<std::uint32_t>(rng() % 48);
        TcpSpec s{.src = "10.1.0." + std::to_string(1 + k % 6),
                  .dst = "192.0.2.9",
                  .sport = static_cast<std::uint16_t>(50000 + k),
                  .dport = 443,
                  .seq = static_cast<std::uint32_t>(rng() % 4 * 1000 + 1),
                  .ack = 1,
                  .flags = tfx::tcpflag::kAck};
        const auto what = static_cast<std::uint32_t>(rng() % 20);
        if (what == 0)
            s.flags = tfx::tcpflag::kSyn;
        else if (what == 1)
            s.flags = tfx::tcpflag::kFin | tfx::tcpflag::kAck;
        else if (what == 2)
            s.flags = tfx::tcpflag::kRst;
        else if (what < 8)
            s.payload = filled(rng() % 200, 0x11);
        if (rng() % 2) {  // the other direction
            std::swap(s.src, s.dst);
            std::swap(s.sport, s.dport);
        }
        us += rng() % 500 == 0 ? 3'000'000 : 1000;
        w.add(tfx::Timestamp{std::chrono::microseconds{us}}, eth_tcp(s));
    }
    return w;
}

// How the frames reach the session: Session::feed on this thread, or the ingest thread (into
// the engine behind Session) with the frames' bytes copied (as for -A/-X), or without them
// and confined to one CPU (as the walkthrough runs it on two CPUs).
enum class Path { Inline, Thread, ThreadNoBytesOneCpu };

std::vector<std::string> analyse(const std::string& file, const tfx::Options& options, Path path) {
    const bool on_thread = path != Path::Inline;
    RecordingSink sink(on_thread);
    auto reader = PcapReader::open_file(file);
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return {};
    if (on_thread) {
        tfx::detail::SessionEngine engine(options, sink);
        engine.start(tfx::CaptureInfo{});
        const bool no_bytes = path == Path::ThreadNoBytesOneCpu;
        tfx::ingest::CaptureSet input(std::move(reader.value()));
        IngestThread ingest(input, std::nullopt, !no_bytes, no_bytes ? std::optional<int>(0) : std::nullopt);
        engine.release_slots_to(ingest.releases());
        while (const IngestThread::Frame* f = ingest.next())
            engine.feed_decoded(f->frame, f->decoded, f->route, f->ticket);
        engine.finish();
    } else {
        tfx::Session session(options, sink);
        session.start(tfx::CaptureInfo{});
        tfx::RawFrame raw;
        std::string message;
        while (reader->next(raw, message) == ReadStatus::Frame) session.feed(raw);
        session.finish();
    }
    return sink.events;
}

}  // namespace

// The worker finds slots ahead of the analysis, which releases them when connections end:
// the session must say exactly what it says when it finds them itself, frame by frame.
TEST_F(IngestThreadTest, SlotsFoundAheadGiveTheSameAnalysisAsFindingThemInline) {
    tfx::Options options;
    options.max_connections = 20;
    options.idle_timeout = std::chrono::seconds(2);
    options.handshake_timeout = std::chrono::seconds(1);
    options.closed_linger = std::chrono::milliseconds(0);
    for (const std::uint32_t seed : {1U, 2U, 3U}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const std::string file = path("churn.pcap");
        ASSERT_TRUE(churning_capture(seed).write(file));
        const auto inline_events = analyse(file, options, Path::Inline);
        const auto threaded = analyse(file, options, Path::Thread);
        const auto threaded_no_bytes = analyse(file, options, Path::ThreadNoBytesOneCpu);
        // The capture does what it is for: connections end by every way there is.
        for (const char* reason : {"port_reuse", "evicted", "idle_timeout", "closed"}) {
            const auto n = std::count_if(inline_events.begin(), inline_events.end(), [&](const std::string& e) {
                return e.starts_with("close ") && e.find(std::string(" ") + reason + " ") != std::string::npos;
            });
            EXPECT_GT(n, 10) << reason;
        }
        ASSERT_EQ(threaded.size(), inline_events.size());
        for (std::size_t i = 0; i < threaded.size(); ++i) ASSERT_EQ(threaded[i], inline_events[i]) << "event " << i;
        ASSERT_EQ(threaded_no_bytes, inline_events);
    }
}
