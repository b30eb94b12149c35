#include "app/calibrate.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "app/run.hpp"
#include "sim/units.hpp"

namespace gogcsim {

namespace fs = std::filesystem;

namespace {

GctraceFile read_trace_file(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw InputError(p.string() + ": cannot open file");
  return read_gctrace(in);
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
  Eigen::Vector4d x = A.colPivHouseholderQr().solve(b);
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

// One interval of the trace: from the end of one cycle's mark to the end of the next.
struct Interval {
  double t0_s, t1_s;      // wall
  double alloc_mib;       // allocated in it
  double live_mib;        // live heap at its end (marked minus allocated black)
};

// Least-squares line through (t, y) on [i, j): returns the sum of squared residuals.
double line_fit(const std::vector<double>& t, const std::vector<double>& y, std::size_t i, std::size_t j, double* slope,
                double* intercept) {
  const auto n = static_cast<Eigen::Index>(j - i);
  Eigen::MatrixXd A(n, 2);
  Eigen::VectorXd b(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    A(k, 0) = t[i + static_cast<std::size_t>(k)];
    A(k, 1) = 1;
    b(k) = y[i + static_cast<std::size_t>(k)];
  }
  Eigen::Vector2d x = n >= 2 ? Eigen::Vector2d(A.colPivHouseholderQr().solve(b)) : Eigen::Vector2d(0, b(0));
  if (slope) *slope = x(0);
  if (intercept) *intercept = x(1);
  return (A * x - b).squaredNorm();
}

// Greedy segmentation of a cumulative curve into linear pieces (change points where the
// residual drops most), at most `max_pieces`, stopping when a split gains < 5 %.
std::vector<std::size_t> segment(const std::vector<double>& t, const std::vector<double>& y, int max_pieces) {
  std::vector<std::size_t> cuts{0, t.size()};
  auto cost = [&](std::size_t a, std::size_t b) { return b - a >= 2 ? line_fit(t, y, a, b, nullptr, nullptr) : 0.0; };
  while (static_cast<int>(cuts.size()) - 1 < max_pieces) {
    double total = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) total += cost(cuts[k], cuts[k + 1]);
    double best_gain = 0;
    std::size_t best_at = 0, best_piece = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const double whole = cost(cuts[k], cuts[k + 1]);
      for (std::size_t m = cuts[k] + 3; m + 3 <= cuts[k + 1]; ++m) {  // at least 3 points a piece
        const double gain = whole - cost(cuts[k], m) - cost(m, cuts[k + 1]);
        if (gain > best_gain) {
          best_gain = gain;
          best_at = m;
          best_piece = k;
        }
      }
    }
    if (best_gain <= 0.05 * total || best_at == 0) break;
    cuts.insert(cuts.begin() + static_cast<std::ptrdiff_t>(best_piece) + 1, best_at);
  }
  return cuts;
}

}  // namespace

TraceFit calibrate_from_gctrace(const GctraceFile& trace, const std::string& name, long gogc, long long memory_limit) {
  const auto& cs = trace.cycles;
  if (cs.size() < 3) throw InputError(name + ": calibrate needs at least 3 gctrace cycles, found " + std::to_string(cs.size()));
  const int procs = cs.back().procs;
  TraceFit fit;
  fit.cycles = static_cast<int>(cs.size());
  // Cumulative allocation at each cycle's end, in program (mutator) time: wall time less the
  // share of the Ps the GC took (gctrace's cumulative U%, over all Ps).
  std::vector<double> t{0}, alloc{0}, live_t, live;
  double cum = 0;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    const double prev_marked = i == 0 ? 0.0 : static_cast<double>(cs[i - 1].heap_marked_mb);
    cum += std::max(0.0, static_cast<double>(c.heap_peak_mb) - prev_marked);
    const double end_s = c.t_s + (c.clock_ms[0] + c.clock_ms[1] + c.clock_ms[2]) / 1e3;
    const double mutator_s = end_s * (1 - c.gc_cpu_pct / 100.0);
    t.push_back(mutator_s);
    alloc.push_back(cum);
    // Live heap: marked minus what was allocated black during the mark.
    live_t.push_back(mutator_s);
    live.push_back(std::max(0.0, static_cast<double>(c.heap_marked_mb) - static_cast<double>(c.heap_peak_mb - c.heap_start_mb)));
  }
  // Phases of constant allocation rate: segmented least squares on cumulative allocation.
  const auto cuts = segment(t, alloc, 8);
  fit.phases = static_cast<int>(cuts.size()) - 1;
  double sq_rate = 0, sq_live = 0;
  std::ostringstream phases;
  double retained_prev = 0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::size_t a = cuts[k], b = cuts[k + 1];
    double slope = 0, icpt = 0;
    line_fit(t, alloc, a, b, &slope, &icpt);
    for (std::size_t m = a; m < b; ++m) {
      const double pred = slope * t[m] + icpt;
      sq_rate += alloc[m] > 0 ? std::pow(pred / alloc[m] - 1, 2) : 0;
    }
    const double t0 = t[a], t1 = t[b - 1 < t.size() ? b - 1 : t.size() - 1];
    const double dur = std::max(1e-3, (k + 2 == cuts.size() ? t.back() : t[b]) - t0);
    // The live heap at the end of the phase (a line through the phase's live points).
    double lslope = 0, licpt = 0;
    const std::size_t la = a == 0 ? 0 : a - 1, lb = std::min(b, live.size());
    if (lb > la) line_fit(live_t, live, la, lb, &lslope, &licpt);
    double retained = std::max(0.0, lslope * (t0 + dur) + licpt);
    for (std::size_t m = la; m < lb; ++m) {
      const double pred = lslope * live_t[m] + licpt;
      sq_live += live[m] > 0 ? std::pow(pred / live[m] - 1, 2) : 0;
    }
    double rate = std::max(0.01, slope);  // MiB per s
    // The retained heap cannot grow faster than the program allocates.
    if ((retained - retained_prev) / dur > rate) retained = retained_prev + rate * dur;
    (void)t1;
    phases << "    - duration: " << format_duration(static_cast<std::int64_t>(dur * 1e9)) << "\n"
           << "      alloc_rate: " << dec(rate) << "MiB/s\n"
           << "      sizes: {lognormal: {median: 64B, sigma: 1.0}}\n"
           << "      scan_fraction: 1\n"
           << "      lifetime: {exponential: {mean: 1ms}}\n"
           << "      retained: {to: " << dec(std::max(0.0, retained)) << "MiB}\n";
    retained_prev = retained;
  }
  fit.alloc_rate_rms_rel = std::sqrt(sq_rate / static_cast<double>(t.size()));
  fit.live_rms_rel = std::sqrt(sq_live / static_cast<double>(live.size()));
  // Mark cost: background + assist + idle mark CPU against the live heap marked.
  Eigen::MatrixXd A(static_cast<Eigen::Index>(cs.size()), 1);
  Eigen::VectorXd b(static_cast<Eigen::Index>(cs.size()));
  std::vector<double> pauses_a, pauses_c;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    A(static_cast<Eigen::Index>(i), 0) = std::max(1.0, live[i]) * 1048576.0;
    b(static_cast<Eigen::Index>(i)) = (c.cpu_ms[1] + c.cpu_ms[2] + c.cpu_ms[3]) * 1e6;
    pauses_a.push_back(c.clock_ms[0] * 1e6);
    pauses_c.push_back(c.clock_ms[2] * 1e6);
  }
  const double ns_per_byte = std::max(1e-4, A.colPivHouseholderQr().solve(b)(0));
  fit.mark_cpu_rms_rel = (A * Eigen::VectorXd::Constant(1, ns_per_byte) - b).norm() / b.norm();
  // Pauses: sweep termination and mark termination as fixed costs (their medians).
  const double a_med = median(pauses_a), c_med = median(pauses_c);
  // The program's own CPUs: during a mark, background workers and idle Ps are what the
  // program left over: mutator CPUs = P − (worker + idle CPU) / mark wall time (median).
  std::vector<double> mut;
  for (const auto& c : cs) {
    if (c.clock_ms[1] > 0.5) mut.push_back(procs - (c.cpu_ms[2] + c.cpu_ms[3]) / c.clock_ms[1]);
  }
  const double mutator_cpus = std::clamp(mut.empty() ? procs : median(mut), 1.0, static_cast<double>(procs));
  std::ostringstream y;
  y << "# Fitted by `gogcsim calibrate` to " << name << " (" << cs.size() << " cycles).\n"
    << "# Residuals (relative RMS): allocation " << fmt(fit.alloc_rate_rms_rel, 3) << ", live heap "
    << fmt(fit.live_rms_rel, 3) << ", mark CPU " << fmt(fit.mark_cpu_rms_rel, 3) << ".\n"
    << "# gctrace cannot tell the scannable fraction from the cost per scanned byte: the fit is\n"
    << "# their product, written as scan_fraction 1 and a cost per live byte.\n"
    << "name: " << fs::path(name).stem().string() << "-fitted\n"
    << "seed: 1\n"
    << "go: \"1.19\"\n"
    << "runtime: {gomaxprocs: " << procs << ", gogc: " << (gogc < 0 ? std::string("off") : std::to_string(gogc))
    << ", gomemlimit: " << (memory_limit < 0 ? std::string("off") : format_size(static_cast<std::uint64_t>(memory_limit))) << "}\n"
    << "memory: {goroutines: 8, stack_size: 8KiB, stack_scanned: 2KiB, globals: 200KiB, other: 1MiB}\n"
    << "costs: {scan_ns_per_byte: " << dec(ns_per_byte, 4) << ", scan_ns_per_object: 0, mark_ns_per_object: 0, mark_fixed: 0ns, sweep_term: "
    << format_duration(static_cast<std::int64_t>(a_med)) << ", mark_term: " << format_duration(static_cast<std::int64_t>(c_med))
    << ", stw_per_p: 0ns, stop_latency_median: 0ns}\n"
    << "workload:\n"
    << "  kind: synthetic\n"
    << "  mutator_cpus: " << dec(mutator_cpus, 2) << "\n"
    << "  phases:\n"
    << phases.str();
  fit.yaml = y.str();
  return fit;
}

}  // namespace gogcsim
