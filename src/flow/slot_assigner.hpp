#pragma once
// Module note: flow
//   Who finds a frame's connection slot. The session keeps each live connection's record in
//   the slot its key maps to; the key -> slot lookup (a cache miss or two per frame with
//   ~100k connections alive) needs nothing the analysis knows, so it can run on the thread
//   that decodes, ahead of the analysis (run/ingest_thread.hpp), or inline (Session::feed).
//
//   The one thing the finder cannot know is when a connection ends: the analysis decides
//   that (a close, an idle timeout, an eviction) and then *releases* the slot. By then the
//   finder may have handed the same slot to frames the analysis has not reached yet, for
//   the same key: those frames will start a new connection in the slot, so it must stay
//   filed. Each frame carries a ticket (its position in the capture, counted from 1 over
//   every frame); the finder remembers the last ticket it gave each slot, and a release
//   made while the analysis works on ticket T frees the slot only if no frame from T on
//   was given it. So a key has one slot from its first frame to its last in flight, a
//   freed slot has no frame in flight, and the output cannot depend on how far ahead the
//   finder runs.

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "flow/key_index.hpp"

namespace tfx::flow {

class SlotAssigner {
public:
    static constexpr std::uint32_t kNone = KeyIndex::kNone;

    /// The slot of `key` (`key_hash` = KeyIndex::hash(key)) for the frame with `ticket`
    /// (tickets only grow): its slot, or a free one.
    std::uint32_t assign(const FlowKey& key, std::uint32_t key_hash, std::uint64_t ticket);
    /// The connection in `slot` ended while the analysis worked on the frame with `ticket`.
    void release(std::uint32_t slot, std::uint64_t ticket);
    /// Starts loading the index position assign() will read for a key with this hash, a few
    /// frames ahead.
    void prefetch_index(std::uint32_t key_hash) const { keys_.prefetch(key_hash); }
    /// The slot assign() will probably return for a key with this hash, or kNone; the key
    /// filed in it is being loaded (KeyIndex::likely_slot).
    [[nodiscard]] std::uint32_t likely_slot(std::uint32_t key_hash) const { return keys_.likely_slot(key_hash); }
    /// Keys filed: live connections, and those whose release has not arrived yet.
    [[nodiscard]] std::size_t size() const { return keys_.size(); }

private:
    KeyIndex keys_;
    std::vector<std::uint64_t> last_ticket_;  // by slot
};

/// Releases on their way from the analysis thread to the thread that assigns slots.
class SlotReleases {
public:
    void post(std::uint32_t slot, std::uint64_t ticket) {
        const std::lock_guard lock(mutex_);
        posted_.emplace_back(slot, ticket);
    }
    /// Applies every release posted so far, in the order posted.
    void deliver_to(SlotAssigner& assigner) {
        {
            const std::lock_guard lock(mutex_);
            delivering_.swap(posted_);
        }
        for (const auto& [slot, ticket] : delivering_) assigner.release(slot, ticket);
        delivering_.clear();
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> posted_;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> delivering_;  // the deliverer's only
};

}  // namespace tfx::flow
