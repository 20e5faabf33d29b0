#include "flow/flow_table.hpp"

namespace tfx::flow {

std::size_t FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    // FNV-1a over the fields that identify the flow. The hash only picks a bucket:
    // equality of the whole key decides identity.
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            h ^= p[i];
            h *= 1099511628211ull;
        }
    };
    const std::size_t addr_len = k.lo.addr.version == 6 ? 16 : 4;
    mix(k.lo.addr.bytes.data(), addr_len);
    mix(k.hi.addr.bytes.data(), addr_len);
    const std::uint8_t tail[8] = {
        static_cast<std::uint8_t>(k.lo.port >> 8), static_cast<std::uint8_t>(k.lo.port),
        static_cast<std::uint8_t>(k.hi.port >> 8), static_cast<std::uint8_t>(k.hi.port),
        static_cast<std::uint8_t>(k.vlan >> 16),   static_cast<std::uint8_t>(k.vlan >> 8),
        static_cast<std::uint8_t>(k.vlan),         k.lo.addr.version};
    mix(tail, sizeof tail);
    return static_cast<std::size_t>(h);
}

std::optional<std::uint32_t> FlowTable::find(const FlowKey& key) const {
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

std::uint32_t FlowTable::insert(const FlowKey& key, TimeoutClass cls, Timestamp now) {
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
    index_.emplace(key, slot);
    return slot;
}

void FlowTable::erase(std::uint32_t slot) {
    Link& l = links_[slot];
    if (!l.used) return;
    unlink(slot);
    index_.erase(l.key);
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
