#include "stream/sha256.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define TFX_SHA256_X86 1
#endif

namespace tfx::stream {

namespace {

// FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of
// the first 64 primes.
constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t load_be32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}

void compress_portable(std::array<std::uint32_t, 8>& state, const std::uint8_t* block) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
    for (std::size_t t = 16; t < 64; ++t) {
        const std::uint32_t s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        const std::uint32_t s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, h] = state;
    for (std::size_t t = 0; t < 64; ++t) {
        const std::uint32_t big_s1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + big_s1 + ch + kRound[t] + w[t];
        const std::uint32_t big_s0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = big_s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, h};
    for (std::size_t i = 0; i < 8; ++i) state[i] += add[i];
}

void compress_blocks_portable(std::array<std::uint32_t, 8>& state, const std::uint8_t* blocks, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) compress_portable(state, blocks + 64 * i);
}

#ifdef TFX_SHA256_X86
// The same compression with the x86 SHA extensions (sha256rnds2 does two rounds,
// sha256msg1/msg2 the message schedule), as Intel's reference sequence: about a tenth of
// the portable code's instructions. The state is kept as ABEF and CDGH, the order the
// instructions take.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_blocks_sha_ni(std::array<std::uint32_t, 8>& state,
                                                                        const std::uint8_t* blocks, std::size_t count) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0])), 0xB1);
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4])), 0x1B);
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);       // CDGH
    for (std::size_t n = 0; n < count; ++n, blocks += 64) {
        const __m128i abef = state0;
        const __m128i cdgh = state1;
        // w[k % 4]: the schedule words of rounds 4k to 4k+3.
        __m128i w[4] = {};
#pragma GCC unroll 16
        for (int k = 0; k < 16; ++k) {
            if (k < 4)
                w[k] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * k)), byte_swap);
            __m128i msg = _mm_add_epi32(w[k % 4], _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kRound[4 * k])));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            if (k >= 3 && k <= 14) {
                const __m128i next = _mm_add_epi32(w[(k + 1) % 4], _mm_alignr_epi8(w[k % 4], w[(k + 3) % 4], 4));
                w[(k + 1) % 4] = _mm_sha256msg2_epu32(next, w[k % 4]);
            }
            msg = _mm_shuffle_epi32(msg, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
            if (k >= 1 && k <= 12) w[(k + 3) % 4] = _mm_sha256msg1_epu32(w[(k + 3) % 4], w[k % 4]);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);     // HGFE
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), state1);
}

bool cpu_has_sha_ni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool ssse3 = (c & bit_SSSE3) != 0;
    const bool sse41 = (c & bit_SSE4_1) != 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    return ssse3 && sse41 && (b & bit_SHA) != 0;
}
#endif

using CompressBlocks = void (*)(std::array<std::uint32_t, 8>&, const std::uint8_t*, std::size_t);

// Chosen once, by what the CPU offers.
CompressBlocks pick_compress_blocks() {
#ifdef TFX_SHA256_X86
    if (cpu_has_sha_ni()) return compress_blocks_sha_ni;
#endif
    return compress_blocks_portable;
}

void compress_blocks(std::array<std::uint32_t, 8>& state, const std::uint8_t* blocks, std::size_t count) {
    static const CompressBlocks chosen = pick_compress_blocks();
    chosen(state, blocks, count);
}

}  // namespace

void Sha256::update(std::span<const std::byte> bytes) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    std::size_t n = bytes.size();
    length_ += n;
    if (used_ > 0) {
        const std::size_t take = std::min(n, block_.size() - used_);
        std::memcpy(block_.data() + used_, p, take);
        used_ += take;
        p += take;
        n -= take;
        if (used_ < block_.size()) return;
        compress_blocks(state_, block_.data(), 1);
        used_ = 0;
    }
    compress_blocks(state_, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    if (n > 0) std::memcpy(block_.data(), p, n);
    used_ = n;
}

Sha256::Digest Sha256::finish() {
    // FIPS 180-4 section 5.1.1: a 1 bit, zeros to 56 bytes modulo 64, the length in bits.
    const std::uint64_t bits = length_ * 8;
    block_[used_++] = 0x80;
    if (used_ > 56) {
        std::fill(block_.begin() + static_cast<std::ptrdiff_t>(used_), block_.end(), std::uint8_t{0});
        compress_blocks(state_, block_.data(), 1);
        used_ = 0;
    }
    std::fill(block_.begin() + static_cast<std::ptrdiff_t>(used_), block_.begin() + 56, std::uint8_t{0});
    for (std::size_t i = 0; i < 8; ++i) block_[56 + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    compress_blocks(state_, block_.data(), 1);
    Digest out{};
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * j));
    return out;
}

std::string Sha256::finish_hex() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(64);
    for (const std::uint8_t b : finish()) {
        text.push_back(kHex[b >> 4]);
        text.push_back(kHex[b & 15]);
    }
    return text;
}

}  // namespace tfx::stream
