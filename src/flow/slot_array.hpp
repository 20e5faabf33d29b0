#pragma once
// The caller's records, indexed by FlowTable slot: built in place when a connection starts,
// destroyed when it ends, never moved. Storage comes in fixed chunks that are kept and
// reused (the flow table hands freed slots out again), so a run allocates for the most
// connections alive at once, once, and starting a connection allocates nothing: no
// malloc per connection, no fragmentation, no pointer to follow before the record.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include <sys/mman.h>

namespace tfx::flow {

template <typename Record>
class SlotArray {
public:
    SlotArray() = default;
    SlotArray(const SlotArray&) = delete;
    SlotArray& operator=(const SlotArray&) = delete;
    ~SlotArray() {
        for (std::uint32_t slot = 0; slot < capacity(); ++slot)
            if (Record* r = find(slot)) std::destroy_at(r);
    }

    /// Builds the record of an empty `slot`.
    template <typename... Args>
    Record& emplace(std::uint32_t slot, Args&&... args) {
        // Not value-initialised: records are built in place, and zeroing would be wasted.
        while (chunks_.size() <= slot / kChunk) chunks_.push_back(new_chunk());
        Record* r = new (storage(slot)) Record(std::forward<Args>(args)...);
        chunk(slot).used.set(slot % kChunk);
        return *r;
    }
    /// Destroys the record of `slot` (the storage stays for the next one).
    void erase(std::uint32_t slot) {
        if (Record* r = find(slot)) {
            std::destroy_at(r);
            chunk(slot).used.reset(slot % kChunk);
        }
    }

    /// The storage of an empty `slot`, marked as holding a record: for a record the caller
    /// writes there whole (its bytes, see session/lingering_record.hpp).
    [[nodiscard]] std::byte* claim(std::uint32_t slot) {
        while (chunks_.size() <= slot / kChunk) chunks_.push_back(new_chunk());
        chunk(slot).used.set(slot % kChunk);
        return storage(slot);
    }
    /// Marks `slot` empty without destroying its record: the caller took the record's bytes,
    /// and with them what it owns.
    void forget(std::uint32_t slot) { chunk(slot).used.reset(slot % kChunk); }

    /// The record of `slot`, or nullptr.
    [[nodiscard]] Record* find(std::uint32_t slot) const {
        if (slot / kChunk >= chunks_.size() || !chunk(slot).used.test(slot % kChunk)) return nullptr;
        return &(*this)[slot];
    }
    /// The record of a slot known to hold one (not checked: the per-packet path).
    [[nodiscard]] Record& operator[](std::uint32_t slot) const {
        return *std::launder(reinterpret_cast<Record*>(storage(slot)));
    }
    /// Where the record of `slot` lives, for prefetching its members' cache lines: reads
    /// nothing, so it costs no cache miss (the slot needs storage: one that held a record).
    /// Not for reading the record: that is operator[].
    [[nodiscard]] const Record* address(std::uint32_t slot) const {
        return reinterpret_cast<const Record*>(storage(slot));
    }
    /// The same for any slot: nullptr when it has no storage yet (a slot just handed out).
    [[nodiscard]] const Record* address_if_stored(std::uint32_t slot) const {
        return slot / kChunk < chunks_.size() ? address(slot) : nullptr;
    }
    /// Slots that have storage (records may be absent in some).
    [[nodiscard]] std::uint32_t capacity() const { return static_cast<std::uint32_t>(chunks_.size() * kChunk); }

private:
    static constexpr std::size_t kChunk = 256;
    struct Cell {
        alignas(Record) std::byte bytes[sizeof(Record)];
    };
    struct Chunk {
        Cell cells[kChunk];
        std::bitset<kChunk> used;
    };
    [[nodiscard]] Chunk& chunk(std::uint32_t slot) const { return *chunks_[slot / kChunk]; }
    [[nodiscard]] std::byte* storage(std::uint32_t slot) const { return chunk(slot).cells[slot % kChunk].bytes; }

    // Chunks are mapped with their pages already present (MAP_POPULATE): one system call
    // per chunk instead of a page fault per 4 KiB as records are first built, which in a
    // virtual machine is a trap to the host each.
    struct Unmap {
        void operator()(Chunk* c) const {
            c->~Chunk();
            ::munmap(c, sizeof(Chunk));
        }
    };
    using ChunkPtr = std::unique_ptr<Chunk, Unmap>;
    static ChunkPtr new_chunk() {
        void* p =
            ::mmap(nullptr, sizeof(Chunk), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        return ChunkPtr(new (p) Chunk);
    }

    std::vector<ChunkPtr> chunks_;
};

}  // namespace tfx::flow
