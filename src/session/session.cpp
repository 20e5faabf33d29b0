// The pipeline for one capture: decode -> flow table -> state machines -> analysis -> events.
// Everything per frame happens here, in capture order; nothing is buffered beyond the
// connections that are alive.

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/tcp_analysis.hpp"
#include "content/hint_finder.hpp"
#include "decode/decoded_frame.hpp"
#include "decode/reassembly.hpp"
#include "flow/activity_lists.hpp"
#include "flow/key_index.hpp"
#include "flow/slot_assigner.hpp"
#include "session/code_counts.hpp"
#include "session/connection.hpp"
#include "session/connection_table.hpp"
#include "session/prefetch.hpp"
#include "session/session_engine.hpp"
#include "tcp/connection_fsm.hpp"
#include "tfx/seq.hpp"
#include "tfx/session.hpp"

namespace tfx {

using detail::SessionEngine;

namespace {

using flow::TimeoutClass;
using session::Connection;

// Well-known and registered ports are usually servers; used only to guess roles when the
// capture started mid-connection.
bool looks_like_server_port(std::uint16_t port, std::uint16_t other) {
    if (port < 1024 && other >= 1024) return true;
    if (port < other && other >= 32768) return true;
    return false;
}

// The direction whose sender's statistics are at index `si` (0: the client's).
Role sender_of_direction(std::size_t si) { return si == 0 ? Role::Client : Role::Server; }

// Relative numbers (tshark's rules, so users can cross-check): sets the bases the segment of
// the sender (`si`) teaches, then the segment's relative seq and ack.
void number_segment(Connection& c, const decode::DecodedFrame& d, std::size_t si, AnnotatedSegment& seg) {
    const auto relative = c.numbering.number(sender_of_direction(si), d.flags, d.seq, d.ack);
    if (relative.isn_inferred) seg.add(Annotation{AnnotationCode::IsnInferred});
    seg.rel_seq = relative.seq;
    seg.rel_ack = relative.ack;
}

// The options a SYN of the sender (`si`) negotiates, into the connection and the sender's
// statistics `ds`.
void note_syn_options(Connection& c, const decode::DecodedFrame& d, std::size_t si, analysis::DirectionCounters& ds,
                      AnnotatedSegment& seg) {
    ++ds.syns;
    c.numbering.note_syn(sender_of_direction(si), d.options.window_scale);
    if (d.options.mss) ds.mss = d.options.mss;
    if (d.options.window_scale) ds.window_scale = d.options.window_scale;
    if (d.options.window_scale && *d.options.window_scale > 14)
        seg.add(Annotation{AnnotationCode::WindowScaleOutOfRange, 0, *d.options.window_scale, 0});
    ds.sack_permitted = ds.sack_permitted || d.options.sack_permitted;
    ds.timestamps = ds.timestamps || d.options.timestamps.has_value();
}

// The real window of the segment of the sender (`si`), or why it is unknown.
void scale_window(const Connection& c, const decode::DecodedFrame& d, std::size_t si, AnnotatedSegment& seg) {
    const auto window = c.numbering.window(sender_of_direction(si), d.flags, d.window);
    seg.window = window.value;
    seg.window_scaled = window.scaled;
    seg.window_scale_unknown = window.scale_unknown;
}

// Flag combinations no stack sends in normal operation.
void note_flag_anomalies(std::uint16_t flags, AnnotatedSegment& seg) {
    using namespace tcpflag;
    const std::uint16_t classic = flags & (kFin | kSyn | kRst | kPsh | kAck | kUrg);
    if (classic == (kFin | kSyn | kRst | kPsh | kAck | kUrg))
        seg.add(Annotation{AnnotationCode::AllFlagsSet});
    else if ((flags & 0x3f) == 0)
        seg.add(Annotation{AnnotationCode::NoFlags});
    else if ((flags & kSyn) && (flags & kFin))
        seg.add(Annotation{AnnotationCode::SynWithFin});
}

// The state machines' step for the segment of `sender` (its meaning, phase and step), and the
// highest ACK each side sent: a bare ACK that acknowledges nothing new means so.
tcp::FsmVerdict run_state_machines(Connection& c, Role sender, const decode::DecodedFrame& d, AnnotatedSegment& seg) {
    using namespace tcpflag;
    auto verdict = c.fsm.on_segment(sender, d.flags, SeqNum{d.seq}, SeqNum{d.ack}, d.payload_len, seg);
    if ((d.flags & kAck) && !c.numbering.note_ack(sender, d.ack) && verdict.meaning == SegmentMeaning::Ack)
        verdict.meaning = SegmentMeaning::AckNothingNew;
    return verdict;
}

// Handshake timing (the two legs tell where the capture point sits).
void time_handshake(Connection& c, std::uint16_t flags, const tcp::FsmVerdict& verdict, Timestamp ts) {
    using namespace tcpflag;
    if ((flags & kSyn) && !(flags & kAck)) c.last_syn_ts = ts;
    if ((flags & kSyn) && (flags & kAck) && !c.fsm.handshake_done()) c.synack_ts = ts;
    if (verdict.handshake_completed && c.last_syn_ts && c.synack_ts && !c.fsm.simultaneous_open()) {
        c.handshake_timed = true;
        c.syn_to_synack = *c.synack_ts - *c.last_syn_ts;
        c.synack_to_ack = ts - *c.synack_ts;
    }
}

// Sequence analysis of the segment of `sender`, and whether it sends data after the peer's FIN.
void analyse_segment(Connection& c, const RawFrame& frame, const decode::DecodedFrame& d, Role sender,
                     AnnotatedSegment& seg) {
    const auto si = static_cast<std::size_t>(index_of(sender));
    analysis::SegmentFacts facts;
    facts.frame = frame.index;
    facts.ts = frame.ts;
    facts.dir = static_cast<int>(si);
    facts.flags = d.flags;
    facts.seq = d.seq;
    facts.ack = d.ack;
    facts.seglen = d.payload_len;
    facts.window_raw = d.window;
    facts.ip_id = d.ip_id;
    facts.ip_version = d.ip_version;
    facts.options = &seg.options;
    facts.own_base = c.numbering.base(sender);
    facts.peer_base = c.numbering.base(peer_of(sender));
    c.analyzer.analyze(facts, seg);
    // A half-close is new data after the peer's FIN; a resend of bytes sent before is not.
    if (d.payload_len > 0 && c.fsm.endpoint(peer_of(sender)).sent_fin && !analysis::is_retransmission(seg))
        c.data_after_close = true;
}

// What the segment means, decided once the state machines and the analysis have both seen it:
// the state machines' reading, except that a segment carrying nothing new is best explained
// by what the analysis found it to be: a duplicate ACK, a window update, a keep-alive or a
// zero-window probe.
void decide_meaning(AnnotatedSegment& seg, const tcp::FsmVerdict& verdict, std::uint32_t payload_len) {
    seg.meaning = verdict.meaning;
    seg.phase = verdict.phase;
    seg.step = verdict.step;
    seg.steps = verdict.steps;
    if (seg.meaning == SegmentMeaning::Ack || seg.meaning == SegmentMeaning::AckNothingNew ||
        (seg.meaning == SegmentMeaning::Data && payload_len <= 1)) {
        static constexpr std::pair<AnnotationCode, SegmentMeaning> kRefinements[] = {
            {AnnotationCode::ZeroWindowProbe, SegmentMeaning::ZeroWindowProbe},
            {AnnotationCode::ZeroWindowProbeAck, SegmentMeaning::ZeroWindowProbeAck},
            {AnnotationCode::KeepAlive, SegmentMeaning::KeepAlive},
            {AnnotationCode::KeepAliveAck, SegmentMeaning::KeepAliveAck},
            {AnnotationCode::DuplicateAck, SegmentMeaning::DuplicateAck},
            {AnnotationCode::WindowUpdate, SegmentMeaning::WindowUpdate},
        };
        for (const auto& [code, meaning] : kRefinements) {
            if (seg.has(code)) {
                seg.meaning = meaning;
                break;
            }
        }
    }
}

// What every segment shows of its frame, TCP or not: the frame's number, times and lengths,
// the decoded header fields, and the decoder's findings. `origin` is the capture's first frame.
AnnotatedSegment frame_fields(const RawFrame& frame, const decode::DecodedFrame& d, Timestamp origin) {
    AnnotatedSegment seg;
    seg.frame = frame.index;
    seg.ts = frame.ts;
    seg.since_capture_start = frame.ts - origin;
    seg.wire_len = frame.wirelen;
    seg.captured_len = frame.caplen;
    seg.ip_version = d.ip_version;
    seg.flags = d.flags;
    seg.seq = d.seq;
    seg.ack = d.ack;
    seg.payload_len = d.payload_len;
    for (const auto& issue : d.issue_list()) seg.add(issue);
    return seg;
}

// The segment as the frame shows it, with the decoder's findings; the connection adds the rest.
AnnotatedSegment segment_of(const RawFrame& frame, const decode::DecodedFrame& d, const detail::SegmentEnds& ends,
                            Timestamp origin) {
    AnnotatedSegment seg = frame_fields(frame, d, origin);
    seg.has_tcp = true;
    seg.src = ends.src;
    seg.dst = ends.dst;
    seg.ip_id = d.ip_id;
    seg.ttl = d.ttl;
    seg.payload_captured = d.payload_captured;
    seg.payload = d.payload;
    seg.window_raw = d.window;
    seg.urgent = d.urgent;
    seg.options = d.options;
    return seg;
}
}  // namespace

struct SessionEngine::Impl {
    Impl(Options o, EventSink& s) : options(o), sink(s) {}

    Options options;
    EventSink& sink;
    CaptureSummary stats;
    decode::FrameDecoder decoder;  // decode_frame plus bounded IP fragment reassembly
    // Frames fed whole find their connection's slot in `slots`; frames fed decoded come with
    // theirs, and the slots of connections that end go back to `releases_out`.
    flow::SlotAssigner slots;
    flow::SlotReleases* releases_out = nullptr;
    // --shard: the segments of other shards' connections get no slot and are not analysed.
    std::optional<flow::Shard> shard;
    // Used when options.content_hints asks; before the table, whose records count their
    // held bytes in it until they go.
    content::HintFinder content;
    // The live connections, and what is remembered of those that ended or went to sleep.
    session::ConnectionTable table{options};
    std::uint64_t ticket = 0;  // the frame being analysed (see SlotAssigner)
    bool finishing = false;    // finish(): no frame follows, no slot is released
    ConversationId next_id = 1;
    Timestamp clock{};   // latest capture time seen (never goes back)
    Timestamp origin{};  // the capture's first frame's time: where capture-relative times start
    bool clock_started = false;

    // The capture-drop burst being gathered (see CaptureDropBurst).
    bool in_drop_burst = false;
    CaptureDropBurst drop_burst;
    std::unordered_set<ConversationId> drop_burst_connections;

    void feed(const RawFrame& frame);
    /// Everything feed() does after decoding and finding the slot (`frame` already
    /// normalized; `route` only for TCP segments; `frame_ticket` counts frames from 1).
    void process(const RawFrame& frame, const decode::DecodedFrame& d, const detail::FrameRoute& route,
                 std::uint64_t frame_ticket);
    [[nodiscard]] bool advance_clock(Timestamp ts);
    /// Ends the connections idle past their timeout (the idle open ones go to sleep).
    void expire();
    void count_other_frame(const RawFrame& frame, const decode::DecodedFrame& d);

    /// A TCP segment as the frame shows it, and the slot of the live connection it belongs to.
    struct Placed {
        AnnotatedSegment seg;
        std::uint32_t slot;
    };
    /// The segment of `frame` in its connection: the live one of its key (or of its 4-tuple
    /// on another VLAN), else a dormant one it continues, else a new one.
    // Once per segment, from process(): inlined there, as count_segment().
    [[nodiscard, gnu::always_inline]] inline Placed place_segment(const RawFrame& frame, const decode::DecodedFrame& d,
                                                                  const detail::FrameRoute& route, bool backwards);
    [[nodiscard]] std::optional<FrameIndex> end_for_port_reuse(std::uint32_t slot, const Endpoint& src,
                                                               std::uint32_t seq);
    /// The dormant connection on `key` a segment continues, if any; a dormant connection the
    /// segment does not fit is forgotten (a new connection takes the 4-tuple).
    [[nodiscard]] std::optional<std::uint32_t> resumable(const FlowKey& key, const decode::DecodedFrame& d,
                                                         const Endpoint& src);
    /// Makes the dormant connection `entry` live again in `slot`, for the segment `seg`.
    void wake(std::uint32_t entry, std::uint32_t slot, const RawFrame& frame, AnnotatedSegment& seg);
    /// Opens a connection in `slot` for the segment `seg` that found none (`reused_after`: the
    /// last frame of the connection that used its 4-tuple before, if one ended for port reuse).
    void open_connection(std::uint32_t slot, const RawFrame& frame, const decode::DecodedFrame& d,
                         const detail::SegmentEnds& ends, bool pure_syn, FrameIndex reused_after,
                         AnnotatedSegment& seg);
    /// Ends the least recently active connection when the table is full.
    void make_room();
    void give_back(std::uint32_t slot);

    // Once per segment, from process(): inlined there, so naming the step costs no call.
    [[gnu::always_inline]] inline void count_segment(Connection& c, const RawFrame& frame,
                                                     const decode::DecodedFrame& d, analysis::DirectionCounters& ds,
                                                     const AnnotatedSegment& seg);
    void note_capture_drop(const AnnotatedSegment& seg, const Annotation& drop);
    void close_drop_burst();
    void emit_malformed(const RawFrame& frame, const decode::DecodedFrame& d);
    /// Files the connection in `slot` under the timeout class its states give it now.
    void refile(Connection& c, std::uint32_t slot);

    void finalize(std::uint32_t slot, const char* reason);
    /// Ends the lingering connection `entry`, as finalize() a live one.
    void finalize_lingering(std::uint32_t entry, const char* reason);
    /// The final summary of the connection `c` (finalize() emits it).
    [[nodiscard]] ConversationSummary summarize(const Connection& c, const char* reason) const;
    [[nodiscard]] static ConversationSummary describe(const Connection& c);
    [[nodiscard]] static ConversationSummary describe_opening(const Connection& c);
    /// Lets the live record in `slot` go (remembering what port reuse needs) and frees the slot.
    void drop(std::uint32_t slot, const char* reason);
    /// Frees `slot` for the frame finder, for the frames after `from_ticket`'s turn (see
    /// flow::SlotAssigner::release).
    void release(std::uint32_t slot, std::uint64_t from_ticket);
    /// Expires the idle connection in `slot`: it becomes dormant.
    void put_to_sleep(std::uint32_t slot);
    /// Emits the summary of the dormant connection in `entry` and forgets it.
    void forget_dormant(std::uint32_t entry);
};

SessionEngine::SessionEngine(Options options, EventSink& sink) : impl_(std::make_unique<Impl>(options, sink)) {}
SessionEngine::~SessionEngine() = default;

void SessionEngine::start(const CaptureInfo& info) { impl_->sink.capture_started(info); }

void SessionEngine::feed(const RawFrame& frame) { impl_->feed(frame); }

void SessionEngine::set_kernel_stats(std::uint64_t received, std::uint64_t dropped, std::uint64_t if_dropped) {
    impl_->stats.kernel_received = received;
    impl_->stats.kernel_dropped = dropped;
    impl_->stats.interface_dropped = if_dropped;
}

void SessionEngine::finish(const std::string& truncated_message) {
    auto& m = *impl_;
    // Finalise in order of first frame, so output is deterministic and readable; dormant
    // connections never resumed among them, in the same order.
    m.finishing = true;
    const auto alive = m.table.alive_by_id();
    const auto asleep = m.table.dormant_by_id();
    auto next_asleep = asleep.begin();
    for (std::size_t i = 0; i < alive.size(); ++i) {
        for (; next_asleep != asleep.end() && next_asleep->first < alive[i].first; ++next_asleep)
            m.forget_dormant(next_asleep->second);
        if (i + 2 < alive.size() && !(alive[i + 2].second & session::ConnectionTable::kLingering))
            session::prefetch_ahead(m.table, alive[i + 2].second);
        if (alive[i].second & session::ConnectionTable::kLingering)
            m.finalize_lingering(alive[i].second & ~session::ConnectionTable::kLingering, "end_of_capture");
        else
            m.finalize(alive[i].second, "end_of_capture");
    }
    for (; next_asleep != asleep.end(); ++next_asleep) m.forget_dormant(next_asleep->second);
    m.close_drop_burst();
    if (!truncated_message.empty()) {
        m.stats.truncated = true;
        m.stats.truncation_message = truncated_message;
    }
    m.sink.capture_finished(m.stats);
}

// Session is the engine without the entry for frames decoded elsewhere.
struct Session::Impl : SessionEngine {
    using SessionEngine::SessionEngine;
};

Session::Session(Options options, EventSink& sink) : impl_(std::make_unique<Impl>(options, sink)) {}
Session::~Session() = default;
void Session::start(const CaptureInfo& info) { impl_->start(info); }
void Session::feed(const RawFrame& frame) { impl_->feed(frame); }
void Session::finish(const std::string& truncated_message) { impl_->finish(truncated_message); }
void Session::set_kernel_stats(std::uint64_t received, std::uint64_t dropped, std::uint64_t if_dropped) {
    impl_->set_kernel_stats(received, dropped, if_dropped);
}

void SessionEngine::Impl::expire() {
    if (table.quiet(clock)) return;
    for (const auto& [slot, cls] : table.expire(clock)) {
        ++stats.expired;
        if (cls == TimeoutClass::Open)
            put_to_sleep(slot);
        else
            finalize(slot, cls == TimeoutClass::Closed ? "closed" : "idle_timeout");
    }
    for (const std::uint32_t entry : table.expired_lingering()) {
        ++stats.expired;
        finalize_lingering(entry, "closed");
    }
}

// A slot the frame finder gave a frame that went to another connection's record: free it
// unless later frames were given it too (their own turn frees it then).
void SessionEngine::Impl::give_back(std::uint32_t slot) { release(slot, ticket + 1); }

// Who and when: all a summary says of a connection at its first frame. Nothing else is known
// then, so the rest keeps its start values, which are those of an empty record (no
// statistics, findings or timings yet).
ConversationSummary SessionEngine::Impl::describe_opening(const Connection& c) {
    ConversationSummary s;
    s.id = c.id;
    s.key = c.key;
    s.client = c.client();
    s.server = c.server();
    s.roles_inferred = c.roles_inferred;
    s.first_frame = c.first_frame;
    s.first_ts = c.first_ts;
    return s;
}

// The summary so far: identity, timings, statistics and findings (finalize() adds the
// verdicts).
ConversationSummary SessionEngine::Impl::describe(const Connection& c) {
    ConversationSummary s = describe_opening(c);
    s.last_frame = c.last_frame;
    s.last_ts = c.last_ts;
    if (c.handshake_timed) {
        s.syn_to_synack = c.syn_to_synack;
        s.synack_to_ack = c.synack_to_ack;
        s.handshake_rtt = c.handshake_rtt();
    }
    s.data_after_close = c.data_after_close;
    s.counts = c.counts.table();
    for (int d = 0; d < 2; ++d) c.analyzer.stats(d).publish(s.dir[static_cast<std::size_t>(d)]);
    return s;
}

void SessionEngine::Impl::finalize(std::uint32_t slot, const char* reason) {
    sink.conversation_closed(summarize(table[slot], reason));
    drop(slot, reason);
}

void SessionEngine::Impl::finalize_lingering(std::uint32_t entry, const char* reason) {
    sink.conversation_closed(summarize(table.take_lingering(entry), reason));
    // At the end of the capture no SYN can follow: nothing to remember. Its slot was freed
    // when it began to linger.
    table.drop_lingering(entry, std::string_view{reason} != "end_of_capture", clock);
}

ConversationSummary SessionEngine::Impl::summarize(const Connection& c, const char* reason) const {
    ConversationSummary s = describe(c);
    c.analyzer.fill_summary(s);  // after describe(): it judges the vantage point from the handshake legs
    const auto& cl = c.fsm.endpoint(Role::Client);
    const auto& sv = c.fsm.endpoint(Role::Server);
    const tcp::FsmOutcome outcome = c.fsm.outcome();
    s.handshake = outcome.handshake;
    s.close = outcome.close;
    s.closed_by = outcome.closed_by;
    s.dir[0].final_state = c.fsm.shown_state(Role::Client);
    s.dir[1].final_state = c.fsm.shown_state(Role::Server);
    s.visited_states = {cl.visited, sv.visited};
    s.observed_edges = {cl.edges, sv.edges};
    s.dir[0].unique_bytes = c.numbering.unique_bytes(Role::Client);
    s.dir[1].unique_bytes = c.numbering.unique_bytes(Role::Server);
    s.end_reason = reason;
    if (options.content_hints) s.content_hints = content.hints(c.content, c.server().port);
    return s;
}

void SessionEngine::Impl::drop(std::uint32_t slot, const char* reason) {
    // At the end of the capture no SYN can follow: nothing to remember.
    table.drop(slot, std::string_view{reason} != "end_of_capture", clock);
    if (!finishing) release(slot, ticket);
}

void SessionEngine::Impl::release(std::uint32_t slot, std::uint64_t from_ticket) {
    if (releases_out)
        releases_out->post(slot, from_ticket);
    else
        slots.release(slot, from_ticket);
}

void SessionEngine::Impl::put_to_sleep(std::uint32_t slot) {
    auto forgotten = table.put_to_sleep(slot, summarize(table[slot], "idle_timeout"), clock);
    if (forgotten) sink.conversation_closed(*forgotten);
    release(slot, ticket);
}

void SessionEngine::Impl::forget_dormant(std::uint32_t entry) { sink.conversation_closed(table.forget_dormant(entry)); }

std::optional<std::uint32_t> SessionEngine::Impl::resumable(const FlowKey& key, const decode::DecodedFrame& d,
                                                            const Endpoint& src) {
    const auto entry = table.dormant_on(key);
    if (!entry) return std::nullopt;
    if (table.fits(*entry, d, src)) return entry;
    forget_dormant(*entry);
    return std::nullopt;
}

void SessionEngine::Impl::wake(std::uint32_t entry, std::uint32_t slot, const RawFrame& frame, AnnotatedSegment& seg) {
    const Connection& c = table.wake(entry, slot, clock);
    stats.peak_alive = std::max<std::uint64_t>(stats.peak_alive, table.size());
    seg.add(Annotation{AnnotationCode::IdleResumed, c.last_frame, (frame.ts - c.last_ts).count(), 0});
}

void SessionEngine::Impl::make_room() {
    const auto victim = table.eviction_victim();
    if (victim == session::ConnectionTable::kNone) return;
    ++stats.evicted;
    if (victim & session::ConnectionTable::kLingering)
        finalize_lingering(victim & ~session::ConnectionTable::kLingering, "evicted");
    else
        finalize(victim, "evicted");
}

void SessionEngine::Impl::close_drop_burst() {
    if (!in_drop_burst) return;
    in_drop_burst = false;
    drop_burst.connections = drop_burst_connections.size();
    ++stats.capture_drop_bursts;
    if (stats.drop_bursts.size() < CaptureSummary::kDropBurstsKept) stats.drop_bursts.push_back(drop_burst);
    drop_burst_connections.clear();
}

void SessionEngine::Impl::note_capture_drop(const AnnotatedSegment& seg, const Annotation& drop) {
    ++stats.capture_drops;
    stats.capture_dropped_bytes += static_cast<std::uint64_t>(drop.a);
    if (in_drop_burst && seg.ts - drop_burst.last_ts > CaptureSummary::kDropBurstGap) close_drop_burst();
    if (!in_drop_burst) {
        in_drop_burst = true;
        drop_burst = CaptureDropBurst{.first_ts = seg.ts, .first_frame = seg.frame};
    }
    drop_burst.last_ts = std::max(drop_burst.last_ts, seg.ts);
    drop_burst.last_frame = seg.frame;
    ++drop_burst.findings;
    drop_burst.bytes += static_cast<std::uint64_t>(drop.a);
    drop_burst_connections.insert(seg.conversation);  // bounded by the connections of one burst
}

void SessionEngine::Impl::emit_malformed(const RawFrame& frame, const decode::DecodedFrame& d) {
    AnnotatedSegment seg = frame_fields(frame, d, origin);
    seg.src = Endpoint{d.src, d.src_port};
    seg.dst = Endpoint{d.dst, d.dst_port};
    seg.meaning = SegmentMeaning::Undecodable;
    sink.segment(seg);
}

RawFrame SessionEngine::normalized(const RawFrame& raw) {
    // Capture times are clamped to +-(2^62 - 1) ns (+-146 years around 1970). pcapng can
    // encode more, and damaged or fuzzed files do; within the clamp the difference of any two
    // timestamps fits in 64 bits, so no duration computed downstream can overflow.
    constexpr Timestamp kEarliest{-((std::int64_t{1} << 62) - 1)};
    constexpr Timestamp kLatest{(std::int64_t{1} << 62) - 1};
    RawFrame frame = raw;
    frame.ts = std::clamp(raw.ts, kEarliest, kLatest);
    return frame;
}

detail::SegmentEnds SessionEngine::ends_of(const decode::DecodedFrame& d) {
    const Endpoint src{d.src, d.src_port};
    const Endpoint dst{d.dst, d.dst_port};
    return {src, dst, FlowKey::from(src, dst, d.vlan)};
}

void SessionEngine::feed_decoded(const RawFrame& normalized_frame, const decode::DecodedFrame& decoded,
                                 const detail::FrameRoute& route, std::uint64_t ticket) {
    impl_->process(normalized_frame, decoded, route, ticket);
}

void SessionEngine::keep_only(const flow::Shard& shard) { impl_->shard = shard; }

void SessionEngine::release_slots_to(flow::SlotReleases& releases) { impl_->releases_out = &releases; }

void SessionEngine::prefetch_slot(std::uint32_t slot) const { session::prefetch_slot(impl_->table, slot); }

std::uint64_t SessionEngine::conversations() const { return impl_->stats.conversations; }

void SessionEngine::Impl::feed(const RawFrame& raw) {
    const RawFrame frame = normalized(raw);
    const decode::DecodedFrame decoded = decoder.decode(frame);
    const std::uint64_t frame_ticket = stats.frames + 1;  // process() counts this frame
    detail::FrameRoute route;
    if (decoded.kind == decode::FrameKind::Tcp) {
        route.ends = ends_of(decoded);
        if (!shard || shard->holds(route.ends.key)) {
            const std::uint32_t hash = flow::KeyIndex::hash(route.ends.key);
            session::prefetch_likely_slot(table, slots, hash);
            route.slot = slots.assign(route.ends.key, hash, frame_ticket);
        }
    }
    process(frame, decoded, route, frame_ticket);
}

// Ends the live connection in `slot` when the pure SYN from `src` with sequence number `seq`
// starts a new one on its 4-tuple; then gives the old connection's last frame.
std::optional<FrameIndex> SessionEngine::Impl::end_for_port_reuse(std::uint32_t slot, const Endpoint& src,
                                                                  std::uint32_t seq) {
    auto& old = table[slot];
    const Role r = (src == old.client()) ? Role::Client : Role::Server;
    // A new ISN starts a new connection; so does any SYN after a RST or FIN ended the
    // old one (RFC 9293 3.10.7.3: an acceptable RST in SYN-SENT deletes the TCB, so a
    // SYN retried with the same ISN after a refusal is a new attempt; Zeek counts it so,
    // and Wireshark after 4.0).
    const bool new_isn = old.numbering.has_base(r) && old.numbering.base(r) != seq &&
                         !(r == Role::Server && !old.fsm.endpoint(Role::Server).sent_any);
    if (!new_isn && !ended_by_rst_or_fin(old)) return std::nullopt;
    const FrameIndex last_frame = old.last_frame;
    finalize(slot, "port_reuse");
    return last_frame;
}

void SessionEngine::Impl::open_connection(std::uint32_t slot, const RawFrame& frame, const decode::DecodedFrame& d,
                                          const detail::SegmentEnds& ends, bool pure_syn, FrameIndex reused_after,
                                          AnnotatedSegment& seg) {
    using namespace tcpflag;
    const Endpoint& src = ends.src;
    const Endpoint& dst = ends.dst;
    const FlowKey& key = ends.key;
    if (pure_syn && !reused_after) {
        if (const auto last_frame = table.reused_after(key, d.seq)) reused_after = *last_frame;
    }
    make_room();
    // Roles: the sender of a SYN without ACK is the client; a SYN-ACK's sender is the
    // server; otherwise guess from the ports, and say it was guessed.
    Endpoint client = src, server = dst;
    bool guessed = false;
    if (!pure_syn) {
        if ((d.flags & kSyn) && (d.flags & kAck)) {
            client = dst;
            server = src;
        } else if (looks_like_server_port(d.src_port, d.dst_port)) {
            client = dst;
            server = src;
            guessed = true;
        } else {
            guessed = true;
        }
    }
    auto& c = table.open(slot, next_id++, key, client == key.lo, pure_syn, clock);
    c.roles_inferred = !pure_syn;
    c.first_frame = frame.index;
    c.first_ts = frame.ts;
    ++stats.conversations;
    stats.peak_alive = std::max<std::uint64_t>(stats.peak_alive, table.size());
    sink.conversation_opened(describe_opening(c));
    if (guessed) seg.add(Annotation{AnnotationCode::RoleGuessed});
    // Without ACK (or RST) no synchronized stack sent it: a probe, not a connection's middle.
    if (!pure_syn && (d.flags & (kAck | kRst))) seg.add(Annotation{AnnotationCode::MidStreamStart});
    if (reused_after) seg.add(Annotation{AnnotationCode::ReusedPorts, reused_after, 0, 0});
}

// A clock that never goes back, for expiry; the segment keeps its own timestamp. Whether `ts`
// is behind it.
bool SessionEngine::Impl::advance_clock(Timestamp ts) {
    const bool backwards = clock_started && ts < clock;
    if (!clock_started) origin = ts;
    if (!clock_started || ts > clock) clock = ts;
    clock_started = true;
    return backwards;
}

// A frame that is no TCP segment: counted, and shown when it was meant to be one.
void SessionEngine::Impl::count_other_frame(const RawFrame& frame, const decode::DecodedFrame& d) {
    switch (d.kind) {
        case decode::FrameKind::NonIp: ++stats.non_ip; return;
        case decode::FrameKind::NonTcp: ++stats.non_tcp; return;
        case decode::FrameKind::Malformed:
            ++stats.malformed;
            emit_malformed(frame, d);
            return;
        case decode::FrameKind::Fragment:
            ++stats.fragments;
            emit_malformed(frame, d);
            return;
        case decode::FrameKind::Tcp: return;
    }
}

void SessionEngine::Impl::refile(Connection& c, std::uint32_t slot) {
    const TimeoutClass cls = session::timeout_class(c);
    if (cls == TimeoutClass::Closed) c.analyzer.release_idle_memory();  // it lingers: keep it small
    if (cls != TimeoutClass::Closed || !options.compact_closed) {
        table.touch(slot, cls, clock);
        return;
    }
    // Closed, and kept compact: it lingers for late segments only, in compact form. Its slot
    // goes back to the frame finder, unless frames after this one were given it: they find
    // the record lingering on their key and wake it there.
    table.linger(slot, clock);
    give_back(slot);
}

SessionEngine::Impl::Placed SessionEngine::Impl::place_segment(const RawFrame& frame, const decode::DecodedFrame& d,
                                                               const detail::FrameRoute& route, bool backwards) {
    using namespace tcpflag;
    const Endpoint& src = route.ends.src;
    const FlowKey& key = route.ends.key;
    std::uint32_t slot = route.slot;
    const bool pure_syn = (d.flags & kSyn) && !(d.flags & kAck) && !(d.flags & kRst);
    // Whether the key's slot holds a live connection; if so, ask for its record now, in case
    // no lookahead did (the ingest thread's looks only within a batch): building the segment
    // below overlaps the load.
    bool live = table.alive(slot);
    bool vlan_paired_now = false;
    if (d.vlan != 0 && !table.vlan_seen()) table.start_tuple_index();
    // A closed connection lingering on the key is live again, as if it had stayed in its slot.
    if (!live && table.has_lingering()) {
        if (const auto entry = table.lingering_on(key)) {
            table.wake_lingering(*entry, slot);
            live = true;
        }
    }
    if (!live && table.vlan_seen()) {
        if (const auto partner = table.vlan_partner(key, d, pure_syn, vlan_paired_now, src, slot)) {
            if (*partner != slot) give_back(slot);
            slot = *partner;
            live = true;
        }
    }
    if (live) session::prefetch_connection(table[slot]);

    Placed placed{segment_of(frame, d, route.ends, origin), slot};
    AnnotatedSegment& seg = placed.seg;
    if (vlan_paired_now) seg.add(Annotation{AnnotationCode::VlanTaggingDiffers, 0, key.vlan, table[slot].key.vlan});
    if (backwards) seg.add(Annotation{AnnotationCode::TimestampBackwards, 0, (clock - frame.ts).count(), 0});

    // A new SYN on a used 4-tuple ends the connection there and starts a new one.
    FrameIndex reused_after = 0;
    if (live && pure_syn) {
        if (const auto last_frame = end_for_port_reuse(slot, src, d.seq)) {
            reused_after = *last_frame;
            live = false;
        }
    }
    // A connection that expired for idleness continues if the segment fits it (only a
    // segment that finds no live connection looks).
    if (!live && table.has_dormant()) {
        if (const auto entry = resumable(key, d, src)) {
            make_room();
            wake(*entry, slot, frame, seg);
            live = true;
        }
    }
    if (!live) open_connection(slot, frame, d, route.ends, pure_syn, reused_after, seg);
    return placed;
}

void SessionEngine::Impl::process(const RawFrame& frame, const decode::DecodedFrame& d, const detail::FrameRoute& route,
                                  std::uint64_t frame_ticket) {
    ++stats.frames;
    ticket = frame_ticket;
    const bool backwards = advance_clock(frame.ts);
    // Connections idle past their timeout are finalised before this frame is matched, so a
    // SYN on an expired connection's 4-tuple starts a new one.
    expire();

    if (d.kind != decode::FrameKind::Tcp) {
        count_other_frame(frame, d);
        return;
    }
    if (route.slot == flow::SlotAssigner::kNone) return;  // another shard's connection
    ++stats.tcp_segments;

    auto [seg, slot] = place_segment(frame, d, route, backwards);
    auto& c = table[slot];
    const Role sender = (route.ends.src == c.client()) ? Role::Client : Role::Server;
    const auto si = static_cast<std::size_t>(index_of(sender));
    seg.conversation = c.id;
    seg.sender = sender;
    seg.since_start = frame.ts - c.first_ts;

    number_segment(c, d, si, seg);
    auto& ds = c.analyzer.stats(static_cast<int>(si));
    if (d.flags & tcpflag::kSyn) note_syn_options(c, d, si, ds, seg);
    scale_window(c, d, si, seg);
    note_flag_anomalies(d.flags, seg);

    const tcp::FsmVerdict verdict = run_state_machines(c, sender, d, seg);
    time_handshake(c, d.flags, verdict, frame.ts);

    analyse_segment(c, frame, d, sender, seg);
    decide_meaning(seg, verdict, d.payload_len);

    count_segment(c, frame, d, ds, seg);
    if (options.content_hints) seg.content_hint = content.segment(c.content, seg, c.server().port);

    sink.segment(seg);

    refile(c, slot);
}

// Counts the segment of the sender whose statistics are `ds`: packets, bytes, the highest
// byte, the findings by code (and capture drops into the burst being gathered).
void SessionEngine::Impl::count_segment(Connection& c, const RawFrame& frame, const decode::DecodedFrame& d,
                                        analysis::DirectionCounters& ds, const AnnotatedSegment& seg) {
    using namespace tcpflag;
    ++ds.packets;
    ds.payload_bytes += d.payload_len;
    ds.wire_bytes += frame.wirelen;
    ds.note_window(seg.window);
    if (d.flags & kRst) ++ds.rsts;
    if (d.flags & kFin) ++ds.fins;
    c.numbering.note_bytes(seg.sender, d.seq, d.payload_len);
    for (const auto& a : seg.notes()) {
        c.counts.add(a.code);
        if (a.code == AnnotationCode::ZeroWindow) ++ds.zero_windows;
        if (a.code == AnnotationCode::CaptureDrop) note_capture_drop(seg, a);
    }
    c.last_frame = frame.index;
    c.last_ts = std::max(c.last_ts, frame.ts);
}

}  // namespace tfx
