// Every bad-input case of the strict loader: a one-line error naming file, line and key.
#include <doctest/doctest.h>

#include <string>

#include "models/scenario.hpp"

using namespace gogcsim;

namespace {

const char* kGood = R"(name: t
seed: 5
runtime: {gomaxprocs: 4, gogc: 100}
workload:
  kind: synthetic
  mutator_cpus: 2
  phases:
    - duration: 1s
      alloc_rate: 100MiB/s
      sizes: {fixed: 64B}
      lifetime: {exponential: {mean: 1ms}}
)";

std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  try {
    load_scenario_text(yaml, "s.yaml", sets);
  } catch (const InputError& e) {
    std::string msg = e.what();
    CHECK(msg.find('\n') == std::string::npos);  // one line
    return msg;
  }
  return "";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a good scenario loads, with defaults filled in") {
  Scenario s = load_scenario_text(kGood, "s.yaml");
  CHECK(s.runtime.gomaxprocs == 4);
  CHECK(s.runtime.gomemlimit == kNoLimit);
  CHECK(s.memory.stack_size_bytes == 8192);
  CHECK(s.workload.choice.kind == "synthetic");
  CHECK(s.policy.choice.kind == "static");
  CHECK(s.costs.scan_ns_per_byte > 0);  // the preset applies without a costs: block
}

TEST_CASE("an unknown key names file, line and key path") {
  CHECK(error_of(replace(kGood, "seed: 5", "seed: 5\ncolour: blue")) ==
        "s.yaml:3: colour: unknown key (known here: compare, costs, fidelity, go, memory, name, output, policy, "
        "runtime, seed, workers, workload)");
  CHECK(error_of(replace(kGood, "seed: 5", "seed: 5\nworkers: sometimes")) ==
        "s.yaml:3: workers: unknown value 'sometimes' (one of: continuous, scheduled)");
  CHECK(error_of(replace(kGood, "seed: 5", "seed: 5\nfidelity: object\nworkers: scheduled")) ==
        "s.yaml:4: workers: scheduled workers are a fluid-level model (fidelity: object)");
  CHECK(error_of(replace(kGood, "sizes: {fixed: 64B}", "sizes: {fixed: 64B}\n      lifetim: 1s")) ==
        "s.yaml:11: workload.phases[0].lifetim: unknown key (known here: alloc_rate, duration, lifetime, mark_speed, mutator_cpus, "
        "pointer_fraction, rate_noise, retained, scan_fraction, sizes)");
}

TEST_CASE("a wrong unit is an error, not a silent conversion") {
  CHECK(error_of(replace(kGood, "100MiB/s", "100MB/s")) ==
        "s.yaml:9: workload.phases[0].alloc_rate: unknown rate unit 'MB' in '100MB/s' (use B, KiB, MiB, GiB or TiB)");
  CHECK(error_of(replace(kGood, "duration: 1s", "duration: 1")) ==
        "s.yaml:8: workload.phases[0].duration: duration '1' needs a unit (ns, us, ms, s, m or h)");
}

TEST_CASE("a wrong type is an error") {
  CHECK(error_of(replace(kGood, "gomaxprocs: 4", "gomaxprocs: four")) ==
        "s.yaml:3: runtime.gomaxprocs: expected a whole number, got 'four'");
  CHECK(error_of(replace(kGood, "gogc: 100", "gogc: [1, 2]")) ==
        "s.yaml:3: runtime.gogc: expected a single value (percent|off)");
  CHECK(error_of(replace(kGood, "gogc: 100", "gogc: -5")) ==
        "s.yaml:3: runtime.gogc: expected a GOGC percent (a whole number >= 0) or off, got '-5'");
}

TEST_CASE("negative sizes and out-of-range values are errors") {
  CHECK(error_of(replace(kGood, "runtime: {", "memory: {globals: -2MiB}\nruntime: {")) ==
        "s.yaml:3: memory.globals: negative size '-2MiB'");
  CHECK(error_of(replace(kGood, "gomaxprocs: 4", "gomaxprocs: 0")) ==
        "s.yaml:3: runtime.gomaxprocs: out of range: 0 (allowed 1 .. 1024)");
  CHECK(error_of(replace(kGood, "alloc_rate: 100MiB/s", "alloc_rate: 100MiB/s\n      scan_fraction: 1.5")) ==
        "s.yaml:10: workload.phases[0].scan_fraction: out of range: 1.5 (allowed 0 .. 1)");
  CHECK(error_of(replace(kGood, "mutator_cpus: 2", "mutator_cpus: 8")) ==
        "s.yaml:6: workload.mutator_cpus: is more than runtime.gomaxprocs (4)");
  CHECK(error_of(replace(kGood, "alloc_rate: 100MiB/s", "alloc_rate: 100MiB/s\n      mutator_cpus: 2.5")) ==
        "s.yaml:10: workload.phases[0].mutator_cpus: is more than workload.mutator_cpus (2), the most the program keeps busy");
  CHECK(error_of(replace(kGood, "mutator_cpus: 2", "mutator_cpus: 2\n  mark_speed: 1.5")) ==
        "s.yaml:7: workload.mark_speed: out of range: 1.5 (allowed 0.05 .. 1)");
  // A bound on one side only says so (it printed "allowed 1 .. 1.797693135e+308"), and sizes
  // and durations are in their units (a sample interval printed "allowed 1000 .. 1.125899907e+15").
  CHECK(error_of(replace(kGood, "fixed: 64B", "fixed: 0B")) ==
        "s.yaml:10: workload.phases[0].sizes.fixed: out of range: 0B (allowed: at least 1B)");
  CHECK(error_of(kGood, {"output.sample_interval=0s"}) ==
        "s.yaml: --set output.sample_interval: out of range: 0s (allowed 1us .. 312.75h)");
}

TEST_CASE("huge numbers are rejected") {
  CHECK(error_of(replace(kGood, "100MiB/s", "99999999999TiB/s")) ==
        "s.yaml:9: workload.phases[0].alloc_rate: rate '99999999999TiB/s' is too large");
  CHECK(error_of(replace(kGood, "gomaxprocs: 4", "gomaxprocs: 99999999999999999999999")) ==
        "s.yaml:3: runtime.gomaxprocs: expected a whole number, got '99999999999999999999999'");
}

TEST_CASE("a missing required field names its parent's line") {
  CHECK(error_of(replace(kGood, "      alloc_rate: 100MiB/s\n", "")) ==
        "s.yaml:8: workload.phases[0].alloc_rate: is required");
  CHECK(error_of("name: x\n") == "s.yaml:1: workload: is required");
}

TEST_CASE("YAML syntax errors, duplicate keys and impossible workloads are reported") {
  CHECK(error_of("name: [unclosed\n") .find("s.yaml:2: YAML syntax error") == 0);
  CHECK(error_of(replace(kGood, "seed: 5", "seed: 5\nseed: 6")) == "s.yaml:3: seed: duplicate key");
  CHECK(error_of(replace(kGood, "lifetime: {exponential: {mean: 1ms}}",
                         "lifetime: {exponential: {mean: 1ms}}\n      retained: {to: 1GiB, over: 1s}")) ==
        "s.yaml:12: workload.phases[0].retained.to: growing the retained heap to 1GiB needs 1GiB/s, more than "
        "alloc_rate 100MiB/s");
  // A growth that keeps more pointerful bytes than the whole phase allocates.
  CHECK(error_of(replace(kGood, "lifetime: {exponential: {mean: 1ms}}",
                         "lifetime: {exponential: {mean: 1ms}}\n      retained: {to: 60MiB, over: 1s, pointer_fraction: 1}")) ==
        "s.yaml:12: workload.phases[0].retained.pointer_fraction: the growth alone would hold more pointerful bytes than "
        "the phase's pointer_fraction of all it allocates");
  // Churn: replaced objects need a size (their spans are what they fragment) and a rate the
  // phase can allocate.
  CHECK(error_of(replace(kGood, "lifetime: {exponential: {mean: 1ms}}",
                         "lifetime: {exponential: {mean: 1ms}}\n      retained: {to: 10MiB, over: 1s, churn: 10MiB/s}")) ==
        "s.yaml:12: workload.phases[0].retained.churn: needs object_size: the size of the replaced objects");
  CHECK(error_of(replace(kGood, "lifetime: {exponential: {mean: 1ms}}",
                         "lifetime: {exponential: {mean: 1ms}}\n      retained: {to: 10MiB, over: 1s, churn: 1GiB/s, object_size: 24B}")) ==
        "s.yaml:12: workload.phases[0].retained.churn: replacing 1GiB/s needs more than alloc_rate 100MiB/s");
  CHECK(error_of(replace(kGood, "{fixed: 64B}", "{gaussian: 64B}")) ==
        "s.yaml:10: workload.phases[0].sizes: unknown kind 'gaussian' (known: fixed, lognormal, uniform, mix)");
}

TEST_CASE("--set overrides any field and is checked the same way") {
  Scenario s = load_scenario_text(kGood, "s.yaml", {"runtime.gogc=off", "workload.phases.0.alloc_rate=1GiB/s",
                                                    "memory.container_limit=2GiB"});
  CHECK(s.runtime.gogc == -1);
  CHECK(s.memory.container_limit_bytes == 2LL << 30);
  CHECK(error_of(kGood, {"runtime.gogc=lots"}) ==
        "s.yaml: --set runtime.gogc: expected a GOGC percent (a whole number >= 0) or off, got 'lots'");
  CHECK(error_of(kGood, {"runtime.gcpercent=50"}).find("s.yaml: --set runtime.gcpercent: unknown key") == 0);
  CHECK(error_of(kGood, {"workload.phases.3.duration=1s"}) ==
        "s.yaml: --set workload.phases.3.duration: 'workload.phases' has no entry 3");
  CHECK(error_of(kGood, {"nonsense"}) == "s.yaml: --set 'nonsense': expected key.path=value");
  // The form errors print, phases[0], names a list entry as phases.0 does (it used to add a
  // key "phases[0]" and fail as unknown).
  CHECK(load_scenario_text(kGood, "s.yaml", {"workload.phases[0].alloc_rate=2GiB/s"}).resolved_yaml() ==
        load_scenario_text(kGood, "s.yaml", {"workload.phases.0.alloc_rate=2GiB/s"}).resolved_yaml());
  CHECK(load_scenario_text(kGood, "s.yaml", {"workload.phases[0].alloc_rate=2GiB/s"}).resolved_yaml().find("alloc_rate: 2GiB/s") !=
        std::string::npos);
  CHECK(error_of(kGood, {"workload.phases[0].duration=-1s"}) == "s.yaml: --set workload.phases[0].duration: negative duration '-1s'");
  CHECK(error_of(kGood, {"workload.phases[3].duration=1s"}) ==
        "s.yaml: --set workload.phases[3].duration: 'workload.phases' has no entry 3");
  for (const char* bad : {"workload.phases[0.duration=1s", "workload.phases[0]x=1", "workload.phases[].duration=1s", "runtime.=1"}) {
    CAPTURE(bad);
    CHECK(error_of(kGood, {bad}).find("an empty or malformed key in the path (use a.b, or a.list[0].b)") != std::string::npos);
  }
}

TEST_CASE("the resolved scenario echoes every default and loads back to the same scenario") {
  Scenario s = load_scenario_text(kGood, "s.yaml");
  std::string echo = s.resolved_yaml();
  CHECK(echo.find("stack_size: 8KiB") != std::string::npos);
  CHECK(echo.find("gomemlimit: off") != std::string::npos);
  Scenario again = load_scenario_text(echo, "echo.yaml");
  CHECK(again.resolved_yaml() == echo);
}
