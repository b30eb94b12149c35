// Keeps everything a run reports, for the writers and for tests.
#pragma once

#include <vector>

#include "analysis/mmu.hpp"
#include "models/observer.hpp"

namespace gogcsim {

class Recorder : public Observer {
 public:
  void on_cycle(const CycleRecord& c) override { cycles.push_back(c); }
  void on_pause(const PauseRecord& p) override { pauses.push_back(p); }
  void on_assist(const AssistRecord& a) override { assists.push_back(a); }
  void on_sample(const Sample& s) override { samples.push_back(s); }
  void on_end(const RunEnd& e) override { end = e; }
  void on_utilization(std::int64_t t_ns, double u) override {
    if (!utilization.empty() && utilization.back().t_ns == t_ns) {
      utilization.back().u = u;
    } else if (utilization.empty() || utilization.back().u != u) {
      utilization.push_back({t_ns, u});
    }
  }

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
  mutable std::vector<MmuPoint> mmu_;
  mutable bool mmu_done_ = false;
};

}  // namespace gogcsim
