#include "models/collector/cycle_level.hpp"

#include <algorithm>

namespace gogcsim {

namespace {

// doWork: take scan work from globals, then stacks, then the heap.
struct Scanned {
  std::int64_t globals = 0, stack = 0, heap = 0;
  std::int64_t total() const { return globals + stack + heap; }
};

Scanned do_work(std::int64_t work, std::int64_t& globals, std::int64_t& stack, std::int64_t& heap) {
  Scanned s;
  std::int64_t* left[3] = {&globals, &stack, &heap};
  std::int64_t* taken[3] = {&s.globals, &s.stack, &s.heap};
  for (int i = 0; i < 3 && work > 0; ++i) {
    if (*left[i] == 0) continue;
    if (*left[i] > work) {
      *taken[i] = work;
      *left[i] -= work;
      work = 0;
    } else {
      *taken[i] = *left[i];
      work -= *left[i];
      *left[i] = 0;
    }
  }
  return s;
}

}  // namespace

RunEnd CycleLevel::run() {
  auto& s = pacer_.state();
  const std::int64_t n_cycles = w_.cycles();
  CycleInputs in = n_cycles > 0 ? w_.next() : CycleInputs{};
  pacer_.init(in.gc_percent, in.memory_limit);
  std::int64_t black_last = 0;
  std::int64_t clock_ns = 0;
  double gc_cpu_ns = 0, total_cpu_ns = 0;
  RunEnd end;
  for (std::int64_t i = 0; i < n_cycles; ++i) {
    if (i > 0) {
      in = w_.next();
      // Settings may change between cycles (inputs files): apply them as SetGCPercent and
      // SetMemoryLimit do, then recompute the goal.
      if (in.gc_percent != s.gc_percent || in.memory_limit != s.memory_limit) {
        pacer_.set_gc_percent(in.gc_percent);
        pacer_.set_memory_limit(in.memory_limit);
        pacer_.commit(false);
      }
    }
    const double n = static_cast<double>(in.n_cores);
    CycleRecord rec;
    rec.cycle = i + 1;
    rec.start_ns = clock_ns;
    rec.procs = in.n_cores;
    rec.runway = s.runway;
    rec.cons_mark_before = s.cons_mark;
    rec.gc_percent = s.gc_percent;
    rec.memory_limit = s.memory_limit;
    rec.gc_percent_goal = s.gc_percent_heap_goal;

    // StartCycle: the mutator allocated exactly up to the trigger.
    TriggerResult tr = pacer_.trigger();
    std::uint64_t trigger = std::max(tr.trigger, s.heap_marked);
    rec.heap_goal_at_start = tr.goal;
    rec.min_trigger = tr.min_trigger;
    rec.max_trigger = tr.max_trigger;
    rec.memory_limit_goal = tr.goal < s.gc_percent_heap_goal ? tr.goal : 0;
    s.max_stack_scan = in.stack_bytes;
    s.globals_scan = in.globals_bytes;
    s.heap_live = trigger;
    s.heap_scan += static_cast<std::uint64_t>(static_cast<double>(trigger - s.heap_marked) * in.scannable_frac);
    rec.heap_marked_prev = s.heap_marked;
    rec.heap_live_start = s.heap_live;
    rec.heap_scan_at_start = s.heap_scan;
    rec.expected_scan_work = s.last_heap_scan + s.last_stack_scan + s.globals_scan;
    pacer_.start_cycle(0, in.n_cores, TriggerKind::heap);
    rec.heap_trigger = s.triggered;
    rec.assist_work_per_byte_start = s.assist_work_per_byte;
    rec.dedicated_workers = s.dedicated_mark_workers_needed;
    rec.fractional_goal = s.fractional_utilization_goal;
    rec.globals_bytes = in.globals_bytes;

    // The live heap this mark will find.
    const std::int64_t next_heap_marked =
        i == 0 ? kInitialHeapBytes
               : static_cast<std::int64_t>(static_cast<double>(static_cast<std::int64_t>(s.heap_marked) - black_last) *
                                           in.growth_rate);
    std::int64_t globals_left = static_cast<std::int64_t>(in.globals_bytes);
    std::int64_t stack_left = static_cast<std::int64_t>(in.stack_bytes);
    std::int64_t heap_left = static_cast<std::int64_t>(static_cast<double>(next_heap_marked) * in.scannable_frac);
    rec.live_bytes_at_start = static_cast<double>(next_heap_marked);

    std::int64_t gc_duration = 0, assist_time = 0, black = 0;
    while (heap_left + stack_left + globals_left > 0) {
      const double ar = s.assist_work_per_byte;
      double u = ar * in.alloc_rate / (ar * in.alloc_rate + in.scan_rate);
      if (u < 0.25) u = 0.25;
      const auto bytes_scanned = static_cast<std::int64_t>(in.scan_rate * kRateConv * n * u);
      const auto bytes_allocated = static_cast<std::int64_t>(in.alloc_rate * kRateConv * n * (1 - u));
      const Scanned done = do_work(bytes_scanned, globals_left, stack_left, heap_left);
      std::int64_t elapsed = kRevisePeriodNs;
      std::int64_t allocated = bytes_allocated;
      if (done.total() < bytes_scanned) {  // the work ran out inside this period
        elapsed = static_cast<std::int64_t>(static_cast<double>(done.total()) * static_cast<double>(kRevisePeriodNs) /
                                            (in.scan_rate * kRateConv * n * u));
        allocated = static_cast<std::int64_t>(in.alloc_rate * kRateConv * static_cast<double>(elapsed) /
                                              static_cast<double>(kRevisePeriodNs) * n * (1 - u));
      }
      // Revise
      s.heap_live += static_cast<std::uint64_t>(allocated);
      s.heap_scan += static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<double>(allocated) * in.scannable_frac));
      s.heap_scan_work += done.heap;
      s.stack_scan_work += done.stack;
      s.globals_scan_work += done.globals;
      pacer_.revise();
      assist_time += static_cast<std::int64_t>(static_cast<double>(elapsed) * n * (u - 0.25));
      gc_duration += elapsed;
      black += allocated;
    }

    rec.heap_peak = s.heap_live;
    rec.heap_goal = pacer_.heap_goal();
    rec.assist_utilization = static_cast<double>(assist_time) / (static_cast<double>(gc_duration) * n);
    rec.gc_utilization = rec.assist_utilization + 0.25;
    rec.heap_scan_work = s.heap_scan_work;
    rec.stack_scan_work = s.stack_scan_work;
    rec.globals_scan_work = s.globals_scan_work;
    rec.mark_wall_ns = gc_duration;
    rec.assist_cpu_ns = static_cast<double>(assist_time);
    rec.dedicated_cpu_ns = static_cast<double>(gc_duration) * n * 0.25;
    gc_cpu_ns += rec.assist_cpu_ns + rec.dedicated_cpu_ns;
    total_cpu_ns += static_cast<double>(gc_duration) * n;
    rec.gc_cpu_fraction = total_cpu_ns > 0 ? gc_cpu_ns / total_cpu_ns : 0;
    rec.goal_bound = rec.heap_goal < s.gc_percent_heap_goal ? GoalBound::memory_limit
                     : s.gc_percent < 0                    ? GoalBound::gogc_off
                                                           : GoalBound::gogc;

    // EndCycle
    s.assist_time_ns = assist_time;
    pacer_.end_cycle(gc_duration, in.n_cores, false);
    pacer_.reset_live(static_cast<std::uint64_t>(next_heap_marked + black));
    pacer_.commit(false);
    rec.heap_marked = s.heap_marked;
    rec.stacks_bytes = pacer_.trace_stacks_bytes();
    rec.trigger_ratio = s.trigger_ratio;
    rec.cons_mark = s.cons_mark;
    rec.cons_mark_measured = s.last_cons_mark_measured;
    black_last = black;
    clock_ns += gc_duration;
    obs_.on_cycle(rec);

    Sample x;
    x.t_ns = clock_ns;
    x.heap_live = s.heap_live;
    x.heap_live_max = rec.heap_peak;
    x.heap_goal = pacer_.heap_goal();
    x.trigger = pacer_.trigger().trigger;
    x.live_bytes = static_cast<double>(next_heap_marked);
    x.heap_alloc = s.heap_live;
    x.memory_limit = s.memory_limit;
    obs_.on_sample(x);
    end.peak_heap_live = std::max(end.peak_heap_live, rec.heap_peak);
  }
  end.wall_ns = clock_ns;
  end.cpu.gc_mark_assist_ns = gc_cpu_ns;  // the harness models GC CPU only
  obs_.on_end(end);
  return end;
}

}  // namespace gogcsim
