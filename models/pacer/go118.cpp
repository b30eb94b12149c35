#include "models/pacer/go118.hpp"

#include <cmath>

#include "models/pacer/go_convert.hpp"

namespace gogcsim {

namespace {
constexpr std::uint64_t kDefaultHeapMinimum = 4 << 20;
constexpr std::uint64_t kSweepMinHeapDistance = 1 << 20;
constexpr double kU = 0.25;  // gcGoalUtilization with the redesigned pacer
}  // namespace

Go118Pacer::Go118Pacer() { s_.cons_mark_controller = PiController{0.9, 4.0, 1000, -1000, 1000, 0}; }

void Go118Pacer::init(std::int64_t gc_percent, std::int64_t /*memory_limit: none in 1.18*/) {
  s_.heap_minimum = kDefaultHeapMinimum;
  s_.memory_limit = kMaxInt64;
  sweep_done_ = true;
  set_gc_percent(gc_percent);
}

void Go118Pacer::set_gc_percent(std::int64_t gc_percent) {
  if (gc_percent < 0) gc_percent = -1;
  s_.heap_minimum = kDefaultHeapMinimum * static_cast<std::uint64_t>(gc_percent) / 100;
  s_.gc_percent = gc_percent;
  commit(sweep_done_);  // 1.18's setGCPercent commits itself
}

void Go118Pacer::commit(bool is_sweep_done) {
  sweep_done_ = is_sweep_done;
  const std::uint64_t m = s_.heap_marked;
  std::uint64_t goal = ~std::uint64_t{0};
  if (s_.gc_percent >= 0) {
    goal = m + (m + stack_scan_ + s_.globals_scan) * static_cast<std::uint64_t>(s_.gc_percent) / 100;
  }
  s_.gc_percent_heap_goal = goal;
  // The heap minimum floors the trigger, not the goal; so does the sweep distance.
  std::uint64_t min_trigger = s_.heap_minimum;
  if (!is_sweep_done && s_.heap_live + kSweepMinHeapDistance > min_trigger) min_trigger = s_.heap_live + kSweepMinHeapDistance;
  const std::uint64_t lo = go_u64(0.7 * static_cast<double>(goal - m)) + m;
  if (lo > min_trigger) min_trigger = lo;
  std::uint64_t max_runway = go_u64(0.95 * static_cast<double>(goal - m));
  if (goal > s_.heap_minimum && max_runway < goal - s_.heap_minimum) max_runway = goal - s_.heap_minimum;
  std::uint64_t max_trigger = max_runway + m;
  if (max_trigger < min_trigger) max_trigger = min_trigger;
  s_.runway = go_u64((s_.cons_mark * (1 - kU) / kU) *
                     static_cast<double>(s_.last_heap_scan + stack_scan_ + s_.globals_scan));
  std::uint64_t t = s_.runway > goal ? min_trigger : goal - s_.runway;
  if (t < min_trigger) t = min_trigger;
  if (t > max_trigger) t = max_trigger;
  if (t > goal) goal = t;
  trigger_ = t;
  goal_ = goal;
  min_trigger_ = min_trigger;
  max_trigger_ = max_trigger;
  if (s_.gc_running) revise();
}

void Go118Pacer::start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) {
  reset_cycle_counters(s_, mark_start_ns);
  stack_scan_ = s_.max_stack_scan;
  constexpr std::uint64_t min_runway = 64 << 10;
  if (goal_ < s_.heap_live + min_runway) goal_ = s_.heap_live + min_runway;
  s_.triggered = trigger_;  // reported; 1.18 keeps using the stored trigger
  plan_mark_workers(s_, procs, kind, false);
  s_.gc_running = true;
  revise();
}

void Go118Pacer::revise() {
  const std::int64_t gc_percent = s_.gc_percent < 0 ? 100000 : s_.gc_percent;
  const std::int64_t work = s_.heap_scan_work + s_.stack_scan_work + s_.globals_scan_work;
  auto goal = static_cast<std::int64_t>(goal_);
  auto expected = static_cast<std::int64_t>(s_.last_heap_scan + stack_scan_ + s_.globals_scan);
  const auto max_work = static_cast<std::int64_t>(s_.heap_scan + stack_scan_ + s_.globals_scan);
  const auto trig = static_cast<std::int64_t>(trigger_);
  if (work > expected) {
    std::int64_t ext = go_i64(static_cast<double>(goal - trig) / static_cast<double>(expected) *
                              static_cast<double>(max_work)) + trig;
    expected = max_work;
    std::int64_t hard = go_i64((1.0 + static_cast<double>(gc_percent) / 100.0) * static_cast<double>(goal));
    goal = ext > hard ? hard : ext;
  }
  if (static_cast<std::int64_t>(s_.heap_live) > goal) {
    goal = go_i64(static_cast<double>(goal) * 1.1);
    expected = max_work;
  }
  set_assist_ratio(s_, expected, work, goal);
}

void Go118Pacer::update(std::int64_t d_heap_live, std::int64_t d_heap_scan) {
  s_.heap_live = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_live) + d_heap_live);
  if (!s_.gc_running) {
    s_.heap_scan = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_scan) + d_heap_scan);
  } else {
    revise();
  }
}

void Go118Pacer::end_cycle(std::int64_t now_ns, int procs, bool /*user_forced*/) {
  s_.gc_running = false;
  s_.last_heap_goal = goal_;
  const std::int64_t duration = now_ns - s_.mark_start_time_ns;
  double u = kU;
  if (duration > 0) u += static_cast<double>(s_.assist_time_ns) / static_cast<double>(duration * procs);
  s_.last_utilization = u;
  if (s_.heap_live <= trigger_) return;
  double ui = duration > 0 ? static_cast<double>(s_.idle_mark_time_ns) / static_cast<double>(duration * procs) : 0;
  s_.last_idle_utilization = ui;
  const std::int64_t scan_work = s_.heap_scan_work + s_.stack_scan_work + s_.globals_scan_work;
  const double cur = (static_cast<double>(s_.heap_live - trigger_) * (u + ui)) / (static_cast<double>(scan_work) * (1 - u));
  s_.last_cons_mark_measured = cur;
  auto [out, ok] = s_.cons_mark_controller.next(s_.cons_mark, cur, 1.0);
  s_.cons_mark = ok ? out : 0;
}

void Go118Pacer::reset_live(std::uint64_t bytes_marked) {
  s_.heap_marked = s_.heap_live = bytes_marked;
  s_.heap_scan = s_.last_heap_scan = static_cast<std::uint64_t>(s_.heap_scan_work);
}

}  // namespace gogcsim
