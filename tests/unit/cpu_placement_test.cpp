// Where the walkthrough's helper threads run (run/cpu_placement.hpp).

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <thread>
#include <vector>

#include "run/cpu_placement.hpp"

namespace {

using tfx::run::confine_current_thread;
using tfx::run::shared_helper_cpu;

std::vector<int> cpus_of_this_thread() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    return cpus;
}

}  // namespace

// Only with exactly two CPUs do three threads have to share: then the helpers take the
// second, and the analysis is left the first.
TEST(CpuPlacement, HelpersShareTheLastCpuOnlyWhenThereAreExactlyTwo) {
    EXPECT_EQ(shared_helper_cpu(std::vector<int>{}), std::nullopt);
    EXPECT_EQ(shared_helper_cpu(std::vector<int>{3}), std::nullopt);
    EXPECT_EQ(shared_helper_cpu(std::vector<int>{0, 1}), 1);
    EXPECT_EQ(shared_helper_cpu(std::vector<int>{2, 5}), 5);
    EXPECT_EQ(shared_helper_cpu(std::vector<int>{0, 1, 2}), std::nullopt);
    // This process: whatever it may use, the answer follows the same rule.
    const auto mine = cpus_of_this_thread();
    EXPECT_EQ(shared_helper_cpu(), shared_helper_cpu(mine));
}

TEST(CpuPlacement, AThreadConfinedRunsOnThatCpuOnly) {
    const auto allowed = cpus_of_this_thread();
    ASSERT_FALSE(allowed.empty());
    std::vector<int> seen;
    bool confined = false;
    std::thread worker([&] {
        confined = confine_current_thread(allowed.back());
        seen = cpus_of_this_thread();
    });
    worker.join();
    ASSERT_TRUE(confined);
    EXPECT_EQ(seen, std::vector<int>{allowed.back()});
    EXPECT_EQ(cpus_of_this_thread(), allowed);  // only the calling thread is confined
    std::thread refused([] {
        EXPECT_FALSE(confine_current_thread(-1));
        EXPECT_FALSE(confine_current_thread(CPU_SETSIZE));
    });
    refused.join();
}
