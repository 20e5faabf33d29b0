// The ingest thread against the sequential path it replaces: the same frames, bytes and
// decodings (reassembled fragments included) in the same order, across many batches; the
// same end status and message; the frame limit; stopping early.

#include <gtest/gtest.h>

#include <chrono>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cli/ingest_thread.hpp"
#include "decode/reassembly.hpp"
#include "ingest/pcap_reader.hpp"
#include "model/session_access.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"
#include "support/scratch_dir.hpp"

namespace {

using namespace tfx::test;
using tfx::cli::IngestThread;
using tfx::ingest::PcapReader;
using tfx::ingest::ReadStatus;

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
    return Seen{f.index, f.ts.count(), Bytes(f.data.begin(), f.data.end()), d.kind, d.seq, d.src_port,
                Bytes(d.payload.begin(), d.payload.end()), d.issue_list().size()};
}

// ~1,300 frames (five batches and a bit): plain segments of several connections, and every
// 50th segment split over two IPv4 fragments (its payload then comes from the reassembler,
// not from the frame).
PcapWriter mixed_capture() {
    PcapWriter w;
    std::int64_t us = 1'700'000'000'000'000;
    for (std::uint32_t i = 0; i < 1300; ++i) {
        TcpSpec s{.src = "192.0.2.1", .dst = "198.51.100.7", .sport = static_cast<std::uint16_t>(40000 + i % 7),
                  .dport = 443, .seq = 1000 + i * 100, .ack = 1, .flags = tfx::tcpflag::kAck,
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
                w.add(ts, ethernet(ipv4({.src = s.src, .dst = s.dst, .id = static_cast<std::uint16_t>(i),
                                         .dont_fragment = false, .more_fragments = first,
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
        const tfx::RawFrame f = tfx::detail::SessionAccess::normalized(raw);
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
        for (const Seen& s : expected.frames) reassembled += s.kind == tfx::decode::FrameKind::Tcp && s.payload.size() == 200;
        ASSERT_GE(reassembled, 20);  // the fragment path is exercised

        auto reader = PcapReader::open_file(file);
        ASSERT_TRUE(reader.ok());
        IngestThread ingest(reader.value(), std::nullopt);
        std::vector<Seen> got;
        std::vector<std::pair<std::size_t, Seen>> peeked;  // what peek(3) promised for frame i
        std::size_t peeks = 0;
        while (const IngestThread::Frame* f = ingest.next()) {
            // The flow hash is the session's, computed on the worker: 0 only off TCP.
            ASSERT_EQ(f->flow_hash, tfx::detail::SessionAccess::flow_hash(f->decoded));
            ASSERT_EQ(f->flow_hash == 0, f->decoded.kind != tfx::decode::FrameKind::Tcp);
            if (const IngestThread::Frame* ahead = ingest.peek(3)) {
                peeked.emplace_back(got.size() + 3, seen(ahead->frame, ahead->decoded));
                ++peeks;
            }
            got.push_back(seen(f->frame, f->decoded));
        }
        EXPECT_EQ(ingest.next(), nullptr);  // stays ended
        EXPECT_EQ(ingest.peek(1), nullptr);
        ASSERT_GT(peeks, got.size() / 2);  // within a batch, peeking succeeds
        for (const auto& [index, frame] : peeked) ASSERT_EQ(got.at(index), frame) << "peeked frame " << index + 1;
        ASSERT_EQ(got.size(), expected.frames.size());
        for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected.frames[i]) << "frame " << i + 1;
        EXPECT_EQ(ingest.end_status(), expected.status);
        EXPECT_EQ(ingest.end_message(), expected.message);
        EXPECT_EQ(ingest.end_status(), cut ? ReadStatus::Truncated : ReadStatus::End);
    }
}

TEST_F(IngestThreadTest, StopsAtTheFrameLimit) {
    const std::string file = path("f.pcap");
    ASSERT_TRUE(mixed_capture().write(file));
    const Sequential expected = read_sequentially(file, 300);
    auto reader = PcapReader::open_file(file);
    ASSERT_TRUE(reader.ok());
    IngestThread ingest(reader.value(), 300);
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
        IngestThread ingest(reader.value(), std::nullopt);
        for (int i = 0; i < taken; ++i) ASSERT_NE(ingest.next(), nullptr);
    }
}
