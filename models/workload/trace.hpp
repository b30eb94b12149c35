// `kind: trace` — replay a recorded allocation trace (models/workload/trace_format.hpp) at
// the `object` fidelity level. The trace's clock is mutator time; the level maps it to wall
// time as GC pauses and assists take the program's CPU.
//
//   workload: {kind: trace, file: app.trace, mutator_cpus: 2}
#pragma once

#include <string>

#include "models/workload/synthetic.hpp"
#include "models/workload/workload.hpp"
#include "sim/config.hpp"

namespace gogcsim {

struct TraceParams {
  std::string file;          ///< resolved against the scenario's folder by check()
  double mutator_cpus = 1;   ///< Ps the program keeps busy; assists stall 1/mutator_cpus of it
  double mark_speed = 1;     ///< visit_mark_speed

  template <class V>
  void visit(V& v) {
    v.field("file", file, {.description = "trace file (binary or text; relative to the scenario)", .unit = Unit::text});
    v.field("mutator_cpus", mutator_cpus, {.description = "CPUs the program keeps busy", .unit = Unit::number, .min = 0.01, .max = 1e4});
    visit_mark_speed(v, mark_speed);
  }
  /// Resolves and opens the file (its header must be a gogcsim trace).
  void check(ConfigSource& src, const std::string& path);
};

class TraceWorkload : public ObjectWorkload {
 public:
  TraceWorkload(const TraceParams& p, const WorkloadContext&) : p_(p) {}
  double mutator_cpus() const override { return p_.mutator_cpus; }
  double mark_speed() const override { return p_.mark_speed; }
  std::unique_ptr<RecordSource> open() const override;

 private:
  TraceParams p_;
};

}  // namespace gogcsim
