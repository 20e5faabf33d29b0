// The hand-over queue of the threaded stages: order, the capacity bound, recycling, drain
// and close.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "run/batch_queue.hpp"

using tfx::run::BatchQueue;
using namespace std::chrono_literals;

TEST(BatchQueue, DeliversInOrderAndBoundsWhatWaits) {
    BatchQueue<std::vector<int>> q(2);
    std::atomic<int> pushed{0};
    std::thread producer([&] {
        for (int i = 0; i < 50; ++i) {
            std::vector<int> b = q.spare();
            b.assign(3, i);
            ASSERT_TRUE(q.push(std::move(b)));
            ++pushed;
        }
    });
    for (int waited = 0; pushed.load() < 2 && waited < 10'000; ++waited) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(pushed.load(), 2);  // the third push waits for room
    for (int i = 0; i < 50; ++i) {
        auto b = q.pop();
        ASSERT_TRUE(b.has_value());
        EXPECT_EQ(*b, std::vector<int>(3, i));
        q.recycle(std::move(*b));
    }
    producer.join();
    q.wait_drained();                     // every batch recycled: returns at once
    EXPECT_GE(q.spare().capacity(), 3U);  // a recycled batch keeps its buffer
}

TEST(BatchQueue, CloseDrainsWhatWaitsThenEnds) {
    BatchQueue<std::vector<int>> q(4);
    ASSERT_TRUE(q.push({1}));
    ASSERT_TRUE(q.push({2}));
    q.close();
    EXPECT_FALSE(q.push({3}));
    EXPECT_EQ(q.pop(), std::vector<int>{1});
    EXPECT_EQ(q.pop(), std::vector<int>{2});
    EXPECT_FALSE(q.pop().has_value());
}

TEST(BatchQueue, CloseWakesAProducerWaitingForRoom) {
    BatchQueue<std::vector<int>> q(1);
    ASSERT_TRUE(q.push({1}));
    std::atomic<bool> refused{false};
    std::thread producer([&] { refused = !q.push({2}); });
    std::this_thread::sleep_for(20ms);
    q.close();
    producer.join();
    EXPECT_TRUE(refused.load());
}

// A producer that found the queue full sleeps until the consumer has taken it down to half,
// so one wake-up buys several batches (each wake-up is a cross-core interrupt).
TEST(BatchQueue, AFullQueueResumesItsProducerAtHalf) {
    BatchQueue<std::vector<int>> q(4);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(q.push({i}));
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        EXPECT_TRUE(q.push({4}));
        pushed = true;
    });
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(q.pop(), std::vector<int>{0});  // three wait: still above half
    std::this_thread::sleep_for(30ms);
    EXPECT_FALSE(pushed.load());
    EXPECT_EQ(q.pop(), std::vector<int>{1});  // two wait: half, the producer resumes
    for (int waited = 0; !pushed.load() && waited < 10'000; ++waited) std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(pushed.load());
    producer.join();
    for (int i = 2; i <= 4; ++i) EXPECT_EQ(q.pop(), std::vector<int>{i});
}

// The consumer's wait for a batch and the producer's wait for the drain are woken by the
// other side (each side notifies only a waiter of the kind it can satisfy).
TEST(BatchQueue, WakesAWaitingConsumerAndADrainWaiter) {
    BatchQueue<std::vector<int>> q(2);
    std::thread consumer([&] {
        for (int i = 0; i < 3; ++i) {
            auto b = q.pop();
            ASSERT_TRUE(b.has_value());
            EXPECT_EQ(*b, std::vector<int>{i});
            std::this_thread::sleep_for(5ms);
            q.recycle(std::move(*b));
        }
    });
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(10ms);  // the consumer is already waiting
        ASSERT_TRUE(q.push({i}));
    }
    q.wait_drained();
    consumer.join();
}
