#include "models/scenario.hpp"

#include "models/workload/trace.hpp"
#include "sim/units.hpp"

namespace gogcsim {

namespace {

Scenario read(YAML::Node root, ConfigSource& source) {
  Scenario s;
  ConfigReader r(root, source, "");
  s.visit(r);
  r.finish();
  if (!s.policy.choice) {  // `policy:` omitted: static
    YAML::Node n(YAML::NodeType::Map);
    n["kind"] = "static";
    ConfigReader pr(n, source, "policy");
    s.policy.visit(pr);
  }
  // Cross-section checks.
  if (s.workers == "scheduled" && s.fidelity != "fluid") {
    source.fail("workers", "scheduled workers are a fluid-level model (fidelity: " + s.fidelity + ")");
  }
  auto w = s.workload.choice.make(workload_context(s));
  if (s.fidelity == "fluid" && !w->fluid()) {
    source.fail("workload.kind", "kind '" + s.workload.choice.kind + "' cannot run at fidelity fluid");
  }
  if (s.fidelity == "object" && !w->object()) {
    source.fail("workload.kind", "kind '" + s.workload.choice.kind + "' cannot run at fidelity object (use trace or graph)");
  }
  if (s.fidelity == "cycle" && !w->cycle()) {
    source.fail("workload.kind", "kind '" + s.workload.choice.kind + "' cannot run at fidelity cycle (use pacer-streams)");
  }
  // mutator_cpus is checked against GOMAXPROCS here, where both are known.
  if (w->object() && w->object()->mutator_cpus() > static_cast<double>(s.runtime.gomaxprocs)) {
    source.fail("workload.mutator_cpus", "is more than runtime.gomaxprocs (" + std::to_string(s.runtime.gomaxprocs) + ")");
  }
  if (w->fluid() && w->fluid()->mutator_cpus() > static_cast<double>(s.runtime.gomaxprocs)) {
    source.fail("workload.mutator_cpus", "is more than runtime.gomaxprocs (" + std::to_string(s.runtime.gomaxprocs) + ")");
  }
  if (s.runtime.gomemlimit != kNoLimit && !make_pacer(s.go)->has_memory_limit()) {
    source.fail("runtime.gomemlimit", "GOMEMLIMIT needs Go 1.19 or newer (go: \"" + s.go + "\")");
  }
  if (s.memory.stack_scanned_bytes > s.memory.stack_size_bytes) {
    source.fail("memory.stack_scanned", "is larger than memory.stack_size (" + format_size(s.memory.stack_size_bytes) + ")");
  }
  s.source_file = source.file;
  return s;
}

}  // namespace

std::string Scenario::resolved_yaml() const {
  YAML::Emitter out;
  out << YAML::Flow << YAML::BeginMap;
  ConfigWriter w(out);
  const_cast<Scenario*>(this)->visit(w);
  out << YAML::EndMap;
  return out.c_str();
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  ConfigSource source;
  YAML::Node root = load_yaml_file(path, overrides, source);
  return read(root, source);
}

Scenario load_scenario_text(const std::string& yaml, const std::string& name,
                            const std::vector<std::string>& overrides) {
  ConfigSource source;
  YAML::Node root = load_yaml_text(yaml, name, overrides, source);
  return read(root, source);
}

}  // namespace gogcsim
