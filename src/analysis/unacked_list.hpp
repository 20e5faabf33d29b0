#pragma once
// The per-direction list of sent, not yet acknowledged segments (Wireshark's "unacked"
// list): a ring buffer in insertion order, grown by doubling up to a bound, so steady state
// allocates nothing. Sequence comparisons are modular (SeqNum).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tfx/seq.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

struct UnackedSegment {
    SeqNum seq;       ///< first unacknowledged sequence number (trimmed by partial ACKs)
    SeqNum nextseq;   ///< seq + len (+1 for SYN/FIN)
    Timestamp ts{};
    // 24 bytes, not 32: the flag shares the frame's word (no capture has 2^63 frames).
    FrameIndex frame : 63 = 0;
    bool resent : 1 = false;  ///< this range was sent more than once (Karn's rule)
};
static_assert(sizeof(UnackedSegment) == 24);

class UnackedList {
public:
    explicit UnackedList(std::size_t bound = 4096)
        : bound_(static_cast<std::uint32_t>(std::clamp<std::size_t>(bound, 1, UINT32_MAX))) {}

    [[nodiscard]] std::size_t size() const { return count_; }
    [[nodiscard]] bool empty() const { return count_ == 0; }
    /// i = 0 is the oldest entry.
    [[nodiscard]] UnackedSegment& at(std::size_t i) { return buf_[wrap(head_ + i)]; }
    [[nodiscard]] const UnackedSegment& at(std::size_t i) const { return buf_[wrap(head_ + i)]; }

    /// Appends; when the bound is reached the oldest entry is dropped first and true returned.
    bool push(const UnackedSegment& s) {
        bool dropped = false;
        if (count_ == bound_) {
            pop_front();
            dropped = true;
        } else if (count_ == buf_.size()) {
            grow();
        }
        if (count_ > 0) {
            const UnackedSegment& last = at(count_ - 1);
            if (seq_before(s.seq, last.seq) || seq_before(s.nextseq, last.nextseq)) {
                sorted_ = false;
            }
        }
        buf_[wrap(head_ + count_)] = s;
        ++count_;
        return dropped;
    }

    void pop_front() {
        head_ = static_cast<std::uint32_t>(wrap(head_ + 1));
        if (--count_ == 0) {
            head_ = 0;
            sorted_ = true;
        }
    }

    /// Gives the buffer back when nothing is outstanding (a closed connection lingering for
    /// late segments needs none); the next push allocates again.
    void release_if_empty() {
        if (count_ == 0) {
            std::vector<UnackedSegment>().swap(buf_);
            head_ = 0;
        }
    }

    /// Both seq and nextseq are non-decreasing in insertion order: the entries an ACK removes
    /// or trims form a prefix.
    [[nodiscard]] bool sorted() const { return sorted_; }

    /// Keeps the entries for which keep(entry) is true, in order; re-derives sortedness.
    template <typename Keep>
    void compact(Keep&& keep) {
        std::size_t w = 0;
        bool sorted = true;
        for (std::size_t r = 0; r < count_; ++r) {
            UnackedSegment& e = at(r);
            if (!keep(e)) {
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
    }

private:
    [[nodiscard]] std::size_t wrap(std::size_t i) const {
        return i >= buf_.size() ? i - buf_.size() : i;
    }
    void grow() {
        std::size_t cap = buf_.empty() ? 8 : buf_.size() * 2;
        if (cap > bound_) {
            cap = bound_;
        }
        std::vector<UnackedSegment> next(cap);
        for (std::size_t i = 0; i < count_; ++i) {
            next[i] = at(i);
        }
        buf_.swap(next);
        head_ = 0;
    }

    // 32-bit positions: the bound (Options::max_unacked_segments) is far below 2^32.
    std::vector<UnackedSegment> buf_;
    std::uint32_t head_ = 0;
    std::uint32_t count_ = 0;
    std::uint32_t bound_;
    bool sorted_ = true;
};

}  // namespace tfx::analysis
