// Gaps, SACK holes and capture drops of one direction (analysis/reorder.hpp), on states built
// by hand: every expected value is a byte count or sequence number the test constructs.

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

#include "analysis/reorder.hpp"
#include "tfx/annotation.hpp"
#include "tfx/segment.hpp"
#include "tfx/seq.hpp"

namespace {

using tfx::AnnotatedSegment;
using tfx::AnnotationCode;
using tfx::SeqNum;
using tfx::analysis::DirectionState;

// A receiver whose latest ACK is `cum` with SACK blocks `blocks` (RFC 2018 §3).
DirectionState receiver(std::uint32_t cum, std::initializer_list<tfx::SackBlock> blocks) {
    DirectionState rev;
    rev.lastack = cum;
    rev.lastack_set = true;
    rev.last_had_sack = true;
    for (const tfx::SackBlock& b : blocks) {
        rev.use_rare().sack[rev.sack_count++] = b;
    }
    return rev;
}

TEST(ReorderSackHole, BytesBetweenTheAckAndASackBlockAreAHole) {
    // RFC 6675 §2: 1000..1999 not received, 2000..2999 SACKed: the receiver asks for 1000.
    const DirectionState rev = receiver(1000, {{2000, 3000}});
    EXPECT_TRUE(tfx::analysis::sack_hole(rev, SeqNum{1000}, SeqNum{1500}));
    EXPECT_TRUE(tfx::analysis::sack_hole(rev, SeqNum{1500}, SeqNum{2000}));
}

TEST(ReorderSackHole, SackedOrAcknowledgedBytesAreNoHole) {
    // Two blocks, so that each range below has SACKed data above it.
    const DirectionState rev = receiver(1000, {{2000, 3000}, {4000, 5000}});
    EXPECT_FALSE(tfx::analysis::sack_hole(rev, SeqNum{2000}, SeqNum{2500}));  // inside a block
    EXPECT_FALSE(tfx::analysis::sack_hole(rev, SeqNum{500}, SeqNum{1000}));   // below the ACK
    EXPECT_TRUE(tfx::analysis::sack_hole(rev, SeqNum{3000}, SeqNum{4000}));   // between the blocks
    EXPECT_FALSE(tfx::analysis::sack_hole(rev, SeqNum{5000}, SeqNum{5500}));  // above every block
}

TEST(ReorderGaps, TheFirstArrivalClassifiesTheGapAndFilledGapsAreForgotten) {
    DirectionState fwd;
    tfx::analysis::open_gap(fwd, SeqNum{1000}, SeqNum{3000}, 7, tfx::Timestamp{});
    DirectionState::Gap* gap = tfx::analysis::find_gap(fwd, SeqNum{1000}, SeqNum{2000});
    ASSERT_NE(gap, nullptr);
    EXPECT_EQ(gap->frame, 7U);
    tfx::analysis::note_gap_filled(fwd, *gap, true, SeqNum{1000}, SeqNum{2000});
    EXPECT_EQ(fwd.stats.published().gaps_filled_by_reordering, 1U);
    // 2000..2999 still open; a second arrival does not count the gap again.
    gap = tfx::analysis::find_gap(fwd, SeqNum{2000}, SeqNum{3000});
    ASSERT_NE(gap, nullptr);
    tfx::analysis::note_gap_filled(fwd, *gap, false, SeqNum{2000}, SeqNum{3000});
    EXPECT_EQ(fwd.stats.published().gaps_filled_by_retransmission, 0U);
    EXPECT_EQ(fwd.gap_count, 0U);
    EXPECT_EQ(tfx::analysis::find_gap(fwd, SeqNum{1000}, SeqNum{3000}), nullptr);
}

TEST(ReorderCaptureDrop, AnAckedGapCountsItsBytesOnce) {
    // The capture saw 0..999 and 3000..3999 of this side; the peer acknowledges 4000.
    DirectionState side;
    side.has_seen_end = true;
    side.seen_end = SeqNum{4000};
    tfx::analysis::open_gap(side, SeqNum{1000}, SeqNum{3000}, 5, tfx::Timestamp{});
    AnnotatedSegment out;
    tfx::analysis::note_capture_drop(side, SeqNum{4000}, 0, out);
    tfx::analysis::prune_gaps(side, SeqNum{4000});
    EXPECT_EQ(side.stats.published().capture_dropped_bytes, 2000U);
    EXPECT_EQ(side.stats.published().capture_drops, 1U);
    ASSERT_TRUE(out.has(AnnotationCode::CaptureDrop));
    EXPECT_EQ(out.notes()[0].related, 5U);
    EXPECT_EQ(out.notes()[0].a, 2000);
    EXPECT_EQ(out.notes()[0].b, 1000);
    // The same ACK again: nothing new.
    AnnotatedSegment again;
    tfx::analysis::note_capture_drop(side, SeqNum{4000}, 0, again);
    EXPECT_FALSE(again.has(AnnotationCode::CaptureDrop));
    EXPECT_EQ(side.stats.published().capture_dropped_bytes, 2000U);
}

TEST(ReorderRareState, AllocatedOnlyByAFieldThatLivesThere) {
    // Gaps and the highest byte seen live elsewhere: the rare block stays unallocated.
    DirectionState side;
    side.has_seen_end = true;
    side.seen_end = SeqNum{1000};
    tfx::analysis::open_gap(side, SeqNum{200}, SeqNum{400}, 3, tfx::Timestamp{});
    EXPECT_EQ(side.rare, nullptr);
    // An ACK of 1000 bytes beyond the highest seen: the drop mark (in the rare block) is set.
    AnnotatedSegment out;
    tfx::analysis::note_capture_drop(side, SeqNum{2000}, 0, out);
    ASSERT_NE(side.rare, nullptr);
    EXPECT_TRUE(side.has_drop_mark);
    EXPECT_EQ(side.rare->drop_mark, SeqNum{2000});
}

TEST(ReorderCaptureDrop, BytesAckedBeyondTheHighestSeenAreDropped) {
    DirectionState side;
    side.has_seen_end = true;
    side.seen_end = SeqNum{1000};
    AnnotatedSegment out;
    tfx::analysis::note_capture_drop(side, SeqNum{1000 + 1460}, 0, out);
    EXPECT_EQ(side.stats.published().capture_dropped_bytes, 1460U);
    // A later ACK, still above everything seen, adds only the bytes above the previous one.
    AnnotatedSegment later;
    tfx::analysis::note_capture_drop(side, SeqNum{1000 + 1460 + 540}, 0, later);
    EXPECT_EQ(side.stats.published().capture_dropped_bytes, 2000U);
    EXPECT_EQ(side.stats.published().capture_drops, 2U);
}

}  // namespace
