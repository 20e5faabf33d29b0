#pragma once
// Module note: flow
//   ActivityLists keeps the slots of live connections in least-recently-active order, one
//   list per timeout class, so expiry on capture time costs O(1) per packet: only the
//   oldest slot of each class is ever looked at. Slots are whatever numbers the caller's
//   KeyIndex (or SlotAssigner) hands out; the lists grow to the largest one.
//   Non-goals: which key a slot belongs to; what a connection is (see session/connection.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::flow {

/// How long an idle connection is kept depends on where it is in its life.
enum class TimeoutClass : std::uint8_t { Handshake, Open, Closed };
inline constexpr int kTimeoutClasses = 3;

class ActivityLists {
public:
    static constexpr std::uint32_t kNone = 0xffffffffu;

    /// Whether `slot` is on a list (added and not removed since).
    [[nodiscard]] bool contains(std::uint32_t slot) const { return slot < links_.size() && links_[slot].listed; }
    /// Slots on the lists.
    [[nodiscard]] std::size_t size() const { return listed_; }
    /// Puts an unlisted `slot` on the list of `cls`, active `now`, as its most recent.
    void add(std::uint32_t slot, TimeoutClass cls, Timestamp now);
    /// Marks activity of a listed slot: it becomes the most recent of (possibly new) class
    /// `cls`; its last activity never goes back.
    void touch(std::uint32_t slot, TimeoutClass cls, Timestamp now);
    /// Takes `slot` off its list (nothing when it is on none).
    void remove(std::uint32_t slot);

    /// Least recently active slot of a class, or kNone.
    [[nodiscard]] std::uint32_t oldest(TimeoutClass cls) const { return lists_[static_cast<std::size_t>(cls)].tail; }
    [[nodiscard]] Timestamp last_active(std::uint32_t slot) const { return links_[slot].last; }
    /// Starts loading the bookkeeping of `slot`, for a touch() a few frames from now.
    void prefetch(std::uint32_t slot) const {
        if (slot < links_.size()) __builtin_prefetch(&links_[slot]);
    }

private:
    // 24 bytes: the lists of ~100k connections stay small enough to cache well.
    struct Link {
        Timestamp last{};
        std::uint32_t prev = kNone;
        std::uint32_t next = kNone;
        TimeoutClass cls = TimeoutClass::Open;
        bool listed = false;
    };
    struct List {
        std::uint32_t head = kNone;  // most recent
        std::uint32_t tail = kNone;  // least recent
    };
    void unlink(std::uint32_t slot);
    void push_front(std::uint32_t slot, TimeoutClass cls);

    std::vector<Link> links_;
    std::array<List, kTimeoutClasses> lists_{};
    std::size_t listed_ = 0;
};

}  // namespace tfx::flow
