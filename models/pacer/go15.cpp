#include "models/pacer/go15.hpp"

#include "models/pacer/go_convert.hpp"

namespace gogcsim {

namespace {
constexpr std::uint64_t kDefaultHeapMinimum = 4 << 20;
constexpr std::uint64_t kSweepMinHeapDistance = 1 << 20;
}  // namespace

void Go15Pacer::init(std::int64_t gc_percent, std::int64_t /*memory_limit: none before 1.19*/) {
  s_.heap_minimum = kDefaultHeapMinimum;
  s_.memory_limit = kMaxInt64;
  s_.trigger_ratio = 7 / 8.0;
  // A fake previous mark, so that the first trigger is the 4 MiB heap minimum.
  s_.heap_marked = go_u64(static_cast<double>(s_.heap_minimum) / (1 + s_.trigger_ratio));
  sweep_done_ = true;
  set_gc_percent(gc_percent);
}

void Go15Pacer::set_gc_percent(std::int64_t gc_percent) {
  if (gc_percent < 0) gc_percent = -1;
  s_.gc_percent = gc_percent;
  s_.heap_minimum = kDefaultHeapMinimum * static_cast<std::uint64_t>(gc_percent) / 100;
  commit(sweep_done_);
}

void Go15Pacer::commit(bool is_sweep_done) {
  sweep_done_ = is_sweep_done;
  const std::uint64_t m = s_.heap_marked;
  std::uint64_t goal = ~std::uint64_t{0};
  double ratio = s_.trigger_ratio;
  if (s_.gc_percent >= 0) {
    goal = m + m * static_cast<std::uint64_t>(s_.gc_percent) / 100;
    const double scale = static_cast<double>(s_.gc_percent) / 100;
    if (ratio > 0.95 * scale) ratio = 0.95 * scale;
    if (ratio < 0.6 * scale) ratio = 0.6 * scale;
  } else if (ratio < 0) {
    ratio = 0;
  }
  s_.trigger_ratio = ratio;
  s_.gc_percent_heap_goal = goal;
  std::uint64_t trigger = ~std::uint64_t{0};
  if (s_.gc_percent >= 0) {
    trigger = go_u64(static_cast<double>(m) * (1 + ratio));
    std::uint64_t min_trigger = s_.heap_minimum;
    if (!is_sweep_done && s_.heap_live + kSweepMinHeapDistance > min_trigger) {
      min_trigger = s_.heap_live + kSweepMinHeapDistance;
    }
    if (trigger < min_trigger) trigger = min_trigger;
    if (trigger > goal) goal = trigger;
  }
  trigger_ = trigger;
  goal_ = goal;
  if (s_.gc_running) revise();
}

void Go15Pacer::start_cycle(std::int64_t mark_start_ns, int procs, TriggerKind kind) {
  reset_cycle_counters(s_, mark_start_ns);
  if (goal_ < s_.heap_live + kSweepMinHeapDistance) goal_ = s_.heap_live + kSweepMinHeapDistance;
  s_.triggered = trigger_;
  plan_mark_workers(s_, procs, kind, false);
  s_.gc_running = true;
  revise();
}

void Go15Pacer::revise() {
  const std::int64_t gc_percent = s_.gc_percent < 0 ? 100000 : s_.gc_percent;
  const std::int64_t work = s_.heap_scan_work;  // heap only: the old pacer ignores roots
  auto goal = static_cast<std::int64_t>(goal_);
  auto expected = go_i64(static_cast<double>(s_.heap_scan) * 100 / static_cast<double>(100 + gc_percent));
  if (static_cast<std::int64_t>(s_.heap_live) > goal || work > expected) {
    goal = go_i64(static_cast<double>(goal) * 1.1);  // the hard goal
    expected = static_cast<std::int64_t>(s_.heap_scan);
  }
  set_assist_ratio(s_, expected, work, goal);
}

void Go15Pacer::update(std::int64_t d_heap_live, std::int64_t d_heap_scan) {
  s_.heap_live = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_live) + d_heap_live);
  s_.heap_scan = static_cast<std::uint64_t>(static_cast<std::int64_t>(s_.heap_scan) + d_heap_scan);
  if (s_.gc_running) revise();
}

void Go15Pacer::end_cycle(std::int64_t now_ns, int procs, bool user_forced) {
  s_.gc_running = false;
  s_.last_heap_goal = goal_;
  const std::int64_t duration = now_ns - s_.mark_start_time_ns;
  double u_a = 0.25;
  if (duration > 0) u_a += static_cast<double>(s_.assist_time_ns) / static_cast<double>(duration * procs);
  s_.last_utilization = u_a;
  if (user_forced) return;  // forced cycles teach the controller nothing
  const double m = static_cast<double>(s_.heap_marked);
  double h_g = static_cast<double>(goal_ - s_.heap_marked) / m;
  if (h_g < 0) h_g = 0;
  const double h_a = static_cast<double>(s_.heap_live) / m - 1;
  const double h_t = s_.trigger_ratio;
  const double error = (h_g - h_t) - (u_a / kGoalUtilization) * (h_a - h_t);
  s_.trigger_ratio = h_t + kTriggerGain * error;  // clamped by the next commit
}

void Go15Pacer::reset_live(std::uint64_t bytes_marked) {
  s_.heap_marked = s_.heap_live = bytes_marked;
  s_.heap_scan = static_cast<std::uint64_t>(s_.heap_scan_work);
}

}  // namespace gogcsim
