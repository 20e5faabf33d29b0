#pragma once
// The session's connections: the live records, in the slot their key maps to, with their
// activity lists for expiry and eviction; what is remembered of finished connections (port
// reuse) and of connections expired for idleness (they may resume); the closed connections
// that linger for late segments, in compact form when Options::compact_closed asks; and the
// index by 4-tuple
// that pairs the two halves of a connection split over two VLAN taggings.
//
// The table never emits anything. What must end (a connection past its timeout, the victim
// of a full table, a dormant connection pushed out) it returns, and the engine builds and
// emits the summaries, then tells the table to let the record go.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "analysis/tcp_analysis.hpp"
#include "decode/decoded_frame.hpp"
#include "flow/activity_lists.hpp"
#include "flow/flow_table.hpp"
#include "flow/key_index.hpp"
#include "flow/slot_array.hpp"
#include "session/connection.hpp"
#include "session/lingering_record.hpp"
#include "tcp/connection_fsm.hpp"
#include "tfx/session.hpp"

namespace tfx::session {

/// When a connection last active at `last` expires in a class with timeout `limit` (it
/// expires once the clock is past this). Saturates: captures may start before 1970 (negative
/// times), and a library caller may give any timeout.
[[nodiscard]] inline Timestamp deadline(Timestamp last, Duration limit) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(last.count(), limit.count(), &sum))
        return limit > Duration::zero() ? Timestamp::max() : Timestamp::min();
    return Timestamp{sum};
}

/// The timeout class the states of `c` give it. Once per segment: inlined where it is used.
[[gnu::always_inline]] inline flow::TimeoutClass timeout_class(const Connection& c) {
    const auto& cl = c.fsm.endpoint(Role::Client);
    const auto& sv = c.fsm.endpoint(Role::Server);
    auto done = [](TcpState s) { return s == TcpState::Closed || s == TcpState::TimeWait; };
    if (cl.sent_rst || sv.sent_rst || (done(cl.state) && done(sv.state))) return flow::TimeoutClass::Closed;
    // Half-open: a SYN seen, handshake not complete. A connection the capture joined
    // mid-stream never completes a handshake, yet both its sides are established: it is open.
    if (!c.fsm.handshake_done() && (cl.sent_syn || sv.sent_syn) && cl.state != TcpState::Unknown &&
        sv.state != TcpState::Unknown)
        return flow::TimeoutClass::Handshake;
    return flow::TimeoutClass::Open;
}

class ConnectionTable {
public:
    /// What a finished connection leaves for port reuse: a pure SYN on its 4-tuple opens a
    /// new connection that reuses the ports when its ISN is another, or the old one ended by
    /// RST or FIN.
    struct Finished {
        FrameIndex last_frame = 0;
        std::uint32_t client_isn = 0;
        bool ended_by_rst_or_fin = false;
    };
    static constexpr std::size_t kFinishedMemory = 65536;

    // Connections expired for idleness. Expiry bounds memory; it does not end a connection:
    // a keep-alive may follow hours of silence (Linux sends the first after 2 h). A later
    // segment on the key whose numbers fit the connection's sequence space (fits()) wakes it:
    // same number, states, bases and analysis continue (wake()). Its summary waits here, and
    // is emitted only when the connection is forgotten (pushed out by newer ones, a segment
    // that does not fit, the end of the capture), so a connection that resumes has one summary.
    struct Dormant {
        ConversationId id = 0;
        bool client_is_lo = false;
        ConnectionProgress progress;
        tcp::ConnectionFsm fsm{false};
        analysis::AnalyzerMemory analysis;
        content::ConnectionContent content;
        ConversationSummary summary;  ///< as it stood at expiry (end_reason idle_timeout)
    };
    static constexpr std::size_t kDormantMemory = 16384;
    // How far from a side's next sequence number (or, for an ACK, the peer's) a segment may
    // be and still continue a dormant connection: a window's worth, far below the 2^31 that
    // makes sequence comparison ambiguous, so a new connection's random ISN rarely fits.
    static constexpr std::uint32_t kResumeSpan = 1U << 20;

    /// A live connection past its class's timeout.
    struct Expired {
        std::uint32_t slot = 0;
        flow::TimeoutClass cls = flow::TimeoutClass::Open;
    };
    /// A connection id with where it is (a live slot, a lingering entry marked with
    /// kLingering, or a dormant entry).
    using IdAt = std::pair<ConversationId, std::uint32_t>;
    /// Marks a lingering entry where a live slot could also be named.
    static constexpr std::uint32_t kLingering = 0x80000000U;
    /// The connection a full table ends: a live slot, or a lingering entry (kLingering set).
    /// kNone when the table is not full.
    static constexpr std::uint32_t kNone = flow::ActivityLists::kNone;

    /// `options` (timeouts, max_connections, the analysis') must outlive the table.
    explicit ConnectionTable(const Options& options) : options_(options), codec_(options) {}
    ConnectionTable(const ConnectionTable&) = delete;
    ConnectionTable& operator=(const ConnectionTable&) = delete;
    ~ConnectionTable();

    // Live connections.

    [[nodiscard]] bool alive(std::uint32_t slot) const { return activity_.contains(slot); }
    /// Connections alive: live and lingering (the count --max-connections bounds).
    [[nodiscard]] std::size_t size() const { return activity_.size() + lingering_table_.size(); }
    /// The record of a live slot (not checked: the per-segment path).
    [[nodiscard]] Connection& operator[](std::uint32_t slot) const { return records_[slot]; }
    [[nodiscard]] const flow::SlotArray<Connection>& records() const { return records_; }
    [[nodiscard]] const flow::ActivityLists& activity() const { return activity_; }
    /// Files a new connection in the free `slot`, active at `now`, half-open until its states
    /// say otherwise.
    Connection& open(std::uint32_t slot, ConversationId id, const FlowKey& key, bool client_is_lo, bool opened_with_syn,
                     Timestamp now);
    /// Files the connection in `slot` under `cls`, active at `now`.
    void touch(std::uint32_t slot, flow::TimeoutClass cls, Timestamp now) {
        activity_.touch(slot, cls, now);
        note_activity(cls, now);
    }
    /// Lets the record in `slot` go, remembering what port reuse needs unless no SYN can
    /// follow (`remember` false). The slot is free again.
    void drop(std::uint32_t slot, bool remember, Timestamp now);
    /// The ids of the connections alive, live (their slot) and lingering (their entry with
    /// kLingering), by id.
    [[nodiscard]] std::vector<IdAt> alive_by_id() const;

    // Expiry and eviction.

    /// Whether no connection can be past its timeout at `now` (checked once per frame).
    [[nodiscard]] bool quiet(Timestamp now) const { return now <= quiet_until_; }
    /// The live connections past their class's timeout at `now`, oldest first in each class
    /// (Handshake, Open, Closed), taken off the activity lists: the caller ends each (drop()
    /// or put_to_sleep()), then each of expired_lingering() (take_lingering()), before
    /// anything else is filed. Valid until the next call.
    const std::vector<Expired>& expire(Timestamp now);
    /// The lingering connections past the closed linger at expire()'s `now`, oldest first:
    /// they come after the live ones of every class, as the Closed class would.
    [[nodiscard]] const std::vector<std::uint32_t>& expired_lingering() const { return expired_lingering_; }
    /// When the table is full, the least recently active connection, whatever its class (a
    /// lingering one is of the Closed class): the caller ends it before another is filed.
    /// Else kNone.
    [[nodiscard]] std::uint32_t eviction_victim() const;
    [[nodiscard]] Duration timeout_of(flow::TimeoutClass cls) const {
        switch (cls) {
            case flow::TimeoutClass::Handshake: return options_.handshake_timeout;
            case flow::TimeoutClass::Closed: return options_.closed_linger;
            case flow::TimeoutClass::Open: break;
        }
        return options_.idle_timeout;
    }

    // Finished connections.

    /// The last frame of the finished connection on `key` whose 4-tuple a pure SYN with
    /// sequence number `isn` reuses, if one is remembered and the SYN starts a new one.
    [[nodiscard]] std::optional<FrameIndex> reused_after(const FlowKey& key, std::uint32_t isn) const;

    // Dormant connections.

    [[nodiscard]] bool has_dormant() const { return dormant_table_.size() != 0; }
    /// The dormant connection on `key`, if any.
    [[nodiscard]] std::optional<std::uint32_t> dormant_on(const FlowKey& key) const { return dormant_table_.find(key); }
    /// Whether the segment `d` from `src` continues the dormant connection `entry`.
    [[nodiscard]] bool fits(std::uint32_t entry, const decode::DecodedFrame& d, const Endpoint& src) const {
        return fits(dormant_[entry], d, src);
    }
    [[nodiscard]] static bool fits(const Dormant& m, const decode::DecodedFrame& d, const Endpoint& src);
    /// Makes the live connection in `slot` dormant at `now`, with its `summary` as it stands,
    /// and frees the slot. When the dormant memory is full the oldest dormant connection is
    /// forgotten first: its summary is returned, to be emitted.
    std::optional<ConversationSummary> put_to_sleep(std::uint32_t slot, ConversationSummary summary, Timestamp now);
    /// Forgets the dormant connection `entry`; gives its summary, to be emitted.
    ConversationSummary forget_dormant(std::uint32_t entry);
    /// Makes the dormant connection `entry` live again in the free `slot`, active at `now`.
    Connection& wake(std::uint32_t entry, std::uint32_t slot, Timestamp now);
    /// The dormant connections' ids and entries, by id.
    [[nodiscard]] std::vector<IdAt> dormant_by_id() const;

    // Closed connections lingering for late segments (timeout class Closed), in compact
    // form (session/lingering_record.hpp), their slot freed. A segment on the key of one
    // makes it live again, exactly as it was; so does a segment on another VLAN tagging that
    // pairs with it (vlan_partner()). They count among the connections alive, are the
    // Closed class for expiry and eviction, and end with the summary their record gives.

    [[nodiscard]] bool has_lingering() const { return lingering_table_.size() != 0; }
    /// The lingering connection on `key`, if any.
    [[nodiscard]] std::optional<std::uint32_t> lingering_on(const FlowKey& key) const {
        return lingering_table_.find(key);
    }
    /// Puts the live connection in `slot`, closed and active at `now`, in compact form and
    /// frees the slot.
    void linger(std::uint32_t slot, Timestamp now);
    /// Makes the lingering connection `entry` live again in the free `slot`, with its last
    /// activity: it is the Closed class's most recent.
    Connection& wake_lingering(std::uint32_t entry, std::uint32_t slot);
    /// The record of the lingering connection `entry`, for its summary; drop_lingering() then
    /// ends it. Valid until then.
    [[nodiscard]] const Connection& take_lingering(std::uint32_t entry);
    /// Ends the lingering connection take_lingering() gave, remembering what port reuse needs
    /// unless no SYN can follow (`remember` false).
    void drop_lingering(std::uint32_t entry, bool remember, Timestamp now);
    /// Bytes of the compact forms (for measurements).
    [[nodiscard]] std::size_t lingering_bytes() const;

    // Live connections by 4-tuple alone (the key with VLAN 0), kept once the capture has
    // shown a VLAN tag: a SPAN port may tag one direction only, so the two halves of one
    // connection arrive under two keys (see vlan_partner()). Captures without tags never
    // fill it.

    [[nodiscard]] bool vlan_seen() const { return vlan_seen_; }
    /// Indexes every live and lingering connection by 4-tuple, and every one filed from now on.
    void start_tuple_index();
    /// The slot of the connection the segment `d` from `src` on `key` belongs to although no
    /// live record is in the key's slot, if any: one of another VLAN tagging, or one of the
    /// key's own that a segment of the other tagging woke into its slot (`paired_now`: the
    /// segment paired the two taggings). A lingering one is made live in `free_slot` (the
    /// segment's). A pure SYN (`pure_syn`) belongs only to a connection of its own key.
    [[nodiscard]] std::optional<std::uint32_t> vlan_partner(const FlowKey& key, const decode::DecodedFrame& d,
                                                            bool pure_syn, bool& paired_now, const Endpoint& src,
                                                            std::uint32_t free_slot);

private:
    // A connection was just filed (or moved) in `cls`'s activity list at `now`.
    void note_activity(flow::TimeoutClass cls, Timestamp now) {
        quiet_until_ = std::min(quiet_until_, deadline(now, timeout_of(cls)));
    }
    void remember_finished(const Connection& c, Timestamp now);
    void index_tuple(std::uint32_t slot);
    // The entry of the 4-tuple index `c` gets (kNone: another VLAN's connection holds it);
    // `at` is where `c` lives (a slot, or a lingering entry with kLingering).
    std::uint32_t index_tuple(const Connection& c, std::uint32_t at);
    // Whether the segment `d` from `src` (no pure SYN) pairs with `c`, of the same 4-tuple
    // on another VLAN tagging, for the first time.
    [[nodiscard]] static bool pairs_now(const Connection& c, const decode::DecodedFrame& d, const Endpoint& src);
    // Decodes the lingering `entry` into the scratch record, which the caller forgets (the
    // compact form keeps what it owns) or destroys (take_lingering()).
    Connection& decode_lingering(std::uint32_t entry);
    void forget_scratch() { scratch_held_ = false; }

    const Options& options_;
    flow::SlotArray<Connection> records_;
    flow::ActivityLists activity_;  // its size() is the number of connections alive
    // No connection can expire while the clock is at or before this: a lower bound of every
    // activity list's oldest deadline (last activity + its class's timeout). expire() sets
    // it, adding a connection to a list lowers it; a touch or a removal only makes the lists'
    // oldest deadlines later, so it stays a bound. Spares expire() on nearly every frame.
    Timestamp quiet_until_ = Timestamp::min();
    std::vector<Expired> expired_;  // expire()'s answer, its storage kept

    // The kFinishedMemory most recently finished, so a SYN on the same 4-tuple is recognised
    // as port reuse even after the old record was dropped. A second flow table (the same
    // index and LRU order, no allocation per entry).
    flow::FlowTable finished_table_;
    std::vector<Finished> finished_;  // indexed by finished_table_ slot

    // The kDormantMemory most recently expired.
    flow::FlowTable dormant_table_;
    std::vector<Dormant> dormant_;  // indexed by dormant_table_ slot

    // Closed connections lingering (see linger()), and the one decoded for its summary.
    LingeringCodec codec_;
    flow::FlowTable lingering_table_;
    struct Lingering {
        std::unique_ptr<std::uint8_t[]> bytes;  ///< the compact form
        ConversationId id = 0;                  ///< 0: no connection (for alive_by_id())
    };
    std::vector<Lingering> lingering_;  // indexed by lingering_table_ slot
    std::vector<std::uint32_t> expired_lingering_;
    alignas(Connection) std::byte scratch_[sizeof(Connection)];
    bool scratch_held_ = false;  // scratch_ holds a record to destroy

    bool vlan_seen_ = false;
    flow::KeyIndex by_tuple_;
    std::vector<std::uint32_t> by_tuple_record_;  // by by_tuple_ slot: the record's slot (or lingering entry)
};

}  // namespace tfx::session
