// Calibration: machine costs from real recordings (the cost preset's derivation) and a
// scenario from one real gctrace (`gogcsim calibrate`). Least squares with Eigen.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "analysis/gctrace.hpp"

namespace gogcsim {

/// The mark-cost fit over the validation recordings:
///   mark CPU per cycle = a·scan bytes + b·pointerful objects + c·objects + d
/// with real mark CPU from gctrace (assist + background + idle) and the features from the
/// validation scenarios' simulated cycles (same GOGC, no limit); and the mean pause.
struct CostFit {
  double scan_ns_per_byte = 0, scan_ns_per_object = 0, mark_ns_per_object = 0, mark_fixed_ns = 0;
  double mean_pause_ns = 0;       ///< real mean STW pause
  double rms_relative_error = 0;  ///< of the per-run mark CPU fit
  int points = 0;
  std::vector<std::string> rows;  ///< one line per data point (program, GOGC, real, fitted)
};
CostFit fit_costs(const std::string& root);

/// A scenario fitted to one gctrace: the run replayed interval by interval (allocation rate,
/// live heap), with the mark cost per byte of live heap fitted by least squares.
struct TraceFit {
  std::string yaml;                 ///< a scenario `run` and `compare` accept
  double alloc_rate_rms_rel = 0;    ///< the written phases' allocation against every cycle's
  double live_rms_rel = 0;          ///< ... and live heap
  double mark_cpu_rms_rel = 0;      ///< residual of the mark-cost fit
  int phases = 0;
  int cycles = 0;
  // What the fit says about the program (program time: wall less the GC's share).
  double alloc_mib_per_s = 0;       ///< mean allocation rate
  double live_min_mib = 0, live_max_mib = 0;  ///< live heap range over the cycles
  double mark_ns_per_byte = 0;      ///< mark CPU per byte of live heap (with gcpacertrace: of scan work)
  double scan_fraction = 1;         ///< heap scan work per live byte (1: not known, gctrace alone)
  int scan_work_cycles = 0;         ///< cycles whose gcpacertrace line gave the scan work
  double mutator_cpus = 0;
  double mark_speed = 1;            ///< the program's speed while marking (measure_mark_speed)
  int mark_speed_cycles = 0;        ///< ... measured over this many cycles
  double stacks_mib = 0, globals_mib = 0;  ///< as gctrace prints them (median)
  double runtime_cpu_s = 0;         ///< sweeping and scavenging taken out of the program time
  double start_up_s = 0;            ///< program time the start-up on fewer CPUs took (0: none)
  double start_up_cpus = 0;         ///< ... the fewest CPUs it ran on
};
/// Fits `trace` (gctrace lines of one run). `gogc`, `procs`: the run's settings (procs 0:
/// from the trace). `mean_object_bytes`: the program's mean object size (TotalAlloc / Mallocs),
/// 0 if unknown. Throws InputError if the trace has fewer than 3 cycles.
TraceFit calibrate_from_gctrace(const GctraceFile& trace, const std::string& name, long gogc, long long memory_limit,
                                double mean_object_bytes = 0);

}  // namespace gogcsim
