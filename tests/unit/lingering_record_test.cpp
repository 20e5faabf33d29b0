// The compact form of a lingering closed connection (session/lingering_record): every byte of
// the record comes back, whatever the words hold, and what the record owns out of line is
// handed over, not copied.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <new>
#include <random>

#include "session/lingering_record.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::session::Connection;
using tfx::session::LingeringCodec;

namespace {

constexpr std::size_t kWords = LingeringCodec::kWords;

// Raw storage for one record, which a test fills with any words: such a record is never
// destroyed (its words are not a valid record's), only compared.
struct Storage {
    alignas(Connection) std::byte bytes[sizeof(Connection)]{};
    [[nodiscard]] const Connection& record() const { return *std::launder(reinterpret_cast<const Connection*>(bytes)); }
};

// Encodes the words of `in`, decodes them into another storage, and says whether every byte
// came back.
bool round_trips(const LingeringCodec& codec, const Storage& in) {
    const auto bytes = codec.encode(in.record());
    Storage out;
    std::memset(out.bytes, 0xa5, sizeof(out.bytes));
    codec.decode(bytes.get(), out.bytes);
    return std::memcmp(in.bytes, out.bytes, sizeof(Connection)) == 0;
}

}  // namespace

TEST(LingeringRecord, EveryWordComesBackWhateverItHolds) {
    const Options options;
    const LingeringCodec codec(options);
    std::mt19937_64 rng(7);
    Storage s;
    for (int trial = 0; trial < 20000; ++trial) {
        // Values of each kind the encoder tells apart: zero, small counts, durations, sparse
        // bytes, negative numbers, anything at all; then, once the record's first frame's
        // time and bases are drawn, times near the first (nanoseconds and whole
        // microseconds) and sequence numbers near either side's base, in either half.
        std::uint64_t words[kWords];
        std::uint8_t kinds[kWords];
        for (std::size_t i = 0; i < kWords; ++i) {
            kinds[i] = static_cast<std::uint8_t>(rng() % 9);
            switch (kinds[i]) {
                case 0: words[i] = 0; break;
                case 1: words[i] = rng() % 1000; break;
                case 2: words[i] = (rng() % 10'000'000) * 1000; break;
                case 3: words[i] = rng() & 0x0101010101010101ULL; break;
                case 4: words[i] = ~(rng() % 100); break;
                default: words[i] = rng(); break;
            }
        }
        std::memcpy(s.bytes, words, sizeof(words));
        const auto ref = static_cast<std::uint64_t>(s.record().first_ts.count());
        const std::uint32_t bases[2] = {s.record().numbering.base(Role::Client),
                                        s.record().numbering.base(Role::Server)};
        for (std::size_t i = 0; i < kWords; ++i) {
            const std::uint32_t near_base = bases[rng() % 2] + static_cast<std::uint32_t>(rng() % 6000) - 3000U;
            switch (kinds[i]) {
                case 5: words[i] = ref + rng() % 5'000'000'000ULL - 2'000'000'000ULL; break;
                case 6: words[i] = ref + (rng() % 5'000'000) * 1000; break;
                case 7: words[i] = (words[i] & 0xffffffff00000000ULL) | near_base; break;
                case 8: words[i] = (std::uint64_t{near_base} << 32) | (words[i] & 0xffffffffULL); break;
                default: break;
            }
        }
        // (A drawn word may replace the time or a base itself: the words are then near the
        // old one, which tests the other encodings.)
        std::memcpy(s.bytes, words, sizeof(words));
        ASSERT_TRUE(round_trips(codec, s)) << "trial " << trial;
    }
}

TEST(LingeringRecord, AFreshRecordTakesLittleMoreThanItsHeader) {
    const Options options;
    const LingeringCodec codec(options);
    Storage s;
    auto* c = new (s.bytes) Connection(1, test::key_of(1), true, true, options);
    const auto bytes = codec.encode(*c);
    EXPECT_LT(LingeringCodec::size(bytes.get()), 120U);
    EXPECT_TRUE(round_trips(codec, s));
    std::destroy_at(c);
}

TEST(LingeringRecord, WhatTheRecordOwnsOutOfLineIsHandedOverWithIt) {
    const Options options;
    const LingeringCodec codec(options);
    Storage in;
    auto* c = new (in.bytes) Connection(9, test::key_of(2), false, true, options);
    c->first_ts = Timestamp{1'700'000'000'000'000'000};
    c->last_ts = c->first_ts + std::chrono::milliseconds(40);
    c->analyzer.stats(1).use_rare().retransmitted_bytes = 1234;                              // a block out of line
    for (int code = 0; code < 10; ++code) c->counts.add(static_cast<AnnotationCode>(code));  // the full table
    const auto* rare = c->analyzer.stats(1).rare.get();
    const auto counts = c->counts.table();

    const auto bytes = codec.encode(*c);  // `c` is forgotten now: the compact form owns its blocks
    Storage out;
    Connection& back = codec.decode(bytes.get(), out.bytes);
    EXPECT_EQ(std::memcmp(in.bytes, out.bytes, sizeof(Connection)), 0);
    EXPECT_EQ(back.analyzer.stats(1).rare.get(), rare);
    EXPECT_EQ(back.analyzer.stats(1).rare->retransmitted_bytes, 1234U);
    EXPECT_EQ(back.counts.table(), counts);
    EXPECT_EQ(back.id, 9U);
    EXPECT_EQ(back.last_ts - back.first_ts, std::chrono::milliseconds(40));
    std::destroy_at(&back);  // frees the blocks once
}
