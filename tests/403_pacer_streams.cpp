// The pacer-streams workload: the harness's stream combinators and the inputs CSV.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "models/workload/pacer_streams.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;

namespace {
std::vector<double> take(const char* yaml, int n) {
  YAML::Node node = YAML::Load(yaml);
  ConfigSource src;
  src.file = "s.yaml";
  StreamExpr e;
  e.read(node, "x", src);
  auto s = e.instantiate();
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(s->next());
  return v;
}

std::string stream_error(const char* yaml) {
  try {
    take(yaml, 1);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("stream combinators behave as the harness's closures") {
  CHECK(take("{ramp: {height: 10, length: 4}}", 6) == std::vector<double>{0, 2.5, 5, 7.5, 10, 10});
  CHECK(take("{unit: 3}", 3) == std::vector<double>{3, 0, 0});
  CHECK(take("{delay: {by: 2, of: {ramp: {height: 6, length: 1}}}}", 4) == std::vector<double>{0, 0, 0, 6});
  CHECK(take("{sum: [{constant: 2}, {ramp: {height: -1, length: 2}}]}", 4) == std::vector<double>{2, 1.5, 1, 1});
  CHECK(take("{step: {at: 2, to: 5}}", 4) == std::vector<double>{0, 0, 5, 5});
  CHECK(take("{offset: {by: 1, of: {scale: {by: 2, of: {constant: 3}}}}}", 1) == std::vector<double>{7});
  CHECK(take("{limit: {min: 0, max: 1, of: {constant: 1.5}}}", 1) == std::vector<double>{1});
  CHECK(take("{quantize: {by: 2048, of: {constant: 5000}}}", 1) == std::vector<double>{4096});
  CHECK(take("{quantize: {by: 2048, of: {constant: -5000}}}", 1) == std::vector<double>{-4096});
  auto osc = take("{oscillate: {amp: 2, period: 4}}", 5);
  CHECK(osc[0] == 0);
  CHECK(osc[1] == doctest::Approx(2));
  CHECK(osc[4] == 0);  // wraps at the period
  auto r = take("{random: {amp: 1, seed: 7}}", 1000);
  for (double x : r) CHECK((x >= -1 && x < 1));
  CHECK(take("{random: {amp: 1, seed: 7}}", 3) == take("{random: {amp: 1, seed: 7}}", 3));
}

TEST_CASE("bad streams name their key path and line") {
  CHECK(stream_error("{gaussian: 3}") == "s.yaml:1: x.gaussian: unknown stream 'gaussian'");
  CHECK(stream_error("{ramp: {height: 3}}") == "s.yaml:1: x.ramp.length: is required");
  CHECK(stream_error("{ramp: {height: 3, length: 0}}") == "s.yaml:1: x.ramp.length: must be at least 1");
  CHECK(stream_error("{ramp: {height: 3, length: 2, slope: 1}}") ==
        "s.yaml:1: x.ramp.slope: unknown key (known here: height, length)");
  CHECK(stream_error("{constant: lots}") == "s.yaml:1: x.constant: expected a number, got 'lots'");
}

TEST_CASE("an inputs CSV is checked strictly: header, numbering, values") {
  auto dir = temp_dir("inputs");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::string header =
      "cycle,gcPercent,memoryLimit,nCores,allocRate,scanRate,growthRate,scannableFrac,stackBytes,globalsBytes\n";
  auto good = write("good.csv", header + "1,100,9223372036854775807,8,33,1024,2,1,8192,32768\n"
                                         "2,-1,536870912,4,33.5,1024,1.5,0.5,8192,32768\n");
  auto rows = read_cycle_inputs_csv(good);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].gc_percent == -1);
  CHECK(rows[1].memory_limit == 536870912);
  CHECK(rows[1].n_cores == 4);
  CHECK(rows[1].alloc_rate == 33.5);
  auto error = [&](const std::string& file) {
    try {
      read_cycle_inputs_csv(file);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto bad_header = write("h.csv", "cycle,gogc\n1,100\n");
  CHECK(error(bad_header).find(bad_header + ":1: expected the header") == 0);
  auto bad_value = write("v.csv", header + "1,100,9223372036854775807,8,fast,1024,2,1,8192,32768\n");
  CHECK(error(bad_value) == bad_value + ":2: column allocRate: bad value 'fast'");
  auto bad_cycle = write("c.csv", header + "2,100,9223372036854775807,8,33,1024,2,1,8192,32768\n");
  CHECK(error(bad_cycle) == bad_cycle + ":2: column cycle: expected 1, got 2");
  auto short_row = write("s.csv", header + "1,100,9223372036854775807,8,33\n");
  CHECK(error(short_row) == short_row + ":2: expected 10 columns, found 5");

  // GOGC and the limit may change between cycles: the cycle level applies them.
  std::ofstream(dir / "sc.yaml") << "name: changes\nfidelity: cycle\nworkload: {kind: pacer-streams, inputs: good.csv}\n";
  RunResult r = run_scenario(load_scenario_file((dir / "sc.yaml").string()));
  REQUIRE(r.recorder.cycles.size() == 2);
  CHECK(r.recorder.cycles[1].gc_percent == -1);
  CHECK(r.recorder.cycles[1].memory_limit == 536870912);
  CHECK(r.recorder.cycles[1].procs == 4);
  std::filesystem::remove_all(dir);
}

TEST_CASE("pacer-streams takes inputs or streams, and only at the cycle level") {
  auto err = [](const std::string& yaml) {
    try {
      load_scenario_text(yaml, "p.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("fidelity: cycle\nworkload: {kind: pacer-streams, growth_rate: {constant: 1}}\n") ==
        "p.yaml:2: workload.alloc_rate: is required (or give inputs: FILE.csv)");
  CHECK(err("workload: {kind: pacer-streams, alloc_rate: {constant: 1}, growth_rate: {constant: 1}}\n") ==
        "p.yaml:1: workload.kind: kind 'pacer-streams' cannot run at fidelity fluid");
}

TEST_CASE("cycle-level cycles.csv has the columns the pacer parity data uses") {
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/pacer/steady.yaml")));
  std::string csv = render_outputs(r)[0].second;
  for (const char* col : {"cycle", "heap_marked_prev", "heap_trigger", "heap_goal", "heap_peak", "heap_marked",
                          "gc_utilization", "assist_utilization", "cons_mark", "runway"}) {
    CAPTURE(col);
    std::string name(col);
    name += ',';
    const bool present = csv.find(std::string(",") += name) != std::string::npos ||
                         csv.find(std::string("\n") += name) != std::string::npos;
    CHECK(present);
  }
}
