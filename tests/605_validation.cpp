// The simulator against real Go 1.19 programs (tests/validation/): the accuracy that
// `gogcsim validate` publishes, held as regression floors. Issue 6's targets and where they
// stand (78 cells with GC: 6 programs x GOGC {25..400, off} x GOMEMLIMIT {none, 1-2 limits}):
//   written scenarios:    GC count and peak heap within 15 % in every cell  (75/78, 67/78)
//                         mean heap goal within 5 %                          (62/78)
//                         memory-limit cells: GC count within 15 %           (45/48)
//   calibrated on GOGC=100, predicting the other cells:
//                         GC count, peak heap within 10 %; GC CPU within 3 points
//                                                                            (62, 69, 65 of 78)
// A floor lower than today's count would let a regression through; a count above it is
// progress (raise the floor).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "app/calibrate.hpp"
#include "app/validate.hpp"
#include "models/costs.hpp"
#include "models/scenario.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;


TEST_CASE("written validation scenarios predict the real runs (accuracy floors)") {
  auto rows = validate(GOGCSIM_SOURCE_DIR);
  std::ostringstream table;
  print_validation(table, rows, false);
  MESSAGE(table.str());
  const ValidationTally c = tally(rows);
  CHECK(c.cells == 78);
  // Floors: today's counts. Revising under a moving memory-limit goal (fluid_level.cpp)
  // brought pointer-heavy's GOGC=off/96 MiB peak from +161 % to +1 % and cost one goal cell.
  // near-limit's 48 B objects chain and stay live (18.3 MiB by the end; its header comment
  // once said they died): written into its scenario as a retained growth of 48 B pointerful
  // objects, its GOMEMLIMIT=240MiB cells went from 24-34 % too few cycles to 4-11 %. The
  // program paying for the memory it releases itself over the limit (sync_scavenge_ns_per_byte)
  // added two more limit cells, the cost preset refitted with the corrected scenario two more
  // (models/costs.md), and GC CPU within 3 points 54 -> 59. pointer-heavy's replaced subtrees
  // keep swept spans in use (`churn`; its heap unused now matches the real one, tests/604):
  // the lower limit goal brings its GOMEMLIMIT cells' GC count closer (count 73 -> 75, limit
  // cells 43 -> 45, goal 62 -> 63), but the extra marks cost too much there (the preset's
  // ~53 ns per tree node against a real ~35), so GC CPU within 3 points fell 59 -> 56 and one
  // peak (100/96MiB, +18 %) left the 15 % band.
  // Sweeping at its measured cost (470 ns per span, not an estimated 150 per page) and a
  // cycle that waits for the sweep when the trigger comes first (gcStart): peak 65 -> 66, goal
  // 63 -> 64, GC CPU within 3 points 56 -> 59.
  // The program at its measured speed while the GC marks (mark_speed; pointer-heavy 0.46):
  // pointer-heavy's GOGC=25 peaks +27 % and +54 % -> +5 % and +16 %, its steady cycles as the
  // real ones (119->141->71 MB, goal 140: simulated 118->139->69, 139), run time within 10 %
  // 66 -> 69. Costs: four mean goals (pointer-heavy's start-up, where the real main goroutine
  // builds the tree alone and an idle worker marks beside it, and 4.6-5 % rounding) and
  // grow-release's GOGC=200 knife edge (does a cycle end just before the drop? now no: 35
  // cycles against 19-24), count within 15 % 75 -> 74.
  // Each program's start-up on its main goroutine alone (a phase's own mutator_cpus: 1), with
  // an idle worker marking beside it as in the real traces (pointer-heavy's first mark: 9.3 ms
  // of idle marking): count 74 -> 75 (grow-release's GOGC=200 knife edge back, 25 cycles),
  // peak 66 -> 67, goal 60 -> 62; GC CPU 59 -> 58 and limit run time 44 -> 43 (one cell each
  // moves 0.2 points / 0.4 % across the bound).
  // bursty in its own program time (44.8 ms a burst, its GOGC=100 wall less the GC's CPU, as
  // the other five scenarios; it was the 75 ms wall, GC included): goal 62 -> 63, GC CPU
  // 58 -> 59, peak within 10 % 59 -> 60 but within 15 % 67 -> 66 (its GOMEMLIMIT=64MiB,
  // GOGC=off peak, 56 -> 53 MiB against a real 63-68: the faster bursts let less past the limit).
  // Churn holes a sweep leaves among long-lived objects stay unused until allocation refills
  // them (pointer-heavy at 96MiB: the real heap in use stays at 80-84 MiB while its objects
  // fall to 55 after each sweep, and the limit's goal falls with the unused bytes): its
  // GOGC=100 and 400 counts 36 -> 39 and 33 -> 38 against 41-47 and 46-57; count within 15 %
  // 75 -> 76, memory-limit cells 45 -> 46.
  // The live heap's spread (a finite sample of the size mix, fluid_level.hpp): large-objects'
  // peaks at GOGC=100 without a limit and GOGC=25 at 192MiB -16 -> -14 %: peak 66 -> 68.
  // A debt for released memory paid by one goroutine, the workers idle meanwhile (the test
  // "over GOMEMLIMIT the marks split..." below): near-limit at 200MiB had its marks' first
  // 28 ms with no allocation and no assist (all goroutines paying the ~10 MB released at once
  // after each mark), which was right about its cycles for the wrong reason; now its GC CPU
  // 23 -> 34 % against 35-42 (GC CPU within 3 points 59 -> 63), run time 4.3 -> 4.85 s against
  // 4.7-5.5 (within 10 % 69 -> 72, limit cells 41 -> 44), goal 63 -> 64, but its cycles
  // 88-109 -> 72-92 against 89-113 (count within 15 % 76 -> 73, limit cells 46 -> 43): the
  // continuous worker's whole share lets ~20 MB through a mark against a real 16-18.
  // The runtime's metadata as the real runs have it (a span's mark bits, 9.5 B + 3.5 x its
  // bitmap; test "the runtime's own memory" below): 0.4-2.8 MiB more at the end of the runs,
  // so the limit's goal is lower. Count within 15 % 73 -> 74 (10 %: 61 -> 64), goal 64 -> 67,
  // GC CPU 63 -> 65, limit cells' count 43 -> 44, but peak 68 -> 67 (10 %: 60 -> 58):
  // pointer-heavy at GOGC=100/96MiB, 84 -> 99 MiB against 80-83 — its over-costed marks
  // (README) hand more of each cycle to the CPU limiter at the lower goal, which lets the heap run.
  // Go 1.19's heap scan work of at least two words an object (tests/501): bursty's 131,072
  // records scan 16 B each, not 8, so its heap scan work is 2.1 MB a cycle as gcpacertrace's
  // 2.2, the assist ratio twice what it was, and its marks' CPU up: GC CPU within 3 points
  // 65 -> 69: six bursty cells in (GOGC 50-off at 64MiB, 26 -> 30 % against 28-38; GOGC 50
  // and 400 without a limit), two out (GOGC=25, 38 -> 42 % against 31-39). Nothing else moves.
  CHECK(c.count15 >= 74);
  CHECK(c.peak15 >= 67);
  CHECK(c.goal5 >= 67);
  CHECK(c.cpu3 >= 69);
  CHECK(c.limit_count15 >= 44);
  // Run time (not one of the issue's bounds, but what a user reads as the cost of a limit):
  // within 10 % in 51 of 78 cells, 25 of the 48 memory-limit cells, whose runs were 7-34 %
  // too short; with sweeping measured and the wait for it, 66 and 42 (near-limit at 200MiB
  // 4.5 s against 4.7-5.0 s; it was 3.9); with mark_speed 69 and 44, then 69 and 43; bursty
  // in its own program time 72 and 44 (its GOGC=200/400 runs were 31-37 % long, now 1 and 5 %).
  // sync_scavenge_ns_per_byte from the runtime's own count of released bytes (2.07, it was
  // 2.35 from strace counts of other runs): 69 and 41, near-limit's 200MiB and 240MiB runs
  // 9-13 % short (what releasing costs the other threads is not in the model, README).
  // With the churn holes kept: 70 and 42. With the live heap's spread 69 and 41: a
  // near-limit cell on the line (its 240MiB runs 9.6-10.2 % short) moves across it. The
  // debt paid by one goroutine with the workers idle: 72 and 44 (near-limit at 200MiB).
  // With the metadata's mark bits: 74 and 46.
  CHECK(c.run10 >= 74);
  CHECK(c.limit_run10 >= 46);
  // Memory released to the OS (the 13 cells record_scavenging.sh counted, GOGC=100; the test
  // below has each, README why the others miss): within 10 % of the real range's middle in 4,
  // near-limit without a limit and at 200MiB, pointer-heavy without a limit, bursty without a
  // limit (7 MiB against 10-59); and pointer-heavy at 96MiB once the scavenger is paced on the
  // goal before the sweep (test below).
  CHECK(c.released_cells == 13);
  CHECK(c.released10 >= 5);
  // A heap that outgrows the limit during the first mark: the limit's goal falls as mapped
  // memory rises and assists must follow it (the runtime revises at every heap_live update).
  // Frozen between events, the model once let this heap reach 225 MiB against the real 86
  // (+161 %); today 93 (+7 %: with churn the goal is lower and the over-costed marks hand
  // more of the cycle to the CPU limiter, which lets the heap run).
  for (const auto& r : rows) {
    if (r.program == "pointer-heavy" && r.gogc == "off" && r.limit == "96MiB") CHECK(r.peak_heap_mib.error() <= 0.10);
  }
}

TEST_CASE("workers: scheduled, the fractional worker as Go 1.19's scheduler runs it (accuracy floors)") {
  // The opt-in model (tests/305): marks as long as the real ones where the worker drains most of
  // the heap in one run and the rest waits for sysmon, so the peaks that come from long marks
  // (steady-noscan without a limit) are reached: written peak within 15 % 67 -> 68, within 10 %
  // 59 -> 63; calibrated peak within 10 % 58 -> 69, GC CPU 63 -> 65. Assists over-assist once a
  // mark (then they pay their debt as it accrues: a burst each 128 KiB of scan work made
  // validate --calibrated 3x slower, and no more accurate).
  // While the background scavenger has work its goroutine runs ~1 ms and sleeps, and its P
  // schedules the worker (runtime/trace of grow-release: the worker back 1.0 ms after it left,
  // when the scavenger slept): the worker then gets its share; without that grow-release's
  // GOGC=25 counts were 16-31 % high. Costs: written count within 15 % 75 -> 74, GC CPU 58 -> 57,
  // run time within 10 % 69 -> 66; large-objects' peaks stay low (its marks have almost
  // no scan work: the worker never reaches a check and drains them in one run). Not the default:
  // tests/604's memory comparisons lose 4 checks with it (36 of 54 against 40; README).
  // (The scenarios `calibrate` fits use it: their floors are in the calibrated test below.)
  const ValidationTally w = tally(validate(GOGCSIM_SOURCE_DIR, {"workers=scheduled"}));
  MESSAGE("scheduled, written: count within 15 % ", w.count15, ", peak within 15 % ", w.peak15, " (10 %: ", w.peak10,
          "), goal within 5 % ", w.goal5);
  // bursty in its own program time (above) costs this model two cells: its GOGC=400 count
  // 15 -> 10 against a real 13-14 (the faster bursts run further into each long mark, which
  // marks what they allocate: higher goals, fewer cycles) and the 64MiB/off peak as above.
  // The worker that takes the root jobs where the goroutines allocate seldom and leaves
  // (tests/305): large-objects' marks wait for a preemption as the real ones, its peaks come
  // within 15 % (peak 67 -> 71, within 10 % 61 -> 62, count within 10 % 62 -> 64).
  // The debt for released memory paid by one goroutine, the workers idle meanwhile (above): GC
  // CPU within 3 points 57 -> 63 (near-limit at 200MiB, 24 -> 35 % against 35-42), goal
  // 61 -> 62, count within 15 % 74 -> 73 (pointer-heavy at GOGC=400/96MiB, 40 -> 38 against
  // 46-57).
  // The metadata's mark bits (above): count 73 -> 74, GC CPU 63 -> 65.
  // Go 1.19's two-word scan minimum (above): count 74 -> 75, GC CPU 65 -> 68.
  CHECK(w.count15 >= 75);  // 73 -> 74 with the churn holes kept (above), 73 with the debt, 74
  CHECK(w.cpu3 >= 68);
  CHECK(w.peak15 >= 71);
  CHECK(w.peak10 >= 62);  // 63 -> 61 and goal 62 -> 61 when the scavenger's run after each sweep
  CHECK(w.goal5 >= 61);   // came in: it clears grow-release's excess sooner, and with it the
                          // worker's share during marks (its GOGC=25 counts +6..+24 %)
  // Memory released: 6 of 13 within 10 % (steady-noscan's two cells come in: its long marks
  // let the heap overshoot the goal, and at 96MiB the limit, as the real heap does).
  // 7 with pointer-heavy at 96MiB (the scavenger paced before the sweep, test below).
  CHECK(w.released10 >= 7);
}

TEST_CASE("each written scenario's mark_speed is what its program's GOGC=100 gctraces measure") {
  // measure_mark_speed on the three GOGC=100 recordings without a limit (2 busy Ps), the
  // median written into the scenario to two decimals. bursty's bursts set its marks off, so
  // its marks see more allocation than the time between them: not measurable (1), no key.
  for (const std::string program : {"steady-noscan", "pointer-heavy", "grow-release", "bursty", "large-objects", "near-limit"}) {
    std::vector<double> speeds;
    for (int rep = 1; rep <= 3; ++rep) {
      std::ifstream in(source_path("tests/validation/recordings/" + program + "/gogc100_limnone_rep" + std::to_string(rep) + ".gctrace"));
      REQUIRE(in);
      const MarkSpeed m = measure_mark_speed(read_gctrace(in), 2);
      CHECK(m.cycles >= 10);
      speeds.push_back(m.speed);
    }
    std::sort(speeds.begin(), speeds.end());
    const Scenario sc = load_scenario_file(source_path("scenarios/validation/" + program + ".yaml"));
    const double written = sc.workload.choice.make(workload_context(sc))->fluid()->segment().mark_speed;  // every phase
    MESSAGE(program, ": measured ", speeds[0], " ", speeds[1], " ", speeds[2], ", written ", written);
    CHECK(written == doctest::Approx(speeds[1]).epsilon(0.006));
  }
  // calibrate writes the same measurement into the scenario it fits.
  std::ifstream in(source_path("tests/validation/recordings/pointer-heavy/gogc100_limnone_rep1.gctrace"));
  const TraceFit fit = calibrate_from_gctrace(read_gctrace(in), "pointer-heavy", 100, -1);
  CHECK(fit.mark_speed == doctest::Approx(0.46).epsilon(0.01));
  CHECK(fit.yaml.find("mark_speed: 0.46") != std::string::npos);
}

TEST_CASE("scenarios calibrated on the GOGC=100 run predict the other settings (accuracy floors)") {
  const ValidationTally c = tally(validate(GOGCSIM_SOURCE_DIR, {}, true));
  MESSAGE("calibrated: GC count within 10 % ", c.count10, ", peak heap within 10 % ", c.peak10,
          ", GC CPU within 3 points ", c.cpu3, " of ", c.cells);
  // A calibrated scenario's marking cost is the fitted cost per live byte alone (mark_fixed 0,
  // not the preset's 98 us on top of a fit that already covers it): GC CPU within 3 points
  // 48 -> 50, GC count within 10 % 33 -> 31; the program's own scavenging paid for over the
  // limit: GC CPU 50 -> 55, count 31 -> 32. Replaying the run cycle by cycle instead of
  // fitting up to 8 lines (a start-up that builds the live heap in three cycles, a heap dropped
  // between two), with short-lived objects that die at once (the live estimate already holds
  // the young ones), calibrated on the median repetition: count 32 -> 51, peak 46 -> 55,
  // GC CPU 55 -> 56. Joining consecutive intervals that say the same thing (an hour-long trace
  // in 955 phases, not 11,000) moved grow-release's knife-edge cells (does a GC see its 276 MiB
  // heap before the drop?): peak 55 -> 54, GC CPU 56 -> 55. A program that leaves no P idle
  // during its marks wants every P (the fractional worker takes one it wanted), not P minus the
  // worker's share: count 51 -> 53, peak 54 -> 55, GC CPU 55 -> 57. Sweeping at its measured
  // cost, and the wait for it at the limit: GC CPU 57 -> 62. The program running on past its
  // last cycle for half a GC interval (gctrace does not say when it exited; near-limit's
  // fitted scenario allocated 7 % less than the real program without it): count 53 -> 61, and
  // near-limit's GOGC=400 peak, now reached in its fourth cycle's tail, 1 cell of 55 -> 54.
  // The program's speed during marks measured from the trace and written as mark_speed (its
  // program time counted as CPU between marks + mark_speed x CPU during them): count
  // 61 -> 62, peak 54 -> 58, GC CPU 62 -> 63. Fitted scenarios with `workers: scheduled`
  // (the marks as long as the real ones): peak 58 -> 69, GC CPU 63 -> 65, count 62. The
  // scavenger's run after each sweep and its cost per madvise call: peak 69 -> 70.
  // Sweeping and scavenging out of the fitted program time (the test below): count 62 -> 65,
  // goal within 5 % 61 -> 64, run time within 10 % 55 -> 58, but peak 70 -> 69 and GC CPU
  // 65 -> 64: bursty's faster bursts at GOGC=25, where its fitted marks (one cost per byte,
  // from GOGC=100) cost 35 % too much — real ones are cheaper there, the caches still warm
  // (README) — let its peak run to +29 % (64MiB) and +67 % (no limit) against +7 and +19 %.
  // The live heap's spread: count 65 -> 64 and peak 69 -> 68, both bursty at GOGC=400
  // without a limit (13 -> 10 cycles against 13-14, peak +49 %). The fitted scenario's spread
  // is ~1 KB (its garbage lives 1 us), but any change moves this cell: fits to its GOGC=100
  // repetitions run with seeds 1-6 give 9-13 cycles without the spread, 10-13 with it.
  // The debt for released memory paid by one goroutine, the workers idle meanwhile (above):
  // near-limit's six 200MiB cells' GC CPU 27 -> 38 % against 35-42 and run time 4.2 -> 4.85 s
  // against 4.7-5.5: GC CPU within 3 points 64 -> 70, run time within 10 % 53 -> 59.
  // The metadata's mark bits (above): count within 10 % 64 -> 59, peak 68 -> 67. A gctrace does
  // not show object sizes, so a fitted scenario allocates 64 B objects (lognormal): for
  // large-objects (40 KiB-2 MiB buffers, ~600 spans) that is ~24,000 spans of metadata it does
  // not have (3.4 MiB of mspans before, 5 MiB now), and its four 192MiB counts, already
  // +10..+12 %, go to +12..+14 %; near-limit's 200MiB counts at GOGC=400 and off cross -10 %.
  // The mean object size (MemStats TotalAlloc / Mallocs, in each run's summary) given to
  // calibrate, and the sizes' spread narrowed from sigma 1 to 0.1 (the test above): count
  // within 10 % 59 -> 63 (large-objects' five 192MiB counts to within 0 %; near-limit's 200MiB
  // counts, which the 64 B objects' extra metadata had pulled up, -3..-9 % -> -11..-16 %, as
  // the written scenario's), goal within 5 % 63 -> 66, run time within 10 % 60 -> 62; peak 67.
  // A start-up that ran on one goroutine fitted on one CPU (the test below): count within 10 %
  // 63 -> 67 and within 15 % 69 -> 71 (near-limit's 200MiB counts -11..-15 % -> -2..-9 %, its
  // GOGC=100 count without a limit -22 % -> -7 %; bursty's GOGC=200 -7 -> -11 %), limit counts
  // 42 -> 43, goal 66 -> 67 (near-limit's GOGC=200 +22 % -> -3 %, pointer-heavy's GOGC=400 in,
  // its GOGC=50 0 -> -8 % out); peak within 10 % 67 -> 66 and run time 62 -> 59, cells at -10 %
  // crossing it (large-objects' GOGC=100 peak -10 -> -11 %).
  CHECK(c.count10 >= 67);
  CHECK(c.peak10 >= 66);
  CHECK(c.cpu3 >= 70);
  // Memory released within 10 % in 5 of the 13 counted cells (fitted scenarios use `workers:
  // scheduled`).
  CHECK(c.released10 >= 5);
}

TEST_CASE("a fitted scenario runs as long as the run it was fitted to") {
  // gctrace's GC CPU leaves out sweeping and the background scavenger, so the program time
  // calibrate derives (wall less the GC's share) holds them, and the model charges them again:
  // the fitted scenarios of all 18 GOGC=100 runs of the six validation programs ran 2-20 %
  // longer than the runs they came from (median 8.6 %; grow-release 19-20 %, whose 12-14 GB of
  // swept spans cost it 0.4 s of CPU, recordings/sweep.tsv). With what the model spends on them
  // taken out (a second pass over the first pass's run), within -7.3..+5.0 % (median of the
  // absolute errors 1.2 %). With the start-up fitted on one CPU where its marks show idle Ps
  // (the test above) -5.8..+4.9 %, median 2.1 %: pointer-heavy's runs +0.9..+3.7 % -> +2.3..+4.4 %.
  // Not the start-up's sweeping (the model does it on the idle P, and the second pass no longer
  // takes it out of the program's time: no change). Not yet explained; a candidate: the fitted
  // mark_speed (pointer-heavy 0.43, measured on the marks after the start-up) slows the one-CPU
  // start-up's marks as much as the later ones. Bound 2.5 %.
  std::vector<double> errs;
  for (const char* program : {"bursty", "grow-release", "large-objects", "near-limit", "pointer-heavy", "steady-noscan"}) {
    for (int rep = 1; rep <= 3; ++rep) {
      const std::string base = source_path(std::string("tests/validation/recordings/") + program + "/gogc100_limnone_rep" +
                                           std::to_string(rep));
      std::ifstream in(base + ".gctrace");
      const TraceFit fit = calibrate_from_gctrace(read_gctrace(in), program, 100, -1);
      CHECK(fit.runtime_cpu_s > 0);  // every one keeps both Ps busy
      const double sim_s = run_scenario(load_scenario_text(fit.yaml, program)).summary.wall_s;
      const double real_s = json_number(read_file(base + ".summary.json"), "wall_ns", base) / 1e9;
      const double err = sim_s / real_s - 1;
      MESSAGE(std::string(program), " rep", rep, ": real ", real_s, " s, fitted scenario ", sim_s, " s (", 100 * err, " %)");
      CHECK(std::fabs(err) <= 0.08);
      errs.push_back(std::fabs(err));
    }
  }
  std::sort(errs.begin(), errs.end());
  CHECK(errs[errs.size() / 2] <= 0.025);
}

TEST_CASE("over GOMEMLIMIT the program releases as much memory as the real one (counted recording)") {
  // tests/validation/recordings/near-limit/scavenging.tsv (record_scavenging.sh, the runtime's
  // own count of what it releases): at GOMEMLIMIT=200MiB the real program releases 1.47-1.48
  // GiB over three runs, about all it allocates, because the live heap passes the limit and
  // every span it takes is scavenged back. The model must release as much itself (it is what it
  // charges sync_scavenge_ns_per_byte for): within 10 % of the real range.
  std::istringstream in(read_file(source_path("tests/validation/recordings/near-limit/scavenging.tsv")));
  double lo = 1e300, hi = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("200MiB\t", 0) != 0) continue;
    const auto f = split_fields(line, '\t');  // limit, rep, calls, bytes released
    REQUIRE(f.size() >= 4);
    lo = std::min(lo, std::stod(f[3]));
    hi = std::max(hi, std::stod(f[3]));
  }
  REQUIRE(hi > 1e9);
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/validation/near-limit.yaml"), {"runtime.gomemlimit=200MiB"}));
  const double sim = r.summary.scavenged_bytes;
  const double err = sim < lo ? (lo - sim) / lo : (sim > hi ? (sim - hi) / hi : 0);
  MESSAGE("released over the run: real ", lo / 1048576, "-", hi / 1048576, " MiB, simulated ", sim / 1048576, " MiB");
  CHECK(err <= 0.10);
  // And the program pays for it, 2.07 ns per byte (models/costs.md): the background scavenger
  // has nothing to do here (over the limit the goal is the limit's, and the real one's
  // scavtrace shows 0 KiB of work per cycle), so scavenging CPU = 2.07 x the bytes released,
  // within 1 %. Every CPU class still adds up to GOMAXPROCS x wall.
  const double wall = static_cast<double>(r.recorder.end.wall_ns);
  CHECK(r.recorder.end.cpu.scavenge_ns == doctest::Approx(2.07 * sim).epsilon(0.01));
  CHECK(r.recorder.end.cpu.total_ns() == doctest::Approx(2 * wall).epsilon(1e-9));
}

TEST_CASE("over GOMEMLIMIT the marks split between worker and assists as the real ones while memory is released") {
  // recordings/near-limit/madvise_off.tsv (record_madvise_off.sh): near-limit at 200MiB built
  // against Go 1.19's runtime and against one that skips the madvise calls (the same pages
  // counted as released). Per cycle, real: assists 12.6-14.5 ms with madvise and 13.9-14.5
  // without, background workers 23.3-28.4 ms with and 8.3-8.6 without; the cycles 97-99 and
  // 90-101. So releasing memory costs the workers 15-20 ms a cycle and the assists nothing:
  // while a goroutine is in madvise and page faults the workers get nothing done (their time
  // counts), and the other goroutine allocates and assists on. The model's means per cycle
  // with its releases (costs.sync_scavenge_ns_per_byte 2.07) within 15 % of the real range.
  std::istringstream in(read_file(source_path("tests/validation/recordings/near-limit/madvise_off.tsv")));
  std::map<std::string, std::pair<double, double>> assist, background;  // runtime -> min, max
  auto widen = [](std::pair<double, double>& r, double v) {
    r.first = std::min(r.first, v);
    r.second = std::max(r.second, v);
  };
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("runtime\t", 0) == 0) continue;
    const auto f = split_fields(line, '\t');  // runtime, rep, gcs, assist_ms, background_ms, ...
    REQUIRE(f.size() == 10);
    assist.try_emplace(f[0], 1e300, 0);
    background.try_emplace(f[0], 1e300, 0);
    widen(assist[f[0]], std::stod(f[3]));
    widen(background[f[0]], std::stod(f[4]));
  }
  REQUIRE(assist.size() == 2);
  auto per_cycle = [](const RunResult& r) {
    double a = 0, b = 0;
    for (const auto& c : r.recorder.cycles) {
      a += c.assist_cpu_ns;
      b += c.dedicated_cpu_ns + c.fractional_cpu_ns + c.idle_cpu_ns;
    }
    const auto n = static_cast<double>(r.recorder.cycles.size());
    return std::pair<double, double>{a / n / 1e6, b / n / 1e6};
  };
  auto error = [](double sim, std::pair<double, double> real) {
    return sim < real.first ? (real.first - sim) / real.first : sim > real.second ? (sim - real.second) / real.second : 0.0;
  };
  const auto [a, b] = per_cycle(run_scenario(load_scenario_file(source_path("scenarios/validation/near-limit.yaml"), {"runtime.gomemlimit=200MiB"})));
  MESSAGE("per cycle with madvise: assists ", a, " ms (real ", assist["madvise"].first, "-", assist["madvise"].second,
          "), background ", b, " ms (real ", background["madvise"].first, "-", background["madvise"].second, ")");
  CHECK(error(a, assist["madvise"]) <= 0.15);
  CHECK(error(b, background["madvise"]) <= 0.15);
  // Without the releases' cost the model's worker does more than the real one and the assists
  // less (12.0 and 9.6 ms against 8.3-8.6 and 13.9-14.5): the continuous worker takes its whole
  // share, the real one about 0.38 of a P (fractional_worker.hpp; `workers: scheduled`). So
  // its marks let more allocation through (20 MB against 16-18) and it runs fewer cycles
  // (78 against 90-101; 72-92 against 89-113 at 200MiB with the releases, tests above).
  const auto [a0, b0] = per_cycle(run_scenario(load_scenario_file(
      source_path("scenarios/validation/near-limit.yaml"), {"runtime.gomemlimit=200MiB", "costs.sync_scavenge_ns_per_byte=0"})));
  MESSAGE("per cycle without: assists ", a0, " ms (real ", assist["none"].first, "-", assist["none"].second, "), background ",
          b0, " ms (real ", background["none"].first, "-", background["none"].second, ")");
  // What the releases cost the workers a cycle: real 14.7-20.1 ms, the model's within 15 %.
  const std::pair<double, double> extra{background["madvise"].first - background["none"].second,
                                        background["madvise"].second - background["none"].first};
  MESSAGE("the releases' cost to the workers: ", b - b0, " ms a cycle (real ", extra.first, "-", extra.second, ")");
  CHECK(error(b - b0, extra) <= 0.15);
}

TEST_CASE("the runtime's own memory (metadata, stacks, other) as the real runs end with it") {
  // recordings/metadata.tsv (record_metadata.sh): every /memory/classes/* metric at the end of
  // each validation program's run, GOGC=100, without a limit and at its first limit, 3 runs.
  // What the memory limit counts and the heap cannot use: metadata/* + other + heap/stacks
  // (+ os-stacks, profiling). The model's (FluidHeap: a base, heapArena records, an mspan and
  // mark bits per span, the scenario's other and stacks) at its highest over the run (it is
  // never returned) within 10 % of the real range; 12-45 MiB across the twelve settings.
  // large-objects at 192MiB: 15 %, the real heap passes the limit there (215-223 MiB in all)
  // and maps a fourth arena's 2 MiB record, the model's stays at 193 MiB.
  std::istringstream in(read_file(source_path("tests/validation/recordings/metadata.tsv")));
  std::map<std::pair<std::string, std::string>, std::map<std::string, double>> runs;  // (program, limit) -> rep -> bytes
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("program\t", 0) == 0) continue;
    const auto f = split_fields(line, '\t');  // program, limit, rep, class, bytes
    REQUIRE(f.size() == 5);
    const std::string& cls = f[3];
    if (cls.rfind("metadata/", 0) == 0 || cls == "other" || cls == "heap/stacks" || cls == "os-stacks" ||
        cls == "profiling/buckets") {
      runs[{f[0], f[1]}][f[2]] += std::stod(f[4]);
    }
  }
  REQUIRE(runs.size() == 12);
  double abs_err_sum = 0;
  for (const auto& [key, reps] : runs) {
    REQUIRE(reps.size() == 3);
    double lo = 1e300, hi = 0;
    for (const auto& [rep, bytes] : reps) {
      lo = std::min(lo, bytes);
      hi = std::max(hi, bytes);
    }
    std::vector<std::string> sets;
    if (key.second != "none") sets.push_back("runtime.gomemlimit=" + key.second);
    const RunResult r = run_scenario(load_scenario_file(source_path("scenarios/validation/" + key.first + ".yaml"), sets));
    double sim = 0;
    for (const auto& x : r.recorder.samples) sim = std::max(sim, static_cast<double>(x.other + x.stacks));
    const double err = sim < lo ? (lo - sim) / lo : sim > hi ? (sim - hi) / hi : 0.0;
    abs_err_sum += std::abs(sim - (lo + hi) / 2);
    MESSAGE(key.first, " ", key.second, ": real ", lo / 1048576, "-", hi / 1048576, " MiB, simulated ", sim / 1048576,
            " MiB, error ", 100 * err, " %");
    CHECK(err <= (key.first == "large-objects" && key.second == "192MiB" ? 0.15 : 0.10));
  }
  // Mean distance from the real range's middle: 1.1 MiB (2.3 before the mark bits were in, when
  // pointer-heavy, whose 24 B nodes have 48 B of mark bits a span, was 13 and 18 % low).
  MESSAGE("mean distance from the real middle: ", abs_err_sum / 12 / 1048576, " MiB");
  CHECK(abs_err_sum / 12 <= 1.3 * 1048576);
}

TEST_CASE("calibrate given the mean object size fits a large-object program's metadata, not a 64 B one's") {
  // large-objects' GOGC=100 run (the median repetition validate calibrates on): MemStats
  // TotalAlloc / Mallocs = 3,370,531,072 / 12,029 = 280,200 B, the 40 KiB-2 MiB buffers. The
  // fitted sizes: a lognormal with that mean, median 280,200 x e^(-0.1^2/2) = 278,803 B.
  const std::string dir = source_path("tests/validation/recordings/large-objects/");
  const std::string j = read_file(dir + "gogc100_limnone_rep2.summary.json");
  const double mean_bytes = json_number(j, "total_alloc_bytes", "rep2") / json_number(j, "mallocs", "rep2");
  CHECK(mean_bytes == doctest::Approx(280200.4).epsilon(1e-6));
  auto fitted = [&](double mean) {
    std::istringstream in(read_file(dir + "gogc100_limnone_rep2.gctrace"));
    return calibrate_from_gctrace(read_gctrace(in), "large-objects", 100, -1, mean).yaml;
  };
  const std::string with_mean = fitted(mean_bytes), without = fitted(0);
  CHECK(with_mean.find("sizes: {lognormal: {median: 278803B, sigma: 0.1}}") != std::string::npos);
  CHECK(without.find("sizes: {lognormal: {median: 64B, sigma: 0.1}}") != std::string::npos);
  // At GOMEMLIMIT=192MiB the runtime's own memory (metadata + other + stacks, at its highest)
  // against the real runs' end (recordings/metadata.tsv: 15.6-15.8 MiB). 13.0 MiB today, 17 %
  // low: the real heap passes the limit there and maps a fourth arena, whose 2.06 MiB record is
  // 13 points of it (the written scenario is 14 % low for the same reason): bound 20 %. In 64 B
  // objects the ~190 MiB heap is ~24,000 more 8 KiB spans, each an mspan (144 B) and mark bits
  // (9.5 + 3.5 x 16 B): ~5 MiB more, and the goal that much lower.
  auto own_memory = [](const std::string& yaml) {
    const RunResult r = run_scenario(load_scenario_text(yaml, "fitted.yaml", {"runtime.gomemlimit=192MiB"}));
    double m = 0;
    for (const auto& x : r.recorder.samples) m = std::max(m, static_cast<double>(x.other + x.stacks));
    return std::make_pair(m / 1048576, r.recorder.cycles.size());
  };
  const auto [mib_mean, cycles_mean] = own_memory(with_mean);
  const auto [mib_64, cycles_64] = own_memory(without);
  MESSAGE("runtime memory: ", mib_mean, " MiB given the mean, ", mib_64, " MiB with 64 B objects; GC cycles ",
          cycles_mean, " and ", cycles_64, " (real 70-72)");
  CHECK(mib_mean >= 15.6 * 0.80);
  CHECK(mib_mean <= 15.8 * 1.20);
  CHECK(mib_64 - mib_mean == doctest::Approx(5).epsilon(0.2));
  // The GC count at that limit (real 70-72) within 10 %.
  CHECK(static_cast<double>(cycles_mean) >= 70 * 0.9);
  CHECK(static_cast<double>(cycles_mean) <= 72 * 1.1);
}

TEST_CASE("calibrate gives a start-up that runs on one goroutine one CPU, from the idle marking its cycles show") {
  // near-limit builds its ~183 MiB live heap on main before its two workers start (~110 ms):
  // its first six marks show idle-priority marking (0.05-0.35 ms of 0.6-1 ms), the Ps the
  // program left idle; from the seventh on, none. calibrate's program CPUs, a median over the
  // marks, is 2: the start-up ran as fast as it allocated but on both CPUs, leaving the GC no
  // idle P, and its first marks ran long (at GOGC=400 the first went 15 -> 46 MB against the
  // real 15 -> 17). The start-up's phase now runs on one CPU.
  auto fit = [](const std::string& prog, int rep) {
    std::istringstream in(read_file(source_path("tests/validation/recordings/" + prog + "/gogc100_limnone_rep" +
                                                std::to_string(rep) + ".gctrace")));
    return calibrate_from_gctrace(read_gctrace(in), prog, 100, -1, 0).yaml;
  };
  auto one_cpu_phases = [](const std::string& yaml) {  // a phase's own CPUs follow its lifetime
    const std::string key = "lifetime: {fixed: 1us}, mutator_cpus: 1";
    std::size_t n = 0;
    for (std::size_t at = yaml.find(key); at != std::string::npos; at = yaml.find(key, at + 1)) ++n;
    return n;
  };
  for (int rep = 1; rep <= 3; ++rep) {
    const std::string yaml = fit("near-limit", rep);
    CAPTURE(rep);
    CHECK(one_cpu_phases(yaml) == 1);
    CHECK(yaml.find("mutator_cpus: 2.00") != std::string::npos);  // the rest of the run: every P
    // Predicted at GOGC=400: the first mark begins at 15 MB (the 4 MiB minimum x 4) and the real
    // ones end at 17 MB in all three runs (gctrace 15->17->17). Fitted on two CPUs the program
    // left the GC no idle P and allocated 31 MB meanwhile (15->46->46, each repetition's fit);
    // on one CPU the workers mark on the other P: 7 MB. The rest is the start-up's heap, 160 MiB
    // of pointer-free buffers that mark at 0.006-0.03 ns a live byte against the run's fitted
    // 0.13 (its later heap holds the pointerful lists). A phase's scan fraction follows what it
    // allocates, for the rest of the run, so it cannot be set from the start-up's marks alone
    // (tried: near-limit's later marks then cost half the real ones or less, GC CPU 4.7 % against
    // 10.7-11.7 at GOGC=100). Bound 10 MB.
    const RunResult r = run_scenario(load_scenario_text(yaml, "fitted.yaml", {"runtime.gogc=400"}));
    REQUIRE(!r.recorder.cycles.empty());
    const auto& first = r.recorder.cycles.front();
    const double grew_mb = (static_cast<double>(first.heap_peak) - static_cast<double>(first.heap_live_start)) / 1048576;
    MESSAGE("near-limit rep ", rep, " fitted, GOGC=400: the first mark allocates ", grew_mb, " MB (real 2)");
    CHECK(grew_mb <= 10);
  }
  // bursty's workers meet at a barrier between bursts and quiet phases: a mark that comes then
  // shows idle marking too (cycles 14, 24, 29, ... of its GOGC=100 run: 4-6 ms idle in 6 ms),
  // but the 20-40 ms before it ran both workers. Only its start-up (cycles 1-4, the records
  // built on main) runs on one CPU.
  CHECK(one_cpu_phases(fit("bursty", 1)) == 1);
}

TEST_CASE("the fluid level plans few events in every validation setting with either worker model") {
  // Each event integrates rates that hold until the next one, so a run's cost is its events.
  // The busiest of these 96 settings plans ~2,000 a simulated second (with 10 samples a
  // second). A rule that re-plans after every nanosecond (a debt paid while the others
  // allocate past the limit did, at bursty's GOMEMLIMIT=64MiB: minutes instead of
  // milliseconds) shows here as 1e9: bound 100,000.
  const std::pair<const char*, const char*> programs[] = {{"steady-noscan", "96MiB"}, {"pointer-heavy", "96MiB"},
                                                          {"grow-release", "320MiB"}, {"bursty", "64MiB"},
                                                          {"large-objects", "192MiB"}, {"near-limit", "200MiB"}};
  double busiest = 0;
  for (const auto& [program, limit] : programs) {
    for (const std::string lim : {"off", limit}) {
      for (const std::string gogc : {"25", "100", "400", "off"}) {
        for (const std::string workers : {"continuous", "scheduled"}) {
          const RunResult r = run_scenario(load_scenario_file(source_path(std::string("scenarios/validation/") + program + ".yaml"),
                                                              {"runtime.gomemlimit=" + lim, "runtime.gogc=" + gogc, "workers=" + workers}));
          const double per_s = static_cast<double>(r.summary.events) / r.summary.wall_s;
          busiest = std::max(busiest, per_s);
          CHECK_MESSAGE(per_s <= 100000, std::string(program), " ", lim, " GOGC=", gogc, " ", workers, ": ", per_s,
                        " events a second");
        }
      }
    }
  }
  MESSAGE("busiest: ", busiest, " events a simulated second");
}

TEST_CASE("the preset's cost per released byte is the real runs' system CPU per byte (counted recording)") {
  // recordings/near-limit/scavenging.tsv: per run, the bytes released and the system CPU
  // seconds (GNU time, the same run). Least squares, through the origin, of the limited runs'
  // system CPU above the mean of the unlimited ones on their released bytes (models/costs.md):
  // 2.07 ns a byte, the preset's sync_scavenge_ns_per_byte within 2 %.
  std::istringstream in(read_file(source_path("tests/validation/recordings/near-limit/scavenging.tsv")));
  std::vector<std::pair<double, double>> limited;  // bytes released, system CPU seconds
  double base_sum = 0;
  int base_n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("limit\t", 0) == 0) continue;
    const auto f = split_fields(line, '\t');  // limit, rep, calls, bytes, sys_s, user_s, wall_s
    REQUIRE(f.size() == 7);
    if (f[0] == "none") {
      base_sum += std::stod(f[4]);
      ++base_n;
    } else {
      limited.emplace_back(std::stod(f[3]), std::stod(f[4]));
    }
  }
  REQUIRE(base_n == 3);
  REQUIRE(limited.size() == 6);
  double sxy = 0, sxx = 0;
  for (const auto& [bytes, sys_s] : limited) {
    sxy += bytes * (sys_s - base_sum / base_n);
    sxx += bytes * bytes;
  }
  const double ns_per_byte = sxy / sxx * 1e9;
  MESSAGE("system CPU per released byte: ", ns_per_byte, " ns; preset ", CostParams().sync_scavenge_ns_per_byte);
  CHECK(CostParams().sync_scavenge_ns_per_byte == doctest::Approx(ns_per_byte).epsilon(0.02));
}

TEST_CASE("memory each program releases to the OS, against the real runs' own count") {
  // recordings/<program>/scavenging.tsv (record_scavenging.sh): the bytes the runtime released
  // over a run (its sysUnused calls, counted inside the process), GOGC=100, without a limit and
  // at the program's first limit, 3 runs each. The model's released bytes (background and
  // synchronous scavenging), with either worker model, against the real range. A bound < 0:
  // the model releases too little there, README "where it is still wrong" says why, and an
  // error under 100 % bounds nothing. Today:
  // - right with both: near-limit and pointer-heavy without a limit (next to nothing);
  //   pointer-heavy at 96MiB (real 0-13 MiB, model 1): gcPaceScavenger runs at mark
  //   termination, before the sweep, when the dead objects are still in heap_alloc and the
  //   limit's goal is not yet lowered by the holes they will leave. Paced after this level's
  //   instant sweep, the goal fell ~25 % every cycle, the retained goal with it, and the
  //   background scavenger released 57 MiB that the next cycle took back;
  // - right with `workers: scheduled` only: steady-noscan without a limit and at 96MiB (its
  //   long marks let the heap overshoot the goal, and at 96MiB pass the limit), bursty
  //   without a limit;
  // - too much, bounded at today's error: grow-release (its scavenger works ~1 ms a cycle in
  //   both, but the real one pays 0.085-0.125 ns a byte, a runtime/trace shows, and the model
  //   0.057 for the real calls' sizes: README);
  // - too little: near-limit at 240MiB, large-objects (its heap reaches the limit: peak
  //   186-199 MiB against the model's 178-181; not page fragmentation: a page-heap run of its
  //   allocation pattern ends 4-5 MiB above its peak in use), bursty at 64MiB, and
  //   steady-noscan with the continuous worker.
  struct Cell {
    const char* program;
    const char* limit;        // as in the recording; "none": no limit
    double continuous_bound;  // relative error outside the real range
    double scheduled_bound;
  };
  const Cell cells[] = {
      {"near-limit", "none", 0.10, 0.10},       {"near-limit", "240MiB", -1, -1},    {"steady-noscan", "none", -1, 0.10},
      {"steady-noscan", "96MiB", -1, 0.10},     {"pointer-heavy", "none", 0.10, 0.10}, {"pointer-heavy", "96MiB", 0.10, 0.10},
      {"grow-release", "none", 0.70, 0.80},     {"grow-release", "320MiB", 0.30, 0.35}, {"bursty", "none", -1, 0.10},
      {"bursty", "64MiB", -1, -1},              {"large-objects", "none", -1, -1},   {"large-objects", "192MiB", -1, -1},
  };
  for (const Cell& c : cells) {
    const auto runs = released_runs(source_path(std::string("tests/validation/recordings/") + c.program)).at(c.limit);
    REQUIRE(runs.size() == 3);
    const double lo = *std::min_element(runs.begin(), runs.end()), hi = *std::max_element(runs.begin(), runs.end());
    const std::string lim = std::string(c.limit) == "none" ? "off" : c.limit;
    for (const char* workers : {"continuous", "scheduled"}) {
      const double sim = run_scenario(load_scenario_file(source_path(std::string("scenarios/validation/") + c.program + ".yaml"),
                                                         {"runtime.gomemlimit=" + lim, std::string("workers=") + workers}))
                             .summary.scavenged_bytes /
                         1048576;
      // Where the real runs release next to nothing, 1 MiB of slack.
      const double slack = hi < 1 ? 1 : 0;
      const double err = sim < lo - slack ? (lo - sim) / lo : (sim > hi + slack ? (sim - hi) / hi : 0);
      const double bound = std::string(workers) == "continuous" ? c.continuous_bound : c.scheduled_bound;
      MESSAGE(std::string(c.program), " ", std::string(c.limit), " ", std::string(workers), ": released real ", lo, "-",
              hi, " MiB, simulated ", sim, " MiB (", 100 * err, " % outside)");
      if (bound >= 0) CHECK(err <= bound);
    }
  }
}

TEST_CASE("the background scavenger costs grow-release more per byte than the preset's cost per call says") {
  // recordings/grow-release/scavenger_cost.tsv (record_scavenger_trace.sh): per traced run of
  // grow-release without a limit, the scavenger goroutine's time on a P over the bytes it
  // released, with transparent huge pages and without, and the counted calls. The preset
  // charges 0.040 ns a byte + 5,200 ns a call (fitted to large-objects' 64 KiB calls, tests/604);
  // at these runs' average call (190-420 KiB) that is 0.052-0.066 ns a byte, where the real
  // scavenger pays a median 0.10: the known gap that makes the model release about twice as
  // much per run here (README). Huge pages are not the cause: the medians with and without
  // them agree within 15 %. If the costs change to close the gap, this test says so.
  std::istringstream in(read_file(source_path("tests/validation/recordings/grow-release/scavenger_cost.tsv")));
  std::map<std::string, std::vector<double>> real;  // thp on/off -> ns per byte
  std::vector<double> ratio;                         // real over the preset's at the run's calls
  const CostParams costs;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("thp\t", 0) == 0) continue;
    const auto f = split_fields(line, '\t');  // thp rep on_p_ms bg_bytes ns_per_byte bytes calls
    REQUIRE(f.size() == 7);
    const double ns_per_byte = std::stod(f[2]) * 1e6 / std::stod(f[3]);
    const double preset = costs.scavenge_ns_per_byte + costs.scavenge_ns_per_call * std::stod(f[6]) / std::stod(f[5]);
    real[f[0]].push_back(ns_per_byte);
    ratio.push_back(ns_per_byte / preset);
  }
  REQUIRE(real["on"].size() >= 3);
  REQUIRE(real["off"].size() >= 3);
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  };
  const double on = median(real["on"]), off = median(real["off"]), r = median(ratio);
  MESSAGE("real ns per byte: huge pages on ", on, ", off ", off, "; real over the preset's at the same calls: ", r);
  CHECK(off == doctest::Approx(on).epsilon(0.15));
  CHECK(r >= 1.4);
  CHECK(r <= 2.2);
}

TEST_CASE("the preset's sweep cost per span is the median of the real runs' (runtime/trace recording)") {
  // tests/validation/recordings/sweep.tsv (record_sweep.sh): per run, the CPU the goroutines
  // spent in sweep stretches and the bytes of the spans they swept. Per span: 8 KiB pages (the
  // programs' small size classes have one-page spans), large-objects' spans 203,653 B on
  // average (24.9 pages). The preset is the median over the 12 program x limit settings of the
  // mean over their runs (models/costs.md): 473 ns, within 5 % of 470.
  std::istringstream in(read_file(source_path("tests/validation/recordings/sweep.tsv")));
  std::map<std::string, std::vector<double>> per_setting;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("program\t", 0) == 0) continue;
    const auto f = split_fields(line, '\t');  // program limit rep stretches sweep_ms swept_bytes ...
    REQUIRE(f.size() >= 10);
    const double pages_per_span = f[0] == "large-objects" ? 203653.0 / 8192 : 1.0;
    const double spans = std::stod(f[5]) / 8192 / pages_per_span;
    REQUIRE(spans > 0);
    per_setting[f[0] + " " + f[1]].push_back(std::stod(f[4]) * 1e6 / spans);
  }
  REQUIRE(per_setting.size() == 12);
  std::vector<double> means;
  for (const auto& [setting, v] : per_setting) {
    double sum = 0;
    for (double x : v) sum += x;
    means.push_back(sum / static_cast<double>(v.size()));
    MESSAGE(setting, ": ", means.back(), " ns per span");
  }
  std::sort(means.begin(), means.end());
  const double median = (means[5] + means[6]) / 2;
  MESSAGE("median ", median, " ns per span; preset ", CostParams().sweep_ns_per_span);
  CHECK(CostParams().sweep_ns_per_span == doctest::Approx(median).epsilon(0.05));
}

TEST_CASE("each written scenario's heap scan work per cycle is what gcpacertrace counts") {
  // tests/validation/record_pacertrace.sh PROG 100: one GOGC=100 run of each program with
  // GODEBUG=gcpacertrace=1, whose "for H+S+G B work" is the heap, stack and globals scan work
  // each cycle did. Median over the cycles after the third (start-up), against the scenario's
  // simulated cycles at GOGC=100. Within 20 %: bursty (2.2 MB, Go 1.19's 16 B per record,
  // tests/501), near-limit (10.2 MB, its growing 48 B chain), pointer-heavy (34.2 MB, the
  // tree) and steady-noscan (0.24 MB, its buffers' index). Two scenarios leave out live
  // pointerful memory their programs keep (their own bounds, on the ratio simulated / real):
  //  - grow-release, 0.06 against 0.47 MB: the 16 MiB baseline's [][]byte index, 384 KiB of
  //    slice headers. Written into the scenario, a release keeps it only if it drops the newest
  //    retained objects first (the fluid level drops every kind in proportion);
  //  - large-objects, 0.13 against 0.58 MB: its 64 KiB pointer slices live four times as long
  //    as its buffers (rings of 4, one every 4th iteration), a phase has one lifetime.
  // Tried, with both written in and drops newest-first: scan work within 15 % for all six,
  // but GC CPU within 3 points 69 -> 65: the preset's 1.33 ns per scan byte, fitted while these
  // programs' scan work was understated, charges a linear scan of pointers to pointer-free
  // buffers like pointer chasing (grow-release's GOGC=25 GC CPU 12 -> 16 % against 8-13);
  // refitted on the corrected work it is 1.05 ns/B + 34.7 ns per pointerful object (RMS 35.7 %)
  // and GC CPU 59. Not adopted until the cost model tells the two apart (README).
  struct Expect {
    const char* program;
    double lo, hi;  // bounds on simulated / real
  };
  const Expect expect[] = {{"bursty", 0.8, 1.2},        {"near-limit", 0.8, 1.2},     {"pointer-heavy", 0.8, 1.2},
                           {"steady-noscan", 0.8, 1.2}, {"grow-release", 0.08, 0.3}, {"large-objects", 0.15, 0.35}};
  for (const Expect& e : expect) check_heap_scan_work(e.program, "tests/validation/recordings/", "scenarios/validation/", e.lo, e.hi);
}

TEST_CASE("with one P the programs collect as often as the real ones (GOMAXPROCS=1 recordings)") {
  // tests/validation/record_gomaxprocs1.sh: each program at GOMAXPROCS=1, GOGC=100, no limit, 3
  // runs; scenarios/validation/gomaxprocs1/ (make.py): the written scenarios on one P, the
  // workers' phases m times as long at 1/m of the rate. With one P the pacer plans no dedicated
  // worker and a fractional one of 25 % of the only P, and no P idles. Measured: GC count within
  // 10 % of the real range for five (steady-noscan 33 against 29-32, pointer-heavy 14 against
  // 12-13, bursty 61 against 59-63, large-objects 30 against 29-30, near-limit 12 against 13),
  // grow-release 54 against 44-48 (+12.5 %, its phase-aligned low-phase cycles as with two Ps);
  // GC CPU within 3 points for four, bursty (15 % against 22-26) and near-limit (7.6 against
  // 10.9-11.5) low, as with two Ps: their real marks assist far more than the model's (README).
  // Run time is not held: the scenarios assume a phase that keeps two CPUs busy needs twice the
  // time on one, and the real programs scale less (pointer-heavy 1.9 s on one P against 1.2 on
  // two, grow-release 1.35 against 1.0): the model runs those two 65-75 % long, the others
  // 5-32 %.
  struct Bound {
    const char* program;
    double count;  ///< relative distance outside the real range
    double cpu_points;
  };
  const Bound bounds[] = {{"steady-noscan", 0.10, 3}, {"pointer-heavy", 0.10, 3}, {"grow-release", 0.15, 3},
                          {"bursty", 0.10, 11},       {"large-objects", 0.10, 3}, {"near-limit", 0.10, 4}};
  for (const Bound& b : bounds) {
    double n_lo = 1e9, n_hi = 0, cpu_lo = 1e9, cpu_hi = 0, wall_lo = 1e9;
    for (int rep = 1; rep <= 3; ++rep) {
      const std::string base =
          source_path(std::string("tests/validation/recordings/gomaxprocs1/") + b.program + "_rep" + std::to_string(rep));
      const std::string j = read_file(base + ".summary.json");
      const double n = json_number(j, "num_gc", base), cpu = 100 * json_number(j, "gc_cpu_fraction", base);
      n_lo = std::min(n_lo, n), n_hi = std::max(n_hi, n);
      cpu_lo = std::min(cpu_lo, cpu), cpu_hi = std::max(cpu_hi, cpu);
      wall_lo = std::min(wall_lo, json_number(j, "wall_ns", base) / 1e9);
      std::istringstream g(read_file(base + ".gctrace"));
      CHECK(static_cast<double>(read_gctrace(g).cycles.size()) == n);
    }
    const RunResult r =
        run_scenario(load_scenario_file(source_path(std::string("scenarios/validation/gomaxprocs1/") + b.program + ".yaml")));
    const double n = static_cast<double>(r.recorder.cycles.size()), cpu = 100 * r.summary.gc_cpu_frac;
    MESSAGE(std::string(b.program), " on one P: GC count real ", n_lo, "-", n_hi, ", simulated ", n, "; GC CPU real ", cpu_lo,
            "-", cpu_hi, " %, simulated ", cpu, " %; run ", r.summary.wall_s, " s against ", wall_lo, " s");
    CHECK(n >= (1 - b.count) * n_lo);
    CHECK(n <= (1 + b.count) * n_hi);
    CHECK(cpu >= cpu_lo - b.cpu_points);
    CHECK(cpu <= cpu_hi + b.cpu_points);
  }
}

TEST_CASE("calibrate given gcpacertrace lines fits the scannable fraction apart from the cost per scanned byte") {
  // The GOGC=100 runs recorded with gcpacertrace (record_pacertrace.sh). From gctrace alone
  // the fit is scan_fraction 1 and a cost per live byte; with each mark's scan work the
  // scenario's heap scan work per cycle is the real one. Measured: pointer-heavy 0.68 (its
  // written scenario says 0.67-0.71 from the node layout), bursty 0.064 (16 B of 256 B
  // records), steady-noscan 0.0036; their fitted scenarios' median heap scan work a cycle
  // within 20 % of gcpacertrace's, where the gctrace-only fits scan every live byte.
  struct Case {
    const char* program;
    double fraction_lo, fraction_hi;
  };
  for (const Case& c : {Case{"pointer-heavy", 0.6, 0.75}, Case{"bursty", 0.05, 0.08}, Case{"steady-noscan", 0.002, 0.006}}) {
    const std::string text = read_file(source_path(std::string("tests/validation/recordings/") + c.program + "/gogc100_pacertrace.txt"));
    std::istringstream in(text);
    const GctraceFile trace = read_gctrace(in);
    const TraceFit fit = calibrate_from_gctrace(trace, c.program, 100, -1);
    std::vector<double> real;
    for (const auto& g : trace.cycles) real.push_back(g.scan_work_bytes[0]);
    const RunResult r = run_scenario(load_scenario_text(fit.yaml, "fitted.yaml"));
    std::vector<double> sim;
    for (const auto& g : r.recorder.cycles) sim.push_back(static_cast<double>(g.heap_scan_work));
    const double real_mb = median_after3(real) / 1e6, sim_mb = median_after3(sim) / 1e6;
    MESSAGE(std::string(c.program), ": scan_fraction ", fit.scan_fraction, " from ", fit.scan_work_cycles,
            " cycles, marking ", fit.mark_ns_per_byte, " ns a byte of scan work; heap scan work a cycle real ", real_mb,
            " MB, fitted scenario ", sim_mb, " MB");
    CHECK(fit.scan_work_cycles == static_cast<int>(trace.cycles.size()));
    CHECK(fit.scan_fraction >= c.fraction_lo);
    CHECK(fit.scan_fraction <= c.fraction_hi);
    CHECK(fit.yaml.find("# gcpacertrace gives each mark's scan work") != std::string::npos);
    CHECK(sim_mb / real_mb >= 0.8);
    CHECK(sim_mb / real_mb <= 1.2);
    // The same run's gctrace lines alone: scan_fraction 1, as before.
    std::istringstream only(text);
    GctraceFile plain = read_gctrace(only);
    for (auto& g : plain.cycles) g.scan_work_bytes[0] = g.scan_work_bytes[1] = g.scan_work_bytes[2] = -1;
    CHECK(calibrate_from_gctrace(plain, c.program, 100, -1).scan_fraction == 1);
  }
}

TEST_CASE("the preset's mark-cost fit holds every cost at 0 or above") {
  // models/costs.md: 90 runs (six programs x GOGC 25-400 x 3), mark CPU per cycle against the
  // simulated scan bytes, pointerful objects, objects and cycles. Unconstrained, the fit gives
  // the cost per object -1.1 ns since bursty's records count Go 1.19's 16 B of scan work each
  // (tests/501): a term fitted below 0 is held at 0 and the rest refitted. Measured: 2.00
  // ns/scan byte, 16.4 ns/pointerful object, 0, 224 us, RMS 32.1 % (33.1 % for the preset's
  // own values).
  const CostFit f = fit_costs(GOGCSIM_SOURCE_DIR);
  MESSAGE(f.scan_ns_per_byte, " ns/scan byte, ", f.scan_ns_per_object, " ns/pointerful object, ", f.mark_ns_per_object,
          " ns/object, ", f.mark_fixed_ns / 1e3, " us; RMS ", f.rms_relative_error);
  CHECK(f.points == 90);
  CHECK(f.scan_ns_per_byte > 0);
  CHECK(f.scan_ns_per_object > 0);
  CHECK(f.mark_ns_per_object == 0);
  CHECK(f.mark_fixed_ns > 0);
  CHECK(f.rms_relative_error <= 0.33);
}

TEST_CASE("calibrate recovers a known allocation rate and live heap from a simulated gctrace") {
  // A run with a known workload: 300 MiB/s over a 100 MiB live heap for 20 s.
  const char* yaml = R"(
name: known
runtime: {gomaxprocs: 4, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 2
  phases:
    - {duration: 1s, alloc_rate: 300MiB/s, sizes: {fixed: 64B}, lifetime: {exponential: {mean: 1ms}},
       retained: {to: 100MiB, over: 1s}}
    - {duration: 19s, alloc_rate: 300MiB/s, sizes: {fixed: 64B}, lifetime: {exponential: {mean: 1ms}}}
)";
  RunResult r = run_scenario(load_scenario_text(yaml, "known.yaml"));
  std::istringstream in(render_outputs(r)[3].second);
  TraceFit fit = calibrate_from_gctrace(read_gctrace(in), "known.gctrace", 100, -1);
  MESSAGE(fit.yaml);
  // The fitted scenario must load, and run to about the same GC count.
  RunResult again = run_scenario(load_scenario_text(fit.yaml, "fitted.yaml"));
  const double n0 = static_cast<double>(r.recorder.cycles.size());
  const double n1 = static_cast<double>(again.recorder.cycles.size());
  MESSAGE("cycles: original ", n0, ", from the fitted scenario ", n1);
  CHECK(std::fabs(n1 - n0) / n0 <= 0.10);
  CHECK(fit.alloc_rate_rms_rel <= 0.05);
  // One rate and a live heap that settles: the steady cycles join into a few phases (18 of 70
  // today; one per cycle would be 70, and an hour of such a service thousands).
  CHECK(fit.cycles == 70);
  CHECK(fit.phases <= 20);
  // The last phase's allocation rate and live heap (MiB/s, MiB) as written in the YAML.
  const auto rate_at = fit.yaml.rfind("alloc_rate: ");
  const double rate = std::stod(fit.yaml.substr(rate_at + 12));
  const auto live_at = fit.yaml.rfind("retained: {to: ");
  const double live = std::stod(fit.yaml.substr(live_at + 15));
  CHECK(rate == doctest::Approx(300).epsilon(0.10));
  CHECK(live == doctest::Approx(100).epsilon(0.10));
  // What calibrate reports about the program: 300 MiB/s over the run, a live heap that ends at
  // 100 MiB, 2 of 4 CPUs (the run's idle Ps mark, so the workers ran on Ps it did not want).
  MESSAGE("alloc ", fit.alloc_mib_per_s, " MiB/s, live ", fit.live_min_mib, "-", fit.live_max_mib, " MiB, mutator CPUs ",
          fit.mutator_cpus);
  CHECK(fit.alloc_mib_per_s == doctest::Approx(300).epsilon(0.10));
  CHECK(fit.live_max_mib == doctest::Approx(100).epsilon(0.10));
  CHECK(fit.mutator_cpus == doctest::Approx(2).epsilon(0.10));
}

TEST_CASE("calibrate fits a start-up on one goroutine of a 4-P program on one CPU, and the rest on four") {
  // A known program: 0.3 s on one goroutine building a 200 MiB live heap (the other three Ps
  // idle: the GC marks on them, idle-priority workers included), 0.3 s on four goroutines
  // growing it as fast (an interval calibrate would join to the start-up's but for the CPUs),
  // then 10 s of churn on four.
  const char* yaml = R"(
name: known-start-up
runtime: {gomaxprocs: 4, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 4
  phases:
    - {duration: 300ms, mutator_cpus: 1, alloc_rate: 800MiB/s, sizes: {fixed: 64B}, lifetime: {fixed: 1us},
       retained: {to: 200MiB}}
    - {duration: 300ms, alloc_rate: 800MiB/s, sizes: {fixed: 64B}, lifetime: {fixed: 1us}, retained: {to: 400MiB}}
    - {duration: 10s, alloc_rate: 1200MiB/s, sizes: {fixed: 64B}, lifetime: {exponential: {mean: 1ms}}}
)";
  const RunResult r = run_scenario(load_scenario_text(yaml, "known.yaml"));
  std::istringstream in(render_outputs(r)[3].second);
  const TraceFit fit = calibrate_from_gctrace(read_gctrace(in), "known.gctrace", 100, -1);
  MESSAGE(fit.yaml);
  // Over the run the program kept every P busy: 4 CPUs. The start-up's marks show idle marking,
  // and the estimate there, 4 - (worker + idle CPU) / mark wall, rounds down to 1.
  CHECK(fit.mutator_cpus == doctest::Approx(4));
  CHECK(fit.start_up_s > 0);
  CHECK(fit.start_up_s <= 0.3 * 1.05);
  // Every phase written with its own CPUs is one CPU, they are the first ones, and they last
  // the start-up (no interval on four CPUs joined into them).
  std::istringstream phases(fit.yaml);
  std::string line;
  bool in_start_up = true;
  int one_cpu = 0;
  double duration_s = 0, one_cpu_s = 0;
  while (std::getline(phases, line)) {
    if (const auto at = line.find("- {duration: "); at != std::string::npos) {  // each phase's first line
      const std::string d = line.substr(at + 13, line.find(',', at) - at - 13);
      const double unit = d.ends_with("ms") ? 1e-3 : d.ends_with("us") ? 1e-6 : d.ends_with("ns") ? 1e-9 : 1;
      duration_s = std::stod(d) * unit;
    }
    if (line.find("lifetime: {") == std::string::npos) continue;  // its second line
    const bool own = line.find("mutator_cpus: ") != std::string::npos;
    if (own) CHECK(line.find("mutator_cpus: 1") != std::string::npos);
    CHECK((own ? in_start_up : true));
    in_start_up = in_start_up && own;
    one_cpu += own;
    if (own) one_cpu_s += duration_s;
  }
  CHECK(one_cpu >= 1);
  CHECK(one_cpu_s == doctest::Approx(fit.start_up_s).epsilon(1e-6));
}

TEST_CASE("calibrate refuses a trace whose cycles span no time") {
  // Three cycles all at @0.000s with zero clocks: no interval to allocate in, so no phase.
  std::istringstream in(
      "gc 1 @0.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
      "gc 2 @0.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
      "gc 3 @0.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n");
  CHECK_THROWS_AS(calibrate_from_gctrace(read_gctrace(in), "zero.gctrace", 100, -1), InputError);
}

TEST_CASE("calibrate takes the stacks and globals gctrace prints into the scenario") {
  // gctrace's "12 MB stacks" is the stack space goroutines hold (maxStackScan): 12 MiB of 8 KiB
  // stacks = 1536 goroutines; "3 MB globals" the scannable globals. Both count in the GOGC goal
  // (1.18+: marked + (marked + stacks + globals) x GOGC/100 = 40 + 55 = 95 here).
  std::istringstream in(
      "gc 1 @0.010s 2%: 0.05+1.0+0.05 ms clock, 0.1+0.1/0.5/0+0.1 ms cpu, 4->5->4 MB, 4 MB goal, 12 MB stacks, 3 MB globals, 2 P\n"
      "gc 2 @0.050s 2%: 0.05+2.0+0.05 ms clock, 0.1+0.1/1.0/0+0.1 ms cpu, 19->20->20 MB, 23 MB goal, 12 MB stacks, 3 MB globals, 2 P\n"
      "gc 3 @0.150s 2%: 0.05+3.0+0.05 ms clock, 0.1+0.2/1.5/0+0.1 ms cpu, 54->56->40 MB, 55 MB goal, 12 MB stacks, 3 MB globals, 2 P\n"
      "gc 4 @0.300s 2%: 0.05+3.0+0.05 ms clock, 0.1+0.2/1.5/0+0.1 ms cpu, 92->94->40 MB, 95 MB goal, 12 MB stacks, 3 MB globals, 2 P\n");
  TraceFit fit = calibrate_from_gctrace(read_gctrace(in), "stacks.gctrace", 100, -1);
  MESSAGE(fit.yaml);
  CHECK(fit.yaml.find("memory: {goroutines: 1536, stack_size: 8KiB, stack_scanned: 2KiB, globals: 3MiB, other: 1MiB}") !=
        std::string::npos);
  RunResult r = run_scenario(load_scenario_text(fit.yaml, "fitted.yaml"));
  CHECK(!r.recorder.cycles.empty());
}
