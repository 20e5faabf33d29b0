// The live record's finding counters (session/code_counts.hpp).

#include <gtest/gtest.h>

#include "session/code_counts.hpp"

using namespace tfx;

// The live record's compact finding counters give the same table as one counter per code,
// with few kinds (inline) and with more kinds than fit inline (then a full table).
TEST(CodeCounts, MatchOneCounterPerCodeWithFewAndManyKinds) {
    for (const int kinds : {0, 1, 6, 7, kAnnotationCodeCount}) {
        session::CodeCounts counts;
        session::CodeCounts::Table expected{};
        for (int round = 0; round < 3; ++round) {
            for (int k = 0; k < kinds; ++k) {
                const int code = (k * 5 + 3) % kAnnotationCodeCount;  // distinct, not in code order
                for (int n = 0; n <= k % 4; ++n) {
                    counts.add(static_cast<AnnotationCode>(code));
                    ++expected[static_cast<std::size_t>(code)];
                }
            }
        }
        EXPECT_EQ(counts.table(), expected) << kinds << " kinds";
    }
}
