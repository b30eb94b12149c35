#include "models/registry.hpp"

#include <stdexcept>

#include "models/pacer/go119.hpp"
#include "models/workload/pacer_streams.hpp"
#include "models/scenario.hpp"

namespace gogcsim {

const WorkloadRegistry& workload_registry() {
  static const WorkloadRegistry r = [] {
    WorkloadRegistry w;
    w.add<SyntheticWorkload, SyntheticParams>("synthetic", "YAML phases of allocation rate, sizes, lifetimes and retained heap");
    w.add<PacerStreamsWorkload, PacerStreamsParams>("pacer-streams", "per-cycle inputs of Go's pacer test harness (cycle level)");
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
  static const std::vector<std::string> v{"1.19"};
  return v;
}

std::unique_ptr<Pacer> make_pacer(const std::string& go_version) {
  if (go_version == "1.19") return std::make_unique<Go119Pacer>();
  throw std::invalid_argument("no pacer model for Go " + go_version);
}

void describe_models(std::ostream& out) {
  out << "scenario keys (YAML; --set key.path=value):\n";
  {
    Scenario s;
    ConfigDescriber d(out, "");
    s.visit(d);
  }
  out << "\npacers (chosen by the scenario's go:):\n";
  for (const auto& v : pacer_versions()) out << "  go: \"" << v << "\" — " << make_pacer(v)->go_version() << " gcControllerState\n";
  out << "\nworkloads (workload.kind):\n";
  workload_registry().describe(out, "workload");
  out << "\npolicies (policy.kind):\n";
  policy_registry().describe(out, "policy");
}

}  // namespace gogcsim
