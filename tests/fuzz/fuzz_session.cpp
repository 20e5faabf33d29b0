// libFuzzer target: the whole pipeline (decode, flow table, state machines, analysis and a
// renderer) fed with a byte stream cut into frames, Zeek FuzzBuffer style.
// Input: [link selector] [config] then chunks separated by kChunkSeparator, each
// [time step] [length tweak] [frame bytes] (see fuzz_input.hpp). The renderer writes to
// /dev/null, so the text, JSON, JSONL, DOT and CSV writers and the pictures are fuzzed too,
// with content hints, the findings tally and (by a config bit) --reassemble's stream facts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>

#include "fuzz/fuzz_input.hpp"
#include "stream/connection_streams.hpp"
#include "tfx/render.hpp"
#include "tfx/session.hpp"

namespace {

std::FILE* null_output() {
    static std::FILE* f = std::fopen("/dev/null", "w");
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const int link = tfx::fuzz::link_type_for(data[0]);
    const auto config = tfx::fuzz::SessionConfig::from(data[1]);
    auto renderer = tfx::make_renderer(config.format, null_output(), config.render);
    tfx::stream::DiscardedStreams discarded;
    std::optional<tfx::stream::ConnectionStreams> streams;
    if (config.reassemble)
        streams.emplace(*renderer, discarded, tfx::stream::StreamLimits{}, tfx::stream::StreamBudget::kDefaultLimit,
                        tfx::stream::StreamFacts::Attached);
    tfx::Session session(config.options, streams ? static_cast<tfx::EventSink&>(*streams) : *renderer);
    tfx::CaptureInfo info;
    info.source = "fuzz.pcap";
    info.format = "pcap";
    info.link_types = {link};
    info.snaplen = 262144;
    session.start(info);

    tfx::fuzz::for_each_chunk_frame(std::span<const std::uint8_t>(data + 2, size - 2), link,
                                    [&session](const tfx::RawFrame& f) { session.feed(f); });
    session.finish((data[1] & 0x30U) == 0x30U ? "fuzz: truncated record" : "");
    return 0;
}
