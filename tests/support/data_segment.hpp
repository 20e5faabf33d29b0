#pragma once
// An AnnotatedSegment of connection 1 built by hand, for tests that drive one pipeline stage
// directly (no decoding, no session): who sent it, its flags, relative sequence number and
// payload, of which the first `captured` bytes were captured (all by default).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "tfx/segment.hpp"

namespace tfx::test {

/// The segment's payload views `payload`, which must outlive it.
[[nodiscard]] inline AnnotatedSegment data_segment(FrameIndex frame, Role sender, std::uint16_t flags,
                                                   std::uint32_t rel_seq, std::string_view payload,
                                                   std::optional<std::size_t> captured = std::nullopt) {
    AnnotatedSegment seg;
    seg.frame = frame;
    seg.conversation = 1;
    seg.has_tcp = true;
    seg.sender = sender;
    seg.flags = flags;
    seg.rel_seq = rel_seq;
    seg.payload_len = static_cast<std::uint32_t>(payload.size());
    const std::size_t present = captured.value_or(payload.size());
    seg.payload_captured = static_cast<std::uint32_t>(present);
    seg.payload = std::as_bytes(std::span(payload.data(), present));
    return seg;
}

}  // namespace tfx::test
