#include "flow/flow_table.hpp"

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
// a long probe. Output never depends on it: the table only finds records, it orders nothing.
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

template <typename Match>
std::size_t FlowTable::probe_where(std::uint32_t tag, Match&& match) const {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
        const Entry& e = index_[i];
        if (e.slot == kNone || (e.tag == tag && match(e.slot))) return i;
    }
}

std::size_t FlowTable::probe(const FlowKey& key, std::uint32_t tag) const {
    return probe_where(tag, [&](std::uint32_t slot) { return links_[slot].key == key; });
}

std::optional<std::uint32_t> FlowTable::find(const FlowKey& key, std::uint32_t key_hash) const {
    if (size_ == 0) return std::nullopt;
    const Entry& e = index_[probe(key, key_hash)];
    if (e.slot == kNone) return std::nullopt;
    return e.slot;
}

std::uint32_t FlowTable::hash(const FlowKey& key) {
    // FlowKeyHash already folds its state's high half into the low one.
    return static_cast<std::uint32_t>(FlowKeyHash{}(key));
}

std::uint32_t FlowTable::likely_slot(std::uint32_t key_hash) const {
    if (size_ == 0) return kNone;
    const std::uint32_t slot = index_[probe_where(key_hash, [](std::uint32_t) { return true; })].slot;
    if (slot != kNone) __builtin_prefetch(&links_[slot]);
    return slot;
}

void FlowTable::place(Entry entry) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = entry.tag & mask;
    while (index_[i].slot != kNone) i = (i + 1) & mask;
    index_[i] = entry;
}

void FlowTable::grow_index() {
    std::vector<Entry> old = std::move(index_);
    index_.assign(old.empty() ? 1024 : old.size() * 2, Entry{});
    for (const Entry& e : old)
        if (e.slot != kNone) place(e);
}

std::uint32_t FlowTable::insert(const FlowKey& key, TimeoutClass cls, Timestamp now) {
    if ((size_ + 1) * 2 > index_.size()) grow_index();
    std::uint32_t slot;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(links_.size());
        links_.emplace_back();
    }
    Link& l = links_[slot];
    l.key = key;
    l.last = now;
    l.used = true;
    push_front(slot, cls);
    place(Entry{slot, hash(key)});
    ++size_;
    return slot;
}

void FlowTable::erase(std::uint32_t slot) {
    Link& l = links_[slot];
    if (!l.used) return;
    unlink(slot);
    // Backward-shift deletion: close the gap so no probe sequence is cut (no tombstones).
    const std::size_t mask = index_.size() - 1;
    std::size_t hole = probe(l.key, hash(l.key));
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
    l.used = false;
    free_.push_back(slot);
}

void FlowTable::touch(std::uint32_t slot, TimeoutClass cls, Timestamp now) {
    Link& l = links_[slot];
    if (now > l.last) l.last = now;
    if (lists_[static_cast<std::size_t>(cls)].head == slot && l.cls == cls) return;
    unlink(slot);
    push_front(slot, cls);
}

void FlowTable::unlink(std::uint32_t slot) {
    Link& l = links_[slot];
    List& list = lists_[static_cast<std::size_t>(l.cls)];
    if (l.prev != kNone) links_[l.prev].next = l.next; else list.head = l.next;
    if (l.next != kNone) links_[l.next].prev = l.prev; else list.tail = l.prev;
    l.prev = l.next = kNone;
}

void FlowTable::push_front(std::uint32_t slot, TimeoutClass cls) {
    Link& l = links_[slot];
    List& list = lists_[static_cast<std::size_t>(cls)];
    l.cls = cls;
    l.prev = kNone;
    l.next = list.head;
    if (list.head != kNone) links_[list.head].prev = slot;
    list.head = slot;
    if (list.tail == kNone) list.tail = slot;
}

}  // namespace tfx::flow
