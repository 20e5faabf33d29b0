#include "session/lingering_record.hpp"

#include <bit>
#include <cstring>
#include <new>

namespace tfx::session {

// The compact form: its size (varint), the first frame's time (8 bytes), a bitmap of the
// words that differ from a fresh record's, then for each of those a control byte: 0 for a
// time-like word, given as its zigzag varint distance from the first frame's time; else the
// mask of the non-zero bytes of its difference (XOR) from the fresh word, those bytes after.

namespace {

constexpr std::size_t kWords = LingeringCodec::kWords;
constexpr std::size_t kBitmapBytes = (kWords + 7) / 8;
constexpr std::size_t kMaxVarint = 10;
constexpr std::size_t kMaxBytes = kMaxVarint + 8 + kBitmapBytes + kWords * 9;

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

std::size_t varint_size(std::uint64_t v) { return (static_cast<std::size_t>(std::bit_width(v | 1)) + 6) / 7; }

std::uint64_t zigzag(std::uint64_t delta) {
    const auto s = static_cast<std::int64_t>(delta);
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
std::uint64_t unzigzag(std::uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

// Bit i of the mask: byte i of `word` is not zero.
std::uint8_t nonzero_bytes(std::uint64_t word) {
    std::uint8_t mask = 0;
    for (unsigned i = 0; i < 8; ++i)
        if ((word >> (8 * i)) & 0xff) mask = static_cast<std::uint8_t>(mask | (1U << i));
    return mask;
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

    std::uint8_t body[kMaxBytes];
    std::memcpy(body, &ref, 8);
    std::uint8_t* bitmap = body + 8;
    std::memset(bitmap, 0, kBitmapBytes);
    std::size_t n = 8 + kBitmapBytes;
    for (std::size_t i = 0; i < kWords; ++i) {
        const std::uint64_t diff = words[i] ^ fresh_[i];
        if (diff == 0) continue;
        bitmap[i / 8] = static_cast<std::uint8_t>(bitmap[i / 8] | (1U << (i % 8)));
        const std::uint64_t distance = zigzag(words[i] - ref);
        const std::uint8_t mask = nonzero_bytes(diff);
        if (varint_size(distance) < static_cast<std::size_t>(std::popcount(mask))) {
            body[n++] = 0;
            n += put_varint(body + n, distance);
            continue;
        }
        body[n++] = mask;
        for (unsigned b = 0; b < 8; ++b)
            if (mask & (1U << b)) body[n++] = static_cast<std::uint8_t>(diff >> (8 * b));
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
    const std::uint8_t* bitmap = bytes + 8;
    const std::uint8_t* in = bitmap + kBitmapBytes;
    std::uint64_t words[kWords];
    for (std::size_t i = 0; i < kWords; ++i) {
        words[i] = fresh_[i];
        if (!(bitmap[i / 8] & (1U << (i % 8)))) continue;
        const std::uint8_t control = *in++;
        if (control == 0) {
            words[i] = ref + unzigzag(get_varint(in));
            continue;
        }
        std::uint64_t diff = 0;
        for (unsigned b = 0; b < 8; ++b)
            if (control & (1U << b)) diff |= std::uint64_t{*in++} << (8 * b);
        words[i] ^= diff;
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
