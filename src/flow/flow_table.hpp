#pragma once
// Module note: flow
//   FlowTable: a KeyIndex (key -> slot) and ActivityLists (least-recently-active order per
//   timeout class) kept together, for a single thread that both finds keys and expires
//   them: insert() files a key and lists its slot, erase() does both undos.
//   The session's live connections use the two parts apart (the slots are handed out where
//   frames are decoded, see flow/slot_assigner.hpp); its memory of finished connections
//   uses this.
//   Non-goals: what a connection is (see session/connection.hpp); port reuse decisions.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "flow/activity_lists.hpp"
#include "flow/key_index.hpp"

namespace tfx::flow {

class FlowTable {
public:
    static constexpr std::uint32_t kNone = KeyIndex::kNone;

    [[nodiscard]] std::optional<std::uint32_t> find(const FlowKey& key) const { return keys_.find(key); }
    /// Adds `key` (which must be absent) and returns its slot, most recent in `cls`.
    std::uint32_t insert(const FlowKey& key, TimeoutClass cls, Timestamp now) {
        const std::uint32_t slot = keys_.insert(key, KeyIndex::hash(key));
        activity_.add(slot, cls, now);
        return slot;
    }
    void erase(std::uint32_t slot) {
        activity_.remove(slot);
        keys_.erase(slot);
    }
    /// Takes `slot` off its activity list, its key still filed (erase() ends both).
    void unlist(std::uint32_t slot) { activity_.remove(slot); }
    /// Marks activity: the slot becomes the most recent of (possibly new) class `cls`.
    void touch(std::uint32_t slot, TimeoutClass cls, Timestamp now) { activity_.touch(slot, cls, now); }

    /// Least recently active slot of a class, or kNone.
    [[nodiscard]] std::uint32_t oldest(TimeoutClass cls) const { return activity_.oldest(cls); }
    [[nodiscard]] Timestamp last_active(std::uint32_t slot) const { return activity_.last_active(slot); }
    [[nodiscard]] const FlowKey& key(std::uint32_t slot) const { return keys_.key(slot); }
    [[nodiscard]] std::size_t size() const { return keys_.size(); }

private:
    KeyIndex keys_;
    ActivityLists activity_;
};

}  // namespace tfx::flow
