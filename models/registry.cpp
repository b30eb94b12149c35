#include "models/registry.hpp"

#include <stdexcept>

#include <algorithm>

#include "models/pacer/go118.hpp"
#include "models/pacer/go119.hpp"
#include "models/pacer/go120.hpp"
#include "models/pacer/go15.hpp"
#include "models/workload/pacer_streams.hpp"
#include "models/workload/graph.hpp"
#include "models/workload/trace.hpp"
#include "models/scenario.hpp"

namespace gogcsim {

const WorkloadRegistry& workload_registry() {
  static const WorkloadRegistry r = [] {
    WorkloadRegistry w;
    w.add<SyntheticWorkload, SyntheticParams>("synthetic", "YAML phases of allocation rate, sizes, lifetimes and retained heap");
    w.add<PacerStreamsWorkload, PacerStreamsParams>("pacer-streams", "per-cycle inputs of Go's pacer test harness (cycle level)");
    w.add<TraceWorkload, TraceParams>("trace", "a recorded allocation trace (object level)");
    w.add<GraphWorkload, GraphParams>("graph", "lists, trees, maps, LRU caches and request graphs written in YAML (object level)");
    return w;
  }();
  return r;
}

const PolicyRegistry& policy_registry() {
  static const PolicyRegistry r = [] {
    PolicyRegistry p;
    p.add<StaticPolicy, StaticPolicyParams>("static", "GOGC and GOMEMLIMIT stay as set");
    return p;
  }();
  return r;
}

const std::vector<std::string>& pacer_versions() {
  // Every Go version a scenario may name; each maps to the pacer model that reproduces it.
  static const std::vector<std::string> v{"1.5",  "1.6",  "1.7",  "1.8",  "1.9",  "1.10", "1.11", "1.12",
                                          "1.13", "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20",
                                          "1.21", "1.22", "1.23", "1.24", "1.25", "1.26"};
  return v;
}

std::unique_ptr<Pacer> make_pacer(const std::string& go_version) {
  const auto& v = pacer_versions();
  auto it = std::find(v.begin(), v.end(), go_version);
  if (it == v.end()) throw std::invalid_argument("no pacer model for Go " + go_version);
  const auto index = it - v.begin();
  const auto at = [&v](const char* name) { return std::find(v.begin(), v.end(), name) - v.begin(); };
  if (index < at("1.18")) return std::make_unique<Go15Pacer>();  // the old trigger-ratio pacer
  if (index == at("1.18")) return std::make_unique<Go118Pacer>();
  if (index == at("1.19")) return std::make_unique<Go119Pacer>();
  if (index == at("1.20")) return std::make_unique<Go120Pacer>();
  return std::make_unique<Go121Pacer>();  // 1.21's pacer math is unchanged through 1.25 (1.26: unverified)
}

void describe_models(std::ostream& out) {
  out << "scenario keys (YAML; --set key.path=value):\n";
  {
    Scenario s;
    ConfigDescriber d(out, "");
    s.visit(d);
  }
  out << "\npacers (chosen by the scenario's go:):\n";
  for (const auto& v : pacer_versions()) out << "  go: \"" << v << "\" -> the Go " << make_pacer(v)->go_version() << " pacer\n";
  out << "\nworkloads (workload.kind):\n";
  workload_registry().describe(out, "workload");
  out << "\npolicies (policy.kind):\n";
  policy_registry().describe(out, "policy");
}

}  // namespace gogcsim
