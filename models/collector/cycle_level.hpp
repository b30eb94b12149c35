// The `cycle` fidelity level: one record per GC cycle, the mark phase idealised exactly as
// the runtime's own pacer test does it (TestGcPacer in runtime/mgcpacer_test.go, go1.19).
//
// Execution model (tests/real/pacer/README.md has the harness in full):
//   * no time passes between cycles: the mutator allocates exactly up to the trigger;
//   * the mark phase is cut into 500 µs revise periods; in each, GC takes the CPU share
//         u = max(0.25, a·alloc / (a·alloc + scan))        a = assist_work_per_byte
//     so that scan work and allocation keep the assist ratio ("assists in continuous
//     proportion"); GOMAXPROCS·u CPUs scan at scan_rate and GOMAXPROCS·(1−u) allocate at
//     alloc_rate (rates in KiB per CPU-ms, i.e. 512 bytes per 500 µs per CPU);
//   * work is taken from globals, then stacks, then the heap; the last period is prorated;
//   * the live heap to mark is the last cycle's marked heap, less what was allocated black
//     during it, times growth_rate (256 KiB in the first cycle);
//   * heap_marked = that live heap + bytes allocated during this mark (allocate-black).
// Every float→int conversion truncates toward zero and float expressions keep Go's
// left-to-right order, so that the Go 1.19 pacer reproduces the runtime bit for bit.
#pragma once

#include "models/observer.hpp"
#include "models/pacer/pacer.hpp"
#include "models/workload/workload.hpp"

namespace gogcsim {

class CycleLevel {
 public:
  CycleLevel(CycleWorkload& workload, Pacer& pacer, Observer& observer) : w_(workload), pacer_(pacer), obs_(observer) {}
  RunEnd run();

  static constexpr std::int64_t kRevisePeriodNs = 500'000;  ///< revisePeriod
  static constexpr double kRateConv = 512.0;                 ///< KiB/ms -> bytes per revise period
  static constexpr std::int64_t kInitialHeapBytes = 256 << 10;

 private:
  CycleWorkload& w_;
  Pacer& pacer_;
  Observer& obs_;
};

}  // namespace gogcsim
