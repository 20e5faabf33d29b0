#include "flow/key_index.hpp"

#include <bit>
#include <cstring>
#include <random>

namespace tfx::flow {

namespace {

// A per-process random 128-bit key: whoever writes the packets (a SYN flood from spoofed
// sources) cannot choose addresses and ports that collide in the table and turn each lookup
// into a long probe, because SipHash is a pseudorandom function of the key: without it, no
// set of flow keys is more likely to collide than random ones. Output never depends on it:
// the index only finds slots, it orders nothing.
std::uint64_t load_le64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}
std::uint32_t load_le32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
    return v;
}

struct SeedKey {
    std::uint64_t k0;
    std::uint64_t k1;
};
const SeedKey& process_key() {
    static const SeedKey key = [] {
        std::random_device rd;
        const auto word = [&rd] { return std::uint64_t{rd()} << 32 | rd(); };
        const std::uint64_t k0 = word();
        return SeedKey{k0, word()};
    }();
    return key;
}

}  // namespace

std::size_t FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    // The fields that identify the flow, as 64-bit words: an IPv4 key is 2 words (both
    // addresses; ports and VLAN), an IPv6 key 5 (the four address words first). The hash
    // only picks a position: equality of the whole key decides identity.
    const SeedKey& key = process_key();
    SipHash<1, 3> h(key.k0, key.k1);
    const std::uint64_t ports_vlan =
        std::uint64_t{k.lo.port} | std::uint64_t{k.hi.port} << 16 | std::uint64_t{k.vlan} << 32;
    std::size_t words = 2;
    if (k.lo.addr.version == 4 && k.hi.addr.version == 4) {
        h.absorb(load_le32(k.lo.addr.bytes.data()) | std::uint64_t{load_le32(k.hi.addr.bytes.data())} << 32);
    } else {
        h.absorb(load_le64(k.lo.addr.bytes.data()));
        h.absorb(load_le64(k.lo.addr.bytes.data() + 8));
        h.absorb(load_le64(k.hi.addr.bytes.data()));
        h.absorb(load_le64(k.hi.addr.bytes.data() + 8));
        words = 5;
    }
    h.absorb(ports_vlan);
    const std::uint64_t v = h.finish(0, words * 8);
    return static_cast<std::size_t>(v ^ (v >> 32));
}

std::uint32_t KeyIndex::hash(const FlowKey& key) {
    // FlowKeyHash already folds its state's high half into the low one.
    return static_cast<std::uint32_t>(FlowKeyHash{}(key));
}

template <typename Match>
std::size_t KeyIndex::probe_where(std::uint32_t tag, Match&& match) const {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
        const Entry& e = index_[i];
        if (e.slot == kNone || (e.tag == tag && match(e.slot))) return i;
    }
}

std::size_t KeyIndex::probe(const FlowKey& key, std::uint32_t tag) const {
    return probe_where(tag, [&](std::uint32_t slot) { return keys_[slot] == key; });
}

std::optional<std::uint32_t> KeyIndex::find(const FlowKey& key, std::uint32_t key_hash) const {
    if (size_ == 0) return std::nullopt;
    const Entry& e = index_[probe(key, key_hash)];
    if (e.slot == kNone) return std::nullopt;
    return e.slot;
}

std::uint32_t KeyIndex::likely_slot(std::uint32_t key_hash) const {
    if (size_ == 0) return kNone;
    const std::uint32_t slot = index_[probe_where(key_hash, [](std::uint32_t) { return true; })].slot;
    if (slot != kNone) __builtin_prefetch(&keys_[slot]);
    return slot;
}

void KeyIndex::place(Entry entry) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = entry.tag & mask;
    while (index_[i].slot != kNone) i = (i + 1) & mask;
    index_[i] = entry;
}

void KeyIndex::grow_index() {
    std::vector<Entry> old = std::move(index_);
    index_.assign(old.empty() ? 1024 : old.size() * 2, Entry{});
    for (const Entry& e : old)
        if (e.slot != kNone) place(e);
}

std::uint32_t KeyIndex::insert(const FlowKey& key, std::uint32_t key_hash) {
    if ((size_ + 1) * 2 > index_.size()) grow_index();
    std::uint32_t slot;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
        keys_[slot] = key;
    } else {
        slot = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        used_.push_back(false);
    }
    used_[slot] = true;
    place(Entry{slot, key_hash});
    ++size_;
    return slot;
}

void KeyIndex::erase(std::uint32_t slot) {
    if (!holds(slot)) return;
    // Backward-shift deletion: close the gap so no probe sequence is cut (no tombstones).
    const std::size_t mask = index_.size() - 1;
    std::size_t hole = probe(keys_[slot], hash(keys_[slot]));
    for (std::size_t i = (hole + 1) & mask; index_[i].slot != kNone; i = (i + 1) & mask) {
        const std::size_t home = index_[i].tag & mask;
        // Move entry i into the hole unless its home lies cyclically in (hole, i].
        const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (stays) continue;
        index_[hole] = index_[i];
        hole = i;
    }
    index_[hole] = Entry{};
    --size_;
    used_[slot] = false;
    free_.push_back(slot);
}

}  // namespace tfx::flow
