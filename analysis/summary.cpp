#include "analysis/summary.hpp"

#include <algorithm>
#include <cmath>

namespace gogcsim {

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto rank = [&v](double q) {
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
  };
  p.p50 = rank(0.50);
  p.p90 = rank(0.90);
  p.p99 = rank(0.99);
  p.p999 = rank(0.999);
  p.max = v.back();
  return p;
}

Summary summarize(const Recorder& r) {
  Summary s;
  const RunEnd& e = r.end;
  s.gc_cycles = static_cast<std::int64_t>(r.cycles.size());
  for (const auto& c : r.cycles) {
    if (c.trigger_kind == TriggerKind::time) ++s.forced_cycles;
    if (c.limiter_on) ++s.cycles_limiter_on;
    s.mean_heap_goal_bytes += static_cast<double>(c.heap_goal);
    s.mean_heap_marked_bytes += static_cast<double>(c.heap_marked);
  }
  if (!r.cycles.empty()) {
    s.mean_heap_goal_bytes /= static_cast<double>(r.cycles.size());
    s.mean_heap_marked_bytes /= static_cast<double>(r.cycles.size());
  }
  s.wall_s = static_cast<double>(e.wall_ns) / 1e9;
  s.mutator_s = e.mutator_ns / 1e9;
  s.slowdown = e.mutator_ns > 0 ? static_cast<double>(e.wall_ns) / e.mutator_ns : 0;
  const double total = e.cpu.total_ns();
  if (total > 0) {
    s.gc_cpu_frac = e.cpu.gc_trace_ns() / total;
    s.gc_cpu_total_frac = e.cpu.gc_total_ns() / total;
    s.assist_cpu_frac = e.cpu.gc_mark_assist_ns / total;
    double busy = total - e.cpu.idle_ns - e.cpu.gc_mark_idle_ns;
    s.gc_cpu_of_busy_frac = busy > 0 ? e.cpu.gc_trace_ns() / busy : 0;
  }
  std::vector<double> pauses;
  pauses.reserve(r.pauses.size());
  for (const auto& p : r.pauses) pauses.push_back(static_cast<double>(p.duration_ns));
  s.pause_ns = percentiles(std::move(pauses));
  std::vector<double> assists;
  assists.reserve(r.assists.size());
  for (const auto& a : r.assists) assists.push_back(static_cast<double>(a.duration_ns));
  s.assist_episodes = static_cast<std::int64_t>(assists.size());
  s.assist_episode_ns = percentiles(std::move(assists));
  s.peak_heap_live_bytes = e.peak_heap_live;
  s.peak_rss_bytes = e.peak_rss;
  s.peak_mapped_ready_bytes = e.peak_mapped_ready;
  s.peak_heap_in_use_bytes = e.peak_heap_in_use;
  s.scavenged_bytes = e.scavenged_bytes;
  s.final_memory = e.final_memory;
  s.allocated_bytes = e.allocated_bytes;
  s.allocated_objects = e.allocated_objects;
  s.oom = e.oom;
  s.oom_at_ns = e.oom_at_ns;
  s.limiter_enabled_times = e.limiter_enabled_times;
  s.events = e.events;
  if (!r.utilization.empty()) {
    const auto m = mmu_many(r.utilization, e.wall_ns, {1'000'000, 10'000'000, 100'000'000});
    s.mmu_1ms = m[0];
    s.mmu_10ms = m[1];
    s.mmu_100ms = m[2];
  }
  return s;
}

}  // namespace gogcsim
