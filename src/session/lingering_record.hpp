#pragma once
// The compact form of a closed connection that only lingers for late segments (see
// ConnectionTable's lingering connections). Late segments must be judged exactly as if the
// record had stayed, so the form is lossless: it is the record's own bytes, every one of
// them, in fewer bytes. Most of a closed connection's record is zero or a fresh record's
// default by then (empty unacknowledged lists, no open spells or gaps, unused options), and
// its times are within seconds of its first and its sequence numbers near its bases: an 8-byte
// word of the record equal to a fresh record's costs one bit, a time its varint distance from
// the first frame's time, a sequence number its distance from a base (lingering_record.cpp).
//
// The record moves as bytes: what it owns out of line (a rare counters block, a long Zeek
// history, content bytes still waiting) is not copied but handed over with its pointer, and
// owned by the compact form until the record is decoded again. Every member of a Connection
// moves by its bytes (unique pointers, optionals, arrays and plain values: nothing points
// into the record itself), which is what lets the record be encoded whole, with no list of
// fields to keep in step with the structs.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "session/connection.hpp"
#include "tfx/session.hpp"

namespace tfx::session {

class LingeringCodec {
public:
    /// `options` gives the fresh record the words are compared with.
    explicit LingeringCodec(const Options& options);

    /// The compact form of `c`. The caller then forgets `c` without destroying it: what it
    /// owns out of line belongs to the compact form.
    [[nodiscard]] std::unique_ptr<std::uint8_t[]> encode(const Connection& c) const;
    /// Rebuilds in `storage` (sizeof(Connection) bytes, aligned for it) the record `bytes`
    /// holds; it owns again what the record owned out of line, so the compact form must be
    /// let go (or the record forgotten without being destroyed).
    static_assert(alignof(Connection) <= alignof(std::max_align_t));
    Connection& decode(const std::uint8_t* bytes, std::byte* storage) const;
    /// The size of a compact form.
    [[nodiscard]] static std::size_t size(const std::uint8_t* bytes);

    static constexpr std::size_t kWords = sizeof(Connection) / 8;
    static_assert(sizeof(Connection) % 8 == 0, "a record is a whole number of 8-byte words");

private:
    std::uint64_t fresh_[kWords]{};  ///< a fresh record's words
};

}  // namespace tfx::session
