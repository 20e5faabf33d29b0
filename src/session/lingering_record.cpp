#include "session/lingering_record.hpp"

#include <bit>
#include <cstring>
#include <new>

namespace tfx::session {

// The compact form: its size (varint), the first frame's time (8 bytes) and the two sides'
// sequence number bases (4 bytes each), a bitmap of the words that differ from a fresh
// record's, then each of those words as the cheapest of:
//   kTime, kMicros: a time, as its zigzag varint distance from the first frame's time (in
//     nanoseconds, or in microseconds when it is a whole number of them: pcap's resolution);
//   kSpan: a duration of whole microseconds, as their zigzag varint;
//   a mask: the non-zero bytes of its difference (XOR) from the fresh word, after the mask of
//     where they are; the mask is the control byte itself when it is at least 32 (one of the
//     three high bytes differs), else it follows kMask;
//   kHalves + modes: its two 32-bit halves, each a varint of its difference from the fresh
//     half (mode 0), or a sequence number as its zigzag distance from either side's base
//     (modes 1 and 2); the modes of the low half in bits 0-1, of the high half in bits 2-3.

namespace {

constexpr std::size_t kWords = LingeringCodec::kWords;
constexpr std::size_t kBitmapBytes = (kWords + 7) / 8;
constexpr std::size_t kMaxVarint = 10;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4;
constexpr std::size_t kMaxBytes = kMaxVarint + kHeaderBytes + kBitmapBytes + kWords * (2 + 8);

enum Control : std::uint8_t { kTime = 0, kMicros = 1, kMask = 2, kSpan = 3, kHalves = 16, kMaskAlone = 32 };

std::size_t put_varint(std::uint8_t* out, std::uint64_t v) {
    std::size_t n = 0;
    while (v >= 0x80) {
        out[n++] = static_cast<std::uint8_t>(v | 0x80);
        v >>= 7;
    }
    out[n++] = static_cast<std::uint8_t>(v);
    return n;
}

std::uint64_t get_varint(const std::uint8_t*& in) {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        const std::uint8_t b = *in++;
        v |= std::uint64_t{b & 0x7fU} << shift;
        if (!(b & 0x80)) return v;
    }
}

unsigned varint_size(std::uint64_t v) { return (static_cast<unsigned>(std::bit_width(v | 1)) + 6) / 7; }

std::uint64_t zigzag(std::int64_t s) {
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
std::int64_t unzigzag(std::uint64_t z) { return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)); }
// A 32-bit difference, modulo 2^32 as sequence numbers are, signed for the zigzag.
std::uint64_t zigzag32(std::uint32_t diff) { return zigzag(static_cast<std::int32_t>(diff)); }

// Bit i of the mask: byte i of `word` is not zero.
std::uint8_t nonzero_bytes(std::uint64_t word) {
    std::uint8_t mask = 0;
    for (unsigned i = 0; i < 8; ++i)
        if ((word >> (8 * i)) & 0xff) mask = static_cast<std::uint8_t>(mask | (1U << i));
    return mask;
}

// The cheapest way to give one 32-bit half: its mode and value.
struct HalfChoice {
    unsigned mode = 0;
    std::uint64_t value = 0;
    unsigned cost = 0;
};
HalfChoice choose_half(std::uint32_t raw, std::uint32_t diff, const std::uint32_t (&bases)[2]) {
    HalfChoice best{0, diff, varint_size(diff)};
    for (unsigned b = 0; b < 2 && best.cost > 1; ++b) {
        const std::uint64_t z = zigzag32(raw - bases[b]);
        if (const unsigned cost = varint_size(z); cost < best.cost) best = {b + 1, z, cost};
    }
    return best;
}
std::uint32_t restore_half(unsigned mode, std::uint64_t value, std::uint32_t fresh, const std::uint32_t (&bases)[2]) {
    if (mode == 0) return fresh ^ static_cast<std::uint32_t>(value);
    return bases[mode - 1] + static_cast<std::uint32_t>(unzigzag(value));
}

}  // namespace

LingeringCodec::LingeringCodec(const Options& options) {
    alignas(Connection) std::byte storage[sizeof(Connection)]{};
    auto* fresh = new (storage) Connection(0, FlowKey{}, false, false, options);
    std::memcpy(fresh_, storage, sizeof(Connection));
    std::destroy_at(fresh);
}

std::unique_ptr<std::uint8_t[]> LingeringCodec::encode(const Connection& c) const {
    std::uint64_t words[kWords];
    std::memcpy(words, static_cast<const void*>(&c), sizeof(Connection));
    const auto ref = static_cast<std::uint64_t>(c.first_ts.count());
    const std::uint32_t bases[2] = {c.numbering.base(Role::Client), c.numbering.base(Role::Server)};

    std::uint8_t body[kMaxBytes];
    std::memcpy(body, &ref, 8);
    std::memcpy(body + 8, bases, 8);
    std::uint8_t* bitmap = body + kHeaderBytes;
    std::memset(bitmap, 0, kBitmapBytes);
    std::size_t n = kHeaderBytes + kBitmapBytes;
    for (std::size_t i = 0; i < kWords; ++i) {
        const std::uint64_t diff = words[i] ^ fresh_[i];
        if (diff == 0) continue;
        bitmap[i / 8] = static_cast<std::uint8_t>(bitmap[i / 8] | (1U << (i % 8)));

        const auto distance = static_cast<std::int64_t>(words[i] - ref);
        const bool micros = distance % 1000 == 0;
        const std::uint64_t time = zigzag(micros ? distance / 1000 : distance);
        const unsigned time_cost = varint_size(time);
        const std::uint8_t mask = nonzero_bytes(diff);
        const bool mask_alone = mask >= kMaskAlone;
        const auto mask_cost = static_cast<unsigned>((mask_alone ? 1 : 2) + std::popcount(mask));
        const HalfChoice lo =
            choose_half(static_cast<std::uint32_t>(words[i]), static_cast<std::uint32_t>(diff), bases);
        const HalfChoice hi =
            choose_half(static_cast<std::uint32_t>(words[i] >> 32), static_cast<std::uint32_t>(diff >> 32), bases);

        const auto span = static_cast<std::int64_t>(words[i]);
        const unsigned span_cost = span % 1000 == 0 ? varint_size(zigzag(span / 1000)) : 99;

        if (span_cost <= time_cost && span_cost <= mask_cost && span_cost <= lo.cost + hi.cost) {
            body[n++] = kSpan;
            n += put_varint(body + n, zigzag(span / 1000));
        } else if (time_cost <= mask_cost && time_cost <= lo.cost + hi.cost) {
            body[n++] = micros ? kMicros : kTime;
            n += put_varint(body + n, time);
        } else if (mask_cost <= lo.cost + hi.cost) {
            if (!mask_alone) body[n++] = kMask;
            body[n++] = mask;
            for (unsigned b = 0; b < 8; ++b)
                if (mask & (1U << b)) body[n++] = static_cast<std::uint8_t>(diff >> (8 * b));
        } else {
            body[n++] = static_cast<std::uint8_t>(kHalves | lo.mode | (hi.mode << 2));
            n += put_varint(body + n, lo.value);
            n += put_varint(body + n, hi.value);
        }
    }

    std::uint8_t length[kMaxVarint];
    const std::size_t prefix = put_varint(length, n);
    auto bytes = std::make_unique_for_overwrite<std::uint8_t[]>(prefix + n);
    std::memcpy(bytes.get(), length, prefix);
    std::memcpy(bytes.get() + prefix, body, n);
    return bytes;
}

Connection& LingeringCodec::decode(const std::uint8_t* bytes, std::byte* storage) const {
    get_varint(bytes);  // the size
    std::uint64_t ref = 0;
    std::memcpy(&ref, bytes, 8);
    std::uint32_t bases[2];
    std::memcpy(bases, bytes + 8, 8);
    const std::uint8_t* bitmap = bytes + kHeaderBytes;
    const std::uint8_t* in = bitmap + kBitmapBytes;
    std::uint64_t words[kWords];
    for (std::size_t i = 0; i < kWords; ++i) {
        words[i] = fresh_[i];
        if (!(bitmap[i / 8] & (1U << (i % 8)))) continue;
        const std::uint8_t control = *in++;
        if (control == kTime || control == kMicros) {
            const std::int64_t distance = unzigzag(get_varint(in));
            words[i] = ref + static_cast<std::uint64_t>(control == kMicros ? distance * 1000 : distance);
        } else if (control == kSpan) {
            words[i] = static_cast<std::uint64_t>(unzigzag(get_varint(in)) * 1000);
        } else if (control == kMask || control >= kMaskAlone) {
            const std::uint8_t mask = control == kMask ? *in++ : control;
            std::uint64_t diff = 0;
            for (unsigned b = 0; b < 8; ++b)
                if (mask & (1U << b)) diff |= std::uint64_t{*in++} << (8 * b);
            words[i] ^= diff;
        } else {
            const std::uint64_t lo_value = get_varint(in);
            const std::uint64_t hi_value = get_varint(in);
            const std::uint32_t lo = restore_half(control & 3U, lo_value, static_cast<std::uint32_t>(fresh_[i]), bases);
            const std::uint32_t hi =
                restore_half((control >> 2) & 3U, hi_value, static_cast<std::uint32_t>(fresh_[i] >> 32), bases);
            words[i] = std::uint64_t{hi} << 32 | lo;
        }
    }
    std::memcpy(storage, words, sizeof(Connection));
    return *std::launder(reinterpret_cast<Connection*>(storage));
}

std::size_t LingeringCodec::size(const std::uint8_t* bytes) {
    const std::uint8_t* in = bytes;
    const std::uint64_t body = get_varint(in);
    return static_cast<std::size_t>(in - bytes) + body;
}

}  // namespace tfx::session
