#include "models/pacer/go119.hpp"

#include <cmath>

#include "models/pacer/go_convert.hpp"

namespace gogcsim {

std::pair<double, bool> PiController::next(double input, double setpoint, double period) {
  // Proportional term plus the integral so far; anti-windup through the reset time tt.
  double prop = kp * (setpoint - input);
  double raw = prop + err_integral;
  double out = raw;
  if (std::isinf(out) || std::isnan(out)) {
    err_integral = 0;
    return {min, false};
  }
  if (out < min) {
    out = min;
  } else if (out > max) {
    out = max;
  }
  if (ti != 0 && tt != 0) {
    err_integral += (kp * period / ti) * (setpoint - input) + (period / tt) * (out - raw);
    if (std::isinf(err_integral) || std::isnan(err_integral)) {
      err_integral = 0;
      return {min, false};
    }
  }
  return {out, true};
}

void plan_mark_workers(PacerState& s, int procs, TriggerKind kind, bool cap_idle_for_periodic) {
  const double total = static_cast<double>(procs) * Go119Pacer::kBackgroundUtilization;
  s.dedicated_mark_workers_needed = static_cast<std::int64_t>(total + 0.5);
  const double util_error = static_cast<double>(s.dedicated_mark_workers_needed) / total - 1;
  constexpr double max_util_error = 0.3;
  if (util_error < -max_util_error || util_error > max_util_error) {
    if (static_cast<double>(s.dedicated_mark_workers_needed) > total) --s.dedicated_mark_workers_needed;
    s.fractional_utilization_goal =
        (total - static_cast<double>(s.dedicated_mark_workers_needed)) / static_cast<double>(procs);
  } else {
    s.fractional_utilization_goal = 0;
  }
  if (cap_idle_for_periodic && kind == TriggerKind::time) {
    s.max_idle_mark_workers = s.dedicated_mark_workers_needed > 0 ? 0 : 1;
  } else {
    s.max_idle_mark_workers = procs - static_cast<std::int32_t>(s.dedicated_mark_workers_needed);
  }
}

void reset_cycle_counters(PacerState& s, std::int64_t mark_start_ns) {
  s.heap_scan_work = s.stack_scan_work = s.globals_scan_work = 0;
  s.assist_time_ns = s.dedicated_mark_time_ns = s.fractional_mark_time_ns = s.idle_mark_time_ns = 0;
  s.mark_start_time_ns = mark_start_ns;
}

void set_assist_ratio(PacerState& s, std::int64_t expected_work, std::int64_t work_done, std::int64_t goal) {
  std::int64_t remaining_work = expected_work - work_done;
  if (remaining_work < 1000) remaining_work = 1000;
  // Go's int64 arithmetic wraps; so does this (C++20 modular conversion), without UB. It
  // matters when nothing was expected to be scanned (no globals or stacks in cycle 1): Go
  // then computes an "infinite" extended goal that converts to MinInt64.
  auto remaining_heap = static_cast<std::int64_t>(static_cast<std::uint64_t>(goal) - s.heap_live);
  if (remaining_heap <= 0) remaining_heap = 1;
  s.assist_work_per_byte = static_cast<double>(remaining_work) / static_cast<double>(remaining_heap);
  s.assist_bytes_per_work = static_cast<double>(remaining_heap) / static_cast<double>(remaining_work);
}

Go119Pacer::Go119Pacer() {
  // The cons/mark controller's constants (mgcpacer.go init): a fast proportional response
  // (kp 0.9) with a slow integral (ti 4 cycles), effectively unbounded output.
  s_.cons_mark_controller = PiController{0.9, 4.0, 1000, -1000, 1000, 0};
}

void Go119Pacer::init(std::int64_t gc_percent, std::int64_t memory_limit) {
  s_.heap_minimum = kDefaultHeapMinimum;
  s_.triggered = kNoTrigger;
  set_gc_percent(gc_percent);
  set_memory_limit(memory_limit);
  commit(true);  // the first cycle has no sweep phase before it
}

void Go119Pacer::set_gc_percent(std::int64_t gc_percent) {
  if (gc_percent < 0) gc_percent = -1;
  // The runtime converts the int32 percent to uint64 before multiplying: -1 wraps. The GOGC
  // goal is then "infinite" anyway, so the wrapped minimum is never the larger one.
  s_.heap_minimum = kDefaultHeapMinimum * static_cast<std::uint64_t>(gc_percent) / 100;
  s_.gc_percent = gc_percent;
}

void Go119Pacer::set_memory_limit(std::int64_t memory_limit) {
  if (memory_limit >= 0) s_.memory_limit = memory_limit;
}

void Go119Pacer::commit(bool is_sweep_done) {
  // Reference §2 "Sweep": while sweeping, the trigger must leave 1 MiB of allocation for the
  // sweeper to finish in.
  s_.sweep_dist_min_trigger = is_sweep_done ? 0 : s_.heap_live + kSweepMinHeapDistance;

  // Reference §3: the GOGC goal counts roots (stacks scanned, globals) as well as the heap.
  std::uint64_t goal = ~std::uint64_t{0};
  if (s_.gc_percent >= 0) {
    goal = s_.heap_marked + (s_.heap_marked + s_.last_stack_scan + s_.globals_scan) *
                                static_cast<std::uint64_t>(s_.gc_percent) / 100;
  }
  if (goal < s_.heap_minimum) goal = s_.heap_minimum;
  s_.gc_percent_heap_goal = goal;

  // Reference §4: runway = allocation expected while the last cycle's scan work is redone at
  // the 25 % goal utilization, at the smoothed cons/mark.
  constexpr double u = kBackgroundUtilization;
  double work = static_cast<double>(s_.last_heap_scan + s_.last_stack_scan + s_.globals_scan);
  s_.runway = go_u64((s_.cons_mark * (1 - u) / u) * work);
}

std::uint64_t Go119Pacer::memory_limit_heap_goal() const {
  // Reference §3 "Memory-limit goal"; the headroom is version-specific.
  const std::uint64_t limit = static_cast<std::uint64_t>(s_.memory_limit);
  const std::uint64_t non_heap = s_.mapped_ready - s_.heap_free - s_.heap_alloc;
  const std::uint64_t overage = s_.mapped_ready > limit ? s_.mapped_ready - limit : 0;
  if (non_heap + overage >= limit) return s_.heap_marked;  // hopeless: collect continuously
  std::uint64_t goal = limit - (non_heap + overage);
  const std::uint64_t headroom = memory_limit_headroom(goal);
  if (goal < headroom || goal - headroom < headroom) {
    goal = headroom;
  } else {
    goal -= headroom;
  }
  return goal < s_.heap_marked ? s_.heap_marked : goal;
}

std::pair<std::uint64_t, std::uint64_t> Go119Pacer::heap_goal_internal() const {
  std::uint64_t goal = s_.gc_percent_heap_goal;
  std::uint64_t min_trigger = 0;
  std::uint64_t ml_goal = memory_limit_heap_goal();
  if (ml_goal < goal) {
    goal = ml_goal;  // memory-limit regime: no sweep-distance or runway adjustment
  } else {
    if (s_.sweep_dist_min_trigger > goal) goal = s_.sweep_dist_min_trigger;
    min_trigger = s_.sweep_dist_min_trigger;
    if (s_.triggered != kNoTrigger && goal < s_.triggered + kMinRunway) goal = s_.triggered + kMinRunway;
  }
  return {goal, min_trigger};
}

std::uint64_t Go119Pacer::heap_goal() const { return heap_goal_internal().first; }

TriggerResult Go119Pacer::trigger() const {
  auto [goal, min_trigger] = heap_goal_internal();
  const std::uint64_t m = s_.heap_marked;
  if (m >= goal) return {goal, goal, goal, goal};
  if (min_trigger < m) min_trigger = m;
  // Divide first, as the runtime does: the bounds are multiples of (goal−M)/64.
  std::uint64_t lower = ((goal - m) / kTriggerRatioDen) * kMinTriggerRatioNum + m;
  if (min_trigger < lower) min_trigger = lower;
  std::uint64_t max_trigger = ((goal - m) / kTriggerRatioDen) * kMaxTriggerRatioNum + m;
  if (goal > kDefaultHeapMinimum && goal - kDefaultHeapMinimum > max_trigger) {
    max_trigger = goal - kDefaultHeapMinimum;
  }
  if (max_trigger < min_trigger) max_trigger = min_trigger;
  std::uint64_t t = s_.runway > goal ? min_trigger : goal - s_.runway;
  if (t < min_trigger) t = min_trigger;
  if (t > max_trigger) t = max_trigger;
  return {t, goal, min_trigger, max_trigger};
}

void Go119Pacer::start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) {
  reset_cycle_counters(s_, mark_start_ns);
  s_.triggered = cycle_trigger();

  plan_mark_workers(s_, procs, kind, true);
  s_.gc_running = true;
  revise();
}

void Go119Pacer::revise() {
  std::int64_t gc_percent = s_.gc_percent < 0 ? 100000 : s_.gc_percent;  // "off" ≈ effectively unbounded
  const std::uint64_t live = s_.heap_live;
  const std::uint64_t scan = s_.heap_scan;
  const std::int64_t work = s_.heap_scan_work + s_.stack_scan_work + s_.globals_scan_work;
  auto heap_goal_v = static_cast<std::int64_t>(heap_goal());
  auto expected = static_cast<std::int64_t>(s_.last_heap_scan + s_.last_stack_scan + s_.globals_scan);
  const auto max_scan_work = static_cast<std::int64_t>(scan + s_.max_stack_scan + s_.globals_scan);
  const auto triggered = static_cast<std::int64_t>(s_.triggered);
  if (work > expected) {
    // More work than last cycle: assume the worst case (all of heap_scan) and stretch the
    // goal in proportion, but never past the hard goal (1 + GOGC/100)·goal.
    std::int64_t ext = go_i64(static_cast<double>(heap_goal_v - triggered) / static_cast<double>(expected) *
                              static_cast<double>(max_scan_work)) +
                       triggered;
    expected = max_scan_work;
    auto hard = go_i64((1.0 + static_cast<double>(gc_percent) / 100.0) * static_cast<double>(heap_goal_v));
    if (ext > hard) ext = hard;
    heap_goal_v = ext;
  }
  if (static_cast<std::int64_t>(live) > heap_goal_v) {
    // Past the goal: allow 10 % overshoot and assume the worst-case work.
    constexpr double max_overshoot = 1.1;
    heap_goal_v = go_i64(static_cast<double>(heap_goal_v) * max_overshoot);
    expected = max_scan_work;
  }
  set_assist_ratio(s_, expected, work, heap_goal_v);
}

void Go119Pacer::update(std::int64_t d_heap_live, std::int64_t d_heap_scan) {
  s_.heap_live = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_live) + d_heap_live);
  if (!s_.gc_running) {
    s_.heap_scan = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_scan) + d_heap_scan);
  } else {
    revise();  // heap_scan is frozen during mark
  }
}

void Go119Pacer::smooth_cons_mark(double current) {
  auto [out, ok] = s_.cons_mark_controller.next(s_.cons_mark, current, 1.0);
  s_.cons_mark = ok ? out : 0;
}

void Go119Pacer::end_cycle(std::int64_t now_ns, int procs, bool /*user_forced*/) {
  s_.gc_running = false;
  s_.last_heap_goal = heap_goal();
  const std::int64_t duration = now_ns - s_.mark_start_time_ns;
  double utilization = kBackgroundUtilization;
  if (duration > 0) {
    utilization += static_cast<double>(s_.assist_time_ns) / static_cast<double>(duration * procs);
  }
  s_.last_utilization = utilization;
  if (s_.heap_live <= s_.triggered) return;  // nothing allocated during mark: no information
  double idle_utilization = 0;
  if (duration > 0) {
    idle_utilization = static_cast<double>(s_.idle_mark_time_ns) / static_cast<double>(duration * procs);
  }
  s_.last_idle_utilization = idle_utilization;
  const std::int64_t scan_work = s_.heap_scan_work + s_.stack_scan_work + s_.globals_scan_work;
  const double current = (static_cast<double>(s_.heap_live - s_.triggered) * (utilization + idle_utilization)) /
                         (static_cast<double>(scan_work) * (1 - utilization));
  s_.last_cons_mark_measured = current;
  smooth_cons_mark(current);
}

void Go119Pacer::reset_live(std::uint64_t bytes_marked) {
  s_.heap_marked = bytes_marked;
  s_.heap_live = bytes_marked;
  s_.heap_scan = static_cast<std::uint64_t>(s_.heap_scan_work);
  s_.last_heap_scan = static_cast<std::uint64_t>(s_.heap_scan_work);
  s_.last_stack_scan = static_cast<std::uint64_t>(s_.stack_scan_work);
  s_.triggered = kNoTrigger;
}

}  // namespace gogcsim
