#pragma once
// The JSON document nests each connection's segments inside the connection, which is written
// when the connection ends; until then its segments wait here, as compact binary records
// (segment_record.hpp), appended per connection. This store keeps them in memory up to a
// budget and spills the largest waiting connections' bytes to an unnamed temporary file
// beyond it, so `--format json` needs bounded memory however many connections stay open.
// The bytes come back the same either way. The store does not look inside them.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tfx/result.hpp"
#include "tfx/types.hpp"

namespace tfx::render {

/// The temporary file failed while bytes were in it (a full disk, a file size limit, an I/O
/// error): they cannot be given back. Not a bug, so it carries the sentence to say and an
/// I/O error's kind; what() is the sentence in English.
class SpillFailure : public std::runtime_error {
public:
    explicit SpillFailure(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
    [[nodiscard]] const Error& error() const { return error_; }

private:
    Error error_;
};

class PendingBytes {
public:
    static constexpr std::size_t kDefaultBudget = std::size_t{64} << 20;  // 64 MiB
    /// take() hands the bytes over in pieces of at most this size (a piece may cut a record).
    static constexpr std::size_t kPieceSize = std::size_t{1} << 20;

    explicit PendingBytes(std::size_t memory_budget = kDefaultBudget) : budget_(memory_budget) {}
    ~PendingBytes();
    PendingBytes(const PendingBytes&) = delete;
    PendingBytes& operator=(const PendingBytes&) = delete;

    /// Appends `bytes` to the connection's bytes (creating them).
    void append(ConversationId id, std::string_view bytes);
    [[nodiscard]] bool empty(ConversationId id) const;
    /// Hands the connection's bytes, in order and in pieces of at most kPieceSize, to `sink`,
    /// then forgets them. Nothing happens for an unknown id. Throws SpillFailure when spilled
    /// bytes cannot be read back (or the last of them could not be written).
    void take(ConversationId id, const std::function<void(std::string_view)>& sink);

    [[nodiscard]] std::size_t bytes_in_memory() const { return in_memory_; }
    /// Everything ever written to the spill file.
    [[nodiscard]] std::uint64_t bytes_spilled() const { return spilled_total_; }

private:
    struct Chunk {
        std::uint64_t offset;
        std::uint64_t size;
    };
    struct Entry {
        std::vector<Chunk> spilled;  ///< older bytes, in the spill file, in order
        std::string tail;            ///< newer bytes, in memory
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
