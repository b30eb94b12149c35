// Helpers shared by the test suites.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/gctrace.hpp"
#include "app/run.hpp"
#include "models/scenario.hpp"

namespace gogcsim::test {

inline std::string source_path(const std::string& rel) { return std::string(GOGCSIM_SOURCE_DIR) + "/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// The fields of one line of a CSV or TSV recording.
inline std::vector<std::string> split_fields(const std::string& line, char sep) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, sep);) fields.push_back(f);
  return fields;
}

/// A fresh empty temporary directory.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("gogcsim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

/// The median of per-cycle values after the first three (the start-up).
inline double median_after3(std::vector<double> v) {
  v.erase(v.begin(), v.begin() + std::min<std::ptrdiff_t>(3, static_cast<std::ptrdiff_t>(v.size())));
  if (v.empty()) throw std::invalid_argument("median_after3: no cycle after the first three");
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Heap scan work a cycle, median after the first three, of `program`: its GOGC=100
/// gcpacertrace recording ("for H+S+G B work" before each gctrace line, in
/// `recordings`/<program>/gogc100_pacertrace.txt) against its scenario (`scenarios`/<program>.yaml)
/// simulated; checks simulated / real within [lo, hi].
inline void check_heap_scan_work(const std::string& program, const std::string& recordings, const std::string& scenarios,
                                 double lo, double hi) {
  const std::string rel = recordings + program + "/gogc100_pacertrace.txt";
  std::istringstream in(read_file(source_path(rel)));
  std::vector<double> real, sim;
  for (const auto& g : read_gctrace(in, rel).cycles) {
    REQUIRE(g.scan_work_bytes[0] >= 0);  // each gctrace line has its pacer line
    real.push_back(g.scan_work_bytes[0]);
  }
  const RunResult r = run_scenario(load_scenario_file(source_path(scenarios + program + ".yaml")));
  for (const auto& c : r.recorder.cycles) sim.push_back(static_cast<double>(c.heap_scan_work));
  const double real_mb = median_after3(real) / 1e6, sim_mb = median_after3(sim) / 1e6;
  MESSAGE(program, ": heap scan work a cycle, real ", real_mb, " MB (", real.size(), " cycles), simulated ", sim_mb, " MB");
  CHECK(sim_mb / real_mb >= lo);
  CHECK(sim_mb / real_mb <= hi);
}

/// The regex that parses real Go 1.19 gctrace lines (reference §10).
inline const char* kGctraceRegex =
    R"(^gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P( \(forced\))?$)";

}  // namespace gogcsim::test
