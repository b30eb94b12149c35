// Helpers shared by the test suites.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/run.hpp"

namespace gogcsim::test {

inline std::string source_path(const std::string& rel) { return std::string(GOGCSIM_SOURCE_DIR) + "/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Every output file of a run rendered to strings (name -> content), as write_outputs writes them.
inline std::vector<std::pair<std::string, std::string>> render_outputs(const RunResult& r) {
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
  add("summary.json", write_summary_json, r.summary);
  return out;
}

/// A fresh empty temporary directory.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("gogcsim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

/// The regex that parses real Go 1.19 gctrace lines (reference §10).
inline const char* kGctraceRegex =
    R"(^gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P( \(forced\))?$)";

}  // namespace gogcsim::test
