#pragma once
// The caller's records, indexed by FlowTable slot: built in place when a connection starts,
// destroyed when it ends, never moved. Storage comes in fixed chunks that are kept and
// reused (the flow table hands freed slots out again), so a run allocates for the most
// connections alive at once, once, and starting a connection allocates nothing: no
// malloc per connection, no fragmentation, no pointer to follow before the record.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace tfx::flow {

template <typename Record>
class SlotArray {
public:
    /// Builds the record of an empty `slot`.
    template <typename... Args>
    Record& emplace(std::uint32_t slot, Args&&... args) {
        while (chunks_.size() <= slot / kChunk) chunks_.push_back(std::make_unique<Chunk>());
        return cell(slot).emplace(std::forward<Args>(args)...);
    }
    /// Destroys the record of `slot` (the storage stays for the next one).
    void erase(std::uint32_t slot) { cell(slot).reset(); }

    /// The record of `slot`, or nullptr.
    [[nodiscard]] Record* find(std::uint32_t slot) {
        if (slot / kChunk >= chunks_.size()) return nullptr;
        auto& c = cell(slot);
        return c ? &*c : nullptr;
    }
    /// The record of a slot known to hold one.
    [[nodiscard]] Record& operator[](std::uint32_t slot) { return *cell(slot); }
    [[nodiscard]] const Record& operator[](std::uint32_t slot) const {
        return *(*chunks_[slot / kChunk])[slot % kChunk];
    }
    /// Slots that have storage (records may be absent in some).
    [[nodiscard]] std::size_t capacity() const { return chunks_.size() * kChunk; }

private:
    static constexpr std::size_t kChunk = 256;
    using Chunk = std::array<std::optional<Record>, kChunk>;
    std::optional<Record>& cell(std::uint32_t slot) { return (*chunks_[slot / kChunk])[slot % kChunk]; }

    std::vector<std::unique_ptr<Chunk>> chunks_;
};

}  // namespace tfx::flow
