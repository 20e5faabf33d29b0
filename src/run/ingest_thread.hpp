#pragma once
// Reading and decoding on a second core: a worker thread takes frames from the reader,
// decodes them (fragment reassembly included, in capture order, with its own FrameDecoder),
// finds each TCP segment's connection slot (flow::SlotAssigner: the key lookup, a cache miss
// or two per frame) and hands them over in batches, so the calling thread only runs the
// state machines and the analysis (tfx::detail::SessionEngine::feed_decoded). The session
// sees the same frames with the same decodings in the same order as Session::feed would make
// them, so the output is byte-identical (tests/unit/ingest_thread_test.cpp and the golden
// tests); the session posts the slots of connections that end to releases().
//
// For capture files only: a live capture must not wait for a batch to fill, and `-w` writes
// from the reader on the calling thread.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "decode/reassembly.hpp"
#include "flow/shard.hpp"
#include "ingest/capture_set.hpp"
#include "ingest/read_status.hpp"
#include "session/session_engine.hpp"
#include "run/batch_queue.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::run {

class IngestThread {
public:
    /// A frame ready for the session: normalized (SessionEngine::normalized) and decoded.
    /// Its bytes and payload stay valid until the next call to next(); without `keep_bytes`
    /// (constructor) both are empty.
    struct Frame {
        RawFrame frame;
        decode::DecodedFrame decoded;
        detail::FrameRoute route;  ///< for a TCP segment: its ends and connection slot
        std::uint64_t ticket = 0;  ///< the frame's position in the capture, from 1
    };
    /// The frame `ahead` (>= 1) places after the one next() returned last, when it is
    /// already here (in the same batch), else nullptr: for prefetching, never for feeding.
    [[nodiscard]] const Frame* peek(std::size_t ahead) const {
        if (!current_ || position_ == 0 || ahead == 0 || position_ - 1 + ahead >= current_->count) return nullptr;
        return &current_->items[position_ - 1 + ahead].ready;
    }

    /// Starts reading `reader` (which must outlive this object and is only used by the
    /// worker from now on), at most `max_frames` frames when given. `keep_bytes`: hand each
    /// frame over with copies of its bytes and payload; without, the frames carry none (the
    /// analysis reads only the decoding: copying every byte of the capture, and pushing it
    /// through the cache the analysis works in, is for outputs that print payloads). `cpu`:
    /// the worker confines itself to that CPU (cpu_placement.hpp). `shard`: the segments of
    /// other shards' connections get no slot (detail::SessionEngine::keep_only).
    IngestThread(ingest::CaptureSet& reader, std::optional<std::uint64_t> max_frames, bool keep_bytes = true,
                 std::optional<int> cpu = std::nullopt, std::optional<flow::Shard> shard = std::nullopt);
    /// Stops the worker (whatever it has not handed over is dropped) and joins it.
    ~IngestThread();
    IngestThread(const IngestThread&) = delete;
    IngestThread& operator=(const IngestThread&) = delete;

    /// The next frame, or nullptr once the reader ended (then end_status(), end_message()
    /// and end_problem() say how: End, Truncated or Error, as CaptureSet::next returned it
    /// and CaptureSet::problem() told; End also when max_frames were read). An exception
    /// the worker met is rethrown here.
    const Frame* next();
    /// Where the session posts the slots of connections that ended
    /// (detail::SessionEngine::release_slots_to); the worker applies them as it goes.
    [[nodiscard]] flow::SlotReleases& releases() { return releases_; }
    [[nodiscard]] ingest::ReadStatus end_status() const { return end_status_; }
    [[nodiscard]] const std::string& end_message() const { return end_message_; }
    [[nodiscard]] const std::optional<Error>& end_problem() const { return end_problem_; }

private:
    struct Item {
        Frame ready;
        std::size_t data_offset = 0;     ///< the frame's bytes in Batch::bytes
        std::size_t payload_offset = 0;  ///< the decoded payload's bytes in Batch::bytes
    };
    struct Batch {
        // The first `count` items are this batch's. The items stay constructed when a batch
        // is reused and are overwritten in place: constructing one zeroed 536 bytes, and the
        // decoding was built aside and copied in.
        std::vector<Item> items;
        std::size_t count = 0;
        std::vector<std::byte> bytes;  ///< copies of the frames (and of reassembled payloads)
        bool last = false;             ///< the reader ended after these items
        ingest::ReadStatus status = ingest::ReadStatus::End;
        std::string message;
        std::optional<Error> problem;
        std::exception_ptr failure;

        void clear() {  // for reuse: empty, capacity (and the items' storage) kept
            count = 0;
            bytes.clear();
            last = false;
            status = ingest::ReadStatus::End;
            message.clear();
            problem.reset();
            failure = nullptr;
        }
    };

    // Frames per batch: enough that the hand-over (a lock, maybe a wake-up) costs nothing per
    // frame, few enough that a batch's copies stay in cache; at most kMaxQueued batches wait
    // (~100 KB each). When the analysis is the slower side, the worker sleeps on a full
    // queue and is woken at half (BatchQueue): eight batches make one wake-up per four
    // (1M --summary: 1,196 context switches with four, 507 with eight).
    static constexpr std::size_t kBatchFrames = 256;
    static constexpr std::size_t kMaxQueued = 8;
    // A batch also ends once its copies pass this many bytes, so that the batches in
    // circulation (kMaxQueued waiting, one being filled, one being read, their spares) hold
    // at most ~10 x (4 MiB + one frame) whatever the frames' sizes: 256 frames of 256 KiB
    // would be 64 MiB a batch. Ordinary traffic (256 x 1.5 KB) never reaches it.
    static constexpr std::size_t kBatchBytes = std::size_t{4} << 20;

    void run();  // worker
    void fill(Batch& batch, std::uint64_t& read_so_far);
    void route(Batch& batch);  // the TCP segments' ends and slots, releases applied first

    ingest::CaptureSet& reader_;
    const std::optional<std::uint64_t> max_frames_;
    const bool keep_bytes_;
    const std::optional<int> cpu_;
    const std::optional<flow::Shard> shard_;
    decode::FrameDecoder decoder_;       // the worker's
    flow::SlotAssigner slots_;           // the worker's
    std::vector<std::uint32_t> hashes_;  // the worker's: route()'s key hashes, by item
    std::vector<std::uint8_t> routed_;   // the worker's: route() gives the item a slot
    flow::SlotReleases releases_;
    BatchQueue<Batch> queue_{kMaxQueued};

    // The calling thread's side.
    std::optional<Batch> current_;
    std::size_t position_ = 0;
    bool ended_ = false;
    ingest::ReadStatus end_status_ = ingest::ReadStatus::End;
    std::string end_message_;
    std::optional<Error> end_problem_;

    std::thread worker_;  // last: started once everything above exists
};

}  // namespace tfx::run
