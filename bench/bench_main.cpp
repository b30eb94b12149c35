// Speed targets live here, never in timed unit tests (brief "Standards").
//   gogcsim_bench                          all benchmarks
//   gogcsim_bench --benchmark_filter=Queue one of them
// Counters: events/s (queue), cycles/s (simulated GC cycles per second of host time).
#include <benchmark/benchmark.h>

#include "app/run.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

using namespace gogcsim;

// Event queue: schedule + pop with a steady population of N pending events, times spread
// like a simulation's (random offsets into the future).
static void BM_EventQueue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  EventQueue q;
  RngStream rng(1, "bench");
  std::int64_t now = 0;
  for (std::size_t i = 0; i < pending; ++i) q.push(Ns(static_cast<std::int64_t>(rng.next_u64() % 1'000'000)), 0, 0);
  for (auto _ : state) {
    auto e = q.pop();
    now = e->time.count();
    q.push(Ns(now + static_cast<std::int64_t>(rng.next_u64() % 1'000'000)), 0, 0);
    benchmark::DoNotOptimize(e);
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EventQueue)->Arg(8)->Arg(64)->Arg(4096);

// A whole fluid run of the steady scenario with a long duration: simulated GC cycles per
// host second and engine events per host second.
static void BM_FluidSteady(benchmark::State& state) {
  Scenario sc = load_scenario_file(std::string(GOGCSIM_SOURCE_DIR) + "/scenarios/steady-web.yaml",
                                   {"workload.phases.0.duration=1h", "output.sample_interval=10s"});
  double cycles = 0, events = 0;
  for (auto _ : state) {
    RunResult r = run_scenario(sc);
    cycles += static_cast<double>(r.summary.gc_cycles);
    events += static_cast<double>(r.summary.events);
  }
  state.counters["cycles/s"] = benchmark::Counter(cycles, benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FluidSteady)->Unit(benchmark::kMillisecond);


// The cycle level on Go's TestGcPacer "Steady" inputs (constant rates; about 16 revise
// periods of 500 µs per cycle), run for 100k cycles: simulated GC cycles per host second.
static void BM_CycleSteady(benchmark::State& state) {
  Scenario sc = load_scenario_file(std::string(GOGCSIM_SOURCE_DIR) + "/scenarios/pacer/steady.yaml",
                                   {"workload.cycles=100000"});
  double cycles = 0;
  for (auto _ : state) {
    RunResult r = run_scenario(sc);
    cycles += static_cast<double>(r.summary.gc_cycles);
  }
  state.counters["cycles/s"] = benchmark::Counter(cycles, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CycleSteady)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
