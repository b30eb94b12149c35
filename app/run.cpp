#include "app/run.hpp"

#include <sstream>

#include "analysis/report.hpp"
#include "models/collector/cycle_level.hpp"
#include "models/collector/fluid_level.hpp"

namespace gogcsim {

const char* tool_version() { return GOGCSIM_VERSION; }

RunResult run_scenario(const Scenario& scenario) {
  RunResult res;
  res.info.tool_version = tool_version();
  res.info.scenario_name = scenario.name;
  res.info.scenario_file = scenario.source_file;
  res.info.seed = scenario.seed;
  res.info.go_version = scenario.go;
  res.info.fidelity = scenario.fidelity;
  res.info.resolved_yaml = scenario.resolved_yaml();

  auto workload = scenario.workload.choice.make(workload_context(scenario));
  auto pacer = make_pacer(scenario.go);
  res.info.gctrace_roots = pacer->trace_has_roots();
  auto policy = scenario.policy.choice.make(PolicyContext{scenario.memory.container_limit_bytes});
  if (scenario.fidelity == "cycle") {
    CycleLevel level(*workload->cycle(), *pacer, res.recorder);
    level.run();
  } else {
    FluidLevel level(scenario, *workload->fluid(), *pacer, *policy, res.recorder);
    level.run();
  }
  res.summary = summarize(res.recorder);
  return res;
}

void write_outputs(const RunResult& r, const std::string& out_dir) {
  OutputDir out(out_dir);
  auto render = [&](auto writer, const auto& data) {
    std::ostringstream ss;
    writer(ss, r.info, data);
    return ss.str();
  };
  out.add("cycles.csv", render(write_cycles_csv, r.recorder.cycles));
  out.add("timeseries.csv", render(write_timeseries_csv, r.recorder.samples));
  out.add("pauses.csv", render(write_pauses_csv, r.recorder));
  out.add("gctrace.txt", render(write_gctrace, r.recorder.cycles));
  out.add("pacertrace.txt", render(write_pacertrace, r.recorder.cycles));
  if (r.info.fidelity == "fluid") out.add("mmu.csv", render(write_mmu_csv, r.recorder));
  out.add("summary.json", render(write_summary_json, r.summary));
  if (r.info.fidelity == "fluid") out.add("fragmentation.csv", render(write_fragmentation_csv, r.recorder.end));
  {
    std::ostringstream ss;
    write_report_html(ss, r.info, r.recorder, r.summary);
    out.add("report.html", ss.str());
  }
  out.commit();
}

}  // namespace gogcsim
