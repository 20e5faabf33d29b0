// Seed corpus generator for the fuzz targets (scripts/fuzz.sh --seed runs it).
//
//   tfx_fuzz_seedgen OUTDIR [--builtin] [CAPTURE...]
//
// --builtin writes hand-built seeds: well-formed and hostile frames (bad IP and TCP
// lengths, option lengths 0/1/overrunning, partial SACK blocks, IPv6 extension chains,
// the flag combinations of docs/robustness.md) on several link types, sessions built
// from them, capture files (good, cut mid-record, lying record lengths) and expectation,
// selector and rules texts.
// Each CAPTURE is read through libpcap: its frames become fuzz_decode seeds, its first
// frames a fuzz_session seed, and its first bytes a fuzz_capture_file seed. Files are kept
// small. Output files are named after their source, so reruns overwrite.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "ingest/pcap_reader.hpp"
#include "support/frame_builder.hpp"
#include "support/pcap_writer.hpp"

namespace fs = std::filesystem;
using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

constexpr std::size_t kMaxFrameBytes = 512;  // per frame in decode/session seeds
constexpr std::size_t kMaxSessionFrames = 48;
constexpr std::size_t kMaxDecodeSeedsPerFile = 24;
constexpr std::size_t kMaxCaptureSeedBytes = 16384;

fs::path g_out;
std::size_t g_written = 0;

void save(const std::string& target, const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const fs::path dir = g_out / target;
    fs::create_directories(dir);
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ++g_written;
}

std::vector<std::uint8_t> u8(std::span<const std::byte> b) {
    std::vector<std::uint8_t> v(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) v[i] = std::to_integer<std::uint8_t>(b[i]);
    return v;
}

struct Frame {
    int link_type = linktype::kEthernet;
    std::vector<std::uint8_t> bytes;
    std::int8_t step = 1;  // x 100 ms
    std::uint8_t tweak = 0;
};

std::uint8_t selector(int link_type) {
    const std::uint8_t s = fuzz::selector_for(link_type);
    return s == 0xff ? fuzz::selector_for(147) : s;
}

std::vector<std::uint8_t> decode_seed(const Frame& f) {
    std::vector<std::uint8_t> v{selector(f.link_type)};
    v.insert(v.end(), f.bytes.begin(), f.bytes.end());
    return v;
}

std::vector<std::uint8_t> session_seed(const std::vector<Frame>& frames, std::uint8_t config) {
    std::vector<std::uint8_t> v{selector(frames.empty() ? linktype::kEthernet : frames.front().link_type), config};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (i > 0) v.insert(v.end(), fuzz::kChunkSeparator.begin(), fuzz::kChunkSeparator.end());
        v.push_back(static_cast<std::uint8_t>(frames[i].step));
        v.push_back(frames[i].tweak);
        v.insert(v.end(), frames[i].bytes.begin(), frames[i].bytes.end());
    }
    return v;
}

// ---- captures ---------------------------------------------------------------------------

bool from_capture(const fs::path& path) {
    auto opened = ingest::PcapReader::open_file(path.string());
    if (!opened) {
        std::fprintf(stderr, "seedgen: skipping %s: %s\n", path.c_str(), opened.error().message.c_str());
        return false;
    }
    auto& reader = opened.value();
    const std::string stem = path.parent_path().filename().string() + "-" + path.filename().string();
    std::vector<Frame> frames;
    std::set<std::vector<std::uint8_t>> seen;
    std::size_t decode_seeds = 0;
    RawFrame raw;
    std::string message;
    Timestamp last{};
    while (reader.next(raw, message) == ingest::ReadStatus::Frame) {
        Frame f;
        f.link_type = raw.link_type;
        const auto n = std::min<std::size_t>(raw.data.size(), kMaxFrameBytes);
        f.bytes = u8(raw.data.first(n));
        if (!frames.empty()) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(raw.ts - last).count();
            f.step = static_cast<std::int8_t>(std::clamp<long long>(ms / 100, 0, 127));
        }
        last = raw.ts;
        if (frames.size() < kMaxSessionFrames) frames.push_back(f);
        // Frames differing only in a few bytes are still distinct seeds; cap per file.
        if (decode_seeds < kMaxDecodeSeedsPerFile && seen.insert(f.bytes).second)
            save("decode", stem + "-" + std::to_string(++decode_seeds), decode_seed(f));
        if (frames.size() >= kMaxSessionFrames && decode_seeds >= kMaxDecodeSeedsPerFile) break;
    }
    if (!frames.empty()) save("session", stem, session_seed(frames, 0x00));
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> head(kMaxCaptureSeedBytes);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    save("capture_file", stem, head);
    return true;
}

// ---- built-in frames ----------------------------------------------------------------------

struct Named {
    std::string name;
    Bytes l3;  // an IP packet
};

Bytes with_link(int link, const Bytes& l3) {
    const bool v6 = !l3.empty() && (std::to_integer<unsigned>(l3[0]) >> 4) == 6;
    switch (link) {
        case linktype::kLinuxSll: return sll(l3, v6 ? kEtherIpv6 : kEtherIpv4);
        case linktype::kLinuxSll2: return sll2(l3, v6 ? kEtherIpv6 : kEtherIpv4);
        case linktype::kRaw: return l3;
        case linktype::kNull: return null_loopback(l3, v6 ? 30U : 2U);
        case linktype::kNflog: return nflog(l3, v6 ? 10 : 2);
        case linktype::kRadiotap: return radiotap_80211(l3, v6 ? kEtherIpv6 : kEtherIpv4);
        default: return ethernet(l3, v6 ? kEtherIpv6 : kEtherIpv4);
    }
}

std::vector<Named> hostile_packets() {
    std::vector<Named> v;
    const TcpSpec base{.seq = 1000, .ack = 2000, .flags = kAck | kPsh, .payload = text("hello")};
    auto tcp_with = [&](auto&& tweak) {
        TcpSpec s = base;
        tweak(s);
        return s;
    };
    v.push_back({"good-v4", ip_tcp(base)});
    v.push_back({"good-v6", ip_tcp(tcp_with([](TcpSpec& s) {
                     s.src = "2001:db8::1";
                     s.dst = "2001:db8::2";
                 }))});
    const Bytes seg = tcp(base);
    v.push_back({"ihl-4", ipv4(Ipv4Spec{.ihl = 4}, kProtoTcp, seg)});
    v.push_back({"ihl-15", ipv4(Ipv4Spec{.ihl = 15}, kProtoTcp, seg)});
    v.push_back({"totlen-10", ipv4(Ipv4Spec{.total_length = 10}, kProtoTcp, seg)});
    v.push_back({"totlen-big", ipv4(Ipv4Spec{.total_length = 60000}, kProtoTcp, seg)});
    v.push_back({"totlen-0", ipv4(Ipv4Spec{.total_length = 0}, kProtoTcp, seg)});
    v.push_back({"doff-3", ip_tcp(tcp_with([](TcpSpec& s) { s.data_offset = 3; }))});
    v.push_back({"doff-15", ip_tcp(tcp_with([](TcpSpec& s) {
                     s.data_offset = 15;
                     s.payload = {};
                 }))});
    v.push_back({"opt-len-0", ip_tcp(tcp_with([](TcpSpec& s) { s.options_bytes = bytes({2, 0, 5, 0xb4}); }))});
    v.push_back({"opt-len-1", ip_tcp(tcp_with([](TcpSpec& s) { s.options_bytes = bytes({3, 1, 7, 1}); }))});
    v.push_back({"opt-past", ip_tcp(tcp_with([](TcpSpec& s) { s.options_bytes = bytes({1, 1, 8, 40}); }))});
    v.push_back({"opt-kind-end", ip_tcp(tcp_with([](TcpSpec& s) { s.options_bytes = bytes({1, 1, 1, 8}); }))});
    v.push_back(
        {"sack-partial", ip_tcp(tcp_with([](TcpSpec& s) {
             s.options_bytes = cat({opt::nop(), opt::nop(), bytes({5, 14, 0, 0, 3, 0xe8, 0, 0, 7, 0xd0, 1, 2, 3, 4})});
         }))});
    v.push_back({"sack-4", ip_tcp(tcp_with([](TcpSpec& s) {
                     s.options_bytes = cat({opt::nop(), opt::nop(), opt::sack({{1, 2}, {3, 4}, {5, 6}, {7, 8}})});
                 }))});
    v.push_back({"all-opts", ip_tcp(tcp_with([](TcpSpec& s) {
                     s.flags = kSyn;
                     s.options_bytes = cat({opt::mss(1460), opt::sack_permitted(), opt::timestamps(1, 0), opt::nop(),
                                            opt::wscale(15), opt::fast_open(), opt::md5()});
                 }))});
    v.push_back({"xmas", ip_tcp(tcp_with([](TcpSpec& s) { s.flags = 0x1ff; }))});
    v.push_back({"null", ip_tcp(tcp_with([](TcpSpec& s) { s.flags = 0; }))});
    v.push_back({"syn-data", ip_tcp(tcp_with([](TcpSpec& s) { s.flags = kSyn; }))});
    v.push_back({"rst-data", ip_tcp(tcp_with([](TcpSpec& s) { s.flags = kRst | kAck; }))});
    v.push_back({"frag-first", ipv4(Ipv4Spec{.dont_fragment = false, .more_fragments = true}, kProtoTcp, seg)});
    v.push_back({"frag-later", ipv4(Ipv4Spec{.dont_fragment = false, .frag_offset = 64}, kProtoTcp, seg)});
    std::vector<Ipv6Ext> chain;
    for (int i = 0; i < 40; ++i) chain.push_back(ext::dest_opts());
    v.push_back({"v6-chain-40", ipv6(Ipv6Spec{.ext = chain}, kProtoTcp, seg)});
    v.push_back(
        {"v6-ext-past", ipv6(Ipv6Spec{.ext = {ext::raw(60, bytes({6, 200, 0, 0, 0, 0, 0, 0}))}}, kProtoTcp, seg)});
    v.push_back(
        {"v6-exts", ipv6(Ipv6Spec{.ext = {ext::hop_by_hop(), ext::routing(1), ext::ah(), ext::fragment(0, true)}},
                         kProtoTcp, seg)});
    v.push_back({"v6-jumbo", ipv6(Ipv6Spec{.ext = {ext::jumbo(70000)}, .payload_length = 0}, kProtoTcp, seg)});
    v.push_back({"ipip", ipv4(Ipv4Spec{}, kProtoIpip, ip_tcp(base))});
    v.push_back({"gre", ipv4(Ipv4Spec{}, kProtoGre, gre(ip_tcp(base), kEtherIpv4, true, 7, 9))});
    v.push_back({"vxlan", ipv4(Ipv4Spec{}, kProtoUdp, udp(1234, 4789, vxlan(ethernet(ip_tcp(base), kEtherIpv4))))});
    v.push_back(
        {"geneve", ipv4(Ipv4Spec{}, kProtoUdp, udp(1234, 6081, geneve(ethernet(ip_tcp(base), kEtherIpv4), 1, 2)))});
    return v;
}

// A complete connection with data, SACK and a wrap, for session seeds.
std::vector<Frame> conversation(int link, std::uint32_t isn) {
    const std::string c = "10.0.0.1", s = "10.0.0.2";
    auto frame = [&](std::string src, std::string dst, std::uint16_t sp, std::uint16_t dp, std::uint32_t seq,
                     std::uint32_t ack, std::uint16_t flags, std::size_t len, Bytes opts = {}) {
        TcpSpec t{.src = std::move(src),
                  .dst = std::move(dst),
                  .sport = sp,
                  .dport = dp,
                  .seq = seq,
                  .ack = ack,
                  .flags = flags,
                  .options_bytes = std::move(opts),
                  .payload = filled(len)};
        return Frame{link, u8(with_link(link, ip_tcp(t))), 1, 0};
    };
    const std::uint32_t sisn = 0xfffffff0U;
    std::vector<Frame> v;
    v.push_back(frame(c, s, 40000, 80, isn, 0, kSyn, 0, cat({opt::mss(1460), opt::sack_permitted(), opt::wscale(7)})));
    v.push_back(frame(s, c, 80, 40000, sisn, isn + 1, kSyn | kAck, 0,
                      cat({opt::mss(1460), opt::sack_permitted(), opt::wscale(7)})));
    v.push_back(frame(c, s, 40000, 80, isn + 1, sisn + 1, kAck, 0));
    v.push_back(frame(c, s, 40000, 80, isn + 1, sisn + 1, kAck | kPsh, 100));
    v.push_back(frame(c, s, 40000, 80, isn + 201, sisn + 1, kAck | kPsh, 100));  // 101..201 lost
    v.push_back(frame(s, c, 80, 40000, sisn + 1, isn + 101, kAck, 0,
                      cat({opt::nop(), opt::nop(), opt::sack({{isn + 201, isn + 301}})})));
    v.push_back(frame(s, c, 80, 40000, sisn + 1, isn + 101, kAck, 0));
    v.push_back(frame(c, s, 40000, 80, isn + 101, sisn + 1, kAck | kPsh, 100));  // retransmission
    v.push_back(frame(s, c, 80, 40000, sisn + 1, isn + 301, kAck | kPsh, 50));   // server seq wraps
    v.push_back(frame(c, s, 40000, 80, isn + 301, sisn + 51, kFin | kAck, 0));
    v.push_back(frame(s, c, 80, 40000, sisn + 51, isn + 302, kFin | kAck, 0));
    v.push_back(frame(c, s, 40000, 80, isn + 302, sisn + 52, kAck, 0));
    v.push_back(frame(c, s, 40000, 80, isn + 302, sisn + 52, kRst, 0));
    v.push_back(frame(c, s, 40000, 80, isn + 302, sisn + 52, kAck | kPsh, 10));  // after RST
    return v;
}

// One TCP segment cut into IP fragments (IPv4 or IPv6), in the given order: seeds for the
// reassembly target (and for the session once it reassembles).
std::vector<Frame> fragments(int link, bool v6, const std::vector<int>& order, std::uint16_t id, bool overlap) {
    TcpSpec spec{.seq = 1000, .ack = 2000, .flags = kAck | kPsh, .payload = filled(64)};
    if (v6) {
        spec.src = "2001:db8::1";
        spec.dst = "2001:db8::2";
    }
    const Bytes seg = tcp(spec);  // 84 bytes: pieces [0,32) [32,64) [64,84)
    const std::size_t cuts[4] = {0, 32, 64, seg.size()};
    std::vector<Frame> out;
    for (const int i : order) {
        const auto idx = static_cast<std::size_t>(i);
        std::size_t from = cuts[idx];
        if (overlap && idx > 0) from -= 8;  // overlapping the previous piece by one block
        const Bytes piece(seg.begin() + static_cast<std::ptrdiff_t>(from),
                          seg.begin() + static_cast<std::ptrdiff_t>(cuts[idx + 1]));
        const bool more = idx < 2;
        const auto off = static_cast<std::uint16_t>(from);
        const Bytes l3 =
            v6 ? ipv6(Ipv6Spec{.src = spec.src, .dst = spec.dst, .ext = {ext::fragment(off, more, id)}}, kProtoTcp,
                      piece)
               : ipv4(Ipv4Spec{.id = id, .dont_fragment = false, .more_fragments = more, .frag_offset = off}, kProtoTcp,
                      piece);
        out.push_back(Frame{link, u8(with_link(link, l3)), 1, 0});
    }
    return out;
}

// fuzz_stream records (StreamFuzzInput): op, 16-bit offset, length byte, cut byte, flip byte.
struct StreamRecord {
    std::uint8_t op = 0;
    std::uint16_t offset = 0;
    std::uint8_t length = 0;
    std::uint8_t cut = 0;
    std::uint8_t flip = 0;
};
constexpr std::uint8_t kSegment = 0;
constexpr std::uint8_t kFinRecord = 6;
constexpr std::uint8_t kRstRecord = 7;
constexpr std::uint8_t kWithCut = 0x40;
constexpr std::uint8_t kFlipped = 0x80;

std::vector<std::uint8_t> stream_seed(std::uint8_t limits, std::uint8_t budget,
                                      const std::vector<StreamRecord>& records) {
    std::vector<std::uint8_t> v{limits, budget};
    for (const auto& r : records) {
        v.insert(v.end(), {r.op, static_cast<std::uint8_t>(r.offset & 0xff), static_cast<std::uint8_t>(r.offset >> 8),
                           r.length, r.cut, r.flip});
    }
    return v;
}

// One direction's segments: in order, reversed, overlapping, a differing copy, snaplen cuts,
// a full buffer, offsets past 2^32 and at the top of the 64-bit range, data after FIN and RST.
void stream_seeds() {
    const std::uint8_t roomy = 0x17;   // 32 KiB buffer, 64-byte history, offsets from 0
    const std::uint8_t budget = 0x0a;  // 512 KiB
    save("stream", "builtin-inorder",
         stream_seed(roomy, budget,
                     {{kSegment, 0, 100}, {kSegment, 100, 100}, {kSegment, 200, 100}, {kFinRecord, 300}}));
    save("stream", "builtin-reversed",
         stream_seed(roomy, budget,
                     {{kSegment, 200, 100}, {kSegment, 100, 100}, {kSegment, 0, 100}, {kFinRecord, 300}}));
    save(
        "stream", "builtin-overlap-dup",
        stream_seed(roomy, budget, {{kSegment, 0, 100}, {kSegment, 50, 100}, {kSegment, 0, 100}, {kSegment, 150, 50}}));
    save("stream", "builtin-inconsistent",
         stream_seed(roomy, budget,
                     {{kSegment, 100, 100},
                      {kSegment | kFlipped, 50, 100, 0, 0x5a},
                      {kSegment, 0, 60},
                      {kSegment | kFlipped, 180, 40, 0, 0x01}}));
    save("stream", "builtin-snaplen-cut",
         stream_seed(roomy, budget,
                     {{kSegment | kWithCut, 0, 96, 57}, {kSegment | kWithCut, 2000, 96, 57}, {kSegment, 1100, 200}}));
    save(
        "stream", "builtin-full-buffer",
        stream_seed(
            0x00, 0x00,
            {{kSegment, 0, 50}, {kSegment, 100, 100}, {kSegment, 300, 100}, {kSegment, 500, 200}, {kSegment, 50, 50}}));
    save("stream", "builtin-past-4gib",
         stream_seed(0x40 | roomy, budget, {{kSegment, 29900, 200}, {kSegment, 30100, 200}, {kFinRecord, 40000}}));
    save("stream", "builtin-top-of-range",
         stream_seed(0xc0 | roomy, budget, {{kSegment, 65400, 100}, {kSegment, 65500, 200}, {kSegment, 0, 10}}));
    save("stream", "builtin-after-fin-rst",
         stream_seed(roomy, budget,
                     {{kSegment, 0, 100},
                      {kSegment, 300, 100},
                      {kFinRecord, 350},
                      {kSegment, 340, 40},
                      {kRstRecord},
                      {kSegment, 100, 200},
                      {kFinRecord, 10}}));
}

void builtin() {
    const std::vector<int> links = {linktype::kEthernet, linktype::kLinuxSll, linktype::kLinuxSll2, linktype::kRaw,
                                    linktype::kNull,     linktype::kNflog,    linktype::kRadiotap};
    const auto packets = hostile_packets();
    for (const int link : links) {
        for (const auto& p : packets) {
            const Frame f{link, u8(with_link(link, p.l3)), 1, 0};
            save("decode", "builtin-" + link_type_name(link).substr(0, 6) + "-" + std::to_string(link) + "-" + p.name,
                 decode_seed(f));
        }
        // Sessions: a good conversation, then one with every hostile packet spliced in.
        auto conv = conversation(link, 0xfffffff0U);
        save("session", "builtin-conversation-" + std::to_string(link), session_seed(conv, 0x00));
        save("session", "builtin-conversation-json-" + std::to_string(link), session_seed(conv, 0x11));
        auto mixed = conversation(link, 1);
        std::size_t at = 1;
        for (const auto& p : packets) {
            mixed.insert(mixed.begin() + static_cast<std::ptrdiff_t>(at % mixed.size()),
                         Frame{link, u8(with_link(link, p.l3)), static_cast<std::int8_t>(at % 3 == 0 ? -2 : 1),
                               static_cast<std::uint8_t>(at % 4 == 0 ? 130 : 0)});
            at += 2;
        }
        save("session", "builtin-hostile-" + std::to_string(link), session_seed(mixed, 0x82));
    }
    // Fragment sequences: in order, reversed, duplicated, overlapping, interleaved ids.
    for (const bool v6 : {false, true}) {
        const std::string fam = v6 ? "v6" : "v4";
        for (const int link : {linktype::kEthernet, linktype::kRaw}) {
            const std::string l = std::to_string(link);
            save("reassembly", "builtin-" + fam + "-" + l + "-inorder",
                 session_seed(fragments(link, v6, {0, 1, 2}, 7, false), 0x20));
            save("reassembly", "builtin-" + fam + "-" + l + "-reversed",
                 session_seed(fragments(link, v6, {2, 1, 0}, 7, false), 0x20));
            save("reassembly", "builtin-" + fam + "-" + l + "-dup",
                 session_seed(fragments(link, v6, {0, 0, 1, 2, 2}, 7, false), 0x20));
            save("reassembly", "builtin-" + fam + "-" + l + "-overlap",
                 session_seed(fragments(link, v6, {0, 1, 2}, 7, true), 0x20));
            auto mixed = fragments(link, v6, {0, 2}, 8, false);
            for (auto& f : fragments(link, v6, {1, 0, 2, 1}, 9, false)) mixed.push_back(f);
            for (auto& f : fragments(link, v6, {1}, 8, false)) mixed.push_back(f);
            save("reassembly", "builtin-" + fam + "-" + l + "-interleaved", session_seed(mixed, 0x01));
            // In the session too: the handshake, then the fragmented segment.
            auto conv = conversation(link, 999);
            conv.resize(3);
            for (auto& f : fragments(link, v6, {1, 0, 2}, 11, false)) conv.push_back(f);
            save("session", "builtin-fragments-" + fam + "-" + l, session_seed(conv, 0x00));
        }
    }

    // Other link types decode reads: the same good packet behind each.
    const Bytes good = ip_tcp(TcpSpec{.flags = kSyn});
    const std::vector<std::pair<int, Bytes>> others = {
        {linktype::kPpp, ppp(good, 0x0021)},
        {linktype::kCiscoHdlc, chdlc(good, kEtherIpv4)},
        {linktype::kLoop, loop(good, 2)},
        {linktype::kIpv4, good},
        {linktype::kRaw14, good},
        {linktype::kRaw101, good},
        {linktype::kIpv6, ip_tcp(TcpSpec{.src = "2001:db8::1", .dst = "2001:db8::2", .flags = kSyn})},
        {linktype::kEthernet,
         eth_tcp(TcpSpec{.flags = kSyn}, {VlanTag{.id = 10}, VlanTag{.tpid = kEtherQinQ, .id = 20}})},
    };
    for (const auto& [link, bytes_] : others)
        save("decode", "builtin-link-" + std::to_string(link) + "-" + std::to_string(bytes_.size()),
             decode_seed(Frame{link, u8(bytes_), 1, 0}));

    // Encapsulations: FDDI, VN-Tag, FabricPath, PBB, and the UDP and GRE tunnels, each with a
    // TCP segment inside and, for the fuzzer to start from, with a lying length field.
    const TcpSpec in4{.src = "192.0.2.1", .dst = "198.51.100.7", .flags = kAck | kPsh, .payload = text("hi")};
    const TcpSpec in6{.src = "2001:0:4137:9e50:8000:f12a:b9c8:2815",
                      .dst = "2001:4860::68",
                      .flags = kAck | kPsh,
                      .payload = text("hi")};
    const auto over_udp = [](std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
        return ethernet(ipv4({}, kProtoUdp, udp(sport, dport, payload)), kEtherIpv4);
    };
    const Bytes radio = radiotap_80211(ip_tcp(in4), kEtherIpv4);
    const Bytes wlan(radio.begin() + 12, radio.end());
    Bytes gtp_lie = gtp_u(ip_tcp(in4), 7, true, {1, 2});
    gtp_lie[2] = std::byte{0xff};
    Bytes ayiya_lie = ayiya(ip_tcp(in6), kProtoIpv6);
    ayiya_lie[0] = std::byte{0xc1};
    const std::vector<std::pair<std::string, std::pair<int, Bytes>>> tunnels = {
        {"fddi", {10, fddi(ip_tcp(in4), kEtherIpv4)}},
        {"vntag", {linktype::kEthernet, ethernet_vntag(ip_tcp(in4), kEtherIpv4)}},
        {"fabricpath", {linktype::kEthernet, fabricpath(eth_tcp(in6, {VlanTag{.id = 5}}))}},
        {"pbb", {linktype::kEthernet, pbb(eth_tcp(in4, {VlanTag{.id = 7}}))}},
        {"teredo-port", {linktype::kEthernet, over_udp(3544, 40000, teredo(ip_tcp(in6), true, true))}},
        {"teredo-content", {linktype::kEthernet, over_udp(32900, 3797, teredo(ip_tcp(in6)))}},
        {"ayiya", {linktype::kEthernet, over_udp(40000, 5072, ayiya(ip_tcp(in6), kProtoIpv6))}},
        {"ayiya-lie", {linktype::kEthernet, over_udp(40000, 5072, ayiya_lie)}},
        {"gtp-u", {linktype::kEthernet, over_udp(2152, 2152, gtp_u(ip_tcp(in4), 7, false, {1, 2}))}},
        {"gtp-u-lie", {linktype::kEthernet, over_udp(2152, 2152, gtp_lie)}},
        {"gre-in-udp", {linktype::kEthernet, over_udp(61000, 4754, gre(ip_tcp(in4), kEtherIpv4, false, 9U))}},
        {"aruba-gre", {linktype::kEthernet, ethernet(ipv4({}, kProtoGre, gre(wlan, 0x8220)), kEtherIpv4)}},
        {"mpls-gre",
         {linktype::kEthernet,
          ethernet(ipv4({}, kProtoGre, gre(cat({bytes({0, 1, 1, 0x40}), ip_tcp(in4)}), 0x8847)), kEtherIpv4)}},
    };
    for (const auto& [name, frame] : tunnels)
        save("decode", "builtin-tunnel-" + name, decode_seed(Frame{frame.first, u8(frame.second), 1, 0}));

    // Capture files: good (both byte orders, ns), cut mid-record, lying record length.
    PcapWriter w{{.link_type = 1}};
    auto conv = conversation(linktype::kEthernet, 5);
    Timestamp t{std::chrono::seconds(1'700'000'000)};
    for (const auto& f : conv) {
        t += std::chrono::milliseconds(3);
        Bytes b(f.bytes.size());
        std::memcpy(b.data(), f.bytes.data(), b.size());
        w.add(t, b);
    }
    save("capture_file", "builtin-good.pcap", u8(w.bytes()));
    auto cut = u8(w.bytes());
    cut.resize(cut.size() - 7);
    save("capture_file", "builtin-cut-mid-record.pcap", cut);
    PcapWriter be{{.link_type = 113, .nanosecond = true, .big_endian = true}};
    be.add(t, sll_tcp(TcpSpec{.flags = kSyn}));
    be.add(PcapRecord{t, sll_tcp(TcpSpec{.flags = kAck}), 0, 0x7fffffffU});  // claims 2 GB
    save("capture_file", "builtin-huge-record.pcap", u8(be.bytes()));
    PcapWriter lie{{.link_type = 1, .snaplen = 64}};
    lie.add(PcapRecord{t, eth_tcp(TcpSpec{.flags = kSyn}), 20, std::nullopt});  // caplen > wirelen
    lie.add(PcapRecord{t - std::chrono::seconds(5), eth_tcp(TcpSpec{.flags = kAck}), 0, std::nullopt});
    save("capture_file", "builtin-lying-lengths.pcap", u8(lie.bytes()));

    // check texts.
    const std::vector<std::string> expectations = {
        "handshake == complete",
        "close == graceful|simultaneous and retransmissions == 0",
        "handshake_rtt < 5ms and server_bytes >= 1KB",
        "history ~ \"^ShAD\"",
        "handshake ~ \"SYN SYN-ACK ACK\"",
        "teardown ~ \"FIN-ACK ACK FIN-ACK ACK\"",
        "teardown ~ \"* RST\"",
        "mss_client == none and wscale_server != 7",
        "conn_state == SF and sack == true and duplicate_ack <= 3",
        "duration < 1.5s and client_bytes == 1MiB",
    };
    for (std::size_t i = 0; i < expectations.size(); ++i) {
        std::vector<std::uint8_t> v{0};
        v.insert(v.end(), expectations[i].begin(), expectations[i].end());
        save("expectations", "builtin-expect-" + std::to_string(i), v);
    }
    const std::vector<std::string> selectors = {"port 80", "server port 8080 and not host 10.0.0.1",
                                                "net 10.0.0.0/8 or (client 2001:db8::1 and id 3)", "id 2"};
    for (std::size_t i = 0; i < selectors.size(); ++i) {
        std::vector<std::uint8_t> v{1};
        v.insert(v.end(), selectors[i].begin(), selectors[i].end());
        save("expectations", "builtin-select-" + std::to_string(i), v);
    }
    for (const std::string q : {"all", "any", "exactly 3", "2"}) {
        std::vector<std::uint8_t> v{3};
        v.insert(v.end(), q.begin(), q.end());
        save("expectations", "builtin-quant-" + q.substr(0, 7), v);
    }
    stream_seeds();
}

void rules_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::uint8_t> v{2};
    v.insert(v.end(), text.begin(), text.end());
    save("expectations", "rules-" + path.filename().string(), v);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUTDIR [--builtin] [CAPTURE|RULES.json...]\n", argv[0]);
        return 2;
    }
    g_out = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--builtin") {
            builtin();
        } else if (fs::path(arg).extension() == ".json") {
            rules_file(arg);
        } else {
            (void)from_capture(arg);
        }
    }
    std::printf("seedgen: %zu seed files written under %s\n", g_written, g_out.c_str());
    return 0;
}
