// `gogcsim compare`: one scenario over a grid of GOGC × GOMEMLIMIT (× GOMAXPROCS), run in
// parallel, as a table with the Pareto front of GC CPU against peak RSS and an answer to
// "the best point with peak_rss <= 3GiB"-style questions. Large grids run in shards
// (`--shard i/N` writes one slice's results; `gogcsim merge` joins them).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace gogcsim {

struct GridPoint {
  std::int64_t gogc = 100;        ///< -1 = off
  std::int64_t gomemlimit = 0;    ///< bytes; INT64_MAX = off
  std::int64_t gomaxprocs = 0;
};

/// The numbers a comparison ranks by.
struct PointResult {
  GridPoint point;
  std::int64_t gc_cycles = 0;
  double gc_cpu_pct = 0;          ///< gctrace definition, % of all CPU
  double pause_p99_us = 0, pause_max_us = 0;
  double peak_heap_mib = 0, peak_rss_mib = 0;
  double mmu_10ms = 1;
  /// Run time over the program's own time (wall / mutator time): what GC, sweeping and the
  /// program's own scavenging cost it in throughput. GC CPU alone hides the last two, which
  /// dominate under a tight memory limit.
  double slowdown = 1;
  bool oom = false;
  bool pareto = false;            ///< on the front of (GC CPU, peak RSS), both minimised
};

/// The grid: each list's values (empty: the scenario's own setting), in order gomaxprocs,
/// gogc, gomemlimit (the last varies fastest).
std::vector<GridPoint> make_grid(const std::vector<std::int64_t>& gogc, const std::vector<std::int64_t>& gomemlimit,
                                 const std::vector<std::int64_t>& gomaxprocs, const GridPoint& scenario_default);

/// Where a grid's scenario comes from: a YAML file, or YAML text (a scenario calibrated from a
/// gctrace), named for messages.
struct ScenarioSource {
  std::string name;
  std::optional<std::string> text;  ///< none: read the file `name`
};
/// Loads it with `overrides` (`--set` strings), as load_scenario_file / load_scenario_text do.
/// GOGC and GOMEMLIMIT as the CLI and the scenario YAML write them: a number, a size, or off.
std::string gogc_text(std::int64_t gogc);
std::string limit_text(std::int64_t limit_bytes);

Scenario load_scenario(const ScenarioSource& source, const std::vector<std::string>& overrides);

/// Runs the points with index % shard_count == shard_index on `jobs` threads. `progress`:
/// draw a progress bar on standard error.
std::vector<PointResult> run_grid(const ScenarioSource& scenario, const std::vector<std::string>& overrides,
                                  const std::vector<GridPoint>& grid, int jobs, int shard_index, int shard_count,
                                  bool progress);
inline std::vector<PointResult> run_grid(const std::string& scenario_file, const std::vector<std::string>& overrides,
                                         const std::vector<GridPoint>& grid, int jobs, int shard_index, int shard_count,
                                         bool progress) {
  return run_grid(ScenarioSource{scenario_file, std::nullopt}, overrides, grid, jobs, shard_index, shard_count, progress);
}

/// Marks the Pareto front (no other point has both lower GC CPU and lower peak RSS; OOM points
/// are never on it).
void mark_pareto(std::vector<PointResult>& rows);
/// mark_pareto, then the rows in grid order (GOMAXPROCS, GOGC, GOMEMLIMIT), as printed.
void finish_rows(std::vector<PointResult>& rows);

/// The point that satisfies every constraint ("peak_rss<=3GiB", "gc_cpu<=5", "pause_p99<=1ms",
/// "peak_heap<=2GiB", "mmu_10ms>=0.5", "slowdown<=1.2"; never an OOM) with the least GC CPU
/// (ties: least RSS).
/// Throws InputError for an unknown or malformed constraint.
std::optional<std::size_t> recommend(const std::vector<PointResult>& rows, const std::vector<std::string>& constraints);

/// text | csv | markdown. The CSV is also the shard format `merge` reads.
void print_compare(std::ostream& out, const std::vector<PointResult>& rows, const std::string& format);
/// Reads a CSV written by print_compare(..., "csv"). Throws InputError naming file and line.
std::vector<PointResult> read_compare_csv(const std::string& file);

}  // namespace gogcsim
