#include "app/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/gctrace.hpp"
#include "app/calibrate.hpp"
#include "app/run.hpp"

namespace gogcsim {

namespace fs = std::filesystem;

double Compared::error() const {
  if (sim >= real_min && sim <= real_max) return 0;
  const double mid = (real_min + real_max) / 2;
  return std::min(std::fabs(sim - real_min), std::fabs(sim - real_max)) / (mid > 0 ? mid : 1);
}

double json_number(const std::string& text, const std::string& key, const std::string& file) {
  const std::string pat = "\"" + key + "\":";
  auto at = text.find(pat);
  if (at == std::string::npos) throw InputError(file + ": no field '" + key + "'");
  return std::strtod(text.c_str() + at + pat.size(), nullptr);
}

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct RealRun {
  double gc_count, peak_heap_mib, mean_goal_mib, gc_cpu_pct, stw_ms, run_s;
};

void widen(Compared& c, double v, bool first) {
  c.real_min = first ? v : std::min(c.real_min, v);
  c.real_max = first ? v : std::max(c.real_max, v);
}

}  // namespace

std::map<std::string, std::vector<double>> released_runs(const std::string& rec_dir) {
  std::map<std::string, std::vector<double>> runs;
  const fs::path f = fs::path(rec_dir) / "scavenging.tsv";
  if (!fs::exists(f)) return runs;
  std::istringstream in(slurp(f));
  int bytes_col = -1;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, '\t');) cols.push_back(x);
    if (bytes_col < 0) {  // the header
      const auto at = std::find(cols.begin(), cols.end(), "released_bytes");
      if (at == cols.end()) throw InputError(f.string() + ": no column 'released_bytes'");
      bytes_col = static_cast<int>(at - cols.begin());
      continue;
    }
    if (static_cast<int>(cols.size()) <= bytes_col) throw InputError(f.string() + ": short line '" + line + "'");
    runs[cols[0]].push_back(std::strtod(cols[static_cast<std::size_t>(bytes_col)].c_str(), nullptr) / 1048576.0);
  }
  return runs;
}

std::vector<ValidationRow> validate(const std::string& root, const std::vector<std::string>& overrides, bool calibrated) {
  std::vector<ValidationRow> rows;
  std::vector<fs::path> scenarios;
  if (!fs::is_directory(fs::path(root) / "scenarios/validation")) {
    throw InputError("validate: no scenarios/validation under '" + root +
                     "': run it from the gogcsim source tree or pass --root DIR");
  }
  for (const auto& e : fs::directory_iterator(fs::path(root) / "scenarios/validation")) {
    if (e.path().extension() == ".yaml") scenarios.push_back(e.path());
  }
  std::sort(scenarios.begin(), scenarios.end());
  for (const auto& sc_path : scenarios) {
    const std::string program = sc_path.stem().string();
    const fs::path rec_dir = fs::path(root) / "tests/validation/recordings" / program;
    if (!fs::exists(rec_dir)) throw InputError(rec_dir.string() + ": no recordings for " + program);
    // Group the recordings by cell: gogc<G>_lim<L>_rep<R>.gctrace
    std::map<std::pair<std::string, std::string>, std::vector<RealRun>> cells;
    std::vector<fs::path> traces;
    for (const auto& e : fs::directory_iterator(rec_dir)) {
      if (e.path().extension() == ".gctrace") traces.push_back(e.path());
    }
    std::sort(traces.begin(), traces.end());
    // The recording calibrate starts from: of the GOGC=100 runs without a limit, the one with
    // the median GC CPU (this VM's repetitions differ by up to 2x in marking speed, and a user
    // calibrates on a typical run, not the slowest).
    std::vector<std::pair<double, fs::path>> base_runs;
    for (const auto& t : traces) {
      const std::string stem = t.stem().string();  // gogc100_limnone_rep1
      const auto a = stem.find("_lim"), b = stem.find("_rep");
      if (stem.rfind("gogc", 0) != 0 || a == std::string::npos || b == std::string::npos) continue;
      const std::string gogc = stem.substr(4, a - 4), limit = stem.substr(a + 4, b - a - 4);
      std::ifstream in(t);
      GctraceFile g = read_gctrace(in, t.string());
      const fs::path js = t.parent_path() / (stem + ".summary.json");
      const std::string j = slurp(js);
      RealRun r;
      r.gc_count = static_cast<double>(g.cycles.size());
      r.peak_heap_mib = json_number(j, "peak_heap_alloc_bytes", js.string()) / 1048576.0;
      double goals = 0;
      for (const auto& c : g.cycles) goals += static_cast<double>(c.goal_mb);
      r.mean_goal_mib = g.cycles.empty() ? 0 : goals / static_cast<double>(g.cycles.size());
      r.gc_cpu_pct = 100 * json_number(j, "gc_cpu_fraction", js.string());
      r.stw_ms = json_number(j, "pause_total_ns", js.string()) / 1e6;
      r.run_s = json_number(j, "wall_ns", js.string()) / 1e9;
      cells[{gogc, limit}].push_back(r);
      if (gogc == "100" && limit == "none") base_runs.emplace_back(r.gc_cpu_pct, t);
    }
    const auto released = released_runs(rec_dir.string());
    std::string fitted_yaml;
    if (calibrated) {
      if (base_runs.empty()) throw InputError(rec_dir.string() + ": no GOGC=100 recording without a limit to calibrate on");
      std::sort(base_runs.begin(), base_runs.end());
      const fs::path base = base_runs[(base_runs.size() - 1) / 2].second;
      std::ifstream in(base);
      if (!in) throw InputError(base.string() + ": cannot open file");
      // What a user has besides the gctrace: MemStats' TotalAlloc / Mallocs, the mean object size.
      const fs::path js = base.parent_path() / (base.stem().string() + ".summary.json");
      const std::string j = slurp(js);
      const double mean_object_bytes =
          json_number(j, "total_alloc_bytes", js.string()) / json_number(j, "mallocs", js.string());
      fitted_yaml =
          calibrate_from_gctrace(read_gctrace(in, base.string()), base.string(), 100, -1, mean_object_bytes).yaml;
    }
    for (const auto& [cell, runs] : cells) {
      ValidationRow row;
      row.program = program;
      row.gogc = cell.first;
      row.limit = cell.second;
      row.reps = static_cast<int>(runs.size());
      for (std::size_t i = 0; i < runs.size(); ++i) {
        widen(row.gc_count, runs[i].gc_count, i == 0);
        widen(row.peak_heap_mib, runs[i].peak_heap_mib, i == 0);
        widen(row.mean_goal_mib, runs[i].mean_goal_mib, i == 0);
        widen(row.gc_cpu_pct, runs[i].gc_cpu_pct, i == 0);
        widen(row.stw_ms, runs[i].stw_ms, i == 0);
        widen(row.run_s, runs[i].run_s, i == 0);
      }
      const auto rel = released.find(row.limit);
      row.has_released = row.gogc == "100" && rel != released.end() && !rel->second.empty();
      if (row.has_released) {
        for (std::size_t i = 0; i < rel->second.size(); ++i) widen(row.released_mib, rel->second[i], i == 0);
      }
      std::vector<std::string> sets = overrides;
      sets.push_back("runtime.gogc=" + row.gogc);
      sets.push_back("runtime.gomemlimit=" + (row.limit == "none" ? std::string("off") : row.limit));
      sets.push_back("output.sample_interval=5ms");
      RunResult res = run_scenario(calibrated ? load_scenario_text(fitted_yaml, program + "-fitted.yaml", sets)
                                              : load_scenario_file(sc_path.string(), sets));
      double peak = 0;
      for (const auto& s : res.recorder.samples) peak = std::max(peak, static_cast<double>(s.heap_alloc));
      double goals = 0, stw = 0;
      for (const auto& c : res.recorder.cycles) goals += static_cast<double>(c.heap_goal >> 20);
      for (const auto& p : res.recorder.pauses) stw += static_cast<double>(p.duration_ns);
      row.gc_count.sim = static_cast<double>(res.recorder.cycles.size());
      row.peak_heap_mib.sim = peak / 1048576.0;
      row.mean_goal_mib.sim = res.recorder.cycles.empty() ? 0 : goals / static_cast<double>(res.recorder.cycles.size());
      row.gc_cpu_pct.sim = 100 * res.summary.gc_cpu_frac;
      row.stw_ms.sim = stw / 1e6;
      row.run_s.sim = res.summary.wall_s;
      row.released_mib.sim = static_cast<double>(res.summary.scavenged_bytes) / 1048576.0;
      rows.push_back(row);
    }
  }
  return rows;
}

ValidationTally tally(const std::vector<ValidationRow>& rows) {
  ValidationTally c;
  for (const auto& r : rows) {
    if (r.gc_count.real_max == 0) continue;  // GOGC=off without a limit: no GC to compare
    ++c.cells;
    c.count15 += r.gc_count.error() <= 0.15;
    c.count10 += r.gc_count.error() <= 0.10;
    c.peak15 += r.peak_heap_mib.error() <= 0.15;
    c.peak10 += r.peak_heap_mib.error() <= 0.10;
    c.goal5 += r.mean_goal_mib.error() <= 0.05;
    const Compared& u = r.gc_cpu_pct;
    const double cpu_points = u.sim < u.real_min ? u.real_min - u.sim : (u.sim > u.real_max ? u.sim - u.real_max : 0);
    c.cpu3 += cpu_points <= 3;
    c.run10 += r.run_s.error() <= 0.10;
    if (r.has_released) {
      ++c.released_cells;
      c.released10 += r.released_mib.error() <= 0.10;
    }
    if (r.limit != "none") {
      ++c.limit_cells;
      c.limit_count15 += r.gc_count.error() <= 0.15;
      c.limit_run10 += r.run_s.error() <= 0.10;
    }
  }
  return c;
}

void print_validation(std::ostream& out, const std::vector<ValidationRow>& rows, bool markdown) {
  auto cell = [](const Compared& c, int digits) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*f–%.*f / %.*f", digits, c.real_min, digits, c.real_max, digits, c.sim);
    std::string s = buf;
    if (c.error() > 0) {
      std::snprintf(buf, sizeof buf, " (%+.0f%%)", 100 * c.error() * (c.sim > c.real_max ? 1 : -1));
      s += buf;
    }
    return s;
  };
  const char* head[] = {"program", "GOGC", "limit",  "GC count", "peak heap MiB", "mean goal MiB",
                        "GC CPU %", "STW ms", "run s", "released MiB"};
  if (markdown) {
    out << "| " << head[0];
    for (int i = 1; i < 10; ++i) out << " | " << head[i];
    out << " |\n|---|---|---|---|---|---|---|---|---|---|\n";
  } else {
    out << "real min–max / simulated (error outside the real range)\n";
  }
  for (const auto& r : rows) {
    const std::string cols[] = {r.program, r.gogc, r.limit, cell(r.gc_count, 0), cell(r.peak_heap_mib, 0),
                                cell(r.mean_goal_mib, 0), cell(r.gc_cpu_pct, 1), cell(r.stw_ms, 1), cell(r.run_s, 2),
                                r.has_released ? cell(r.released_mib, 0) : std::string()};
    if (markdown) {
      out << "|";
      for (const auto& c : cols) out << " " << c << " |";
      out << "\n";
    } else {
      char buf[640];
      std::snprintf(buf, sizeof buf, "%-14s %-4s %-6s  %-22s %-22s %-22s %-24s %-24s %-22s %s\n", cols[0].c_str(),
                    cols[1].c_str(), cols[2].c_str(), cols[3].c_str(), cols[4].c_str(), cols[5].c_str(), cols[6].c_str(),
                    cols[7].c_str(), cols[8].c_str(), cols[9].c_str());
      out << buf;
    }
  }
  if (markdown) return;
  const ValidationTally c = tally(rows);
  out << c.cells << " cells with GC: GC count within 15 % " << c.count15 << ", within 10 % " << c.count10
      << "; peak heap within 15 % " << c.peak15 << ", within 10 % " << c.peak10 << "; mean goal within 5 % " << c.goal5
      << "; GC CPU within 3 points " << c.cpu3 << "; memory-limit cells: GC count within 15 % " << c.limit_count15 << " of "
      << c.limit_cells << "; run time within 10 % " << c.run10 << " (memory-limit cells " << c.limit_run10
      << "); memory released within 10 % " << c.released10 << " of " << c.released_cells << "\n";
}

}  // namespace gogcsim
