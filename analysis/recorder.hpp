// Keeps everything a run reports, for the writers and for tests.
#pragma once

#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/mmu.hpp"
#include "models/observer.hpp"

namespace gogcsim {

/// A run passed its budget (Recorder::max_cycles, max_samples): which and where.
struct RunBudgetExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Recorder : public Observer {
 public:
  void on_cycle(const CycleRecord& c) override {
    if (cycles.size() >= max_cycles) {
      throw RunBudgetExceeded("output.max_cycles: the run passed " + std::to_string(max_cycles) + " GC cycles at " +
                              seconds(c.start_ns) + " of simulated time (a phase's duration or rate off by a unit?); "
                              "raise output.max_cycles to run it whole");
    }
    cycles.push_back(c);
  }
  void on_pause(const PauseRecord& p) override { pauses.push_back(p); }
  void on_assist(const AssistRecord& a) override { assists.push_back(a); }
  void on_sample(const Sample& s) override {
    if (samples.size() >= max_samples) {
      throw RunBudgetExceeded("output.max_samples: the run passed " + std::to_string(max_samples) +
                              " timeseries samples at " + seconds(s.t_ns) +
                              " of simulated time; a longer output.sample_interval or a larger output.max_samples");
    }
    samples.push_back(s);
  }
  void on_end(const RunEnd& e) override { end = e; }
  void on_utilization(std::int64_t t_ns, double u) override {
    if (!utilization.empty() && utilization.back().t_ns == t_ns) {
      utilization.back().u = u;
    } else if (utilization.empty() || utilization.back().u != u) {
      utilization.push_back({t_ns, u});
    }
  }

  /// At most this many cycle records and samples (output.max_cycles, output.max_samples).
  std::size_t max_cycles = std::numeric_limits<std::size_t>::max();
  std::size_t max_samples = std::numeric_limits<std::size_t>::max();
  std::vector<CycleRecord> cycles;
  std::vector<PauseRecord> pauses;
  std::vector<AssistRecord> assists;
  std::vector<Sample> samples;
  std::vector<UtilPoint> utilization;  ///< mutator utilization change points
  RunEnd end;

  /// The MMU curve of the whole run (mmu_curve), computed once for every writer that needs it.
  const std::vector<MmuPoint>& mmu() const {
    if (!mmu_done_) {
      mmu_ = mmu_curve(utilization, end.wall_ns);
      mmu_done_ = true;
    }
    return mmu_;
  }

 private:
  static std::string seconds(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ns) * 1e-9);
    return buf;
  }
  mutable std::vector<MmuPoint> mmu_;
  mutable bool mmu_done_ = false;
};

}  // namespace gogcsim
