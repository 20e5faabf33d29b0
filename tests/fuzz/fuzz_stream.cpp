// libFuzzer target: one direction's byte stream through stream::StreamReassembler, with
// fuzz-chosen segments (offsets, lengths, snaplen cuts, differing copies), FINs and RSTs,
// under small bounds so that giving up gaps runs on small inputs.
// Input: see StreamFuzzInput in fuzz_input.hpp.
// Invariants: the sink sees every offset once, in order; delivered + missing == the offset
// reached (the FIN's, when one was accepted); every delivered byte is the first captured copy
// of its offset; each segment's bytes are accounted for; the budget and the per-direction
// bound hold, and everything is given back at the end.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "stream/stream_reassembler.hpp"

namespace {

using tfx::FrameIndex;
using namespace tfx::stream;

#define FUZZ_CHECK(cond)               \
    do {                               \
        if (!(cond)) __builtin_trap(); \
    } while (0)

// What the first captured copy of each offset was (-1: none yet), from `base`.
class FirstCopies {
public:
    explicit FirstCopies(std::uint64_t base) : base_(base), byte_(tfx::fuzz::StreamFuzzInput::kMaxEnd, -1) {}
    void record(std::uint64_t offset, std::span<const std::byte> bytes) {
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            std::int16_t& b = byte_[index(offset + i)];
            if (b < 0) b = static_cast<std::int16_t>(std::to_integer<std::uint8_t>(bytes[i]));
        }
    }
    [[nodiscard]] std::int16_t at(std::uint64_t offset) const { return byte_[index(offset)]; }

private:
    [[nodiscard]] std::size_t index(std::uint64_t offset) const {
        FUZZ_CHECK(offset >= base_ && offset - base_ < byte_.size());
        return static_cast<std::size_t>(offset - base_);
    }
    std::uint64_t base_;
    std::vector<std::int16_t> byte_;
};

class CheckingSink : public StreamSink {
public:
    explicit CheckingSink(const FirstCopies& first) : first_(first) {}
    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex /*frame*/) override {
        FUZZ_CHECK(offset == reached && !data.empty());
        for (std::size_t i = 0; i < data.size(); ++i)
            FUZZ_CHECK(first_.at(offset + i) == std::to_integer<std::uint8_t>(data[i]));
        reached += data.size();
        delivered += data.size();
    }
    void missing(std::uint64_t offset, std::uint64_t length, MissingReason /*reason*/) override {
        FUZZ_CHECK(offset == reached && length > 0);
        reached += length;
        missing_bytes += length;
    }
    void inconsistent(const Inconsistency& i) override {
        FUZZ_CHECK(i.differing_bytes > 0 && i.differing_bytes <= i.overlap.length);
        FUZZ_CHECK(i.first.offset <= i.overlap.offset && i.overlap.end() <= i.first.end());
        FUZZ_CHECK(i.later.offset <= i.overlap.offset && i.overlap.end() <= i.later.end());
    }

    std::uint64_t reached = 0;
    std::uint64_t delivered = 0;
    std::uint64_t missing_bytes = 0;

private:
    const FirstCopies& first_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using tfx::fuzz::StreamFuzzInput;
    if (size < StreamFuzzInput::kHeader) return 0;
    const StreamFuzzInput in(std::span<const std::uint8_t>(data, size));
    FirstCopies first(in.base);
    CheckingSink sink(first);
    StreamBudget budget(in.capture_budget);
    StreamReassembler r(sink, budget, in.limits);
    std::vector<std::byte> payload;
    FrameIndex frame = 1;
    in.for_each_record([&](const StreamFuzzInput::Record& rec) {
        switch (rec.kind) {
            case StreamFuzzInput::Kind::Segment: {
                rec.fill(payload);
                // Bytes a segment would place past offset 2^64 - 1 are dropped. The copy is
                // recorded before the sink can see it; bytes at or past the FIN's offset are
                // recorded too, harmlessly: they are never delivered.
                const std::uint64_t captured =
                    std::min<std::uint64_t>(payload.size(), std::numeric_limits<std::uint64_t>::max() - rec.offset);
                first.record(rec.offset, std::span<const std::byte>(payload).first(captured));
                const auto got = r.add({rec.offset, payload, payload.size() + rec.cut, frame++});
                FUZZ_CHECK(got.new_bytes + got.duplicate_bytes + got.overlapping_bytes + got.beyond_fin_bytes ==
                           captured);
                FUZZ_CHECK(got.inconsistent_bytes + got.uncompared_bytes <=
                           got.duplicate_bytes + got.overlapping_bytes);
                FUZZ_CHECK(got.duplicate_bytes == 0 || got.overlapping_bytes == 0);
                break;
            }
            case StreamFuzzInput::Kind::Fin: r.fin(rec.offset); break;
            case StreamFuzzInput::Kind::Rst: r.rst(); break;
        }
        FUZZ_CHECK(budget.in_use() <= budget.limit());
        FUZZ_CHECK(r.buffered() <= in.limits.max_buffered);
        FUZZ_CHECK(sink.reached == r.next_offset());
        if (r.fin_offset()) FUZZ_CHECK(r.next_offset() <= *r.fin_offset());
    });
    r.finish();
    const StreamTotals& t = r.totals();
    FUZZ_CHECK(sink.reached == r.next_offset());
    FUZZ_CHECK(t.delivered_bytes == sink.delivered && t.missing_bytes == sink.missing_bytes);
    FUZZ_CHECK(t.delivered_bytes + t.missing_bytes == r.next_offset());
    FUZZ_CHECK(t.missing_never_captured + t.missing_snaplen_cut + t.missing_buffer_limit == t.missing_bytes);
    if (r.fin_offset()) FUZZ_CHECK(r.next_offset() == *r.fin_offset());
    FUZZ_CHECK(r.buffered() == 0 && budget.in_use() == 0);
    return 0;
}
