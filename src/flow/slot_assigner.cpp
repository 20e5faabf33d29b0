#include "flow/slot_assigner.hpp"

namespace tfx::flow {

std::uint32_t SlotAssigner::assign(const FlowKey& key, std::uint32_t key_hash, std::uint64_t ticket) {
    std::uint32_t slot;
    if (const auto found = keys_.find(key, key_hash)) {
        slot = *found;
    } else {
        slot = keys_.insert(key, key_hash);
        if (slot >= last_ticket_.size()) last_ticket_.resize(std::size_t{slot} + 1);
    }
    last_ticket_[slot] = ticket;
    return slot;
}

void SlotAssigner::release(std::uint32_t slot, std::uint64_t ticket) {
    // A frame at or after `ticket` was given this slot: it starts the slot's next
    // connection, whose own end will release it again.
    if (!keys_.holds(slot) || last_ticket_[slot] >= ticket) return;
    keys_.erase(slot);
}

}  // namespace tfx::flow
