#pragma once
// The hand-over between the two sides of a threaded stage (render_thread.hpp: the analysis
// hands events to the renderer; ingest_thread.hpp: the reader hands decoded frames to the
// analysis). Full batches wait, in order, in a bounded queue, so memory stays bounded when
// the consumer is the slower side; consumed batches go back to the producer to be filled
// again, so they keep their buffers' capacity and a run allocates for a few batches only.
// One producer thread, one consumer thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace tfx::run {

template <typename Batch>
class BatchQueue {
public:
    /// At most `capacity` full batches wait for the consumer.
    explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

    /// Producer: queues a full batch. When `capacity` batches wait, it sleeps until the
    /// consumer has taken them down to half of that: each wake-up (a cross-core interrupt,
    /// costly in a VM) then buys several batches instead of one. After close() the batch is
    /// dropped and false returned.
    bool push(Batch&& batch) {
        std::unique_lock lock(mutex_);
        if (queue_.size() >= capacity_) {
            producer_waiting_ = true;
            room_.wait(lock, [this] { return queue_.size() <= resume_at() || closed_; });
            producer_waiting_ = false;
        }
        if (closed_) return false;
        queue_.push_back(std::move(batch));
        const bool wake = consumer_waiting_;
        lock.unlock();
        if (wake) ready_.notify_one();
        return true;
    }

    /// Producer: a batch to fill: one the consumer gave back (as it left it: the caller
    /// clears it), else a new one.
    [[nodiscard]] Batch spare() {
        std::lock_guard lock(mutex_);
        if (spare_.empty()) return Batch{};
        Batch batch = std::move(spare_.back());
        spare_.pop_back();
        return batch;
    }

    /// Consumer: the oldest waiting batch, waiting for one; nullopt once closed and empty.
    [[nodiscard]] std::optional<Batch> pop() {
        std::unique_lock lock(mutex_);
        if (queue_.empty() && !closed_) {
            consumer_waiting_ = true;
            ready_.wait(lock, [this] { return !queue_.empty() || closed_; });
            consumer_waiting_ = false;
        }
        if (queue_.empty()) return std::nullopt;
        std::optional<Batch> batch(std::move(queue_.front()));
        queue_.pop_front();
        ++in_use_;
        const bool wake = producer_waiting_ && queue_.size() <= resume_at();
        lock.unlock();
        if (wake) room_.notify_one();
        return batch;
    }

    /// Consumer: done with a popped batch; the producer may fill it again.
    void recycle(Batch&& batch) {
        std::unique_lock lock(mutex_);
        spare_.push_back(std::move(batch));
        --in_use_;
        const bool wake = drain_waiting_ && drained();
        lock.unlock();
        if (wake) drained_.notify_one();
    }

    /// Producer: waits until the consumer has recycled every batch pushed so far.
    void wait_drained() {
        std::unique_lock lock(mutex_);
        drain_waiting_ = true;
        drained_.wait(lock, [this] { return drained(); });
        drain_waiting_ = false;
    }

    /// Either side: no more batches will be exchanged. push() refuses from now on; pop()
    /// still returns what waits, then nullopt. Wakes both sides.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        room_.notify_all();
        ready_.notify_all();
    }

private:
    [[nodiscard]] std::size_t resume_at() const { return capacity_ / 2; }
    [[nodiscard]] bool drained() const { return queue_.empty() && in_use_ == 0; }

    const std::size_t capacity_;
    std::mutex mutex_;
    // One condition per kind of waiter, and each side notifies only when the other waits.
    std::condition_variable room_;     ///< the producer, for the queue to fall to resume_at()
    std::condition_variable ready_;    ///< the consumer, for a batch
    std::condition_variable drained_;  ///< the producer in wait_drained()
    std::deque<Batch> queue_;
    std::vector<Batch> spare_;
    std::size_t in_use_ = 0;  ///< popped, not yet recycled
    bool producer_waiting_ = false;
    bool consumer_waiting_ = false;
    bool drain_waiting_ = false;
    bool closed_ = false;
};

}  // namespace tfx::run
