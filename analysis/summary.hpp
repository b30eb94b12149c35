// Headline numbers of a run (summary.json and the CLI's printout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/recorder.hpp"

namespace gogcsim {

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};
/// Nearest-rank percentiles of `values` (copied and sorted); all zero when empty.
Percentiles percentiles(std::vector<double> values);

struct Summary {
  std::int64_t gc_cycles = 0;
  std::int64_t forced_cycles = 0;           ///< periodic (2-minute) cycles
  double wall_s = 0;
  double mutator_s = 0;
  double slowdown = 0;                      ///< wall / mutator time: what GC cost the program
  double gc_cpu_frac = 0;                   ///< gctrace definition (1.19): excludes idle marking
  double gc_cpu_total_frac = 0;             ///< all GC CPU incl. idle marking, of all CPU
  double gc_cpu_of_busy_frac = 0;           ///< GC CPU (excl. idle marking) / non-idle CPU
  double assist_cpu_frac = 0;
  Percentiles pause_ns;
  std::int64_t assist_episodes = 0;
  Percentiles assist_episode_ns;            ///< how long mark assists ran without a break
  std::uint64_t peak_heap_live_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t peak_mapped_ready_bytes = 0;
  std::uint64_t peak_heap_in_use_bytes = 0;
  double scavenged_bytes = 0;               ///< released to the OS over the run (madvise)
  MemoryClasses final_memory;
  double mean_heap_goal_bytes = 0;
  double mean_heap_marked_bytes = 0;
  double allocated_bytes = 0;
  double allocated_objects = 0;
  bool oom = false;
  std::int64_t oom_at_ns = -1;
  std::uint64_t limiter_enabled_times = 0;
  std::int64_t cycles_limiter_on = 0;
  std::uint64_t events = 0;
  double mmu_1ms = 1, mmu_10ms = 1, mmu_100ms = 1;  ///< minimum mutator utilization
};

Summary summarize(const Recorder& r);

}  // namespace gogcsim
