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
    tfx::Timestamp now{std::chrono::seconds(1'700'000'000)};
    tfx::FrameIndex index = 1;
    tfx::fuzz::for_each_chunk(std::span<const std::uint8_t>(data + 2, size - 2), [&](std::span<const std::uint8_t> chunk) {
        if (chunk.size() < 2) return;
        tfx::RawFrame f;
        f.index = index++;
        f.link_type = link;
        f.data = {reinterpret_cast<const std::byte*>(chunk.data() + 2), chunk.size() - 2};
        f.caplen = static_cast<std::uint32_t>(f.data.size());
        tfx::fuzz::apply_chunk_header(chunk[0], chunk[1], now, f);
        const auto d = decoder.decode(f);
        if (decoder.in_progress() > limits.max_datagrams) __builtin_trap();
        if (d.kind == tfx::decode::FrameKind::Tcp && d.payload.size() != d.payload_captured) __builtin_trap();
        unsigned sum = 0;  // touch the payload view (frame or reassembly buffer): ASan checks it
        for (const auto b : d.payload) sum += static_cast<unsigned>(b);
        asm volatile("" : : "r"(sum));
    });
    return 0;
}
