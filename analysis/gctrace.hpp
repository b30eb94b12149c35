// Reading Go's GODEBUG=gctrace=1 output (reference §10), for `explain` and `calibrate`.
//
//   gc N @T s U%: A+B+C ms clock, D+E/F/G+H ms cpu, X->Y->Z MB, W MB goal[, S MB stacks,
//   L MB globals], P P[ (forced)]
//
// The stacks/globals fields exist from Go 1.18. GODEBUG=scavtrace=1 lines are read too
// (reference §10), printed when a sweep finishes, about once a cycle:
//
//   1.19-1.20:  scav W KiB work, R KiB total, U% util[ (forced)| [controller reset]]
//   1.21+:      scav W KiB work (bg), E KiB work (eager), R KiB now, U% util[ ...]
//
// GODEBUG=gcpacertrace=1's end-of-cycle line is read too (Go 1.18-1.20, printed at mark
// termination, before that cycle's gctrace line): the scan work the mark did, which gctrace
// does not print:
//
//   pacer: U% CPU (G exp.) for H+S+L B work (E B exp.) in T B -> Y B (∆goal D, cons/mark C)
//
// Other lines (program output, the pacer's assist-ratio lines) are skipped and counted.
#pragma once

#include <array>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace gogcsim {

struct GctraceLine {
  long cycle = 0;
  double t_s = 0;              ///< @T: seconds since the program started
  int gc_cpu_pct = 0;          ///< U: cumulative GC CPU %
  double clock_ms[3]{};        ///< A sweep termination, B mark, C mark termination (wall)
  double cpu_ms[5]{};          ///< D STW1, E assist, F dedicated+fractional, G idle, H STW2
  long heap_start_mb = 0;      ///< X
  long heap_peak_mb = 0;       ///< Y
  long heap_marked_mb = 0;     ///< Z
  long goal_mb = 0;            ///< W
  long stacks_mb = -1;         ///< S (-1: not printed, Go <= 1.17)
  long globals_mb = -1;        ///< L
  int procs = 0;               ///< P
  bool forced = false;
  int line_no = 0;             ///< in the input
  /// From the gcpacertrace line before it, if any: the heap, stack and globals scan work
  /// the mark did (heapScanWork, stackScanWork, globalsScanWork; -1: no such line).
  double scan_work_bytes[3]{-1, -1, -1};
};

/// Parses one line; nullopt if it is not a gctrace line.
std::optional<GctraceLine> parse_gctrace_line(const std::string& line);

/// One scavtrace line: what the background scavenger released since the last line.
struct ScavtraceLine {
  double work_kib = 0;      ///< W: released by the background scavenger since the last line
  double eager_kib = 0;     ///< E (1.21+): released by allocating goroutines (heap growth, limit)
  double released_kib = 0;  ///< R: heap_released now
  int util_pct = 0;         ///< U: heap in use / heap retained
  bool forced = false;      ///< debug.FreeOSMemory
};
/// Parses one line; nullopt if it is not a scavtrace line.
std::optional<ScavtraceLine> parse_scavtrace_line(const std::string& line);

/// The scan work of gcpacertrace's end-of-cycle line (heap, stacks, globals, bytes); nullopt
/// if it is not one.
std::optional<std::array<double, 3>> parse_pacer_scan_work(const std::string& line);

struct GctraceFile {
  std::vector<GctraceLine> cycles;
  std::vector<ScavtraceLine> scav;  ///< empty unless run with GODEBUG=scavtrace=1
  int skipped_lines = 0;
};
/// Reads every gctrace line of a stream. Other lines (the program's own output) are skipped,
/// but a line that starts as a gctrace line does ("gc N @") and does not parse is a truncated or
/// corrupt trace: InputError naming `source` and the line.
GctraceFile read_gctrace(std::istream& in, const std::string& source = "gctrace");

/// `gogcsim explain`: each cycle annotated with what the pacer did. `gogc` < -1: inferred.
void explain_gctrace(std::ostream& out, const GctraceFile& trace, long gogc_hint);

/// What set a cycle's goal, judged from the cycle before it (`prev`) and the run's GOGC (< 0:
/// off): GOGC's goal M + (M + stacks + globals) x GOGC/100, the heap minimum (4 MiB x
/// GOGC/100), or a memory limit below them (collapsed to the marked heap: back to back).
enum class TraceGoalBound { gogc, heap_minimum, memory_limit, memory_limit_back_to_back };
TraceGoalBound classify_goal(const GctraceLine& prev, const GctraceLine& cur, long gogc, double* gogc_goal_mb = nullptr);

/// The GOGC a trace ran with, judged from its goals (cycles whose previous marked heap is at
/// least 8 MB). GOGC's goal is M + (M + stacks + globals) x GOGC/100, and a memory limit can
/// only lower a goal: so no goal may be above GOGC's (beyond gctrace's rounding to MB), and
/// the GOGC is the multiple of 25 (25..1000) with no goal above it that gives the most goals.
struct GogcInference {
  long gogc = 100;       ///< 100 if no cycle can be judged; -1 (off) if every GOGC has goals above it
  int sets = 0;          ///< goals it gives (within rounding); the others a memory limit set
  int judged = 0;        ///< cycles judged
  long at_least = 0;     ///< the smallest GOGC no judged goal is above (0: none is free of them)
};
GogcInference infer_gogc(const GctraceFile& trace);

/// The program's CPU during a cycle's mark, in ms: its Ps over the mark's wall time less the
/// mark CPU (assist + background + idle), at least 0.
double program_cpu_in_mark_ms(const GctraceLine& c);

/// How fast the program ran while the GC marked, relative to between marks (the workloads'
/// `mark_speed`), from what gctrace shows of each cycle after the first quarter (start-up):
///   during the mark:  allocated Y - X over the program's CPU, P x B - (assist + background
///                     + idle mark CPU);
///   before it:        allocated X - Z(previous) over mutator_cpus x the wall time from the
///                     previous cycle's end to this one's start;
///   speed = (sum allocated / sum CPU during marks) / (sum allocated / sum CPU before them).
/// Sweeping counts in the CPU between marks (a few % of it), so the speed is slightly high.
/// Cycles with no time between marks (a memory limit's back-to-back cycles) say nothing.
struct MarkSpeed {
  double speed = 1;            ///< clamped to [0.05, 1]; 1 when fewer than 4 cycles say
  double mark_cpu_share = 0;   ///< of the program's CPU, the part it ran while marking
  int cycles = 0;              ///< cycles measured
};
MarkSpeed measure_mark_speed(const GctraceFile& trace, double mutator_cpus);
/// The same over cycles [first, end) only (0-based, first >= 1): one phase of a program.
MarkSpeed measure_mark_speed(const GctraceFile& trace, double mutator_cpus, std::size_t first, std::size_t end);

}  // namespace gogcsim
