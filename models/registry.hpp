// Every model kind gogcsim knows, by family. Adding a model: write it, then register it in
// one line of registry.cpp.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "models/pacer/pacer.hpp"
#include "models/policy/policy.hpp"
#include "models/workload/synthetic.hpp"
#include "sim/registry.hpp"

namespace gogcsim {

using WorkloadRegistry = Registry<Workload, WorkloadContext>;
using PolicyRegistry = Registry<Policy, PolicyContext>;

const WorkloadRegistry& workload_registry();
const PolicyRegistry& policy_registry();

/// Go versions with a pacer model, oldest first ("1.19").
const std::vector<std::string>& pacer_versions();
/// The pacer for a Go version listed by pacer_versions().
std::unique_ptr<Pacer> make_pacer(const std::string& go_version);

/// Prints every family, kind and parameter (`gogcsim models`).
void describe_models(std::ostream& out);

}  // namespace gogcsim
