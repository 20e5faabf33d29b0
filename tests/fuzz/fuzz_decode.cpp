// libFuzzer target: one frame through decode_frame, for every link type decode reads.
// Input: [link selector] [frame bytes]. The decoded fields are consumed so that a read of
// uninitialised or out-of-bounds memory is used (and seen by the sanitizers).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/decoded_frame.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const int link = tfx::fuzz::link_type_for(data[0]);
    const std::span<const std::byte> frame{reinterpret_cast<const std::byte*>(data + 1), size - 1};
    // The wire length as libpcap would give it, and a lying one (smaller than captured).
    const auto caplen = static_cast<std::uint32_t>(frame.size());
    for (const std::uint32_t wire : {caplen, caplen / 2U, caplen + 1000U}) {
        const auto d = tfx::decode::decode_frame(link, frame, wire);
        // Invariants every caller relies on.
        if (d.issue_count > tfx::decode::DecodedFrame::kMaxIssues) __builtin_trap();
        if (d.kind == tfx::decode::FrameKind::Tcp && d.payload.size() != d.payload_captured) __builtin_trap();
        if (!d.payload.empty() &&
            (d.payload.data() < frame.data() || d.payload.data() + d.payload.size() > frame.data() + frame.size()))
            __builtin_trap();
        if (d.kind == tfx::decode::FrameKind::Tcp && d.payload_captured > d.payload_len) __builtin_trap();
        // Every length is checked against the bytes it covers: a segment never claims more
        // bytes than the frame had on the wire (an IPv6 Jumbo length below its own header
        // once made it 2^32 - 28).
        if (d.kind == tfx::decode::FrameKind::Tcp &&
            std::size_t{d.payload_len} + d.tcp_header_len > std::max<std::size_t>(wire, frame.size()))
            __builtin_trap();
        // Touch the payload bytes: an out-of-range view is reported by ASan here.
        unsigned sum = 0;
        for (const auto b : d.payload) sum += static_cast<unsigned>(b);
        for (const auto& issue : d.issue_list()) sum += static_cast<unsigned>(issue.code);
        asm volatile("" : : "r"(sum));
    }
    return 0;
}
