#pragma once
// The JSON document nests each connection's segments inside the connection, which is written
// when the connection ends; until then its segments wait as text. This store keeps that text
// in memory up to a budget and spills the largest waiting texts to an unnamed temporary file
// beyond it, so `--format json` needs bounded memory however many connections stay open
// (a capture of long-lived connections would otherwise hold every segment: 1.8 GB on the
// 1M-packet benchmark). The output is the same either way.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::render {

class PendingText {
public:
    static constexpr std::size_t kDefaultBudget = std::size_t{64} << 20;  // 64 MiB

    explicit PendingText(std::size_t memory_budget = kDefaultBudget) : budget_(memory_budget) {}
    ~PendingText();
    PendingText(const PendingText&) = delete;
    PendingText& operator=(const PendingText&) = delete;

    /// Appends an element of a list to the connection's text (creating it): `separator`
    /// first unless the text is still empty.
    void append_element(ConversationId id, char separator, std::string_view element);
    [[nodiscard]] bool empty(ConversationId id) const;
    /// Hands the connection's whole text, in order and in pieces of at most 1 MiB, to `sink`,
    /// then forgets it. Nothing happens for an unknown id.
    void take(ConversationId id, const std::function<void(std::string_view)>& sink);

    [[nodiscard]] std::size_t bytes_in_memory() const { return in_memory_; }
    [[nodiscard]] std::uint64_t bytes_spilled() const { return spilled_total_; }

private:
    struct Chunk {
        std::uint64_t offset;
        std::uint64_t size;
    };
    struct Entry {
        std::vector<Chunk> spilled;  ///< older text, in the spill file, in order
        std::string tail;            ///< newer text, in memory
    };

    void spill();  // moves the largest tails to the file until half the budget is free

    std::size_t budget_;
    std::unordered_map<ConversationId, Entry> entries_;
    std::size_t in_memory_ = 0;
    std::FILE* file_ = nullptr;
    bool file_failed_ = false;  ///< no temporary file: everything stays in memory
    std::uint64_t file_size_ = 0;
    std::uint64_t spilled_total_ = 0;
};

}  // namespace tfx::render
