// pcapng files read by our own block reader (through PcapReader::open_file): byte orders,
// sections, per-interface link types and timestamp resolutions, SPB/PB, skipped blocks,
// damage, per-link-type BPF filters, and the corpus files libpcap 1.10 could not read.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "ingest/pcap_reader.hpp"
#include "ingest/pcapng_reader.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"
#include "support/read_all.hpp"
#include "support/pcapng_builder.hpp"
#include "support/scratch_dir.hpp"

namespace {

using namespace tfx::test;
using tfx::ErrorKind;
using tfx::RawFrame;
using tfx::ingest::pcapng_timestamp;
using tfx::ingest::PcapReader;
using tfx::ingest::ReadStatus;
namespace fs = std::filesystem;

constexpr std::uint64_t kT0us = 1'700'000'000'000'000ULL;  // default resolution: microseconds

class PcapngTest : public tfx::test::ScratchDirTest {
protected:
    [[nodiscard]] std::string save(const Bytes& b, std::size_t cut = 0) const {
        const std::string p = (dir_ / "t.pcapng").string();
        EXPECT_TRUE(PcapWriter::save(p, b, cut));
        return p;
    }
};

Read open_and_read(const std::string& path) {
    auto r = PcapReader::open_file(path);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) return {};
    return read_all(r.value());
}

Bytes tcp_to(std::uint16_t dport) { return ip_tcp({.dport = dport}); }

TEST(PcapngTimestamp, DecimalAndBinaryResolutionsAndOffset) {
    EXPECT_EQ(pcapng_timestamp(1'500'000, 6, 0).count(), 1'500'000'000);               // 1.5 s in us
    EXPECT_EQ(pcapng_timestamp(1'500'000'000, 9, 0).count(), 1'500'000'000);           // in ns
    EXPECT_EQ(pcapng_timestamp(15, 1, 0).count(), 1'500'000'000);                      // in 1/10 s
    EXPECT_EQ(pcapng_timestamp(1'500'000'000'000, 12, 0).count(), 1'500'000'000);      // in ps
    EXPECT_EQ(pcapng_timestamp(5 * 1024 + 512, 0x80 | 10, 0).count(), 5'500'000'000);  // 2^-10
    EXPECT_EQ(pcapng_timestamp(1ULL << 30, 0x80 | 30, 0).count(), 1'000'000'000);      // 2^-30
    EXPECT_EQ(pcapng_timestamp(3, 0, 100).count(), 103'000'000'000);                   // seconds + if_tsoffset
    EXPECT_EQ(pcapng_timestamp(1, 6, -1).count(), -999'999'000);
    // A count with its top bit set is a (writer's) negative time, not 292,000 years ahead.
    EXPECT_EQ(pcapng_timestamp(~std::uint64_t{0}, 6, 0).count(), -1000);
    // Beyond what 64-bit nanoseconds hold: saturates, never overflows.
    EXPECT_EQ(pcapng_timestamp(1ULL << 62, 0, 0).count(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(pcapng_timestamp(1, 0x80 | 127, 0).count(), 0);
    EXPECT_EQ(pcapng_timestamp(12345, 120, 0).count(), 0);
}

TEST_F(PcapngTest, LittleEndianEnhancedPacketsWithNanosecondResolution) {
    const Bytes frame = eth_tcp({});
    PcapngBuilder b;
    b.shb().idb(1, 0, 9).epb(0, 1'700'000'000'123'456'789ULL, frame, 1514);
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->format(), "pcapng");
    EXPECT_TRUE(r->nanosecond_file());
    EXPECT_EQ(r->link_type(), 1);
    EXPECT_EQ(r->link_types(), std::vector<int>{1});
    EXPECT_EQ(r->snaplen(), 262144U);  // 0 = no limit, reported as libpcap does
    const Read got = read_all(r.value());
    EXPECT_EQ(got.last, ReadStatus::End);
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].index, 1U);
    EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000'123'456'789LL);
    EXPECT_EQ(got.frames[0].caplen, frame.size());
    EXPECT_EQ(got.frames[0].wirelen, 1514U);
    EXPECT_EQ(got.data[0], frame);
}

TEST_F(PcapngTest, BigEndianSectionReadsTheSame) {
    const Bytes frame = eth_tcp({.payload = filled(3)});  // odd length: padded block
    PcapngBuilder b;
    b.shb(true).idb(1, 65535, 6).epb(0, kT0us + 7, frame);
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->nanosecond_file());
    EXPECT_EQ(r->snaplen(), 65535U);
    const Read got = read_all(r.value());
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000'000'007'000LL);
    EXPECT_EQ(got.data[0], frame);
}

TEST_F(PcapngTest, SectionsInBothByteOrdersRestartTheInterfaces) {
    PcapngBuilder b;
    b.shb(false).idb(1).epb(0, kT0us, eth_tcp({}));
    // Interface 0 of the second section is Linux cooked, in big-endian.
    b.shb(true).idb(113, 0, 9).epb(0, 1'700'000'001'000'000'000ULL, sll_tcp({}));
    b.shb(false).idb(228).epb(0, kT0us + 2'000'000, tcp_to(81));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->link_types(), (std::vector<int>{1, 113, 228}));
    const Read got = read_all(r.value());
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    ASSERT_EQ(got.frames.size(), 3U);
    EXPECT_EQ(got.frames[0].link_type, 1);
    EXPECT_EQ(got.frames[1].link_type, 113);
    EXPECT_EQ(got.frames[2].link_type, 228);
    EXPECT_EQ(got.frames[1].ts.count(), 1'700'000'001'000'000'000LL);
    EXPECT_EQ(got.frames[2].ts.count(), 1'700'000'002'000'000'000LL);
    for (std::size_t i = 0; i < got.frames.size(); ++i)
        EXPECT_EQ(tfx::decode::decode_frame(got.frames[i].link_type, got.data[i], got.frames[i].wirelen).kind,
                  tfx::decode::FrameKind::Tcp);
}

TEST_F(PcapngTest, MixedLinkTypesInOneSectionEachKeepTheirOwn) {
    PcapngBuilder b;
    b.shb().idb(1).idb(101).idb(0, 0, 0x80 | 10);  // Ethernet, LINKTYPE_RAW, NULL at 2^-10 s
    b.epb(0, kT0us, eth_tcp({}));
    b.epb(1, kT0us + 1, tcp_to(81));
    b.epb(2, 5 * 1024 + 512, null_loopback(tcp_to(82), 2));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    // LINKTYPE_RAW (101) reads as DLT_RAW (12), as libpcap reports it.
    EXPECT_EQ(r->link_types(), (std::vector<int>{1, 12, 0}));
    const Read got = read_all(r.value());
    ASSERT_EQ(got.frames.size(), 3U);
    EXPECT_EQ(got.frames[0].link_type, 1);
    EXPECT_EQ(got.frames[1].link_type, 12);
    EXPECT_EQ(got.frames[2].link_type, 0);
    EXPECT_EQ(got.frames[2].ts.count(), 5'500'000'000);
    for (std::size_t i = 0; i < got.frames.size(); ++i)
        EXPECT_EQ(tfx::decode::decode_frame(got.frames[i].link_type, got.data[i], got.frames[i].wirelen).kind,
                  tfx::decode::FrameKind::Tcp);
}

TEST_F(PcapngTest, InterfaceDescribedAfterPacketsIsListedAtOpen) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({})).idb(113).epb(1, kT0us + 1, sll_tcp({}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->link_types(), (std::vector<int>{1, 113}));
    EXPECT_EQ(r->link_type(), 1);
    EXPECT_EQ(read_all(r.value()).frames.size(), 2U);
}

TEST_F(PcapngTest, TimestampOffsetIsAdded) {
    PcapngBuilder b;
    b.shb().idb(1, 0, 0, 1'700'000'000).epb(0, 5, eth_tcp({}));  // seconds, + offset
    const Read got = open_and_read(save(b.bytes()));
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'005'000'000'000LL);
}

TEST_F(PcapngTest, SimplePacketBlockUsesTheSnaplenAndTheLastTime) {
    const Bytes frame = eth_tcp({.payload = filled(100)});
    PcapngBuilder b;
    b.shb().idb(1, 64).epb(0, kT0us + 9, eth_tcp({}));
    b.spb(frame);                                             // 154 bytes stored, snaplen 64
    b.spb(std::span<const std::byte>(frame).first(64), 154);  // as a writer should store it
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    ASSERT_EQ(got.frames.size(), 3U);
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(got.frames[i].caplen, 64U);
        EXPECT_EQ(got.frames[i].wirelen, 154U);
        EXPECT_EQ(got.data[i], Bytes(frame.begin(), frame.begin() + 64));
        // No timestamp in an SPB: the previous packet's, so the clock does not jump.
        EXPECT_EQ(got.frames[i].ts, got.frames[0].ts);
    }
}

// libpcap refuses records above 262144 bytes (and truncates to the snapshot length it reads
// with); a 300,000-byte EPB once came through whole, so -w wrote a record no reader takes
// back. It is cut at the cap, its wire length kept, and the file reads on.
TEST_F(PcapngTest, PacketLongerThanLibpcapsMaximumIsCutAtTheMaximum) {
    const Bytes big = eth_tcp({.payload = filled(300'000 - 54)});
    PcapngBuilder b;
    b.shb().idb(1, 0).epb(0, kT0us, big).epb(0, kT0us + 1, eth_tcp({}));
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    ASSERT_EQ(got.frames.size(), 2U);
    EXPECT_EQ(got.frames[0].caplen, tfx::ingest::PcapngReader::kMaxCaplen);
    EXPECT_EQ(got.frames[0].wirelen, big.size());
    EXPECT_EQ(got.data[0], Bytes(big.begin(), big.begin() + tfx::ingest::PcapngReader::kMaxCaplen));
    EXPECT_EQ(got.data[1], eth_tcp({}));
}

TEST_F(PcapngTest, EnhancedPacketLongerThanItsInterfacesSnaplenIsCutAtTheSnaplen) {
    const Bytes frame = eth_tcp({.payload = filled(100)});
    PcapngBuilder b;
    b.shb().idb(1, 64).epb(0, kT0us, frame);
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].caplen, 64U);
    EXPECT_EQ(got.frames[0].wirelen, frame.size());
}

TEST_F(PcapngTest, ManyInterfacesListEachLinkTypeOnce) {
    PcapngBuilder b;
    b.shb();
    for (int i = 0; i < 3000; ++i) b.idb(static_cast<std::uint16_t>(i % 2 == 0 ? 1 : 101));
    b.epb(2999, kT0us, ip_tcp({}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().link_types().size(), 2U);
}

TEST_F(PcapngTest, SimplePacketBlockWithoutInterfaceIsDamage) {
    PcapngBuilder b;
    b.shb().spb(eth_tcp({}));
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_TRUE(got.frames.empty());
    EXPECT_EQ(got.last, ReadStatus::Truncated);
    EXPECT_NE(got.message.find("interface 0"), std::string::npos) << got.message;
}

TEST_F(PcapngTest, ObsoletePacketBlockIsRead) {
    const Bytes frame = eth_tcp({});
    PcapngBuilder b;
    b.shb().idb(113).idb(1).pb(1, kT0us + 3, frame, 1500);
    const Read got = open_and_read(save(b.bytes()));
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].link_type, 1);
    EXPECT_EQ(got.frames[0].wirelen, 1500U);
    EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000'000'003'000LL);
    EXPECT_EQ(got.data[0], frame);
}

TEST_F(PcapngTest, OtherBlocksAreSkipped) {
    PcapngBuilder b;
    b.shb().idb(1);
    b.block(4, bytes({1, 0, 4, 0, 10, 0, 0, 1, 'h', 0, 0, 0, 0, 0, 0, 0}));  // NRB
    b.epb(0, kT0us, eth_tcp({}));
    b.block(5, bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));  // ISB
    b.block(0x0a, bytes({'T', 'L', 'S', 'K', 0, 0, 0, 0}));   // DSB
    b.block(0x00000bad, bytes({1, 2, 3, 4, 5}));              // custom
    b.block(0x40000bad, {});
    b.block(0x12345678, Bytes(1000, std::byte{0xee}));  // unknown
    b.epb(0, kT0us + 1, eth_tcp({}));
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_EQ(got.last, ReadStatus::End) << got.message;
    EXPECT_EQ(got.frames.size(), 2U);
}

// Bad block lengths end the read after the good frames, with a message.
TEST_F(PcapngTest, BadBlockLengthsAreTruncatedAfterTheGoodFrames) {
    for (const std::uint32_t bad : {0U, 8U, 30U, 0x7ffffff0U, 0xffffffffU}) {
        PcapngBuilder b;
        b.shb().idb(1).epb(0, kT0us, eth_tcp({})).epb(0, kT0us + 1, eth_tcp({}));
        b.block(6, Bytes(40, std::byte{0}), bad);
        b.epb(0, kT0us + 2, eth_tcp({}));
        const Read got = open_and_read(save(b.bytes()));
        EXPECT_EQ(got.frames.size(), 2U) << bad;
        EXPECT_EQ(got.last, ReadStatus::Truncated) << bad;
        EXPECT_FALSE(got.message.empty());
    }
}

TEST_F(PcapngTest, TrailerThatDisagreesIsDamage) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({}));
    b.block(5, Bytes(8, std::byte{0}), {}, 24);
    b.epb(0, kT0us + 1, eth_tcp({}));
    const Read got = open_and_read(save(b.bytes()));
    EXPECT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.last, ReadStatus::Truncated);
    EXPECT_NE(got.message.find("trailer"), std::string::npos) << got.message;
}

TEST_F(PcapngTest, FileCutInsideABlockIsTruncated) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({})).epb(0, kT0us + 1, eth_tcp({}));
    for (const std::size_t cut : {1UL, 10UL, 60UL}) {
        const Read got = open_and_read(save(b.bytes(), cut));
        EXPECT_EQ(got.frames.size(), 1U) << cut;
        EXPECT_EQ(got.last, ReadStatus::Truncated) << cut;
        EXPECT_NE(got.message.find("ends inside"), std::string::npos) << got.message;
    }
    // Three bytes of a next block header.
    Bytes cut_header = b.bytes();
    cut_header.insert(cut_header.end(), {std::byte{6}, std::byte{0}, std::byte{0}});
    const Read got = open_and_read(save(cut_header));
    EXPECT_EQ(got.frames.size(), 2U);
    EXPECT_EQ(got.last, ReadStatus::Truncated);
}

TEST_F(PcapngTest, PacketsThatLieAreDamage) {
    {
        PcapngBuilder b;  // interface 3 is not described
        b.shb().idb(1).epb(0, kT0us, eth_tcp({})).epb(3, kT0us, eth_tcp({}));
        const Read got = open_and_read(save(b.bytes()));
        EXPECT_EQ(got.frames.size(), 1U);
        EXPECT_EQ(got.last, ReadStatus::Truncated);
        EXPECT_NE(got.message.find("interface 3"), std::string::npos) << got.message;
    }
    {
        PcapngBuilder b;  // captured length larger than the block
        b.shb().idb(1).epb(0, kT0us, eth_tcp({}), 0, 5000);
        const Read got = open_and_read(save(b.bytes()));
        EXPECT_TRUE(got.frames.empty());
        EXPECT_EQ(got.last, ReadStatus::Truncated);
    }
    {
        PcapngBuilder b;  // an interface option that runs past its block
        b.shb().idb(1).block(1, bytes({1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 40, 0, 6, 0, 0, 0}));
        const Read got = open_and_read(save(b.bytes()));
        EXPECT_EQ(got.last, ReadStatus::Truncated);
    }
}

TEST_F(PcapngTest, DamagedFirstSectionHeaderIsNotACapture) {
    {
        PcapngBuilder b;
        b.shb(false, 2).idb(1);
        auto r = PcapReader::open_file(save(b.bytes()));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
        EXPECT_NE(r.error().message.find("version 2.0"), std::string::npos) << r.error().message;
    }
    {
        PcapngBuilder b;
        b.shb().idb(1);
        Bytes bad = b.bytes();
        bad[8] = std::byte{0x12};  // byte-order magic
        auto r = PcapReader::open_file(save(bad));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
    }
    {
        PcapngBuilder b;
        b.shb();
        auto r = PcapReader::open_file(save(b.bytes(), 6));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
    }
}

TEST_F(PcapngTest, UndecodableInterfaceBesideGoodOnesReachesDecodeAsNonIp) {
    PcapngBuilder b;
    b.shb().idb(1).idb(147).epb(0, kT0us, eth_tcp({})).epb(1, kT0us + 1, bytes({1, 2, 3, 4}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Read got = read_all(r.value());
    ASSERT_EQ(got.frames.size(), 2U);
    EXPECT_EQ(got.frames[1].link_type, 147);
    const auto d = tfx::decode::decode_frame(147, got.data[1], got.frames[1].wirelen);
    EXPECT_EQ(d.kind, tfx::decode::FrameKind::NonIp);
    ASSERT_EQ(d.issue_count, 1);
    EXPECT_EQ(d.issues[0].code, tfx::AnnotationCode::UnsupportedLinkHeader);
    EXPECT_EQ(d.issues[0].a, 147);
}

TEST_F(PcapngTest, OnlyUndecodableInterfacesIsUnsupportedLink) {
    PcapngBuilder b;
    b.shb().idb(147).idb(148).epb(0, kT0us, bytes({1, 2, 3, 4}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::UnsupportedLink);
    EXPECT_NE(r.error().message.find("147"), std::string::npos);
}

TEST_F(PcapngTest, FilterIsCompiledPerLinkType) {
    PcapngBuilder b;
    b.shb().idb(1).idb(113).idb(101);
    b.epb(0, kT0us, eth_tcp({.dport = 80}));
    b.epb(1, kT0us + 1, sll_tcp({.dport = 80}));
    b.epb(2, kT0us + 2, tcp_to(80));
    b.epb(0, kT0us + 3, eth_tcp({.dport = 443}));
    b.epb(1, kT0us + 4, sll_tcp({.dport = 443}));
    b.epb(2, kT0us + 5, tcp_to(443));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->set_filter("tcp dst port 443").ok());
    const Read got = read_all(r.value());
    ASSERT_EQ(got.frames.size(), 3U);
    EXPECT_EQ(got.frames[0].link_type, 1);
    EXPECT_EQ(got.frames[1].link_type, 113);
    EXPECT_EQ(got.frames[2].link_type, 12);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(got.frames[i].index, i + 4);  // the file's frames 4 to 6 keep their numbers
        EXPECT_EQ(got.frames[i].ts.count(), static_cast<std::int64_t>(kT0us + 3 + i) * 1000);
    }
}

TEST_F(PcapngTest, BadFilterIsReported) {
    PcapngBuilder b;
    b.shb().idb(1).idb(113);
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok());
    auto f = r->set_filter("tcp port");
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().kind, ErrorKind::BadFilter);
}

TEST_F(PcapngTest, DumpWritesPcapForOneLinkTypeAndRefusesSeveral) {
    const Bytes frame = eth_tcp({});
    {
        PcapngBuilder b;
        b.shb().idb(1, 0, 9).epb(0, 1'700'000'000'123'456'789ULL, frame);
        auto r = PcapReader::open_file(save(b.bytes()));
        ASSERT_TRUE(r.ok());
        const std::string out = (dir_ / "out.pcap").string();
        ASSERT_TRUE(r->open_dump(out).ok());
        RawFrame f;
        std::string msg;
        ASSERT_EQ(r->next(f, msg), ReadStatus::Frame);
        r->dump(f);
        r->close_dump();
        auto back = PcapReader::open_file(out);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(back->format(), "pcap");
        const Read got = read_all(back.value());
        ASSERT_EQ(got.frames.size(), 1U);
        EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000'123'456'789LL);
        EXPECT_EQ(got.data[0], frame);
    }
    {
        PcapngBuilder b;
        b.shb().idb(1).idb(113);
        auto r = PcapReader::open_file(save(b.bytes()));
        ASSERT_TRUE(r.ok());
        auto d = r->open_dump((dir_ / "out2.pcap").string());
        ASSERT_FALSE(d.ok());
        EXPECT_EQ(d.error().kind, ErrorKind::Usage);
    }
}

TEST_F(PcapngTest, BreakLoopEndsReading) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({})).epb(0, kT0us + 1, eth_tcp({}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok());
    r->break_loop();
    RawFrame f;
    std::string msg;
    EXPECT_EQ(r->next(f, msg), ReadStatus::End);
}

// Flipped bytes and cut lengths anywhere in a file with every block kind: reading ends with
// End or Truncated, never reads outside a block (ASan/UBSan builds), never loops.
TEST_F(PcapngTest, CorruptedFilesNeverCrash) {
    PcapngBuilder b;
    b.shb().idb(1, 128, 9, 10).idb(113).epb(0, 1, eth_tcp({.payload = filled(20)}));
    b.block(4, bytes({1, 0, 4, 0, 10, 0, 0, 1})).spb(eth_tcp({})).pb(1, 2, sll_tcp({}));
    b.shb(true).idb(0, 0, 0x80 | 20).epb(0, 3, null_loopback(tcp_to(80), 2));
    const Bytes good = b.bytes();
    std::uint32_t state = 12345;
    const auto rnd = [&state] {
        state = state * 1103515245U + 12345U;
        return state >> 8;
    };
    for (int round = 0; round < 400; ++round) {
        Bytes bad = good;
        const int flips = 1 + static_cast<int>(rnd() % 4);
        for (int i = 0; i < flips; ++i) bad[rnd() % bad.size()] = static_cast<std::byte>(rnd() & 0xffU);
        const std::size_t cut = rnd() % 3 == 0 ? rnd() % bad.size() : 0;
        auto r = PcapReader::open_file(save(bad, cut));
        if (!r.ok()) continue;
        RawFrame f;
        std::string msg;
        ReadStatus st;
        int n = 0;
        while ((st = r->next(f, msg)) == ReadStatus::Frame) {
            ASSERT_LE(f.data.size(), bad.size());
            (void)tfx::decode::decode_frame(f.link_type, f.data, f.wirelen);
            ASSERT_LT(++n, 100);
        }
        EXPECT_TRUE(st == ReadStatus::End || st == ReadStatus::Truncated);
    }
}

// The three corpus files libpcap 1.10 could not read past their second link type.
struct CorpusCase {
    const char* name;
    std::size_t frames;
    std::size_t tcp;
    std::vector<int> link_types;
};

TEST(PcapngCorpus, MultiLinkTypeFilesReadCompletely) {
    const fs::path dir = fs::path(TFX_SHARED_DIR) / "corpus" / "pcaps";
    if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
    const std::vector<CorpusCase> cases = {
        {"pp-pcapng-multi-linktype.pcapng", 159, 159, {1, 113}},
        {"pp-pcapng-many-interfaces.pcapng", 64, 32, {1, 0, 12}},
        // tshark counts 11 frames: it also shows the 3 custom blocks.
        {"stress-pt-pcapng-be-multi-section.pcapng", 8, 0, {1, 0}},
    };
    for (const auto& c : cases) {
        auto r = PcapReader::open_file((dir / c.name).string());
        ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
        EXPECT_EQ(r->link_types(), c.link_types) << c.name;
        RawFrame f;
        std::string msg;
        ReadStatus st;
        std::size_t frames = 0;
        std::size_t tcp = 0;
        while ((st = r->next(f, msg)) == ReadStatus::Frame) {
            ++frames;
            if (tfx::decode::decode_frame(f.link_type, f.data, f.wirelen).kind == tfx::decode::FrameKind::Tcp) ++tcp;
        }
        EXPECT_EQ(st, ReadStatus::End) << c.name << ": " << msg;
        EXPECT_EQ(frames, c.frames) << c.name;
        EXPECT_EQ(tcp, c.tcp) << c.name;
    }
}

using tfx::Language;

// The damage of a block in the middle of a file, said in English and in French: the same
// file, offset, block type and length, whatever the language; next()'s message is its English.
TEST_F(PcapngTest, DamageInTheMiddleIsSaidInEitherLanguage) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({}));
    const std::size_t offset = b.bytes().size();
    b.block(6, Bytes(40, std::byte{0}), 30U);
    const std::string path = save(b.bytes());
    auto r = PcapReader::open_file(path);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Read got = read_all(r.value());
    ASSERT_EQ(got.last, ReadStatus::Truncated);
    const auto problem = r->problem();
    ASSERT_TRUE(problem.has_value());
    const std::string at = std::to_string(offset);
    EXPECT_EQ(problem->text(Language::En),
              "'" + path + "': block at offset " + at + " (type 0x00000006) has a bad length 30");
    EXPECT_EQ(problem->text(Language::Fr),
              "'" + path + "'\u202f: bloc à l'octet " + at + " (type 0x00000006)\u202f: longueur invalide 30");
    EXPECT_EQ(got.message, problem->message);
}

TEST_F(PcapngTest, FileCutInsideABlockSaysTheBlocksLengthInEitherLanguage) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({}));
    const std::size_t offset = b.bytes().size();
    b.epb(0, kT0us + 1, eth_tcp({}));
    const std::size_t length = b.bytes().size() - offset;
    auto r = PcapReader::open_file(save(b.bytes(), 10));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(read_all(r.value()).last, ReadStatus::Truncated);
    const auto problem = r->problem();
    ASSERT_TRUE(problem.has_value());
    const std::string where = std::to_string(offset) + " (type 0x00000006, " + std::to_string(length);
    EXPECT_NE(problem->text(Language::En).find("block at offset " + where + " bytes): the file ends inside the block"),
              std::string::npos)
        << problem->text(Language::En);
    EXPECT_NE(problem->text(Language::Fr)
                  .find("bloc à l'octet " + where + " octets)\u202f: le fichier s'arrête au milieu du bloc"),
              std::string::npos)
        << problem->text(Language::Fr);
}

TEST_F(PcapngTest, CleanEndHasNoProblem) {
    PcapngBuilder b;
    b.shb().idb(1).epb(0, kT0us, eth_tcp({}));
    auto r = PcapReader::open_file(save(b.bytes()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(read_all(r.value()).last, ReadStatus::End);
    EXPECT_FALSE(r->problem().has_value());
}

TEST_F(PcapngTest, DamagedFirstSectionHeaderIsSaidInFrench) {
    PcapngBuilder b;
    b.shb(false, 2).idb(1);
    const std::string path = save(b.bytes());
    auto r = PcapReader::open_file(path);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "'" + path + "' is not a readable pcapng capture: block at offset 0: unsupported pcapng version 2.0");
    EXPECT_EQ(r.error().text(Language::Fr), "'" + path +
                                                "' n'est pas une capture pcapng lisible\u202f: bloc à l'octet 0\u202f: "
                                                "version 2.0 de pcapng non prise en charge");
}

}  // namespace
