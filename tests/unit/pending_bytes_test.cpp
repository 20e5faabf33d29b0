// PendingBytes: the JSON document's per-connection segment records, spilled to a temporary
// file beyond a memory budget. Whatever was spilled, each connection's bytes come back whole
// and in order, and memory stays under the budget. (Records cut by its pieces:
// segment_record_test.cpp.)

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "render/pending_bytes.hpp"

namespace {

using tfx::ConversationId;
using tfx::render::PendingBytes;

std::string take_all(PendingBytes& p, ConversationId id) {
    std::string out;
    p.take(id, [&out](std::string_view piece) { out.append(piece); });
    return out;
}

TEST(PendingBytes, SpillsBeyondTheBudgetAndGivesEverythingBackInOrder) {
    PendingBytes pending(4096);
    std::map<ConversationId, std::string> expected;
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto id = static_cast<ConversationId>(rng() % 60 + 1);
        std::string bytes = "<" + std::to_string(i) + ">";  // binary: NULs and all
        for (std::size_t n = rng() % 300; n > 0; --n) bytes.push_back(static_cast<char>(rng() % 256));
        pending.append(id, bytes);
        expected[id] += bytes;
        EXPECT_LE(pending.bytes_in_memory(), 4096u + 400u);
        if (i % 997 == 0) {  // some connections end while others keep going
            const auto done = static_cast<ConversationId>(rng() % 60 + 1);
            EXPECT_EQ(take_all(pending, done), expected[done]);
            expected.erase(done);
            EXPECT_TRUE(pending.empty(done));
        }
    }
    EXPECT_GT(pending.bytes_spilled(), 1'000'000u);
    for (auto& [id, text] : expected) EXPECT_EQ(take_all(pending, id), text) << id;
    EXPECT_EQ(pending.bytes_in_memory(), 0u);
}

TEST(PendingBytes, LongBytesComeBackInBoundedPieces) {
    PendingBytes pending(1 << 20);
    const std::string big(3 << 20, 'y');
    pending.append(1, big);
    std::size_t pieces = 0, total = 0;
    pending.take(1, [&](std::string_view piece) {
        ++pieces;
        total += piece.size();
        EXPECT_LE(piece.size(), PendingBytes::kPieceSize);
    });
    EXPECT_EQ(total, big.size());
    EXPECT_GE(pieces, 3u);
}

TEST(PendingBytes, UnknownConnectionIsEmpty) {
    PendingBytes pending;
    EXPECT_TRUE(pending.empty(5));
    EXPECT_EQ(take_all(pending, 5), "");
}

}  // namespace
