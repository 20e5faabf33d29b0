#include "session/connection_table.hpp"

#include <algorithm>
#include <memory>

namespace tfx::session {

using flow::TimeoutClass;

namespace {
constexpr auto kLru = TimeoutClass::Closed;  // the one class of the finished and dormant tables: their age
}  // namespace

ConnectionTable::~ConnectionTable() {
    // A compact form owns what its record owned out of line: give it back by destroying
    // the record.
    if (scratch_held_) std::destroy_at(std::launder(reinterpret_cast<Connection*>(scratch_)));
    for (std::uint32_t entry = 0; entry < lingering_.size(); ++entry) {
        if (!lingering_[entry].bytes) continue;
        std::destroy_at(&codec_.decode(lingering_[entry].bytes.get(), lingering_table_.key(entry), scratch_));
    }
}

Connection& ConnectionTable::open(std::uint32_t slot, ConversationId id, const FlowKey& key, bool client_is_lo,
                                  bool opened_with_syn, Timestamp now) {
    activity_.add(slot, TimeoutClass::Handshake, now);
    note_activity(TimeoutClass::Handshake, now);
    auto& c = records_.emplace(slot, id, key, client_is_lo, opened_with_syn, options_);
    if (vlan_seen_) index_tuple(slot);
    return c;
}

void ConnectionTable::drop(std::uint32_t slot, bool remember, Timestamp now) {
    const auto& c = records_[slot];
    if (remember) remember_finished(c, now);
    if (c.tuple_entry != flow::KeyIndex::kNone) by_tuple_.erase(c.tuple_entry);
    records_.erase(slot);
    activity_.remove(slot);
}

std::vector<ConnectionTable::IdAt> ConnectionTable::alive_by_id() const {
    // The ids are read in one pass in slot order (memory order): a sort comparing records
    // would fetch two random records per comparison, ~1.7 million cache misses for 98k alive.
    std::vector<IdAt> alive;
    for (std::uint32_t slot = 0; slot < records_.capacity(); ++slot)
        if (const Connection* c = records_.find(slot)) alive.emplace_back(c->id, slot);
    for (std::uint32_t entry = 0; entry < lingering_.size(); ++entry)
        if (lingering_[entry].id != 0) alive.emplace_back(lingering_[entry].id, entry | kLingering);
    std::sort(alive.begin(), alive.end());
    return alive;
}

const std::vector<ConnectionTable::Expired>& ConnectionTable::expire(Timestamp now) {
    expired_.clear();
    quiet_until_ = Timestamp::max();
    for (int c = 0; c < flow::kTimeoutClasses; ++c) {
        const auto cls = static_cast<TimeoutClass>(c);
        const Duration limit = timeout_of(cls);
        for (;;) {
            const auto slot = activity_.oldest(cls);
            if (slot == flow::ActivityLists::kNone) break;
            if (const Timestamp due = deadline(activity_.last_active(slot), limit); now <= due) {
                quiet_until_ = std::min(quiet_until_, due);
                break;
            }
            activity_.remove(slot);
            expired_.push_back(Expired{slot, cls});
        }
    }
    expired_lingering_.clear();
    for (;;) {
        const auto entry = lingering_table_.oldest(kLru);
        if (entry == flow::FlowTable::kNone) break;
        if (const Timestamp due = deadline(lingering_table_.last_active(entry), options_.closed_linger); now <= due) {
            quiet_until_ = std::min(quiet_until_, due);
            break;
        }
        lingering_table_.unlist(entry);
        expired_lingering_.push_back(entry);
    }
    return expired_;
}

std::uint32_t ConnectionTable::eviction_victim() const {
    std::uint32_t victim = kNone;
    if (size() < options_.max_connections) return victim;
    for (int c = 0; c < flow::kTimeoutClasses; ++c) {
        const auto cand = activity_.oldest(static_cast<TimeoutClass>(c));
        if (cand != flow::ActivityLists::kNone &&
            (victim == kNone || activity_.last_active(cand) < activity_.last_active(victim)))
            victim = cand;
    }
    // The lingering connections are the Closed class, after the live one's (empty between
    // segments: a closed connection lingers as soon as its segment is done).
    if (const auto cand = lingering_table_.oldest(kLru);
        cand != flow::FlowTable::kNone &&
        (victim == kNone || lingering_table_.last_active(cand) < activity_.last_active(victim)))
        victim = cand | kLingering;
    return victim;
}

void ConnectionTable::remember_finished(const Connection& c, Timestamp now) {
    std::optional<std::uint32_t> slot = finished_table_.find(c.key);
    if (slot) {
        finished_table_.touch(*slot, kLru, now);
    } else {
        if (finished_table_.size() >= kFinishedMemory) finished_table_.erase(finished_table_.oldest(kLru));
        slot = finished_table_.insert(c.key, kLru, now);
        if (finished_.size() <= *slot) finished_.resize(*slot + 1);
    }
    const auto& cl = c.fsm.endpoint(Role::Client);
    finished_[*slot] = Finished{c.last_frame, cl.sent_syn ? cl.syn_seq.raw() : 0, ended_by_rst_or_fin(c)};
}

std::optional<FrameIndex> ConnectionTable::reused_after(const FlowKey& key, std::uint32_t isn) const {
    const auto done = finished_table_.find(key);
    if (!done) return std::nullopt;
    const Finished& f = finished_[*done];
    if (f.client_isn != isn || f.ended_by_rst_or_fin) return f.last_frame;
    return std::nullopt;
}

// A segment continues a dormant connection when its numbers are where the connection left
// off: its seq within kResumeSpan of its side's next sequence number (a keep-alive is at
// next - 1), its ack (if any) within kResumeSpan of the peer's. A SYN starts a new sequence
// space, so never continues one.
bool ConnectionTable::fits(const Dormant& m, const decode::DecodedFrame& d, const Endpoint& src) {
    if (d.flags & tcpflag::kSyn) return false;
    const std::size_t si = src == m.summary.client ? 0 : 1;
    const auto& own = m.analysis.sides[si];
    const auto& peer = m.analysis.sides[1 - si];
    auto near = [](std::uint32_t value, SeqNum expected) {
        return value - expected.raw() + kResumeSpan <= 2 * kResumeSpan;
    };
    bool tested = false;
    if (own.has_nextseq) {
        if (!near(d.seq, own.nextseq)) return false;
        tested = true;
    }
    if ((d.flags & tcpflag::kAck) && peer.has_nextseq) {
        if (!near(d.ack, peer.nextseq)) return false;
        tested = true;
    }
    return tested;
}

std::optional<ConversationSummary> ConnectionTable::put_to_sleep(std::uint32_t slot, ConversationSummary summary,
                                                                 Timestamp now) {
    Connection& c = records_[slot];
    std::optional<ConversationSummary> forgotten;
    if (dormant_table_.size() >= kDormantMemory) forgotten = forget_dormant(dormant_table_.oldest(kLru));
    const std::uint32_t entry = dormant_table_.insert(c.key, kLru, now);
    if (dormant_.size() <= entry) dormant_.resize(std::size_t{entry} + 1);
    dormant_[entry] = Dormant{.id = c.id,
                              .client_is_lo = c.client_is_lo,
                              .progress = c,
                              .fsm = c.fsm,
                              .analysis = c.analyzer.dormant(),
                              .content = std::move(c.content),
                              .summary = std::move(summary)};
    drop(slot, true, now);
    return forgotten;
}

ConversationSummary ConnectionTable::forget_dormant(std::uint32_t entry) {
    ConversationSummary summary = std::move(dormant_[entry].summary);
    dormant_[entry] = Dormant{};  // frees its strings; id 0 marks the entry empty
    dormant_table_.erase(entry);
    return summary;
}

Connection& ConnectionTable::wake(std::uint32_t entry, std::uint32_t slot, Timestamp now) {
    Dormant& m = dormant_[entry];
    activity_.add(slot, TimeoutClass::Open, now);
    note_activity(TimeoutClass::Open, now);
    auto& c = records_.emplace(slot, m.id, m.summary.key, m.client_is_lo, false, options_);
    static_cast<ConnectionProgress&>(c) = m.progress;
    c.fsm = m.fsm;
    c.counts.assign(m.summary.counts);
    c.analyzer.resume(m.analysis);
    c.content = std::move(m.content);
    for (int d = 0; d < 2; ++d) c.analyzer.stats(d).assign(m.summary.dir[static_cast<std::size_t>(d)]);
    if (vlan_seen_) index_tuple(slot);
    m = Dormant{};
    dormant_table_.erase(entry);
    return c;
}

std::vector<ConnectionTable::IdAt> ConnectionTable::dormant_by_id() const {
    std::vector<IdAt> asleep;
    for (std::uint32_t entry = 0; entry < dormant_.size(); ++entry)
        if (dormant_[entry].id != 0) asleep.emplace_back(dormant_[entry].id, entry);
    std::sort(asleep.begin(), asleep.end());
    return asleep;
}

void ConnectionTable::linger(std::uint32_t slot, Timestamp now) {
    const Connection& c = records_[slot];
    const std::uint32_t entry = lingering_table_.insert(c.key, kLru, now);
    if (lingering_.size() <= entry) lingering_.resize(std::size_t{entry} + 1);
    lingering_[entry] = Lingering{codec_.encode(c), c.id};
    if (c.tuple_entry != flow::KeyIndex::kNone) by_tuple_record_[c.tuple_entry] = entry | kLingering;
    records_.forget(slot);  // what it owns belongs to the compact form now
    activity_.remove(slot);
    note_activity(TimeoutClass::Closed, now);
}

Connection& ConnectionTable::wake_lingering(std::uint32_t entry, std::uint32_t slot) {
    const Timestamp last = lingering_table_.last_active(entry);
    Connection& c = codec_.decode(lingering_[entry].bytes.get(), lingering_table_.key(entry), records_.claim(slot));
    lingering_[entry] = Lingering{};
    lingering_table_.erase(entry);
    activity_.add(slot, TimeoutClass::Closed, last);
    note_activity(TimeoutClass::Closed, last);
    if (c.tuple_entry != flow::KeyIndex::kNone) by_tuple_record_[c.tuple_entry] = slot;
    return c;
}

Connection& ConnectionTable::decode_lingering(std::uint32_t entry) {
    scratch_held_ = true;
    return codec_.decode(lingering_[entry].bytes.get(), lingering_table_.key(entry), scratch_);
}

const Connection& ConnectionTable::take_lingering(std::uint32_t entry) { return decode_lingering(entry); }

void ConnectionTable::drop_lingering(std::uint32_t entry, bool remember, Timestamp now) {
    Connection& c = *std::launder(reinterpret_cast<Connection*>(scratch_));
    if (remember) remember_finished(c, now);
    if (c.tuple_entry != flow::KeyIndex::kNone) by_tuple_.erase(c.tuple_entry);
    std::destroy_at(&c);
    scratch_held_ = false;
    lingering_[entry] = Lingering{};
    lingering_table_.erase(entry);
}

std::size_t ConnectionTable::lingering_bytes() const {
    std::size_t total = 0;
    for (const auto& l : lingering_)
        if (l.bytes) total += codec_.size(l.bytes.get());
    return total;
}

void ConnectionTable::start_tuple_index() {
    vlan_seen_ = true;
    for (std::uint32_t slot = 0; slot < records_.capacity(); ++slot)
        if (records_.find(slot)) index_tuple(slot);
    for (std::uint32_t entry = 0; entry < lingering_.size(); ++entry) {
        if (!lingering_[entry].bytes) continue;
        Connection& c = decode_lingering(entry);
        c.tuple_entry = index_tuple(c, entry | kLingering);
        lingering_[entry].bytes = codec_.encode(c);
        forget_scratch();  // the new compact form owns what the record owns
    }
}

void ConnectionTable::index_tuple(std::uint32_t slot) {
    Connection& c = records_[slot];
    c.tuple_entry = index_tuple(c, slot);
}

std::uint32_t ConnectionTable::index_tuple(const Connection& c, std::uint32_t at) {
    FlowKey tuple = c.key;
    tuple.vlan = 0;
    const std::uint32_t hash = flow::KeyIndex::hash(tuple);
    // Another VLAN's connection on the same 4-tuple holds the entry: addresses reused
    // across VLANs, each its own connection; only that one can be paired.
    if (by_tuple_.find(tuple, hash)) return flow::KeyIndex::kNone;
    const std::uint32_t entry = by_tuple_.insert(tuple, hash);
    if (by_tuple_record_.size() <= entry) by_tuple_record_.resize(std::size_t{entry} + 1);
    by_tuple_record_[entry] = at;
    return entry;
}

// A SPAN port that tags one direction only (or tags the two differently) splits one
// connection in two keys. The first frame of the other half is accepted only from the side
// the connection has not seen yet, and only when its ACK acknowledges exactly what the seen
// side sent (the SYN-ACK's ack is the SYN's ISN + 1; later, at most the highest byte + FIN);
// from then on that side's tagging is the connection's. Pure SYNs never come here: a SYN on
// another VLAN is another network's connection.
//
// A connection of the key's own tagging found here lives in the slot of its other tagging's
// key: a late segment of that tagging woke it from lingering there.
std::optional<std::uint32_t> ConnectionTable::vlan_partner(const FlowKey& key, const decode::DecodedFrame& d,
                                                           bool pure_syn, bool& paired_now, const Endpoint& src,
                                                           std::uint32_t free_slot) {
    FlowKey tuple = key;
    tuple.vlan = 0;
    const auto entry = by_tuple_.find(tuple);
    if (!entry) return std::nullopt;
    const std::uint32_t at = by_tuple_record_[*entry];
    const bool lingering = (at & kLingering) != 0;
    const Connection& c = lingering ? decode_lingering(at & ~kLingering) : records_[at];
    bool pairs = false;
    bool belongs = c.key.vlan == key.vlan;
    if (!belongs && !pure_syn) {
        if (c.vlan_paired)
            belongs = c.other_vlan == key.vlan;
        else
            belongs = pairs = pairs_now(c, d, src);
    }
    if (lingering) forget_scratch();  // only looked at: the compact form keeps it
    if (!belongs) return std::nullopt;
    const std::uint32_t slot = lingering ? free_slot : at;
    Connection& live = lingering ? wake_lingering(at & ~kLingering, free_slot) : records_[at];
    if (pairs) {
        live.vlan_paired = true;
        live.other_vlan = key.vlan;
        paired_now = true;
    }
    return slot;
}

bool ConnectionTable::pairs_now(const Connection& c, const decode::DecodedFrame& d, const Endpoint& src) {
    const Role sender = src == c.client() ? Role::Client : Role::Server;
    const Role receiver = peer_of(sender);
    if (c.analyzer.stats(index_of(sender)).packets != 0 || !(d.flags & tcpflag::kAck) ||
        !c.numbering.has_base(receiver))
        return false;
    const std::uint32_t rel_ack = d.ack - c.numbering.base(receiver);
    return rel_ack >= 1 && rel_ack <= std::max<std::uint64_t>(c.numbering.highest_end(receiver), 1) + 1;
}

}  // namespace tfx::session
