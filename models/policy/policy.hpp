// The policy family: what reacts at the end of each cycle, like production tuners do
// (DESIGN §4). A policy may change GOGC or the memory limit between cycles.
#pragma once

#include <cstdint>
#include <optional>

#include "models/observer.hpp"

namespace gogcsim {

/// Settings a policy asks for; unset fields stay as they are.
struct PolicyActions {
  std::optional<std::int64_t> gogc;
  std::optional<std::int64_t> memory_limit;
};

struct PolicyContext {
  std::int64_t container_limit = 0;
};

class Policy {
 public:
  virtual ~Policy() = default;
  /// Called after each cycle's mark termination.
  virtual PolicyActions on_cycle_end(const CycleRecord& cycle) = 0;
};

/// `kind: static` — the settings never change.
struct StaticPolicyParams {
  template <class V>
  void visit(V&) {}
};

class StaticPolicy : public Policy {
 public:
  StaticPolicy(const StaticPolicyParams&, const PolicyContext&) {}
  PolicyActions on_cycle_end(const CycleRecord&) override { return {}; }
};

}  // namespace gogcsim
