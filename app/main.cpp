// The gogcsim command line. Exit codes: 0 success, 2 bad input, 1 internal error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "analysis/gctrace.hpp"
#include "analysis/report.hpp"
#include "app/run.hpp"
#include "app/calibrate.hpp"
#include "app/compare.hpp"
#include "models/workload/trace_format.hpp"
#include "app/validate.hpp"
#include "sim/units.hpp"
#include "models/heap/size_classes.hpp"
#include "models/registry.hpp"

namespace po = boost::program_options;
using namespace gogcsim;

namespace {

constexpr const char* kUsage = R"(gogcsim — a simulator of Go's garbage collector, pacer and allocator

usage:
  gogcsim run SCENARIO.yaml [--set key.path=value]... [--out DIR] [--quiet]
  gogcsim explain GCTRACE [--gogc N|off] [--html FILE]   each gctrace cycle annotated: goal and its bound, CPU, changes
  gogcsim compare SCENARIO.yaml|GCTRACE [--gogc 50,100,200] [--gomemlimit off,2GiB] [--gomaxprocs 2,4]
                  [--jobs N] [--format text|csv|markdown] [--recommend peak_rss<=3GiB] [--shard i/N]
                  [--mean-object-size S]   (given a gctrace: as for calibrate)
  gogcsim merge SHARD.csv... [--format ...] [--recommend ...]
  gogcsim validate [--markdown]      every validation scenario against real Go 1.19 recordings
  gogcsim calibrate GCTRACE [--gogc N|off] [--mean-object-size S] [-o fitted.yaml]   a scenario fitted to one real run
  gogcsim calibrate --costs          the cost preset fitted to the validation recordings
  gogcsim trace stat FILE            an allocation trace's counts, sizes and lifetimes
  gogcsim trace convert IN OUT [--to binary|text]   between the binary format and its text twin
  gogcsim trace import-allocfreetrace IN OUT [--alloc-rate 100MiB/s]   from Go's GODEBUG=allocfreetrace=1
  gogcsim trace record SCENARIO OUT [--to binary|text] [--set k=v]   a graph workload's records as a trace
  gogcsim models                    every model kind and its parameters
  gogcsim size-classes [--go 1.19]  Go's size-class table (1.22+: per-span objects too)
  gogcsim --help | --version

`run` writes cycles.csv, timeseries.csv, pauses.csv, gctrace.txt, pacertrace.txt, summary.json,
mmu.csv, report.html (and fragmentation.csv at the fluid level) into DIR (default out/<scenario name>) and prints
the headline numbers.
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A whole number >= 0 written out in full ("100"); nullopt for anything else.
std::optional<std::int64_t> whole_number(const std::string& text) {
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || v < 0) return std::nullopt;
  return v;
}

/// A --gogc argument: a whole percent or off (-1).
long parse_gogc_arg(const std::string& text, const std::string& command) {
  if (text == "off") return -1;
  if (const auto v = whole_number(text)) return static_cast<long>(*v);
  throw UsageError(command + ": --gogc takes a percent or off, not '" + text + "'");
}

/// A command printed its --help: main returns 0.
struct HelpShown {};

/// kUsage's lines for `command` ("run", "trace stat"), with their continuation lines.
std::string usage_lines(const std::string& command) {
  std::istringstream in(kUsage);
  std::string line, out;
  bool in_command = false;
  const std::string head = "  gogcsim " + command;
  while (std::getline(in, line)) {
    if (line.rfind(head, 0) == 0 && (line.size() == head.size() || line[head.size()] == ' ')) {
      in_command = true;
    } else if (!(in_command && line.rfind("    ", 0) == 0)) {
      in_command = false;
    }
    if (in_command) out += line + "\n";
  }
  return out;
}

/// Parses a command's arguments; every command takes --help (-h): its usage and options.
po::variables_map parse(const std::vector<std::string>& args, po::options_description& opts,
                        const po::positional_options_description& pos, const std::string& command) {
  opts.add_options()("help,h", po::bool_switch(), "this help");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  if (vm["help"].as<bool>()) {
    std::cout << "usage:\n" << usage_lines(command) << opts;
    throw HelpShown{};
  }
  return vm;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("run options");
  opts.add_options()("scenario", po::value<std::string>(), "scenario YAML")(
      "set", po::value<std::vector<std::string>>()->composing(), "override key.path=value, a list entry as phases[0] (repeatable)")(
      "out,o", po::value<std::string>(), "output directory (default out/<scenario name>)")(
      "quiet,q", po::bool_switch(), "print nothing on success");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, "run");
  if (!vm.count("scenario")) throw UsageError("run: missing SCENARIO.yaml");
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  Scenario sc = load_scenario_file(vm["scenario"].as<std::string>(), sets);
  RunResult res = run_scenario(sc);
  std::string out = vm.count("out") ? vm["out"].as<std::string>() : "out/" + sc.name;
  write_outputs(res, out);
  if (!vm["quiet"].as<bool>()) {
    print_headline(std::cout, res.info, res.summary);
    std::cout << "  outputs       " << out << "/ (cycles.csv timeseries.csv pauses.csv gctrace.txt pacertrace.txt summary.json mmu.csv report.html"
              << (sc.fidelity == "fluid" ? " fragmentation.csv" : "") << ")\n";
  }
  return 0;
}

int cmd_explain(const std::vector<std::string>& args) {
  po::options_description opts("explain options");
  opts.add_options()("trace", po::value<std::string>(), "gctrace file (- for standard input)")(
      "gogc", po::value<std::string>(), "the run's GOGC, a percent or off (default: inferred from the goals)")(
      "html", po::value<std::string>(), "also write the trace drawn cycle by cycle, with the explanation, to this file");
  po::positional_options_description pos;
  pos.add("trace", 1);
  auto vm = parse(args, opts, pos, "explain");
  if (!vm.count("trace")) throw UsageError("explain: missing GCTRACE file");
  const std::string file = vm["trace"].as<std::string>();
  GctraceFile trace;
  if (file == "-") {
    trace = read_gctrace(std::cin, "standard input");
  } else {
    std::ifstream in(file);
    if (!in) throw InputError(file + ": cannot open file");
    trace = read_gctrace(in, file);
  }
  if (trace.cycles.empty()) throw InputError(file + ": no gctrace lines (expected GODEBUG=gctrace=1 output)");
  std::ostringstream text;
  explain_gctrace(text, trace, vm.count("gogc") ? parse_gogc_arg(vm["gogc"].as<std::string>(), "explain") : -2);
  if (vm.count("html")) {
    const std::filesystem::path path(vm["html"].as<std::string>());
    std::ostringstream html;
    write_gctrace_html(html, file == "-" ? std::string("standard input") : std::filesystem::path(file).filename().string(),
                       trace, text.str());
    OutputDir out(path.parent_path().empty() ? std::string(".") : path.parent_path().string());
    out.add(path.filename().string(), html.str());
    out.commit();
  }
  std::cout << text.str();
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("validate options");
  opts.add_options()("root", po::value<std::string>()->default_value("."), "source tree (scenarios/, tests/)")(
      "markdown", po::bool_switch(), "print a Markdown table")(
      "calibrated", po::bool_switch(), "predict from scenarios fitted to each program's GOGC=100 recording")(
      "set", po::value<std::vector<std::string>>()->composing(), "override applied to every scenario");
  auto vm = parse(args, opts, {}, "validate");
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  print_validation(std::cout, validate(vm["root"].as<std::string>(), sets, vm["calibrated"].as<bool>()),
                   vm["markdown"].as<bool>());
  return 0;
}

// Said where a fitted scenario's object sizes are the stand-in: calibrate's summary, and compare from a
// gctrace given a memory limit.
constexpr const char* kStandInSizesNote =
    "object sizes: gctrace shows none, so the fitted objects are a 64 B stand-in; the runtime's metadata (an mspan "
    "and mark bits per span) and so a goal under a memory limit follow from them: pass --mean-object-size "
    "(MemStats TotalAlloc / Mallocs)";

// --mean-object-size (calibrate, and compare from a gctrace): bytes, 0 when not given.
double mean_object_size_arg(const po::variables_map& vm, const std::string& cmd) {
  if (!vm.count("mean-object-size")) return 0;
  const std::string text = vm["mean-object-size"].as<std::string>();
  double bytes = 0;
  try {
    bytes = static_cast<double>(parse_size_bytes(text));
  } catch (const UnitError& e) {
    throw UsageError(cmd + ": --mean-object-size: " + e.what());
  }
  if (bytes < 1 || bytes > 0x1p40) throw UsageError(cmd + ": --mean-object-size: " + text + " is not a size between 1B and 1TiB");
  return bytes;
}

int cmd_calibrate(const std::vector<std::string>& args) {
  po::options_description opts("calibrate options");
  opts.add_options()("trace", po::value<std::string>(), "gctrace of one run")(
      "gogc", po::value<std::string>()->default_value("100"), "the run's GOGC (or off)")(
      "gomemlimit", po::value<std::string>()->default_value("off"), "the run's GOMEMLIMIT")(
      "mean-object-size", po::value<std::string>(),
      "the program's mean object size, MemStats TotalAlloc / Mallocs (e.g. 48B; default: unknown, a 64 B median)")(
      "output,o", po::value<std::string>(), "write the fitted scenario here (default: standard output)")(
      "costs", po::bool_switch(), "instead: fit the cost preset to the validation recordings under --root")(
      "root", po::value<std::string>()->default_value("."), "source tree, for --costs");
  po::positional_options_description pos;
  pos.add("trace", 1);
  auto vm = parse(args, opts, pos, "calibrate");
  if (vm["costs"].as<bool>()) {
    CostFit f = fit_costs(vm["root"].as<std::string>());
    for (const auto& r : f.rows) std::cout << "  " << r << "\n";
    std::cout << "mark CPU per cycle = " << f.scan_ns_per_byte << " ns/scan byte + " << f.scan_ns_per_object
              << " ns/pointerful object + " << f.mark_ns_per_object << " ns/object + " << f.mark_fixed_ns / 1e3
              << " us/cycle  (" << f.points
              << " runs, RMS relative error " << f.rms_relative_error << ")\nmean STW pause " << f.mean_pause_ns / 1e3
              << " us\n";
    return 0;
  }
  if (!vm.count("trace")) throw UsageError("calibrate: missing GCTRACE file");
  const std::string file = vm["trace"].as<std::string>();
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open file");
  GctraceFile trace = read_gctrace(in, file);
  const long gogc = parse_gogc_arg(vm["gogc"].as<std::string>(), "calibrate");
  const std::string lim = vm["gomemlimit"].as<std::string>();
  long long limit = -1;
  if (lim != "off") {
    try {
      limit = static_cast<long long>(parse_size_bytes(lim));
    } catch (const UnitError& e) {
      throw UsageError(std::string("calibrate: --gomemlimit: ") + e.what());
    }
  }
  TraceFit f = calibrate_from_gctrace(trace, file, gogc, limit, mean_object_size_arg(vm, "calibrate"));
  if (vm.count("output")) {
    OutputDir out(std::filesystem::path(vm["output"].as<std::string>()).parent_path().string().empty()
                      ? "."
                      : std::filesystem::path(vm["output"].as<std::string>()).parent_path().string());
    out.add(std::filesystem::path(vm["output"].as<std::string>()).filename().string(), f.yaml);
    out.commit();
    std::cout << "fitted " << f.cycles << " cycles into " << f.phases << " phases; residuals (relative RMS): allocation "
              << f.alloc_rate_rms_rel << ", live heap " << f.live_rms_rel << ", mark CPU " << f.mark_cpu_rms_rel << "\n";
    char line[384];
    char marking[128];
    if (f.scan_work_cycles > 0) {
      std::snprintf(marking, sizeof marking, "%.4f of it scanned (gcpacertrace, %d cycles), marking %.3f ns per byte scanned",
                    f.scan_fraction, f.scan_work_cycles, f.mark_ns_per_byte);
    } else {
      std::snprintf(marking, sizeof marking, "marking %.3f ns per live byte", f.mark_ns_per_byte);
    }
    std::snprintf(line, sizeof line,
                  "the program: allocates %.0f MiB/s on average, live heap %.0f-%.0f MiB, %s, "
                  "%.2f CPUs of %d, running at %.2f of its speed while the GC marks (%d cycles), stacks %.0f MiB, "
                  "globals %.0f MiB\n",
                  f.alloc_mib_per_s, f.live_min_mib, f.live_max_mib, marking, f.mutator_cpus, trace.cycles.back().procs,
                  f.mark_speed, f.mark_speed_cycles, f.stacks_mib, f.globals_mib);
    std::cout << line;
    if (f.start_up_s > 0) {
      std::snprintf(line, sizeof line,
                    "its start-up, the first %.0f ms of program time, ran on %.0f CPU%s: its marks show idle Ps "
                    "(idle-priority marking)\n",
                    f.start_up_s * 1e3, f.start_up_cpus, f.start_up_cpus == 1 ? "" : "s");
      std::cout << line;
    }
    if (f.runtime_cpu_s > 0) {
      std::snprintf(line, sizeof line,
                    "its time without the GC less %.3f CPU-seconds of sweeping and scavenging, which the model charges "
                    "apart\n",
                    f.runtime_cpu_s);
      std::cout << line;
    }
    if (!vm.count("mean-object-size")) std::cout << kStandInSizesNote << "\n";
  } else {
    std::cout << f.yaml;
  }
  return 0;
}

// "50,100,off" -> GOGC values; "off,2GiB" -> limits; FROM:TO:STEP is a range, ends included
// ("25:800:25", "1GiB:4GiB:512MiB").
// `option` names the flag in errors ("gogc" for --gogc).
std::vector<std::int64_t> parse_list(const std::string& text, bool limit, const std::string& option) {
  const std::string where = "compare: --" + option + ": ";
  auto one = [&](const std::string& item) -> std::int64_t {
    if (!limit) {
      if (const auto v = whole_number(item)) return *v;
      throw UsageError(where + "bad value '" + item + "' (a whole number >= 0" + (option == "gogc" ? " or off)" : ")"));
    }
    try {
      return static_cast<std::int64_t>(parse_size_bytes(item));
    } catch (const UnitError& e) {
      throw UsageError(where + "bad value '" + item + "': " + e.what());
    }
  };
  constexpr std::int64_t kMaxRange = 100000;
  std::vector<std::int64_t> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == "off" && option != "gomaxprocs") {
      out.push_back(limit ? kNoLimit : -1);
      continue;
    }
    const auto c1 = item.find(':');
    if (c1 == std::string::npos) {
      out.push_back(one(item));
      continue;
    }
    const auto c2 = item.find(':', c1 + 1);
    if (c2 == std::string::npos) throw UsageError(where + "bad range '" + item + "' (FROM:TO:STEP)");
    const std::int64_t from = one(item.substr(0, c1)), to = one(item.substr(c1 + 1, c2 - c1 - 1)),
                       step = one(item.substr(c2 + 1));
    if (step <= 0 || to < from || (to - from) / step >= kMaxRange) {
      throw UsageError(where + "bad range '" + item + "' (FROM <= TO, STEP > 0, at most " + std::to_string(kMaxRange) + " values)");
    }
    for (std::int64_t v = from; v <= to; v += step) out.push_back(v);
  }
  return out;
}

void finish_compare(std::vector<PointResult>& rows, const po::variables_map& vm) {
  finish_rows(rows);
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "csv" && format != "markdown") {
    throw UsageError("--format: text, csv or markdown, not '" + format + "'");
  }
  print_compare(std::cout, rows, format);
  if (vm.count("recommend")) {
    const auto cons = vm["recommend"].as<std::vector<std::string>>();
    auto best = recommend(rows, cons);
    std::string what;
    for (const auto& c : cons) what += (what.empty() ? "" : ", ") + c;
    if (!best) {
      std::cout << "\nrecommend (" << what << "): no point satisfies it\n";
    } else {
      const auto& r = rows[*best];
      std::cout << "\nrecommend (" << what << "): GOGC=" << gogc_text(r.point.gogc)
                << " GOMEMLIMIT=" << limit_text(r.point.gomemlimit)
                << " GOMAXPROCS=" << r.point.gomaxprocs << ": GC CPU " << std::fixed << std::setprecision(2) << r.gc_cpu_pct
                << " %, peak RSS " << std::setprecision(1) << r.peak_rss_mib << " MiB\n" << std::defaultfloat;
    }
  }
}

// What `compare` runs: the scenario file, or, given a gctrace, a scenario calibrated on it (its
// GOGC inferred from the goals, as `explain` does), with notes on standard error about the run
// itself and whether a memory limit set its goals.
// `mean_object_bytes`: --mean-object-size, for a gctrace only (0: not given).
ScenarioSource compare_source(const std::string& file, bool limit_given, double mean_object_bytes) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open file");
  const GctraceFile trace = read_gctrace(in, file);
  if (trace.cycles.empty()) {
    if (mean_object_bytes > 0) throw UsageError("compare: --mean-object-size is for a gctrace; " + file + " is a scenario");
    return {file, std::nullopt};
  }
  if (trace.cycles.size() < 3) {
    throw InputError(file + ": a gctrace of " + std::to_string(trace.cycles.size()) +
                     " cycles; comparing from a gctrace needs at least 3");
  }
  const GogcInference inf = infer_gogc(trace);
  const long gogc = inf.gogc;
  std::cerr << "compare: " << file << " is a gctrace of " << trace.cycles.size()
            << " cycles: comparing a scenario calibrated on it (GOGC " << gogc_text(gogc) << " inferred from "
            << inf.sets << " of " << inf.judged << " goals; `gogcsim calibrate` writes it out)\n";
  long peak_mb = 0;
  int limited = 0;
  for (std::size_t i = 0; i < trace.cycles.size(); ++i) {
    peak_mb = std::max(peak_mb, trace.cycles[i].heap_peak_mb);
    if (i == 0) continue;
    const TraceGoalBound b = classify_goal(trace.cycles[i - 1], trace.cycles[i], gogc);
    limited += b == TraceGoalBound::memory_limit || b == TraceGoalBound::memory_limit_back_to_back ? 1 : 0;
  }
  const auto& last = trace.cycles.back();
  std::cerr << "compare: the run itself (GOGC " << gogc_text(gogc) << ", GOMAXPROCS " << last.procs << "): " << trace.cycles.size()
            << " cycles in " << last.t_s << " s, GC CPU " << last.gc_cpu_pct << " % (gctrace's), heap at mark end up to "
            << peak_mb << " MB\n";
  if (limited > 0 && !limit_given) {
    std::cerr << "compare: a memory limit set " << limited << " of the run's goals; the grid below has none "
              << "unless you pass --gomemlimit (with the run's limit among the values)\n";
  }
  if (limit_given && mean_object_bytes <= 0) std::cerr << "compare: " << kStandInSizesNote << "\n";
  return {file, calibrate_from_gctrace(trace, file, gogc, -1, mean_object_bytes).yaml};
}

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description opts("compare options");
  opts.add_options()("scenario", po::value<std::string>(), "scenario YAML")(
      "gogc", po::value<std::string>(), "GOGC values, e.g. 50,100,200,off")(
      "gomemlimit", po::value<std::string>(), "GOMEMLIMIT values, e.g. off,2GiB")(
      "gomaxprocs", po::value<std::string>(), "GOMAXPROCS values, e.g. 2,4")(
      "jobs,j", po::value<int>()->default_value(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      "parallel runs (default: cores)")("format", po::value<std::string>()->default_value("text"), "text, csv or markdown")(
      "recommend", po::value<std::vector<std::string>>()->composing(), "constraint, e.g. peak_rss<=3GiB (repeatable)")(
      "shard", po::value<std::string>(), "run slice i of N (i/N) and print it as CSV for `gogcsim merge`")(
      "out,o", po::value<std::string>(), "also write compare.csv and report.html (heat-maps) into this directory")(
      "mean-object-size", po::value<std::string>(), "given a gctrace: the program's mean object size, as for calibrate")(
      "set", po::value<std::vector<std::string>>()->composing(), "override key.path=value, a list entry as phases[0]");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos, "compare");
  if (!vm.count("scenario")) throw UsageError("compare: missing SCENARIO.yaml");
  const std::string file = vm["scenario"].as<std::string>();
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  const ScenarioSource source = compare_source(file, vm.count("gomemlimit") != 0, mean_object_size_arg(vm, "compare"));
  Scenario sc = load_scenario(source, sets);
  // The grid: command-line lists, else the scenario's compare: block, else its own setting.
  auto pick = [&](const char* opt, const std::vector<std::int64_t>& from_yaml, bool limit) {
    return vm.count(opt) ? parse_list(vm[opt].as<std::string>(), limit, opt) : from_yaml;
  };
  std::vector<std::int64_t> gomaxprocs_list;
  if (vm.count("gomaxprocs")) {
    gomaxprocs_list = parse_list(vm["gomaxprocs"].as<std::string>(), false, "gomaxprocs");
  } else {
    gomaxprocs_list = sc.compare.gomaxprocs;
  }
  auto grid = make_grid(pick("gogc", sc.compare.gogc, false), pick("gomemlimit", sc.compare.gomemlimit, true),
                        gomaxprocs_list, GridPoint{sc.runtime.gogc, sc.runtime.gomemlimit, sc.runtime.gomaxprocs});
  int shard = 0, shards = 1;
  if (vm.count("shard")) {
    const std::string s = vm["shard"].as<std::string>();
    if (std::sscanf(s.c_str(), "%d/%d", &shard, &shards) != 2 || shards < 1 || shard < 0 || shard >= shards) {
      throw UsageError("--shard: expected i/N with 0 <= i < N, not '" + s + "'");
    }
  }
  auto rows = run_grid(source, sets, grid, vm["jobs"].as<int>(), shard, shards, ::isatty(2) != 0);
  if (vm.count("shard")) {
    print_compare(std::cout, rows, "csv");
    return 0;
  }
  finish_compare(rows, vm);
  if (vm.count("out")) {
    std::ostringstream csv, html;
    print_compare(csv, rows, "csv");
    std::vector<CompareCell> cells;
    for (const auto& r : rows) {
      if (r.point.gomaxprocs != rows.front().point.gomaxprocs) continue;  // heat-maps: the first GOMAXPROCS
      cells.push_back({gogc_text(r.point.gogc), limit_text(r.point.gomemlimit),
                       r.gc_cpu_pct, r.peak_rss_mib, r.slowdown, r.oom});
    }
    write_compare_html(html, sc.name + " (GOMAXPROCS=" + std::to_string(rows.front().point.gomaxprocs) + ")", cells);
    OutputDir out(vm["out"].as<std::string>());
    out.add("compare.csv", csv.str());
    out.add("report.html", html.str());
    out.commit();
  }
  return 0;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("merge options");
  opts.add_options()("files", po::value<std::vector<std::string>>(), "shard CSVs")(
      "format", po::value<std::string>()->default_value("text"), "text, csv or markdown")(
      "recommend", po::value<std::vector<std::string>>()->composing(), "constraint, e.g. peak_rss<=3GiB");
  po::positional_options_description pos;
  pos.add("files", -1);
  auto vm = parse(args, opts, pos, "merge");
  if (!vm.count("files")) throw UsageError("merge: no shard files");
  std::vector<PointResult> rows;
  for (const auto& f : vm["files"].as<std::vector<std::string>>()) {
    auto part = read_compare_csv(f);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  finish_compare(rows, vm);
  return 0;
}

int cmd_size_classes(const std::vector<std::string>& args) {
  po::options_description opts("size-classes options");
  opts.add_options()("go", po::value<std::string>()->default_value("1.19"), "Go version");
  auto vm = parse(args, opts, {}, "size-classes");
  std::string go = vm["go"].as<std::string>();
  const auto& versions = pacer_versions();
  if (std::find(versions.begin(), versions.end(), go) == versions.end()) {
    throw UsageError("size-classes: unknown Go version '" + go + "'");
  }
  print_size_classes(std::cout, span_layout_for(go));
  return 0;
}

// gogcsim trace stat | convert | import-allocfreetrace | record
int cmd_trace(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("trace: expected a subcommand (stat, convert, import-allocfreetrace, record)");
  const std::string sub = args[0];
  if (sub == "--help" || sub == "-h") {
    std::cout << "usage:\n" << usage_lines("trace");
    return 0;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "stat") {
    po::options_description opts("trace stat options");
    opts.add_options()("file", po::value<std::string>(), "trace");
    po::positional_options_description pos;
    pos.add("file", 1);
    auto vm = parse(rest, opts, pos, "trace stat");
    if (!vm.count("file")) throw UsageError("trace stat: missing FILE");
    const std::string f = vm["file"].as<std::string>();
    print_trace_stats(std::cout, f, stat_trace(f));
    return 0;
  }
  if (sub == "convert") {
    po::options_description opts("trace convert options");
    opts.add_options()("in", po::value<std::string>(), "input trace")("out", po::value<std::string>(), "output trace")(
        "to", po::value<std::string>(), "binary or text (default: the other form than the input's)");
    po::positional_options_description pos;
    pos.add("in", 1).add("out", 1);
    auto vm = parse(rest, opts, pos, "trace convert");
    if (!vm.count("in") || !vm.count("out")) throw UsageError("trace convert: expected IN OUT");
    const std::string in = vm["in"].as<std::string>(), out = vm["out"].as<std::string>();
    bool to_binary = !TraceReader(in).binary();
    if (vm.count("to")) {
      const std::string to = vm["to"].as<std::string>();
      if (to != "binary" && to != "text") throw UsageError("trace convert: --to is binary or text, not '" + to + "'");
      to_binary = to == "binary";
    }
    convert_trace(in, out, to_binary);
    return 0;
  }
  if (sub == "import-allocfreetrace") {
    po::options_description opts("trace import-allocfreetrace options");
    opts.add_options()("in", po::value<std::string>(), "GODEBUG=allocfreetrace=1 output")(
        "out", po::value<std::string>(), "trace to write")("to", po::value<std::string>()->default_value("binary"),
                                                           "binary or text")(
        "alloc-rate", po::value<std::string>()->default_value("100MiB/s"),
        "the program's allocation rate: allocfreetrace has no times, so the trace's clock is bytes allocated");
    po::positional_options_description pos;
    pos.add("in", 1).add("out", 1);
    auto vm = parse(rest, opts, pos, "trace import-allocfreetrace");
    if (!vm.count("in") || !vm.count("out")) throw UsageError("trace import-allocfreetrace: expected IN OUT");
    const std::string to = vm["to"].as<std::string>();
    if (to != "binary" && to != "text") throw UsageError("trace import-allocfreetrace: --to is binary or text");
    double rate = 0;
    try {
      rate = parse_rate_bytes_per_s(vm["alloc-rate"].as<std::string>());
    } catch (const UnitError& e) {
      throw UsageError(std::string("trace import-allocfreetrace: --alloc-rate: ") + e.what());
    }
    const auto st = import_allocfreetrace(vm["in"].as<std::string>(), vm["out"].as<std::string>(), to == "binary", rate);
    std::cout << "allocs " << st.allocs << " (noscan " << st.noscan_allocs << "), frees " << st.frees << ", implicit frees "
              << st.implicit_frees << ", frees of unknown addresses " << st.unknown_frees << ", GC cycles " << st.gcs << "\n";
    return 0;
  }
  if (sub == "record") {
    po::options_description opts("trace record options");
    opts.add_options()("scenario", po::value<std::string>(), "scenario with an object-level workload")(
        "out", po::value<std::string>(), "trace to write")("to", po::value<std::string>()->default_value("binary"),
                                                           "binary or text")(
        "set", po::value<std::vector<std::string>>()->composing(), "override a scenario key: --set key.path=value");
    po::positional_options_description pos;
    pos.add("scenario", 1).add("out", 1);
    auto vm = parse(rest, opts, pos, "trace record");
    if (!vm.count("scenario") || !vm.count("out")) throw UsageError("trace record: expected SCENARIO OUT");
    const std::string to = vm["to"].as<std::string>();
    if (to != "binary" && to != "text") throw UsageError("trace record: --to is binary or text");
    const auto sets = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const Scenario sc = load_scenario_file(vm["scenario"].as<std::string>(), sets);
    auto workload = sc.workload.choice.make(workload_context(sc));
    if (!workload->object()) {
      throw UsageError("trace record: workload kind '" + sc.workload.choice.kind + "' has no records (use trace or graph)");
    }
    auto src = workload->object()->open();
    const std::uint64_t n = write_trace(*src, vm["out"].as<std::string>(), to == "binary");
    std::cout << n << " records\n";
    return 0;
  }
  throw UsageError("trace: unknown subcommand '" + sub + "' (stat, convert, import-allocfreetrace, record)");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << kUsage;
      return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
      std::cout << "gogcsim " << tool_version() << "\n";
      return 0;
    }
    std::string cmd = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "run") return cmd_run(rest);
    if (cmd == "models") {
      describe_models(std::cout);
      return 0;
    }
    if (cmd == "size-classes") return cmd_size_classes(rest);
    if (cmd == "explain") return cmd_explain(rest);
    if (cmd == "validate") return cmd_validate(rest);
    if (cmd == "calibrate") return cmd_calibrate(rest);
    if (cmd == "compare") return cmd_compare(rest);
    if (cmd == "merge") return cmd_merge(rest);
    if (cmd == "trace") return cmd_trace(rest);
    throw UsageError("unknown command '" + cmd + "' (see gogcsim --help)");
  } catch (const HelpShown&) {
    return 0;
  } catch (const InputError& e) {
    std::cerr << "gogcsim: " << e.what() << "\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "gogcsim: " << e.what() << "\n";
    return 2;
  } catch (const po::error& e) {
    std::cerr << "gogcsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gogcsim: internal error: " << e.what() << "\n";
    return 1;
  }
}
