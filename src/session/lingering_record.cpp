#include "session/lingering_record.hpp"

#include <cstring>
#include <new>

namespace tfx::session {

// The compact form: its size (varint), the first frame's time (8 bytes) and the two sides'
// sequence number bases (4 bytes each), a bitmap of the words that differ from a fresh
// record's, then each of those words after a control byte that says how it is given. The
// rule is fixed, not a search for the shortest, so that encoding costs a few instructions a
// word:
//   kTime, kMicros: a word within kTimeReach of the first frame's time is a time, given as
//     its zigzag varint distance from it (in microseconds when it is a whole number of them,
//     pcap's resolution, else in nanoseconds);
//   kSpan: else a word below kTimeReach that is a whole number of microseconds (a duration),
//     as that number, varint;
//   kHalves + modes: else its two 32-bit halves, each a sequence number near either side's
//     base, as its zigzag varint distance from it (modes 1 and 2), or else a varint of its
//     difference (XOR) from the fresh record's half (mode 0); the low half's mode in bits 0-1,
//     the high half's in bits 2-3.

namespace {

constexpr std::size_t kWords = LingeringCodec::kWords;
constexpr std::size_t kBitmapBytes = (kWords + 7) / 8;
constexpr std::size_t kMaxVarint = 10;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4;
constexpr std::size_t kMaxBytes = kMaxVarint + kHeaderBytes + kBitmapBytes + kWords * (1 + kMaxVarint);
constexpr std::uint64_t kTimeReach = std::uint64_t{1} << 42;  // about 73 minutes in nanoseconds
constexpr std::uint32_t kSeqReach = 1U << 13;                 // a sequence number this near a base

enum Control : std::uint8_t { kTime = 0, kMicros = 1, kSpan = 2, kHalves = 16 };

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

std::uint64_t zigzag(std::int64_t s) {
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
std::int64_t unzigzag(std::uint64_t z) { return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)); }

// One 32-bit half: its mode and the value written for it.
struct Half {
    unsigned mode = 0;
    std::uint64_t value = 0;
};
Half half_of(std::uint32_t raw, std::uint32_t diff, const std::uint32_t (&bases)[2]) {
    for (unsigned b = 0; b < 2; ++b) {
        const std::uint32_t distance = raw - bases[b];  // modulo 2^32, as sequence numbers are
        if (distance + kSeqReach < 2 * kSeqReach) return {b + 1, zigzag(static_cast<std::int32_t>(distance))};
    }
    return {0, diff};
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

        if (const std::uint64_t distance = words[i] - ref; distance + kTimeReach < 2 * kTimeReach) {
            const auto signed_distance = static_cast<std::int64_t>(distance);
            const bool micros = signed_distance % 1000 == 0;
            body[n++] = micros ? kMicros : kTime;
            n += put_varint(body + n, zigzag(micros ? signed_distance / 1000 : signed_distance));
        } else if (words[i] < kTimeReach && words[i] % 1000 == 0) {
            body[n++] = kSpan;
            n += put_varint(body + n, words[i] / 1000);
        } else {
            const Half lo = half_of(static_cast<std::uint32_t>(words[i]), static_cast<std::uint32_t>(diff), bases);
            const Half hi =
                half_of(static_cast<std::uint32_t>(words[i] >> 32), static_cast<std::uint32_t>(diff >> 32), bases);
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
            words[i] = get_varint(in) * 1000;
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
