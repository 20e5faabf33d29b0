#pragma once
// What the session loads ahead, and when. With ~100k connections alive the key, the record
// and the activity links of a segment's connection are each a cache miss (three structures
// far apart in memory): each load is asked for as soon as the slot is known, so the misses
// overlap one another and the work done before the first use, instead of following one
// another as each comparison decides. Output never depends on any of this.

#include <cstddef>
#include <cstdint>

#include "flow/slot_assigner.hpp"
#include "session/connection.hpp"
#include "session/connection_table.hpp"

namespace tfx::session {

/// The parts of a record every segment reads or writes (roles and bases, per-direction
/// statistics, the state machines): for a record needed at once.
inline void prefetch_connection(const Connection& c) {
    __builtin_prefetch(&c.id);
    __builtin_prefetch(&c.fsm);
    __builtin_prefetch(&c.numbering);
    c.analyzer.prefetch();
}

/// Every cache line of a record, for a record needed a little later (there is time for all).
inline void prefetch_whole(const Connection* c) {
    const auto* bytes = reinterpret_cast<const char*>(c);
    for (std::size_t offset = 0; offset < sizeof(Connection); offset += 64) __builtin_prefetch(bytes + offset);
}

/// All a segment of `slot` reads: the whole record (what one segment reads is spread over
/// it; measured faster than only the lines prefetch_connection() names) and its activity
/// link. By address only: the slot may hold no record.
inline void prefetch_slot(const ConnectionTable& table, std::uint32_t slot) {
    if (const Connection* c = table.records().address_if_stored(slot)) prefetch_whole(c);
    table.activity().prefetch(slot);
}

/// Before a key's slot is looked up: the slot filed first under its `hash` is almost always
/// the key's, so its record and activity link load while the key comparison runs.
inline void prefetch_likely_slot(const ConnectionTable& table, const flow::SlotAssigner& slots, std::uint32_t hash) {
    if (const auto likely = slots.likely_slot(hash); likely != flow::SlotAssigner::kNone) prefetch_slot(table, likely);
}

/// At the end of the capture, the record finalized a few steps after `slot`'s turn.
inline void prefetch_ahead(const ConnectionTable& table, std::uint32_t slot) {
    prefetch_whole(table.records().address(slot));
}

}  // namespace tfx::session
