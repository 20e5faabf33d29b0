// Which file each frame came from (tfx/frame_files.hpp): runs of frames, looked up by
// binary search, recorded by one thread while others look up without a lock.

#include "tfx/frame_files.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace {

using tfx::FrameFiles;
using tfx::FrameIndex;

TEST(FrameFiles, FramesBelongToTheRunTheyFallIn) {
    FrameFiles files;
    EXPECT_EQ(files.file_of(1), 0U);  // nothing recorded yet
    files.record(3, 2);
    files.record(4, 2);  // the same run
    files.record(7, 1);
    files.record(9, 2);
    EXPECT_EQ(files.file_of(1), 0U);  // before the first run
    EXPECT_EQ(files.file_of(3), 2U);
    EXPECT_EQ(files.file_of(6), 2U);
    EXPECT_EQ(files.file_of(7), 1U);
    EXPECT_EQ(files.file_of(8), 1U);
    EXPECT_EQ(files.file_of(9), 2U);
    EXPECT_EQ(files.file_of(1000), 2U);  // the last run goes on
}

// A file per frame, alternating: a run per frame, across many blocks of runs.
std::size_t file_for(FrameIndex frame) {
    return static_cast<std::size_t>(frame % 7 < 3 ? frame % 2 : 2 + frame / 1000 % 3);
}

TEST(FrameFiles, ManyRunsAcrossBlocks) {
    FrameFiles files;
    constexpr FrameIndex kFrames = 100'000;
    for (FrameIndex f = 1; f <= kFrames; ++f) files.record(f, file_for(f));
    for (FrameIndex f = 1; f <= kFrames; ++f) ASSERT_EQ(files.file_of(f), file_for(f)) << f;
}

// Readers ask, as the output's thread does, only about frames already recorded, while the
// writer records more: every answer is exact (and ThreadSanitizer sees no race).
TEST(FrameFiles, ReadersLookUpWhileTheWriterRecords) {
    FrameFiles files;
    constexpr FrameIndex kFrames = 100'000;
    std::atomic<FrameIndex> recorded{0};
    std::atomic<bool> wrong{false};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&, r] {
            FrameIndex seen = 0;
            while (seen < kFrames) {
                seen = recorded.load(std::memory_order_acquire);
                // The newest frames, whose runs were the last published.
                for (FrameIndex back = 0; back < 64 && back < seen; back += static_cast<FrameIndex>(r + 1))
                    if (files.file_of(seen - back) != file_for(seen - back)) wrong = true;
            }
        });
    }
    for (FrameIndex f = 1; f <= kFrames; ++f) {
        files.record(f, file_for(f));
        recorded.store(f, std::memory_order_release);  // as the reading thread hands the frame on
    }
    for (auto& t : readers) t.join();
    EXPECT_FALSE(wrong.load());
}

}  // namespace
