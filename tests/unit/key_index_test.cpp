// The key index against a std::map reference: random inserts and erases over a key set
// large enough to grow the index several times and form long probe clusters, so
// backward-shift deletion (which moves entries by their stored hash) is exercised where
// it can cut a probe sequence. Also the keyed hash behind it (SipHash).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <random>
#include <string>
#include <vector>

#include "flow/key_index.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::test::key_of;

TEST(KeyIndex, AgreesWithAMapThroughRandomInsertsAndErases) {
    flow::KeyIndex table;
    std::map<std::uint32_t, std::uint32_t> reference;  // key number -> slot
    std::mt19937 rng(7);
    constexpr std::uint32_t kKeys = 60000;
    for (int step = 0; step < 400000; ++step) {
        const auto n = static_cast<std::uint32_t>(rng() % kKeys);
        const FlowKey k = key_of(n);
        const auto found = table.find(k);
        const auto it = reference.find(n);
        ASSERT_EQ(found.has_value(), it != reference.end()) << "step " << step;
        if (found) {
            ASSERT_EQ(*found, it->second);
            // The likely slot is the key's own, or an earlier one whose hash collides.
            const auto likely = table.likely_slot(flow::KeyIndex::hash(k));
            ASSERT_NE(likely, flow::KeyIndex::kNone);
            ASSERT_TRUE(likely == *found || table.key(likely) != k);
            if (rng() % 2) {
                table.erase(*found);
                reference.erase(it);
            }
        } else {
            const auto slot = table.insert(k, flow::KeyIndex::hash(k));
            ASSERT_EQ(table.key(slot), k);
            reference[n] = slot;
        }
        ASSERT_EQ(table.size(), reference.size());
    }
    for (const auto& [n, slot] : reference) ASSERT_EQ(table.find(key_of(n)), slot);
}

namespace {
std::vector<std::uint8_t> counting_bytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i);
    return v;
}
}  // namespace

// The reference vectors: SipHash-2-4 from the paper's appendix and the reference
// implementation (key 00 01 .. 0f, message 00 01 .. of 0, 8, 15 and 63 bytes), SipHash-1-3
// from the reference implementation with the zero key. The same code runs with c = 1, d = 3.
TEST(SipHash, ReferenceVectors) {
    const std::uint64_t k0 = 0x0706050403020100ull;
    const std::uint64_t k1 = 0x0f0e0d0c0b0a0908ull;
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(0))), 0x726fdb47dd0e0e31ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(8))), 0x93f5f5799a932462ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(15))), 0xa129ca6149be45e5ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(63))), 0x958a324ceb064572ull);
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, counting_bytes(0))), 0xd1fba762150c532cull);
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, counting_bytes(1))), 0x68a914128e01e473ull);
    const std::string word = "siphash";
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, std::span(reinterpret_cast<const std::uint8_t*>(word.data()), word.size()))),
              0x8264ceeccb16bcbeull);
}

// A keyed hash has no differential that holds for every key. With a hash that xors its seed
// into the first word only, flipping bit 63 of one address word while xoring 2^63 | 2^34
// into the next cancels out whatever the seed: these 8 IPv6 keys would share one hash.
TEST(KeyIndex, HashHasNoSeedIndependentCollisions) {
    const auto flip = [](std::array<std::uint8_t, 16>& a, int word, int bit) {
        a[static_cast<std::size_t>(word * 8 + bit / 8)] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    };
    std::set<std::uint32_t> hashes;
    for (int d = 0; d < 8; ++d) {
        FlowKey k{};
        k.lo.addr.version = 6;
        k.hi.addr.version = 6;
        for (std::uint8_t i = 0; i < 16; ++i) {
            k.lo.addr.bytes[i] = static_cast<std::uint8_t>(0x20 + i);
            k.hi.addr.bytes[i] = static_cast<std::uint8_t>(0x40 + i);
        }
        k.lo.port = 1234;
        k.hi.port = 80;
        auto& a = k.lo.addr.bytes;
        auto& b = k.hi.addr.bytes;
        if ((d & 1) != 0) {
            flip(a, 0, 63);
            flip(a, 1, 63);
            flip(a, 1, 34);
        }
        if ((d & 2) != 0) {
            flip(a, 1, 63);
            flip(b, 0, 63);
            flip(b, 0, 34);
        }
        if ((d & 4) != 0) {
            flip(b, 0, 63);
            flip(b, 1, 63);
            flip(b, 1, 34);
        }
        hashes.insert(flow::KeyIndex::hash(k));
    }
    // Random 32-bit values: all 8 equal has probability 2^-224; a hash that xors its seed
    // into one word only gives 1.
    EXPECT_GT(hashes.size(), 1U);
}
