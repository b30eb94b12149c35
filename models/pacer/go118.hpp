// The Go 1.18 pacer: the first cons/mark pacer (design 44167), before the memory limit.
// Details: models/pacer/VERSIONS.md §4. Differences from 1.19:
//
//   * the goal and trigger are computed once at commit and stored (1.19 recomputes them on
//     every test);
//   * no GOMEMLIMIT, no CPU limiter;
//   * the trigger bounds are floats (0.7 and 0.95 of the way from M to the goal), the
//     GOGC-scaled heap minimum floors the trigger and the goal is raised to the trigger; the
//     "goal − heap minimum" cap adds M, so for large heaps it does not cap;
//   * stacks count as the allocated stack size snapshotted at cycle start (1.19: scanned);
//   * the start of a cycle raises the stored goal to heap_live + 64 KiB.
// cons/mark is smoothed by the same PI controller as 1.19.
#pragma once

#include "models/pacer/pacer.hpp"

namespace gogcsim {

class Go118Pacer : public Pacer {
 public:
  Go118Pacer();
  std::string go_version() const override { return "1.18"; }
  void init(std::int64_t gc_percent, std::int64_t memory_limit) override;
  void set_gc_percent(std::int64_t gc_percent) override;
  void set_memory_limit(std::int64_t) override {}  // 1.18 has no memory limit
  void commit(bool is_sweep_done) override;
  std::uint64_t heap_goal() const override { return goal_; }
  TriggerResult trigger() const override { return {trigger_, goal_, min_trigger_, max_trigger_}; }
  void start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) override;
  void revise() override;
  void update(std::int64_t d_heap_live, std::int64_t d_heap_scan) override;
  void end_cycle(std::int64_t now_ns, int procs, bool user_forced) override;
  void reset_live(std::uint64_t bytes_marked) override;
  std::uint64_t trace_stacks_bytes() const override { return stack_scan_; }
  bool has_memory_limit() const override { return false; }

 private:
  std::uint64_t goal_ = 0, trigger_ = 0, min_trigger_ = 0, max_trigger_ = 0;
  std::uint64_t stack_scan_ = 0;  ///< allocated stacks at the last cycle start (stackScan)
  bool sweep_done_ = true;
};

}  // namespace gogcsim
