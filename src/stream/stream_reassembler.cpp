#include "stream/stream_reassembler.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <utility>

#include "i18n/catalogue.hpp"

namespace tfx::stream {

std::string_view to_string(MissingReason reason) {
    switch (reason) {
        case MissingReason::NeverCaptured: return "never-captured";
        case MissingReason::SnaplenCut: return "snaplen-cut";
        case MissingReason::BufferLimit: return "buffer-limit";
    }
    return "unknown";
}

std::string_view to_string(NoteKind kind) {
    switch (kind) {
        case NoteKind::SynData: return "syn_data";
        case NoteKind::Urgent: return "urgent";
        case NoteKind::AfterFin: return "after_fin";
        case NoteKind::AfterRst: return "after_rst";
        case NoteKind::MidStream: return "mid_stream";
    }
    return "unknown";
}

std::string_view said_reason(MissingReason reason, Language lang) {
    switch (reason) {
        case MissingReason::NeverCaptured: return i18n::word(lang, i18n::Msg::FollowNeverCaptured);
        case MissingReason::SnaplenCut: return i18n::word(lang, i18n::Msg::FollowSnaplenCut);
        case MissingReason::BufferLimit: return i18n::word(lang, i18n::Msg::FollowBufferLimit);
    }
    return to_string(reason);
}

std::string describe(const StreamNote& note, Language lang) {
    using i18n::Msg;
    switch (note.kind) {
        case NoteKind::SynData: return i18n::said(lang, Msg::StreamNoteSynData);
        case NoteKind::Urgent: return i18n::said(lang, Msg::StreamNoteUrgent, {note.offset});
        case NoteKind::AfterFin: return i18n::said(lang, Msg::StreamNoteAfterFin, {note.length});
        case NoteKind::AfterRst: return i18n::said(lang, Msg::StreamNoteAfterRst);
        case NoteKind::MidStream: return i18n::said(lang, Msg::StreamNoteMidStream);
    }
    return "[?]";
}

bool StreamBudget::try_take(std::uint64_t bytes) {
    if (bytes > limit_ - in_use_) return false;
    in_use_ += bytes;
    peak_ = std::max(peak_, in_use_);
    return true;
}

void StreamBudget::give_back(std::uint64_t bytes) { in_use_ -= std::min(bytes, in_use_); }

StreamReassembler::StreamReassembler(StreamSink& sink, StreamBudget& budget, StreamLimits limits)
    : sink_(sink), budget_(budget), limits_(limits) {}

StreamReassembler::~StreamReassembler() { budget_.give_back(buffered_ + history_charge_); }

std::uint64_t StreamReassembler::charge_of(std::uint64_t offset, const Piece& piece) {
    return kPieceOverhead + (piece.cut() ? 0 : piece.end - offset);
}

bool StreamReassembler::take(std::uint64_t charge) {
    if (charge > limits_.max_buffered || buffered_ > limits_.max_buffered - charge) return false;
    if (!budget_.try_take(charge)) return false;
    buffered_ += charge;
    totals_.peak_buffered = std::max(totals_.peak_buffered, buffered_);
    return true;
}

void StreamReassembler::give_back(std::uint64_t charge) {
    buffered_ -= charge;
    budget_.give_back(charge);
}

SegmentContribution StreamReassembler::add(const StreamSegment& segment) {
    SegmentContribution out;
    if (finished_) return out;
    out.after_rst = rst_seen_;
    ++totals_.segments;

    // Offsets end at 2^64 - 1: bytes a segment would place past that are dropped.
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - segment.offset;
    std::span<const std::byte> bytes = segment.payload.first(std::min<std::uint64_t>(segment.payload.size(), room));
    const std::uint64_t wire = std::min(std::max<std::uint64_t>(segment.wire_length, bytes.size()), room);
    out.cut_bytes = wire - bytes.size();
    if (rst_seen_) totals_.after_rst_bytes += bytes.size();

    std::uint64_t data_end = segment.offset + bytes.size();
    std::uint64_t wire_end = segment.offset + wire;
    if (fin_ && data_end > *fin_) {
        const std::uint64_t beyond = std::max(segment.offset, *fin_);
        out.beyond_fin_bytes = data_end - beyond;
        sink_.beyond_fin({beyond, out.beyond_fin_bytes}, segment.frame);
        bytes = bytes.first(beyond - segment.offset);
        data_end = beyond;
    }
    if (fin_) wire_end = std::max(data_end, std::min(wire_end, *fin_));

    current_ = {{segment.offset, bytes.size()}, segment.frame};
    fresh_.clear();
    fresh_next_ = 0;
    if (segment.offset < next_ && !bytes.empty())
        compare_with_history(segment.offset, bytes.first(std::min<std::uint64_t>(bytes.size(), next_ - segment.offset)),
                             current_, out);
    if (data_end > next_) {
        const std::uint64_t from = std::max(segment.offset, next_);
        place_data(from, bytes.subspan(from - segment.offset), current_, out);
    }
    const std::uint64_t cut_from = std::max(data_end, next_);
    if (wire_end > cut_from) place_cut(cut_from, wire_end);

    if (out.new_bytes > 0) std::swap(out.duplicate_bytes, out.overlapping_bytes);
    totals_.duplicate_bytes += out.duplicate_bytes;
    totals_.overlapping_bytes += out.overlapping_bytes;
    totals_.inconsistent_bytes += out.inconsistent_bytes;
    if (out.inconsistent_bytes > 0) ++totals_.inconsistent_retransmissions;
    totals_.uncompared_bytes += out.uncompared_bytes;
    totals_.cut_bytes += out.cut_bytes;
    totals_.beyond_fin_bytes += out.beyond_fin_bytes;

    deliver_ready();
    store_fresh();
    return out;
}

void StreamReassembler::compare(std::uint64_t offset, std::span<const std::byte> first,
                                std::span<const std::byte> bytes, ByteRange first_range, FrameIndex first_frame,
                                const Later& later, SegmentContribution& out) {
    out.duplicate_bytes += bytes.size();
    if (std::memcmp(first.data(), bytes.data(), bytes.size()) == 0) return;
    std::uint64_t differing = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) differing += first[i] != bytes[i] ? 1U : 0U;
    out.inconsistent_bytes += differing;
    sink_.inconsistent({{offset, bytes.size()}, differing, first_range, first_frame, later.range, later.frame});
}

void StreamReassembler::compare_with_history(std::uint64_t offset, std::span<const std::byte> bytes, const Later& later,
                                             SegmentContribution& out) {
    const std::uint64_t end = offset + bytes.size();
    const std::uint64_t held_from = history_.empty() ? next_ : history_offset_;
    const std::uint64_t uncompared = offset < held_from ? std::min(end, held_from) - offset : 0;
    out.uncompared_bytes += uncompared;
    out.duplicate_bytes += uncompared;
    std::uint64_t p = offset + uncompared;
    if (p >= end) return;
    // The run holding p: the last whose offset is at or below it (runs cover the history).
    auto run = std::upper_bound(runs_.begin() + static_cast<std::ptrdiff_t>(runs_head_), runs_.end(), p,
                                [](std::uint64_t o, const Run& r) { return o < r.offset; });
    --run;
    while (p < end) {
        const auto next = std::next(run);
        const std::uint64_t run_end = next == runs_.end() ? next_ : next->offset;
        const std::uint64_t q = std::min(end, run_end);
        compare(p, std::span<const std::byte>(history_).subspan(p - history_offset_, q - p),
                bytes.subspan(p - offset, q - p), run->segment, run->frame, later, out);
        p = q;
        run = next;
    }
}

StreamReassembler::Pieces::iterator StreamReassembler::first_piece_ending_after(std::uint64_t offset) {
    auto it = pieces_.upper_bound(offset);
    if (it != pieces_.begin()) {
        const auto prev = std::prev(it);
        if (prev->second.end > offset) return prev;
    }
    return it;
}

void StreamReassembler::add_fresh(std::uint64_t offset, std::uint64_t end, const std::byte* src) {
    if (!fresh_.empty()) {
        Fresh& last = fresh_.back();
        const bool joins = last.end == offset && (last.src == nullptr) == (src == nullptr) &&
                           (src == nullptr || last.src + (last.end - last.offset) == src);
        if (joins) {
            last.end = end;
            return;
        }
    }
    fresh_.push_back({offset, end, src});
}

void StreamReassembler::place_data(std::uint64_t offset, std::span<const std::byte> bytes, const Later& later,
                                   SegmentContribution& out) {
    const std::uint64_t end = offset + bytes.size();
    const auto src = [&](std::uint64_t at) { return bytes.data() + (at - offset); };
    std::uint64_t p = offset;
    auto it = first_piece_ending_after(p);
    while (p < end) {
        if (it == pieces_.end() || it->first >= end) {
            add_fresh(p, end, src(p));
            out.new_bytes += end - p;
            break;
        }
        if (it->first > p) {
            add_fresh(p, it->first, src(p));
            out.new_bytes += it->first - p;
            p = it->first;
        }
        const std::uint64_t q = std::min(end, it->second.end);
        if (it->second.cut()) {
            // Captured bytes where only a cut copy was seen: they fill those offsets.
            add_fresh(p, q, src(p));
            out.new_bytes += q - p;
            it = split_cut(it, p, q);
        } else {
            const Piece& first = it->second;
            compare(p, std::span<const std::byte>(first.data).subspan(p - it->first, q - p),
                    bytes.subspan(p - offset, q - p), {it->first, first.end - it->first}, first.frame, later, out);
            ++it;
        }
        p = q;
    }
}

StreamReassembler::Pieces::iterator StreamReassembler::split_cut(Pieces::iterator it, std::uint64_t from,
                                                                 std::uint64_t to) {
    const std::uint64_t start = it->first;
    const std::uint64_t end = it->second.end;
    const FrameIndex frame = it->second.frame;
    if (to < end && take(kPieceOverhead)) {
        // The right part stays a cut piece; without room for its node it becomes an ordinary gap.
        pieces_.emplace_hint(std::next(it), to, Piece{end, frame, {}});
    }
    if (from > start) {
        it->second.end = from;
        return std::next(it);
    }
    give_back(kPieceOverhead);
    return pieces_.erase(it);
}

void StreamReassembler::place_cut(std::uint64_t offset, std::uint64_t end) {
    std::uint64_t p = offset;
    auto it = first_piece_ending_after(p);
    while (p < end) {
        if (it == pieces_.end() || it->first >= end) {
            add_fresh(p, end, nullptr);
            break;
        }
        if (it->first > p) add_fresh(p, it->first, nullptr);
        p = std::max(p, it->second.end);
        ++it;
    }
}

void StreamReassembler::deliver_ready() {
    for (;;) {
        if (fresh_next_ < fresh_.size() && fresh_[fresh_next_].offset == next_) {
            const Fresh f = fresh_[fresh_next_++];
            if (f.src == nullptr) {
                declare_missing(f.end, MissingReason::SnaplenCut);
            } else {
                deliver(f.offset, {f.src, f.end - f.offset}, current_.frame, current_.range);
            }
            continue;
        }
        const auto it = pieces_.begin();
        if (it != pieces_.end() && it->first == next_) {
            const std::uint64_t offset = it->first;
            Piece piece = std::move(it->second);
            pieces_.erase(it);
            give_back(charge_of(offset, piece));
            if (piece.cut()) {
                declare_missing(piece.end, MissingReason::SnaplenCut);
            } else {
                deliver(offset, piece.data, piece.frame, {offset, piece.end - offset});
            }
            continue;
        }
        return;
    }
}

std::uint64_t StreamReassembler::first_held_offset() const {
    std::uint64_t first = std::numeric_limits<std::uint64_t>::max();
    if (!pieces_.empty()) first = pieces_.begin()->first;
    if (fresh_next_ < fresh_.size()) first = std::min(first, fresh_[fresh_next_].offset);
    return first;
}

void StreamReassembler::store_fresh() {
    while (fresh_next_ < fresh_.size()) {
        std::uint64_t charge = 0;
        for (std::size_t i = fresh_next_; i < fresh_.size(); ++i)
            charge += kPieceOverhead + (fresh_[i].src == nullptr ? 0 : fresh_[i].end - fresh_[i].offset);
        if (take(charge)) {
            for (std::size_t i = fresh_next_; i < fresh_.size(); ++i) {
                const Fresh& f = fresh_[i];
                Piece piece{f.end, current_.frame, {}};
                if (f.src != nullptr) piece.data.assign(f.src, f.src + (f.end - f.offset));
                pieces_.emplace(f.offset, std::move(piece));
            }
            fresh_next_ = fresh_.size();
            return;
        }
        // No room: the first gap is given up, which delivers what follows it.
        declare_missing(first_held_offset(), MissingReason::BufferLimit);
        deliver_ready();
    }
}

void StreamReassembler::deliver(std::uint64_t offset, std::span<const std::byte> bytes, FrameIndex frame,
                                ByteRange segment) {
    sink_.bytes(offset, bytes, frame);
    totals_.delivered_bytes += bytes.size();
    next_ = offset + bytes.size();
    remember(offset, bytes, frame, segment);
}

void StreamReassembler::declare_missing(std::uint64_t end, MissingReason reason) {
    if (end <= next_) return;
    const std::uint64_t length = end - next_;
    sink_.missing(next_, length, reason);
    totals_.missing_bytes += length;
    ++totals_.missing_ranges;
    switch (reason) {
        case MissingReason::NeverCaptured: totals_.missing_never_captured += length; break;
        case MissingReason::SnaplenCut: totals_.missing_snaplen_cut += length; break;
        case MissingReason::BufferLimit: totals_.missing_buffer_limit += length; break;
    }
    next_ = end;
    forget_history();
}

void StreamReassembler::forget_history() {
    history_.clear();
    runs_.clear();
    runs_head_ = 0;
}

void StreamReassembler::remember(std::uint64_t offset, std::span<const std::byte> bytes, FrameIndex frame,
                                 ByteRange segment) {
    const std::uint64_t limit = limits_.history;
    if (limit == 0 || bytes.empty()) return;
    if (bytes.size() >= limit) {
        forget_history();
        offset += bytes.size() - limit;
        bytes = bytes.last(limit);
    } else if (history_.size() + bytes.size() > limit) {
        // Drop the oldest so that half the window stays free: each byte is moved at most once
        // per half window appended.
        const std::uint64_t drop = std::min<std::uint64_t>(
            history_.size(), history_.size() + bytes.size() - std::min(limit / 2, limit - bytes.size()));
        history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(drop));
        history_offset_ += drop;
    }
    const std::uint64_t needed = history_.size() + bytes.size();
    if (needed > history_.capacity()) {
        const std::uint64_t want =
            std::min<std::uint64_t>(limit, std::max<std::uint64_t>({needed, 2 * history_.capacity(), 4096}));
        if (budget_.try_take(want - history_charge_)) {
            history_.reserve(want);
            history_charge_ = want;
        } else {
            forget_history();
            if (bytes.size() > history_charge_) return;  // no window to compare the next copies with
        }
    }
    if (history_.empty()) history_offset_ = offset;
    history_.insert(history_.end(), bytes.begin(), bytes.end());

    const bool same_run = runs_.size() > runs_head_ && runs_.back().frame == frame && runs_.back().segment == segment;
    if (!same_run) runs_.push_back({offset, segment, frame});
    // Runs wholly before the window go; so does the older half of the window when small
    // segments make too many runs.
    drop_runs_before_window();
    const std::size_t max_runs = std::max<std::size_t>(16, limit / 16);
    if (runs_.size() - runs_head_ > max_runs) {
        const std::size_t keep_from = runs_head_ + (runs_.size() - runs_head_) / 2;
        const std::uint64_t drop = runs_[keep_from].offset - history_offset_;
        history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(drop));
        history_offset_ += drop;
        drop_runs_before_window();
    }
    if (runs_head_ > 64 && runs_head_ * 2 > runs_.size()) {
        runs_.erase(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(runs_head_));
        runs_head_ = 0;
    }
}

void StreamReassembler::drop_runs_before_window() {
    while (runs_head_ + 1 < runs_.size() && runs_[runs_head_ + 1].offset <= history_offset_) ++runs_head_;
}

void StreamReassembler::fin(std::uint64_t offset) {
    if (finished_) return;
    if (fin_) {
        if (*fin_ != offset) ++totals_.fin_conflicts;
        return;
    }
    if (offset < next_) {
        // Bytes past it were delivered already: they stay the stream, the FIN is the anomaly.
        ++totals_.fin_conflicts;
        return;
    }
    fin_ = offset;
    drop_beyond(offset);
}

void StreamReassembler::drop_beyond(std::uint64_t offset) {
    auto it = first_piece_ending_after(offset);
    while (it != pieces_.end()) {
        const std::uint64_t start = it->first;
        Piece& piece = it->second;
        const std::uint64_t from = std::max(start, offset);
        if (!piece.cut()) {
            totals_.beyond_fin_bytes += piece.end - from;
            sink_.beyond_fin({from, piece.end - from}, piece.frame);
        }
        if (start < offset) {
            const std::uint64_t before = charge_of(start, piece);
            if (!piece.cut()) piece.data.resize(offset - start);
            piece.end = offset;
            give_back(before - charge_of(start, piece));
            ++it;
        } else {
            give_back(charge_of(start, piece));
            it = pieces_.erase(it);
        }
    }
}

void StreamReassembler::finish() {
    if (finished_) return;
    fresh_.clear();
    fresh_next_ = 0;
    while (!pieces_.empty()) {
        declare_missing(pieces_.begin()->first, MissingReason::NeverCaptured);
        deliver_ready();
    }
    if (fin_) declare_missing(*fin_, MissingReason::NeverCaptured);
    forget_history();
    history_.shrink_to_fit();
    runs_.shrink_to_fit();
    budget_.give_back(history_charge_);
    history_charge_ = 0;
    finished_ = true;
}

}  // namespace tfx::stream
