#pragma once
// The per-direction list of sent, not yet acknowledged segments (Wireshark's "unacked"
// list): a ring buffer in insertion order, grown by doubling up to a bound, so steady state
// allocates nothing. The bound (Options::max_unacked_segments) is the same for every list, so
// the caller passes it to push() rather than each list keeping a copy. Sequence comparisons
// are modular (SeqNum).
//
// In order (the usual case) the entries an ACK removes are a prefix and the extent is the
// first and last entry. Out of order (retransmissions, reordering, or a sender writing random
// sequence numbers), a question about a range would scan the whole list, up to the bound
// (4096) for every segment; from kIndexFrom entries on, an index ordered by where each entry
// ends answers it from the few entries near the range (O(log n)). Entries that lie within
// 2^31 of each other, as a real window does, get exactly the linear scan's answers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <set>
#include <utility>

#include "tfx/seq.hpp"
#include "tfx/types.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::analysis {

struct UnackedSegment {
    SeqNum seq;      ///< first unacknowledged sequence number (trimmed by partial ACKs)
    SeqNum nextseq;  ///< seq + len (+1 for SYN/FIN)
    Timestamp ts{};
    // 24 bytes, not 32: the flag shares the frame's word (no capture has 2^63 frames).
    static constexpr FrameIndex kFrameBits = (FrameIndex{1} << 63) - 1;  ///< a frame number, kept to 63 bits
    FrameIndex frame : 63 = 0;
    bool resent : 1 = false;  ///< this range was sent more than once (Karn's rule)
};
static_assert(sizeof(UnackedSegment) == 24);

class UnackedList {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    /// The bound push() takes: Options::max_unacked_segments, at least 1.
    [[nodiscard]] static std::uint32_t bound_of(std::size_t max_unacked_segments) {
        return static_cast<std::uint32_t>(std::clamp<std::size_t>(max_unacked_segments, 1, UINT32_MAX));
    }

    [[nodiscard]] std::size_t size() const { return count_; }
    [[nodiscard]] bool empty() const { return count_ == 0; }
    /// i = 0 is the oldest entry.
    [[nodiscard]] UnackedSegment& at(std::size_t i) { return buf_[wrap(head_ + i)]; }
    [[nodiscard]] const UnackedSegment& at(std::size_t i) const { return buf_[wrap(head_ + i)]; }

    /// Appends; when `bound` (bound_of(), the same at every call) entries are held, the oldest
    /// is dropped first and true returned. Entries are pushed in frame order (the index finds
    /// them by frame).
    bool push(const UnackedSegment& s, std::uint32_t bound) {
        bool dropped = false;
        if (count_ >= bound) {
            pop_front();
            dropped = true;
        } else if (count_ == capacity_) {
            grow(bound);
        }
        if (count_ > 0) {
            const UnackedSegment& last = at(count_ - 1);
            if (seq_before(s.seq, last.seq) || seq_before(s.nextseq, last.nextseq)) {
                sorted_ = false;
            }
        }
        buf_[wrap(head_ + count_)] = s;
        ++count_;
        if (indexed()) {
            // A window that has moved half-way to the ends of the order gets a new centre;
            // at most once per count_ pushes, so wild numbers cannot make every push rebuild.
            const std::uint64_t o = offset(s.nextseq);
            if (++index_->pushes_since_build >= count_ && (o < (1ULL << 30) || o > (3ULL << 30))) {
                drop_index();
                build_index();
            } else {
                index_add(s);
            }
        } else if (!sorted_ && count_ >= kIndexFrom) {
            build_index();
        }
        return dropped;
    }

    void pop_front() {
        if (indexed()) index_remove(at(0));
        head_ = static_cast<std::uint32_t>(wrap(head_ + 1));
        if (--count_ == 0) {
            head_ = 0;
            sorted_ = true;
            drop_index();
        }
    }

    /// The lowest seq and the highest nextseq of the entries (the list must not be empty).
    [[nodiscard]] std::pair<SeqNum, SeqNum> extent() const {
        if (sorted_) return {at(0).seq, at(count_ - 1).nextseq};
        return unsorted_extent();
    }

    /// Whether an entry shares a byte with [seq, end).
    [[nodiscard]] [[gnu::noinline]] bool overlaps(SeqNum seq, SeqNum end) const {
        bool any = false;
        for_overlapping(seq, end, [&any](std::size_t) {
            any = true;
            return false;
        });
        return any;
    }

    /// Marks every entry sharing a byte with [seq, end) as resent (Karn); returns the oldest
    /// of them (the original transmission), or nullptr.
    [[gnu::noinline]] UnackedSegment* mark_resent(SeqNum seq, SeqNum end) {
        std::size_t oldest = count_;
        for_overlapping(seq, end, [&](std::size_t i) {
            at(i).resent = true;
            oldest = std::min(oldest, i);
            return true;
        });
        return oldest < count_ ? &at(oldest) : nullptr;
    }

    /// Gives the buffer back when nothing is outstanding (a closed connection lingering for
    /// late segments needs none); the next push allocates again.
    void release_if_empty() {
        if (count_ == 0) {
            buf_.reset();
            capacity_ = 0;
            head_ = 0;
        }
    }

    /// Both seq and nextseq are non-decreasing in insertion order: the entries an ACK removes
    /// or trims form a prefix.
    [[nodiscard]] bool sorted() const { return sorted_; }

    /// Keeps the entries for which keep(entry) is true, in order; re-derives sortedness.
    /// keep() may raise an entry's seq (a partial ACK), never change its nextseq.
    template <typename Keep>
    void compact(Keep&& keep) {
        std::size_t w = 0;
        bool sorted = true;
        for (std::size_t r = 0; r < count_; ++r) {
            UnackedSegment& e = at(r);
            if (!keep(e)) {
                if (indexed()) index_remove(e);
                continue;
            }
            if (w > 0) {
                const UnackedSegment& prev = at(w - 1);
                if (seq_before(e.seq, prev.seq) || seq_before(e.nextseq, prev.nextseq)) {
                    sorted = false;
                }
            }
            if (w != r) {
                at(w) = e;
            }
            ++w;
        }
        count_ = static_cast<std::uint32_t>(w);
        if (count_ == 0) {
            head_ = 0;
        }
        sorted_ = sorted;
        if (sorted_) drop_index();
    }

    /// Entries from which an out-of-order list is indexed.
    static constexpr std::size_t kIndexFrom = 64;

private:
    // Out of order and at least kIndexFrom entries: (offset of nextseq, frame) of each.
    struct Index {
        std::set<std::pair<std::uint64_t, FrameIndex>> ends;
        std::uint32_t base = 0;
        std::uint32_t max_len = 0;  ///< longest nextseq - seq indexed
        std::uint32_t pushes_since_build = 0;
    };

    [[nodiscard]] bool indexed() const { return index_ != nullptr; }
    // Out of line, as the other out-of-order paths: the in-order ones stay small where they
    // are inlined (the analyzer's per-segment code).
    [[nodiscard]] [[gnu::noinline]] std::pair<SeqNum, SeqNum> unsorted_extent() const {
        SeqNum first = at(0).seq;
        SeqNum last = at(count_ - 1).nextseq;
        if (!indexed()) {
            for (std::size_t i = 0; i < count_; ++i) {
                if (seq_before(at(i).seq, first)) first = at(i).seq;
                if (seq_after(at(i).nextseq, last)) last = at(i).nextseq;
            }
            return {first, last};
        }
        // The lowest seq belongs to an entry ending at most max_len after the lowest end.
        const auto& ends = index_->ends;
        last = entry(std::prev(ends.end())->second).nextseq;
        first = entry(ends.begin()->second).seq;
        const std::uint64_t limit = ends.begin()->first + index_->max_len;
        for (auto it = ends.begin(); it != ends.end() && it->first <= limit; ++it) {
            if (seq_before(entry(it->second).seq, first)) first = entry(it->second).seq;
        }
        return {first, last};
    }

    // Position in an order that agrees with the modular one for sequence numbers within
    // 2^31 of the entry the index is centred on: base is 2^31 below it.
    [[nodiscard]] std::uint64_t offset(SeqNum s) const { return static_cast<std::uint32_t>(s.raw() - index_->base); }
    void index_add(const UnackedSegment& s) {
        index_->ends.emplace(offset(s.nextseq), static_cast<FrameIndex>(s.frame));
        index_->max_len = std::max(index_->max_len, static_cast<std::uint32_t>(s.nextseq.raw() - s.seq.raw()));
    }
    void index_remove(const UnackedSegment& s) {
        index_->ends.erase({offset(s.nextseq), static_cast<FrameIndex>(s.frame)});
    }
    void build_index() {
        index_ = std::make_unique<Index>();
        index_->base = at(count_ - 1).seq.raw() - 0x80000000U;  // centred on the newest entry
        for (std::size_t i = 0; i < count_; ++i) index_add(at(i));
    }
    void drop_index() { index_.reset(); }
    // The position of the entry pushed with `frame` (frames are pushed in increasing order).
    [[nodiscard]] std::size_t position(FrameIndex frame) const {
        std::size_t lo = 0;
        std::size_t hi = count_;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (at(mid).frame < frame) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
    [[nodiscard]] const UnackedSegment& entry(FrameIndex frame) const { return at(position(frame)); }

    // Calls visit(position) for each entry sharing a byte with [seq, end) until it returns
    // false. Indexed: an entry that overlaps ends after seq and at most max_len after end.
    template <typename Visit>
    void for_overlapping(SeqNum seq, SeqNum end, Visit&& visit) const {
        const auto hit = [&](const UnackedSegment& e) { return seq_before(e.seq, end) && seq_before(seq, e.nextseq); };
        if (!indexed()) {
            for (std::size_t i = 0; i < count_; ++i) {
                if (hit(at(i)) && !visit(i)) return;
            }
            return;
        }
        const std::uint64_t from = offset(seq);
        const std::uint64_t to = offset(end) + index_->max_len;
        const auto& ends = index_->ends;
        for (auto it = ends.upper_bound({from, ~FrameIndex{0}}); it != ends.end() && it->first <= to; ++it) {
            const std::size_t i = position(it->second);
            if (hit(at(i)) && !visit(i)) return;
        }
    }

    [[nodiscard]] std::size_t wrap(std::size_t i) const { return i >= capacity_ ? i - capacity_ : i; }
    void grow(std::uint32_t bound) {
        std::size_t cap = capacity_ == 0 ? 8 : std::size_t{capacity_} * 2;
        if (cap > bound) {
            cap = bound;
        }
        auto next = std::make_unique<UnackedSegment[]>(cap);
        for (std::size_t i = 0; i < count_; ++i) {
            next[i] = at(i);
        }
        buf_ = std::move(next);
        capacity_ = static_cast<std::uint32_t>(cap);
        head_ = 0;
    }

    // 32-bit positions: the bound (Options::max_unacked_segments) is far below 2^32. The
    // list is 32 bytes, two of them in every connection's analyzer: the index, needed by
    // few connections, lives behind one pointer.
    std::unique_ptr<UnackedSegment[]> buf_;
    std::uint32_t capacity_ = 0;
    std::uint32_t head_ = 0;
    std::uint32_t count_ = 0;
    bool sorted_ = true;
    std::unique_ptr<Index> index_;
};

}  // namespace tfx::analysis
