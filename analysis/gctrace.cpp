#include "analysis/gctrace.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstring>
#include <cstdio>

#include "sim/config.hpp"

namespace gogcsim {

namespace {

// A tiny cursor over one line: each take_* consumes a token or fails.
struct Cursor {
  const std::string& s;
  std::size_t i = 0;
  bool ok = true;
  bool lit(const char* t) {
    std::size_t n = std::char_traits<char>::length(t);
    if (!ok || s.compare(i, n, t) != 0) return ok = false;
    i += n;
    return true;
  }
  double num() {
    if (!ok) return 0;
    std::size_t j = i;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
    double v = 0;
    auto r = std::from_chars(s.data() + i, s.data() + j, v);
    if (j == i || r.ptr != s.data() + j) {
      ok = false;
      return 0;
    }
    i = j;
    return v;
  }
  /// A whole number up to 2^53 (no gctrace field comes near; beyond, the line is corrupt).
  long integer() {
    const double v = num();
    if (v != std::floor(v) || v > 9007199254740992.0) ok = false;
    return ok ? static_cast<long>(v) : 0;
  }
};

// A line without its trailing blanks and carriage return.
std::string trimmed(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

/// "gc N @": what every gctrace line starts with (runtime/mgc.go), and no other output does.
bool starts_as_gctrace(const std::string& line) {
  Cursor c{line};
  c.lit("gc ");
  c.integer();
  c.lit(" @");
  return c.ok;
}

// Log collectors put something before each line (kubectl logs --timestamps, journald, a
// "[pod]" tag): the runtime's own line starts at the first "gc N", "pacer: " or "scav N"
// that opens the line or follows a space or tab. Without one, the line as it is.
std::string runtime_part(const std::string& line) {
  struct Marker {
    const char* text;
    bool digit_after;
  };
  static constexpr Marker kMarkers[] = {{"gc ", true}, {"pacer: ", false}, {"scav ", true}};
  std::size_t best = std::string::npos;
  for (const Marker& m : kMarkers) {
    const std::size_t n = std::strlen(m.text);
    for (std::size_t pos = line.find(m.text); pos != std::string::npos && pos < best; pos = line.find(m.text, pos + 1)) {
      const bool opens = pos == 0 || line[pos - 1] == ' ' || line[pos - 1] == '\t';
      const bool digit = !m.digit_after || (pos + n < line.size() && std::isdigit(static_cast<unsigned char>(line[pos + n])));
      if (opens && digit) {
        best = pos;
        break;
      }
    }
  }
  return best == std::string::npos || best == 0 ? line : line.substr(best);
}

}  // namespace

std::optional<GctraceLine> parse_gctrace_line(const std::string& raw) {
  const std::string line = trimmed(raw);
  Cursor c{line};
  GctraceLine g;
  c.lit("gc ");
  g.cycle = c.integer();
  c.lit(" @");
  g.t_s = c.num();
  c.lit("s ");
  g.gc_cpu_pct = static_cast<int>(c.integer());
  c.lit("%: ");
  for (int k = 0; k < 3; ++k) {
    if (k) c.lit("+");
    g.clock_ms[k] = c.num();
  }
  c.lit(" ms clock, ");
  g.cpu_ms[0] = c.num();
  c.lit("+");
  g.cpu_ms[1] = c.num();
  c.lit("/");
  g.cpu_ms[2] = c.num();
  c.lit("/");
  g.cpu_ms[3] = c.num();
  c.lit("+");
  g.cpu_ms[4] = c.num();
  c.lit(" ms cpu, ");
  g.heap_start_mb = c.integer();
  c.lit("->");
  g.heap_peak_mb = c.integer();
  c.lit("->");
  g.heap_marked_mb = c.integer();
  c.lit(" MB, ");
  g.goal_mb = c.integer();
  c.lit(" MB goal, ");
  if (!c.ok) return std::nullopt;
  // 1.18+: "S MB stacks, L MB globals, "; <= 1.17: straight to "P P".
  std::size_t save = c.i;
  long first = c.integer();
  if (c.ok && line.compare(c.i, 11, " MB stacks,") == 0) {
    g.stacks_mb = first;
    c.lit(" MB stacks, ");
    g.globals_mb = c.integer();
    c.lit(" MB globals, ");
    g.procs = static_cast<int>(c.integer());
  } else {
    c.ok = true;
    c.i = save;
    g.procs = static_cast<int>(c.integer());
  }
  c.lit(" P");
  if (!c.ok) return std::nullopt;
  if (c.i == line.size()) return g;
  if (line.compare(c.i, std::string::npos, " (forced)") == 0) {
    g.forced = true;
    return g;
  }
  return std::nullopt;
}

std::optional<ScavtraceLine> parse_scavtrace_line(const std::string& raw) {
  const std::string line = trimmed(raw);
  Cursor c{line};
  ScavtraceLine s;
  c.lit("scav ");
  s.work_kib = c.num();
  c.lit(" KiB work");
  if (c.ok && line.compare(c.i, 7, " (bg), ") == 0) {  // 1.21+
    c.lit(" (bg), ");
    s.eager_kib = c.num();
    c.lit(" KiB work (eager), ");
    s.released_kib = c.num();
    c.lit(" KiB now, ");
  } else {
    c.lit(", ");
    s.released_kib = c.num();
    c.lit(" KiB total, ");
  }
  s.util_pct = static_cast<int>(c.integer());
  c.lit("% util");
  if (!c.ok) return std::nullopt;
  const std::string rest = line.substr(c.i);
  if (rest == " (forced)") {
    s.forced = true;
  } else if (!rest.empty() && rest != " [controller reset]") {
    return std::nullopt;
  }
  return s;
}

std::optional<std::array<double, 3>> parse_pacer_scan_work(const std::string& raw) {
  const std::string line = trimmed(raw);
  Cursor c{line};
  c.lit("pacer: ");
  c.integer();
  c.lit("% CPU (");
  c.integer();
  c.lit(" exp.) for ");
  std::array<double, 3> work{};
  for (std::size_t k = 0; k < 3; ++k) {
    if (k) c.lit("+");
    work[k] = static_cast<double>(c.integer());
  }
  c.lit(" B work (");
  if (!c.ok) return std::nullopt;
  return work;
}

GctraceFile read_gctrace(std::istream& in, const std::string& source) {
  GctraceFile f;
  std::string line;
  int no = 0;
  std::optional<std::array<double, 3>> scan_work;  // from a pacer line, for the next cycle
  while (std::getline(in, line)) {
    ++no;
    line = runtime_part(line);
    if (auto g = parse_gctrace_line(line)) {
      g->line_no = no;
      if (scan_work) std::copy(scan_work->begin(), scan_work->end(), g->scan_work_bytes);
      scan_work.reset();
      f.cycles.push_back(*g);
    } else if (auto w = parse_pacer_scan_work(line)) {
      scan_work = w;
    } else if (auto s = parse_scavtrace_line(line)) {
      f.scav.push_back(*s);
    } else if (starts_as_gctrace(line)) {
      throw InputError(source + ":" + std::to_string(no) + ": truncated or malformed gctrace line: '" +
                       trimmed(line).substr(0, 80) + "'");
    } else if (!line.empty()) {
      ++f.skipped_lines;
    }
  }
  return f;
}

TraceGoalBound classify_goal(const GctraceLine& p, const GctraceLine& g, long gogc, double* gogc_goal_mb) {
  const long roots = std::max(0L, g.stacks_mb) + std::max(0L, g.globals_mb);
  const double gogc_goal = gogc < 0 ? 1e18
                                    : static_cast<double>(p.heap_marked_mb) +
                                          static_cast<double>(p.heap_marked_mb + roots) * static_cast<double>(gogc) / 100;
  if (gogc_goal_mb) *gogc_goal_mb = gogc_goal;
  const double minimum = 4.0 * static_cast<double>(std::max(gogc, 0L)) / 100;
  if (g.goal_mb <= p.heap_marked_mb + 1 && gogc_goal > static_cast<double>(g.goal_mb) + 2) {
    return TraceGoalBound::memory_limit_back_to_back;
  }
  if (static_cast<double>(g.goal_mb) < gogc_goal - 2) return TraceGoalBound::memory_limit;
  if (std::fabs(static_cast<double>(g.goal_mb) - minimum) <= 1 && gogc_goal < minimum) return TraceGoalBound::heap_minimum;
  return TraceGoalBound::gogc;
}

GogcInference infer_gogc(const GctraceFile& trace) {
  // A cycle's goal against GOGC's for a candidate GOGC r (as a fraction): the first cycle's
  // is the heap minimum, 4 MiB x r; later ones M + (M + stacks + globals) x r. gctrace
  // truncates to MB: the marked heap up to 1 MB more, stacks and globals together up to 1 MB
  // more (they are KBs in most programs), the goal printed up to 1 MB less; and up to 1 MB
  // above GOGC's when the heap passed the trigger late (the minimum runway: trigger + 64 KiB).
  struct Judged {
    double goal, lo_at_0, lo_per_r, hi_at_0, hi_per_r;
  };
  std::vector<Judged> js;
  const auto& cs = trace.cycles;
  if (!cs.empty()) {
    const auto goal = static_cast<double>(cs[0].goal_mb);
    js.push_back({goal, -1, 4, 0, 4});
  }
  for (std::size_t i = 1; i < cs.size(); ++i) {
    if (cs[i - 1].heap_marked_mb < 8) continue;  // small heaps: the heap minimum may set the goal
    const auto m = static_cast<double>(cs[i - 1].heap_marked_mb);
    const auto roots = static_cast<double>(std::max(0L, cs[i].stacks_mb) + std::max(0L, cs[i].globals_mb));
    js.push_back({static_cast<double>(cs[i].goal_mb), m - 1, m + roots, m + 1, m + 1 + roots + 1});
  }
  GogcInference best;
  best.judged = static_cast<int>(js.size());
  if (js.empty()) return best;
  for (long g = 25; g <= 1000; g += 25) {
    const double r = static_cast<double>(g) / 100;
    int sets = 0, above = 0;
    for (const Judged& j : js) {
      if (j.goal > j.hi_at_0 + j.hi_per_r * r + 1) {
        ++above;  // a memory limit only lowers a goal: this GOGC cannot be the run's
      } else if (j.goal >= j.lo_at_0 + j.lo_per_r * r) {
        ++sets;
      }
    }
    if (above > 0) continue;
    const bool first = best.at_least == 0;
    if (first) best.at_least = g;
    // The most goals given wins; among GOGCs that give as many (MB rounding cannot tell
    // them apart: a first goal of 4 MB fits 75 to 125) the default, 100, else the smallest.
    if (first || sets > best.sets || (sets == best.sets && g == 100)) {
      best.gogc = g;
      best.sets = sets;
    }
  }
  if (best.at_least == 0) best.gogc = -1;  // goals above every GOGC's up to 1000: off, with a limit
  return best;
}

void explain_gctrace(std::ostream& out, const GctraceFile& trace, long gogc_hint) {
  const auto& cs = trace.cycles;
  if (cs.empty()) {
    out << "no gctrace lines found (" << trace.skipped_lines << " other lines)\n";
    return;
  }
  long gogc = gogc_hint;
  if (gogc < -1) {
    const GogcInference inf = infer_gogc(trace);
    gogc = inf.gogc;
    out << "# GOGC inferred from the goals: ";
    if (gogc < 0) {
      out << "off (goals are above what any GOGC up to 1000 gives: a memory limit set them, with GOGC off or higher";
    } else {
      out << gogc << " (it gives " << inf.sets << " of the " << inf.judged << " goals that can be judged";
      if (2 * inf.sets < inf.judged) {
        out << "; a memory limit set the others, and GOGC could be anything from " << inf.at_least << " up, or off";
      }
    }
    out << "; pass --gogc to set it)\n";
  }
  char buf[512];
  bool said_starved = false, said_pause = false, said_sweep = false, said_release_stop = false;
  // For the summary at the end.
  int n_gogc = 0, n_limit = 0, n_back_to_back = 0, n_minimum = 0, n_starved = 0, n_slow_stop = 0, n_assist = 0;
  int n_sweep_wait = 0, n_release_stop = 0;
  double sweep_wait_ms = 0;
  std::vector<double> marks_ms, overshoots, limited_goals, gogc_goals;
  std::vector<double> scan_mb, ns_per_scan_byte;  // cycles with a gcpacertrace line
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& g = cs[i];
    std::snprintf(buf, sizeof buf, "gc %ld @%.3fs: heap %ld -> %ld MB at mark end, %ld MB marked; goal %ld MB",
                  g.cycle, g.t_s, g.heap_start_mb, g.heap_peak_mb, g.heap_marked_mb, g.goal_mb);
    out << buf;
    TraceGoalBound bound = TraceGoalBound::gogc;
    if (i == 0) {
      out << " (the first goal: 4 MiB x GOGC/100)\n";
    } else {
      double gogc_goal = 0;
      const char* why = "GOGC";
      bound = classify_goal(cs[i - 1], g, gogc, &gogc_goal);
      if (bound == TraceGoalBound::memory_limit || bound == TraceGoalBound::memory_limit_back_to_back) {
        limited_goals.push_back(static_cast<double>(g.goal_mb));
        gogc_goals.push_back(gogc_goal);
      }
      switch (bound) {
        case TraceGoalBound::memory_limit_back_to_back:
          why = "memory limit, collapsed to the marked heap: back-to-back GC";
          ++n_back_to_back;
          break;
        case TraceGoalBound::memory_limit:
          why = "memory limit (below the GOGC goal)";
          ++n_limit;
          break;
        case TraceGoalBound::heap_minimum:
          why = "heap minimum";
          ++n_minimum;
          break;
        case TraceGoalBound::gogc:
          ++n_gogc;
          break;
      }
      std::snprintf(buf, sizeof buf, " (%s; GOGC goal %.0f MB)\n", why, gogc_goal < 1e17 ? gogc_goal : -1.0);
      out << buf;
    }
    const double wall_ms = g.clock_ms[0] + g.clock_ms[1] + g.clock_ms[2];
    const double gc_cpu = g.cpu_ms[0] + g.cpu_ms[1] + g.cpu_ms[2] + g.cpu_ms[4];
    std::snprintf(buf, sizeof buf,
                  "    overshoot %+.0f%% of the goal; pauses %.3f + %.3f ms; mark %.3f ms wall, CPU %.2f ms "
                  "(assists %.2f, workers %.2f, idle %.2f) = %.0f%% of %d P during the cycle; total GC CPU %d%%\n",
                  g.goal_mb ? 100.0 * (static_cast<double>(g.heap_peak_mb) / static_cast<double>(g.goal_mb) - 1) : 0.0,
                  g.clock_ms[0], g.clock_ms[2], g.clock_ms[1], gc_cpu + g.cpu_ms[3], g.cpu_ms[1], g.cpu_ms[2],
                  g.cpu_ms[3], wall_ms > 0 ? 100.0 * (gc_cpu + g.cpu_ms[3]) / (wall_ms * g.procs) : 0.0, g.procs,
                  g.gc_cpu_pct);
    out << buf;
    if (g.scan_work_bytes[0] >= 0) {  // gcpacertrace: what the mark's CPU did
      const double work = g.scan_work_bytes[0] + g.scan_work_bytes[1] + g.scan_work_bytes[2];
      const double mark_cpu_ns = (g.cpu_ms[1] + g.cpu_ms[2] + g.cpu_ms[3]) * 1e6;
      std::snprintf(buf, sizeof buf, "    scan work %.2f MB: heap %.2f, stacks %.3f, globals %.3f (gcpacertrace); %.2f ns of mark CPU a byte\n",
                    work / 1e6, g.scan_work_bytes[0] / 1e6, g.scan_work_bytes[1] / 1e6, g.scan_work_bytes[2] / 1e6,
                    work > 0 ? mark_cpu_ns / work : 0.0);
      out << buf;
      scan_mb.push_back(work / 1e6);
      if (work > 0) ns_per_scan_byte.push_back(mark_cpu_ns / work);
    }
    // The background workers' plan is 25 % of the Ps for the whole mark. In a program that
    // keeps every P busy (no idle marking) a fractional worker gets a P only when the scheduler
    // runs, and leaves again at 1.2x its share: a runtime/trace of such a Go 1.19 program shows
    // it absent for 6 ms of an 8 ms mark, until sysmon preempted a goroutine that ran 10 ms.
    const double planned_ms = 0.25 * g.procs * g.clock_ms[1];
    const bool starved = g.clock_ms[1] >= 2 && g.cpu_ms[3] < 0.01 * g.clock_ms[1] && g.cpu_ms[2] < 0.5 * planned_ms;
    marks_ms.push_back(g.clock_ms[1]);
    if (g.goal_mb > 0) overshoots.push_back(static_cast<double>(g.heap_peak_mb) / static_cast<double>(g.goal_mb) - 1);
    n_starved += starved ? 1 : 0;
    n_slow_stop += g.clock_ms[0] >= 1 || g.clock_ms[2] >= 1 ? 1 : 0;
    n_assist += g.cpu_ms[1] > g.cpu_ms[2] ? 1 : 0;
    // Each explanation in full the first time, briefly after.
    if (starved) {
      std::snprintf(buf, sizeof buf, "    the background workers ran %.2f of the %.2f ms planned (25%% of %d P)%s, so the mark took %.1f ms "
                    "and the heap grew %ld MB meanwhile\n",
                    g.cpu_ms[2], planned_ms, g.procs,
                    said_starved ? " (no P, as above)"
                                 : ": with every P busy, a worker gets a P only when the scheduler runs (a goroutine "
                                   "blocks, or sysmon preempts one that ran 10 ms)",
                    g.clock_ms[1], g.heap_peak_mb - g.heap_start_mb);
      out << buf;
      said_starved = true;
    }
    // Under the memory limit a goroutine returns memory to the OS inside mheap.allocSpan (the
    // overage, mappedReady + scav - limit): on the system stack, not preemptible, and a stop
    // waits for it to end. tests/validation/record_stw_wait.sh (near-limit at 200MiB): every
    // stop that waited 1 ms or more began during such a release, and they start a cycle: the
    // trigger comes while another goroutine releases (mark termination's did not wait).
    const bool limited = bound == TraceGoalBound::memory_limit || bound == TraceGoalBound::memory_limit_back_to_back;
    if (limited && g.clock_ms[0] >= 1) {
      ++n_release_stop;
      std::snprintf(buf, sizeof buf, "    the sweep-termination pause took %.1f ms%s\n", g.clock_ms[0],
                    said_release_stop
                        ? " (most likely a release to the OS, as above)"
                        : ": the memory limit set the goal, and then goroutines return memory to the OS as they "
                          "allocate (Go 1.19's allocSpan releases the limit's overage with madvise, on the system "
                          "stack, not preemptible): stopping the world most likely waited for such a release to end");
      out << buf;
      said_release_stop = true;
    }
    for (int k : {0, 2}) {
      if (g.clock_ms[k] < 1 || (k == 0 && limited)) continue;
      std::snprintf(buf, sizeof buf, "    the %s pause took %.1f ms%s\n", k == 0 ? "sweep-termination" : "mark-termination",
                    g.clock_ms[k],
                    said_pause ? " (a slow stop, as above)"
                               : ": stopping the world waited for a goroutine to reach a safe point (a long "
                                 "non-preemptible loop or runtime call), or for a thread the OS did not run (a "
                                 "CPU-starved container or VM)");
      out << buf;
      said_pause = true;
    }
    if (i > 0) {
      const auto& p = cs[i - 1];
      // At the limit the trigger is passed when a cycle ends, yet the next one starts
      // milliseconds later with the heap where the last left it: gcStart first sweeps every
      // span the last cycle left unswept, and the goroutines that would allocate sweep instead.
      // (@T has 1 ms resolution: gaps under 2 ms are not counted.)
      const double gap_ms = 1000 * (g.t_s - p.t_s) - (p.clock_ms[0] + p.clock_ms[1] + p.clock_ms[2]);
      if (bound == TraceGoalBound::memory_limit_back_to_back && gap_ms >= 2 &&
          g.heap_start_mb <= p.heap_marked_mb) {
        ++n_sweep_wait;
        sweep_wait_ms += gap_ms;
        std::snprintf(buf, sizeof buf, "    %.0f ms from gc %ld's end to this start without allocating%s\n", gap_ms, p.cycle,
                      said_sweep ? " (sweeping first, as above)"
                                 : ": the trigger was passed already, but gcStart first sweeps every span the last "
                                   "cycle left (the whole heap, here), and the program's goroutines sweep instead of "
                                   "running");
        out << buf;
        said_sweep = true;
      }
      const char* assists = g.cpu_ms[1] <= g.cpu_ms[2] ? ""
                            : starved ? "; assists did most of the marking: the background workers had no P"
                                      : "; assists did most of the marking: the trigger came late";
      // Allocated from the last mark's end (the heap at its marked size) to this one's, so the
      // rate is over that time too: start to start would leave out this cycle's own mark, in
      // which a starved mark allocates most (a 12 ms mark 2 ms after the last: 16.5 GB/s).
      const auto mark_end_s = [](const GctraceLine& c) {
        return c.t_s + (c.clock_ms[0] + c.clock_ms[1] + c.clock_ms[2]) / 1000;
      };
      const double window_s = mark_end_s(g) - mark_end_s(p);
      const long allocated_mb = g.heap_peak_mb - p.heap_marked_mb;
      std::snprintf(buf, sizeof buf, "    since gc %ld: %.3f s, marked %+ld MB, allocated ~%ld MB (%.0f MB/s)%s\n",
                    p.cycle, g.t_s - p.t_s, g.heap_marked_mb - p.heap_marked_mb, allocated_mb,
                    window_s > 0 ? static_cast<double>(allocated_mb) / window_s : 0.0, assists);
      out << buf;
    }
    if (g.forced) out << "    forced (runtime.GC or debug.FreeOSMemory)\n";
  }
  // What a long trace comes to.
  auto quantile = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  const auto& last = cs.back();
  std::snprintf(buf, sizeof buf, "# summary: %zu cycles in %.3f s, total GC CPU %d%% (gctrace's own)\n", cs.size(), last.t_s,
                last.gc_cpu_pct);
  out << buf;
  std::snprintf(buf, sizeof buf,
                "#   goal set by GOGC in %d, by the memory limit in %d (back-to-back, at the marked heap, in %d), by the "
                "heap minimum in %d (the first cycle aside)\n",
                n_gogc, n_limit + n_back_to_back, n_back_to_back, n_minimum);
  out << buf;
  std::snprintf(buf, sizeof buf,
                "#   mark wall p50 %.1f ms, p99 %.1f ms; heap at mark end vs goal p50 %+.0f%%, max %+.0f%%; assists did most "
                "of the marking in %d\n",
                quantile(marks_ms, 0.5), quantile(marks_ms, 0.99), 100 * quantile(overshoots, 0.5),
                100 * quantile(overshoots, 1.0), n_assist);
  out << buf;
  std::snprintf(buf, sizeof buf, "#   background workers under half their plan in %d; pauses over 1 ms in %d\n", n_starved,
                n_slow_stop);
  out << buf;
  if (n_release_stop > 0) {
    std::snprintf(buf, sizeof buf,
                  "#   sweep-termination pauses over 1 ms while the memory limit set the goal: %d (most likely stops "
                  "waiting for a goroutine's release to the OS)\n",
                  n_release_stop);
    out << buf;
  }
  if (!scan_mb.empty()) {
    std::snprintf(buf, sizeof buf,
                  "#   scan work a cycle p50 %.2f MB, max %.2f MB; mark CPU per byte of it p50 %.2f ns (%zu cycles with "
                  "gcpacertrace)\n",
                  quantile(scan_mb, 0.5), quantile(scan_mb, 1.0), quantile(ns_per_scan_byte, 0.5), scan_mb.size());
    out << buf;
  }
  const double run_ms = 1000 * (last.t_s - cs.front().t_s);
  if (n_sweep_wait > 0) {
    std::snprintf(buf, sizeof buf, "#   cycles that waited for the sweep: %d, %.2f s in all (%.0f%% of the time the trace spans)\n",
                  n_sweep_wait, sweep_wait_ms / 1000, run_ms > 0 ? 100 * sweep_wait_ms / run_ms : 0.0);
    out << buf;
  }
  // The program's own speed during marks (every P counted as the program's between marks).
  const MarkSpeed speed = measure_mark_speed(trace, last.procs);
  const double lost = (1 - speed.speed) * speed.mark_cpu_share;  // of the program's CPU time
  if (speed.cycles > 0) {
    std::snprintf(buf, sizeof buf,
                  "#   the program ran at %.2f of its speed while the GC marked (allocation per CPU second, %d cycles): "
                  "%.0f%% of its CPU time was in marks, %.0f%% of it lost to them beyond GC CPU\n",
                  speed.speed, speed.cycles, 100 * speed.mark_cpu_share, 100 * lost);
    out << buf;
  }
  // The background scavenger, where the trace has scavtrace lines.
  std::vector<double> scav_kib, utils;  // scav_kib: the lines with work
  double scav_total_kib = 0, eager_total_kib = 0;
  std::size_t scav_lines = 0;
  for (const ScavtraceLine& s : trace.scav) {
    if (s.forced) continue;  // FreeOSMemory
    ++scav_lines;
    if (s.work_kib > 0) scav_kib.push_back(s.work_kib);
    utils.push_back(s.util_pct);
    scav_total_kib += s.work_kib;
    eager_total_kib += s.eager_kib;
  }
  if (scav_lines > 0) {
    std::snprintf(buf, sizeof buf,
                  "#   scavtrace: the background scavenger released %.1f MiB in all, nothing in %zu of %zu lines, a median "
                  "%.1f MiB in the others (most %.1f); %.1f MiB released at the end; heap in use a median %.0f%% of the heap "
                  "retained\n",
                  scav_total_kib / 1024, scav_lines - scav_kib.size(), scav_lines,
                  scav_kib.empty() ? 0.0 : quantile(scav_kib, 0.5) / 1024, scav_kib.empty() ? 0.0 : quantile(scav_kib, 1.0) / 1024,
                  trace.scav.back().released_kib / 1024, quantile(utils, 0.5));
    out << buf;
    if (eager_total_kib > 0) {
      std::snprintf(buf, sizeof buf, "#   and the allocating goroutines released %.1f MiB themselves (heap growth, the memory limit)\n",
                    eager_total_kib / 1024);
      out << buf;
    }
  }
  // What it means, where a pattern holds for a quarter of the cycles or more.
  const double quarter = 0.25 * static_cast<double>(cs.size());
  if (scav_lines > 0 && quantile(utils, 0.5) <= 80 && 2 * scav_kib.size() <= scav_lines) {
    std::snprintf(buf, sizeof buf,
                  "# verdict: the heap keeps a median %.0f%% of its pages free, and the background scavenger returned "
                  "nothing in %zu of %zu cycles: it wakes when a sweep finishes, works in runs of about 1 ms with sleeps "
                  "between (1%% of the CPU), and releases only what the heap retains beyond 110%% of its last peak in use "
                  "scaled to the next goal, so RSS stays near the heap's peak; a lower GOGC or a GOMEMLIMIT lowers the "
                  "peak, debug.FreeOSMemory returns the free pages at once\n",
                  100 - quantile(utils, 0.5), scav_lines - scav_kib.size(), scav_lines);
    out << buf;
  }
  if (speed.cycles > 0 && lost >= 0.10) {
    std::snprintf(buf, sizeof buf,
                  "# verdict: marks slow the program itself: at %.2f of its speed during them (the write barrier is on, "
                  "the mark workers share its caches) it lost %.0f%% of its time, which GC CPU does not count; fewer marks "
                  "(a higher GOGC) buy that back too. `calibrate` writes it into the scenario as mark_speed\n",
                  speed.speed, 100 * lost);
    out << buf;
  }
  if (static_cast<double>(n_back_to_back) >= quarter) {
    std::snprintf(buf, sizeof buf,
                  "# verdict: the memory limit holds the goal at the marked heap (median %.0f MB against GOGC's %.0f MB) "
                  "in %d of %zu cycles: GC runs back to back and took %d%% of the CPU",
                  quantile(limited_goals, 0.5), quantile(gogc_goals, 0.5), n_back_to_back, cs.size(), last.gc_cpu_pct);
    out << buf;
    if (n_sweep_wait > 0 && run_ms > 0) {
      std::snprintf(buf, sizeof buf, ", and sweeping the heap before each cycle another %.0f%% of the time (not in GC CPU)",
                    100 * sweep_wait_ms / run_ms);
      out << buf;
    }
    std::snprintf(buf, sizeof buf,
                  ". GOGC paces again with GOMEMLIMIT ~%.0f MB higher, or a smaller live heap; with a lower limit the "
                  "CPU limiter caps GC at 50%% of the CPU and the heap passes the limit\n",
                  quantile(gogc_goals, 0.5) - quantile(limited_goals, 0.5));
    out << buf;
  }
  if (static_cast<double>(n_starved) >= quarter) {
    std::snprintf(buf, sizeof buf,
                  "# verdict: in %d of %zu cycles the background workers ran under half their plan: with GOMAXPROCS=%d "
                  "and every P busy the fractional worker waits for the scheduler, marks run long and the heap "
                  "overshoots; from GOMAXPROCS=4 a dedicated worker marks for the whole cycle\n",
                  n_starved, cs.size(), last.procs);
    out << buf;
  }
}

double program_cpu_in_mark_ms(const GctraceLine& c) {
  return std::max(0.0, c.procs * c.clock_ms[1] - (c.cpu_ms[1] + c.cpu_ms[2] + c.cpu_ms[3]));
}

MarkSpeed measure_mark_speed(const GctraceFile& trace, double mutator_cpus) {
  return measure_mark_speed(trace, mutator_cpus, std::max<std::size_t>(1, trace.cycles.size() / 4), trace.cycles.size());
}

MarkSpeed measure_mark_speed(const GctraceFile& trace, double mutator_cpus, std::size_t first, std::size_t end) {
  const auto& cs = trace.cycles;
  double in_mib = 0, in_ms = 0, out_mib = 0, out_ms = 0;
  int used = 0;
  for (std::size_t i = std::max<std::size_t>(1, first); i < std::min(end, cs.size()); ++i) {
    const GctraceLine& c = cs[i];
    const GctraceLine& p = cs[i - 1];
    if (c.forced || p.forced) continue;
    const double gap_ms = (c.t_s - p.t_s) * 1e3 - (p.clock_ms[0] + p.clock_ms[1] + p.clock_ms[2]) - c.clock_ms[0];
    const double mark_cpu_ms = program_cpu_in_mark_ms(c);
    if (gap_ms <= 0 || mark_cpu_ms <= 0) continue;
    in_mib += static_cast<double>(c.heap_peak_mb - c.heap_start_mb);
    in_ms += mark_cpu_ms;
    out_mib += static_cast<double>(c.heap_start_mb - p.heap_marked_mb);
    out_ms += mutator_cpus * gap_ms;
    ++used;
  }
  MarkSpeed m;
  m.cycles = used;
  if (used < 4 || in_ms <= 0 || out_ms <= 0 || out_mib <= 0 || in_mib < 0) return m;
  m.speed = std::clamp((in_mib / in_ms) / (out_mib / out_ms), 0.05, 1.0);
  m.mark_cpu_share = in_ms / (in_ms + out_ms);
  return m;
}

}  // namespace gogcsim
