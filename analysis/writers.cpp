#include "analysis/writers.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "sim/config.hpp"

namespace gogcsim {

namespace {

// Go's itoaDiv: val with a decimal point `dec` digits from the right.
std::string itoa_div(std::uint64_t val, int dec) {
  std::string digits = std::to_string(val);
  if (dec == 0) return digits;
  const auto d = static_cast<std::size_t>(dec);
  if (digits.size() <= d) digits = std::string(d + 1 - digits.size(), '0') + digits;
  return digits.substr(0, digits.size() - d) + "." + digits.substr(digits.size() - d);
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

const char* trigger_name(TriggerKind k) {
  switch (k) {
    case TriggerKind::heap: return "heap";
    case TriggerKind::time: return "time";
    case TriggerKind::user_forced: return "forced";
  }
  return "?";
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += c;
        }
    }
  }
  return o;
}

}  // namespace

std::string fmt_ns_as_ms(std::uint64_t ns) {
  if (ns >= 10'000'000) return itoa_div(ns / 1'000'000, 0);
  std::uint64_t x = ns / 1000;
  if (x == 0) return "0";
  int dec = 3;
  while (x >= 100) {
    x /= 10;
    --dec;
  }
  return itoa_div(x, dec);
}

std::string gctrace_line(const CycleRecord& c, bool roots) {
  std::string s = "gc " + std::to_string(c.cycle) + " @" +
                  itoa_div(static_cast<std::uint64_t>(c.start_ns) / 1'000'000, 3) + "s " +
                  std::to_string(static_cast<int>(c.gc_cpu_fraction * 100)) + "%: ";
  s += fmt_ns_as_ms(static_cast<std::uint64_t>(c.sweep_term_wall_ns)) + "+" +
       fmt_ns_as_ms(static_cast<std::uint64_t>(c.mark_wall_ns)) + "+" +
       fmt_ns_as_ms(static_cast<std::uint64_t>(c.mark_term_wall_ns)) + " ms clock, ";
  auto ms = [](double ns) { return fmt_ns_as_ms(static_cast<std::uint64_t>(ns)); };
  s += ms(c.sweep_term_cpu_ns) + "+" + ms(c.assist_cpu_ns) + "/" + ms(c.dedicated_cpu_ns + c.fractional_cpu_ns) +
       "/" + ms(c.idle_cpu_ns) + "+" + ms(c.mark_term_cpu_ns) + " ms cpu, ";
  s += std::to_string(c.heap_live_start >> 20) + "->" + std::to_string(c.heap_peak >> 20) + "->" +
       std::to_string(c.heap_marked >> 20) + " MB, " + std::to_string(c.heap_goal >> 20) + " MB goal, ";
  if (roots) {
    s += std::to_string(c.stacks_bytes >> 20) + " MB stacks, " + std::to_string(c.globals_bytes >> 20) + " MB globals, ";
  }
  s += std::to_string(c.procs) + " P";
  if (c.trigger_kind == TriggerKind::user_forced) s += " (forced)";
  return s;
}

void write_header(std::ostream& out, const RunInfo& info) {
  out << "# gogcsim " << info.tool_version << " scenario=" << info.scenario_name << " file=" << info.scenario_file
      << " seed=" << info.seed << " go=" << info.go_version << " fidelity=" << info.fidelity << "\n";
  out << "# resolved: " << info.resolved_yaml << "\n";
}

void write_cycles_csv(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles) {
  write_header(out, info);
  out << "cycle,trigger_kind,start_ns,sweep_term_ns,mark_ns,mark_term_ns,"
         "heap_marked_prev,heap_trigger,heap_live_start,heap_peak,heap_marked,heap_goal,goal_bound,"
         "gc_percent_goal,memory_limit_goal,min_trigger,max_trigger,runway,cons_mark,cons_mark_measured,"
         "assist_work_per_byte_start,heap_scan_work,stack_scan_work,globals_scan_work,"
         "gc_utilization,assist_utilization,idle_utilization,"
         "cpu_sweep_term_ns,cpu_assist_ns,cpu_dedicated_ns,cpu_fractional_ns,cpu_idle_ns,cpu_mark_term_ns,"
         "gc_cpu_fraction,dedicated_workers,fractional_goal,limiter_on,stacks_bytes,globals_bytes,procs,"
         "live_bytes_at_start,floating_garbage_bytes,sweep_pages\n";
  for (const auto& c : cycles) {
    out << c.cycle << ',' << trigger_name(c.trigger_kind) << ',' << c.start_ns << ',' << c.sweep_term_wall_ns << ','
        << c.mark_wall_ns << ',' << c.mark_term_wall_ns << ',' << c.heap_marked_prev << ',' << c.heap_trigger << ','
        << c.heap_live_start << ',' << c.heap_peak << ',' << c.heap_marked << ',' << c.heap_goal << ','
        << goal_bound_name(c.goal_bound) << ',' << c.gc_percent_goal << ',' << c.memory_limit_goal << ','
        << c.min_trigger << ',' << c.max_trigger << ',' << c.runway << ',' << num(c.cons_mark) << ','
        << num(c.cons_mark_measured) << ',' << num(c.assist_work_per_byte_start) << ',' << c.heap_scan_work << ','
        << c.stack_scan_work << ',' << c.globals_scan_work << ',' << num(c.gc_utilization) << ','
        << num(c.assist_utilization) << ',' << num(c.idle_utilization) << ',' << fixed(c.sweep_term_cpu_ns, 0)
        << ',' << fixed(c.assist_cpu_ns, 0) << ',' << fixed(c.dedicated_cpu_ns, 0) << ','
        << fixed(c.fractional_cpu_ns, 0) << ',' << fixed(c.idle_cpu_ns, 0) << ',' << fixed(c.mark_term_cpu_ns, 0)
        << ',' << num(c.gc_cpu_fraction) << ',' << c.dedicated_workers << ',' << num(c.fractional_goal) << ','
        << (c.limiter_on ? 1 : 0) << ',' << c.stacks_bytes << ',' << c.globals_bytes << ',' << c.procs << ','
        << fixed(c.live_bytes_at_start, 0) << ',' << fixed(c.floating_garbage_bytes, 0) << ',' << fixed(c.sweep_pages, 0)
        << '\n';
  }
}

void write_timeseries_csv(std::ostream& out, const RunInfo& info, const std::vector<Sample>& samples) {
  write_header(out, info);
  out << "t_ns,mutator_ns,gc_phase,workload_phase,heap_live,heap_live_max,heap_goal,trigger,live_bytes,"
         "heap_alloc,heap_in_use,heap_unused,heap_free,heap_released,stacks,other,mapped_ready,rss,rss_max,memory_limit,"
         "cpu_mutator_ns,cpu_gc_pause_ns,cpu_gc_dedicated_ns,cpu_gc_fractional_ns,cpu_gc_idle_ns,"
         "cpu_gc_assist_ns,cpu_scavenge_ns,cpu_sweep_ns,cpu_idle_ns,limiter_on\n";
  for (const auto& s : samples) {
    out << s.t_ns << ',' << fixed(s.mutator_ns, 0) << ',' << phase_name(s.phase) << ',' << s.workload_phase << ','
        << s.heap_live << ',' << s.heap_live_max << ',' << s.heap_goal << ',' << s.trigger << ','
        << fixed(s.live_bytes, 0) << ',' << s.heap_alloc << ',' << s.heap_in_use << ',' << s.heap_unused << ','
        << s.heap_free << ',' << s.heap_released << ',' << s.stacks << ',' << s.other << ',' << s.mapped_ready << ','
        << s.rss << ',' << s.rss_max << ','
        << s.memory_limit << ',' << fixed(s.cpu.mutator_ns, 0) << ',' << fixed(s.cpu.gc_pause_ns, 0) << ','
        << fixed(s.cpu.gc_mark_dedicated_ns, 0) << ',' << fixed(s.cpu.gc_mark_fractional_ns, 0) << ','
        << fixed(s.cpu.gc_mark_idle_ns, 0) << ',' << fixed(s.cpu.gc_mark_assist_ns, 0) << ','
        << fixed(s.cpu.scavenge_ns, 0) << ',' << fixed(s.cpu.sweep_ns, 0) << ',' << fixed(s.cpu.idle_ns, 0) << ','
        << (s.limiter_on ? 1 : 0) << '\n';
  }
}

void write_pauses_csv(std::ostream& out, const RunInfo& info, const Recorder& r) {
  write_header(out, info);
  // Stop-the-world pauses and assist episodes in start order. cpu_ns: for a pause, every P is
  // stopped (duration x GOMAXPROCS); for an assist episode, the CPU the assists took.
  out << "cycle,kind,start_ns,duration_ns,cpu_ns\n";
  std::size_t a = 0;
  auto assist = [&](const AssistRecord& e) {
    out << e.cycle << ",assist," << e.start_ns << ',' << e.duration_ns << ',' << fixed(e.cpu_ns, 0) << '\n';
  };
  for (const auto& p : r.pauses) {
    for (; a < r.assists.size() && r.assists[a].start_ns < p.start_ns; ++a) assist(r.assists[a]);
    const auto c = static_cast<std::size_t>(p.cycle - 1);
    const int procs = c < r.cycles.size() ? r.cycles[c].procs : (r.cycles.empty() ? 0 : r.cycles.back().procs);
    out << p.cycle << ',' << phase_name(p.kind) << ',' << p.start_ns << ',' << p.duration_ns << ','
        << p.duration_ns * procs << '\n';
  }
  for (; a < r.assists.size(); ++a) assist(r.assists[a]);
}

void write_gctrace(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles) {
  write_header(out, info);
  for (const auto& c : cycles) out << gctrace_line(c, info.gctrace_roots) << '\n';
}

std::string go_print_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6e", v);
  std::string s = buf;  // d.dddddde±XX
  auto e = s.find('e');
  std::string mant = s.substr(0, e), exp = s.substr(e + 1);
  char sign = exp[0];
  std::string digits = exp.substr(1);
  std::string pad(digits.size() < 3 ? 3 - digits.size() : 0, '0');
  return (mant[0] == '-' ? "" : "+") + mant + "e" + sign + pad + digits;
}

namespace {

std::string mib(std::uint64_t b) { return fixed(static_cast<double>(b) / 1048576.0, 2) + " MiB"; }

const char* why_goal(const CycleRecord& c) {
  switch (c.goal_bound) {
    case GoalBound::gogc: return "GOGC: M + (M + stacks + globals) x GOGC/100";
    case GoalBound::heap_minimum: return "the heap minimum, 4 MiB x GOGC/100";
    case GoalBound::memory_limit: return "the memory limit: limit - non-heap memory - headroom (smaller than the GOGC goal)";
    case GoalBound::sweep_distance: return "the sweep distance: heap_live at the last commit + 1 MiB";
    case GoalBound::min_runway: return "the minimum runway: trigger + 64 KiB";
    case GoalBound::gogc_off: return "GOGC=off: no GOGC goal";
  }
  return "?";
}

}  // namespace

void write_pacertrace(std::ostream& out, const RunInfo& info, const std::vector<CycleRecord>& cycles) {
  write_header(out, info);
  out << "# Per cycle: Go's own GODEBUG=gcpacertrace=1 lines (\"pacer: ...\"), then why the pacer did what it did.\n";
  for (const auto& c : cycles) {
    out << "gc " << c.cycle << ":\n";
    out << "  goal     " << mib(c.heap_goal) << ", set by " << why_goal(c) << "; M = " << mib(c.heap_marked_prev)
        << ", GOGC " << (c.gc_percent < 0 ? std::string("off") : std::to_string(c.gc_percent));
    if (c.memory_limit_goal > 0) out << ", limit goal " << mib(c.memory_limit_goal);
    out << "\n";
    out << "  runway   " << mib(c.runway) << " = cons/mark " << fixed(c.cons_mark_before, 4)
        << " x (1 - 0.25)/0.25 x last cycle's scan work " << mib(c.expected_scan_work) << "\n";
    std::string clamp;
    if (c.runway > c.heap_goal_at_start) {
      clamp = "runway longer than the goal: the minimum trigger";
    } else if (c.heap_trigger == c.min_trigger && c.heap_goal_at_start - c.runway < c.min_trigger) {
      clamp = "goal - runway was below the minimum (45/64 of the way from M to the goal): clamped up";
    } else if (c.heap_trigger == c.max_trigger && c.heap_goal_at_start - c.runway > c.max_trigger) {
      clamp = "goal - runway was above the maximum (max of 61/64 of the way and goal - 4 MiB): clamped down";
    } else {
      clamp = "goal - runway, inside the bounds";
    }
    out << "  trigger  " << mib(c.heap_trigger) << " (" << clamp << "; bounds " << mib(c.min_trigger) << " .. "
        << mib(c.max_trigger) << ")\n";
    out << "  pacer: assist ratio=" << go_print_float(c.assist_work_per_byte_start) << " (scan "
        << (c.heap_scan_at_start >> 20) << " MB in " << (c.heap_live_start >> 20) << "->" << (c.heap_goal_at_start >> 20)
        << " MB) workers=" << c.dedicated_workers << "+" << go_print_float(c.fractional_goal) << "\n";
    const std::int64_t scan = c.heap_scan_work + c.stack_scan_work + c.globals_scan_work;
    out << "  mark     peak " << mib(c.heap_peak) << " ("
        << fixed(c.heap_goal ? 100.0 * static_cast<double>(c.heap_peak) / static_cast<double>(c.heap_goal) : 0, 1)
        << " % of the goal), marked " << mib(c.heap_marked) << ", GC utilization " << fixed(c.gc_utilization, 3)
        << " (assists " << fixed(c.assist_utilization, 3) << "), scan work " << mib(static_cast<std::uint64_t>(scan))
        << "\n";
    out << "  cons/mark measured " << fixed(c.cons_mark_measured, 4) << " -> smoothed " << fixed(c.cons_mark, 4)
        << (c.cons_mark > c.cons_mark_before ? " (up: the next runway is longer, the trigger earlier)"
                                              : " (down: the next runway is shorter, the trigger later)")
        << "\n";
    out << "  pacer: " << static_cast<int>(c.gc_utilization * 100) << "% CPU (25 exp.) for " << c.heap_scan_work << "+"
        << c.stack_scan_work << "+" << c.globals_scan_work << " B work (" << c.expected_scan_work << " B exp.) in "
        << c.heap_trigger << " B -> " << c.heap_peak << " B (∆goal "
        << static_cast<std::int64_t>(c.heap_peak) - static_cast<std::int64_t>(c.heap_goal) << ", cons/mark "
        << go_print_float(c.cons_mark_before) << ")\n";
  }
}

void write_mmu_csv(std::ostream& out, const RunInfo& info, const Recorder& r) {
  write_header(out, info);
  out << "window_ns,mmu\n";
  for (const auto& p : r.mmu()) out << p.window_ns << ',' << num(p.mmu) << '\n';
}

void write_fragmentation_csv(std::ostream& out, const RunInfo& info, const RunEnd& end) {
  write_header(out, info);
  if (!end.final_classes.empty()) {  // the object level: the heap's own spans, counted
    out << "# The heap's spans at the end, per span class: objects (a tiny block counts once) and what their\n"
           "# slots and spans hold; span_fill = object_bytes / span_bytes.\n";
    out << "span_class,size_class,bytes_per_obj,noscan,spans,objects,object_bytes,span_bytes,span_fill\n";
    for (std::size_t sc = 0; sc < end.final_classes.size(); ++sc) {
      const ClassUsage& u = end.final_classes[sc];
      if (u.spans == 0) continue;
      out << sc << ',' << u.size_class << ',' << (u.size_class == 0 ? 0u : kSizeClassesGo119[u.size_class].bytes_per_obj) << ','
          << (u.noscan ? 1 : 0) << ',' << u.spans << ',' << u.objects << ',' << u.object_bytes << ',' << u.span_bytes << ','
          << num(static_cast<double>(u.object_bytes) / static_cast<double>(u.span_bytes)) << '\n';
    }
    return;
  }
  out << "# Span classes of the last phase's size mix; bytes: the final heap spread over them. span_fill = share of a\n"
         "# span objects can use; survivor_span_factor = span bytes a sweep leaves in use per surviving short-lived byte.\n";
  out << "span_class,size_class,bytes_per_obj,noscan,objects_per_span,alloc_share,span_fill,survivor_span_factor,"
         "object_bytes,span_bytes\n";
  const SpanMix& mix = end.final_mix;
  const MemoryClasses& m = end.final_memory;
  const double in_use = m.heap_objects + m.heap_unused;
  const SpanLayout layout = span_layout_for(info.go_version);
  double weight_sum = 0;
  std::vector<double> weight(kNumSpanClasses, 0);
  for (int sc = 0; sc < kNumSpanClasses; ++sc) {
    const double share = mix.share[static_cast<std::size_t>(sc)];
    if (share <= 0) continue;
    const int c = sc >> 1;
    const double fill = c == 0 ? 1.0
                               : static_cast<double>(objects_per_span(c, sc & 1, layout)) *
                                     kSizeClassesGo119[c].bytes_per_obj / kSizeClassesGo119[c].bytes_per_span;
    weight[static_cast<std::size_t>(sc)] = share / fill;
    weight_sum += share / fill;
  }
  for (int sc = 0; sc < kNumSpanClasses; ++sc) {
    const double share = mix.share[static_cast<std::size_t>(sc)];
    if (share <= 0) continue;
    const int c = sc >> 1;
    const bool noscan = sc & 1;
    const std::uint32_t n = c == 0 ? 1 : objects_per_span(c, noscan, layout);
    const double fill = share / weight[static_cast<std::size_t>(sc)];
    double h = 0;
    for (std::uint32_t k = 1; k <= n; ++k) h += 1.0 / k;
    out << sc << ',' << c << ',' << (c == 0 ? 0 : kSizeClassesGo119[c].bytes_per_obj) << ',' << (noscan ? 1 : 0) << ','
        << n << ',' << num(share) << ',' << num(fill) << ',' << num(h / fill) << ',' << fixed(share * m.heap_objects, 0)
        << ',' << fixed(weight_sum > 0 ? in_use * weight[static_cast<std::size_t>(sc)] / weight_sum : 0, 0) << '\n';
  }
}

void write_summary_json(std::ostream& out, const RunInfo& info, const Summary& s) {
  out << "{\n";
  out << "  \"tool\": \"gogcsim " << json_escape(info.tool_version) << "\",\n";
  out << "  \"scenario\": \"" << json_escape(info.scenario_name) << "\",\n";
  out << "  \"scenario_file\": \"" << json_escape(info.scenario_file) << "\",\n";
  out << "  \"seed\": " << info.seed << ",\n";
  out << "  \"go\": \"" << json_escape(info.go_version) << "\",\n";
  out << "  \"fidelity\": \"" << json_escape(info.fidelity) << "\",\n";
  out << "  \"resolved_scenario\": \"" << json_escape(info.resolved_yaml) << "\",\n";
  out << "  \"gc_cycles\": " << s.gc_cycles << ",\n";
  out << "  \"gc_cycles_periodic\": " << s.forced_cycles << ",\n";
  out << "  \"wall_s\": " << num(s.wall_s) << ",\n";
  out << "  \"mutator_s\": " << num(s.mutator_s) << ",\n";
  out << "  \"slowdown\": " << num(s.slowdown) << ",\n";
  out << "  \"gc_cpu_frac\": " << num(s.gc_cpu_frac) << ",\n";
  out << "  \"gc_cpu_total_frac\": " << num(s.gc_cpu_total_frac) << ",\n";
  out << "  \"gc_cpu_of_busy_frac\": " << num(s.gc_cpu_of_busy_frac) << ",\n";
  out << "  \"assist_cpu_frac\": " << num(s.assist_cpu_frac) << ",\n";
  out << "  \"pause_ns\": {\"p50\": " << num(s.pause_ns.p50) << ", \"p90\": " << num(s.pause_ns.p90)
      << ", \"p99\": " << num(s.pause_ns.p99) << ", \"p999\": " << num(s.pause_ns.p999)
      << ", \"max\": " << num(s.pause_ns.max) << "},\n";
  out << "  \"assist_episodes\": " << s.assist_episodes << ",\n";
  out << "  \"assist_episode_ns\": {\"p50\": " << num(s.assist_episode_ns.p50) << ", \"p90\": "
      << num(s.assist_episode_ns.p90) << ", \"p99\": " << num(s.assist_episode_ns.p99) << ", \"p999\": "
      << num(s.assist_episode_ns.p999) << ", \"max\": " << num(s.assist_episode_ns.max) << "},\n";
  out << "  \"peak_heap_live_bytes\": " << s.peak_heap_live_bytes << ",\n";
  out << "  \"peak_mapped_ready_bytes\": " << s.peak_mapped_ready_bytes << ",\n";
  out << "  \"peak_rss_bytes\": " << s.peak_rss_bytes << ",\n";
  out << "  \"peak_heap_in_use_bytes\": " << s.peak_heap_in_use_bytes << ",\n";
  out << "  \"scavenged_bytes\": " << fixed(s.scavenged_bytes, 0) << ",\n";
  const MemoryClasses& m = s.final_memory;
  out << "  \"final_memory_classes\": {\"heap_objects\": " << fixed(m.heap_objects, 0) << ", \"heap_unused\": "
      << fixed(m.heap_unused, 0) << ", \"heap_free\": " << fixed(m.heap_free, 0) << ", \"heap_released\": "
      << fixed(m.heap_released, 0) << ", \"heap_stacks\": " << fixed(m.heap_stacks, 0) << ", \"other\": "
      << fixed(m.other, 0) << ", \"total\": " << fixed(m.total(), 0) << ", \"mapped_ready\": "
      << fixed(m.mapped_ready(), 0) << "},\n";
  out << "  \"mean_heap_goal_bytes\": " << fixed(s.mean_heap_goal_bytes, 0) << ",\n";
  out << "  \"mean_heap_marked_bytes\": " << fixed(s.mean_heap_marked_bytes, 0) << ",\n";
  out << "  \"allocated_bytes\": " << fixed(s.allocated_bytes, 0) << ",\n";
  out << "  \"allocated_objects\": " << fixed(s.allocated_objects, 0) << ",\n";
  out << "  \"limiter_enabled_times\": " << s.limiter_enabled_times << ",\n";
  out << "  \"cycles_with_limiter_on\": " << s.cycles_limiter_on << ",\n";
  out << "  \"oom\": " << (s.oom ? "true" : "false") << ",\n";
  out << "  \"oom_at_ns\": " << s.oom_at_ns << ",\n";
  out << "  \"mmu\": {\"1ms\": " << num(s.mmu_1ms) << ", \"10ms\": " << num(s.mmu_10ms) << ", \"100ms\": " << num(s.mmu_100ms)
      << "},\n";
  out << "  \"events\": " << s.events << "\n";
  out << "}\n";
}

void print_headline(std::ostream& out, const RunInfo& info, const Summary& s) {
  auto mib = [](double b) { return fixed(b / 1048576.0, 1) + " MiB"; };
  auto us = [](double ns) { return fixed(ns / 1000.0, 0) + " µs"; };
  out << info.scenario_name << " (go " << info.go_version << ", " << info.fidelity << ", seed " << info.seed << ")\n";
  out << "  simulated     " << fixed(s.wall_s, 3) << " s wall for " << fixed(s.mutator_s, 3)
      << " s of program work (slowdown x" << fixed(s.slowdown, 4) << ")\n";
  out << "  GC cycles     " << s.gc_cycles << " (" << fixed(s.wall_s > 0 ? s.gc_cycles / s.wall_s : 0, 2) << "/s)\n";
  out << "  GC CPU        " << fixed(100 * s.gc_cpu_frac, 2) << " % of all CPU (gctrace definition), "
      << fixed(100 * s.gc_cpu_of_busy_frac, 2) << " % of busy CPU, assists " << fixed(100 * s.assist_cpu_frac, 2) << " %\n";
  out << "  pauses        p50 " << us(s.pause_ns.p50) << ", p99 " << us(s.pause_ns.p99) << ", max " << us(s.pause_ns.max)
      << "; MMU 1 ms " << fixed(s.mmu_1ms, 2) << ", 10 ms " << fixed(s.mmu_10ms, 2) << ", 100 ms " << fixed(s.mmu_100ms, 2)
      << "\n";
  out << "  heap          peak heap_live " << mib(static_cast<double>(s.peak_heap_live_bytes));
  if (s.gc_cycles > 0) {
    out << ", mean goal " << mib(s.mean_heap_goal_bytes) << ", mean marked " << mib(s.mean_heap_marked_bytes) << "\n";
  } else {
    out << "; no GC cycle, so no goal or marked heap\n";  // not a goal of 0 MiB
  }
  out << "  memory        peak RSS " << mib(static_cast<double>(s.peak_rss_bytes)) << " (mapped "
      << mib(static_cast<double>(s.peak_mapped_ready_bytes)) << ", heap in use "
      << mib(static_cast<double>(s.peak_heap_in_use_bytes)) << "); at the end: objects "
      << mib(s.final_memory.heap_objects) << ", unused " << mib(s.final_memory.heap_unused) << ", free "
      << mib(s.final_memory.heap_free) << ", released " << mib(s.final_memory.heap_released);
  if (s.scavenged_bytes > 0) out << " (" << mib(s.scavenged_bytes) << " released over the run)";
  if (s.limiter_enabled_times > 0) out << ", CPU limiter engaged " << s.limiter_enabled_times << "x";
  out << "\n";
  if (s.oom) {
    out << "  OOM           killed at " << fixed(static_cast<double>(s.oom_at_ns) / 1e9, 3) << " s (container limit)\n";
  } else {
    out << "  OOM           no\n";
  }
}

void OutputDir::commit() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  // The directory is the user's --out: a path that cannot be one is bad input (exit 2).
  if (ec) throw InputError(dir_ + ": cannot create the output directory (--out): " + ec.message());
  std::vector<fs::path> temps;
  auto cleanup = [&temps] {
    std::error_code ignore;
    for (const auto& t : temps) fs::remove(t, ignore);
  };
  const std::string suffix = ".tmp-" + std::to_string(::getpid());
  for (const auto& [name, content] : files_) {
    fs::path tmp = fs::path(dir_) / ("." + name + suffix);
    temps.push_back(tmp);
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << content;
    f.close();
    if (!f) {
      cleanup();
      throw std::runtime_error((fs::path(dir_) / name).string() + ": cannot write");
    }
  }
  for (std::size_t i = 0; i < files_.size(); ++i) {
    fs::rename(temps[i], fs::path(dir_) / files_[i].first, ec);
    if (ec) {
      cleanup();
      throw std::runtime_error((fs::path(dir_) / files_[i].first).string() + ": cannot rename into place: " + ec.message());
    }
  }
}

}  // namespace gogcsim
