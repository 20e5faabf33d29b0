#pragma once
// The compact form of a closed connection that only lingers for late segments (see
// ConnectionTable's lingering connections). Late segments must be judged exactly as if the
// record had stayed, so the form is lossless: every field of the record, each by a fixed rule
// for its kind, in about as few bytes as its value needs (lingering_fields.hpp visits the
// fields, lingering_record.cpp writes them). By then most of a closed connection's fields are
// zero, small, or near a value the record already holds: its times within seconds of its first
// frame's time and its latest ones at its last frame's, its frame numbers between its first and
// last frames, its sequence numbers near their side's base or highest.
//
// What the record owns out of line (a rare counters block, a long Zeek history, content bytes
// still waiting, unacknowledged segments) is not copied but handed over with its pointer, and
// owned by the compact form until the record is decoded again. The flow key is not kept: the
// lingering table files the compact form under it and gives it back for decoding.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "session/connection.hpp"
#include "tfx/session.hpp"

namespace tfx::session {

class LingeringCodec {
public:
    /// `options` gives the fresh record a decoded one starts from.
    explicit LingeringCodec(const Options& options);
    LingeringCodec(const LingeringCodec&) = delete;
    LingeringCodec& operator=(const LingeringCodec&) = delete;

    /// The compact form of `c`. The caller then forgets `c` without destroying it: what it
    /// owns out of line belongs to the compact form.
    [[nodiscard]] std::unique_ptr<std::uint8_t[]> encode(const Connection& c) const;
    /// Rebuilds in `storage` (sizeof(Connection) bytes, aligned for it) the record `bytes`
    /// holds, filed under `key`; it owns again what the record owned out of line, so the
    /// compact form must be let go (or the record forgotten without being destroyed).
    static_assert(alignof(Connection) <= alignof(std::max_align_t));
    Connection& decode(const std::uint8_t* bytes, const FlowKey& key, std::byte* storage) const;
    /// The size of a compact form.
    [[nodiscard]] std::size_t size(const std::uint8_t* bytes) const;

private:
    alignas(Connection) std::byte fresh_[sizeof(Connection)];  ///< a fresh record, its bytes
    std::size_t code_bytes_ = 0;  ///< bytes of its values' codes (the same for every record)
    std::size_t flag_bytes_ = 0;  ///< bytes of its flags, one bit each
};

}  // namespace tfx::session
