// Keeps everything a run reports, for the writers and for tests.
#pragma once

#include <vector>

#include "models/observer.hpp"

namespace gogcsim {

class Recorder : public Observer {
 public:
  void on_cycle(const CycleRecord& c) override { cycles.push_back(c); }
  void on_pause(const PauseRecord& p) override { pauses.push_back(p); }
  void on_sample(const Sample& s) override { samples.push_back(s); }
  void on_end(const RunEnd& e) override { end = e; }

  std::vector<CycleRecord> cycles;
  std::vector<PauseRecord> pauses;
  std::vector<Sample> samples;
  RunEnd end;
};

}  // namespace gogcsim
