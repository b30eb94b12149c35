// Output files (DESIGN §7). Each starts with "# " lines echoing the tool version, the
// scenario name, seed, Go version and the resolved scenario (pandas: read_csv(comment='#')).
//
//   cycles.csv      one row per GC cycle: gctrace fields plus pacer internals
//   timeseries.csv  state every output.sample_interval, with maxima since the last sample
//   pauses.csv      every stop-the-world pause
//   summary.json    headline numbers
//   gctrace.txt     Go 1.19's exact GODEBUG=gctrace=1 lines
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "analysis/recorder.hpp"
#include "analysis/summary.hpp"

namespace gogcsim {

/// What every output echoes about the run.
struct RunInfo {
  std::string tool_version;
  std::string scenario_name;
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::string go_version;
  std::string fidelity;
  std::string resolved_yaml;  ///< one line
  bool gctrace_roots = true;  ///< gctrace lines end with stacks/globals fields (Go 1.18+)
};

/// Go's fmtNSAsMS: >= 10 ms as whole ms, else two significant digits, at most 3 decimals.
std::string fmt_ns_as_ms(std::uint64_t ns);
/// One gctrace line (no newline), exactly as Go prints it; `roots`: Go 1.18+'s stacks and
/// globals fields (Go <= 1.17 ends at "MB goal, P P").
std::string gctrace_line(const CycleRecord& c, bool roots = true);

void write_header(std::ostream& out, const RunInfo& info);
void write_cycles_csv(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles);
void write_timeseries_csv(std::ostream& out, const RunInfo& info, const std::vector<Sample>& samples);
void write_pauses_csv(std::ostream& out, const RunInfo& info, const Recorder& r);
void write_gctrace(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles);
/// gcpacertrace-like: per cycle, Go's two `pacer:` lines plus plain-language lines saying
/// why the goal and the trigger were where they were and what the mark did.
void write_pacertrace(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles);
/// A float as the Go runtime's print() writes it: "+1.666667e-001".
std::string go_print_float(double v);
void write_summary_json(std::ostream& out, const RunInfo& info, const Summary& s);
/// mmu.csv: minimum mutator utilization at log-spaced windows from 100 µs to the run.
void write_mmu_csv(std::ostream& out, const RunInfo& info, const Recorder& r);
/// fragmentation.csv: per span class of the size mix, how objects fill spans.
void write_fragmentation_csv(std::ostream& out, const RunInfo& info, const RunEnd& end);
/// The few lines the CLI prints after a run.
void print_headline(std::ostream& out, const RunInfo& info, const Summary& s);

/// Writes a set of files into a directory all at once: each is written to a temporary name
/// and renamed into place only after every one was written, so a failed run leaves no
/// partial outputs (temporaries are removed on failure).
class OutputDir {
 public:
  explicit OutputDir(std::string dir) : dir_(std::move(dir)) {}
  void add(std::string name, std::string content) { files_.emplace_back(std::move(name), std::move(content)); }
  /// Throws std::runtime_error (naming the file) if the directory can't be created or a
  /// file can't be written.
  void commit();

 private:
  std::string dir_;
  std::vector<std::pair<std::string, std::string>> files_;
};

}  // namespace gogcsim
