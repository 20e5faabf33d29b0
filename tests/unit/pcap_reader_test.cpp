#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "ingest/pcap_reader.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"
#include "support/read_all.hpp"
#include "support/scratch_dir.hpp"

namespace {

using namespace tfx::test;
using tfx::ErrorKind;
using tfx::RawFrame;
using tfx::ingest::PcapReader;
using tfx::ingest::ReadStatus;
namespace fs = std::filesystem;

class PcapReaderTest : public tfx::test::ScratchDirTest {};

std::vector<Bytes> three_frames() {
    std::vector<Bytes> out;
    for (std::uint32_t i = 0; i < 3; ++i) {
        TcpSpec s{
            .sport = 1000, .dport = static_cast<std::uint16_t>(80 + i), .seq = 100 + i, .payload = filled(10 * i)};
        out.push_back(eth_tcp(s));
    }
    return out;
}

PcapWriter writer_with_three(PcapFileOptions o) {
    PcapWriter w{o};
    const auto frames = three_frames();
    w.add(std::chrono::seconds{1'700'000'000} + std::chrono::nanoseconds{123'456'789}, frames[0]);
    w.add(std::chrono::seconds{1'700'000'001}, frames[1], 1514);
    w.add(std::chrono::seconds{1'700'000'002} + std::chrono::microseconds{5}, frames[2]);
    return w;
}

TEST_F(PcapReaderTest, MissingFileIsCannotOpen) {
    auto r = PcapReader::open_file(path("nope.pcap"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::CannotOpen);
    EXPECT_EQ(r.error().message, "cannot open '" + path("nope.pcap") + "': No such file or directory");
}

TEST_F(PcapReaderTest, DirectoryIsCannotOpen) {
    auto r = PcapReader::open_file(dir_.string());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::CannotOpen);
    EXPECT_NE(r.error().message.find("Is a directory"), std::string::npos) << r.error().message;
}

TEST_F(PcapReaderTest, TextFileIsNotACapture) {
    ASSERT_TRUE(PcapWriter::save(path("x.txt"), text("hello, this is not a capture\n")));
    auto r = PcapReader::open_file(path("x.txt"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
    EXPECT_EQ(r.error().message, "'" + path("x.txt") + "' is not a pcap or pcapng capture (bad magic number)");
}

TEST_F(PcapReaderTest, EmptyFileIsNotACapture) {
    ASSERT_TRUE(PcapWriter::save(path("empty.pcap"), {}));
    auto r = PcapReader::open_file(path("empty.pcap"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
    EXPECT_NE(r.error().message.find("empty"), std::string::npos);
}

TEST_F(PcapReaderTest, HeaderCutShortIsNotACapture) {
    const Bytes whole = writer_with_three({}).bytes();
    ASSERT_TRUE(PcapWriter::save(path("short.pcap"), Bytes(whole.begin(), whole.begin() + 10)));
    auto r = PcapReader::open_file(path("short.pcap"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
}

TEST_F(PcapReaderTest, ReadsMicroAndNanoFilesInBothByteOrders) {
    for (bool nano : {false, true}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(std::string(nano ? "nsec" : "usec") + (be ? " big-endian" : " little-endian"));
            const std::string p = path("ok.pcap");
            ASSERT_TRUE(writer_with_three({.nanosecond = nano, .big_endian = be, .snaplen = 9000}).write(p));
            auto r = PcapReader::open_file(p);
            ASSERT_TRUE(r.ok()) << r.error().message;
            EXPECT_EQ(r->format(), "pcap");
            EXPECT_EQ(r->nanosecond_file(), nano);
            EXPECT_EQ(r->link_type(), 1);
            EXPECT_EQ(r->snaplen(), 9000U);
            EXPECT_FALSE(r->is_live());
            EXPECT_FALSE(r->stats());
            const Read got = read_all(r.value());
            EXPECT_EQ(got.last, ReadStatus::End);
            ASSERT_EQ(got.frames.size(), 3U);
            EXPECT_EQ(got.frames[0].index, 1U);
            EXPECT_EQ(got.frames[2].index, 3U);
            const std::int64_t first_ns = nano ? 123'456'789 : 123'456'000;
            EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000LL * 1'000'000'000 + first_ns);
            EXPECT_EQ(got.frames[2].ts.count(), 1'700'000'002LL * 1'000'000'000 + 5'000);
            EXPECT_EQ(got.frames[1].wirelen, 1514U);
            EXPECT_EQ(got.frames[1].caplen, got.data[1].size());
            EXPECT_EQ(got.data[2], three_frames()[2]);
            const auto d = tfx::decode::decode_frame(got.frames[2].link_type, got.data[2], got.frames[2].wirelen);
            EXPECT_EQ(d.kind, tfx::decode::FrameKind::Tcp);
            EXPECT_EQ(d.dst_port, 82);
        }
    }
}

// A FIFO (what `tcpflow-explain <(tcpdump -w - ...)` opens) cannot be rewound after a look at
// its head: it is read as a stream, with the same frames as the file; garbage in a FIFO is
// NotACapture, not a read error.
TEST_F(PcapReaderTest, FifoIsReadAsAStream) {
    const std::string file = path("ok.pcap");
    ASSERT_TRUE(writer_with_three({.nanosecond = true}).write(file));
    auto from_file = PcapReader::open_file(file);
    ASSERT_TRUE(from_file.ok()) << from_file.error().message;
    const Read expected = read_all(from_file.value());

    for (const bool capture : {true, false}) {
        SCOPED_TRACE(capture ? "pcap in the FIFO" : "text in the FIFO");
        const std::string fifo = path(capture ? "in.fifo" : "text.fifo");
        ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
        std::thread writer([&] {
            std::FILE* out = std::fopen(fifo.c_str(), "wb");  // blocks until the reader opens
            if (out == nullptr) return;
            if (capture) {
                std::FILE* in = std::fopen(file.c_str(), "rb");
                char buf[4096];
                for (std::size_t n; in != nullptr && (n = std::fread(buf, 1, sizeof buf, in)) > 0;)
                    std::fwrite(buf, 1, n, out);
                if (in != nullptr) std::fclose(in);
            } else {
                std::fputs("this is not a capture, just some words\n", out);
            }
            std::fclose(out);
        });
        auto r = PcapReader::open_file(fifo);
        if (capture) {
            ASSERT_TRUE(r.ok()) << r.error().message;
            EXPECT_EQ(r->format(), "pcap");
            const Read got = read_all(r.value());
            EXPECT_EQ(got.last, ReadStatus::End);
            ASSERT_EQ(got.frames.size(), expected.frames.size());
            for (std::size_t i = 0; i < got.frames.size(); ++i) {
                EXPECT_EQ(got.frames[i].ts, expected.frames[i].ts);
                EXPECT_EQ(got.data[i], expected.data[i]);
            }
        } else {
            ASSERT_FALSE(r.ok());
            EXPECT_EQ(r.error().kind, ErrorKind::NotACapture) << r.error().message;
        }
        writer.join();
    }
}

TEST_F(PcapReaderTest, FileCutMidRecordIsTruncatedAfterTheGoodFrames) {
    ASSERT_TRUE(writer_with_three({}).write_truncated(path("cut.pcap"), 7));
    auto r = PcapReader::open_file(path("cut.pcap"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Read got = read_all(r.value());
    EXPECT_EQ(got.frames.size(), 2U);
    EXPECT_EQ(got.last, ReadStatus::Truncated);
    EXPECT_FALSE(got.message.empty());
}

TEST_F(PcapReaderTest, BadFilterIsReported) {
    ASSERT_TRUE(writer_with_three({}).write(path("f.pcap")));
    auto r = PcapReader::open_file(path("f.pcap"));
    ASSERT_TRUE(r.ok());
    auto f = r->set_filter("tcp port port");
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().kind, ErrorKind::BadFilter);
    EXPECT_NE(f.error().message.find("tcp port port"), std::string::npos);
}

TEST_F(PcapReaderTest, FilterSelectsFrames) {
    ASSERT_TRUE(writer_with_three({}).write(path("f.pcap")));
    auto r = PcapReader::open_file(path("f.pcap"));
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->set_filter("tcp dst port 81").ok());
    const Read got = read_all(r.value());
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].index, 2U);  // the file's second frame keeps its number (tshark's frame.number)
}

TEST_F(PcapReaderTest, UnsupportedLinkTypeIsNamed) {
    PcapWriter w{{.link_type = 147}};
    w.add(std::chrono::seconds{1}, filled(20));
    ASSERT_TRUE(w.write(path("u.pcap")));
    auto r = PcapReader::open_file(path("u.pcap"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::UnsupportedLink);
    EXPECT_NE(r.error().message.find("unsupported link type 147"), std::string::npos) << r.error().message;
}

TEST_F(PcapReaderTest, RawIpLinkTypeIsMappedAndSupported) {
    PcapWriter w{{.link_type = 101}};
    w.add(std::chrono::seconds{1}, ip_tcp({}));
    ASSERT_TRUE(w.write(path("raw.pcap")));
    auto r = PcapReader::open_file(path("raw.pcap"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(tfx::link_type_supported(r->link_type()));
    RawFrame f;
    std::string msg;
    ASSERT_EQ(r->next(f, msg), ReadStatus::Frame);
    EXPECT_EQ(tfx::decode::decode_frame(f.link_type, f.data, f.wirelen).kind, tfx::decode::FrameKind::Tcp);
}

TEST_F(PcapReaderTest, DumpRoundTripKeepsBytesAndTimestamps) {
    ASSERT_TRUE(writer_with_three({.nanosecond = true}).write(path("in.pcap")));
    {
        auto r = PcapReader::open_file(path("in.pcap"));
        ASSERT_TRUE(r.ok());
        ASSERT_TRUE(r->open_dump(path("out.pcap")).ok());
        RawFrame f;
        std::string msg;
        while (r->next(f, msg) == ReadStatus::Frame) r->dump(f);
        r->close_dump();
    }
    auto a = PcapReader::open_file(path("in.pcap"));
    auto b = PcapReader::open_file(path("out.pcap"));
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_TRUE(b->nanosecond_file());
    const Read ra = read_all(a.value());
    const Read rb = read_all(b.value());
    ASSERT_EQ(ra.frames.size(), rb.frames.size());
    for (std::size_t i = 0; i < ra.frames.size(); ++i) {
        EXPECT_EQ(ra.frames[i].ts, rb.frames[i].ts);
        EXPECT_EQ(ra.frames[i].wirelen, rb.frames[i].wirelen);
        EXPECT_EQ(ra.data[i], rb.data[i]);
    }
}

TEST_F(PcapReaderTest, DumpToUnwritablePathIsIo) {
    ASSERT_TRUE(writer_with_three({}).write(path("in.pcap")));
    auto r = PcapReader::open_file(path("in.pcap"));
    ASSERT_TRUE(r.ok());
    auto d = r->open_dump(path("no/such/dir/out.pcap"));
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().kind, ErrorKind::Io);
}

// A minimal pcapng: SHB, IDB (Ethernet, if_tsresol 9), one Enhanced Packet Block.
Bytes tiny_pcapng(const Bytes& frame) {
    Bytes b;
    put_le32(b, 0x0a0d0d0a);
    put_le32(b, 28);
    put_le32(b, 0x1a2b3c4d);
    put_le16(b, 1);
    put_le16(b, 0);
    put_le32(b, 0xffffffff);
    put_le32(b, 0xffffffff);
    put_le32(b, 28);
    put_le32(b, 1);  // IDB
    put_le32(b, 32);
    put_le16(b, 1);
    put_le16(b, 0);
    put_le32(b, 65535);
    put_le16(b, 9);  // if_tsresol
    put_le16(b, 1);
    b.insert(b.end(), {std::byte{9}, std::byte{0}, std::byte{0}, std::byte{0}});
    put_le32(b, 0);  // opt_endofopt
    put_le32(b, 32);
    const std::size_t padded = (frame.size() + 3) & ~std::size_t{3};
    const auto len = static_cast<std::uint32_t>(32 + padded);
    put_le32(b, 6);  // EPB
    put_le32(b, len);
    put_le32(b, 0);  // interface
    const std::uint64_t ns = 1'700'000'000'123'456'789ULL;
    put_le32(b, static_cast<std::uint32_t>(ns >> 32));
    put_le32(b, static_cast<std::uint32_t>(ns & 0xffffffffU));
    put_le32(b, static_cast<std::uint32_t>(frame.size()));
    put_le32(b, static_cast<std::uint32_t>(frame.size()));
    b.insert(b.end(), frame.begin(), frame.end());
    b.resize(b.size() + (padded - frame.size()), std::byte{0});
    put_le32(b, len);
    return b;
}

TEST_F(PcapReaderTest, PcapngIsDetectedWithItsResolution) {
    const Bytes frame = eth_tcp({});
    ASSERT_TRUE(PcapWriter::save(path("t.pcapng"), tiny_pcapng(frame)));
    auto r = PcapReader::open_file(path("t.pcapng"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->format(), "pcapng");
    EXPECT_TRUE(r->nanosecond_file());
    const Read got = read_all(r.value());
    ASSERT_EQ(got.frames.size(), 1U);
    EXPECT_EQ(got.frames[0].ts.count(), 1'700'000'000'123'456'789LL);
    EXPECT_EQ(got.data[0], frame);
}

TEST_F(PcapReaderTest, ReaderIsMovable) {
    ASSERT_TRUE(writer_with_three({}).write(path("m.pcap")));
    auto r = PcapReader::open_file(path("m.pcap"));
    ASSERT_TRUE(r.ok());
    PcapReader moved = std::move(r.value());
    PcapReader again = std::move(moved);
    EXPECT_EQ(read_all(again).frames.size(), 3U);
}

TEST_F(PcapReaderTest, BreakLoopEndsReading) {
    ASSERT_TRUE(writer_with_three({}).write(path("b.pcap")));
    auto r = PcapReader::open_file(path("b.pcap"));
    ASSERT_TRUE(r.ok());
    r->break_loop();
    RawFrame f;
    std::string msg;
    EXPECT_EQ(r->next(f, msg), ReadStatus::End);
}

TEST(PcapReader, UnknownUserCannotBeDroppedTo) {
    auto r = PcapReader::drop_privileges("tfx-no-such-user-xyz");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
}

TEST(PcapReader, LiveCaptureOnMissingInterfaceFails) {
    auto r = PcapReader::open_live("tfx-no-such-if0", 262144, false);
    ASSERT_FALSE(r.ok());
    // Without privileges libpcap may report the permission problem first.
    EXPECT_TRUE(r.error().kind == ErrorKind::CannotOpen || r.error().kind == ErrorKind::Permission)
        << r.error().message;
}

// Live capture on loopback, when this process may capture (root or CAP_NET_RAW); skipped
// otherwise. A watchdog thread calls break_loop() so the test cannot hang.
TEST(PcapReader, LiveLoopbackDeliversAFrameAndStats) {
    auto r = PcapReader::open_live("lo", 65535, false);
    if (!r.ok()) GTEST_SKIP() << "no live capture here: " << r.error().message;
    EXPECT_TRUE(r->is_live());
    EXPECT_EQ(r->format(), "live");
    ASSERT_TRUE(r->set_filter("udp and dst port 39999").ok());
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(39999);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char msg[] = "tfx";
    ASSERT_EQ(::sendto(fd, msg, sizeof msg, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(sizeof msg));
    ::close(fd);
    PcapReader& reader = r.value();
    std::atomic<bool> done{false};
    std::thread watchdog([&reader, &done] {
        for (int i = 0; i < 60 && !done.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!done.load()) reader.break_loop();
    });
    RawFrame f;
    std::string message;
    const ReadStatus st = reader.next(f, message);
    done.store(true);
    watchdog.join();
    ASSERT_EQ(st, ReadStatus::Frame) << message;
    EXPECT_EQ(f.index, 1U);
    EXPECT_GT(f.ts.count(), 0);
    const auto d = tfx::decode::decode_frame(f.link_type, f.data, f.wirelen);
    EXPECT_EQ(d.kind, tfx::decode::FrameKind::NonTcp);
    EXPECT_TRUE(reader.stats().has_value());
}

// Smoke test: every capture of the shared corpus opens (or fails cleanly) and every frame
// decodes without tripping the sanitizers. TFX_CORPUS_VERBOSE=1 prints a line per file.
TEST(PcapReaderCorpus, EveryFileDecodesWithoutCrashing) {
    const fs::path dir = fs::path(TFX_SHARED_DIR) / "corpus" / "pcaps";
    if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (shared corpus not present)";
    const bool verbose = std::getenv("TFX_CORPUS_VERBOSE") != nullptr;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::uint64_t total_frames = 0;
    int opened = 0;
    for (const auto& p : files) {
        auto r = PcapReader::open_file(p.string());
        if (!r.ok()) {
            EXPECT_FALSE(r.error().message.empty());
            if (verbose) std::cout << p.filename().string() << ": open error: " << r.error().message << "\n";
            continue;
        }
        ++opened;
        std::map<tfx::decode::FrameKind, int> kinds;
        std::map<tfx::AnnotationCode, int> issues;
        RawFrame f;
        std::string msg;
        ReadStatus st;
        while ((st = r->next(f, msg)) == ReadStatus::Frame) {
            const auto d = tfx::decode::decode_frame(f.link_type, f.data, f.wirelen);
            ++kinds[d.kind];
            for (const auto& a : d.issue_list()) ++issues[a.code];
            ASSERT_LE(d.payload_captured, d.payload_len);
            ++total_frames;
        }
        if (verbose) {
            std::cout << p.filename().string() << " [" << r->format() << " lt " << r->link_type() << "]: tcp "
                      << kinds[tfx::decode::FrameKind::Tcp] << " nontcp " << kinds[tfx::decode::FrameKind::NonTcp]
                      << " nonip " << kinds[tfx::decode::FrameKind::NonIp] << " frag "
                      << kinds[tfx::decode::FrameKind::Fragment] << " malformed "
                      << kinds[tfx::decode::FrameKind::Malformed];
            for (const auto& [code, n] : issues) std::cout << " " << static_cast<int>(code) << "x" << n;
            if (st != ReadStatus::End) std::cout << " | status " << static_cast<int>(st) << ": " << msg;
            std::cout << "\n";
        }
    }
    EXPECT_GT(opened, 0);
    EXPECT_GT(total_frames, 0U);
}

}  // namespace
