#pragma once
// Input formats shared by the fuzz targets and the seed generator, so a seed written by
// tfx_fuzz_seedgen means the same thing to the target that reads it.
//
//   fuzz_decode:   [link selector] [frame bytes...]
//   fuzz_session:  [link selector] [config] [chunk] SEP [chunk] SEP [chunk] ...
//                  chunk = [time step] [length tweak] [frame bytes...]
//                  (Zeek's FuzzBuffer way: a separator the fuzzer can copy and splice)
//   fuzz_capture_file: the bytes of a capture file, as is.
//   fuzz_expectations: [parser selector] [text...]
//   fuzz_content:  [port selector] [client first bytes] SEP [server first bytes]
//   fuzz_stream:   [limits] [budget] then 6-byte records (StreamFuzzInput)

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <chrono>

#include "tfx/render.hpp"
#include "stream/stream_reassembler.hpp"
#include "tfx/session.hpp"

namespace tfx::fuzz {

/// Link types decode supports, plus one it does not (147, DLT_USER0), so that path is
/// fuzzed too. The first input byte selects one (modulo the count).
/// 105 is IEEE 802.11 without radiotap, 10 FDDI, 242 IP over InfiniBand (no constants in
/// the public header). Ethernet, which carries every tunnel, fills the last places: 24
/// entries keep the link type of every committed input (selectors below 16, and the
/// session regression's 56, which is 8 modulo both 16 and 24).
inline constexpr std::array<int, 24> kLinkTypes = {linktype::kEthernet,
                                                   linktype::kNull,
                                                   linktype::kPpp,
                                                   linktype::kRaw,
                                                   linktype::kRaw14,
                                                   linktype::kRaw101,
                                                   linktype::kCiscoHdlc,
                                                   linktype::kLoop,
                                                   linktype::kLinuxSll,
                                                   linktype::kRadiotap,
                                                   linktype::kIpv4,
                                                   linktype::kIpv6,
                                                   linktype::kNflog,
                                                   linktype::kLinuxSll2,
                                                   105,
                                                   147,
                                                   10,
                                                   242,
                                                   linktype::kEthernet,
                                                   linktype::kEthernet,
                                                   linktype::kEthernet,
                                                   linktype::kEthernet,
                                                   linktype::kEthernet,
                                                   linktype::kEthernet};

[[nodiscard]] inline int link_type_for(std::uint8_t selector) { return kLinkTypes[selector % kLinkTypes.size()]; }
/// The selector byte that link_type_for() maps to `link_type` (0xff when unknown).
[[nodiscard]] inline std::uint8_t selector_for(int link_type) {
    for (std::size_t i = 0; i < kLinkTypes.size(); ++i)
        if (kLinkTypes[i] == link_type) return static_cast<std::uint8_t>(i);
    return 0xff;
}

/// Server ports of fuzz_content, the first input byte selects one (modulo the count): the
/// ports that tell a "220" greeting apart, and some that do not.
inline constexpr std::array<std::uint16_t, 8> kServerPorts = {0, 21, 25, 80, 443, 22, 110, 143};

[[nodiscard]] inline std::uint16_t server_port_for(std::uint8_t selector) {
    return kServerPorts[selector % kServerPorts.size()];
}

/// Separator between the chunks of a fuzz_session input.
inline constexpr std::array<std::uint8_t, 4> kChunkSeparator = {0xF7, 'F', 'Z', 0xF7};

/// Calls `fn(chunk)` for every piece of `data` between separators (empty pieces included).
template <typename Fn>
void for_each_chunk(std::span<const std::uint8_t> data, Fn&& fn) {
    std::size_t start = 0;
    const std::size_t n = kChunkSeparator.size();
    std::size_t i = 0;
    while (i + n <= data.size()) {
        if (std::memcmp(data.data() + i, kChunkSeparator.data(), n) == 0) {
            fn(data.subspan(start, i - start));
            i += n;
            start = i;
        } else {
            ++i;
        }
    }
    fn(data.subspan(start));
}

/// The config byte of fuzz_session: which renderer and options, and tight limits so that
/// expiry and eviction run on small inputs.
struct SessionConfig {
    OutputFormat format = OutputFormat::Text;
    RenderOptions render{};
    Options options{};
    bool reassemble = false;  ///< --reassemble: each segment's stream facts reach the renderer

    [[nodiscard]] static SessionConfig from(std::uint8_t b) {
        SessionConfig c;
        constexpr std::array<OutputFormat, 8> formats = {OutputFormat::Text, OutputFormat::Json, OutputFormat::Jsonl,
                                                         OutputFormat::Dot,  OutputFormat::Csv,  OutputFormat::Ladder,
                                                         OutputFormat::Svg,  OutputFormat::Html};
        c.format = formats[b & 7U];
        c.render.summary_only = (b & 0x08U) != 0;
        // The same bit picks each picture's other form: the whole state diagram, the
        // time-sequence graph, Mermaid instead of the terminal ladder.
        if (c.render.summary_only) {
            if (c.format == OutputFormat::Dot) c.render.graph = GraphKind::Full;
            if (c.format == OutputFormat::Svg) c.render.graph = GraphKind::TimeSequence;
            if (c.format == OutputFormat::Ladder) c.format = OutputFormat::Mermaid;
        }
        c.render.time_scale = (b & 0x40U) != 0 ? TimeScale::Log : TimeScale::Even;
        c.render.payload = static_cast<PayloadMode>(((b >> 4) & 3U) % 3U);
        c.render.absolute_seq = (b & 0x40U) != 0;
        // As the command line sets them: content hints and the findings tally by default; the
        // bits already used pick --findings-only, the time column and --reassemble too.
        c.options.content_hints = true;
        c.render.findings_tally = true;
        c.render.findings_only = (b & 0x40U) != 0 && !c.render.summary_only;
        c.render.time_format = static_cast<TimeFormat>(((b >> 4) & 7U) % 5U);
        c.reassemble = (b & 0x80U) != 0;
        if (b & 0x80U) {
            c.options.max_connections = 8;
            c.options.idle_timeout = std::chrono::seconds(3);
            c.options.handshake_timeout = std::chrono::seconds(1);
            c.options.closed_linger = std::chrono::milliseconds(500);
            c.options.max_unacked_segments = 16;
            // Tight limits with summaries only also keep closed connections compact, so that
            // their lingering, waking, expiry and eviction are fuzzed beside the whole records'.
            c.options.compact_closed = c.render.summary_only;
        }
        return c;
    }
};

/// A frame's timing and lengths from the first two bytes of its chunk: the time step is a
/// signed multiple of 100 ms (negative: the clock goes back); the tweak makes the wire
/// length larger (1..127: + 64 * v) or smaller than the captured length (128..255).
inline void apply_chunk_header(std::uint8_t step, std::uint8_t tweak, Timestamp& now, RawFrame& f) {
    now += std::chrono::milliseconds(100) * static_cast<std::int8_t>(step);
    f.ts = now;
    if (tweak == 0) {
        f.wirelen = f.caplen;
    } else if (tweak < 128) {
        f.wirelen = f.caplen + 64U * tweak;
    } else {
        const std::uint32_t less = tweak - 128U;
        f.wirelen = f.caplen > less ? f.caplen - less : 0;
    }
}

/// Calls `fn(frame)` for every chunk of `data` (as for_each_chunk) that has its two header
/// bytes: a frame of `link_type` holding the chunk's remaining bytes, numbered from 1, timed
/// and sized by apply_chunk_header() from a clock starting at 2023-11-14.
template <typename Fn>
void for_each_chunk_frame(std::span<const std::uint8_t> data, int link_type, Fn&& fn) {
    Timestamp now{std::chrono::seconds(1'700'000'000)};
    FrameIndex index = 1;
    for_each_chunk(data, [&](std::span<const std::uint8_t> chunk) {
        if (chunk.size() < 2) return;
        RawFrame f;
        f.index = index++;
        f.link_type = link_type;
        f.data = {reinterpret_cast<const std::byte*>(chunk.data() + 2), chunk.size() - 2};
        f.caplen = static_cast<std::uint32_t>(f.data.size());
        apply_chunk_header(chunk[0], chunk[1], now, f);
        fn(f);
    });
}

/// The input of fuzz_stream: two header bytes, then records of kRecord bytes
/// [op] [offset low] [offset high] [length] [cut] [flip] (a short last record is ignored).
///   header 0: bits 0-2 the per-direction buffer (256 << n bytes), bits 3-5 the history
///             window (kHistories), bits 6-7 the offset base (kBases: 0, below 2^32, 2^63,
///             the top of the 64-bit range, where offsets run out)
///   header 1: bits 0-3 the capture budget (512 << n bytes)
///   op: bits 0-2 the kind (0-5 a segment, 6 a FIN, 7 a RST); bits 3-4 scale the length
///       byte by 4^n; bit 6 adds a snaplen cut of 16 * [cut] bytes; bit 7 makes every 7th
///       byte differ from the stream's (xor [flip]), so copies disagree
///   a segment's offset, and a FIN's, is base + offset; its bytes are a fixed function of
///   the offset, so copies agree unless flipped.
struct StreamFuzzInput {
    static constexpr std::size_t kHeader = 2;
    static constexpr std::size_t kRecord = 6;
    static constexpr std::uint64_t kMaxLength = 255ULL << 6;
    /// Offsets a record can reach above the base.
    static constexpr std::uint64_t kMaxEnd = 65536 + kMaxLength;
    static constexpr std::array<std::uint64_t, 8> kHistories = {0, 16, 64, 256, 1024, 4096, 65536, 0};
    static constexpr std::array<std::uint64_t, 4> kBases = {0, (1ULL << 32) - 30000, 1ULL << 63,
                                                            ~std::uint64_t{0} - 65535};

    enum class Kind { Segment, Fin, Rst };
    struct Record {
        Kind kind = Kind::Segment;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        std::uint64_t cut = 0;
        std::uint8_t flip = 0;

        /// The stream's byte at `offset`: what every unflipped copy carries.
        [[nodiscard]] static std::byte stream_byte(std::uint64_t offset) {
            return static_cast<std::byte>((static_cast<std::uint32_t>(offset) * 2654435761U) >> 24);
        }
        void fill(std::vector<std::byte>& out) const {
            out.resize(length);
            for (std::uint64_t i = 0; i < length; ++i) {
                const std::byte b = stream_byte(offset + i);
                out[i] = (flip != 0 && i % 7 == 0) ? (b ^ static_cast<std::byte>(flip)) : b;
            }
        }
    };

    std::uint64_t base = 0;
    stream::StreamLimits limits{};
    std::uint64_t capture_budget = 0;

    /// `data` holds at least kHeader bytes.
    explicit StreamFuzzInput(std::span<const std::uint8_t> data) : records_(data.subspan(kHeader)) {
        limits.max_buffered = 256ULL << (data[0] & 7U);
        limits.history = kHistories[(data[0] >> 3) & 7U];
        base = kBases[data[0] >> 6];
        capture_budget = 512ULL << (data[1] & 15U);
    }

    template <typename Fn>
    void for_each_record(Fn&& fn) const {
        for (std::size_t at = 0; at + kRecord <= records_.size(); at += kRecord) {
            const auto r = records_.subspan(at, kRecord);
            const unsigned op = r[0];
            Record rec;
            const unsigned kind = op & 7U;
            rec.kind = kind < 6 ? Kind::Segment : (kind == 6 ? Kind::Fin : Kind::Rst);
            rec.offset = base + (static_cast<std::uint64_t>(r[2]) << 8 | r[1]);
            rec.length = static_cast<std::uint64_t>(r[3]) << (2 * ((op >> 3) & 3U));
            rec.cut = (op & 0x40U) != 0 ? 16ULL * r[4] : 0;
            rec.flip = (op & 0x80U) != 0 ? r[5] : 0;
            fn(rec);
        }
    }

private:
    std::span<const std::uint8_t> records_;
};

}  // namespace tfx::fuzz
