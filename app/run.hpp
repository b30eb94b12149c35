// Wires a scenario into a world and runs it: the one place that knows every layer.
#pragma once

#include <string>

#include "analysis/recorder.hpp"
#include "analysis/summary.hpp"
#include "analysis/writers.hpp"
#include "models/scenario.hpp"

namespace gogcsim {

/// The tool's version, echoed in every output.
const char* tool_version();

struct RunResult {
  Recorder recorder;
  Summary summary;
  RunInfo info;
};

/// Runs a loaded scenario at its fidelity level.
RunResult run_scenario(const Scenario& scenario);

/// Writes cycles.csv, timeseries.csv, pauses.csv, gctrace.txt, pacertrace.txt and summary.json atomically.
void write_outputs(const RunResult& result, const std::string& out_dir);

}  // namespace gogcsim
