// Speed targets live here, never in timed unit tests (brief "Standards").
//   gogcsim_bench                          all benchmarks
//   gogcsim_bench --benchmark_filter=Queue one of them
// Counters: events/s (queue), cycles/s (simulated GC cycles per second of host time).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "app/run.hpp"
#include "models/collector/tricolor.hpp"
#include "models/workload/trace_format.hpp"
#include "models/heap/allocator.hpp"
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

// The allocator model alone: size-class lookup, slot search in the P's cached span, refills
// from partial lists or the page heap, and frees (a ring of 100k live objects: each new
// object frees the one allocated 100k allocations earlier). Sizes: lognormal around 64 B,
// half pointer-free (so tiny objects occur too), on 4 Ps.
static void BM_Allocator(benchmark::State& state) {
  Allocator a(4, SpanLayout::go119);
  RngStream rng(5, "bench-alloc");
  constexpr std::size_t kLive = 100000;
  struct Request {
    std::uint32_t size;
    bool noscan;
  };
  std::vector<Request> requests(1 << 16);
  for (auto& r : requests) {
    r.size = 1 + static_cast<std::uint32_t>(std::min(30000.0, rng.lognormal(64, 1.0)));
    r.noscan = rng.uniform() < 0.5;
  }
  std::vector<ObjectRef> ring(kLive);  // span kNoSpan: slot not used yet
  std::size_t i = 0, k = 0;
  for (auto _ : state) {
    if (ring[k].span != kNoSpan && !ring[k].tiny) a.free_object(ring[k]);
    const Request& r = requests[i & (requests.size() - 1)];
    ring[k] = a.alloc(r.size, r.noscan, static_cast<int>(i & 3));
    ++i;
    if (++k == kLive) k = 0;
  }
  state.counters["allocs/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Allocator);

// The object level's marker alone: a heap of 1 M objects (64-512 B, a quarter noscan, 0-4
// pointer fields each, a tree spine so most of it is reachable) marked from 100 roots.
// Counters: objects marked per second and host bytes per live object in the store.
static void BM_MarkMillionObjects(benchmark::State& state) {
  constexpr std::uint32_t kObjects = 1'000'000;
  RngStream rng(9, "bench-mark");
  ObjectStore g;
  for (std::uint32_t i = 0; i < kObjects; ++i) {
    const bool noscan = rng.uniform() < 0.25;
    g.add(64 + static_cast<std::uint32_t>(rng.uniform() * 448), noscan ? 0 : 1 + static_cast<std::uint32_t>(rng.uniform() * 4),
          noscan, ObjectRef{});
  }
  for (ObjectId i = 0; i < kObjects; ++i) {
    for (std::uint32_t f = 0; f < g[i].fields; ++f) {
      // Field 0 continues a spine through the heap; the others point anywhere.
      g.write(i, f, f == 0 ? (i + 1) % kObjects : static_cast<ObjectId>(rng.uniform() * kObjects));
    }
  }
  std::vector<ObjectId> roots;
  for (int r = 0; r < 100; ++r) roots.push_back(static_cast<ObjectId>(rng.uniform() * kObjects));
  TriColorMarker m(g);
  double marked = 0;
  for (auto _ : state) {
    m.begin(roots);
    while (!m.done()) m.drain(1 << 20);
    m.finish();
    marked += static_cast<double>(m.stats().marked_objects);
  }
  state.counters["objects/s"] = benchmark::Counter(marked, benchmark::Counter::kIsRate);
  state.counters["bytes/object"] = g.bytes_per_object();
}
BENCHMARK(BM_MarkMillionObjects)->Unit(benchmark::kMillisecond);

// The object level end to end: a trace with 1 M live objects (a retained linked list of
// 64 B nodes, so marking walks it) and then 2 M short-lived 64 B objects, replayed with
// marking, sweeping and the pacer. Counter: trace records (events) per second.
static void BM_ObjectLevelMillionLive(benchmark::State& state) {
  const std::string path = (std::filesystem::temp_directory_path() / "gogcsim-bench-object.trace").string();
  const std::string yaml_path = (std::filesystem::temp_directory_path() / "gogcsim-bench-object.yaml").string();
  std::vector<TraceRecord> recs;
  std::uint64_t t = 0;
  constexpr std::uint32_t kLive = 1'000'000, kChurn = 2'000'000;
  for (std::uint32_t i = 0; i < kLive; ++i, t += 100) {
    recs.push_back({TraceKind::alloc, static_cast<std::uint8_t>(i == 0 ? TraceRecord::kRoot : 0), 0, i, t, 64, 1});
    if (i > 0) recs.push_back({TraceKind::write, 0, 0, i - 1, t, 0, i});  // the list grows at its tail
  }
  for (std::uint32_t i = 0; i < kChurn; ++i, t += 100) {
    recs.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, kLive + i, t, 64, 0});
    if (i >= 16) recs.push_back({TraceKind::death, 0, 0, kLive + i - 16, t, 0, 0});
  }
  write_trace_file(path, recs, true);
  std::ofstream(yaml_path) << "name: bench-object\nfidelity: object\nruntime: {gomaxprocs: 4, gogc: 100}\n"
                              "workload: {kind: trace, file: " << path << ", mutator_cpus: 2}\n"
                              "output: {reachability: " << (state.range(0) ? "true" : "false") << "}\n";
  const Scenario sc = load_scenario_file(yaml_path);
  double events = 0, cycles = 0;
  for (auto _ : state) {
    RunResult r = run_scenario(sc);
    events += static_cast<double>(r.recorder.end.events);
    cycles += static_cast<double>(r.summary.gc_cycles);
  }
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["cycles"] = cycles / static_cast<double>(state.iterations());
  std::filesystem::remove(path);
  std::filesystem::remove(yaml_path);
}
// Arg: 0 without, 1 with the per-cycle reachability searches (output.reachability).
BENCHMARK(BM_ObjectLevelMillionLive)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The shipped graph workload (scenarios/object/cache-service.yaml, 310 k live objects in an
// LRU cache, a map and request graphs, random pointer writes): generator + object level.
// Arg as above. Counter: records per second, generation included.
static void BM_ObjectLevelCacheService(benchmark::State& state) {
  const Scenario sc = load_scenario_file(std::string(GOGCSIM_SOURCE_DIR) + "/scenarios/object/cache-service.yaml",
                                         {std::string("output.reachability=") + (state.range(0) ? "true" : "false")});
  double events = 0;
  for (auto _ : state) events += static_cast<double>(run_scenario(sc).recorder.end.events);
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ObjectLevelCacheService)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
