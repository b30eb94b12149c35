#include "app/compare.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include "app/run.hpp"
#include "sim/units.hpp"

namespace gogcsim {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string gogc_text(std::int64_t g) { return g < 0 ? "off" : std::to_string(g); }
std::string limit_text(std::int64_t l) { return l == kNoLimit ? "off" : format_size(static_cast<std::uint64_t>(l)); }

std::vector<GridPoint> make_grid(const std::vector<std::int64_t>& gogc, const std::vector<std::int64_t>& gomemlimit,
                                 const std::vector<std::int64_t>& gomaxprocs, const GridPoint& d) {
  std::vector<GridPoint> grid;
  const std::vector<std::int64_t> P = gomaxprocs.empty() ? std::vector<std::int64_t>{d.gomaxprocs} : gomaxprocs;
  const std::vector<std::int64_t> G = gogc.empty() ? std::vector<std::int64_t>{d.gogc} : gogc;
  const std::vector<std::int64_t> L = gomemlimit.empty() ? std::vector<std::int64_t>{d.gomemlimit} : gomemlimit;
  for (auto p : P) {
    for (auto g : G) {
      for (auto l : L) grid.push_back({g, l, p});
    }
  }
  return grid;
}

Scenario load_scenario(const ScenarioSource& source, const std::vector<std::string>& overrides) {
  return source.text ? load_scenario_text(*source.text, source.name, overrides) : load_scenario_file(source.name, overrides);
}

std::vector<PointResult> run_grid(const ScenarioSource& scenario, const std::vector<std::string>& overrides,
                                  const std::vector<GridPoint>& grid, int jobs, int shard_index, int shard_count,
                                  bool progress) {
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(shard_count)) == shard_index) mine.push_back(i);
  }
  // Load once on this thread, so bad input fails before any worker starts.
  (void)load_scenario(scenario, overrides);
  std::vector<PointResult> results(mine.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex err_mu;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t k; (k = next++) < mine.size();) {
      const GridPoint& p = grid[mine[k]];
      std::vector<std::string> sets = overrides;
      sets.push_back("runtime.gogc=" + gogc_text(p.gogc));
      sets.push_back("runtime.gomemlimit=" + limit_text(p.gomemlimit));
      sets.push_back("runtime.gomaxprocs=" + std::to_string(p.gomaxprocs));
      try {
        RunResult r = run_scenario(load_scenario(scenario, sets));
        PointResult& o = results[k];
        o.point = p;
        o.gc_cycles = r.summary.gc_cycles;
        o.gc_cpu_pct = 100 * r.summary.gc_cpu_frac;
        o.pause_p99_us = r.summary.pause_ns.p99 / 1e3;
        o.pause_max_us = r.summary.pause_ns.max / 1e3;
        o.peak_heap_mib = static_cast<double>(r.summary.peak_heap_live_bytes) / 1048576.0;
        o.peak_rss_mib = static_cast<double>(r.summary.peak_rss_bytes) / 1048576.0;
        o.mmu_10ms = r.summary.mmu_10ms;
        o.slowdown = r.summary.slowdown;
        o.oom = r.summary.oom;
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(err_mu);
        if (first_error.empty()) first_error = e.what();
      }
      const std::size_t d = ++done;
      if (progress) {
        std::lock_guard<std::mutex> lock(err_mu);
        const int width = 40;
        const int filled = static_cast<int>(width * d / mine.size());
        std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "########################################", width - filled, "", d,
                     mine.size());
        if (d == mine.size()) std::fprintf(stderr, "\n");
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, jobs); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (!first_error.empty()) throw InputError(first_error);
  return results;
}

void finish_rows(std::vector<PointResult>& rows) {
  mark_pareto(rows);
  std::sort(rows.begin(), rows.end(), [](const PointResult& a, const PointResult& b) {
    return std::tie(a.point.gomaxprocs, a.point.gogc, a.point.gomemlimit) <
           std::tie(b.point.gomaxprocs, b.point.gogc, b.point.gomemlimit);
  });
}

void mark_pareto(std::vector<PointResult>& rows) {
  for (auto& a : rows) {
    a.pareto = !a.oom;
    for (const auto& b : rows) {
      if (&a == &b || b.oom) continue;
      const bool no_worse = b.gc_cpu_pct <= a.gc_cpu_pct && b.peak_rss_mib <= a.peak_rss_mib;
      const bool better = b.gc_cpu_pct < a.gc_cpu_pct || b.peak_rss_mib < a.peak_rss_mib;
      if (no_worse && better) {
        a.pareto = false;
        break;
      }
    }
  }
}

std::optional<std::size_t> recommend(const std::vector<PointResult>& rows, const std::vector<std::string>& constraints) {
  struct C {
    std::string metric;
    bool le;
    double value;
  };
  std::vector<C> cs;
  for (const auto& text : constraints) {
    const auto op = text.find_first_of("<>");
    if (op == std::string::npos || op + 1 >= text.size() || text[op + 1] != '=') {
      throw InputError("--recommend '" + text + "': expected METRIC<=VALUE or METRIC>=VALUE");
    }
    C c{text.substr(0, op), text[op] == '<', 0};
    const std::string v = text.substr(op + 2);
    try {
      if (c.metric == "peak_rss" || c.metric == "peak_heap") {
        c.value = static_cast<double>(parse_size_bytes(v)) / 1048576.0;
      } else if (c.metric == "pause_p99" || c.metric == "pause_max") {
        c.value = static_cast<double>(parse_duration_ns(v)) / 1e3;
      } else if (c.metric == "gc_cpu" || c.metric == "mmu_10ms" || c.metric == "slowdown") {
        c.value = std::stod(v.back() == '%' ? v.substr(0, v.size() - 1) : v);
      } else {
        throw InputError("--recommend '" + text + "': unknown metric '" + c.metric +
                         "' (known: peak_rss, peak_heap, pause_p99, pause_max, gc_cpu, mmu_10ms, slowdown)");
      }
    } catch (const UnitError& e) {
      throw InputError("--recommend '" + text + "': " + e.what());
    } catch (const std::invalid_argument&) {
      throw InputError("--recommend '" + text + "': bad number '" + v + "'");
    }
    cs.push_back(c);
  }
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.oom) continue;
    bool ok = true;
    for (const auto& c : cs) {
      const double x = c.metric == "peak_rss"    ? r.peak_rss_mib
                       : c.metric == "peak_heap" ? r.peak_heap_mib
                       : c.metric == "pause_p99" ? r.pause_p99_us
                       : c.metric == "pause_max" ? r.pause_max_us
                       : c.metric == "gc_cpu"    ? r.gc_cpu_pct
                       : c.metric == "slowdown"  ? r.slowdown
                                                 : r.mmu_10ms;
      ok = ok && (c.le ? x <= c.value : x >= c.value);
    }
    if (!ok) continue;
    if (!best || r.gc_cpu_pct < rows[*best].gc_cpu_pct ||
        (r.gc_cpu_pct == rows[*best].gc_cpu_pct && r.peak_rss_mib < rows[*best].peak_rss_mib)) {
      best = i;
    }
  }
  return best;
}

void print_compare(std::ostream& out, const std::vector<PointResult>& rows, const std::string& format) {
  const char* cols[] = {"gogc", "gomemlimit", "gomaxprocs", "gc_cycles", "gc_cpu_pct", "pause_p99_us", "pause_max_us",
                        "peak_heap_mib", "peak_rss_mib", "mmu_10ms", "slowdown", "oom", "pareto"};
  auto cells = [](const PointResult& r) {
    return std::vector<std::string>{gogc_text(r.point.gogc), limit_text(r.point.gomemlimit),
                                    std::to_string(r.point.gomaxprocs), std::to_string(r.gc_cycles),
                                    fixed(r.gc_cpu_pct, 2), fixed(r.pause_p99_us, 0), fixed(r.pause_max_us, 0),
                                    fixed(r.peak_heap_mib, 1), fixed(r.peak_rss_mib, 1), fixed(r.mmu_10ms, 3),
                                    fixed(r.slowdown, 2), r.oom ? "yes" : "no", r.pareto ? "*" : ""};
  };
  if (format == "csv") {
    for (std::size_t i = 0; i < std::size(cols); ++i) out << (i ? "," : "") << cols[i];
    out << "\n";
    for (const auto& r : rows) {
      auto c = cells(r);
      for (std::size_t i = 0; i < c.size(); ++i) out << (i ? "," : "") << c[i];
      out << "\n";
    }
    return;
  }
  if (format == "markdown") {
    out << "|";
    for (const char* c : cols) out << " " << c << " |";
    out << "\n|";
    for (std::size_t i = 0; i < std::size(cols); ++i) out << "---|";
    out << "\n";
    for (const auto& r : rows) {
      out << "|";
      for (const auto& c : cells(r)) out << " " << c << " |";
      out << "\n";
    }
    return;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-5s %-10s %-4s %8s %8s %10s %10s %10s %10s %7s %8s %4s %s\n", "GOGC", "GOMEMLIMIT",
                "P", "cycles", "GC CPU%", "p99 pause", "max pause", "peak heap", "peak RSS", "MMU10ms", "slowdown", "OOM",
                "front");
  out << buf;
  for (const auto& r : rows) {
    auto c = cells(r);
    std::snprintf(buf, sizeof buf, "%-5s %-10s %-4s %8s %8s %8sus %8sus %7sMiB %7sMiB %7s %7sx %4s %s\n", c[0].c_str(),
                  c[1].c_str(), c[2].c_str(), c[3].c_str(), c[4].c_str(), c[5].c_str(), c[6].c_str(), c[7].c_str(),
                  c[8].c_str(), c[9].c_str(), c[10].c_str(), c[11].c_str(), c[12].c_str());
    out << buf;
  }
}

std::vector<PointResult> read_compare_csv(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open file");
  std::string line;
  std::getline(in, line);
  if (line.rfind("gogc,gomemlimit,gomaxprocs,gc_cycles,gc_cpu_pct", 0) != 0) {
    throw InputError(file + ":1: not a compare CSV (expected the header written by compare --format csv)");
  }
  if ((line + ",").find(",slowdown,") == std::string::npos) {
    throw InputError(file + ":1: a compare CSV without the slowdown column (written by an older gogcsim): run that shard again");
  }
  std::vector<PointResult> rows;
  int no = 1;
  while (std::getline(in, line)) {
    ++no;
    if (line.empty()) continue;
    std::vector<std::string> c;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) c.push_back(cell);
    if (c.size() == 12) c.emplace_back();
    const std::string where = file + ":" + std::to_string(no);
    if (c.size() != 13) throw InputError(where + ": expected 13 columns, found " + std::to_string(c.size()));
    try {
      PointResult r;
      r.point.gogc = c[0] == "off" ? -1 : std::stoll(c[0]);
      r.point.gomemlimit = c[1] == "off" ? kNoLimit : static_cast<std::int64_t>(parse_size_bytes(c[1]));
      r.point.gomaxprocs = std::stoll(c[2]);
      r.gc_cycles = std::stoll(c[3]);
      r.gc_cpu_pct = std::stod(c[4]);
      r.pause_p99_us = std::stod(c[5]);
      r.pause_max_us = std::stod(c[6]);
      r.peak_heap_mib = std::stod(c[7]);
      r.peak_rss_mib = std::stod(c[8]);
      r.mmu_10ms = std::stod(c[9]);
      r.slowdown = std::stod(c[10]);
      r.oom = c[11] == "yes";
      rows.push_back(r);
    } catch (const std::exception&) {
      throw InputError(where + ": bad value in '" + line + "'");
    }
  }
  return rows;
}

}  // namespace gogcsim
