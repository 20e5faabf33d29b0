// PendingText: the JSON document's per-connection segment text, spilled to a temporary file
// beyond a memory budget. Whatever was spilled, each connection's text comes back whole and
// in order, and memory stays under the budget.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "render/pending_text.hpp"

namespace {

using tfx::ConversationId;
using tfx::render::PendingText;

std::string take_all(PendingText& p, ConversationId id) {
    std::string out;
    p.take(id, [&out](std::string_view piece) { out.append(piece); });
    return out;
}

TEST(PendingText, SpillsBeyondTheBudgetAndGivesEverythingBackInOrder) {
    PendingText pending(4096);
    std::map<ConversationId, std::string> expected;
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto id = static_cast<ConversationId>(rng() % 60 + 1);
        const std::string element = "{\"frame\": " + std::to_string(i) + std::string(rng() % 300, 'x') + "}";
        pending.append_element(id, ',', element);
        expected[id] += (expected[id].empty() ? "" : ",") + element;
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

TEST(PendingText, LongTextComesBackInBoundedPieces) {
    PendingText pending(1 << 20);
    const std::string big(3 << 20, 'y');
    pending.append_element(1, ',', big);
    std::size_t pieces = 0, total = 0;
    pending.take(1, [&](std::string_view piece) {
        ++pieces;
        total += piece.size();
        EXPECT_LE(piece.size(), std::size_t{1} << 20);
    });
    EXPECT_EQ(total, big.size());
    EXPECT_GE(pieces, 3u);
}

TEST(PendingText, UnknownConnectionIsEmpty) {
    PendingText pending;
    EXPECT_TRUE(pending.empty(5));
    EXPECT_EQ(take_all(pending, 5), "");
}

}  // namespace
