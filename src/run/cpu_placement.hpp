#pragma once
// Where the pipeline's helper threads run. A walkthrough of a capture file runs three
// threads: the ingest thread (read, decode, find slots), the analysis (the calling thread)
// and the render thread. On a machine that gives the process two CPUs, three busy threads
// take turns, and every turn the analysis loses is lost for the whole run: it is the one
// stage that cannot be split, the others wait for it. Confining both helpers to one of the
// two CPUs leaves the analysis the other to itself (the scheduler moves it there).
// Measured on the 1M bench file, two cores: jsonl 0.71 s, against 0.80 s with the helpers
// not confined (docs/benchmarks.md). Not where the renderer is the heavier side (the JSON document) or
// nearly idle (CSV): the walkthrough decides (cli/walkthrough.cpp).

#include <optional>
#include <span>

namespace tfx::run {

/// The CPU the helpers should share, given the CPUs the process may run on (ascending): the
/// last one when there are exactly two, else none (one CPU: nothing to share; three or
/// more: each thread has its own).
[[nodiscard]] std::optional<int> shared_helper_cpu(std::span<const int> allowed_cpus);
/// The same for this process's own CPU affinity (sched_getaffinity); none when it cannot be
/// read.
[[nodiscard]] std::optional<int> shared_helper_cpu();
/// Confines the calling thread to `cpu`. Best effort: false when the system refuses (the
/// thread then runs wherever the scheduler puts it, with the same output).
bool confine_current_thread(int cpu);

}  // namespace tfx::run
