// The Go 1.19 pacer (also the base of the 1.18+ "redesigned" pacers).
//
// Mirrors gcControllerState in src/runtime/mgcpacer.go of go1.19 (Debian golang-1.19-src
// 1.19.8). Reference: ../shared/reference/go-gc-model.md §3 (goal), §4 (trigger), §5
// (assists, cons/mark). With M = heap_marked, S = last_stack_scan, G = globals_scan:
//
//   GOGC goal (commit, §3)      gc_percent_goal = max(M + (M + S + G)·GOGC/100, 4 MiB·GOGC/100)
//   memory-limit goal (§3)      limit − (nonHeap + overage) − 1 MiB headroom, floored at M,
//                               nonHeap = mapped_ready − heap_free − heap_alloc
//   heap goal (§3)              min of the two; in the GOGC regime raised to the sweep
//                               distance and to triggered + 64 KiB while a cycle runs
//   runway (commit, §4)         cons_mark · (1 − 0.25)/0.25 · (last_heap_scan + S + G)
//   trigger (§4)                clamp(goal − runway, M + (goal−M)/64·45,
//                                     max(M + (goal−M)/64·61, goal − 4 MiB))
//   assist ratio (revise, §5)   (expected − done scan work) / (goal' − heap_live),
//                               goal' extended when work exceeds the estimate, ×1.1 past it
//   cons/mark (end_cycle, §5)   (heap_live − triggered)·(u + u_idle) / (scan work·(1 − u)),
//                               smoothed by a PI controller (kp 0.9, ti 4, tt 1000, ±1000)
//
// Integer arithmetic is done in uint64/int64 exactly where the runtime does it (e.g. the
// trigger bounds divide before multiplying), so results match the runtime bit for bit.
// Left out: GOEXPERIMENT=heapminimum512kib; gcstoptheworld debug mode.
#pragma once

#include "models/pacer/pacer.hpp"

namespace gogcsim {

class Go119Pacer : public Pacer {
 public:
  Go119Pacer();
  std::string go_version() const override { return "1.19"; }
  void init(std::int64_t gc_percent, std::int64_t memory_limit) override;
  void set_gc_percent(std::int64_t gc_percent) override;
  void set_memory_limit(std::int64_t memory_limit) override;
  void commit(bool is_sweep_done) override;
  std::uint64_t heap_goal() const override;
  TriggerResult trigger() const override;
  void start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) override;
  void revise() override;
  void update(std::int64_t d_heap_live, std::int64_t d_heap_scan) override;
  void end_cycle(std::int64_t now_ns, int procs, bool user_forced) override;
  void reset_live(std::uint64_t bytes_marked) override;
  std::uint64_t trace_stacks_bytes() const override { return s_.max_stack_scan; }

  /// gcBackgroundUtilization = gcGoalUtilization: the mark phase's CPU target.
  static constexpr double kBackgroundUtilization = 0.25;
  static constexpr std::uint64_t kDefaultHeapMinimum = 4 << 20;
  static constexpr std::uint64_t kSweepMinHeapDistance = 1 << 20;
  static constexpr std::uint64_t kMinRunway = 64 << 10;
  static constexpr std::uint64_t kTriggerRatioDen = 64, kMinTriggerRatioNum = 45, kMaxTriggerRatioNum = 61;

 protected:
  /// heapGoalInternal: (goal, min_trigger).
  virtual std::pair<std::uint64_t, std::uint64_t> heap_goal_internal() const;
  /// memoryLimitHeapGoal; 1.19's headroom is a flat 1 MiB.
  virtual std::uint64_t memory_limit_heap_goal() const;
  /// Smooths the measured cons/mark into s_.cons_mark (1.19: PI controller).
  virtual void smooth_cons_mark(double current);
  /// What start_cycle records as `triggered` (1.19: the precomputed trigger).
  virtual std::uint64_t cycle_trigger() const { return trigger().trigger; }
  /// memoryLimitHeapGoal's headroom for a goal (1.19–1.20: a flat 1 MiB).
  virtual std::uint64_t memory_limit_headroom(std::uint64_t /*goal*/) const { return 1 << 20; }
};

}  // namespace gogcsim
