// The object level: traces replayed object by object, checked against the fluid level on
// the same program, against hand calculations, and (verify mode) against BGL reachability.
#include <doctest/doctest.h>

#include "models/collector/object_level.hpp"
#include "models/pacer/pacer.hpp"
#include "models/registry.hpp"
#include "models/workload/trace_format.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;
namespace fs = std::filesystem;

namespace {

// A steady program as a trace, allocating `size`-byte noscan objects at `rate` bytes/s for
// `duration_ns`: the first `retained_objects` are held by roots for good (the long-lived
// heap, built at the allocation rate), every later one for `lifetime_ns`. Records are in
// time order.
void write_steady_trace(const fs::path& path, std::uint32_t retained_objects, std::uint32_t size, double rate,
                        std::uint64_t lifetime_ns, std::uint64_t duration_ns) {
  std::vector<TraceRecord> out;
  const double every_ns = size / rate * 1e9;
  const auto n = static_cast<std::uint32_t>(static_cast<double>(duration_ns) / every_ns);
  auto t_of = [&](std::uint32_t i) { return static_cast<std::uint64_t>(static_cast<double>(i) * every_ns); };
  std::uint32_t next_death = retained_objects;
  for (std::uint32_t i = 0; i < n; ++i) {
    while (next_death < i && t_of(next_death) + lifetime_ns <= t_of(i)) {
      out.push_back({TraceKind::death, 0, 0, next_death, t_of(next_death) + lifetime_ns, 0, 0});
      ++next_death;
    }
    out.push_back({TraceKind::alloc, TraceRecord::kNoscan | TraceRecord::kRoot, 0, i, t_of(i), size, 0});
  }
  write_trace_file(path.string(), out, true);
}

std::string scenario_yaml(const std::string& fidelity, const std::string& workload, int gogc = 100) {
  return "name: steady-" + fidelity + "\nseed: 1\ngo: \"1.19\"\nfidelity: " + fidelity +
         "\nruntime: {gomaxprocs: 4, gogc: " + std::to_string(gogc) + ", gomemlimit: off}\n"
         "memory: {goroutines: 1, stack_size: 8KiB, stack_scanned: 0B, globals: 0B, other: 1MiB}\n"
         "costs: {scan_ns_per_byte: 1, scan_ns_per_object: 0, mark_ns_per_object: 0, mark_fixed: 0ns, sweep_term: 20us, "
         "mark_term: 20us, stw_per_p: 0ns, stop_latency_median: 0ns}\n"
         "workload: " + workload + "\n";
}

// The same program at both levels: `size`-byte noscan objects at `mib_per_s` for `seconds`,
// the first `retained_mib` kept (built at the allocation rate), the rest living `lifetime_ms`.
struct LevelPair {
  double cycles_object, cycles_fluid, peak_object_mib, peak_fluid_mib;
};
LevelPair run_both_levels(const fs::path& dir, int size, int mib_per_s, int retained_mib, int lifetime_ms, int seconds,
                          int gogc) {
  const double rate = mib_per_s * 1048576.0;
  const auto retained_objects = static_cast<std::uint32_t>(retained_mib * 1048576.0 / size);
  write_steady_trace(dir / "p.trace", retained_objects, static_cast<std::uint32_t>(size), rate,
                     static_cast<std::uint64_t>(lifetime_ms) * 1'000'000, static_cast<std::uint64_t>(seconds) * 1'000'000'000);
  std::ofstream(dir / "object.yaml") << scenario_yaml("object", "{kind: trace, file: p.trace, mutator_cpus: 2}", gogc);
  RunResult obj = run_scenario(load_scenario_file((dir / "object.yaml").string()));
  // Every CPU class together is GOMAXPROCS x wall time.
  CHECK(obj.recorder.end.cpu.total_ns() == doctest::Approx(4.0 * static_cast<double>(obj.recorder.end.wall_ns)).epsilon(1e-9));
  const int build_ms = retained_mib * 1000 / mib_per_s;
  const std::string common = "alloc_rate: " + std::to_string(mib_per_s) + "MiB/s, sizes: {fixed: " + std::to_string(size) +
                             "B}, scan_fraction: 0, lifetime: {fixed: " + std::to_string(lifetime_ms) + "ms}";
  const std::string fluid_workload = "{kind: synthetic, mutator_cpus: 2, phases: [{duration: " + std::to_string(build_ms) +
                                     "ms, " + common + ", retained: {to: " + std::to_string(retained_mib) + "MiB, over: " +
                                     std::to_string(build_ms) + "ms}}, {duration: " + std::to_string(seconds * 1000 - build_ms) +
                                     "ms, " + common + "}]}";
  RunResult fl = run_scenario(load_scenario_text(scenario_yaml("fluid", fluid_workload, gogc), "fluid.yaml"));
  return {static_cast<double>(obj.summary.gc_cycles), static_cast<double>(fl.summary.gc_cycles),
          static_cast<double>(obj.summary.peak_heap_live_bytes) / 1048576, static_cast<double>(fl.summary.peak_heap_live_bytes) / 1048576};
}

}  // namespace

TEST_CASE("object and fluid levels agree on two programs: GC count and peak heap within 5 percent") {
  auto dir = temp_dir("object-levels");
  // 1. 64 MiB/s of 512 B objects for 4 s, 16 MiB retained, the rest living 20 ms, GOGC=100.
  // Hand calculation: marked ≈ 16 MiB + 64 MiB/s x 20 ms = 17.3 MiB, a cycle per ~17 MiB
  // of allocation: 256 MiB / 17.3 MiB ≈ 15 cycles, plus the heap-minimum start.
  LevelPair a = run_both_levels(dir, 512, 64, 16, 20, 4, 100);
  // 2. 32 MiB/s of 128 B objects for 6 s, 32 MiB retained, the rest living 50 ms, GOGC=50.
  LevelPair b = run_both_levels(dir, 128, 32, 32, 50, 6, 50);
  for (const LevelPair& p : {a, b}) {
    MESSAGE("GC cycles: object ", p.cycles_object, ", fluid ", p.cycles_fluid, "; peak heap_live MiB: object ",
            p.peak_object_mib, ", fluid ", p.peak_fluid_mib);
    CHECK(p.cycles_object == doctest::Approx(p.cycles_fluid).epsilon(0.05));
    CHECK(p.peak_object_mib == doctest::Approx(p.peak_fluid_mib).epsilon(0.05));
  }
  CHECK(a.cycles_object >= 13);
  CHECK(a.cycles_object <= 19);
  fs::remove_all(dir);
}

TEST_CASE("a mutator rewiring a graph during marking never loses a reachable object (BFS after every mark)") {
  // A table of 256 slots (a root) whose entries are replaced by new 64 B nodes; each new
  // node also points at a node currently in the table, so chains form and old chains die.
  // Every store goes through the write barrier, new nodes are allocated black; the level's
  // verify mode runs Boost.Graph's BFS at each mark termination and throws on a miss.
  auto dir = temp_dir("object-graph");
  std::vector<TraceRecord> out;
  std::uint64_t t = 0;
  const std::uint32_t table = 0, slots = 256;
  out.push_back({TraceKind::alloc, TraceRecord::kRoot, 0, table, t, slots * 8, slots});
  std::vector<std::uint32_t> in_table(slots, kTraceNil);
  std::uint64_t x = 88172645463325252ull;  // xorshift: deterministic, no <random> state
  auto rnd = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (std::uint32_t id = 1; id < 400000; ++id) {
    t += 200;  // 64 B per 200 ns: 305 MiB/s
    out.push_back({TraceKind::alloc, TraceRecord::kRoot, 0, id, t, 64, 2});
    const auto other = in_table[rnd() % slots];
    if (other != kTraceNil) out.push_back({TraceKind::write, 0, 0, id, t, 0, other});
    const auto slot = static_cast<std::uint32_t>(rnd() % slots);
    out.push_back({TraceKind::write, 0, 0, table, t, slot, id});
    in_table[slot] = id;
    out.push_back({TraceKind::unlink, 0, 0, id, t, 0, 0});
  }
  write_trace_file((dir / "graph.trace").string(), out, true);
  std::ofstream(dir / "graph.yaml") << scenario_yaml("object", "{kind: trace, file: graph.trace, mutator_cpus: 1}");
  const Scenario sc = load_scenario_file((dir / "graph.yaml").string());
  Recorder rec;
  auto pacer = make_pacer(sc.go);
  TraceReader records((dir / "graph.trace").string());
  ObjectLevel level(sc, records, 1, 1, *pacer, rec, /*verify=*/true);
  CHECK_NOTHROW(level.run());
  CHECK(rec.cycles.size() >= 5);
  // Old chains die: the heap stays bounded although 24 MiB were allocated.
  std::uint64_t max_marked = 0;
  for (const auto& c : rec.cycles) max_marked = std::max<std::uint64_t>(max_marked, c.heap_marked);
  MESSAGE("cycles ", rec.cycles.size(), ", largest heap_marked ", max_marked, " B");
  CHECK(max_marked < 8u << 20);
  // Floating garbage: entries replaced during the mark were shaded by the deletion barrier
  // and survive one cycle although unreachable. It is part of what was marked, never more.
  double floating = 0;
  for (const auto& c : rec.cycles) {
    floating += c.floating_garbage_bytes;
    CHECK(c.floating_garbage_bytes <= static_cast<double>(c.heap_marked));
    CHECK(c.live_bytes_at_start >= 256 * 8);  // at least the table itself is reachable
  }
  MESSAGE("floating garbage over all cycles: ", floating, " B");
  CHECK(floating > 0);
  fs::remove_all(dir);
}

TEST_CASE("the real allocfreetrace recording replays: no cycle is triggered, as in the real run") {
  // The program's 4 cycles were all runtime.GC() calls (the 4 tracegc lines); its heap
  // never reached the 4 MiB minimum goal, so the runtime triggered none by itself, and the
  // replay (which has no gc records for them) must trigger none either.
  auto dir = temp_dir("object-aft");
  const auto st = import_allocfreetrace(source_path("tests/real/allocfreetrace/recording.txt"), (dir / "aft.trace").string(),
                                        true, 100.0 * 1048576);
  std::ofstream(dir / "aft.yaml") << scenario_yaml("object", "{kind: trace, file: aft.trace}");
  RunResult r = run_scenario(load_scenario_file((dir / "aft.yaml").string()));
  CHECK(r.summary.gc_cycles == 0);
  CHECK(r.recorder.end.allocated_objects == static_cast<double>(st.allocs));
  CHECK(r.summary.peak_heap_live_bytes < (4u << 20));
  fs::remove_all(dir);
}

TEST_CASE("object-level input errors name the record, and the fidelity needs a trace") {
  auto dir = temp_dir("object-errors");
  std::vector<TraceRecord> out{{TraceKind::alloc, TraceRecord::kRoot, 0, 1, 0, 64, 2},
                               {TraceKind::write, 0, 0, 1, 10, 5, kTraceNil}};
  write_trace_file((dir / "bad.trace").string(), out, true);
  std::ofstream(dir / "bad.yaml") << scenario_yaml("object", "{kind: trace, file: bad.trace}");
  CHECK_THROWS_WITH_AS(run_scenario(load_scenario_file((dir / "bad.yaml").string())),
                       doctest::Contains("bad.trace: record 1: write: object 1 has 2 pointer fields, not field 5"), InputError);
  std::ofstream(dir / "missing.yaml") << scenario_yaml("object", "{kind: trace, file: nowhere.trace}");
  CHECK_THROWS_WITH_AS(load_scenario_file((dir / "missing.yaml").string()), doctest::Contains("workload.file"), InputError);
  const std::string synth = "{kind: synthetic, phases: [{duration: 1s, alloc_rate: 1MiB/s}]}";
  CHECK_THROWS_WITH_AS(load_scenario_text(scenario_yaml("object", synth), "s.yaml"),
                       doctest::Contains("cannot run at fidelity object (use trace or graph)"), InputError);
  fs::remove_all(dir);
}

TEST_CASE("marking takes its background scan work / (background workers / scan_ns_per_byte) of wall time") {
  // A 16 MiB linked list of 512 B scan objects (one root: its head), then 512 B noscan
  // churn at 32 MiB/s living 10 ms. GOMAXPROCS=4 gives one dedicated worker (Go 1.19:
  // 0.25 x 4 rounds to 1 exactly, no fractional one); the program keeps one P busy, so the
  // two idle Ps run idle mark workers (up to 4 - 1 may): three workers at 1 ns per byte,
  // and a mark of W bytes of scan work lasts W / 3 ns less what assists scanned.
  auto dir = temp_dir("object-markrate");
  std::vector<TraceRecord> out;
  std::uint64_t t = 0;
  const std::uint32_t list = 32768;
  for (std::uint32_t i = 0; i < list; ++i, t += 1000) {
    out.push_back({TraceKind::alloc, static_cast<std::uint8_t>(i == 0 ? TraceRecord::kRoot : 0), 0, i, t, 512, 1});
    if (i > 0) out.push_back({TraceKind::write, 0, 0, i - 1, t, 0, i});
  }
  const std::uint64_t every = 15259;  // 512 B per 15.3 µs: 32 MiB/s
  std::uint32_t id = list, next_death = list;
  std::vector<std::uint64_t> born;
  for (; t < 3'000'000'000; t += every, ++id) {
    while (next_death < id && born[next_death - list] + 10'000'000 <= t) {
      out.push_back({TraceKind::death, 0, 0, next_death, born[next_death - list] + 10'000'000, 0, 0});
      ++next_death;
    }
    born.push_back(t);
    out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, id, t, 512, 0});
  }
  write_trace_file((dir / "list.trace").string(), out, true);
  std::ofstream(dir / "list.yaml") << scenario_yaml("object", "{kind: trace, file: list.trace, mutator_cpus: 1}");
  RunResult r = run_scenario(load_scenario_file((dir / "list.yaml").string()));
  int checked = 0;
  for (const auto& c : r.recorder.cycles) {
    if (c.heap_scan_work < (16 << 20)) continue;  // cycles before the list was complete
    ++checked;
    // W bytes of work = the workers' 3 B/ns over the whole mark (they keep going while
    // assists stall the program) + what assists did (their CPU at 1 ns per byte).
    const double background = static_cast<double>(c.heap_scan_work) - c.assist_cpu_ns;
    CHECK(static_cast<double>(c.mark_wall_ns) == doctest::Approx(background / 3).epsilon(0.05));
    CHECK(c.dedicated_cpu_ns == doctest::Approx(static_cast<double>(c.mark_wall_ns)).epsilon(0.01));  // one worker
    CHECK(c.idle_cpu_ns == doctest::Approx(2.0 * static_cast<double>(c.mark_wall_ns)).epsilon(0.01));  // two idle Ps
    CHECK(c.fractional_cpu_ns == 0);
  }
  CHECK(checked >= 3);
  // MMU: during a mark the workers hold 3 of the 4 Ps, so a 1 ms window inside one sees a
  // utilization of 1/4 (marks last ~6 ms), less what assists and the 20 µs pauses take.
  MESSAGE("MMU 1 ms ", r.summary.mmu_1ms, ", 10 ms ", r.summary.mmu_10ms);
  CHECK(r.summary.mmu_1ms <= 0.25);
  CHECK(r.summary.mmu_1ms >= 0.20);
  // At half its speed while the GC marks, the program gets half as far in each mark's wall time
  // (less what assists took, in which it got nowhere either way): the run is longer by half of
  // that.
  std::ofstream(dir / "slow.yaml") << scenario_yaml("object", "{kind: trace, file: list.trace, mutator_cpus: 1, mark_speed: 0.5}");
  RunResult slow = run_scenario(load_scenario_file((dir / "slow.yaml").string()));
  double running_ns = 0;
  for (const auto& c : slow.recorder.cycles) running_ns += static_cast<double>(c.mark_wall_ns) - c.assist_cpu_ns;
  const double longer_ns = static_cast<double>(slow.recorder.end.wall_ns - r.recorder.end.wall_ns);
  MESSAGE("mark_speed 0.5: ", longer_ns / 1e6, " ms longer; half of the marks' time without assists ", running_ns / 2e6, " ms");
  CHECK(longer_ns == doctest::Approx(running_ns / 2).epsilon(0.05));
  fs::remove_all(dir);
}

TEST_CASE("tiny objects share 16 B blocks, and a block lives while any object in it does") {
  // GOMAXPROCS=1: 1,000 pointer-free 4 B objects pack four to a 16 B block (4-byte
  // alignment): 250 blocks, 4,000 B (not 16,000 B at a slot each). Then the last two of
  // every four die: each block still holds two live objects and survives (4,000 B, not
  // 500 x 16 B); when the rest die too, nothing is kept.
  auto dir = temp_dir("object-tiny");
  std::vector<TraceRecord> out;
  std::uint64_t t = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, i, ++t, 4, 0});
  out.push_back({TraceKind::gc, 0, 0, 0, t += 1'000'000, 0, 0});
  for (std::uint32_t i = 0; i < 1000; ++i) {
    if (i % 4 >= 2) out.push_back({TraceKind::death, 0, 0, i, t += 1'000, 0, 0});
  }
  out.push_back({TraceKind::gc, 0, 0, 0, t += 1'000'000, 0, 0});
  for (std::uint32_t i = 0; i < 1000; ++i) {
    if (i % 4 < 2) out.push_back({TraceKind::death, 0, 0, i, t += 1'000, 0, 0});
  }
  out.push_back({TraceKind::gc, 0, 0, 0, t += 1'000'000, 0, 0});
  write_trace_file((dir / "tiny.trace").string(), out, false);
  std::ofstream(dir / "tiny.yaml") << "name: tiny\nfidelity: object\nruntime: {gomaxprocs: 1, gogc: 100, gomemlimit: off}\n"
                                      "memory: {goroutines: 1, stack_size: 8KiB, stack_scanned: 0B, globals: 0B, other: 1MiB}\n"
                                      "costs: {scan_ns_per_object: 0, mark_ns_per_object: 0, mark_fixed: 0ns}\n"
                                      "workload: {kind: trace, file: tiny.trace, mutator_cpus: 1}\n";
  RunResult r = run_scenario(load_scenario_file((dir / "tiny.yaml").string()));
  REQUIRE(r.recorder.cycles.size() == 3);
  CHECK(r.recorder.cycles[0].heap_marked == 4000);
  CHECK(r.recorder.cycles[1].heap_marked == 4000);
  CHECK(r.recorder.cycles[2].heap_marked == 0);
  fs::remove_all(dir);
}

namespace {

// 1,024 pointer-free 8 KiB objects (one per one-page span), all dead before a forced GC,
// then `after` more 8 KiB objects allocated from 1 ms after it, and a last record at 60 ms.
// GOGC=off: that GC is the only one. Sweeping costs 10 µs per page.
RunResult run_sweep_program(const fs::path& dir, int procs, double mutator_cpus, std::uint32_t after) {
  std::vector<TraceRecord> out;
  std::uint64_t t = 0;
  for (std::uint32_t i = 0; i < 1024; ++i) out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, i, ++t, 8192, 0});
  for (std::uint32_t i = 0; i < 1024; ++i) out.push_back({TraceKind::death, 0, 0, i, 2000, 0, 0});
  out.push_back({TraceKind::gc, 0, 0, 0, 3000, 0, 0});
  for (std::uint32_t i = 0; i < after; ++i) {
    out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, 2000 + i, 1'003'000 + i * 10'000ull, 8192, 0});
  }
  out.push_back({TraceKind::limit, 0, 0, 0, 60'000'000, 0xFFFFFFFFu, 0xFFFFFFFFu});  // no-op: time runs to 60 ms
  write_trace_file((dir / "sweep.trace").string(), out, true);
  std::ofstream(dir / "sweep.yaml")
      << "name: sweep\nfidelity: object\nruntime: {gomaxprocs: " << procs << ", gogc: off, gomemlimit: off}\n"
      << "memory: {goroutines: 1, stack_size: 8KiB, stack_scanned: 0B, globals: 0B, other: 1MiB}\n"
      << "costs: {sweep_ns_per_span: 10000, scan_ns_per_byte: 1, scan_ns_per_object: 0, mark_ns_per_object: 0, mark_fixed: 0ns, "
         "sweep_term: 0ns, mark_term: 0ns, stw_per_p: 0ns, stop_latency_median: 0ns}\n"
      << "workload: {kind: trace, file: sweep.trace, mutator_cpus: " << mutator_cpus << "}\n"
      << "output: {sample_interval: 1ms}\n";
  return run_scenario(load_scenario_file((dir / "sweep.yaml").string()));
}

}  // namespace

TEST_CASE("sweeping runs after mark termination on an idle P: one-page spans return at 1 per sweep_ns_per_span, CPU charged") {
  // GOMAXPROCS=2 and a one-P program: the background sweeper has the other P. 1,024 dead
  // one-page spans at 10 µs a page take 10.24 ms to sweep, so heap_in_use falls by 100
  // pages per ms after the mark and the sweep costs 10.24 ms of CPU, taken from idle time.
  auto dir = temp_dir("object-sweep-bg");
  RunResult r = run_sweep_program(dir, 2, 1, 0);
  REQUIRE(r.recorder.cycles.size() == 1);
  const CycleRecord& c = r.recorder.cycles[0];
  CHECK(c.sweep_pages == 1024);
  CHECK(c.heap_marked == 0);
  const double end = static_cast<double>(c.start_ns + c.sweep_term_wall_ns + c.mark_wall_ns + c.mark_term_wall_ns);
  int checked = 0;
  for (const Sample& x : r.recorder.samples) {
    const double since = static_cast<double>(x.t_ns) - end;
    if (since < 0) continue;
    const double expected_pages = std::max(0.0, 1024 - std::floor(since / 10'000));
    CAPTURE(since);
    CHECK(std::abs(static_cast<double>(x.heap_in_use) / 8192 - expected_pages) <= 2);  // a span in flight
    ++checked;
  }
  CHECK(checked >= 20);
  CHECK(r.recorder.end.cpu.sweep_ns == doctest::Approx(1024 * 10'000.0));
  // The sweeper ran beside the program: no stall beyond the pauses.
  CHECK(static_cast<double>(r.recorder.end.wall_ns) - r.recorder.end.mutator_ns < 1000);
  fs::remove_all(dir);
}

TEST_CASE("with no idle P the program sweeps: a refill sweeps its class before the heap grows") {
  // GOMAXPROCS=1: no background sweeper. 512 new 8 KiB objects after the GC each need a
  // span of their class; each refill sweeps dead spans of the class first and reuses one,
  // so the heap never grows past its 1,024 pages, and the program pays the sweep with its
  // own time (10 µs a page, stalling it).
  auto dir = temp_dir("object-sweep-prop");
  RunResult r = run_sweep_program(dir, 1, 1, 512);
  REQUIRE(r.recorder.cycles.size() == 1);
  std::uint64_t peak_pages = 0;
  for (const Sample& x : r.recorder.samples) peak_pages = std::max<std::uint64_t>(peak_pages, x.heap_in_use / 8192);
  CHECK(peak_pages <= 1024);
  const double swept = r.recorder.end.cpu.sweep_ns / 10'000;
  MESSAGE("pages swept by the program ", swept);
  CHECK(swept >= 512);
  CHECK(swept <= 1024);
  CHECK(static_cast<double>(r.recorder.end.wall_ns) - r.recorder.end.mutator_ns == doctest::Approx(r.recorder.end.cpu.sweep_ns).epsilon(0.01));
  fs::remove_all(dir);
}

TEST_CASE("the background scavenger returns freed pages at 1 percent of GOMAXPROCS over scavenge_ns_per_byte") {
  // 8,192 pointer-free 8 KiB objects (64 MiB), all dead at 1 ms, two forced GCs: the goal
  // drops to the 4 MiB minimum, so gcPaceScavenger's retained goal falls far below the
  // 64 MiB of free pages. GOMAXPROCS=4 with a one-P program: the scavenger (0.04 CPU) runs on
  // idle Ps and, at 1 ns per byte (no cost per madvise call), releases 0.04 B/ns = 40 MB/s,
  // all of its CPU from idle. (The 1 ms runs after each sweep come before 0.2 s.)
  auto dir = temp_dir("object-scavenge");
  std::vector<TraceRecord> out;
  for (std::uint32_t i = 0; i < 8192; ++i) out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, i, i * 100ull, 8192, 0});
  for (std::uint32_t i = 0; i < 8192; ++i) out.push_back({TraceKind::death, 0, 0, i, 1'000'000, 0, 0});
  out.push_back({TraceKind::gc, 0, 0, 0, 1'100'000, 0, 0});
  out.push_back({TraceKind::gc, 0, 0, 0, 50'000'000, 0, 0});
  out.push_back({TraceKind::limit, 0, 0, 0, 3'000'000'000, 0xFFFFFFFFu, 0xFFFFFFFFu});  // no-op: time runs to 3 s
  write_trace_file((dir / "scav.trace").string(), out, true);
  std::ofstream(dir / "scav.yaml") << "name: scav\nfidelity: object\nruntime: {gomaxprocs: 4, gogc: 100, gomemlimit: off}\n"
                                      "memory: {goroutines: 1, stack_size: 8KiB, stack_scanned: 0B, globals: 0B, other: 1MiB}\n"
                                      "costs: {scavenge_ns_per_byte: 1, scavenge_ns_per_call: 0}\n"
                                      "workload: {kind: trace, file: scav.trace, mutator_cpus: 1}\noutput: {sample_interval: 10ms}\n";
  RunResult r = run_scenario(load_scenario_file((dir / "scav.yaml").string()));
  auto released_at = [&](double t_ns) {
    for (const Sample& x : r.recorder.samples) {
      if (static_cast<double>(x.t_ns) >= t_ns) return static_cast<double>(x.heap_released);
    }
    return -1.0;
  };
  const double a = released_at(200e6), b = released_at(1200e6);
  MESSAGE("released at 0.2 s ", a / 1048576, " MiB, at 1.2 s ", b / 1048576, " MiB");
  CHECK((b - a) / 1e9 == doctest::Approx(0.04).epsilon(0.02));  // bytes per ns
  const double total = static_cast<double>(r.recorder.samples.back().heap_released);
  CHECK(total > 50.0 * 1048576);  // most of the 64 MiB went back
  // Its CPU: 1 ns per released byte (the 4 MiB chunk's unused tail was never committed).
  CHECK(r.recorder.end.cpu.scavenge_ns <= total);
  CHECK(r.recorder.end.cpu.scavenge_ns >= total - 4.0 * 1048576);
  // Idle Ps paid, not the program: between 0.2 s and 1.2 s the program lost no time.
  auto stalled_at = [&](double t_ns) {
    for (const Sample& x : r.recorder.samples) {
      if (static_cast<double>(x.t_ns) >= t_ns) return static_cast<double>(x.t_ns) - x.mutator_ns;
    }
    return -1.0;
  };
  CHECK(std::abs(stalled_at(1200e6) - stalled_at(200e6)) < 1000);
  fs::remove_all(dir);
}

TEST_CASE("fragmentation.csv at the object level counts the heap's own spans") {
  // GOMAXPROCS=1, GOGC=off: 1,000 pointerful 48 B objects fill span class (48 B, scan):
  // 170 slots per 8 KiB span (8192 / 48), so 6 spans, 48,000 B of objects in 49,152 B.
  // And 10 pointer-free 100 KiB objects: large, 13 pages each (106,496 B).
  auto dir = temp_dir("object-frag");
  std::vector<TraceRecord> out;
  std::uint64_t t = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) out.push_back({TraceKind::alloc, TraceRecord::kRoot, 0, i, ++t, 48, 1});
  for (std::uint32_t i = 0; i < 10; ++i) out.push_back({TraceKind::alloc, TraceRecord::kRoot | TraceRecord::kNoscan, 0, 1000 + i, ++t, 100 << 10, 0});
  write_trace_file((dir / "f.trace").string(), out, true);
  std::ofstream(dir / "f.yaml") << "name: frag\nfidelity: object\nruntime: {gomaxprocs: 1, gogc: off, gomemlimit: off}\n"
                                   "workload: {kind: trace, file: f.trace, mutator_cpus: 1}\n";
  RunResult r = run_scenario(load_scenario_file((dir / "f.yaml").string()));
  const auto& u = r.recorder.end.final_classes;
  REQUIRE(u.size() == static_cast<std::size_t>(kNumSpanClasses));
  const ClassUsage& c48 = u[static_cast<std::size_t>(size_to_class(48) * 2)];
  CHECK(c48.spans == 6);
  CHECK(c48.objects == 1000);
  CHECK(c48.object_bytes == 48000);
  CHECK(c48.span_bytes == 6 * 8192);
  const ClassUsage& large = u[1];  // class 0, noscan
  CHECK(large.spans == 10);
  CHECK(large.span_bytes == 10 * 106496);
  char needle[64];
  std::snprintf(needle, sizeof needle, "\n%d,%d,48,0,6,1000,48000,49152,", size_to_class(48) * 2, size_to_class(48));
  bool row = false;
  for (const auto& [name, text] : render_outputs(r)) {
    if (name == "fragmentation.csv") row = text.find(needle) != std::string::npos;
  }
  CHECK(row);
  fs::remove_all(dir);
}
