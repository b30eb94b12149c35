// Reading gctrace: Go 1.19 lines, Go <= 1.17 lines, forced cycles, non-gctrace lines; the
// simulated gctrace read back; `explain` naming the goal's bound.
#include <doctest/doctest.h>

#include <sstream>

#include "analysis/gctrace.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;

TEST_CASE("gctrace lines of every format parse into their fields") {
  auto g = parse_gctrace_line(
      "gc 3 @0.005s 7%: 0.033+0.43+0.052 ms clock, 0.067+0/0.21/0.078+0.10 ms cpu, 15->15->15 MB, 16 MB goal, 0 MB "
      "stacks, 0 MB globals, 2 P");
  REQUIRE(g);
  CHECK(g->cycle == 3);
  CHECK(g->t_s == 0.005);
  CHECK(g->gc_cpu_pct == 7);
  CHECK(g->clock_ms[1] == 0.43);
  CHECK(g->cpu_ms[3] == 0.078);
  CHECK(g->heap_marked_mb == 15);
  CHECK(g->goal_mb == 16);
  CHECK(g->stacks_mb == 0);
  CHECK(g->procs == 2);
  CHECK_FALSE(g->forced);
  // Go <= 1.17: no stacks/globals; a forced cycle.
  auto old = parse_gctrace_line("gc 12 @1.5s 2%: 0.01+1.2+0.02 ms clock, 0.04+0.5/1.1/2.0+0.08 ms cpu, 40->41->20 MB, 42 MB goal, 4 P (forced)");
  REQUIRE(old);
  CHECK(old->stacks_mb == -1);
  CHECK(old->procs == 4);
  CHECK(old->forced);
  CHECK_FALSE(parse_gctrace_line("scav 0 KiB work, 0 KiB total, 97% util"));
  CHECK_FALSE(parse_gctrace_line("gc 1 @0.1s 1%: garbage"));
  CHECK_FALSE(parse_gctrace_line("gc 1 @0.001s 8%: 0.071+0.37+0.002 ms clock, 0.14+0.084/0.079/0.067+0.005 ms cpu, "
                                 "3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P trailing"));
}

TEST_CASE("simulated gctrace reads back to the cycle records it was written from") {
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/steady-web.yaml")));
  std::istringstream in(render_outputs(r)[3].second);
  GctraceFile f = read_gctrace(in);
  REQUIRE(f.cycles.size() == r.recorder.cycles.size());
  CHECK(f.skipped_lines == 2);  // the two '#' echo lines
  for (std::size_t i = 0; i < f.cycles.size(); ++i) {
    const auto& c = r.recorder.cycles[i];
    CHECK(f.cycles[i].cycle == c.cycle);
    CHECK(f.cycles[i].heap_marked_mb == static_cast<long>(c.heap_marked >> 20));
    CHECK(f.cycles[i].goal_mb == static_cast<long>(c.heap_goal >> 20));
  }
}

TEST_CASE("explain names the memory limit when the goal collapses to the marked heap") {
  std::istringstream in(read_file(source_path("tests/validation/recordings/near-limit/gogc100_lim200MiB_rep1.gctrace")));
  GctraceFile f = read_gctrace(in);
  REQUIRE(f.cycles.size() > 50);
  std::ostringstream out;
  explain_gctrace(out, f, 100);
  const std::string s = out.str();
  CHECK(s.find("memory limit, collapsed to the marked heap: back-to-back GC") != std::string::npos);
  CHECK(s.find("(GOGC; GOGC goal") != std::string::npos);
  std::istringstream in2(read_file(source_path("tests/validation/recordings/steady-noscan/gogc200_limnone_rep1.gctrace")));
  std::ostringstream out2;
  explain_gctrace(out2, read_gctrace(in2), -2);
  CHECK(out2.str().find("# GOGC inferred from the goals: 200") == 0);
}
