#include "run/cpu_placement.hpp"

#include <pthread.h>
#include <sched.h>

#include <vector>

namespace tfx::run {

std::optional<int> shared_helper_cpu(std::span<const int> allowed_cpus) {
    if (allowed_cpus.size() != 2) return std::nullopt;
    return allowed_cpus.back();
}

std::optional<int> shared_helper_cpu() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return std::nullopt;
    std::vector<int> allowed;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &set)) allowed.push_back(cpu);
    return shared_helper_cpu(allowed);
}

bool confine_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

}  // namespace tfx::run
