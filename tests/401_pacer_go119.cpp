// The Go 1.19 pacer against numbers worked out by hand from the reference
// (../shared/reference/go-gc-model.md §3–§5). Cycle-by-cycle parity with the real runtime's
// pacer test is in tests/6xx.
#include <doctest/doctest.h>

#include "models/pacer/go119.hpp"

using namespace gogcsim;

namespace {
constexpr std::uint64_t MiB = 1 << 20;

Go119Pacer pacer_with(std::int64_t gogc, std::int64_t limit, std::uint64_t marked, std::uint64_t stacks = 0,
                      std::uint64_t globals = 0) {
  Go119Pacer p;
  p.init(gogc, limit);
  auto& s = p.state();
  s.heap_marked = s.heap_live = marked;
  s.last_stack_scan = stacks;
  s.globals_scan = globals;
  p.commit(true);
  return p;
}
}  // namespace

TEST_CASE("GOGC=100 with 4 MiB marked gives an 8 MiB goal (gc-guide example)") {
  auto p = pacer_with(100, kMaxInt64, 4 * MiB);
  CHECK(p.heap_goal() == 8 * MiB);
}

TEST_CASE("the goal counts stacks and globals: M + (M + S + G) * GOGC/100") {
  // Reference §3 example: M = 100 MiB, 1 MiB stacks, 1 MiB globals -> 202 MiB.
  CHECK(pacer_with(100, kMaxInt64, 100 * MiB, MiB, MiB).heap_goal() == 202 * MiB);
  // GOGC=50: 100 + 102/2 = 151 MiB.
  CHECK(pacer_with(50, kMaxInt64, 100 * MiB, MiB, MiB).heap_goal() == 151 * MiB);
}

TEST_CASE("the heap minimum is 4 MiB * GOGC/100") {
  CHECK(pacer_with(100, kMaxInt64, 0).heap_goal() == 4 * MiB);
  CHECK(pacer_with(200, kMaxInt64, MiB).heap_goal() == 8 * MiB);  // 1 + 1*2 = 3 MiB < 8 MiB
  CHECK(pacer_with(50, kMaxInt64, 0).heap_goal() == 2 * MiB);
}

TEST_CASE("the first trigger is 61/64 of the 4 MiB minimum heap: 3,997,696 bytes") {
  Go119Pacer p;
  p.init(100, kMaxInt64);
  CHECK(p.trigger().goal == 4 * MiB);
  CHECK(p.trigger().trigger == 3'997'696);
}

TEST_CASE("the trigger is clamped between 45/64 and max(61/64, goal - 4 MiB) of the runway") {
  auto p = pacer_with(100, kMaxInt64, 100 * MiB);  // goal 200 MiB
  auto& s = p.state();
  // Bounds: M + (100 MiB/64)*45 = 178,585,600; max(M + (100 MiB/64)*61 = 204,800,000,
  // goal - 4 MiB = 205,520,896).
  s.runway = 0;
  CHECK(p.trigger().trigger == 205'520'896);
  s.runway = 300 * MiB;  // runway longer than the goal: the lower bound
  CHECK(p.trigger().trigger == 178'585'600);
  s.runway = 10 * MiB;  // inside the bounds: goal - runway
  CHECK(p.trigger().trigger == 200 * MiB - 10 * MiB);
  // A small heap: 61/64 wins over goal - 4 MiB (M = 4 MiB, goal 8 MiB).
  auto q = pacer_with(100, kMaxInt64, 4 * MiB);
  q.state().runway = 0;
  CHECK(q.trigger().trigger == 4 * MiB + (4 * MiB / 64) * 61);
}

TEST_CASE("trigger never exceeds 61/64 of the runway or goal - 4 MiB, never falls below 45/64") {
  for (std::uint64_t m : {std::uint64_t{0}, MiB, 7 * MiB, 100 * MiB, 3000 * MiB}) {
    for (std::uint64_t runway : {std::uint64_t{0}, MiB, 50 * MiB, std::uint64_t{1} << 40}) {
      auto p = pacer_with(100, kMaxInt64, m);
      p.state().runway = runway;
      auto t = p.trigger();
      std::uint64_t lo = m + ((t.goal - m) / 64) * 45;
      std::uint64_t hi = std::max(m + ((t.goal - m) / 64) * 61, t.goal > 4 * MiB ? t.goal - 4 * MiB : 0);
      CHECK(t.trigger >= lo);
      CHECK(t.trigger <= std::max(hi, lo));
      CHECK(t.trigger <= t.goal);
    }
  }
}

TEST_CASE("memory-limit goal: limit - non-heap - overage - 1 MiB, the smaller goal wins") {
  // Reference §3 worked example: mapped_ready 240, heap_free 10, heap_alloc 180 -> non-heap
  // 50 MiB; limit 256 MiB -> 256 - 50 - 1 = 205 MiB > GOGC goal 202 MiB: GOGC wins in 1.19.
  auto p = pacer_with(100, 256 * MiB, 100 * MiB, MiB, MiB);
  auto& s = p.state();
  s.mapped_ready = 240 * MiB;
  s.heap_free = 10 * MiB;
  s.heap_alloc = 180 * MiB;
  CHECK(p.heap_goal() == 202 * MiB);
  p.set_memory_limit(250 * MiB);  // 250 - 50 - 1 = 199 MiB < 202: the limit wins
  p.commit(true);
  CHECK(p.heap_goal() == 199 * MiB);
  s.mapped_ready = 300 * MiB;  // 50 MiB over the limit: overage counts too
  s.heap_free = 70 * MiB;
  s.heap_alloc = 180 * MiB;   // non-heap still 50 MiB; 250 - (50 + 50) - 1 = 149 MiB
  CHECK(p.heap_goal() == 149 * MiB);
  p.set_memory_limit(40 * MiB);  // hopeless: non-heap alone is over the limit -> goal = M
  CHECK(p.heap_goal() == 100 * MiB);
}

TEST_CASE("GOGC=off with a limit uses the limit goal alone and GOGC=off without one never triggers") {
  auto p = pacer_with(-1, 512 * MiB, 10 * MiB);
  CHECK(p.heap_goal() == 511 * MiB);  // non-heap 0: limit - 1 MiB headroom
  auto q = pacer_with(-1, kMaxInt64, 10 * MiB);
  CHECK(q.heap_goal() > (1ULL << 62));
}

TEST_CASE("worker counts follow the 25 % rule and its rounding (reference §5 table)") {
  // P: dedicated workers, fractional utilization goal.
  struct Row {
    int p, dedicated;
    double fractional;
  };
  const Row rows[] = {{1, 0, 0.25}, {2, 0, 0.25},       {3, 0, 0.25}, {4, 1, 0},  {5, 1, 0},  {6, 1, 0.5 / 6},
                      {7, 2, 0},    {8, 2, 0},          {9, 2, 0},    {10, 3, 0}, {11, 3, 0}, {12, 3, 0}};
  for (const Row& r : rows) {
    CAPTURE(r.p);
    Go119Pacer p;
    p.init(100, kMaxInt64);
    p.start_cycle(0, r.p, TriggerKind::heap);
    CHECK(p.state().dedicated_mark_workers_needed == r.dedicated);
    CHECK(p.state().fractional_utilization_goal == doctest::Approx(r.fractional));
    CHECK(p.state().max_idle_mark_workers == r.p - r.dedicated);
  }
  Go119Pacer p;  // a periodic GC caps idle workers at 0 when there are dedicated ones (#44163)
  p.init(100, kMaxInt64);
  p.start_cycle(0, 8, TriggerKind::time);
  CHECK(p.state().max_idle_mark_workers == 0);
}

TEST_CASE("assist ratio: remaining scan work over remaining heap, 10 % overshoot past the goal") {
  auto p = pacer_with(100, kMaxInt64, 4 * MiB);  // goal 8 MiB
  auto& s = p.state();
  s.last_heap_scan = MiB;  // expected work 1 MiB
  s.heap_live = 6 * MiB;
  p.start_cycle(0, 4, TriggerKind::heap);
  s.heap_live = 6 * MiB;
  p.revise();
  CHECK(s.assist_work_per_byte == doctest::Approx(1.0 * MiB / (2 * MiB)));
  // Past the goal: goal * 1.1 = 9,227,468 (truncated), expected = heap_scan + stacks + globals.
  s.heap_scan = 2 * MiB;
  s.heap_live = 8 * MiB + MiB / 2;
  p.revise();
  CHECK(s.assist_work_per_byte == doctest::Approx(2.0 * MiB / (9'227'468.0 - 8.5 * MiB)));
  // Past even that: the remaining heap is floored at one byte.
  s.heap_live = 9 * MiB;
  p.revise();
  CHECK(s.assist_work_per_byte == 2.0 * MiB);
}

TEST_CASE("cons/mark is measured per cycle and smoothed by the 1.19 PI controller") {
  auto p = pacer_with(100, kMaxInt64, 4 * MiB);
  auto& s = p.state();
  p.start_cycle(0, 4, TriggerKind::heap);
  s.triggered = 6 * MiB;
  s.heap_live = 16 * MiB;        // 10 MiB allocated during the mark
  s.heap_scan_work = 20 * MiB;   // 20 MiB of scan work, no assists, no idle marking
  p.end_cycle(1'000'000, 4, false);
  // measured = 10 MiB * 0.25 / (20 MiB * 0.75) = 1/6; PI from 0: 0.9 * (1/6) = 0.15
  CHECK(s.last_cons_mark_measured == doctest::Approx(1.0 / 6));
  CHECK(s.cons_mark == doctest::Approx(0.15));
  CHECK(s.cons_mark_controller.err_integral == doctest::Approx(0.225 / 6));
  p.reset_live(8 * MiB);
  p.commit(false);
  // runway = cons_mark * 0.75/0.25 * (last heap scan + stack + globals) = 0.15 * 3 * 20 MiB
  CHECK(s.runway == static_cast<std::uint64_t>((0.15 * 0.75 / 0.25) * (20.0 * MiB)));
  CHECK(s.sweep_dist_min_trigger == 8 * MiB + MiB);
}
