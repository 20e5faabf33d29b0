// Micro-benchmarks of the pipeline stages, on frames built in memory (no capture file):
//   decode, flow-table lookup, session (flow + state machine + analysis, per frame),
//   and each renderer on pre-computed events. Timing lives here and in scripts/bench,
//   never in the unit tests.
//
//   build/ci/bench/tfx_micro_bench --benchmark_min_time=0.2

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "flow/flow_table.hpp"
#include "support/frame_builder.hpp"
#include "tfx/render.hpp"
#include "tfx/session.hpp"

namespace {

using namespace tfx;
using tfx::test::Bytes;

// A request/response connection as the generator makes them: handshake with options,
// data with timestamps both ways, delayed ACKs, FIN close. `n` picks the 4-tuple.
std::vector<Bytes> connection_frames(std::uint32_t n) {
    using namespace tfx::test;
    const std::string client =
        "10." + std::to_string(n >> 16 & 0xff) + "." + std::to_string(n >> 8 & 0xff) + "." + std::to_string(n & 0xff);
    const std::string server = "192.168.1.10";
    const auto sport = static_cast<std::uint16_t>(32768 + n % 28000);
    const std::uint32_t cisn = 1000 + n * 7919, sisn = 5000 + n * 104729;
    auto seg = [&](bool from_client, std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len,
                   Bytes options) {
        TcpSpec s;
        s.src = from_client ? client : server;
        s.dst = from_client ? server : client;
        s.sport = from_client ? sport : 443;
        s.dport = from_client ? 443 : sport;
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.options_bytes = std::move(options);
        s.payload = filled(len);
        return eth_tcp(s);
    };
    using namespace tcpflag;
    const auto ts = [](std::uint32_t v, std::uint32_t e) {
        return cat({opt::nop(), opt::nop(), opt::timestamps(v, e)});
    };
    std::vector<Bytes> f;
    f.push_back(seg(true, cisn, 0, kSyn, 0,
                    cat({opt::mss(1460), opt::sack_permitted(), opt::timestamps(1, 0), opt::nop(), opt::wscale(7)})));
    f.push_back(seg(false, sisn, cisn + 1, kSyn | kAck, 0,
                    cat({opt::mss(1460), opt::sack_permitted(), opt::timestamps(2, 1), opt::nop(), opt::wscale(7)})));
    f.push_back(seg(true, cisn + 1, sisn + 1, kAck, 0, ts(3, 2)));
    f.push_back(seg(true, cisn + 1, sisn + 1, kPsh | kAck, 300, ts(4, 2)));
    f.push_back(seg(false, sisn + 1, cisn + 301, kAck, 0, ts(5, 4)));
    for (std::uint32_t i = 0; i < 4; ++i)
        f.push_back(seg(false, sisn + 1 + i * 1448, cisn + 301, kAck, 1448, ts(6 + i, 4)));
    f.push_back(seg(true, cisn + 301, sisn + 1 + 4 * 1448, kAck, 0, ts(10, 9)));
    f.push_back(seg(true, cisn + 301, sisn + 1 + 4 * 1448, kFin | kAck, 0, ts(11, 9)));
    f.push_back(seg(false, sisn + 1 + 4 * 1448, cisn + 302, kFin | kAck, 0, ts(12, 11)));
    f.push_back(seg(true, cisn + 302, sisn + 2 + 4 * 1448, kAck, 0, ts(13, 12)));
    return f;
}

// `connections` connections, interleaved `batch` at a time, as RawFrames over stored bytes.
struct Workload {
    std::vector<Bytes> storage;
    std::vector<RawFrame> frames;
    Workload(std::uint32_t connections, std::uint32_t batch) {
        for (std::uint32_t first = 0; first < connections; first += batch) {
            std::vector<std::vector<Bytes>> group;
            for (std::uint32_t n = first; n < first + batch && n < connections; ++n)
                group.push_back(connection_frames(n));
            for (std::size_t i = 0; i < group[0].size(); ++i)
                for (auto& c : group) storage.push_back(std::move(c[i]));
        }
        std::int64_t t = 1'700'000'000'000'000'000;
        for (std::size_t i = 0; i < storage.size(); ++i) {
            RawFrame r;
            r.index = i + 1;
            r.ts = Timestamp{t += 20'000};
            r.caplen = r.wirelen = static_cast<std::uint32_t>(storage[i].size());
            r.data = storage[i];
            frames.push_back(r);
        }
    }
};

const Workload& workload() {
    static const Workload w(2000, 100);
    return w;
}

class NullSink final : public EventSink {
public:
    void segment(const AnnotatedSegment& s) override { benchmark::DoNotOptimize(s.annotation_count); }
    void conversation_closed(const ConversationSummary& s) override { benchmark::DoNotOptimize(s.id); }
};

void BM_Decode(benchmark::State& state) {
    const auto& w = workload();
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& f = w.frames[i];
        auto d = decode::decode_frame(f.link_type, f.data, f.wirelen);
        benchmark::DoNotOptimize(d);
        if (++i == w.frames.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decode);

void BM_FlowLookup(benchmark::State& state) {
    // A table holding `range(0)` connections; look each one up in turn.
    const auto n = static_cast<std::uint32_t>(state.range(0));
    flow::FlowTable table;
    std::vector<FlowKey> keys;
    for (std::uint32_t i = 0; i < n; ++i) {
        IpAddress a{
            4,
            {10, static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}};
        IpAddress b{4, {192, 168, 1, 10}};
        keys.push_back(FlowKey::from(Endpoint{a, static_cast<std::uint16_t>(32768 + i % 20000)}, Endpoint{b, 443}, 0));
        table.insert(keys.back(), flow::TimeoutClass::Open, Timestamp{});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(table.find(keys[i]));
        if (++i == keys.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlowLookup)->Arg(1000)->Arg(100000)->Arg(1000000);

// Decode + flow table + state machines + analysis, per frame (no rendering).
void BM_SessionFeed(benchmark::State& state) {
    const auto& w = workload();
    for (auto _ : state) {
        NullSink sink;
        Session session(Options{}, sink);
        session.start(CaptureInfo{});
        for (const auto& f : w.frames) session.feed(f);
        session.finish();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.frames.size()));
}
BENCHMARK(BM_SessionFeed)->Unit(benchmark::kMillisecond);

// The events of the workload, recorded once, so a renderer benchmark measures only rendering.
struct Recorded final : EventSink {
    struct Event {
        int kind;  // 0 opened, 1 segment, 2 closed
        std::size_t index;
    };
    std::vector<Event> events;
    std::vector<AnnotatedSegment> segments;
    std::vector<ConversationSummary> summaries;
    void conversation_opened(const ConversationSummary& s) override {
        events.push_back({0, summaries.size()});
        summaries.push_back(s);
    }
    void segment(const AnnotatedSegment& s) override {
        events.push_back({1, segments.size()});
        segments.push_back(s);
        segments.back().payload = {};  // the view dies with the callback
    }
    void conversation_closed(const ConversationSummary& s) override {
        events.push_back({2, summaries.size()});
        summaries.push_back(s);
    }
};

const Recorded& recorded() {
    static const Recorded r = [] {
        Recorded rec;
        Session session(Options{}, rec);
        session.start(CaptureInfo{});
        for (const auto& f : workload().frames) session.feed(f);
        session.finish();
        return rec;
    }();
    return r;
}

void render_benchmark(benchmark::State& state, OutputFormat format, bool summary_only) {
    const auto& rec = recorded();
    std::FILE* devnull = std::fopen("/dev/null", "w");
    if (!devnull) {
        state.SkipWithError("cannot open /dev/null");
        return;
    }
    RenderOptions ro;
    ro.summary_only = summary_only;
    for (auto _ : state) {
        auto r = make_renderer(format, devnull, ro);
        r->capture_started(CaptureInfo{});
        for (const auto& e : rec.events) {
            if (e.kind == 0)
                r->conversation_opened(rec.summaries[e.index]);
            else if (e.kind == 1)
                r->segment(rec.segments[e.index]);
            else
                r->conversation_closed(rec.summaries[e.index]);
        }
        r->capture_finished(CaptureSummary{});
    }
    std::fclose(devnull);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rec.segments.size()));
}

void BM_RenderText(benchmark::State& s) { render_benchmark(s, OutputFormat::Text, false); }
void BM_RenderJsonl(benchmark::State& s) { render_benchmark(s, OutputFormat::Jsonl, false); }
void BM_RenderJson(benchmark::State& s) { render_benchmark(s, OutputFormat::Json, false); }
void BM_RenderSummary(benchmark::State& s) { render_benchmark(s, OutputFormat::Text, true); }
void BM_RenderCsv(benchmark::State& s) { render_benchmark(s, OutputFormat::Csv, true); }
BENCHMARK(BM_RenderText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderJsonl)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderJson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderSummary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderCsv)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
