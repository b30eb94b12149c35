#include "models/observer.hpp"

#include <cmath>

namespace gogcsim {

const char* phase_name(GcPhase p) {
  switch (p) {
    case GcPhase::off: return "off";
    case GcPhase::sweep_termination: return "sweep_termination";
    case GcPhase::mark: return "mark";
    case GcPhase::mark_termination: return "mark_termination";
  }
  return "?";
}

const char* goal_bound_name(GoalBound b) {
  switch (b) {
    case GoalBound::gogc: return "gogc";
    case GoalBound::heap_minimum: return "heap_minimum";
    case GoalBound::memory_limit: return "memory_limit";
    case GoalBound::sweep_distance: return "sweep_distance";
    case GoalBound::min_runway: return "min_runway";
    case GoalBound::gogc_off: return "gogc_off";
  }
  return "?";
}

CycleRecord begin_cycle_record(std::int64_t cycle, TriggerKind kind, std::int64_t now_ns, Pacer& pacer, int procs) {
  const PacerState& s = pacer.state();
  CycleRecord c;
  c.cycle = cycle;
  c.trigger_kind = kind;
  c.start_ns = now_ns;
  c.heap_marked_prev = s.heap_marked;
  c.heap_live_start = s.heap_live;
  c.runway = s.runway;
  c.cons_mark_before = s.cons_mark;
  c.heap_scan_at_start = s.heap_scan;
  c.expected_scan_work = s.last_heap_scan + s.last_stack_scan + s.globals_scan;
  c.gc_percent = s.gc_percent;
  c.memory_limit = s.memory_limit;
  c.gc_percent_goal = s.gc_percent_heap_goal;
  const TriggerResult tr = pacer.trigger();
  c.heap_goal_at_start = tr.goal;
  c.min_trigger = tr.min_trigger;
  c.max_trigger = tr.max_trigger;
  c.memory_limit_goal = tr.goal < s.gc_percent_heap_goal ? tr.goal : 0;
  pacer.start_cycle(now_ns, procs, kind);
  c.heap_trigger = s.triggered;
  c.assist_work_per_byte_start = s.assist_work_per_byte;
  c.dedicated_workers = s.dedicated_mark_workers_needed;
  c.fractional_goal = s.fractional_utilization_goal;
  c.stacks_bytes = s.max_stack_scan;
  c.globals_bytes = s.globals_scan;
  c.procs = procs;
  return c;
}

void set_mark_time(PacerState& s, const MarkCpu& m) {
  s.assist_time_ns = std::llround(m.assist_ns);
  s.dedicated_mark_time_ns = std::llround(m.dedicated_ns);
  s.fractional_mark_time_ns = std::llround(m.fractional_ns);
  s.idle_mark_time_ns = std::llround(m.idle_ns);
}

void end_cycle_record(CycleRecord& c, const PacerState& s, const MarkCpu& m) {
  c.heap_peak = s.heap_live;
  c.heap_goal = s.last_heap_goal;
  c.goal_bound = classify_goal(s, s.last_heap_goal);
  c.cons_mark = s.cons_mark;
  c.cons_mark_measured = s.last_cons_mark_measured;
  c.gc_utilization = s.last_utilization;
  c.assist_utilization = s.last_utilization - 0.25;  // gcBackgroundUtilization
  c.idle_utilization = s.last_idle_utilization;
  c.heap_scan_work = s.heap_scan_work;
  c.stack_scan_work = s.stack_scan_work;
  c.globals_scan_work = s.globals_scan_work;
  c.assist_cpu_ns = m.assist_ns;
  c.dedicated_cpu_ns = m.dedicated_ns;
  c.fractional_cpu_ns = m.fractional_ns;
  c.idle_cpu_ns = m.idle_ns;
}

void set_memory(PacerState& s, const MemoryClasses& m) {
  s.heap_free = static_cast<std::uint64_t>(m.heap_free);
  s.heap_alloc = static_cast<std::uint64_t>(m.heap_objects);
  s.mapped_ready = s.heap_free + s.heap_alloc + static_cast<std::uint64_t>(m.heap_unused) +
                   static_cast<std::uint64_t>(m.heap_stacks) + static_cast<std::uint64_t>(m.other);
}

GoalBound classify_goal(const PacerState& s, std::uint64_t goal) {
  if (goal < s.gc_percent_heap_goal) return GoalBound::memory_limit;
  if (goal > s.gc_percent_heap_goal) {
    return s.triggered != kNoTrigger && goal == s.triggered + 64 * 1024 ? GoalBound::min_runway
                                                                        : GoalBound::sweep_distance;
  }
  if (s.gc_percent < 0) return GoalBound::gogc_off;
  return goal == s.heap_minimum ? GoalBound::heap_minimum : GoalBound::gogc;
}

}  // namespace gogcsim
