// The pacer family: decides when a GC cycle starts (trigger), how large the heap may grow
// (heap goal) and how much mark work each allocated byte owes (assist_work_per_byte).
//
// Mirrors the runtime's gcControllerState (src/runtime/mgcpacer.go). A pacer is pure: it
// holds the controller's state and the functions of it; the fidelity level (fluid, cycle,
// object) feeds it heap and scan-work numbers exactly where the runtime would, and calls
// its methods at the runtime's call sites:
//
//   init ─► commit ─► [trigger() tested on allocation] ─► start_cycle ─► update/revise ...
//        ─► end_cycle ─► reset_live(heap_marked) ─► commit ─► ...
//
// Field names are the runtime's, in snake_case (STYLE "Go's vocabulary").
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace gogcsim {

inline constexpr std::uint64_t kNoTrigger = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

/// What started a cycle (gcTrigger.kind). Periodic (2-minute) GCs cap idle workers.
enum class TriggerKind { heap, time, user_forced };

/// The runtime's PI controller (mgcpacer.go piController), used for cons/mark in 1.18–1.19.
struct PiController {
  double kp = 0, ti = 0, tt = 0, min = 0, max = 0;
  double err_integral = 0;
  /// Returns (output, ok); ok = false (and the integral reset) on Inf/NaN, like the runtime.
  std::pair<double, bool> next(double input, double setpoint, double period);
};

/// gcControllerState's fields. Units: bytes unless named otherwise; times in ns.
struct PacerState {
  // --- settings ---
  std::int64_t gc_percent = 100;          ///< GOGC; -1 = off.
  std::int64_t memory_limit = kMaxInt64;  ///< GOMEMLIMIT in bytes; MaxInt64 = none.
  std::uint64_t heap_minimum = 4 << 20;   ///< 4 MiB * GOGC / 100 (set_gc_percent).

  // --- heap, maintained by the level through update() and reset_live() ---
  std::uint64_t heap_marked = 0;     ///< Bytes marked by the last cycle (M).
  std::uint64_t heap_live = 0;       ///< heap_marked + bytes allocated since (span-granular).
  std::uint64_t heap_scan = 0;       ///< Scannable part of heap_live.
  std::uint64_t last_heap_scan = 0;  ///< Heap scan work done by the last cycle.
  std::uint64_t last_stack_scan = 0; ///< Stack bytes scanned by the last cycle.
  std::uint64_t max_stack_scan = 0;  ///< Allocated stack bytes of all goroutines (worst case).
  std::uint64_t globals_scan = 0;    ///< data+bss bytes of all modules.

  // --- memory, for the memory-limit goal (set by the level before trigger()/revise()) ---
  std::uint64_t heap_free = 0;     ///< Free, unscavenged heap pages.
  std::uint64_t heap_alloc = 0;    ///< totalAlloc − totalFree: bytes in objects, incl. unswept dead.
  std::uint64_t mapped_ready = 0;  ///< Mapped and not released: what the limit counts.

  // --- pacing outputs ---
  std::uint64_t triggered = kNoTrigger;    ///< Trigger used by the running cycle (precomputed in 1.19).
  std::uint64_t last_heap_goal = 0;        ///< Goal at the last end_cycle.
  std::uint64_t gc_percent_heap_goal = 0;  ///< GOGC goal, from commit().
  std::uint64_t sweep_dist_min_trigger = 0;
  std::uint64_t runway = 0;                ///< Bytes of allocation the mark is expected to take.
  double cons_mark = 0;                    ///< Smoothed cons/mark: allocation per unit of scan work.
  PiController cons_mark_controller{};

  // --- the running cycle, written by the level as work is done ---
  std::int64_t heap_scan_work = 0, stack_scan_work = 0, globals_scan_work = 0;
  std::int64_t assist_time_ns = 0, dedicated_mark_time_ns = 0, fractional_mark_time_ns = 0,
               idle_mark_time_ns = 0;
  std::int64_t mark_start_time_ns = 0;
  std::int64_t dedicated_mark_workers_needed = 0;
  double fractional_utilization_goal = 0;
  double assist_work_per_byte = 0;
  double assist_bytes_per_work = 0;
  std::int32_t max_idle_mark_workers = 0;
  bool gc_running = false;  ///< gcBlackenEnabled: between start_cycle and end_cycle.

  /// Values of the last end_cycle, for traces and teaching output.
  double last_cons_mark_measured = 0;  ///< currentConsMark before smoothing.
  double last_utilization = 0;         ///< 0.25 + assist utilization.
  double last_idle_utilization = 0;

  /// The old (Go 1.5–1.17) pacer's trigger ratio h_t; 0 for the cons/mark pacers.
  double trigger_ratio = 0;
};

/// The trigger with the bounds that produced it (for gcpacertrace-like explanations).
struct TriggerResult {
  std::uint64_t trigger = 0;
  std::uint64_t goal = 0;
  std::uint64_t min_trigger = 0;
  std::uint64_t max_trigger = 0;
};

/// gcControllerState.startCycle's worker plan (reference §5 "Worker count"): round 25 % of
/// the Ps to whole dedicated workers unless that is more than 30 % off, then make up the
/// difference with a fractional worker. Periodic GCs use at most one idle worker (none with
/// dedicated ones) from Go 1.19 on (#44163).
void plan_mark_workers(PacerState& s, int procs, TriggerKind kind, bool cap_idle_for_periodic);
/// startCycle's reset of the cycle's scan work and CPU times.
void reset_cycle_counters(PacerState& s, std::int64_t mark_start_ns);
/// revise's last step in every version: the assist ratio from the scan work still expected
/// and the heap left before `goal`, floored at 1000 units of work and 1 byte.
void set_assist_ratio(PacerState& s, std::int64_t expected_work, std::int64_t work_done, std::int64_t goal);

class Pacer {
 public:
  virtual ~Pacer() = default;
  /// Which Go version's pacer this is ("1.19").
  virtual std::string go_version() const = 0;
  /// gcControllerState.init: settings, then commit with no sweep phase.
  virtual void init(std::int64_t gc_percent, std::int64_t memory_limit) = 0;
  virtual void set_gc_percent(std::int64_t gc_percent) = 0;
  virtual void set_memory_limit(std::int64_t memory_limit) = 0;
  /// Recomputes the GOGC goal, runway and sweep distance (end of cycle, setting changes).
  virtual void commit(bool is_sweep_done) = 0;
  /// The heap goal in force now (dynamic: memory limit, sweep distance, min runway).
  virtual std::uint64_t heap_goal() const = 0;
  /// The trigger in force now, with its bounds.
  virtual TriggerResult trigger() const = 0;
  /// Cycle start: worker counts, triggered, assist ratio. `mark_start_ns` is tSweepTerm.
  virtual void start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) = 0;
  /// Recomputes assist_work_per_byte from heap_live and the scan work done so far.
  virtual void revise() = 0;
  /// heap_live/heap_scan changed; revises during mark (gcControllerState.update).
  virtual void update(std::int64_t d_heap_live, std::int64_t d_heap_scan) = 0;
  /// Mark done: updates cons/mark and last_heap_goal.
  virtual void end_cycle(std::int64_t now_ns, int procs, bool user_forced) = 0;
  /// Mark termination: heap_marked = heap_live = bytes_marked; last scan work recorded.
  virtual void reset_live(std::uint64_t bytes_marked) = 0;

  /// gctrace's "MB stacks" value (1.19: allocated stacks; 1.20+: stack bytes scanned).
  virtual std::uint64_t trace_stacks_bytes() const = 0;
  /// Whether gctrace lines carry the stacks and globals fields (Go 1.18+).
  virtual bool trace_has_roots() const { return true; }
  /// GOMEMLIMIT and the GC CPU limiter exist (Go 1.19+).
  virtual bool has_memory_limit() const { return true; }

  PacerState& state() { return s_; }
  const PacerState& state() const { return s_; }

 protected:
  PacerState s_;
};

}  // namespace gogcsim
