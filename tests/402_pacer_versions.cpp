// The pacer versions against the differences the reference and the runtime's history
// predict (../shared/reference/go-gc-model.md §3–§5, §13; models/pacer/VERSIONS.md).
#include <doctest/doctest.h>

#include <cmath>

#include "models/pacer/go118.hpp"
#include "models/pacer/go120.hpp"
#include "models/pacer/go15.hpp"
#include "models/registry.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;

namespace {
constexpr std::uint64_t MiB = 1 << 20;

// One measured cycle: cons/mark input `cur` = (heap_live − triggered)·0.25 / (work·0.75).
void measured_cycle(Pacer& p, double cur) {
  auto& s = p.state();
  s.heap_live = 10 * MiB;
  p.start_cycle(0, 4, TriggerKind::heap);
  const std::uint64_t work = 10 * MiB;
  s.heap_scan_work = static_cast<std::int64_t>(work);
  s.heap_live = s.triggered + static_cast<std::uint64_t>(cur * 3 * static_cast<double>(work));
  p.end_cycle(1'000'000, 4, false);
  p.reset_live(5 * MiB);
  p.commit(false);
}
}  // namespace

TEST_CASE("every Go version maps to the pacer that reproduces it") {
  CHECK(make_pacer("1.5")->go_version() == "1.5");
  CHECK(make_pacer("1.17")->go_version() == "1.5");
  CHECK(make_pacer("1.18")->go_version() == "1.18");
  CHECK(make_pacer("1.19")->go_version() == "1.19");
  CHECK(make_pacer("1.20")->go_version() == "1.20");
  CHECK(make_pacer("1.21")->go_version() == "1.21");
  CHECK(make_pacer("1.25")->go_version() == "1.21");
  CHECK_THROWS(make_pacer("1.4"));
}

TEST_CASE("cons/mark smoothing: 1.20 averages two measurements, 1.21 takes the max of five") {
  Go120Pacer p20;
  Go121Pacer p21;
  p20.init(100, kMaxInt64);
  p21.init(100, kMaxInt64);
  const double seq[] = {0.2, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1};
  const double want20[] = {0.1, 0.4, 0.35, 0.1, 0.1, 0.1, 0.1};  // (cur + last)/2, last starts at 0
  const double want21[] = {0.2, 0.6, 0.6, 0.6, 0.6, 0.6, 0.1};  // max(cur, last 4); 0.6 leaves after 4 cycles
  for (int i = 0; i < 7; ++i) {
    CAPTURE(i);
    measured_cycle(p20, seq[i]);
    measured_cycle(p21, seq[i]);
    CHECK(p20.state().cons_mark == doctest::Approx(want20[i]));
    CHECK(p21.state().cons_mark == doctest::Approx(want21[i]));
  }
}

TEST_CASE("1.20+ measure from the actual heap_live at the start, 1.19 from the precomputed trigger") {
  Go119Pacer p19;
  Go120Pacer p20;
  for (Pacer* p : {static_cast<Pacer*>(&p19), static_cast<Pacer*>(&p20)}) {
    p->init(100, kMaxInt64);
    p->state().heap_live = 3 * MiB + 123;  // the cycle started late: heap_live past the trigger
    p->start_cycle(0, 4, TriggerKind::heap);
  }
  CHECK(p19.state().triggered == 3'997'696);
  CHECK(p20.state().triggered == 3 * MiB + 123);
}

TEST_CASE("1.21 keeps max(3 %, 1 MiB) of headroom under the memory limit, 1.19 and 1.20 a flat 1 MiB") {
  // Non-heap memory 0: the limit goal is the limit less the headroom.
  Go119Pacer p19;
  Go120Pacer p20;
  Go121Pacer p21;
  for (Pacer* p : {static_cast<Pacer*>(&p19), static_cast<Pacer*>(&p20), static_cast<Pacer*>(&p21)}) {
    p->init(-1, 512 * MiB);
  }
  CHECK(p19.heap_goal() == 511 * MiB);
  CHECK(p20.heap_goal() == 511 * MiB);
  CHECK(p21.heap_goal() == 512 * MiB - (512 * MiB / 100) * 3);  // 520,764,785 (as 1.21's own test expects)
  Go121Pacer small;
  small.init(-1, 20 * MiB);  // 3 % of 20 MiB < 1 MiB: the 1 MiB floor
  CHECK(small.heap_goal() == 19 * MiB);
}

TEST_CASE("1.18: stored goal and trigger, float bounds, the heap minimum floors the trigger, no memory limit") {
  Go118Pacer p;
  p.init(100, 256 * MiB);
  CHECK(p.trigger().trigger == 4 * MiB);  // small heap: trigger = goal = 4 MiB (1.19: 3,997,696)
  CHECK(p.heap_goal() == 4 * MiB);
  CHECK_FALSE(p.has_memory_limit());
  auto& s = p.state();
  s.heap_marked = s.heap_live = 100 * MiB;
  p.commit(true);  // goal 200 MiB, runway 0: max trigger = M + (goal − 4 MiB) − ... → not capped
  CHECK(p.heap_goal() == 200 * MiB);
  CHECK(p.trigger().trigger == 200 * MiB);  // the large-heap cap adds M: trigger = goal − runway
  s.cons_mark = 10;  // a long runway: the float 0.7 lower bound
  s.last_heap_scan = 100 * MiB;
  p.commit(true);
  CHECK(p.trigger().trigger == 100 * MiB + static_cast<std::uint64_t>(0.7 * 100 * MiB));
}

TEST_CASE("the old pacer starts at a 4 MiB trigger and steers its trigger ratio toward 30 % utilization") {
  Go15Pacer p;
  p.init(100, kMaxInt64);
  auto& s = p.state();
  CHECK(s.heap_marked == 2'236'962);         // 4 MiB / 1.875
  CHECK(p.trigger().trigger == 4'194'304);   // max(M·1.875, heap minimum)
  CHECK(p.heap_goal() == 4'473'924);          // 2M
  CHECK_FALSE(p.trace_has_roots());
  // One cycle by hand: M = 2,236,962, goal raised at start to heap_live + 1 MiB = 5 MiB,
  // heap_live at the end 5 MiB, no assists: h_g = (5 MiB − M)/M, h_a = 5 MiB/M − 1,
  // e = (h_g − 0.875) − (0.25/0.30)(h_a − 0.875); h_t' = 0.875 + 0.5 e.
  s.heap_live = 4 * MiB;
  p.start_cycle(0, 4, TriggerKind::heap);
  CHECK(p.heap_goal() == 5 * MiB);
  s.heap_live = 5 * MiB;
  p.end_cycle(1'000'000, 4, false);
  const double m = 2'236'962.0, hg = (5.0 * MiB - m) / m, ha = 5.0 * MiB / m - 1;
  CHECK(s.trigger_ratio == doctest::Approx(0.875 + 0.5 * ((hg - 0.875) - (0.25 / 0.30) * (ha - 0.875))));
  p.reset_live(3 * MiB);
  p.commit(false);
  CHECK(s.trigger_ratio <= 0.95);  // clamped to 0.95 · GOGC/100
  CHECK(s.trigger_ratio >= 0.6);
}

TEST_CASE("after an 11x allocation step, 1.21 reacts at once, 1.20 in two cycles, 1.19 rings, the old pacer lags") {
  // scenarios/alloc-step.yaml at the fluid level: the first cycle after the step needs
  // assists under every pacer; what differs is how fast each stops needing them, i.e. how
  // fast its trigger moves earlier (reference §5 smoothing, §13; #53738, #53892, #56966).
  std::map<std::string, std::vector<double>> assist;
  for (const char* go : {"1.5", "1.19", "1.20", "1.21"}) {
    RunResult r = run_scenario(load_scenario_file(source_path("scenarios/alloc-step.yaml"), {std::string("go=") + go}));
    for (const auto& c : r.recorder.cycles) {
      if (c.start_ns >= 10'000'000'000 && assist[go].size() < 8) assist[go].push_back(c.assist_utilization);
    }
    REQUIRE(assist[go].size() == 8);
  }
  auto sum_after_first = [&](const char* go) {
    double s = 0;
    for (std::size_t i = 1; i < 8; ++i) s += assist[go][i];
    return s;
  };
  MESSAGE("assist utilization, cycles 2-8 after the step: 1.5 ", sum_after_first("1.5"), ", 1.19 ",
          sum_after_first("1.19"), ", 1.20 ", sum_after_first("1.20"), ", 1.21 ", sum_after_first("1.21"));
  // max of 5: the new cons/mark is used at once; the second cycle is already at the level
  // the step settles to.
  CHECK(assist["1.21"][1] < 0.05);
  CHECK(std::fabs(assist["1.21"][1] - assist["1.21"][6]) < 0.01);
  CHECK(assist["1.20"][1] > 0.1);   // mean of 2: half the jump in the first cycle...
  CHECK(assist["1.20"][3] < 0.05);  // ...settled two cycles later
  // The PI controller overshoots and undershoots: assists come back every other cycle.
  CHECK(assist["1.19"][2] > assist["1.19"][1] + 0.05);
  CHECK(assist["1.19"][4] > assist["1.19"][3] + 0.05);
  // The gain-0.5 trigger-ratio controller converges slowly, with assists every cycle.
  for (std::size_t i = 1; i < 5; ++i) {
    CHECK(assist["1.5"][i] > 0.05);
    CHECK(assist["1.5"][i] < assist["1.5"][i - 1]);
  }
  CHECK(sum_after_first("1.21") < sum_after_first("1.20"));
  CHECK(sum_after_first("1.20") < sum_after_first("1.5"));
  CHECK(sum_after_first("1.20") < sum_after_first("1.19"));
}
