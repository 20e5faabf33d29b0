#include "flow/key_index.hpp"

#include <cstring>
#include <random>

namespace tfx::flow {

namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// One multiply-xorshift round: every input bit reaches the high bits, where the tag is
// taken, and (after the final fold) the low bits, which pick the index position.
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

// A per-process random start: whoever writes the packets (a SYN flood from spoofed sources)
// cannot precompute addresses and ports that collide in the table and turn each lookup into
// a long probe. Output never depends on it: the index only finds slots, it orders nothing.
std::uint64_t process_seed() {
    static const std::uint64_t seed = [] {
        std::random_device rd;
        return (std::uint64_t{rd()} << 32 | rd()) | 1;
    }();
    return seed;
}

}  // namespace

std::size_t FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    // The fields that identify the flow, read as 64-bit words (IPv4 addresses keep their
    // unused 12 bytes zero). The hash only picks a position: equality of the whole key
    // decides identity.
    std::uint64_t h = process_seed();
    h = mix(h, load64(k.lo.addr.bytes.data()));
    h = mix(h, load64(k.lo.addr.bytes.data() + 8));
    h = mix(h, load64(k.hi.addr.bytes.data()));
    h = mix(h, load64(k.hi.addr.bytes.data() + 8));
    h = mix(h, std::uint64_t{k.lo.port} | std::uint64_t{k.hi.port} << 16 | std::uint64_t{k.lo.addr.version} << 32 |
                   std::uint64_t{k.hi.addr.version} << 40);
    h = mix(h, k.vlan);
    return static_cast<std::size_t>(h ^ (h >> 32));
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
