#pragma once
// Module note: flow
//   KeyIndex maps a connection's canonical key (both endpoints + VLAN; never a hash value
//   alone) to a slot: a small dense number the caller indexes its own arrays with. Slots
//   freed by erase() are handed out again, so the arrays grow to the most keys held at
//   once, never with the number of keys ever seen.
//   The index is an open-addressing table (linear probing, backward-shift deletion) of
//   8-byte entries {slot, hash tag}; the key itself lives once, in keys_, and a lookup
//   always ends with a full-key comparison. One probe sequence is usually one cache line;
//   no allocation per key (the arrays only grow, by doubling).

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::flow {

/// SipHash-c-d (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): the state
/// under a 128-bit key (k0, k1) = the key's bytes 0-7 and 8-15 read little-endian; absorb()
/// takes each 8-byte message word (read little-endian), finish() the remaining 0-7 bytes
/// and the message length. The flow index uses SipHash-1-3 (c = 1 compression round per
/// word, d = 3 finalization rounds), as Python and Rust do for their hash tables.
template <int C, int D>
class SipHash {
public:
    SipHash(std::uint64_t k0, std::uint64_t k1)
        : v0_(k0 ^ 0x736f6d6570736575ull),  // "somepseudorandomlygeneratedbytes"
          v1_(k1 ^ 0x646f72616e646f6dull),
          v2_(k0 ^ 0x6c7967656e657261ull),
          v3_(k1 ^ 0x7465646279746573ull) {}

    void absorb(std::uint64_t m) {
        v3_ ^= m;
        for (int i = 0; i < C; ++i) round();
        v0_ ^= m;
    }
    /// `tail`: the last (length % 8) bytes, little-endian; `length`: the message's bytes.
    [[nodiscard]] std::uint64_t finish(std::uint64_t tail, std::size_t length) {
        absorb(tail | static_cast<std::uint64_t>(length & 0xffU) << 56);
        v2_ ^= 0xff;
        for (int i = 0; i < D; ++i) round();
        return v0_ ^ v1_ ^ v2_ ^ v3_;
    }

private:
    void round() {
        v0_ += v1_;
        v1_ = std::rotl(v1_, 13);
        v1_ ^= v0_;
        v0_ = std::rotl(v0_, 32);
        v2_ += v3_;
        v3_ = std::rotl(v3_, 16);
        v3_ ^= v2_;
        v0_ += v3_;
        v3_ = std::rotl(v3_, 21);
        v3_ ^= v0_;
        v2_ += v1_;
        v1_ = std::rotl(v1_, 17);
        v1_ ^= v2_;
        v2_ = std::rotl(v2_, 32);
    }
    std::uint64_t v0_, v1_, v2_, v3_;
};

/// SipHash-c-d of a byte string.
template <int C, int D>
[[nodiscard]] std::uint64_t siphash(std::uint64_t k0, std::uint64_t k1, std::span<const std::uint8_t> message) {
    SipHash<C, D> h(k0, k1);
    const std::size_t n = message.size();
    std::size_t at = 0;
    for (; at + 8 <= n; at += 8) {
        std::uint64_t m = 0;
        std::memcpy(&m, message.data() + at, 8);
        if constexpr (std::endian::native == std::endian::big) m = __builtin_bswap64(m);
        h.absorb(m);
    }
    std::uint64_t tail = 0;
    for (std::size_t i = 0; at + i < n; ++i) tail |= static_cast<std::uint64_t>(message[at + i]) << (8 * i);
    return h.finish(tail, n);
}

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept;
};

class KeyIndex {
public:
    static constexpr std::uint32_t kNone = 0xffffffffu;

    /// The 32-bit hash the index files `key` under.
    [[nodiscard]] static std::uint32_t hash(const FlowKey& key);

    [[nodiscard]] std::optional<std::uint32_t> find(const FlowKey& key) const { return find(key, hash(key)); }
    /// The same with the key's hash() already computed.
    [[nodiscard]] std::optional<std::uint32_t> find(const FlowKey& key, std::uint32_t key_hash) const;
    /// The first slot filed under `key_hash`, found without reading any key, or kNone; its
    /// key is being loaded into cache. Probably `key`'s slot: the caller can start loading
    /// its own record at once, in parallel, instead of after find() has compared keys.
    [[nodiscard]] std::uint32_t likely_slot(std::uint32_t key_hash) const;
    /// Starts loading the index position a key with this hash() is filed under, for a
    /// lookup a few frames from now (a hint: nothing changes).
    void prefetch(std::uint32_t key_hash) const {
        if (!index_.empty()) __builtin_prefetch(&index_[key_hash & (index_.size() - 1)]);
    }
    /// Adds `key` (which must be absent; `key_hash` is its hash()) and returns its slot.
    std::uint32_t insert(const FlowKey& key, std::uint32_t key_hash);
    /// Forgets the key of `slot` (nothing when the slot holds none); the slot is free again.
    void erase(std::uint32_t slot);

    [[nodiscard]] bool holds(std::uint32_t slot) const { return slot < used_.size() && used_[slot]; }
    [[nodiscard]] const FlowKey& key(std::uint32_t slot) const { return keys_[slot]; }
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    /// One index entry: the slot, and its key's 32-bit hash. The hash's low bits are the
    /// entry's home position, so deletion and growth move entries without reading (or
    /// hashing) a key; all 32 bits rule out most non-matching entries without touching the
    /// key (equality still decides).
    struct Entry {
        std::uint32_t slot = kNone;
        std::uint32_t tag = 0;
    };
    /// The linear probe from `tag`'s home: the position of the first entry filed under
    /// `tag` whose slot `match` accepts, or of the empty entry that ends the run.
    template <typename Match>
    [[nodiscard]] std::size_t probe_where(std::uint32_t tag, Match&& match) const;
    /// Index position of `key`, or of the empty entry where it would go.
    [[nodiscard]] std::size_t probe(const FlowKey& key, std::uint32_t tag) const;
    void place(Entry entry);
    void grow_index();

    std::vector<Entry> index_;  // power-of-two size, at most half full
    std::size_t size_ = 0;
    std::vector<FlowKey> keys_;  // by slot
    std::vector<bool> used_;     // by slot
    std::vector<std::uint32_t> free_;
};

}  // namespace tfx::flow
