#pragma once
// Module note: flow
//   Maps a connection's canonical key (both endpoints + VLAN; never a hash value alone) to
//   a slot in a dense vector of records owned by the caller, and keeps those slots in
//   least-recently-active order per timeout class, so expiry on capture time costs O(1)
//   per packet: only the oldest record of each class is ever looked at.
//   The index is an open-addressing table (linear probing, backward-shift deletion) of
//   8-byte entries {slot, hash tag}; the key itself lives once, in the slot's record, and a
//   lookup always ends with a full-key comparison. One probe sequence is usually one cache
//   line; no allocation per connection (the arrays only grow, by doubling).
//   Non-goals: what a connection is (see model/session.cpp); port reuse decisions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::flow {

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept;
};

/// How long an idle connection is kept depends on where it is in its life.
enum class TimeoutClass : std::uint8_t { Handshake, Open, Closed };
inline constexpr int kTimeoutClasses = 3;

/// Slot bookkeeping: key -> slot, free slots, and one LRU list per timeout class.
class FlowTable {
public:
    static constexpr std::uint32_t kNone = 0xffffffffu;

    [[nodiscard]] std::optional<std::uint32_t> find(const FlowKey& key) const { return find(key, hash(key)); }
    /// The same with the key's hash() already computed.
    [[nodiscard]] std::optional<std::uint32_t> find(const FlowKey& key, std::uint32_t key_hash) const;
    /// The 32-bit hash the index files `key` under.
    [[nodiscard]] static std::uint32_t hash(const FlowKey& key);
    /// The first slot filed under `key_hash`, found without reading any key, or kNone; its
    /// bookkeeping is being loaded into cache. Probably `key`'s slot: the caller can start
    /// loading its own record at once, in parallel, instead of after find() has compared
    /// keys (with ~100k connections alive each of those loads is a cache miss).
    [[nodiscard]] std::uint32_t likely_slot(std::uint32_t key_hash) const;
    /// Starts loading the index position a key with this hash() is filed under, for a
    /// lookup a few frames from now (a hint: nothing changes).
    void prefetch_index(std::uint32_t key_hash) const {
        if (!index_.empty()) __builtin_prefetch(&index_[key_hash & (index_.size() - 1)]);
    }
    /// Adds `key` (which must be absent) and returns its slot, most recent in `cls`.
    std::uint32_t insert(const FlowKey& key, TimeoutClass cls, Timestamp now);
    void erase(std::uint32_t slot);
    /// Marks activity: the slot becomes the most recent of (possibly new) class `cls`.
    void touch(std::uint32_t slot, TimeoutClass cls, Timestamp now);

    /// Least recently active slot of a class, or kNone.
    [[nodiscard]] std::uint32_t oldest(TimeoutClass cls) const { return lists_[static_cast<std::size_t>(cls)].tail; }
    [[nodiscard]] Timestamp last_active(std::uint32_t slot) const { return links_[slot].last; }
    [[nodiscard]] const FlowKey& key(std::uint32_t slot) const { return links_[slot].key; }
    [[nodiscard]] std::size_t size() const { return size_; }
    /// Slots ever allocated (records vector size the caller needs).
    [[nodiscard]] std::size_t capacity() const { return links_.size(); }

private:
    // One cache line each (62 bytes used): a lookup's key comparison and the LRU update
    // then touch one line, not two when a record straddles a line boundary.
    struct alignas(64) Link {
        Timestamp last{};
        FlowKey key;
        std::uint32_t prev = kNone;
        std::uint32_t next = kNone;
        TimeoutClass cls = TimeoutClass::Open;
        bool used = false;
    };
    struct List {
        std::uint32_t head = kNone;  // most recent
        std::uint32_t tail = kNone;  // least recent
    };
    /// One index entry: the slot, and its key's 32-bit hash. The hash's low bits are the
    /// entry's home position, so deletion and growth move entries without reading (or
    /// hashing) a key; all 32 bits rule out most non-matching entries without touching the
    /// key (equality still decides).
    struct Entry {
        std::uint32_t slot = kNone;
        std::uint32_t tag = 0;
    };
    void unlink(std::uint32_t slot);
    void push_front(std::uint32_t slot, TimeoutClass cls);
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
    std::vector<Link> links_;
    std::vector<std::uint32_t> free_;
    std::array<List, kTimeoutClasses> lists_{};
};

}  // namespace tfx::flow
