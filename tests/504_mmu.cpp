// MMU on hand-built utilization patterns with answers worked out by hand.
#include <doctest/doctest.h>

#include "analysis/mmu.hpp"
#include "test_util.hpp"

using namespace gogcsim;

TEST_CASE("MMU of two 10 ms stop-the-world pauses 400 ms apart in a 1 s run") {
  // u = 1, except 0 during [100, 110) ms and [500, 510) ms.
  const std::int64_t ms = 1'000'000;
  std::vector<UtilPoint> u{{0, 1}, {100 * ms, 0}, {110 * ms, 1}, {500 * ms, 0}, {510 * ms, 1}};
  const std::int64_t end = 1000 * ms;
  CHECK(mmu(u, end, 5 * ms) == 0);                                     // fits inside a pause
  CHECK(mmu(u, end, 10 * ms) == 0);
  CHECK(mmu(u, end, 20 * ms) == doctest::Approx(0.5));                 // a pause fills half
  CHECK(mmu(u, end, 100 * ms) == doctest::Approx(0.9));
  CHECK(mmu(u, end, 400 * ms) == doctest::Approx(390.0 / 400));        // one pause's worth at most
  CHECK(mmu(u, end, 420 * ms) == doctest::Approx(400.0 / 420));        // now both can be inside
  CHECK(mmu(u, end, 1000 * ms) == doctest::Approx(0.98));              // the whole run
}

TEST_CASE("MMU of a mark phase at 25 percent GC plus a pause") {
  // 4 Ps: a 1 ms pause (u = 0) then 20 ms of marking with one dedicated worker (u = 0.75).
  const std::int64_t ms = 1'000'000;
  std::vector<UtilPoint> u{{0, 1}, {50 * ms, 0}, {51 * ms, 0.75}, {71 * ms, 1}};
  CHECK(mmu(u, 200 * ms, ms) == 0);
  CHECK(mmu(u, 200 * ms, 2 * ms) == doctest::Approx(0.375));   // 1 ms at 0 + 1 ms at 0.75
  CHECK(mmu(u, 200 * ms, 10 * ms) == doctest::Approx(0.675));  // 1 ms at 0 + 9 ms at 0.75
  CHECK(mmu(u, 200 * ms, 21 * ms) == doctest::Approx(15.0 / 21));
  auto curve = mmu_curve(u, 200 * ms);
  CHECK(curve.front().window_ns == 100'000);
  CHECK(curve.back().window_ns == 200 * ms);
  for (std::size_t i = 1; i < curve.size(); ++i) CHECK(curve[i].mmu >= curve[i - 1].mmu - 1e-12);  // never falls
}

TEST_CASE("a simulated run's MMU is zero at its shortest pause and grows with the window") {
  using namespace gogcsim::test;
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/steady-web.yaml")));
  CHECK(r.summary.mmu_1ms < r.summary.mmu_100ms);
  CHECK(mmu(r.recorder.utilization, r.recorder.end.wall_ns, static_cast<std::int64_t>(r.summary.pause_ns.p50 / 2)) == 0);
}
