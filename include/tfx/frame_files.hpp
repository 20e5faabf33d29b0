#pragma once
/// Which file each frame of a capture read from several files came from.
///
/// The merge (several files read as one capture) hands frames out in frame-number order, so
/// the frames form runs, each from one file: rotated files give one run a file, files whose
/// packets interleave in time give more. Only the first frame of each run is kept, and a
/// frame's file is found by binary search: nothing is stored per frame. Filled by the
/// reading thread while the output's thread looks frames up, hence the lock; a capture of
/// one input has no FrameFiles at all, so its output pays nothing.

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "tfx/types.hpp"

namespace tfx {

class FrameFiles {
public:
    /// `frame` (numbers given in increasing order) came from file `file`.
    void record(FrameIndex frame, std::size_t file) {
        if (last_file_ == file && !empty_) return;
        last_file_ = file;
        empty_ = false;
        const std::lock_guard lock(mutex_);
        runs_.emplace_back(frame, file);
    }
    /// The file of a frame recorded (or of a frame after it, up to the next run); 0 before any.
    [[nodiscard]] std::size_t file_of(FrameIndex frame) const {
        const std::lock_guard lock(mutex_);
        const auto after = std::upper_bound(runs_.begin(), runs_.end(), frame,
                                            [](FrameIndex f, const Run& run) { return f < run.first; });
        return after == runs_.begin() ? 0 : std::prev(after)->second;
    }

private:
    using Run = std::pair<FrameIndex, std::size_t>;  ///< a run's first frame, its file
    mutable std::mutex mutex_;
    std::vector<Run> runs_;
    // The recording thread's own copy of the last run's file: it locks only to add a run.
    std::size_t last_file_ = 0;
    bool empty_ = true;
};

}  // namespace tfx
