// Synthetic flood captures for scripts/flood-bench.sh (memory bounds under huge input).
// Standalone on purpose: no project headers, so the script can compile it with any C++20
// compiler. Writes a classic pcap (Ethernet, microseconds) to a file or stdout ("-").
//
//   tfx_flood_gen OUT.pcap PACKETS [FLOOD_EVERY] [PPS]
//
// The capture is a sequence of rounds. Every round holds one complete, well-behaved
// connection (SYN, SYN-ACK, ACK, data, ACK, data, ACK, FIN-ACK, FIN-ACK, ACK: 10 packets
// on a distinct 4-tuple) and, every FLOOD_EVERY-th packet slot, one spoofed SYN from a
// never-repeating source that nobody answers: a SYN flood of PACKETS / FLOOD_EVERY
// half-open connections. Default FLOOD_EVERY 10 (10M packets: 1M flood SYNs and ~900k
// complete connections); PPS (default 10000) spaces the packets in capture time, so the
// handshake timeout expires the half-open ones as the capture goes on.
// No checksums (the analysis does not verify them).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Writer {
    std::FILE* out = nullptr;
    std::uint64_t ts_us = 1'700'000'000ULL * 1'000'000ULL;
    std::uint64_t step_us = 100;
    std::uint64_t written = 0;
    unsigned char buf[256]{};

    void put32le(unsigned char* p, std::uint32_t v) {
        p[0] = static_cast<unsigned char>(v);
        p[1] = static_cast<unsigned char>(v >> 8);
        p[2] = static_cast<unsigned char>(v >> 16);
        p[3] = static_cast<unsigned char>(v >> 24);
    }
    static void put16(unsigned char* p, std::uint32_t v) {
        p[0] = static_cast<unsigned char>(v >> 8);
        p[1] = static_cast<unsigned char>(v);
    }
    static void put32(unsigned char* p, std::uint32_t v) {
        put16(p, v >> 16);
        put16(p + 2, v & 0xffffU);
    }

    void header() {
        unsigned char h[24];
        put32le(h, 0xa1b2c3d4U);
        h[4] = 2;
        h[5] = 0;
        h[6] = 4;
        h[7] = 0;
        put32le(h + 8, 0);
        put32le(h + 12, 0);
        put32le(h + 16, 65535);
        put32le(h + 20, 1);
        std::fwrite(h, 1, sizeof h, out);
    }

    // One Ethernet/IPv4/TCP frame.
    void segment(std::uint32_t src, std::uint32_t dst, std::uint16_t sport, std::uint16_t dport, std::uint32_t seq,
                 std::uint32_t ack, std::uint8_t flags, std::uint16_t payload) {
        const std::size_t frame = 14 + 20 + 20 + payload;
        unsigned char* r = buf;
        put32le(r, static_cast<std::uint32_t>(ts_us / 1'000'000ULL));
        put32le(r + 4, static_cast<std::uint32_t>(ts_us % 1'000'000ULL));
        put32le(r + 8, static_cast<std::uint32_t>(frame));
        put32le(r + 12, static_cast<std::uint32_t>(frame));
        unsigned char* e = r + 16;
        std::memset(e, 0, 54);
        e[0] = 0x02;
        e[5] = 0x01;
        e[6] = 0x02;
        e[11] = 0x02;
        put16(e + 12, 0x0800);
        unsigned char* ip = e + 14;
        ip[0] = 0x45;
        put16(ip + 2, static_cast<std::uint32_t>(20 + 20 + payload));
        put16(ip + 4, static_cast<std::uint32_t>(written & 0xffffU));
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = 6;
        put32(ip + 12, src);
        put32(ip + 16, dst);
        unsigned char* t = ip + 20;
        put16(t, sport);
        put16(t + 2, dport);
        put32(t + 4, seq);
        put32(t + 8, ack);
        t[12] = 0x50;
        t[13] = flags;
        put16(t + 14, 64240);
        std::memset(t + 20, 'x', payload);
        std::fwrite(buf, 1, 16 + frame, out);
        ts_us += step_us;
        ++written;
    }
};

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.pcap|- PACKETS [FLOOD_EVERY=10] [PPS=10000]\n", argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    const std::uint64_t packets = std::strtoull(argv[2], nullptr, 10);
    const std::uint64_t flood_every = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10;
    const std::uint64_t pps = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 10000;
    Writer w;
    w.out = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
    if (w.out == nullptr) {
        std::perror(path.c_str());
        return 1;
    }
    static char iobuf[1 << 20];
    std::setvbuf(w.out, iobuf, _IOFBF, sizeof iobuf);
    w.step_us = pps > 0 && pps <= 1'000'000 ? 1'000'000 / pps : 100;
    w.header();

    const std::uint32_t server = 0xc0000201U;  // 192.0.2.1
    std::uint64_t flood = 0, conns = 0;
    auto maybe_flood = [&] {
        if (flood_every == 0 || w.written % flood_every != flood_every - 1 || w.written >= packets) return;
        // A never-repeating spoofed source: 100.64.0.0/10 addresses x 50000 ports.
        const std::uint32_t src = 0x64400000U + static_cast<std::uint32_t>((flood / 50000) & 0x3fffffU);
        const auto sport = static_cast<std::uint16_t>(10000 + flood % 50000);
        w.segment(src, server, sport, 80, static_cast<std::uint32_t>(flood * 2654435761U), 0, kSyn, 0);
        ++flood;
    };
    while (w.written < packets) {
        const std::uint32_t client = 0x0a000000U + static_cast<std::uint32_t>((conns / 60000) & 0xffffffU);
        const auto cport = static_cast<std::uint16_t>(1024 + conns % 60000);
        const std::uint32_t c = static_cast<std::uint32_t>(conns * 7919U),
                            s = static_cast<std::uint32_t>(conns * 104729U);
        struct Step {
            bool c2s;
            std::uint32_t seq, ack;
            std::uint8_t flags;
            std::uint16_t len;
        };
        const Step steps[] = {
            {true, c, 0, kSyn, 0},
            {false, s, c + 1, kSyn | kAck, 0},
            {true, c + 1, s + 1, kAck, 0},
            {true, c + 1, s + 1, kPsh | kAck, 100},
            {false, s + 1, c + 101, kAck, 0},
            {false, s + 1, c + 101, kPsh | kAck, 150},
            {true, c + 101, s + 151, kAck, 0},
            {true, c + 101, s + 151, kFin | kAck, 0},
            {false, s + 151, c + 102, kFin | kAck, 0},
            {true, c + 102, s + 152, kAck, 0},
        };
        for (const auto& st : steps) {
            if (w.written >= packets) break;
            maybe_flood();
            if (w.written >= packets) break;
            if (st.c2s)
                w.segment(client, server, cport, 443, st.seq, st.ack, st.flags, st.len);
            else
                w.segment(server, client, 443, cport, st.seq, st.ack, st.flags, st.len);
        }
        ++conns;
    }
    (void)kRst;
    std::fflush(w.out);
    std::fprintf(
        stderr, "flood_gen: %llu packets, %llu spoofed SYNs, %llu complete connections started, %llu s of capture\n",
        static_cast<unsigned long long>(w.written), static_cast<unsigned long long>(flood),
        static_cast<unsigned long long>(conns), static_cast<unsigned long long>(w.written * w.step_us / 1'000'000ULL));
    if (w.out != stdout) std::fclose(w.out);
    return 0;
}
