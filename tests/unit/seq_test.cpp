#include <gtest/gtest.h>

#include "tfx/seq.hpp"

using tfx::SeqNum;

TEST(SeqNum, ComparesAcrossWrap) {
    const SeqNum before_wrap{0xFFFFFFF0u};
    const SeqNum after_wrap{0x10u};
    EXPECT_TRUE(tfx::seq_before(before_wrap, after_wrap));
    EXPECT_TRUE(tfx::seq_after(after_wrap, before_wrap));
    EXPECT_LT(before_wrap, after_wrap);
    EXPECT_EQ(after_wrap - before_wrap, 0x20);
    EXPECT_EQ(before_wrap - after_wrap, -0x20);
}

TEST(SeqNum, AdditionWraps) {
    EXPECT_EQ((SeqNum{0xFFFFFFFFu} + 1u).raw(), 0u);
    EXPECT_EQ((SeqNum{0u} - 1u).raw(), 0xFFFFFFFFu);
}

TEST(SeqNum, HalfSpaceIsTheHorizon) {
    // RFC 1982: beyond 2^31 the order flips; exactly 2^31 apart is undefined, and we
    // must at least be consistent (never both before and after).
    const SeqNum a{0};
    EXPECT_TRUE(tfx::seq_after(SeqNum{0x7FFFFFFFu}, a));
    EXPECT_TRUE(tfx::seq_before(SeqNum{0x80000001u}, a));
    const SeqNum half{0x80000000u};
    EXPECT_FALSE(tfx::seq_before(half, a) && tfx::seq_after(half, a));
}

TEST(SeqNum, EqualityIsExact) {
    EXPECT_EQ(SeqNum{5}, SeqNum{5});
    EXPECT_NE(SeqNum{5}, SeqNum{6});
    EXPECT_FALSE(tfx::seq_after(SeqNum{5}, SeqNum{5}));
}
