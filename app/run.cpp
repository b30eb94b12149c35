#include "app/run.hpp"

#include <algorithm>
#include <sstream>

#include "analysis/report.hpp"
#include "models/collector/cycle_level.hpp"
#include "models/collector/fluid_level.hpp"
#include "models/collector/object_level.hpp"
#include "models/workload/trace.hpp"

namespace gogcsim {

const char* tool_version() { return GOGCSIM_VERSION; }

namespace {

// The scenario at its fidelity level, recording into res.recorder.
void run_level(const Scenario& scenario, RunResult& res) {
  auto workload = scenario.workload.choice.make(workload_context(scenario));
  auto pacer = make_pacer(scenario.go);
  res.info.gctrace_roots = pacer->trace_has_roots();
  auto policy = scenario.policy.choice.make(PolicyContext{scenario.memory.container_limit_bytes});
  if (scenario.fidelity == "cycle") {
    // One record and one sample per cycle, known up front: no regrowth of the vectors.
    const auto cycles = static_cast<std::size_t>(std::max<std::int64_t>(0, workload->cycle()->cycles()));
    const auto n = std::min(res.recorder.max_cycles, cycles);
    res.recorder.cycles.reserve(n);
    res.recorder.samples.reserve(n);
    CycleLevel level(*workload->cycle(), *pacer, res.recorder);
    level.run();
  } else if (scenario.fidelity == "object") {
    auto records = workload->object()->open();
    const ObjectWorkload& program = *workload->object();
    ObjectLevel level(scenario, *records, program.mutator_cpus(), program.mark_speed(), *pacer, res.recorder);
    level.run();
  } else {
    FluidLevel level(scenario, *workload->fluid(), *pacer, *policy, res.recorder);
    level.run();
  }
}

}  // namespace

RunResult run_scenario(const Scenario& scenario) {
  RunResult res;
  res.info.tool_version = tool_version();
  res.info.scenario_name = scenario.name;
  res.info.scenario_file = scenario.source_file;
  res.info.seed = scenario.seed;
  res.info.go_version = scenario.go;
  res.info.fidelity = scenario.fidelity;
  res.info.resolved_yaml = scenario.resolved_yaml();

  res.recorder.max_cycles = static_cast<std::size_t>(scenario.output.max_cycles);
  res.recorder.max_samples = static_cast<std::size_t>(scenario.output.max_samples);
  try {
    run_level(scenario, res);
  } catch (const RunBudgetExceeded& e) {
    throw InputError(scenario.source_file + ": " + e.what());
  }
  res.summary = summarize(res.recorder);
  return res;
}

std::vector<std::pair<std::string, std::string>> render_outputs(const RunResult& r) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const char* name, auto writer, const auto& data) {
    std::ostringstream ss;
    writer(ss, r.info, data);
    out.emplace_back(name, ss.str());
  };
  add("cycles.csv", write_cycles_csv, r.recorder.cycles);
  add("timeseries.csv", write_timeseries_csv, r.recorder.samples);
  add("pauses.csv", write_pauses_csv, r.recorder);
  add("gctrace.txt", write_gctrace, r.recorder.cycles);
  add("pacertrace.txt", write_pacertrace, r.recorder.cycles);
  if (r.info.fidelity == "fluid") add("mmu.csv", write_mmu_csv, r.recorder);
  add("summary.json", write_summary_json, r.summary);
  if (r.info.fidelity != "cycle") add("fragmentation.csv", write_fragmentation_csv, r.recorder.end);
  std::ostringstream html;
  write_report_html(html, r.info, r.recorder, r.summary);
  out.emplace_back("report.html", html.str());
  return out;
}

void write_outputs(const RunResult& r, const std::string& out_dir) {
  OutputDir out(out_dir);
  for (auto& [name, text] : render_outputs(r)) out.add(name, std::move(text));
  out.commit();
}

}  // namespace gogcsim
