#pragma once
// Every field of a connection record, in one order, for the lingering codec
// (lingering_record.cpp) to write, read back and count, and for tests to fill.

#include <array>
#include <cstddef>
#include <cstdint>

#include "analysis/analyzer_state.hpp"
#include "session/connection.hpp"

namespace tfx::session {

// An IO is called once per field with the field and what its kind needs: flag (a bool),
// plain (an unsigned number or enum), sint (a signed number), maybe (an optional number),
// index (a 32-bit index whose "none" is all ones), seq (a 32-bit sequence number or TCP
// timestamp, and a number of its side it is likely near, 0 standing for unset), near (a
// 32-bit or smaller number and a number of the record it most often equals or is close to),
// frame (a frame number and the first frame's), recent (a frame number and the last frame's,
// which it cannot follow), time (a time point, duration or optional one, and a time it is
// likely near), span (a duration or optional duration), maybe_as (an optional number and
// another it most often equals), pointer (a unique pointer to what the record owns out of
// line) and bytes (raw bytes). The numbers a field is measured from come before it (the
// first and last frames and their times, the sequence bases and each side's highest
// sequence and acknowledgment numbers), so that a reader has them when it needs them: by
// the time a connection lingers, most of its sequence numbers are its sides' highest, its
// latest times and frames its last frame's. The loops are unrolled: once the codec has
// inlined the visit, each field's place among the flags and codes is a constant. The flow key
// is not visited (the lingering table keeps it).
//
// The sizes below are those of the structs as the visit knows them: a field added to one of
// them changes its size and stops the build here until the visit writes it too.
struct LingeringFields {
    static_assert(sizeof(Connection) == 1224, "a record's field changed: update the lingering codec");
    static_assert(sizeof(ConnectionProgress) == 144, "update the lingering codec");
    static_assert(sizeof(tcp::Numbering) == 72, "update the lingering codec");
    static_assert(sizeof(tcp::Numbering::Direction) == 32, "update the lingering codec");
    static_assert(sizeof(CodeCounts) == 40, "update the lingering codec");
    static_assert(sizeof(tcp::ConnectionFsm) == 152, "update the lingering codec");
    static_assert(sizeof(tcp::EndpointFsm) == 64, "update the lingering codec");
    static_assert(sizeof(analysis::ConnectionAnalyzer) == 800, "update the lingering codec");
    static_assert(sizeof(analysis::AnalyzerState) == 800, "update the lingering codec");
    static_assert(sizeof(analysis::DirectionState) == 280, "update the lingering codec");
    static_assert(sizeof(analysis::DirectionCounters) == 88, "update the lingering codec");
    static_assert(sizeof(analysis::UnackedList) == 32, "update the lingering codec");
    static_assert(sizeof(analysis::ZeekTracker) == 160, "update the lingering codec");
    static_assert(sizeof(analysis::ZeekTracker::Ep) == 64, "update the lingering codec");
    static_assert(sizeof(analysis::ZeekScaledCounters) == 16, "update the lingering codec");
    static_assert(sizeof(analysis::ZeekHistory) == 24, "update the lingering codec");
    static_assert(sizeof(content::ConnectionContent) == 32, "update the lingering codec");
    static_assert(sizeof(content::PackedHint) == 8, "update the lingering codec");

    template <typename IO, typename C>
    static void visit(IO& io, C& c) {
        io.plain(c.first_frame);  // first: the reference of the frames and times below
        io.time(c.first_ts, Timestamp{});
        const Timestamp ref = c.first_ts;
        const FrameIndex first = c.first_frame;
        io.flag(c.roles_inferred);
        io.flag(c.data_after_close);
        io.flag(c.handshake_timed);
        io.flag(c.vlan_paired);
        io.plain(c.other_vlan);
        io.frame(c.last_frame, first);
        io.time(c.last_ts, ref);
        io.span(c.syn_to_synack);
        io.span(c.synack_to_ack);
        numbering(io, c.numbering);  // next: the bases of the sequence numbers below
        const std::uint32_t bases[2] = {c.numbering.dirs_[0].base, c.numbering.dirs_[1].base};
        const Latest latest = latest_of(c);
        io.time(c.last_syn_ts, ref);
        io.time(c.synack_ts, c.last_syn_ts ? *c.last_syn_ts : ref);

        io.plain(c.id);
        io.flag(c.client_is_lo);
        io.index(c.tuple_entry);
        counts(io, c.counts);
        analyzer(io, c.analyzer.state_, bases, latest, ref, first);
        // After the analyzer: the TCP timestamps of a FIN and its ACK are near the highest each
        // side sent.
        const std::uint32_t tsvals[2] = {c.analyzer.state_.dirs[0].max_tsval, c.analyzer.state_.dirs[1].max_tsval};
        fsm(io, c.fsm, bases, latest, tsvals, first);
        content(io, c.content);
    }

private:
    // What the latest fields are measured from, read from fields visited before them.
    struct Latest {
        std::uint32_t end[2];  ///< each side's highest sequence number (after its highest byte)
        std::uint32_t ack[2];  ///< each side's highest acknowledgment number
        Timestamp ts;          ///< the last frame's time
        FrameIndex frame;      ///< the last frame
    };
    template <typename C>
    static Latest latest_of(const C& c) {
        const auto& d = c.numbering.dirs_;
        Latest l{};
        for (std::size_t side = 0; side < 2; ++side) {
            l.end[side] = d[side].base + static_cast<std::uint32_t>(d[side].highest_end);
            l.ack[side] = d[side ^ 1].base + static_cast<std::uint32_t>(d[side].highest_ack);
        }
        l.ts = c.last_ts;
        l.frame = c.last_frame;
        return l;
    }

    template <typename IO, typename N>
    static void numbering(IO& io, N& n) {
#pragma GCC unroll 8
        for (auto& d : n.dirs_) {
            io.plain(d.base);
            io.flag(d.base_set);
            io.flag(d.syn_seen);
            io.flag(d.syn_base);
            io.flag(d.ack_seen);
            io.maybe(d.syn_wscale);
            io.plain(d.shift);
            io.plain(d.highest_end);
            io.sint(d.highest_ack);
        }
        io.flag(n.scaling_agreed_);
        io.flag(n.shift_unknown_);
    }

    template <typename IO, typename K>
    static void counts(IO& io, K& k) {
        io.bytes(k.codes_.data(), k.codes_.size());
        io.plain(k.used_);
#pragma GCC unroll 8
        for (auto& n : k.counts_) io.plain(n);
        io.pointer(k.all_);
    }

    template <typename IO, typename F>
    static void fsm(IO& io, F& f, const std::uint32_t (&bases)[2], const Latest& latest,
                    const std::uint32_t (&tsvals)[2], FrameIndex first) {
#pragma GCC unroll 8
        for (std::size_t side = 0; side < 2; ++side) {
            auto& e = f.ep_[side];
            const std::uint32_t own = bases[side];
            const std::uint32_t peer = bases[side ^ 1];
            io.plain(e.state);
            io.flag(e.listener_unproven);
            io.flag(e.sent_syn);
            io.flag(e.sent_synack);
            io.seq(e.syn_seq, own);
            io.flag(e.syn_acked);
            io.flag(e.sent_fin);
            io.near(e.fin_next, latest.end[side]);
            io.flag(e.fin_acked);
            io.flag(e.fin_ack_deferred);
            io.flag(e.has_fin_tsval);
            io.flag(e.has_fin_ack_tsval);
            io.seq(e.fin_tsval, tsvals[side]);
            io.seq(e.fin_ack_tsval, tsvals[side ^ 1]);
            io.recent(e.fin_ack_frame, latest.frame);
            io.flag(e.peer_syn_pending);
            io.flag(e.peer_fin_pending);
            io.flag(e.fin_received);
            io.flag(e.sent_rst);
            io.flag(e.sent_any);
            io.flag(e.sent_probe);
            io.flag(e.lone_bare_ack);
            io.seq(e.lone_ack, peer);
            io.plain(e.visited);
            io.plain(e.edges);
        }
        io.frame(f.refusal_frame_, first);
        io.sint(f.simultaneous_synacks_);
        io.maybe(f.first_fin_);
        io.maybe(f.first_rst_);
        io.plain(f.teardown_step_);
        io.flag(f.first_fin_combined_ack_);
        io.flag(f.simultaneous_open_);
        io.flag(f.simultaneous_close_);
        io.flag(f.handshake_done_);
        io.flag(f.probe_);
        io.flag(f.refused_);
    }

    template <typename IO, typename S>
    static void analyzer(IO& io, S& s, const std::uint32_t (&bases)[2], const Latest& latest, Timestamp ref,
                         FrameIndex first) {
#pragma GCC unroll 8
        for (std::size_t side = 0; side < 2; ++side) direction(io, s.dirs[side], side, bases, latest, first);
        zeek(io, s.zeek, bases, latest);
        io.time(s.mru_syn, ref);
        io.span(s.irtt);
        io.flag(s.has_mru_syn);
        io.flag(s.limit_reported);
        io.flag(s.have_prev_frame);
        io.flag(s.reset_seen);
        io.flag(s.client_data_seen);
        io.flag(s.awaiting_response);
        io.flag(s.blocked[0]);
        io.flag(s.blocked[1]);
        io.plain(s.exchanges);
        io.plain(s.unacked_bound);
        io.time(s.prev_frame_ts, latest.ts);
        io.time(s.first_client_data, ref);
        io.time(s.last_request_data, s.first_client_data);
        io.span(s.ttfb);
        io.span(s.think_sum);
        io.time(s.think_max, s.think_sum);
    }

    template <typename IO, typename D>
    static void direction(IO& io, D& d, std::size_t side, const std::uint32_t (&bases)[2], const Latest& latest,
                          FrameIndex first) {
        const std::uint32_t own = bases[side];
        const std::uint32_t end = latest.end[side];
        const std::uint32_t ack = latest.ack[side];
        io.pointer(d.rare);
        io.pointer(d.gaps);
        io.time(d.nextseqtime, latest.ts);
        io.time(d.lastacktime, latest.ts);
        io.recent(d.lastnondupack, latest.frame);
        unacked(io, d.unacked);
        io.near(d.nextseq, end);
        io.near(d.maxseqtobeacked, end);
        io.near(d.lastack, ack);
        io.sint(d.win_scale);
        io.plain(d.lastsegmentflags);
        io.sint(d.dupacknum);
        io.plain(d.window);
        io.flag(d.has_nextseq);
        io.flag(d.has_maxseqtobeacked);
        io.flag(d.lastack_set);
        io.flag(d.is_first_ack);
        io.flag(d.valid_bif);
        io.plain(d.sack_count);
        io.recent(d.last_frame, latest.frame);
        io.frame(d.syn_frame, first);
        io.frame(d.synack_frame, first);
        io.seq(d.syn_seq, own);
        io.seq(d.synack_seq, own);
        io.maybe(d.mss);
        io.flag(d.seen);
        io.flag(d.sent_syn);
        io.flag(d.sent_synack);
        io.near(d.prev_seq, end);
        io.near(d.prev_ack, ack);
        io.plain(d.prev_len);
        io.plain(d.prev_ip_id);
        io.plain(d.prev_flags);
        io.flag(d.prev_valid);
        io.flag(d.ip_id_changes);
        io.flag(d.ip_id_reused);
        io.flag(d.has_tsval);
        io.plain(d.max_tsval);
        io.plain(d.id_forward);
        io.near(d.id_max, d.prev_ip_id);
        io.flag(d.id_init);
        io.flag(d.id_disordered);
        io.flag(d.last_had_sack);
        io.flag(d.last_opts_truncated);
        io.flag(d.in_zero_window);
        io.flag(d.in_recovery);
        io.plain(d.gap_count);
        io.flag(d.has_seen_end);
        io.flag(d.has_drop_mark);
        io.near(d.seen_end, end);
        counters(io, d.stats, d.mss);
    }

    template <typename IO, typename U>
    static void unacked(IO& io, U& u) {
        io.pointer(u.buf_);
        io.plain(u.capacity_);
        io.plain(u.head_);
        io.plain(u.count_);
        io.flag(u.sorted_);
        io.pointer(u.index_);
    }

    // `mss` is the one its direction's SYN announced, which the statistics most often show.
    template <typename IO, typename K, typename M>
    static void counters(IO& io, K& k, const M& mss) {
        io.plain(k.packets);
        io.plain(k.payload_bytes);
        io.plain(k.wire_bytes);
        io.span(k.rtt_min);
        io.time(k.rtt_max, k.rtt_min);
        io.time(k.rtt_sum, k.rtt_max);
        io.pointer(k.rare);
        io.plain(k.max_window);
        io.plain(k.zero_windows);
        io.plain(k.rsts);
        io.plain(k.fins);
        io.plain(k.syns);
        io.plain(k.rtt_samples);
        io.maybe_as(k.mss, mss);
        io.maybe(k.window_scale);
        io.flag(k.sack_permitted);
        io.flag(k.timestamps);
    }

    template <typename IO, typename Z>
    static void zeek(IO& io, Z& z, const std::uint32_t (&bases)[2], const Latest& latest) {
#pragma GCC unroll 8
        for (std::size_t side = 0; side < 2; ++side) {
            auto& e = z.ep_[side];
            io.pointer(e.blocks.value_);
            io.seq(e.start, bases[side]);
            io.near(e.last, latest.end[side]);
            io.near(e.contig, latest.end[side]);
            io.plain(e.seen);
            io.plain(e.last_syn_rel);
            io.plain(e.last_fin_rel);
            io.plain(e.last_rst_rel);
#pragma GCC unroll 8
            for (std::size_t k = 0; k < e.counted.count.size(); ++k) {
                io.plain(e.counted.count[k]);
                io.plain(e.counted.hits[k]);
            }
            io.plain(e.state);
            io.plain(e.prev_state);
            io.flag(e.started);
            io.flag(e.payload);
            io.flag(e.have_syn_seq);
            io.flag(e.have_fin_seq);
            io.flag(e.have_rst_seq);
            io.flag(e.contig_valid);
            io.plain(e.block_count);
        }
        io.pointer(z.history_.long_.value_);
        io.bytes(z.history_.inline_.data(), z.history_.inline_.size());
        io.plain(z.history_.len_);
        io.flag(z.any_packet_);
    }

    template <typename IO, typename T>
    static void content(IO& io, T& t) {
        io.plain(t.progress_[0]);
        io.plain(t.progress_[1]);
        io.plain(t.settled_command_);
        io.pointer(t.pending_);
        io.pointer(t.settled_[0].bytes_);
        io.pointer(t.settled_[1].bytes_);
    }
};

}  // namespace tfx::session
