#include "analysis/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

namespace gogcsim {

namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string num(double v, int digits = 3) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// Axis ticks: three significant digits, but whole numbers stay whole (1680, not 1.68e+03).
std::string tick(double v) {
  if (std::fabs(v) >= 1000 && std::fabs(v) < 1e9) return num(std::round(v), 10);
  return num(v);
}

struct Series {
  std::string name, color;
  std::vector<std::pair<double, double>> pts;
  bool dashed = false;
};

// A line chart with axes, five ticks per axis and a legend to the right of the plot.
std::string line_chart(const std::string& title, const std::string& xlabel, const std::string& ylabel,
                       const std::vector<Series>& series, bool log_x = false) {
  const double W = 860, H = 300, L = 70, R = 170, T = 30, B = 45;
  double x0 = 1e300, x1 = -1e300, y0 = 0, y1 = -1e300;
  std::size_t npts = 0;
  auto fx = [&](double x) { return log_x ? std::log10(std::max(x, 1e-12)) : x; };
  for (const auto& s : series) {
    for (auto [x, y] : s.pts) {
      x0 = std::min(x0, fx(x));
      x1 = std::max(x1, fx(x));
      y1 = std::max(y1, y);
      y0 = std::min(y0, y);
      ++npts;
    }
  }
  if (npts == 0) {
    x0 = 0;
    x1 = 1;
    y1 = 1;
  }
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y1 = y0 + 1;
  auto px = [&](double x) { return L + (fx(x) - x0) / (x1 - x0) * (W - L - R); };
  auto py = [&](double y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); };
  std::string o = "<figure><svg class=\"chart\" data-points=\"" + std::to_string(npts) + "\" viewBox=\"0 0 " +
                  num(W, 4) + " " + num(H, 4) + "\" width=\"" + num(W, 4) + "\" height=\"" + num(H, 4) +
                  "\" xmlns=\"http://www.w3.org/2000/svg\">";
  o += "<text x=\"" + num(L, 4) + "\" y=\"18\" class=\"title\">" + esc(title) + "</text>";
  o += "<line x1=\"" + num(L, 4) + "\" y1=\"" + num(H - B, 4) + "\" x2=\"" + num(W - R, 4) + "\" y2=\"" + num(H - B, 4) +
       "\" class=\"axis\"/><line x1=\"" + num(L, 4) + "\" y1=\"" + num(T, 4) + "\" x2=\"" + num(L, 4) + "\" y2=\"" +
       num(H - B, 4) + "\" class=\"axis\"/>";
  for (int k = 0; k <= 4; ++k) {
    const double xv = x0 + (x1 - x0) * k / 4, yv = y0 + (y1 - y0) * k / 4;
    const double xp = L + (W - L - R) * k / 4, yp = H - B - (H - T - B) * k / 4;
    o += "<text x=\"" + num(xp, 5) + "\" y=\"" + num(H - B + 16, 5) + "\" class=\"tick\" text-anchor=\"middle\">" +
         tick(log_x ? std::pow(10, xv) : xv) + "</text>";
    o += "<text x=\"" + num(L - 6, 5) + "\" y=\"" + num(yp + 4, 5) + "\" class=\"tick\" text-anchor=\"end\">" + tick(yv) +
         "</text>";
  }
  o += "<text x=\"" + num((L + W - R) / 2, 5) + "\" y=\"" + num(H - 8, 5) + "\" class=\"label\" text-anchor=\"middle\">" +
       esc(xlabel) + "</text>";
  o += "<text x=\"14\" y=\"" + num((T + H - B) / 2, 5) + "\" class=\"label\" transform=\"rotate(-90 14 " +
       num((T + H - B) / 2, 5) + ")\" text-anchor=\"middle\">" + esc(ylabel) + "</text>";
  double ly = T + 4;
  for (const auto& s : series) {
    std::string d;
    for (auto [x, y] : s.pts) d += (d.empty() ? "M" : " L") + num(px(x), 6) + " " + num(py(y), 6);
    if (!d.empty()) {
      o += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"1.5\"" +
           (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>";
    }
    o += "<rect x=\"" + num(W - R + 12, 5) + "\" y=\"" + num(ly - 8, 5) + "\" width=\"10\" height=\"3\" fill=\"" + s.color +
         "\"/><text x=\"" + num(W - R + 27, 5) + "\" y=\"" + num(ly - 4, 5) + "\" class=\"tick\">" + esc(s.name) + "</text>";
    ly += 14;
  }
  return o + "</svg></figure>\n";
}

const char* kStyle =
    "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}"
    "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
    ".title{font-size:14px;font-weight:600}.tick{font-size:11px;fill:#444}.label{font-size:12px;fill:#222}"
    ".axis{stroke:#666;stroke-width:1}figure{margin:8px 0}pre{font-size:11px;white-space:pre-wrap;color:#555}</style>\n";

const char* kCheckScript =
    "<script>window.__errors=0;window.addEventListener('error',function(){window.__errors++;"
    "document.body.setAttribute('data-errors',String(window.__errors));});"
    "window.addEventListener('load',function(){var c=document.querySelectorAll('svg.chart');var ok=0;"
    "for(var i=0;i<c.length;i++){if(parseInt(c[i].getAttribute('data-points'),10)>1)ok++;}"
    "document.body.setAttribute('data-charts',String(c.length));document.body.setAttribute('data-charts-ok',String(ok));"
    "document.body.setAttribute('data-errors',String(window.__errors));});</script>\n";

}  // namespace

void write_report_html(std::ostream& out, const RunInfo& info, const Recorder& r, const Summary& s) {
  const double MiB = 1048576.0;
  Series live{"heap_live (max)", "#1f77b4", {}}, goal{"heap goal", "#d62728", {}, true}, trig{"trigger", "#ff7f0e", {}, true},
      inuse{"heap in use", "#2ca02c", {}}, rss{"RSS", "#9467bd", {}}, limit{"memory limit", "#000000", {}, true};
  Series gc{"GC CPU (all classes)", "#d62728", {}}, assist{"assists", "#ff7f0e", {}};
  const bool has_limit = !r.samples.empty() && r.samples.front().memory_limit != kMaxInt64;
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    const auto& x = r.samples[i];
    const double t = static_cast<double>(x.t_ns) / 1e9;
    live.pts.push_back({t, static_cast<double>(x.heap_live_max) / MiB});
    if (x.heap_goal < (1ULL << 60)) goal.pts.push_back({t, static_cast<double>(x.heap_goal) / MiB});
    if (x.trigger < (1ULL << 60)) trig.pts.push_back({t, static_cast<double>(x.trigger) / MiB});
    inuse.pts.push_back({t, static_cast<double>(x.heap_in_use) / MiB});
    rss.pts.push_back({t, static_cast<double>(x.rss_max) / MiB});
    if (has_limit) limit.pts.push_back({t, static_cast<double>(x.memory_limit) / MiB});
    if (i > 0) {
      CpuClasses d = x.cpu - r.samples[i - 1].cpu;
      const double total = d.total_ns();
      if (total > 0) {
        gc.pts.push_back({t, 100 * d.gc_total_ns() / total});
        assist.pts.push_back({t, 100 * d.gc_mark_assist_ns / total});
      }
    }
  }
  std::vector<Series> heap{live, goal, trig, inuse, rss};
  if (has_limit) heap.push_back(limit);
  std::vector<double> pauses;
  for (const auto& p : r.pauses) pauses.push_back(static_cast<double>(p.duration_ns) / 1e3);
  std::sort(pauses.begin(), pauses.end());
  Series cdf{"pauses", "#1f77b4", {}};
  for (std::size_t i = 0; i < pauses.size(); ++i) {
    cdf.pts.push_back({pauses[i], static_cast<double>(i + 1) / static_cast<double>(pauses.size())});
  }
  Series mmus{"MMU", "#2ca02c", {}};
  for (const auto& p : r.mmu()) mmus.pts.push_back({static_cast<double>(p.window_ns) / 1e6, p.mmu});

  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gogcsim: " << esc(info.scenario_name)
      << "</title>\n" << kStyle << kCheckScript << "</head><body>\n";
  out << "<h1>" << esc(info.scenario_name) << " — Go " << esc(info.go_version) << ", " << esc(info.fidelity) << ", seed "
      << info.seed << "</h1>\n<table>"
      << "<tr><th>GC cycles</th><td>" << s.gc_cycles << "</td><th>GC CPU</th><td>" << num(100 * s.gc_cpu_frac) << " %</td></tr>"
      << "<tr><th>pause p50 / p99 / max</th><td>" << num(s.pause_ns.p50 / 1e3) << " / " << num(s.pause_ns.p99 / 1e3) << " / "
      << num(s.pause_ns.max / 1e3) << " µs</td><th>MMU 1 / 10 / 100 ms</th><td>" << num(s.mmu_1ms, 2) << " / "
      << num(s.mmu_10ms, 2) << " / " << num(s.mmu_100ms, 2) << "</td></tr>"
      << "<tr><th>peak heap_live</th><td>" << num(static_cast<double>(s.peak_heap_live_bytes) / MiB, 4)
      << " MiB</td><th>peak RSS</th><td>" << num(static_cast<double>(s.peak_rss_bytes) / MiB, 4) << " MiB</td></tr>"
      << "<tr><th>OOM</th><td>" << (s.oom ? "yes" : "no") << "</td><th>slowdown</th><td>x" << num(s.slowdown, 5)
      << "</td></tr></table>\n";
  out << line_chart("Heap over time", "time (s)", "MiB", heap);
  out << line_chart("GC CPU over time", "time (s)", "% of all CPU", {gc, assist});
  out << line_chart("Stop-the-world pauses (CDF)", "pause (µs)", "fraction of pauses", {cdf}, true);
  out << line_chart("Minimum mutator utilization", "window (ms)", "MMU", {mmus}, true);
  out << "<pre>" << esc(info.resolved_yaml) << "</pre>\n</body></html>\n";
}

void write_compare_html(std::ostream& out, const std::string& title, const std::vector<CompareCell>& cells) {
  std::vector<std::string> xs, ys;
  for (const auto& c : cells) {
    if (std::find(xs.begin(), xs.end(), c.gogc) == xs.end()) xs.push_back(c.gogc);
    if (std::find(ys.begin(), ys.end(), c.limit) == ys.end()) ys.push_back(c.limit);
  }
  auto heat = [&](const std::string& name, auto value, const char* unit) {
    double lo = 1e300, hi = -1e300;
    for (const auto& c : cells) {
      lo = std::min(lo, value(c));
      hi = std::max(hi, value(c));
    }
    const double cw = 90, ch = 28, L = 90, T = 40;
    const double W = std::max(560.0, L + cw * static_cast<double>(xs.size()) + 20), H = T + ch * static_cast<double>(ys.size()) + 40;
    std::string o = "<figure><svg class=\"chart\" data-points=\"" + std::to_string(cells.size()) + "\" viewBox=\"0 0 " +
                    num(W, 5) + " " + num(H, 5) + "\" width=\"" + num(W, 5) + "\" height=\"" + num(H, 5) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"10\" y=\"18\" class=\"title\">" + esc(name) +
                    " (rows: GOMEMLIMIT, columns: GOGC)</text>";
    for (std::size_t i = 0; i < xs.size(); ++i) {
      o += "<text x=\"" + num(L + cw * (static_cast<double>(i) + 0.5), 5) + "\" y=\"" + num(T - 6, 5) +
           "\" class=\"tick\" text-anchor=\"middle\">" + esc(xs[i]) + "</text>";
    }
    for (std::size_t j = 0; j < ys.size(); ++j) {
      o += "<text x=\"" + num(L - 6, 5) + "\" y=\"" + num(T + ch * (static_cast<double>(j) + 0.65), 5) +
           "\" class=\"tick\" text-anchor=\"end\">" + esc(ys[j]) + "</text>";
    }
    for (const auto& c : cells) {
      const auto i = static_cast<double>(std::find(xs.begin(), xs.end(), c.gogc) - xs.begin());
      const auto j = static_cast<double>(std::find(ys.begin(), ys.end(), c.limit) - ys.begin());
      const double f = hi > lo ? (value(c) - lo) / (hi - lo) : 0.5;
      char color[32];
      std::snprintf(color, sizeof color, "rgb(%d,%d,%d)", static_cast<int>(255 * f), static_cast<int>(200 * (1 - f) + 40),
                    static_cast<int>(120 * (1 - f)));
      o += "<rect x=\"" + num(L + cw * i, 5) + "\" y=\"" + num(T + ch * j, 5) + "\" width=\"" + num(cw - 2, 4) +
           "\" height=\"" + num(ch - 2, 4) + "\" fill=\"" + color + "\"/><text x=\"" + num(L + cw * (i + 0.5), 5) +
           "\" y=\"" + num(T + ch * j + 18, 5) + "\" class=\"tick\" text-anchor=\"middle\" fill=\"#fff\">" +
           (c.oom ? std::string("OOM") : num(value(c)) + unit) + "</text>";
    }
    return o + "</svg></figure>\n";
  };
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gogcsim compare: " << esc(title) << "</title>\n"
      << kStyle << kCheckScript << "</head><body>\n<h1>" << esc(title) << "</h1>\n";
  out << heat("GC CPU (% of all CPU)", [](const CompareCell& c) { return c.gc_cpu_pct; }, "%");
  out << heat("Peak RSS (MiB)", [](const CompareCell& c) { return c.peak_rss_mib; }, "");
  out << heat("Slowdown (run time over the program's own time)", [](const CompareCell& c) { return c.slowdown; }, "\u00d7");
  out << "</body></html>\n";
}

void write_gctrace_html(std::ostream& out, const std::string& title, const GctraceFile& trace,
                        const std::string& explanation) {
  Series start{"heap at GC start", "#1f77b4", {}}, end{"heap at mark end", "#ff7f0e", {}},
      marked{"marked (live)", "#2ca02c", {}}, goal{"goal", "#d62728", {}, true};
  Series wall{"mark wall", "#1f77b4", {}}, assist{"assist CPU", "#ff7f0e", {}}, workers{"worker CPU", "#2ca02c", {}},
      idle{"idle-worker CPU", "#9467bd", {}};
  Series sweep_term{"sweep-termination pause", "#1f77b4", {}}, mark_term{"mark-termination pause", "#d62728", {}};
  for (const auto& c : trace.cycles) {
    start.pts.push_back({c.t_s, static_cast<double>(c.heap_start_mb)});
    end.pts.push_back({c.t_s, static_cast<double>(c.heap_peak_mb)});
    marked.pts.push_back({c.t_s, static_cast<double>(c.heap_marked_mb)});
    goal.pts.push_back({c.t_s, static_cast<double>(c.goal_mb)});
    wall.pts.push_back({c.t_s, c.clock_ms[1]});
    assist.pts.push_back({c.t_s, c.cpu_ms[1]});
    workers.pts.push_back({c.t_s, c.cpu_ms[2]});
    idle.pts.push_back({c.t_s, c.cpu_ms[3]});
    sweep_term.pts.push_back({c.t_s, c.clock_ms[0]});
    mark_term.pts.push_back({c.t_s, c.clock_ms[2]});
  }
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gogcsim explain: " << esc(title) << "</title>\n"
      << kStyle << kCheckScript << "</head><body>\n<h1>" << esc(title) << " — " << trace.cycles.size()
      << " GC cycles (gctrace)</h1>\n";
  out << line_chart("Heap per cycle", "time (s)", "MB (as gctrace prints)", {start, end, marked, goal});
  out << line_chart("Mark phase per cycle", "time (s)", "ms", {wall, assist, workers, idle});
  out << line_chart("Stop-the-world pauses per cycle", "time (s)", "ms (wall)", {sweep_term, mark_term});
  out << "<pre>" << esc(explanation) << "</pre>\n</body></html>\n";
}

}  // namespace gogcsim
