// Wires a scenario into a world and runs it: the one place that knows every layer.
#pragma once

#include <string>
#include <utility>
#include <vector>

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

/// Every output file of a run rendered to text, in order: (file name, content).
std::vector<std::pair<std::string, std::string>> render_outputs(const RunResult& result);

/// Writes render_outputs() into `out_dir`, all files or none.
void write_outputs(const RunResult& result, const std::string& out_dir);

}  // namespace gogcsim
