// Whole runs at the fluid level: every shipped scenario, determinism, conservation of CPU,
// and GC counts against a hand calculation.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <regex>

#include "models/heap/size_classes.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;

namespace {

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> v;
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_path("scenarios"))) {
    if (e.path().extension() == ".yaml") v.push_back(e.path().string());
  }
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("every shipped scenario runs, collects garbage and accounts for every CPU nanosecond") {
  auto files = shipped_scenarios();
  CHECK(files.size() >= 3);
  for (const auto& f : files) {
    CAPTURE(f);
    Scenario sc = load_scenario_file(f);
    // The resolved echo is itself a scenario that loads back to the same thing.
    CHECK(load_scenario_text(sc.resolved_yaml(), "echo").resolved_yaml() == sc.resolved_yaml());
    RunResult r = run_scenario(sc);
    CHECK(r.summary.gc_cycles > 0);
    if (sc.fidelity == "cycle") continue;  // the harness's idealised cycles: checked in 601
    CHECK(r.recorder.pauses.size() >= 2 * r.recorder.cycles.size());
    // Every class of CPU together is GOMAXPROCS x wall time.
    const double expected = static_cast<double>(sc.runtime.gomaxprocs) * static_cast<double>(r.recorder.end.wall_ns);
    CHECK(r.recorder.end.cpu.total_ns() == doctest::Approx(expected).epsilon(1e-9));
    for (const auto& c : r.recorder.cycles) {
      CHECK(c.heap_marked <= c.heap_peak);
      // Under the memory limit the goal moves during the cycle (it follows non-heap memory)
      // and may end below the trigger; elsewhere the trigger is below the goal.
      if (c.goal_bound != GoalBound::memory_limit) CHECK(c.heap_trigger <= c.heap_goal);
      CHECK(c.gc_utilization >= 0.25);
    }
  }
}

namespace {

// Runs `file` (with `sets`) twice and checks every output file is byte-identical; returns them.
std::vector<std::pair<std::string, std::string>> identical_twice(const std::string& file, std::vector<std::string> sets) {
  const Scenario sc = load_scenario_file(source_path(file), sets);
  auto a = render_outputs(run_scenario(sc));
  auto b = render_outputs(run_scenario(sc));
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(a[i].first);
    CHECK(a[i].second == b[i].second);
  }
  return a;
}

std::vector<std::pair<std::string, std::string>> outputs_with_seed(const std::string& file, std::vector<std::string> sets,
                                                                   int seed) {
  sets.push_back("seed=" + std::to_string(seed));
  return render_outputs(run_scenario(load_scenario_file(source_path(file), sets)));
}

}  // namespace

TEST_CASE("same scenario and seed give byte-identical outputs and another seed gives others") {
  const auto a = identical_twice("scenarios/steady-web.yaml", {});
  const auto c = outputs_with_seed("scenarios/steady-web.yaml", {}, 43);
  CHECK(c[2].second != a[2].second);  // pauses.csv: stop latencies are drawn from the seed
  CHECK(c[0].second != a[0].second);  // cycles.csv: rate noise moves the cycles
}

TEST_CASE("the object level is deterministic too: a graph workload gives byte-identical outputs per seed") {
  const std::vector<std::string> sets{"workload.duration=400ms"};
  const auto a = identical_twice("scenarios/object/cache-service.yaml", sets);
  const auto c = outputs_with_seed("scenarios/object/cache-service.yaml", sets, 2);
  CHECK(c[0].second != a[0].second);  // cycles.csv: which entries are hit and replaced comes from the seed
}

TEST_CASE("every simulated gctrace line parses with the regex that parses real Go 1.19 gctrace") {
  Scenario sc = load_scenario_file(source_path("scenarios/near-limit.yaml"));
  RunResult r = run_scenario(sc);
  auto files = render_outputs(r);
  std::istringstream in(files[3].second);
  std::regex re(kGctraceRegex);
  std::string line;
  std::size_t parsed = 0;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) continue;
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_match(line, m, re), line);
    ++parsed;
    CHECK(std::stoll(m[1]) == static_cast<long long>(parsed));  // gc N counts from 1
    CHECK(std::stoi(m[18]) == sc.runtime.gomaxprocs);           // P
  }
  CHECK(parsed == r.recorder.cycles.size());
}

TEST_CASE("gctrace number formatting follows Go's fmtNSAsMS and itoaDiv") {
  CHECK(fmt_ns_as_ms(0) == "0");
  CHECK(fmt_ns_as_ms(999) == "0");
  CHECK(fmt_ns_as_ms(15'000) == "0.015");
  CHECK(fmt_ns_as_ms(120'000) == "0.12");
  CHECK(fmt_ns_as_ms(1'234'000) == "1.2");
  CHECK(fmt_ns_as_ms(9'999'999) == "9.9");
  CHECK(fmt_ns_as_ms(10'000'000) == "10");
  CHECK(fmt_ns_as_ms(123'456'789) == "123");
  CycleRecord c;
  c.cycle = 7;
  c.start_ns = 1'234'567'890;
  c.gc_cpu_fraction = 0.0299;
  c.sweep_term_wall_ns = 48'000;
  c.mark_wall_ns = 1'900'000;
  c.mark_term_wall_ns = 67'000;
  c.sweep_term_cpu_ns = 192'000;
  c.dedicated_cpu_ns = 1'900'000;
  c.idle_cpu_ns = 1'900'000;
  c.mark_term_cpu_ns = 268'000;
  c.heap_live_start = 3 << 20;
  c.heap_peak = (4 << 20) + 5;
  c.heap_marked = 3 << 20;
  c.heap_goal = 4 << 20;
  c.stacks_bytes = 15 << 20;
  c.globals_bytes = 2 << 20;
  c.procs = 4;
  CHECK(gctrace_line(c) ==
        "gc 7 @1.234s 2%: 0.048+1.9+0.067 ms clock, 0.19+0/1.9/1.9+0.26 ms cpu, 3->4->3 MB, 4 MB goal, 15 MB "
        "stacks, 2 MB globals, 4 P");
}

namespace {
// The hand-calculated steady scenario: 4 Ps, the program wants 2; a 200 MiB retained heap built
// over 4 s, then `steady` of 100 MiB/s of 64 B objects living 10 ms (sweeping free: the hand
// calculations have none).
std::string hand_scenario(double mark_speed, const std::string& steady) {
  return R"(
name: hand
runtime: {gomaxprocs: 4, gogc: 100}
memory: {goroutines: 100, stack_size: 8KiB, stack_scanned: 2KiB, globals: 256KiB, other: 8MiB}
costs: {scan_ns_per_byte: 0.5, scan_ns_per_object: 0, mark_ns_per_object: 0.64, sweep_term: 20us, mark_term: 20us, stw_per_p: 0ns,
        stop_latency_median: 0ns, sweep_ns_per_span: 0}
workload:
  kind: synthetic
  mutator_cpus: 2
  mark_speed: )" + std::to_string(mark_speed) + R"(
  phases:
    - {duration: 4s, alloc_rate: 100MiB/s, sizes: {fixed: 64B}, scan_fraction: 0.5,
       lifetime: {exponential: {mean: 10ms}}, retained: {to: 200MiB, over: 4s}}
    - {duration: )" + steady + R"(, alloc_rate: 100MiB/s, sizes: {fixed: 64B}, scan_fraction: 0.5,
       lifetime: {exponential: {mean: 10ms}}}
)";
}
}  // namespace

TEST_CASE("steady state: GC count within 5 % of the hand calculation") {
  // Hand calculation (reference §3, §5), steady phase of 100 s:
  //   live heap L = retained 200 MiB + short-lived 100 MiB/s x 10 ms = 201 MiB
  //   roots: stacks 100 x 2 KiB = 0.195 MiB, globals 0.25 MiB
  //   mark CPU = (0.5 x 201 MiB + 0.445 MiB) x 0.5 ns/B + (201 MiB / 64 B) x 0.64 ns = 53.98 ms;
  //   background workers: 1 dedicated + 1 idle P (4 Ps, 2 busy) -> mark time 27.0 ms;
  //   allocated black during it: 2.70 MiB, so M = 203.7 MiB
  //   each cycle allocates goal - M = (M + S + G) x GOGC/100 = 204.15 MiB
  //   cycles = 100 s x 100 MiB/s / 204.15 MiB = 48.98
  RunResult r = run_scenario(load_scenario_text(hand_scenario(1, "100s"), "hand.yaml"));
  const double MiB = 1 << 20;
  const double live = 200 * MiB + 100 * MiB * 0.010;
  const double roots = 100 * 2048 + 256 * 1024;
  const double mark_cpu_ns = (0.5 * live + roots) * 0.5 + live / 64 * 0.64;
  const double mark_ns = mark_cpu_ns / 2;
  const double marked = live + 100 * MiB * mark_ns / 1e9;
  const double per_cycle = marked + roots;
  const double expected = 100 * 100 * MiB / per_cycle;
  CHECK(expected == doctest::Approx(48.98).epsilon(0.001));
  int steady = 0;
  for (const auto& c : r.recorder.cycles) steady += c.start_ns >= 4'000'000'000 ? 1 : 0;
  MESSAGE("steady-phase cycles: ", steady, " (hand: ", expected, ")");
  CHECK(std::fabs(steady - expected) / expected <= 0.05);
  // And the marked heap of late cycles matches M.
  CHECK(static_cast<double>(r.recorder.cycles.back().heap_marked) == doctest::Approx(marked).epsilon(0.01));
}

TEST_CASE("while the GC marks the program runs at mark_speed: the same CPU allocates that share") {
  // The hand scenario above (4 Ps, the program wants 2: one dedicated and one idle worker mark,
  // no assists) at mark_speed 0.5. A mark lasts as long (its work is the same), and the program
  // allocates during it at 0.5 x 100 MiB/s: per cycle, Y - X = 50 MiB/s x the mark's wall time.
  // The run is longer by what the marks lost: half of their wall time.
  RunResult full = run_scenario(load_scenario_text(hand_scenario(1, "20s"), "hand.yaml"));
  RunResult half = run_scenario(load_scenario_text(hand_scenario(0.5, "20s"), "hand.yaml"));
  const double MiB = 1 << 20;
  double marks_ns = 0;
  for (const auto& c : half.recorder.cycles) {
    marks_ns += static_cast<double>(c.mark_wall_ns);
    if (c.start_ns < 4'000'000'000) continue;
    REQUIRE(c.assist_cpu_ns == 0);
    const double during = static_cast<double>(c.heap_peak - c.heap_live_start);
    CHECK(during / (static_cast<double>(c.mark_wall_ns) / 1e9) == doctest::Approx(50 * MiB).epsilon(0.01));
  }
  const auto& last = full.recorder.cycles.back();
  CHECK(static_cast<double>(last.heap_peak - last.heap_live_start) / (static_cast<double>(last.mark_wall_ns) / 1e9) ==
        doctest::Approx(100 * MiB).epsilon(0.01));
  const double longer_ns = static_cast<double>(half.recorder.end.wall_ns - full.recorder.end.wall_ns);
  MESSAGE("mark_speed 0.5: the run is ", longer_ns / 1e6, " ms longer; half its marks' wall time: ", marks_ns / 2e6, " ms");
  CHECK(longer_ns == doctest::Approx(marks_ns / 2).epsilon(0.05));

  // A phase's own mark_speed counts in that phase only: 0.5 in the steady phase alone runs the
  // build as `full` did (its cycles the same to the nanosecond) and the steady phase as `half`.
  std::string per_phase = hand_scenario(1, "20s");
  const std::string steady_key = "- {duration: 20s, ";
  REQUIRE(per_phase.find(steady_key) != std::string::npos);
  per_phase.replace(per_phase.find(steady_key), steady_key.size(), "- {duration: 20s, mark_speed: 0.5, ");
  RunResult phased = run_scenario(load_scenario_text(per_phase, "hand.yaml"));
  std::size_t build_cycles = 0;
  for (const auto& c : full.recorder.cycles) build_cycles += c.start_ns < 4'000'000'000 ? 1 : 0;
  REQUIRE(build_cycles > 5);
  for (std::size_t i = 0; i < build_cycles; ++i) CHECK(phased.recorder.cycles[i].start_ns == full.recorder.cycles[i].start_ns);
  for (const auto& c : phased.recorder.cycles) {
    if (c.start_ns < 4'100'000'000) continue;  // a cycle that began in the build
    CHECK(static_cast<double>(c.heap_peak - c.heap_live_start) / (static_cast<double>(c.mark_wall_ns) / 1e9) ==
          doctest::Approx(50 * MiB).epsilon(0.01));
  }
}

TEST_CASE("a phase on one goroutine leaves a P to the idle worker, the next phase on two does not") {
  // 2 Ps: Go 1.19 plans no dedicated worker and a fractional goal of 0.25 per P (0.5 CPU). A
  // single-threaded start-up (mutator_cpus: 1) leaves 2 - 0.5 - 1 = 0.5 CPU that an idle
  // worker marks with: idle CPU = 0.5 x the mark's wall time. With both workers running
  // (mutator_cpus: 2) the program takes the 1.5 CPUs left and nothing is idle.
  const char* yaml = R"(
name: start-up
runtime: {gomaxprocs: 2, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 2
  phases:
    - {duration: 2s, mutator_cpus: 1, alloc_rate: 200MiB/s, sizes: {fixed: 64B}, scan_fraction: 0.5,
       lifetime: {fixed: 1ms}, retained: {to: 64MiB}}
    - {duration: 2s, alloc_rate: 200MiB/s, sizes: {fixed: 64B}, scan_fraction: 0.5, lifetime: {fixed: 1ms}}
)";
  RunResult r = run_scenario(load_scenario_text(yaml, "start-up.yaml"));
  int alone = 0, both = 0;
  for (const auto& c : r.recorder.cycles) {
    const double mark = static_cast<double>(c.mark_wall_ns);
    if (c.start_ns + c.mark_wall_ns < 1'900'000'000) {
      ++alone;
      CHECK(c.idle_cpu_ns == doctest::Approx(0.5 * mark).epsilon(0.01));
    } else if (c.start_ns > 2'500'000'000) {
      ++both;
      CHECK(c.idle_cpu_ns == 0);
    }
    CHECK(c.fractional_cpu_ns == doctest::Approx(0.5 * mark).epsilon(0.01));
  }
  MESSAGE("cycles on one goroutine: ", alone, ", on two: ", both);
  CHECK(alone >= 3);
  CHECK(both >= 3);
}

TEST_CASE("a retained growth of its own kind of object: the live heap keeps its composition, the rest is short-lived") {
  // Hand calculation: the phase allocates 100 MiB/s of which 6 MiB/s are 48 B objects with one
  // third of their bytes scanned (two pointers of 48 B) that stay live; the other 94 MiB/s are
  // short-lived (1 ms) and carry the rest of the phase's scan work: 0.05 x 100 - 6 / 3 =
  // 3 MiB/s, i.e. 3/94 of their bytes, and no pointerful bytes (0.06 x 100 - 6 = 0).
  // Half way (0.5 s): retained 3 MiB = 65,536 objects, 1 MiB scan; short-lived 0.094 MiB.
  const char* yaml = R"(
name: composed
runtime: {gomaxprocs: 2, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 1
  phases:
    - {duration: 1s, alloc_rate: 100MiB/s, sizes: {fixed: 8KiB}, scan_fraction: 0.05, pointer_fraction: 0.06,
       lifetime: {fixed: 1ms}, retained: {to: 6MiB, object_size: 48B, scan_fraction: 0.3333333333333333, pointer_fraction: 1}}
)";
  Scenario sc = load_scenario_text(yaml, "composed.yaml");
  auto w = sc.workload.choice.make(workload_context(sc));
  const LiveHeap h = w->fluid()->live_at(0.5e9);
  const double MiB = 1 << 20;
  const double transient = 94 * MiB * 0.001;
  CHECK(h.retained_bytes == doctest::Approx(3 * MiB));
  CHECK(h.live_bytes == doctest::Approx(3 * MiB + transient));
  CHECK(h.live_scan_bytes == doctest::Approx(1 * MiB + transient * 3 / 94));
  CHECK(h.live_pointer_bytes == doctest::Approx(3 * MiB));
  CHECK(h.live_pointer_objects == doctest::Approx(65536));
  CHECK(h.live_objects == doctest::Approx(65536 + transient / 8192));
}

TEST_CASE("Go 1.19 scans at least two words of every pointerful object, 1.20 up to its last pointer") {
  // bursty's records: 256 B {next *record; id int64; payload [240]byte}, the one pointer in the
  // first word: scan_fraction 8/256. Go 1.19's heap bitmap sets the scan bit of an object's
  // first two words whatever its type, so scanobject scans 16 B of each (gcpacertrace of
  // tests/validation/bursty: 2.2 MB of heap scan work a cycle for 131,072 records = 16.8 B
  // each); 1.20's scans to the last pointer, 8 B. 32 MiB of records = 131,072: 2 MiB of scan
  // work in 1.19, 1 MiB in 1.20. (The test above: 48 B objects scanned to their second word,
  // 16 B, keep their hand-calculated scan work.)
  const char* yaml = R"(
name: records
runtime: {gomaxprocs: 2, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 1
  phases:
    - {duration: 1s, alloc_rate: 64MiB/s, sizes: {fixed: 256B}, scan_fraction: 0.03125, pointer_fraction: 1,
       lifetime: {fixed: 1us}, retained: {to: 32MiB, over: 1s}}
)";
  const double MiB = 1 << 20;
  auto live_scan = [&](const char* go) {
    Scenario sc = load_scenario_text(yaml, "records.yaml", {std::string("go=") + go});
    auto w = sc.workload.choice.make(workload_context(sc));
    return w->fluid()->live_at(1e9);
  };
  const LiveHeap h119 = live_scan("1.19"), h120 = live_scan("1.20");
  CHECK(h119.retained_bytes == doctest::Approx(32 * MiB));
  CHECK(h119.live_scan_bytes == doctest::Approx(2 * MiB).epsilon(0.001));
  CHECK(h120.live_scan_bytes == doctest::Approx(1 * MiB).epsilon(0.001));
  CHECK(min_scan_bytes_per_object("1.19") == 16);
  CHECK(min_scan_bytes_per_object("1.20") == 0);
  CHECK(min_scan_bytes_per_object("1.25") == 0);
}

TEST_CASE("near the memory limit the goal follows the limit and the heap stays under it") {
  Scenario sc = load_scenario_file(source_path("scenarios/near-limit.yaml"));
  RunResult r = run_scenario(sc);
  const auto& cycles = r.recorder.cycles;
  REQUIRE(cycles.size() > 20);
  // Non-heap memory counted by the limit: stacks 1000 x 8 KiB, other 20 MiB, and the
  // heap's unused span bytes and runtime metadata (~55 MiB here), which the runtime counts
  // as non-heap too. Without those the goal would be 900 MiB - 27.8 MiB - 1 MiB; they lower
  // it by up to 10 %.
  const double non_heap = 1000 * 8192.0 + 20 * 1048576.0;
  const double ml_goal = 900 * 1048576.0 - non_heap - 1048576.0;
  const auto& last = cycles.back();
  CHECK(last.goal_bound == GoalBound::memory_limit);
  CHECK(static_cast<double>(last.heap_goal) <= ml_goal);
  CHECK(static_cast<double>(last.heap_goal) >= 0.90 * ml_goal);
  CHECK(static_cast<double>(r.summary.peak_mapped_ready_bytes) <= 900 * 1048576.0 * 1.01);
  CHECK_FALSE(r.summary.oom);
  // GC CPU climbs as the live heap approaches the limit.
  CHECK(last.gc_cpu_fraction > cycles[cycles.size() / 4].gc_cpu_fraction);
}

TEST_CASE("a cycle triggered before the sweep is done waits while the program sweeps every span") {
  // gcStart sweeps what is left before the cycle starts (reference §2), and the goroutines
  // that would allocate sweep instead. A 64 MiB live heap of 8 KiB objects (one span, one
  // page each) under a limit that leaves no runway: the trigger fires at mark termination, so
  // the gap to the next cycle is the whole sweep, spans x sweep_ns_per_span (470 ns, the
  // preset) over the 2 Ps, with nothing allocated meanwhile.
  const char* yaml = R"(
name: sweep-first
runtime: {gomaxprocs: 2, gogc: 100, gomemlimit: 76MiB}
memory: {goroutines: 2, stack_size: 8KiB, stack_scanned: 0B, globals: 0B, other: 0B}
workload:
  kind: synthetic
  mutator_cpus: 2
  phases:
    - {duration: 200ms, alloc_rate: 1GiB/s, sizes: {fixed: 8KiB}, scan_fraction: 0, lifetime: {fixed: 1us},
       retained: {to: 64MiB, over: 100ms}}
)";
  RunResult r = run_scenario(load_scenario_text(yaml, "sweep-first.yaml"));
  const auto& cycles = r.recorder.cycles;
  REQUIRE(cycles.size() > 20);
  for (std::size_t i = cycles.size() - 10; i < cycles.size(); ++i) {
    const auto& prev = cycles[i - 1];
    const double prev_end = static_cast<double>(prev.start_ns + prev.sweep_term_wall_ns + prev.mark_wall_ns + prev.mark_term_wall_ns);
    const double gap_ns = static_cast<double>(cycles[i].start_ns) - prev_end;
    CHECK(gap_ns == doctest::Approx(prev.sweep_pages * 470.0 / 2).epsilon(0.01));
    CHECK(static_cast<double>(cycles[i].heap_live_start - prev.heap_marked) < 0.05 * 1048576);
  }
}

TEST_CASE("a live heap above GOMEMLIMIT costs about half the CPU, not all of it (CPU limiter)") {
  // Live heap grows past the 512 MiB limit: the goal collapses to the marked heap, cycles run
  // back to back, and marking (slow here: 2 ns per byte) would need more than half the CPU.
  // The limiter switches assists off whenever GC has used over half the busy CPU for long
  // enough (reference §6, §7): GC CPU stays at about 50 % and the heap passes the limit
  // instead (a soft limit).
  const char* yaml = R"(
name: over-limit
runtime: {gomaxprocs: 4, gogc: 100, gomemlimit: 512MiB}
memory: {goroutines: 100, other: 8MiB}
costs: {scan_ns_per_byte: 2}
workload:
  kind: synthetic
  mutator_cpus: 4
  phases:
    - {duration: 3s, alloc_rate: 1GiB/s, sizes: {fixed: 64B}, scan_fraction: 0.8,
       lifetime: {exponential: {mean: 5ms}}, retained: {to: 600MiB, over: 3s}}
    - {duration: 20s, alloc_rate: 1GiB/s, sizes: {fixed: 64B}, scan_fraction: 0.8,
       lifetime: {exponential: {mean: 5ms}}}
)";
  RunResult r = run_scenario(load_scenario_text(yaml, "over.yaml"));
  CHECK(r.summary.limiter_enabled_times > 0);
  // GC share of the CPU over the second half of the run: the last sample minus the middle one.
  const auto& s = r.recorder.samples;
  CpuClasses d = s.back().cpu - s[s.size() / 2].cpu;
  const double gc = d.gc_total_ns() / d.total_ns();
  MESSAGE("GC CPU over the second half: ", gc);
  CHECK(gc == doctest::Approx(0.5).epsilon(0.05));
  CHECK(r.summary.peak_mapped_ready_bytes > 512.0 * 1048576 * 1.2);
}

TEST_CASE("assist episodes lie inside mark phases and add up to the run's assist CPU") {
  // near-limit: the memory limit keeps the runway short, so assists run in most cycles.
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/near-limit.yaml")));
  const auto& rec = r.recorder;
  REQUIRE(rec.assists.size() > 50);
  double cpu = 0;
  for (const auto& a : rec.assists) {
    cpu += a.cpu_ns;
    CHECK(a.duration_ns > 0);
    CHECK(a.cpu_ns <= static_cast<double>(a.duration_ns) * 4 + 1);  // never more than GOMAXPROCS=4 Ps
    // The cycle's sweep termination ends before the episode starts; its mark termination
    // starts after the episode ends.
    std::int64_t mark_from = -1, mark_to = -1;
    for (const auto& p : rec.pauses) {
      if (p.cycle != a.cycle) continue;
      if (p.kind == GcPhase::sweep_termination) mark_from = p.start_ns + p.duration_ns;
      if (p.kind == GcPhase::mark_termination) mark_to = p.start_ns;
    }
    CHECK(a.start_ns >= mark_from);
    if (mark_to >= 0) CHECK(a.start_ns + a.duration_ns <= mark_to);
  }
  // Every nanosecond of assist CPU the run accounted for belongs to some episode.
  CHECK(cpu == doctest::Approx(r.recorder.end.cpu.gc_mark_assist_ns).epsilon(1e-9));
  CHECK(r.summary.assist_episodes == static_cast<std::int64_t>(rec.assists.size()));
  CHECK(r.summary.assist_episode_ns.max >= r.summary.assist_episode_ns.p50);
}
