// `gogcsim validate`: every scenario in scenarios/validation/ against every recording of its
// program in tests/validation/recordings/ (GOGC × GOMEMLIMIT × 3 repetitions), as a table of
// predicted vs real GC count, peak heap, mean heap goal, GC CPU, total STW time and run time.
// The real side is the min–max over the repetitions.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace gogcsim {

/// Real min–max over repetitions, and the simulated value.
struct Compared {
  double real_min = 0, real_max = 0, sim = 0;
  /// Distance of the simulated value from the real range, relative to the range's middle.
  double error() const;
};

struct ValidationRow {
  std::string program;
  std::string gogc;    ///< "100", "off"
  std::string limit;   ///< "none", "96MiB"
  int reps = 0;
  Compared gc_count, peak_heap_mib, mean_goal_mib, gc_cpu_pct, stw_ms;
  /// How long the program ran (start of main to its summary; simulated: the run's wall time):
  /// what a memory limit costs in throughput.
  Compared run_s;
  /// Memory released to the OS over the run, where record_scavenging.sh counted it (GOGC=100,
  /// without a limit and at the first limits: recordings/<program>/scavenging.tsv).
  Compared released_mib;
  bool has_released = false;
};

/// Runs the comparison. `root` is the source tree; `overrides` apply to every scenario (e.g.
/// other costs). `calibrated`: instead of the written scenarios, use for each program the
/// scenario `gogcsim calibrate` fits to its GOGC=100 recording (repetition 1), predicting
/// every other setting from it. Throws InputError for unreadable recordings.
std::vector<ValidationRow> validate(const std::string& root, const std::vector<std::string>& overrides = {},
                                    bool calibrated = false);

/// How many cells meet each accuracy bound of issue 6, over the cells with GC (GOGC=off
/// without a limit has none to compare): GC count within 15 % / 10 %, peak heap within
/// 15 % / 10 %, mean goal within 5 %, GC CPU within 3 points; and the memory-limit cells.
/// Run time within 10 % (not one of the bounds: the prediction of a slowdown), in all
/// cells and in the memory-limit cells. Memory released within 10 % (issue 4's bound), in the
/// cells with a count of it.
struct ValidationTally {
  int cells = 0, count15 = 0, count10 = 0, peak15 = 0, peak10 = 0, goal5 = 0, cpu3 = 0;
  int limit_cells = 0, limit_count15 = 0;
  int run10 = 0, limit_run10 = 0;
  int released_cells = 0, released10 = 0;
};
ValidationTally tally(const std::vector<ValidationRow>& rows);

/// Prints the table as Markdown (the README's form) or plain text; the plain text ends with
/// the tally.
void print_validation(std::ostream& out, const std::vector<ValidationRow>& rows, bool markdown);

/// `rec_dir`/scavenging.tsv (record_scavenging.sh, GOGC=100, the runtime's own count): MiB
/// released per run, by limit ("none", "96MiB"). Empty if the program has no such recording.
std::map<std::string, std::vector<double>> released_runs(const std::string& rec_dir);

/// One number from a recording's one-line JSON summary ("key": number); `file` names it in
/// the error when the key is missing.
double json_number(const std::string& text, const std::string& key, const std::string& file);

}  // namespace gogcsim
