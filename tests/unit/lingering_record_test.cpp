// The compact form of a lingering closed connection (session/lingering_record): every field
// of the record comes back, whatever it holds, values no rule narrows included, and what the
// record owns out of line is handed over, not copied.

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <random>
#include <type_traits>
#include <vector>

#include "session/lingering_fields.hpp"
#include "session/lingering_record.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::session::Connection;
using tfx::session::LingeringCodec;
using tfx::session::LingeringFields;

namespace {

// Raw storage for one record. A record filled with made-up values (pointers included) is
// never destroyed, only compared.
struct Storage {
    alignas(Connection) std::byte bytes[sizeof(Connection)]{};
    [[nodiscard]] Connection& record() { return *std::launder(reinterpret_cast<Connection*>(bytes)); }
};

// Gives every field of a record a value unlike a fresh record's, drawn at random: for the
// kinds the codec narrows, sometimes a value its rule fits and sometimes one it must give
// whole (a time 2^62 ns from the first, a frame just before the first, the largest numbers).
class Filler {
public:
    /// `all_set`: no optional is left unset, so that every field differs from a fresh record's.
    explicit Filler(std::uint64_t seed, bool all_set = false) : rng_(seed), all_set_(all_set) {}

    void flag(bool& b) { b = !b; }
    template <typename T>
    void plain(T& v) {
        if constexpr (std::is_enum_v<T>)
            v = static_cast<T>(static_cast<std::underlying_type_t<T>>(v) + 1 + rng_() % 3);  // another value
        else
            v = wide() ? std::numeric_limits<T>::max() : static_cast<T>(v + 1 + rng_() % 100);
    }
    template <typename T>
    void sint(T& v) {
        v = wide() ? std::numeric_limits<T>::min() : static_cast<T>(1 + rng_() % 100);
    }
    template <typename T>
    void maybe(std::optional<T>& v) {
        if constexpr (std::is_enum_v<T>)
            v = static_cast<T>(rng_() % 2);
        else
            v = static_cast<T>(rng_() % 200);
    }
    void index(std::uint32_t& v) { v = static_cast<std::uint32_t>(rng_() % 1000); }
    void seq(std::uint32_t& v, std::uint32_t base) { v = base + 1 + static_cast<std::uint32_t>(rng_() % 3000); }
    void seq(SeqNum& v, std::uint32_t base) {
        std::uint32_t raw = 0;
        seq(raw, wide() ? static_cast<std::uint32_t>(rng_()) : base);
        v = SeqNum(raw);
    }
    void frame(FrameIndex& f, FrameIndex first) { f = wide() ? first - 1 : first + rng_() % 100000; }
    // near: equal, close on either side, or anywhere
    template <typename T>
    void near(T& v, std::uint32_t ref) {
        const std::uint32_t x =
            wide() ? static_cast<std::uint32_t>(rng_()) : ref + static_cast<std::uint32_t>(rng_() % 3) - 1;
        if constexpr (std::is_same_v<T, SeqNum>)
            v = SeqNum(x);
        else
            v = static_cast<T>(x);
    }
    // recent: at or just before the last frame, or after it (which no code holds)
    void recent(FrameIndex& f, FrameIndex last) { f = wide() ? last + 1 + rng_() % 3 : last - rng_() % 100; }
    template <typename T>
    void maybe_as(std::optional<T>& v, const std::optional<T>& ref) {
        switch (rng_() % 3) {
            case 0: v = ref ? ref : std::optional<T>{static_cast<T>(7)}; break;
            case 1:
                if (all_set_)
                    v = static_cast<T>(9);
                else
                    v.reset();
                break;
            default: v = static_cast<T>(rng_() % 200); break;
        }
    }
    void time(Timestamp& t, Timestamp ref) {
        // nanoseconds, whole microseconds, and a distance no code holds
        switch (rng_() % 3) {
            case 0: t = ref + Timestamp(static_cast<std::int64_t>(rng_() % 5'000'000'000)); break;
            case 1: t = ref - std::chrono::microseconds(static_cast<std::int64_t>(rng_() % 5'000'000)); break;
            default: {
                const std::int64_t far = (std::int64_t{1} << 62) + 12345;
                t = ref.count() <= 0 ? ref + Timestamp(far) : ref - Timestamp(far + 1);
                break;
            }
        }
    }
    void time(analysis::TimeOrUnset<Timestamp>& t, Timestamp ref) {
        Timestamp v{};
        time(v, ref);
        t = v;
    }
    void span(Duration& d) { time(d, Duration{}); }
    void span(analysis::TimeOrUnset<Duration>& d) { time(d, Duration{}); }
    template <typename T>
    void pointer(std::unique_ptr<T>& p) {
        // a made-up address: the codec hands pointers over, it never follows them
        p.reset(reinterpret_cast<typename std::unique_ptr<T>::pointer>(0x1000 + 16 * (rng_() % 1000)));
    }
    void bytes(void* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            static_cast<std::uint8_t*>(p)[i] = static_cast<std::uint8_t>(1 + rng_() % 255);
    }

private:
    bool wide() { return rng_() % 4 == 0; }
    std::mt19937_64 rng_;
    bool all_set_;
};

// A fresh record on `key` in `s`, every field then filled by `filler`.
Connection& filled(Storage& s, const FlowKey& key, Filler& filler, const Options& options) {
    auto* c = new (s.bytes) Connection(1, key, true, true, options);
    c->first_frame = 1000;
    LingeringFields::visit(filler, *c);
    return *c;
}

// Every field's value, in the visit's order (padding between fields holds nothing and is
// not compared).
class Collector {
public:
    void flag(const bool& b) {
        kinds.push_back("flag");
        values.push_back(b);
    }
    template <typename T>
    void plain(const T& v) {
        kinds.push_back("plain");
        if constexpr (std::is_enum_v<T>)
            values.push_back(static_cast<std::uint64_t>(v));
        else
            values.push_back(static_cast<std::uint64_t>(v));
    }
    template <typename T>
    void sint(const T& v) {
        kinds.push_back("sint");
        values.push_back(static_cast<std::uint64_t>(v));
    }
    template <typename T>
    void maybe(const std::optional<T>& v) {
        kinds.push_back("maybe");
        values.push_back(v ? static_cast<std::uint64_t>(*v) + 1 : 0);
    }
    void index(const std::uint32_t& v) {
        kinds.push_back("index");
        values.push_back(v);
    }
    void seq(const std::uint32_t& v, std::uint32_t) {
        kinds.push_back("seq");
        values.push_back(v);
    }
    void seq(const SeqNum& v, std::uint32_t) {
        kinds.push_back("seq");
        values.push_back(v.raw());
    }
    void frame(const FrameIndex& f, FrameIndex) {
        kinds.push_back("frame");
        values.push_back(f);
    }
    void near(const SeqNum& v, std::uint32_t) {
        kinds.push_back("near");
        values.push_back(v.raw());
    }
    template <typename T>
    void near(const T& v, std::uint32_t) {
        kinds.push_back("near");
        values.push_back(v);
    }
    void recent(const FrameIndex& f, FrameIndex) {
        kinds.push_back("recent");
        values.push_back(f);
    }
    template <typename T>
    void maybe_as(const std::optional<T>& v, const std::optional<T>&) {
        kinds.push_back("maybe_as");
        values.push_back(v ? static_cast<std::uint64_t>(*v) + 1 : 0);
    }
    void time(const Timestamp& t, Timestamp) {
        kinds.push_back("time");
        values.push_back(static_cast<std::uint64_t>(t.count()));
    }
    void time(const analysis::TimeOrUnset<Timestamp>& t, Timestamp) {
        kinds.push_back("time");
        values.push_back(static_cast<std::uint64_t>(t ? t->count() : Timestamp::min().count()));
    }
    void span(const Duration& d) { time(d, Duration{}); }
    void span(const analysis::TimeOrUnset<Duration>& d) { time(d, Duration{}); }
    template <typename T>
    void pointer(const std::unique_ptr<T>& p) {
        kinds.push_back("pointer");
        values.push_back(reinterpret_cast<std::uintptr_t>(p.get()));
    }
    void bytes(const void* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            kinds.push_back("bytes");
            values.push_back(static_cast<const std::uint8_t*>(p)[i]);
        }
    }

    std::vector<const char*> kinds;
    std::vector<std::uint64_t> values;
};

std::vector<std::uint64_t> fields_of(const Connection& c) {
    Collector collector;
    LingeringFields::visit(collector, c);
    return collector.values;
}

// Encodes `in`, decodes it into another storage (filled with garbage first), and says whether
// every field came back, and the key; the made-up pointers are never freed.
bool round_trips(const LingeringCodec& codec, Storage& in) {
    auto bytes = codec.encode(in.record());
    Storage out;
    std::memset(out.bytes, 0xa5, sizeof(out.bytes));
    const Connection& back = codec.decode(bytes.get(), in.record().key, out.bytes);
    return fields_of(back) == fields_of(in.record()) && back.key == in.record().key;
}

}  // namespace

TEST(LingeringRecord, EveryFieldComesBackWhateverItHolds) {
    const Options options;
    const LingeringCodec codec(options);
    for (std::uint64_t seed = 0; seed < 2000; ++seed) {
        Storage s;
        Filler filler(seed);
        filled(s, test::key_of(static_cast<int>(seed % 50)), filler, options);
        ASSERT_TRUE(round_trips(codec, s)) << "seed " << seed;
    }
}

TEST(LingeringRecord, TheFilledRecordDiffersFromAFreshOneInEveryField) {
    // So a decoding that left a field as the fresh record has it fails the round trips above.
    const Options options;
    const LingeringCodec codec(options);
    Storage fresh;
    new (fresh.bytes) Connection(1, test::key_of(1), true, true, options);
    Storage s;
    Filler filler(11, true);
    filled(s, test::key_of(1), filler, options);
    Collector fresh_fields;
    LingeringFields::visit(fresh_fields, fresh.record());
    const auto filled_fields = fields_of(s.record());
    ASSERT_EQ(fresh_fields.values.size(), filled_fields.size());
    for (std::size_t i = 0; i < filled_fields.size(); ++i)
        EXPECT_NE(fresh_fields.values[i], filled_fields[i])
            << "field " << i << " (" << fresh_fields.kinds[i] << ") kept its fresh value";
    EXPECT_TRUE(round_trips(codec, s));
}

TEST(LingeringRecord, AFreshRecordTakesLittleMoreThanItsHeader) {
    const Options options;
    const LingeringCodec codec(options);
    Storage s;
    auto* c = new (s.bytes) Connection(1, test::key_of(1), true, true, options);
    const auto bytes = codec.encode(*c);
    EXPECT_LT(codec.size(bytes.get()), 160U);
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
    Connection& back = codec.decode(bytes.get(), c->key, out.bytes);
    EXPECT_EQ(fields_of(back), fields_of(*c));
    EXPECT_EQ(back.analyzer.stats(1).rare.get(), rare);
    EXPECT_EQ(back.analyzer.stats(1).rare->retransmitted_bytes, 1234U);
    EXPECT_EQ(back.counts.table(), counts);
    EXPECT_EQ(back.id, 9U);
    EXPECT_EQ(back.last_ts - back.first_ts, std::chrono::milliseconds(40));
    std::destroy_at(&back);  // frees the blocks once
}
