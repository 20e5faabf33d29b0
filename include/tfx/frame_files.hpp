#pragma once
/// Which file each frame of a capture read from several files came from.
///
/// The merge (several files read as one capture) hands frames out in frame-number order, so
/// the frames form runs, each from one file: rotated files give one run a file, files whose
/// packets interleave in time give more. Only the first frame of each run is kept, and a
/// frame's file is found by binary search: nothing is stored per frame. A capture of one
/// input has no FrameFiles at all, so its output pays nothing.
///
/// One thread records (the reading thread), others look up (the output's thread), without a
/// lock: runs are written into blocks that never move once allocated, and a run becomes
/// visible by a release store of the count of runs written; a reader acquire-loads that count
/// and searches only the runs below it, which are complete and never written again.
/// The reading thread records a frame before it hands that frame on (CaptureSet's merge), so a
/// reader asking about a frame it was handed finds every run up to that frame's published.

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>

#include "tfx/types.hpp"

namespace tfx {

class FrameFiles {
public:
    /// `frame` (numbers given in increasing order) came from file `file`. One thread only.
    void record(FrameIndex frame, std::size_t file) {
        const std::size_t count = count_.load(std::memory_order_relaxed);  // only this thread writes it
        if (count > 0 && last_file_ == file) return;
        const Place place = place_of(count);
        if (place.offset == 0) blocks_[place.block] = std::make_unique<Run[]>(block_size(place.block));
        blocks_[place.block][place.offset] = Run{frame, file};
        last_file_ = file;
        count_.store(count + 1, std::memory_order_release);
    }

    /// The file of a frame recorded (or of a frame after it, up to the next run); 0 before any.
    /// Any thread, at the same time as record().
    [[nodiscard]] std::size_t file_of(FrameIndex frame) const {
        // The first published run that starts after `frame`; the one before it holds `frame`.
        std::size_t low = 0, high = count_.load(std::memory_order_acquire);
        while (low < high) {
            const std::size_t mid = low + (high - low) / 2;
            if (frame < run(mid).first)
                high = mid;
            else
                low = mid + 1;
        }
        return low == 0 ? 0 : run(low - 1).file;
    }

private:
    struct Run {
        FrameIndex first;  ///< the run's first frame
        std::size_t file;
    };
    // Block k holds kFirstBlock << k runs, so 48 blocks hold more runs than there can be frames.
    static constexpr std::size_t kFirstBlock = 64;
    static constexpr std::size_t kBlocks = 48;
    struct Place {
        std::size_t block;
        std::size_t offset;
    };
    static constexpr std::size_t block_size(std::size_t block) { return kFirstBlock << block; }
    // Block k starts at run kFirstBlock * (2^k - 1).
    static constexpr Place place_of(std::size_t index) {
        const std::size_t block = static_cast<std::size_t>(std::bit_width(index / kFirstBlock + 1)) - 1;
        return {block, index - kFirstBlock * ((std::size_t{1} << block) - 1)};
    }
    [[nodiscard]] const Run& run(std::size_t index) const {
        const Place place = place_of(index);
        return blocks_[place.block][place.offset];
    }

    // A block's pointer is set before the count that covers its first run is published, and
    // never changes after.
    std::array<std::unique_ptr<Run[]>, kBlocks> blocks_;
    std::atomic<std::size_t> count_{0};
    std::size_t last_file_ = 0;  ///< the recording thread's own: the last run's file
};

}  // namespace tfx
