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

namespace tfx::cli {

template <typename Batch>
class BatchQueue {
public:
    /// At most `capacity` full batches wait for the consumer.
    explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

    /// Producer: queues a full batch, waiting while `capacity` batches wait. After close()
    /// the batch is dropped and false returned.
    bool push(Batch&& batch) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return queue_.size() < capacity_ || closed_; });
        if (closed_) return false;
        queue_.push_back(std::move(batch));
        lock.unlock();
        changed_.notify_all();
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
        changed_.wait(lock, [this] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return std::nullopt;
        std::optional<Batch> batch(std::move(queue_.front()));
        queue_.pop_front();
        ++in_use_;
        lock.unlock();
        changed_.notify_all();  // room in the queue
        return batch;
    }

    /// Consumer: done with a popped batch; the producer may fill it again.
    void recycle(Batch&& batch) {
        {
            std::lock_guard lock(mutex_);
            spare_.push_back(std::move(batch));
            --in_use_;
        }
        changed_.notify_all();
    }

    /// Producer: waits until the consumer has recycled every batch pushed so far.
    void wait_drained() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return queue_.empty() && in_use_ == 0; });
    }

    /// Either side: no more batches will be exchanged. push() refuses from now on; pop()
    /// still returns what waits, then nullopt. Wakes both sides.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
    }

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Batch> queue_;
    std::vector<Batch> spare_;
    std::size_t in_use_ = 0;  ///< popped, not yet recycled
    bool closed_ = false;
};

}  // namespace tfx::cli
