// libFuzzer target: IP fragment reassembly (decode::FrameDecoder) over a stream of frames,
// the stateful part of decoding that an attacker controls most directly (fragment floods,
// overlaps, lying offsets and lengths, IPv6 fragment headers behind extension chains).
// Input: [link selector] [limits] then chunks as in fuzz_session ([time step] [length
// tweak] [frame bytes], separated by kChunkSeparator). The limits byte picks a small
// datagram cap (1..8) and timeout (1..16 s) so eviction and expiry run on small inputs.

#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/reassembly.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const int link = tfx::fuzz::link_type_for(data[0]);
    tfx::decode::ReassemblyLimits limits;
    limits.max_datagrams = 1U + (data[1] & 7U);
    limits.timeout = std::chrono::seconds(1 + (data[1] >> 4));
    tfx::decode::FrameDecoder decoder(limits);
    tfx::fuzz::for_each_chunk_frame(
        std::span<const std::uint8_t>(data + 2, size - 2), link, [&](const tfx::RawFrame& f) {
            const auto d = decoder.decode(f);
            if (decoder.in_progress() > limits.max_datagrams) __builtin_trap();
            if (d.kind == tfx::decode::FrameKind::Tcp && d.payload.size() != d.payload_captured) __builtin_trap();
            // A datagram whose overlapping copies differed never reaches the analysis.
            for (const auto& issue : d.issue_list())
                if (issue.code == tfx::AnnotationCode::IpReassembled && issue.b != 0 &&
                    d.kind != tfx::decode::FrameKind::Malformed)
                    __builtin_trap();
            unsigned sum = 0;  // touch the payload view (frame or reassembly buffer): ASan checks it
            for (const auto b : d.payload) sum += static_cast<unsigned>(b);
            asm volatile("" : : "r"(sum));
        });
    return 0;
}
