// The old pacer (Go 1.5 through 1.17): a proportional controller on the trigger ratio h_t.
// Modelled on go1.17's src/runtime/mgcpacer.go; details: models/pacer/VERSIONS.md §5.
// Reference §4 "Old pacer". With M = heap_marked:
//
//   goal     = M·(1 + GOGC/100)                       (no stacks, no globals)
//   trigger  = max(M·(1 + h_t), heap minimum, heap_live + 1 MiB while sweeping); the goal
//              is raised to the trigger; 0.6·GOGC/100 <= h_t <= 0.95·GOGC/100
//   at start the goal is raised to heap_live + 1 MiB
//   assists  expect heap_scan·100/(100 + GOGC) of work; past the goal or the expected work,
//            pace to the hard goal 1.1·goal with all of heap_scan
//   cycle end (not after a forced GC), with goal utilization u_g = 0.30:
//            u_a = 0.25 + assist utilization; h_g = (goal − M)/M; h_a = heap_live/M − 1
//            h_t ← h_t + 0.5·[(h_g − h_t) − (u_a/u_g)·(h_a − h_t)]
//   initial  h_t = 7/8 and M = 4 MiB/1.875, so the first trigger is 4 MiB
// No cons/mark, no memory limit, no CPU limiter; gctrace has no stacks/globals fields.
#pragma once

#include "models/pacer/pacer.hpp"

namespace gogcsim {

class Go15Pacer : public Pacer {
 public:
  std::string go_version() const override { return "1.5"; }
  void init(std::int64_t gc_percent, std::int64_t memory_limit) override;
  void set_gc_percent(std::int64_t gc_percent) override;
  void set_memory_limit(std::int64_t) override {}  // no memory limit before 1.19
  void commit(bool is_sweep_done) override;
  std::uint64_t heap_goal() const override { return goal_; }
  TriggerResult trigger() const override { return {trigger_, goal_, trigger_, trigger_}; }
  void start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) override;
  void revise() override;
  void update(std::int64_t d_heap_live, std::int64_t d_heap_scan) override;
  void end_cycle(std::int64_t now_ns, int procs, bool user_forced) override;
  void reset_live(std::uint64_t bytes_marked) override;
  std::uint64_t trace_stacks_bytes() const override { return 0; }
  bool trace_has_roots() const override { return false; }
  bool has_memory_limit() const override { return false; }

  static constexpr double kGoalUtilization = 0.30;  ///< gcGoalUtilization (u_g)
  static constexpr double kTriggerGain = 0.5;

 private:
  std::uint64_t goal_ = 0, trigger_ = 0;
  bool sweep_done_ = true;
};

}  // namespace gogcsim
