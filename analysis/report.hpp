// report.html: one self-contained page (inline SVG and CSS, no network) for people who would
// rather look: heap curves with goal, trigger and limit; GC CPU over time; the pause CDF; the
// MMU curve; for `compare`, heat-maps of GC CPU and peak RSS over GOGC × GOMEMLIMIT; for
// `explain`, a real gctrace cycle by cycle.
// A few lines of inline script check that every chart has data and record script errors in
// <body data-charts-ok=… data-errors=…>, which the headless-browser test reads.
#pragma once

#include <ostream>
#include <vector>

#include "analysis/gctrace.hpp"
#include "analysis/recorder.hpp"
#include "analysis/summary.hpp"
#include "analysis/writers.hpp"

namespace gogcsim {

struct CompareCell {
  std::string gogc, limit;  ///< axis labels
  double gc_cpu_pct = 0, peak_rss_mib = 0;
  double slowdown = 1;  ///< run time over the program's own time
  bool oom = false;
};

void write_report_html(std::ostream& out, const RunInfo& info, const Recorder& r, const Summary& s);
void write_compare_html(std::ostream& out, const std::string& title, const std::vector<CompareCell>& cells);
/// `explain --html`: a real run's gctrace drawn cycle by cycle (heap at start, at mark end,
/// marked, goal; the mark's wall time and CPU by who did it; the pauses), then `explanation`.
void write_gctrace_html(std::ostream& out, const std::string& title, const GctraceFile& trace,
                        const std::string& explanation);

}  // namespace gogcsim
