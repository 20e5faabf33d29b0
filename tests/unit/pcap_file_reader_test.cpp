// ClassicPcapReader (and PcapReader, which reads classic pcap regular files with it) against libpcap
// itself: every file here is written byte by byte, read once by pcap_open_offline and once by
// our code, and the two readings must agree frame by frame (index, timestamp, caplen, wire
// length, link type, bytes) and in how they end (the message text included). The expected
// values are libpcap's, never restated here.

#include <gtest/gtest.h>

#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "ingest/link_type_map.hpp"
#include "ingest/pcap_file_reader.hpp"
#include "ingest/pcap_reader.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"
#include "support/read_all.hpp"
#include "support/scratch_dir.hpp"

namespace {

using namespace tfx::test;
using tfx::ErrorKind;
using tfx::RawFrame;
using tfx::ingest::ClassicPcapReader;
using tfx::ingest::PcapReader;
using tfx::ingest::ReadStatus;
namespace fs = std::filesystem;

constexpr std::uint32_t kUsec = 0xa1b2c3d4;
constexpr std::uint32_t kNsec = 0xa1b23c4d;
constexpr std::uint32_t kKuznetzov = 0xa1b2cd34;

// ---- a classic pcap file, any field any value ----------------------------------------------

struct Rec {
    std::uint32_t sec = 1'700'000'000;
    std::uint32_t frac = 0;
    std::optional<std::uint32_t> caplen{};  // default: data.size()
    std::optional<std::uint32_t> len{};     // default: data.size()
    Bytes data{};
};

struct File {
    std::uint32_t magic = kUsec;
    bool big_endian = false;
    std::uint16_t major = 2;
    std::uint16_t minor = 4;
    std::uint32_t snaplen = 262144;
    std::uint32_t linktype = 1;
    std::vector<Rec> records{};

    [[nodiscard]] Bytes bytes() const {
        Bytes b;
        auto p16 = [&](std::uint16_t v) { big_endian ? put_be16(b, v) : put_le16(b, v); };
        auto p32 = [&](std::uint32_t v) { big_endian ? put_be32(b, v) : put_le32(b, v); };
        p32(magic);
        p16(major);
        p16(minor);
        p32(0);
        p32(0);
        p32(snaplen);
        p32(linktype);
        for (const Rec& r : records) {
            p32(r.sec);
            p32(r.frac);
            p32(r.caplen.value_or(static_cast<std::uint32_t>(r.data.size())));
            p32(r.len.value_or(static_cast<std::uint32_t>(r.data.size())));
            if (magic == kKuznetzov) {  // ifindex, protocol, pkt_type, padding
                p32(3);
                p16(0x0800);
                b.push_back(std::byte{4});
                b.push_back(std::byte{0});
            }
            b.insert(b.end(), r.data.begin(), r.data.end());
        }
        return b;
    }
};

Bytes tcp_frame(std::uint16_t dport, std::size_t payload) {
    return eth_tcp({.sport = 1000, .dport = dport, .seq = 7, .payload = filled(payload)});
}

// Five Ethernet frames of different sizes and ports, with plain timestamps.
std::vector<Rec> five_records() {
    std::vector<Rec> out;
    for (std::uint32_t i = 0; i < 5; ++i)
        out.push_back(Rec{.sec = 1'700'000'000 + i,
                          .frac = 1000 * i + 7,
                          .data = tcp_frame(static_cast<std::uint16_t>(80 + i), 40 * i)});
    return out;
}

// ---- both readings ---------------------------------------------------------------------------

struct Frame {
    std::uint64_t index = 0;
    std::int64_t ts = 0;
    std::uint32_t caplen = 0;
    std::uint32_t wirelen = 0;
    int link_type = 0;
    Bytes data;
    bool operator==(const Frame&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Frame& f) {
    return os << "#" << f.index << " ts " << f.ts << " caplen " << f.caplen << " wirelen " << f.wirelen << " link "
              << f.link_type << " bytes " << f.data.size();
}

struct Reading {
    bool opened = false;
    std::string error;  // why it did not open
    int link_type = 0;
    int snaplen = 0;
    std::vector<Frame> frames;
    bool truncated = false;  // ended in an error rather than at the end of the file
    std::string message;
};

// libpcap's reading, as PcapReader's libpcap path converts it (nanosecond precision asked). A
// filter is libpcap's own test on each record (pcap_offline_filter), and every record counts
// in the frame numbers, filtered out or not.
Reading libpcap_reading(const std::string& path, const std::string& filter = {}) {
    Reading out;
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
    if (p == nullptr) {
        out.error = errbuf.data();
        return out;
    }
    out.opened = true;
    out.link_type = pcap_datalink(p);
    out.snaplen = pcap_snapshot(p);
    bpf_program prog{};
    const bool filtered = !filter.empty();
    if (filtered) {
        if (pcap_compile(p, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            out.error = pcap_geterr(p);
            out.opened = false;
            pcap_close(p);
            return out;
        }
    }
    std::uint64_t records = 0;
    for (;;) {
        pcap_pkthdr* h = nullptr;
        const u_char* d = nullptr;
        const int rc = pcap_next_ex(p, &h, &d);
        if (rc != 1) {
            out.truncated = rc == PCAP_ERROR;
            if (out.truncated) out.message = pcap_geterr(p);
            break;
        }
        ++records;
        if (filtered && pcap_offline_filter(&prog, h, d) == 0) continue;
        Frame f;
        f.index = records;
        f.ts = static_cast<std::int64_t>(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec;
        f.caplen = h->caplen;
        f.wirelen = h->len;
        f.link_type = out.link_type;
        const auto* b = reinterpret_cast<const std::byte*>(d);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        f.data.assign(b, b + h->caplen);
        out.frames.push_back(std::move(f));
    }
    if (filtered) pcap_freecode(&prog);
    pcap_close(p);
    return out;
}

Frame frame_of(const RawFrame& r) {
    return Frame{r.index, r.ts.count(), r.caplen, r.wirelen, r.link_type, Bytes(r.data.begin(), r.data.end())};
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

class PcapFileReaderTest : public tfx::test::ScratchDirTest {
protected:
    std::string write(const Bytes& b, std::size_t cut = 0) {
        const std::string p = path("f" + std::to_string(files_++) + ".pcap");
        EXPECT_TRUE(PcapWriter::save(p, b, cut));
        return p;
    }

    // ClassicPcapReader against libpcap on the file at `p`.
    static void expect_classic_matches(const std::string& p) {
        const Reading ref = libpcap_reading(p);
        auto r = ClassicPcapReader::open(p, quoted(p));
        if (!ref.opened) {
            ASSERT_FALSE(r.ok()) << "libpcap refused it: " << ref.error;
            EXPECT_EQ(r.error().kind, ErrorKind::NotACapture);
            EXPECT_EQ(r.error().message, quoted(p) + " is not a readable pcap capture: " + ref.error);
            return;
        }
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->link_type(), ref.link_type);
        EXPECT_EQ(static_cast<int>(r->snaplen()), ref.snaplen);
        std::vector<Frame> got;
        RawFrame f;
        std::string message;
        ReadStatus st{};
        while ((st = r->next(f, message)) == ReadStatus::Frame) got.push_back(frame_of(f));
        EXPECT_EQ(got, ref.frames);
        EXPECT_EQ(st, ref.truncated ? ReadStatus::Truncated : ReadStatus::End);
        if (ref.truncated) {
            EXPECT_EQ(message, ref.message);
        }
        EXPECT_EQ(r->next(f, message), ReadStatus::End);  // and stays ended
    }

    // PcapReader (which reads the file with ClassicPcapReader) against libpcap, with an optional filter.
    static void expect_reader_matches(const std::string& p, const std::string& filter = {}) {
        const Reading ref = libpcap_reading(p, filter);
        ASSERT_TRUE(ref.opened) << ref.error;
        auto r = PcapReader::open_file(p);
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->format(), "pcap");
        EXPECT_EQ(r->link_type(), ref.link_type);
        EXPECT_EQ(r->link_types(), std::vector<int>{ref.link_type});
        EXPECT_EQ(static_cast<int>(r->snaplen()), ref.snaplen);
        EXPECT_FALSE(r->stats());
        if (!filter.empty()) {
            ASSERT_TRUE(r->set_filter(filter).ok());
        }
        const Read got = read_all(r.value());
        std::vector<Frame> frames;
        for (const RawFrame& f : got.frames) frames.push_back(frame_of(f));
        for (std::size_t i = 0; i < frames.size(); ++i) frames[i].data = got.data[i];
        EXPECT_EQ(frames, ref.frames);
        EXPECT_EQ(got.last, ref.truncated ? ReadStatus::Truncated : ReadStatus::End);
        if (ref.truncated) {
            EXPECT_EQ(got.message, ref.message);
        }
    }

    void expect_both_match(const File& file, std::size_t cut = 0) {
        const std::string p = write(file.bytes(), cut);
        expect_classic_matches(p);
        const Reading ref = libpcap_reading(p);
        if (ref.opened && tfx::link_type_supported(ref.link_type)) expect_reader_matches(p);
    }

    int files_ = 0;
};

// ---- the format's variants -------------------------------------------------------------------

TEST_F(PcapFileReaderTest, EveryMagicInEitherByteOrder) {
    for (std::uint32_t magic : {kUsec, kNsec, kKuznetzov}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(::testing::Message() << std::hex << magic << (be ? " big-endian" : " little-endian"));
            File f{.magic = magic, .big_endian = be, .snaplen = 9000, .records = five_records()};
            expect_both_match(f);
            // Kuznetzov files on Ethernet get 14 bytes more snaplen; not on raw IP.
            f.linktype = 101;
            expect_both_match(f);
        }
    }
}

TEST_F(PcapFileReaderTest, TimestampFieldsAtTheirLimits) {
    // Seconds and fractions with the top bit set read signed in a file of the host's byte
    // order and unsigned in a swapped one; fractions beyond a second are kept as they are.
    std::vector<Rec> recs;
    for (std::uint32_t sec : {0U, 1U, 0x7fffffffU, 0x80000000U, 0xffffffffU}) {
        for (std::uint32_t frac : {0U, 999'999U, 1'000'000U, 999'999'999U, 0x80000000U, 0xfffffff0U})
            recs.push_back(Rec{.sec = sec, .frac = frac, .data = tcp_frame(80, 0)});
    }
    for (std::uint32_t magic : {kUsec, kNsec, kKuznetzov}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(::testing::Message() << std::hex << magic << (be ? " big-endian" : " little-endian"));
            expect_both_match(File{.magic = magic, .big_endian = be, .records = recs});
        }
    }
}

TEST_F(PcapFileReaderTest, VersionsAndTheirLengthOrder) {
    // Before 2.3 (and DG/UX 543.0) the wire length came first; in 2.3 it depends on the record.
    std::vector<Rec> recs = five_records();
    recs.push_back(Rec{.caplen = 60, .len = 54, .data = filled(60)});  // caplen > len
    recs.push_back(Rec{.caplen = 54, .len = 60, .data = filled(54)});  // caplen < len
    recs.push_back(Rec{.caplen = 40, .len = 1514, .data = filled(40)});
    recs.push_back(Rec{.caplen = 1514, .len = 40, .data = filled(40)});  // either order: 40 bytes
    for (bool be : {false, true}) {
        for (const auto& [major, minor] :
             std::vector<std::pair<std::uint16_t, std::uint16_t>>{{2, 0}, {2, 1}, {2, 2}, {2, 3}, {2, 4}, {543, 0}}) {
            SCOPED_TRACE(::testing::Message() << major << "." << minor << (be ? " big-endian" : ""));
            expect_both_match(File{.big_endian = be, .major = major, .minor = minor, .records = recs});
        }
    }
}

TEST_F(PcapFileReaderTest, VersionsLibpcapRefusesAreRefusedWithItsMessage) {
    for (const auto& [major, minor] : std::vector<std::pair<std::uint16_t, std::uint16_t>>{
             {0, 0}, {1, 9}, {2, 5}, {2, 0xffff}, {3, 0}, {543, 1}, {0xffff, 0}}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(::testing::Message() << major << "." << minor << (be ? " big-endian" : ""));
            const std::string p =
                write(File{.big_endian = be, .major = major, .minor = minor, .records = five_records()}.bytes());
            ASSERT_FALSE(libpcap_reading(p).opened);
            expect_classic_matches(p);
            // PcapReader still lets libpcap judge the header: same kind, same text.
            auto r = PcapReader::open_file(p);
            ASSERT_FALSE(r.ok());
            auto c = ClassicPcapReader::open(p, quoted(p));
            ASSERT_FALSE(c.ok());
            EXPECT_EQ(r.error().kind, c.error().kind);
            EXPECT_EQ(r.error().message, c.error().message);
        }
    }
}

TEST_F(PcapFileReaderTest, HeaderCutShort) {
    for (std::uint32_t magic : {kUsec, kNsec, kKuznetzov}) {
        for (bool be : {false, true}) {
            const Bytes whole = File{.magic = magic, .big_endian = be}.bytes();
            for (std::size_t keep = 4; keep < 24; ++keep) {
                SCOPED_TRACE(::testing::Message() << std::hex << magic << std::dec << " keep " << keep);
                const std::string p = write(Bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(keep)));
                expect_classic_matches(p);
                auto r = PcapReader::open_file(p);
                auto c = ClassicPcapReader::open(p, quoted(p));
                ASSERT_FALSE(r.ok());
                ASSERT_FALSE(c.ok());
                EXPECT_EQ(r.error().kind, c.error().kind);
                EXPECT_EQ(r.error().message, c.error().message);
            }
        }
    }
}

TEST_F(PcapFileReaderTest, HeaderOnlyFileHasNoFrames) {
    expect_both_match(File{});
    expect_both_match(File{.magic = kKuznetzov, .big_endian = true});
}

TEST_F(PcapFileReaderTest, FileCutAnywhereInTheLastRecord) {
    for (std::uint32_t magic : {kUsec, kKuznetzov}) {
        for (bool be : {false, true}) {
            const File f{.magic = magic, .big_endian = be, .records = five_records()};
            const std::size_t last = (magic == kKuznetzov ? 24 : 16) + f.records.back().data.size();
            for (std::size_t cut = 1; cut <= last; ++cut) {  // inside the body, then the header
                SCOPED_TRACE(::testing::Message() << std::hex << magic << std::dec << " cut " << cut);
                expect_both_match(f, cut);
            }
        }
    }
}

TEST_F(PcapFileReaderTest, RecordsLongerThanTheSnaplenAreCutToIt) {
    std::vector<Rec> recs = five_records();
    recs.insert(recs.begin() + 1, Rec{.len = 3000, .data = filled(150, 0x11)});
    recs.insert(recs.begin() + 3, Rec{.data = filled(101, 0x22)});
    for (std::uint32_t magic : {kUsec, kKuznetzov}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(::testing::Message() << std::hex << magic << (be ? " big-endian" : ""));
            File f{.magic = magic, .big_endian = be, .snaplen = 100, .records = recs};
            expect_both_match(f);
            // Cut inside the kept part, and inside the part libpcap skips.
            File g = f;
            g.records.resize(2);
            for (std::size_t cut : {1, 20, 49, 50, 51, 100}) {
                SCOPED_TRACE(::testing::Message() << "cut " << cut);
                expect_both_match(g, cut);
            }
        }
    }
}

TEST_F(PcapFileReaderTest, ZeroLengthRecords) {
    std::vector<Rec> recs = five_records();
    recs.insert(recs.begin(), Rec{.data = {}});
    recs.insert(recs.begin() + 2, Rec{.len = 60, .data = {}});
    recs.push_back(Rec{.data = {}});
    for (bool be : {false, true}) expect_both_match(File{.big_endian = be, .records = recs});
    expect_both_match(File{.magic = kKuznetzov, .records = recs});
}

TEST_F(PcapFileReaderTest, CaplenBeyondLibpcapsMaximum) {
    // "bigger than snaplen of" or "bigger than maximum of", whichever libpcap says, and the
    // frames before it are kept.
    for (std::uint32_t snaplen : {262144U, 65535U, 0x7fffffffU, 0U}) {
        for (std::uint32_t caplen : {262145U, 300000U, 0xC0000000U, 0xffffffffU}) {
            SCOPED_TRACE(::testing::Message() << "snaplen " << snaplen << " caplen " << caplen);
            std::vector<Rec> recs = five_records();
            recs.insert(recs.begin() + 2,
                        Rec{.caplen = caplen, .len = caplen, .data = filled(caplen == 300000 ? 300000 : 64)});
            expect_both_match(File{.snaplen = snaplen, .records = recs});
        }
    }
    // Link types with a larger maximum (D-Bus, USBPcap): read as libpcap does, not decoded.
    for (std::uint32_t linktype : {231U, 249U, 279U}) {
        SCOPED_TRACE(::testing::Message() << "link type " << linktype);
        std::vector<Rec> recs{Rec{.data = filled(300000)}, Rec{.caplen = 0x2000000, .data = filled(8)}};
        expect_both_match(File{.snaplen = 0, .linktype = linktype, .records = recs});
    }
}

TEST_F(PcapFileReaderTest, SnaplenAsLibpcapAdjustsIt) {
    for (std::uint32_t magic : {kUsec, kKuznetzov}) {
        for (std::uint32_t linktype : {1U, 101U, 231U}) {
            for (std::uint32_t snaplen :
                 {0U, 1U, 14U, 65535U, 262144U, 262145U, 0x7ffffff1U, 0x7fffffffU, 0x80000000U, 0xffffffffU}) {
                SCOPED_TRACE(::testing::Message()
                             << std::hex << magic << std::dec << " link " << linktype << " snaplen " << snaplen);
                expect_classic_matches(write(
                    File{.magic = magic, .snaplen = snaplen, .linktype = linktype, .records = five_records()}.bytes()));
            }
        }
    }
}

TEST_F(PcapFileReaderTest, LinkTypeFieldAsLibpcapMasksAndMapsIt) {
    std::vector<std::uint32_t> fields;
    for (std::uint32_t t = 0; t <= 300; ++t) fields.push_back(t);
    for (std::uint32_t t : {0x04000001U, 0x14000001U, 0xfc000001U, 0xf4000065U, 0x00010001U, 0x03ff0001U, 0x02000000U,
                            0xffffffffU, 0x0000ffffU})
        fields.push_back(t);
    for (std::uint32_t field : fields) {
        SCOPED_TRACE(::testing::Message() << "link-type field 0x" << std::hex << field);
        expect_classic_matches(write(File{.linktype = field, .records = {Rec{.data = filled(20)}}}.bytes()));
    }
}

TEST(PcapFileReader, LinkTypeMapIsLibpcaps) {
    // Header only, from memory: fast enough for every 16-bit value.
    for (int t = 0; t <= 0xffff; ++t) {
        File f{.linktype = static_cast<std::uint32_t>(t)};
        Bytes b = f.bytes();
        std::FILE* fp = ::fmemopen(b.data(), b.size(), "rb");
        ASSERT_NE(fp, nullptr);
        std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
        pcap_t* p = pcap_fopen_offline(fp, errbuf.data());
        ASSERT_NE(p, nullptr) << errbuf.data();
        ASSERT_EQ(tfx::ingest::dlt_from_linktype(t), pcap_datalink(p)) << "LINKTYPE " << t;
        pcap_close(p);
    }
}

// ---- filters ---------------------------------------------------------------------------------

TEST_F(PcapFileReaderTest, FiltersSelectWhatLibpcapSelects) {
    std::vector<Rec> recs = five_records();
    recs.push_back(Rec{.len = 1514, .data = tcp_frame(81, 10)});  // snaplen-cut: len > caplen
    recs.push_back(Rec{.data = filled(30, 0xff)});                // not IP
    recs.push_back(Rec{.data = {}});
    const std::vector<std::string> filters = {"tcp dst port 81",
                                              "tcp",
                                              "len > 100",
                                              "greater 90",
                                              "less 60",
                                              "not tcp",
                                              "ether[0] & 1 = 1",
                                              "tcp[13] & 2 = 0 and ip[8] = 64",
                                              "ip6"};
    for (std::uint32_t magic : {kUsec, kNsec}) {
        for (bool be : {false, true}) {
            const std::string p = write(File{.magic = magic, .big_endian = be, .records = recs}.bytes());
            for (const auto& filter : filters) {
                SCOPED_TRACE(::testing::Message() << std::hex << magic << std::dec << " '" << filter << "'");
                expect_reader_matches(p, filter);
            }
        }
    }
    // Raw IP (LINKTYPE_RAW, DLT_RAW 12): the filter is compiled for the mapped link type.
    std::vector<Rec> raw;
    for (std::uint16_t port = 80; port < 84; ++port)
        raw.push_back(Rec{.data = ip_tcp({.dport = port, .payload = filled(port - 80U)})});
    const std::string p = write(File{.linktype = 101, .records = raw}.bytes());
    for (const auto& filter : {"tcp dst port 82", "ip", "len >= 42"}) {
        SCOPED_TRACE(filter);
        expect_reader_matches(p, filter);
    }
}

TEST_F(PcapFileReaderTest, FilterThatDoesNotCompileGivesLibpcapsMessage) {
    const std::string p = write(File{.records = five_records()}.bytes());
    for (const std::string filter : {"tcp port port", "ether host 1:2:3:4:5", "nonsense", "ip6 and ip[99999999]"}) {
        SCOPED_TRACE(filter);
        const Reading ref = libpcap_reading(p, filter);
        auto r = PcapReader::open_file(p);
        ASSERT_TRUE(r.ok());
        auto f = r->set_filter(filter);
        if (ref.opened) {
            EXPECT_TRUE(f.ok()) << f.error().message;
            continue;
        }
        ASSERT_FALSE(f.ok());
        EXPECT_EQ(f.error().kind, ErrorKind::BadFilter);
        EXPECT_EQ(f.error().message, "bad filter '" + filter + "': " + ref.error);
    }
}

// ---- how PcapReader reads in blocks ----------------------------------------------------------

TEST_F(PcapFileReaderTest, RecordsAcrossManyBlocksAndLargerThanABlock) {
    // ~20 MB of records whose sizes vary, so that many straddle the end of a 1 MiB block.
    std::vector<Rec> recs;
    for (std::uint32_t i = 0; i < 14'000; ++i)
        recs.push_back(Rec{.sec = i, .data = tcp_frame(static_cast<std::uint16_t>(1000 + i % 50000), 1000 + i % 461)});
    const File many{.records = recs};
    ASSERT_GT(many.bytes().size(), std::size_t{16} << 20);
    expect_both_match(many);
    // D-Bus records may reach 128 MiB: one of 3 MiB grows the buffer to hold it whole.
    Bytes big(3u << 20, std::byte{0x5c});
    expect_both_match(File{.snaplen = 0,
                           .linktype = 231,
                           .records = {Rec{.data = filled(100)}, Rec{.data = big}, Rec{.data = filled(60)}}});
}

// A file that shrinks while it is read (a mapping would die of SIGBUS here): read in blocks,
// the frames before the new end are read and the capture then ends as truncated.
TEST_F(PcapFileReaderTest, AFileThatShrinksWhileReadEndsTruncated) {
    std::vector<Rec> recs;
    for (std::uint32_t i = 0; i < 6'000; ++i)
        recs.push_back(Rec{.sec = i, .data = tcp_frame(static_cast<std::uint16_t>(1000 + i), 1200)});
    const Bytes bytes = File{.records = recs}.bytes();
    for (const std::size_t cut_to : {bytes.size() / 2 + 3, std::size_t{10}, std::size_t{0}}) {
        SCOPED_TRACE("cut to " + std::to_string(cut_to) + " bytes");
        const std::string p = write(bytes);
        auto r = ClassicPcapReader::open(p, "'f'");
        ASSERT_TRUE(r.ok()) << r.error().message;
        RawFrame f;
        std::string message;
        for (std::size_t i = 0; i < 100; ++i) {
            ASSERT_EQ(r->next(f, message), ReadStatus::Frame);
            ASSERT_EQ(Bytes(f.data.begin(), f.data.end()), recs[i].data);
        }
        fs::resize_file(p, cut_to);
        std::size_t frames = 100;
        ReadStatus status;
        while ((status = r->next(f, message)) == ReadStatus::Frame) {
            ASSERT_LT(frames, recs.size());
            ASSERT_EQ(Bytes(f.data.begin(), f.data.end()), recs[frames].data) << "frame " << frames + 1;
            ++frames;
        }
        // What the first block held is still read; the file's new end cuts the capture short.
        EXPECT_EQ(status, ReadStatus::Truncated);
        EXPECT_LT(frames, recs.size());
        EXPECT_NE(message.find("truncated dump file"), std::string::npos) << message;
        EXPECT_EQ(r->next(f, message), ReadStatus::End);
    }
}

TEST_F(PcapFileReaderTest, SwappedFilesWhosePseudoHeadersLibpcapRewritesStayWithLibpcap) {
    // Linux SLL with a CAN frame: libpcap byte-swaps the CAN id of a swapped file, which a
    // our reader does not do; the reader must give libpcap's bytes, not the file's.
    Bytes can = sll(filled(16, 0x01), 0x000c);
    can[16] = std::byte{0x12};
    can[17] = std::byte{0x34};
    const File f{
        .big_endian = true, .linktype = 113, .records = {Rec{.data = can}, Rec{.data = sll(ip_tcp({}), 0x0800)}}};
    const std::string p = write(f.bytes());
    const Reading ref = libpcap_reading(p);
    ASSERT_EQ(ref.frames.size(), 2U);
    ASSERT_NE(ref.frames[0].data, can) << "libpcap no longer rewrites it: the test proves nothing";
    EXPECT_TRUE(ClassicPcapReader::needs_pseudo_header_swap(113));
    expect_reader_matches(p);
    // Same file in the host's byte order: nothing to rewrite, read directly.
    expect_both_match(File{.linktype = 113, .records = f.records});
}

TEST_F(PcapFileReaderTest, DumpOfADirectlyReadFileIsWhatLibpcapWrites) {
    // -w goes through the libpcap handle that read the header, so the output keeps the
    // header's FCS bits exactly; compare with libpcap copying the file itself.
    for (std::uint32_t magic : {kUsec, kNsec}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(::testing::Message() << std::hex << magic << (be ? " big-endian" : ""));
            std::vector<Rec> recs = five_records();
            recs.push_back(Rec{.len = 1514, .data = tcp_frame(81, 10)});
            const std::string in =
                write(File{.magic = magic, .big_endian = be, .snaplen = 65535, .linktype = 0x14000001, .records = recs}
                          .bytes());
            const std::string ours = path("ours.pcap");
            const std::string theirs = path("theirs.pcap");
            {
                auto r = PcapReader::open_file(in);
                ASSERT_TRUE(r.ok()) << r.error().message;
                ASSERT_TRUE(r->open_dump(ours).ok());
                RawFrame f;
                std::string msg;
                while (r->next(f, msg) == ReadStatus::Frame) r->dump(f);
                r->close_dump();
            }
            {
                std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
                pcap_t* p =
                    pcap_open_offline_with_tstamp_precision(in.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
                ASSERT_NE(p, nullptr);
                pcap_dumper_t* d = pcap_dump_open(p, theirs.c_str());
                ASSERT_NE(d, nullptr);
                pcap_pkthdr* h = nullptr;
                const u_char* data = nullptr;
                while (pcap_next_ex(p, &h, &data) == 1)
                    pcap_dump(reinterpret_cast<u_char*>(d), h,
                              data);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
                pcap_dump_close(d);
                pcap_close(p);
            }
            std::ifstream a(ours, std::ios::binary), b(theirs, std::ios::binary);
            const std::string sa((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
            const std::string sb((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
            EXPECT_GT(sa.size(), 24U);
            EXPECT_EQ(sa, sb);
        }
    }
}

TEST_F(PcapFileReaderTest, ReaderIsMovableAndKeepsItsPlace) {
    const std::string p = write(File{.records = five_records()}.bytes());
    auto r = ClassicPcapReader::open(p, quoted(p));
    ASSERT_TRUE(r.ok());
    RawFrame f;
    std::string msg;
    ASSERT_EQ(r->next(f, msg), ReadStatus::Frame);
    ClassicPcapReader moved = std::move(r.value());
    ClassicPcapReader again = std::move(moved);
    ASSERT_EQ(again.next(f, msg), ReadStatus::Frame);
    EXPECT_EQ(f.index, 2U);
    EXPECT_EQ(Bytes(f.data.begin(), f.data.end()), five_records()[1].data);
}

TEST_F(PcapFileReaderTest, NotARegularFileOrMissingIsRefused) {
    auto d = ClassicPcapReader::open(dir_.string(), quoted(dir_.string()));
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().kind, ErrorKind::CannotOpen);
    auto m = ClassicPcapReader::open(path("missing.pcap"), "'missing.pcap'");
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().kind, ErrorKind::CannotOpen);
    auto e = ClassicPcapReader::open(write({}), "'empty.pcap'");
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().kind, ErrorKind::NotACapture);
}

}  // namespace
