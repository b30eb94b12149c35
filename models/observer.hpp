// What a run reports as it goes: one record per GC cycle, per stop-the-world pause, per
// time sample, and one at the end. The analysis layer implements Observer (recorders,
// writers); levels call it and know nothing about files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/cpu/cpu.hpp"
#include "models/heap/fluid_heap.hpp"
#include "models/heap/span_mix.hpp"
#include "models/pacer/pacer.hpp"

namespace gogcsim {

enum class GcPhase { off, sweep_termination, mark, mark_termination };
const char* phase_name(GcPhase p);

/// Which bound set a cycle's heap goal (for explanations).
enum class GoalBound { gogc, heap_minimum, memory_limit, sweep_distance, min_runway, gogc_off };
const char* goal_bound_name(GoalBound b);

/// One GC cycle: gctrace's fields plus pacer internals. Bytes, ns, CPU-ns.
struct CycleRecord {
  std::int64_t cycle = 0;              ///< 1-based (gctrace "gc N").
  TriggerKind trigger_kind = TriggerKind::heap;
  std::int64_t start_ns = 0;           ///< tSweepTerm: when the cycle started.
  std::int64_t sweep_term_wall_ns = 0; ///< gctrace A.
  std::int64_t mark_wall_ns = 0;       ///< gctrace B.
  std::int64_t mark_term_wall_ns = 0;  ///< gctrace C.
  double sweep_term_cpu_ns = 0;        ///< gctrace D (A × GOMAXPROCS).
  double assist_cpu_ns = 0;            ///< gctrace E.
  double dedicated_cpu_ns = 0;         ///< part of gctrace F.
  double fractional_cpu_ns = 0;        ///< part of gctrace F.
  double idle_cpu_ns = 0;              ///< gctrace G.
  double mark_term_cpu_ns = 0;         ///< gctrace H.
  std::uint64_t heap_marked_prev = 0;  ///< M the cycle's goal was computed from.
  std::uint64_t heap_trigger = 0;      ///< The trigger (triggered).
  std::uint64_t heap_live_start = 0;   ///< gctrace X: heap_live when the cycle started.
  std::uint64_t heap_peak = 0;         ///< gctrace Y: heap_live at mark termination.
  std::uint64_t heap_marked = 0;       ///< gctrace Z: bytes marked.
  std::uint64_t heap_goal = 0;         ///< gctrace W: the goal at end_cycle.
  GoalBound goal_bound = GoalBound::gogc;
  std::uint64_t gc_percent_goal = 0;   ///< The GOGC goal alone.
  std::uint64_t memory_limit_goal = 0; ///< The memory-limit goal alone (at cycle start).
  std::uint64_t stacks_bytes = 0;      ///< gctrace S (1.19: allocated stack bytes).
  std::uint64_t globals_bytes = 0;     ///< gctrace L.
  int procs = 0;                       ///< gctrace P.
  std::int64_t heap_scan_work = 0, stack_scan_work = 0, globals_scan_work = 0;
  double trigger_ratio = 0;            ///< Old pacer (<= 1.17) only: h_t after the cycle.
  double cons_mark_before = 0;         ///< Smoothed cons/mark the runway was computed from.
  double cons_mark = 0;                ///< Smoothed cons/mark after this cycle.
  double cons_mark_measured = 0;       ///< This cycle's raw measurement.
  std::uint64_t runway = 0;            ///< Runway the trigger was computed from.
  std::uint64_t heap_goal_at_start = 0;  ///< The goal when the cycle started (before min-runway).
  std::uint64_t heap_scan_at_start = 0;  ///< heap_scan when the cycle started.
  std::uint64_t expected_scan_work = 0;  ///< last_heap_scan + last_stack_scan + globals at start.
  std::int64_t gc_percent = 0;           ///< GOGC in force (-1 = off).
  std::int64_t memory_limit = 0;         ///< GOMEMLIMIT in force.
  std::uint64_t min_trigger = 0, max_trigger = 0;
  double assist_work_per_byte_start = 0;
  double gc_utilization = 0;           ///< 0.25 + assist utilization (endCycle's u).
  double assist_utilization = 0;
  double idle_utilization = 0;
  double gc_cpu_fraction = 0;          ///< Cumulative, as gctrace's "%" (1.19 definition).
  std::int64_t dedicated_workers = 0;
  double fractional_goal = 0;
  bool limiter_on = false;             ///< The CPU limiter was on at some point of the mark.
  double live_bytes_at_start = 0;      ///< Truth of the workload (not visible in Go).
  double scan_objects = 0;             ///< Pointerful objects live at mark start (fluid estimate).
  double marked_objects = 0;           ///< All objects live at mark start (fluid estimate).
  double floating_garbage_bytes = 0;   ///< Object level: marked, yet unreachable at mark termination.
  double sweep_pages = 0;              ///< Pages in use at mark termination: the sweep that follows.
};

struct PauseRecord {
  std::int64_t cycle = 0;
  GcPhase kind = GcPhase::sweep_termination;  ///< sweep_termination or mark_termination.
  std::int64_t start_ns = 0;
  std::int64_t duration_ns = 0;
};

/// A stretch of a mark phase in which allocating goroutines assist marking. The fluid level
/// carries assists as a rate, not per goroutine, so an episode is the whole stretch during
/// which that rate is above zero, with the CPU it took (cpu_ns / duration_ns = Ps assisting).
struct AssistRecord {
  std::int64_t cycle = 0;
  std::int64_t start_ns = 0;
  std::int64_t duration_ns = 0;
  double cpu_ns = 0;
};

/// The state at one instant, plus maxima since the previous sample.
struct Sample {
  std::int64_t t_ns = 0;
  double mutator_ns = 0;            ///< Mutator time reached.
  std::uint64_t heap_live = 0, heap_goal = 0, trigger = 0;
  std::uint64_t heap_live_max = 0;  ///< Max of heap_live since the previous sample.
  std::uint64_t rss_max = 0;        ///< Max of RSS since the previous sample.
  double live_bytes = 0;            ///< Truly reachable bytes (workload truth).
  std::uint64_t heap_alloc = 0, heap_in_use = 0, heap_free = 0, heap_released = 0;
  std::uint64_t stacks = 0, mapped_ready = 0, rss = 0;
  std::uint64_t heap_unused = 0, other = 0;  ///< /memory/classes/heap/unused, metadata + other
  std::int64_t memory_limit = 0;
  GcPhase phase = GcPhase::off;
  int workload_phase = 0;
  CpuClasses cpu;                   ///< Cumulative.
  bool limiter_on = false;
};

struct RunEnd {
  std::int64_t wall_ns = 0;
  double mutator_ns = 0;
  CpuClasses cpu;
  bool oom = false;
  std::int64_t oom_at_ns = -1;
  std::uint64_t events = 0;
  std::uint64_t limiter_enabled_times = 0;
  std::uint64_t peak_rss = 0;
  std::uint64_t peak_heap_live = 0;
  std::uint64_t peak_mapped_ready = 0;
  double allocated_bytes = 0;
  double allocated_objects = 0;
  std::uint64_t peak_heap_in_use = 0;   ///< heap objects + unused, at its highest
  double scavenged_bytes = 0;            ///< released to the OS over the run (scavenger and program)
  MemoryClasses final_memory;           ///< /memory/classes/* at the end
  SpanMix final_mix;                    ///< how the last phase's objects fill spans (fluid level)
  std::vector<ClassUsage> final_classes; ///< the heap's spans per span class at the end (object level)
};

/// A cycle's record as the collector starts it: what the pacer had planned (goal, trigger
/// bounds, runway) before `Pacer::start_cycle`, then what start_cycle set (assist ratio,
/// workers). Shared by the fluid and object levels.
CycleRecord begin_cycle_record(std::int64_t cycle, TriggerKind kind, std::int64_t now_ns, Pacer& pacer, int procs);

/// Mark CPU of one cycle by kind of worker, in ns.
struct MarkCpu {
  double assist_ns = 0, dedicated_ns = 0, fractional_ns = 0, idle_ns = 0;
};
/// Hands a cycle's mark CPU to the pacer, as the runtime's gcController counters, before
/// Pacer::end_cycle.
void set_mark_time(PacerState& s, const MarkCpu& m);
/// Fills what a cycle's record learns at mark termination, after Pacer::end_cycle: peak, goal
/// and which bound set it, cons/mark, utilizations, scan work and mark CPU. Shared by the
/// fluid and object levels.
void end_cycle_record(CycleRecord& c, const PacerState& s, const MarkCpu& m);
/// What the memory-limit goal reads (memoryLimitHeapGoal's inputs), from either level's
/// /memory/classes/* view.
void set_memory(PacerState& s, const MemoryClasses& m);
/// Which bound set `goal` (GOGC, the heap minimum, the memory limit, the sweep distance or
/// the minimum runway).
GoalBound classify_goal(const PacerState& s, std::uint64_t goal);

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_cycle(const CycleRecord&) {}
  virtual void on_pause(const PauseRecord&) {}
  virtual void on_assist(const AssistRecord&) {}
  virtual void on_sample(const Sample&) {}
  /// From `t_ns` on, this fraction of the Ps runs the program (not GC) — for MMU curves.
  virtual void on_utilization(std::int64_t /*t_ns*/, double /*mutator_utilization*/) {}
  virtual void on_end(const RunEnd&) {}
};

}  // namespace gogcsim
