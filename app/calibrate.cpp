#include "app/calibrate.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "app/compare.hpp"
#include "app/run.hpp"
#include "sim/units.hpp"

namespace gogcsim {

namespace fs = std::filesystem;

namespace {

GctraceFile read_trace_file(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw InputError(p.string() + ": cannot open file");
  return read_gctrace(in, p.string());
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string fmt(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// Plain decimal (YAML quantities must not use exponents).
std::string dec(double v, int decimals = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

CostFit fit_costs(const std::string& root) {
  // Data points: every validation program at every GOGC without a limit, each repetition.
  std::vector<std::array<double, 4>> features;
  std::vector<double> target;
  std::vector<std::string> labels;
  std::vector<double> pauses;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "scenarios/validation")) {
    if (e.path().extension() != ".yaml") continue;
    const std::string program = e.path().stem().string();
    for (const char* gogc : {"25", "50", "100", "200", "400"}) {
      RunResult sim = run_scenario(load_scenario_file(e.path().string(), {std::string("runtime.gogc=") + gogc}));
      if (sim.recorder.cycles.empty()) continue;
      std::array<double, 4> f{0, 0, 0, 1};
      for (const auto& c : sim.recorder.cycles) {
        f[0] += static_cast<double>(c.heap_scan_work + c.stack_scan_work + c.globals_scan_work);
        f[1] += c.scan_objects;
        f[2] += c.marked_objects;
      }
      for (int k = 0; k < 3; ++k) f[static_cast<std::size_t>(k)] /= static_cast<double>(sim.recorder.cycles.size());
      for (int rep = 1; rep <= 3; ++rep) {
        const fs::path t = fs::path(root) / "tests/validation/recordings" / program /
                           (std::string("gogc") + gogc + "_limnone_rep" + std::to_string(rep) + ".gctrace");
        if (!fs::exists(t)) continue;
        GctraceFile g = read_trace_file(t);
        if (g.cycles.size() < 3) continue;
        double cpu = 0;
        for (const auto& c : g.cycles) {
          cpu += (c.cpu_ms[1] + c.cpu_ms[2] + c.cpu_ms[3]) * 1e6;
          pauses.push_back(c.clock_ms[0] * 1e6);
          pauses.push_back(c.clock_ms[2] * 1e6);
        }
        features.push_back(f);
        target.push_back(cpu / static_cast<double>(g.cycles.size()));
        labels.push_back(program + " GOGC=" + gogc + " rep" + std::to_string(rep));
      }
    }
  }
  CostFit fit;
  fit.points = static_cast<int>(target.size());
  if (fit.points < 3) throw InputError(root + ": too few recordings to fit costs");
  // Weighted least squares on relative error: divide each row by its target, so that cheap
  // and expensive programs count alike.
  Eigen::MatrixXd A(fit.points, 4);
  Eigen::VectorXd b(fit.points);
  for (int i = 0; i < fit.points; ++i) {
    for (int k = 0; k < 4; ++k) A(i, k) = features[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] / target[static_cast<std::size_t>(i)];
    b(i) = 1.0;
  }
  // Costs are not negative: where the unconstrained fit gives a term a negative cost, that
  // term is fixed at 0 and the others refitted (an active-set non-negative least squares; the
  // terms are poorly separated by these runs, see models/costs.md).
  Eigen::Vector4d x = Eigen::Vector4d::Zero();
  std::array<bool, 4> free_term{true, true, true, true};
  for (int round = 0; round < 4; ++round) {
    std::vector<int> cols;
    for (int k = 0; k < 4; ++k)
      if (free_term[static_cast<std::size_t>(k)]) cols.push_back(k);
    Eigen::MatrixXd Af(fit.points, static_cast<Eigen::Index>(cols.size()));
    for (std::size_t j = 0; j < cols.size(); ++j) Af.col(static_cast<Eigen::Index>(j)) = A.col(cols[j]);
    const Eigen::VectorXd xf = Af.colPivHouseholderQr().solve(b);
    x.setZero();
    int most_negative = -1;
    for (std::size_t j = 0; j < cols.size(); ++j) {
      x(cols[j]) = xf(static_cast<Eigen::Index>(j));
      if (x(cols[j]) < 0 && (most_negative < 0 || x(cols[j]) < x(most_negative))) most_negative = cols[j];
    }
    if (most_negative < 0) break;
    free_term[static_cast<std::size_t>(most_negative)] = false;
  }
  for (int k = 0; k < 4; ++k) x(k) = std::max(0.0, x(k));  // should four rounds not settle it
  fit.scan_ns_per_byte = x(0);
  fit.scan_ns_per_object = x(1);
  fit.mark_ns_per_object = x(2);
  fit.mark_fixed_ns = x(3);
  double sq = 0;
  for (int i = 0; i < fit.points; ++i) {
    const auto& f = features[static_cast<std::size_t>(i)];
    const double pred = x(0) * f[0] + x(1) * f[1] + x(2) * f[2] + x(3) * f[3];
    const double rel = pred / target[static_cast<std::size_t>(i)] - 1;
    sq += rel * rel;
    fit.rows.push_back(labels[static_cast<std::size_t>(i)] + ": real " + fmt(target[static_cast<std::size_t>(i)] / 1e6, 4) +
                       " ms, fitted " + fmt(pred / 1e6, 4) + " ms");
  }
  fit.rms_relative_error = std::sqrt(sq / fit.points);
  fit.mean_pause_ns = std::accumulate(pauses.begin(), pauses.end(), 0.0) / static_cast<double>(pauses.size());
  return fit;
}

// ---------------------------------------------------------------------------------------
namespace {

// What one gctrace cycle says about the program at the moment its GC started, in program
// (mutator) time: wall time less the share of the Ps the GC had taken so far (gctrace's
// cumulative U%, over all Ps).
struct Knot {
  double t_s;         // program time at the GC's start
  double alloc_mib;   // allocated since the program started, up to then
  double live_mib;    // live heap then: marked minus what the mark allocated black
  double cpus;        // the program's CPUs over the interval the knot ends (its cycle's mark)
};

// The phases of a fitted scenario through a run's knots (program time, allocation, live heap)
// up to `end` (`cum` allocated by then), as YAML list items; sets `fit`'s residuals and phases.
std::string fit_phases(const std::vector<Knot>& ks, double end, double cum, const std::string& name, const std::string& sizes,
                       double scan_fraction, double mutator_cpus, TraceFit& fit) {
  // gctrace's @T has millisecond resolution: intervals shorter than 10 ms are joined to the
  // next one, so that a rounding moves a rate by 10 % at most.
  constexpr double kMinInterval_s = 10e-3;
  // One phase of the fitted scenario: a constant allocation rate, and a live heap that holds,
  // ramps linearly to `to`, or drops to `to` at the phase's start.
  enum class Live { hold, ramp, drop };
  struct Phase {
    double dur_s, alloc_mib, from_mib, to_mib;
    Live live;
    double cpus;
    double rate() const { return alloc_mib / dur_s; }
  };
  std::vector<Phase> out;
  // Consecutive intervals that say the same thing become one phase: a hold after a hold (or
  // after a drop) and a ramp after a ramp, at allocation rates within 10 % (ramps: and growth
  // rates within 25 %). An hour of a steady service's trace (10,828 cycles) then fits in 955
  // phases, and runs to within 0.3 % of its GC count. (Ignoring live-heap changes under gctrace's
  // 1 MB resolution would make that 87 phases, but costs accuracy: four fewer mean goals within
  // 5 % in `validate --calibrated`.)
  auto similar = [](double a, double b, double tol) { return std::fabs(a - b) <= tol * std::max(a, b); };
  auto add = [&](Phase ph) {
    if (!out.empty()) {
      Phase& q = out.back();
      const double rate = ph.rate();
      const bool same = q.cpus == ph.cpus &&
                        (ph.live == Live::hold ? (q.live != Live::ramp && similar(q.rate(), rate, 0.10))
                         : ph.live == Live::ramp
                             ? (q.live == Live::ramp && similar(q.rate(), rate, 0.10) &&
                                similar((q.to_mib - q.from_mib) / q.dur_s, (ph.to_mib - ph.from_mib) / ph.dur_s, 0.25))
                             : false);
      if (same) {
        q.dur_s += ph.dur_s;
        q.alloc_mib += ph.alloc_mib;
        if (ph.live == Live::ramp) q.to_mib = ph.to_mib;
        return;
      }
    }
    out.push_back(ph);
  };
  double t_prev = 0, alloc_prev = 0, live_prev = 0;
  std::vector<Knot> used;  // the knots the phases run through, for the residuals
  auto interval = [&](double t1, double alloc1, double live1, double cpus) {
    // Durations are written in whole nanoseconds: the allocation follows the written duration.
    const double dur = std::floor((t1 - t_prev) * 1e9) / 1e9;
    const double alloc = std::max(0.01 * dur, alloc1 - alloc_prev);
    double to = live_prev;
    if (live1 > live_prev) {
      // A growth is made of allocation: it cannot outrun what the interval allocated.
      to = std::min(live1, live_prev + 0.999 * alloc);
      add({dur, alloc, live_prev, to, Live::ramp, cpus});
    } else if (live1 < live_prev) {
      // A drop happened somewhere between two cycles: at the interval's middle.
      to = live1;
      const double half = std::floor(dur * 0.5e9) / 1e9;
      add({half, alloc * half / dur, live_prev, live_prev, Live::hold, cpus});
      add({dur - half, alloc * (dur - half) / dur, live_prev, to, Live::drop, cpus});
    } else {
      add({dur, alloc, live_prev, live_prev, Live::hold, cpus});
    }
    used.push_back({t1, alloc1, live1, cpus});
    t_prev += dur;
    alloc_prev += alloc;
    live_prev = to;
  };
  // Fewer CPUs (Knot::cpus) hold for the start-up only: the intervals up to the first whose
  // mark kept every P busy. Later, a mark with idle Ps is a moment, not an interval: bursty's
  // workers meet at a barrier between phases and one waits for the other, idle, while the mark
  // runs; the 20-40 ms of burst before it ran on both CPUs.
  bool start_up = true;
  fit.start_up_s = fit.start_up_cpus = 0;
  for (const Knot& k : ks) {
    if (k.t_s - t_prev < kMinInterval_s) continue;
    start_up = start_up && k.cpus < mutator_cpus;
    interval(k.t_s, k.alloc_mib, k.live_mib, start_up ? k.cpus : mutator_cpus);
    if (start_up) {
      fit.start_up_s = t_prev;
      fit.start_up_cpus = fit.start_up_cpus > 0 ? std::min(fit.start_up_cpus, k.cpus) : k.cpus;
    }
  }
  if (end - t_prev >= 1e-6) interval(end, cum, live_prev, mutator_cpus);
  if (out.empty()) throw InputError(name + ": the trace's cycles span no time (every @T is 0)");
  // Residuals: the fitted phases' allocation and live heap at every knot they run through.
  {
    double sq_alloc = 0, sq_live = 0, t0 = 0, a0 = 0;
    int n_alloc = 0, n_live = 0;
    std::size_t p = 0;
    for (const Knot& k : used) {
      while (p + 1 < out.size() && t0 + out[p].dur_s < k.t_s - 1e-9) {
        t0 += out[p].dur_s;
        a0 += out[p].alloc_mib;
        ++p;
      }
      const Phase& ph = out[p];
      const double x = std::clamp((k.t_s - t0) / ph.dur_s, 0.0, 1.0);
      const double a = a0 + ph.alloc_mib * x;
      const double l = ph.live == Live::hold ? ph.from_mib : ph.live == Live::drop ? ph.to_mib : ph.from_mib + (ph.to_mib - ph.from_mib) * x;
      if (k.alloc_mib > 0) {
        sq_alloc += std::pow(a / k.alloc_mib - 1, 2);
        ++n_alloc;
      }
      if (k.live_mib > 0) {
        sq_live += std::pow(l / k.live_mib - 1, 2);
        ++n_live;
      }
    }
    fit.alloc_rate_rms_rel = n_alloc ? std::sqrt(sq_alloc / n_alloc) : 0;
    fit.live_rms_rel = n_live ? std::sqrt(sq_live / n_live) : 0;
  }
  std::ostringstream phases;
  for (const Phase& ph : out) {
    phases << "    - {duration: " << format_duration(static_cast<std::int64_t>(std::llround(ph.dur_s * 1e9)))
           << ", alloc_rate: " << dec(ph.rate()) << "MiB/s, sizes: " << sizes << ", scan_fraction: " << dec(scan_fraction, 4)
           << ",\n"
           << "       lifetime: {fixed: 1us}";
    if (ph.cpus < mutator_cpus) phases << ", mutator_cpus: " << dec(ph.cpus, 0);
    if (ph.live == Live::ramp) phases << ", retained: {to: " << dec(ph.to_mib) << "MiB}";
    if (ph.live == Live::drop) phases << ", retained: {to: " << dec(ph.to_mib) << "MiB, over: 0s}";
    phases << "}\n";
  }
  fit.phases = static_cast<int>(out.size());
  return phases.str();
}

// A fitted scenario's object sizes. gctrace shows none, and they set the runtime's metadata (an
// mspan and mark bits per span: a program of 256 KiB buffers has a 3,000th of a 64 B program's
// spans, so a goal under a memory limit moves by MiBs) and how many size classes hold a
// partly-filled span per P, counted in heap_live. Given the program's mean object size
// (MemStats TotalAlloc / Mallocs), a lognormal with that mean, mean = median·e^(sigma²/2); else
// a 64 B median. Its spread, unknown, is kept to about one size-class step (classes are 6-14 %
// apart above 128 B): sigma 1 spreads a fitted program over ~20 classes (tests/605's calibrated
// GC counts within 10 %: 59 with it, 63 with 0.1).
std::string sizes_yaml(double mean_object_bytes) {
  constexpr double kSigma = 0.1;
  const double median_bytes = mean_object_bytes > 0 ? mean_object_bytes * std::exp(-kSigma * kSigma / 2) : 64;
  return "{lognormal: {median: " + std::to_string(std::max<long long>(1, std::llround(median_bytes))) +
         "B, sigma: " + dec(kSigma, 1) + "}}";
}

}  // namespace

TraceFit calibrate_from_gctrace(const GctraceFile& trace, const std::string& name, long gogc, long long memory_limit,
                                double mean_object_bytes) {
  const auto& cs = trace.cycles;
  if (cs.size() < 3) throw InputError(name + ": calibrate needs at least 3 gctrace cycles, found " + std::to_string(cs.size()));
  const int procs = cs.back().procs;
  TraceFit fit;
  fit.cycles = static_cast<int>(cs.size());
  // The program's own CPUs (median over marks): idle-priority marking runs only on Ps the
  // program left idle. With idle marking, the background workers ran on Ps the program did not
  // want either: mutator CPUs = P − (worker + idle CPU) / mark wall time. Without it the program
  // kept every P busy and the workers took Ps it wanted: P. (Subtracting the workers there made
  // the CPU-bound validation programs look like 1.5-1.85 CPUs of 2, and their calibrated
  // predictions worse: count within 10 % 51 -> 53, peak within 15 % 66 -> 69 without it.)
  auto idle_marking = [](const GctraceLine& c) { return c.clock_ms[1] > 0 && c.cpu_ms[3] > 0.05 * c.clock_ms[1]; };
  auto cpus_in_mark = [&](const GctraceLine& c) {
    return idle_marking(c) ? procs - (c.cpu_ms[2] + c.cpu_ms[3]) / c.clock_ms[1] : static_cast<double>(procs);
  };
  std::vector<double> mut;
  for (const auto& c : cs) {
    if (c.clock_ms[1] > 0.5) mut.push_back(cpus_in_mark(c));
  }
  const double mutator_cpus = std::clamp(mut.empty() ? procs : median(mut), 1.0, static_cast<double>(procs));
  // A program that keeps every P busy may not do so all the time: a start-up that builds its
  // live heap on one goroutine leaves the other Ps idle, and idle marking shows it in those
  // cycles (near-limit's first six marks). There the interval before the cycle gets fewer CPUs:
  // at least one P was idle. The estimate above is whole-P only roughly in such short marks (the
  // mark ends before the idle P's workers have run through it: 1.7-1.9 of 2 in near-limit's
  // start-up, which runs one goroutine), so it is rounded down, to at most GOMAXPROCS - 1.
  auto cpus_before = [&](const GctraceLine& c) {
    if (procs < 2 || mutator_cpus < procs || !idle_marking(c)) return mutator_cpus;
    return std::clamp(std::floor(cpus_in_mark(c)), 1.0, static_cast<double>(procs - 1));
  };
  // The program ran slower while the GC marked (write barrier, shared caches): its program time
  // is its CPU between marks plus mark_speed times its CPU during them.
  const MarkSpeed mark_speed = measure_mark_speed(trace, mutator_cpus);
  const double slow = 1 - mark_speed.speed;
  // Every cycle is a measurement of the allocation so far and of the live heap: the program
  // between two GC starts allocated what the heap grew by, less what the previous mark left
  // (X_i - Z_{i-1}, plus the previous mark's own Y - X). Replaying the run cycle by cycle keeps
  // what a few fitted lines smooth away: a start-up that builds the live heap in the first
  // cycles, a heap that grows and is dropped between two cycles.
  std::vector<Knot> knots;
  std::vector<double> live;  // per cycle, for the mark-cost fit
  double cum = 0, prev_marked = 0, prev_frac = 0, marking_s = 0;  // the program's CPU in marks so far, per P
  for (const auto& c : cs) {
    const double at_start = cum + std::max(0.0, static_cast<double>(c.heap_start_mb) - prev_marked);
    const double black = static_cast<double>(c.heap_peak_mb - c.heap_start_mb);
    const double l = std::max(0.0, static_cast<double>(c.heap_marked_mb) - black);
    knots.push_back({c.t_s * (1 - prev_frac) - slow * marking_s, at_start, l, cpus_before(c)});
    live.push_back(l);
    cum += std::max(0.0, static_cast<double>(c.heap_peak_mb) - prev_marked);
    prev_marked = static_cast<double>(c.heap_marked_mb);
    prev_frac = c.gc_cpu_pct / 100.0;
    marking_s += program_cpu_in_mark_ms(c) / 1e3 / procs;
  }
  const auto& last = cs.back();
  double end_s = (last.t_s + (last.clock_ms[0] + last.clock_ms[1] + last.clock_ms[2]) / 1e3) * (1 - prev_frac) - slow * marking_s;
  // gctrace ends with the last cycle, the program did not: it ran on, allocating toward a next
  // cycle it never reached, and the trace does not say for how long. The expectation, for an
  // exit at a random point of a GC interval: half a (median) interval, at the allocation rate
  // of the last one. (Without it a short run's fitted scenario allocates a part of a cycle too
  // little: near-limit's GOGC=100 run, 13 cycles, 7 % of its 1.76 GB.)
  if (knots.size() >= 2) {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < knots.size(); ++i) gaps.push_back(knots[i].t_s - knots[i - 1].t_s);
    const Knot& a = knots[knots.size() - 2];
    const Knot& b = knots.back();
    const double rate = b.t_s > a.t_s ? (b.alloc_mib - a.alloc_mib) / (b.t_s - a.t_s) : 0;
    const double tail_s = 0.5 * median(gaps);
    end_s += tail_s;
    cum += rate * tail_s;
  }
  // Mark cost: background + assist + idle mark CPU. gctrace alone cannot tell the scannable
  // fraction from the cost per scanned byte: fitted against the live heap marked, their product
  // is written as scan_fraction 1 and a cost per live byte. With gcpacertrace's end-of-cycle
  // lines in the trace (the scan work each mark did) they come apart: the scan fraction is the
  // heap scan work per byte of the live heap the mark began with (median over the cycles), the
  // cost is fitted per byte of scan work (heap + stacks + globals).
  // (Cycles with at least 1 MB live: below, gctrace's whole-MB rounding decides the ratio.)
  std::vector<double> fractions;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (cs[i].scan_work_bytes[0] >= 0 && live[i] >= 1) fractions.push_back(cs[i].scan_work_bytes[0] / (live[i] * 1048576.0));
  }
  const bool scan_work = fractions.size() >= 3;
  fit.scan_work_cycles = scan_work ? static_cast<int>(fractions.size()) : 0;
  fit.scan_fraction = scan_work ? std::clamp(median(fractions), 1e-4, 1.0) : 1.0;
  const std::string sizes = sizes_yaml(mean_object_bytes);
  std::string phases_text = fit_phases(knots, end_s, cum, name, sizes, fit.scan_fraction, mutator_cpus, fit);
  std::vector<double> x, y;  // per cycle fitted: scan work (or live bytes), mark CPU
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    if (scan_work && c.scan_work_bytes[0] < 0) continue;
    x.push_back(scan_work ? std::max(1.0, c.scan_work_bytes[0] + c.scan_work_bytes[1] + c.scan_work_bytes[2])
                          : std::max(1.0, live[i]) * 1048576.0);
    y.push_back((c.cpu_ms[1] + c.cpu_ms[2] + c.cpu_ms[3]) * 1e6);
  }
  const Eigen::MatrixXd A = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  const Eigen::VectorXd b = Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
  std::vector<double> pauses_a, pauses_c;
  for (const auto& c : cs) {
    pauses_a.push_back(c.clock_ms[0] * 1e6);
    pauses_c.push_back(c.clock_ms[2] * 1e6);
  }
  const double ns_per_byte = std::max(1e-4, A.colPivHouseholderQr().solve(b)(0));
  fit.mark_cpu_rms_rel = (A * Eigen::VectorXd::Constant(1, ns_per_byte) - b).norm() / b.norm();
  // Pauses: sweep termination and mark termination as fixed costs (their medians).
  const double a_med = median(pauses_a), c_med = median(pauses_c);
  // Stacks and globals (Go 1.18+ print them, in whole MB): gctrace's "S MB stacks" is the stack
  // space goroutines hold (maxStackScan), "L MB globals" the scannable globals. They count in
  // the GOGC goal (1.18+) and, stacks, against the memory limit; a service with thousands of
  // goroutines is not the 64 KiB of stacks the default assumes. Under 1 MB they print as 0:
  // the defaults stay. (8 KiB stacks of which 2 KiB scanned: the scanned share is not printed.)
  std::vector<double> stacks, globals;
  for (const auto& c : cs) {
    if (c.stacks_mb >= 0) stacks.push_back(static_cast<double>(c.stacks_mb));
    if (c.globals_mb >= 0) globals.push_back(static_cast<double>(c.globals_mb));
  }
  const double stacks_mib = median(stacks), globals_mib = median(globals);
  const long goroutines = stacks_mib >= 1 ? std::lround(stacks_mib * 1024 / 8) : 8;
  fit.alloc_mib_per_s = end_s > 0 ? cum / end_s : 0;
  fit.live_min_mib = *std::min_element(live.begin(), live.end());
  fit.live_max_mib = *std::max_element(live.begin(), live.end());
  fit.mark_ns_per_byte = ns_per_byte;
  fit.mutator_cpus = mutator_cpus;
  fit.mark_speed = mark_speed.speed;
  fit.mark_speed_cycles = mark_speed.cycles;
  fit.stacks_mib = stacks_mib;
  fit.globals_mib = globals_mib;
  const std::string memory = "{goroutines: " + std::to_string(goroutines) +
                             ", stack_size: 8KiB, stack_scanned: 2KiB, globals: " +
                             (globals_mib >= 1 ? dec(globals_mib, 0) + "MiB" : std::string("200KiB")) + ", other: 1MiB}";
  auto assemble = [&](const std::string& ph) {
    std::ostringstream y;
    y << "# Fitted by `gogcsim calibrate` to " << name << " (" << cs.size() << " cycles).\n"
      << "# Residuals (relative RMS): allocation " << fmt(fit.alloc_rate_rms_rel, 3) << ", live heap "
      << fmt(fit.live_rms_rel, 3) << ", mark CPU " << fmt(fit.mark_cpu_rms_rel, 3) << ".\n"
      << (scan_work ? "# gcpacertrace gives each mark's scan work (" + std::to_string(fit.scan_work_cycles) +
                          " cycles): scan_fraction is the heap scan work per\n# byte of live heap, the cost fitted per byte of scan work.\n"
                    : std::string("# gctrace cannot tell the scannable fraction from the cost per scanned byte: the fit is\n"
                                  "# their product, written as scan_fraction 1 and a cost per live byte (gcpacertrace\n"
                                  "# lines in the trace, GODEBUG=gctrace=1,gcpacertrace=1, separate them).\n"))
      << (mean_object_bytes > 0
              ? "# Object sizes: lognormal with the program's mean object size, " + dec(mean_object_bytes, 0) + " B.\n"
              : std::string("# gctrace shows no object sizes: a 64 B median stands in (--mean-object-size, from\n"
                            "# MemStats TotalAlloc / Mallocs, sets them; they set the runtime's metadata).\n"))
      << (fit.runtime_cpu_s > 0 ? "# Program time less " + dec(fit.runtime_cpu_s) +
                                      " CPU-seconds of sweeping and scavenging, which gctrace's GC CPU\n"
                                      "# leaves in it and the model charges apart.\n"
                                : std::string())
      << "name: " << fs::path(name).stem().string() << "-fitted\n"
      << "seed: 1\n"
      << "go: \"1.19\"\n"
      << "# The fractional worker as Go's scheduler runs it: predictions from fitted scenarios are\n"
      << "# better with it (tests/605: peak within 10 % in 66 of 78 cells against 55).\n"
      << "workers: scheduled\n"
      << "runtime: {gomaxprocs: " << procs << ", gogc: " << gogc_text(gogc)
      << ", gomemlimit: " << (memory_limit < 0 ? std::string("off") : format_size(static_cast<std::uint64_t>(memory_limit))) << "}\n"
      << "memory: " << memory << "\n"
      << "costs: {scan_ns_per_byte: " << dec(ns_per_byte, 4) << ", scan_ns_per_object: 0, mark_ns_per_object: 0, mark_fixed: 0ns, sweep_term: "
      << format_duration(static_cast<std::int64_t>(a_med)) << ", mark_term: " << format_duration(static_cast<std::int64_t>(c_med))
      << ", stw_per_p: 0ns, stop_latency_median: 0ns}\n"
      << "workload:\n"
      << "  kind: synthetic\n"
      << "  mutator_cpus: " << dec(mutator_cpus, 2) << "\n"
      << "  mark_speed: " << dec(mark_speed.speed, 2) << "   # measured over " << mark_speed.cycles << " cycles\n"
      << "  phases:\n"
      << ph;
    return y.str();
  };
  fit.yaml = assemble(phases_text);
  // Sweeping and the background scavenger are not in gctrace's GC CPU: the program time above
  // (wall less the GC's share) holds them, and the model charges them again. Where the program
  // keeps every P busy, the model takes them from its CPU too, so a second pass takes out of
  // each knot's program time what the first pass's run of the fitted scenario spent on them by
  // then. (Where Ps idle, the model sweeps and scavenges on those: nothing to take out; so in a
  // start-up fitted on fewer CPUs.)
  if (mutator_cpus >= procs - 0.01) {
    const std::int64_t every_ns = std::max<std::int64_t>(1000000, static_cast<std::int64_t>(end_s * 1e9 / 20000));
    const RunResult first = run_scenario(load_scenario_text(fit.yaml, name, {"output.sample_interval=" + format_duration(every_ns)}));
    std::vector<double> at_ns{0}, spent_ns{0};  // program time reached, sweep + scavenge CPU by then
    for (const Sample& smp : first.recorder.samples) {
      if (smp.mutator_ns <= at_ns.back()) continue;
      at_ns.push_back(smp.mutator_ns);
      spent_ns.push_back(smp.cpu.sweep_ns + smp.cpu.scavenge_ns);
    }
    auto spent_at = [&](double t_s) {  // linear between samples, the last one's after
      const double t = t_s * 1e9;
      const auto it = std::upper_bound(at_ns.begin(), at_ns.end(), t);
      if (it == at_ns.end()) return spent_ns.back();
      const std::size_t i = static_cast<std::size_t>(it - at_ns.begin());
      return spent_ns[i - 1] + (spent_ns[i] - spent_ns[i - 1]) * (t - at_ns[i - 1]) / (at_ns[i] - at_ns[i - 1]);
    };
    const double start_up_s = fit.start_up_s;
    auto spent_by = [&](double t_s) { return t_s <= start_up_s ? 0.0 : spent_at(t_s) - spent_at(start_up_s); };
    std::vector<Knot> own = knots;
    for (Knot& k : own) k.t_s -= spent_by(k.t_s) / 1e9 / mutator_cpus;
    fit.runtime_cpu_s = spent_by(end_s) / 1e9;
    const double own_end_s = end_s - fit.runtime_cpu_s / mutator_cpus;
    fit.alloc_mib_per_s = own_end_s > 0 ? cum / own_end_s : 0;
    phases_text = fit_phases(own, own_end_s, cum, name, sizes, fit.scan_fraction, mutator_cpus, fit);
    fit.yaml = assemble(phases_text);
  }
  return fit;
}

}  // namespace gogcsim
