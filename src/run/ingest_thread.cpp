#include "run/ingest_thread.hpp"

#include <cstdint>
#include <span>
#include <utility>

#include "session/session_engine.hpp"
#include "run/cpu_placement.hpp"

namespace tfx::run {

namespace {

// Whether `part` lies inside `whole` (compared as addresses: the two may be unrelated arrays).
bool inside(std::span<const std::byte> part, std::span<const std::byte> whole) {
    const auto p = reinterpret_cast<std::uintptr_t>(part.data());
    const auto w = reinterpret_cast<std::uintptr_t>(whole.data());
    return p >= w && p + part.size() <= w + whole.size();
}

}  // namespace

IngestThread::IngestThread(ingest::CaptureSet& reader, std::optional<std::uint64_t> max_frames, bool keep_bytes,
                           std::optional<int> cpu, std::optional<flow::Shard> shard)
    : reader_(reader), max_frames_(max_frames), keep_bytes_(keep_bytes), cpu_(cpu), shard_(shard), worker_([this] {
          run();
      }) {}

IngestThread::~IngestThread() {
    queue_.close();  // a worker waiting for room stops; one reading stops at its next batch
    worker_.join();
}

void IngestThread::run() {
    if (cpu_) confine_current_thread(*cpu_);
    std::uint64_t read_so_far = 0;
    for (;;) {
        Batch batch = queue_.spare();
        batch.clear();
        // A failure is handed over like an end of capture; next() rethrows it on the
        // caller's thread.
        const auto fail = [&batch] {
            batch.failure = std::current_exception();
            batch.last = true;
            batch.status = ingest::ReadStatus::Error;
        };
        try {
            fill(batch, read_so_far);
        } catch (...) {
            fail();  // the frames read before it are still analysed
        }
        try {
            route(batch);
        } catch (...) {
            fail();
            batch.count = 0;  // some segments have no slot: none of this batch can be fed
        }
        // The copies are complete: the views can point into them now (moving the batch
        // keeps its buffers where they are).
        if (keep_bytes_) {
            for (std::size_t i = 0; i < batch.count; ++i) {
                Item& item = batch.items[i];
                item.ready.frame.data =
                    std::span<const std::byte>(batch.bytes.data() + item.data_offset, item.ready.frame.data.size());
                item.ready.decoded.payload = std::span<const std::byte>(batch.bytes.data() + item.payload_offset,
                                                                        item.ready.decoded.payload.size());
            }
        }
        const bool last = batch.last;
        if (!queue_.push(std::move(batch)) || last) return;  // refused: the caller is gone
    }
}

void IngestThread::route(Batch& batch) {
    releases_.deliver_to(slots_);
    auto& items = batch.items;
    const std::size_t count = batch.count;
    hashes_.resize(count);
    routed_.assign(count, 0);
    for (std::size_t i = 0; i < count; ++i) {
        Frame& f = items[i].ready;
        if (f.decoded.kind != decode::FrameKind::Tcp) continue;
        f.route.ends = detail::SessionEngine::ends_of(f.decoded);
        if (shard_ && !shard_->holds(f.route.ends.key)) continue;  // no slot: another shard's
        hashes_[i] = flow::KeyIndex::hash(f.route.ends.key);
        routed_[i] = 1;
    }
    // With ~100k connections alive, a key's index position and the key itself are each
    // usually a cache miss: ask for them eight and four segments ahead.
    const auto tcp = [this, count](std::size_t i) { return i < count && routed_[i] != 0; };
    for (std::size_t i = 0; i < count; ++i) {
        if (tcp(i + 8)) slots_.prefetch_index(hashes_[i + 8]);
        if (tcp(i + 4)) static_cast<void>(slots_.likely_slot(hashes_[i + 4]));
        if (!tcp(i)) continue;
        Frame& f = items[i].ready;
        f.route.slot = slots_.assign(f.route.ends.key, hashes_[i], f.ticket);
    }
}

void IngestThread::fill(Batch& batch, std::uint64_t& read_so_far) {
    RawFrame raw;
    while (batch.count < kBatchFrames && batch.bytes.size() < kBatchBytes) {
        if (max_frames_ && read_so_far >= *max_frames_) {
            batch.last = true;
            return;
        }
        const auto status = reader_.next(raw, batch.message);
        if (status != ingest::ReadStatus::Frame) {
            batch.last = true;
            batch.status = status;
            batch.problem = reader_.problem();
            return;
        }
        ++read_so_far;
        if (batch.count == batch.items.size()) batch.items.emplace_back();
        Item& item = batch.items[batch.count++];
        item.ready.frame = detail::SessionEngine::normalized(raw);
        decoder_.decode_into(item.ready.decoded, item.ready.frame);
        item.ready.route = {};  // route() fills it for TCP segments
        item.ready.ticket = read_so_far;
        if (!keep_bytes_) {  // the views would dangle: the reader reuses its buffer
            item.ready.frame.data = {};
            item.ready.decoded.payload = {};
            continue;
        }
        // The reader reuses its buffer and the reassembler its own: keep copies, as offsets
        // until the batch is complete (the copy buffer may still move while it grows).
        item.data_offset = batch.bytes.size();
        batch.bytes.insert(batch.bytes.end(), raw.data.begin(), raw.data.end());
        const auto payload = item.ready.decoded.payload;
        if (inside(payload, raw.data)) {
            item.payload_offset = item.data_offset + static_cast<std::size_t>(payload.data() - raw.data.data());
        } else {  // a reassembled datagram's payload
            item.payload_offset = batch.bytes.size();
            batch.bytes.insert(batch.bytes.end(), payload.begin(), payload.end());
        }
    }
}

const IngestThread::Frame* IngestThread::next() {
    for (;;) {
        if (current_) {
            if (position_ < current_->count) return &current_->items[position_++].ready;
            if (current_->last) {
                if (!ended_) {
                    ended_ = true;
                    end_status_ = current_->status;
                    end_message_ = current_->message;
                    end_problem_ = current_->problem;
                    if (current_->failure) std::rethrow_exception(std::exchange(current_->failure, nullptr));
                }
                return nullptr;
            }
            queue_.recycle(std::move(*current_));
            current_.reset();
        }
        current_ = queue_.pop();
        position_ = 0;
        if (!current_) {  // closed: only the destructor closes, so this is never reached
            ended_ = true;
            end_status_ = ingest::ReadStatus::Error;
            return nullptr;
        }
    }
}

}  // namespace tfx::run
