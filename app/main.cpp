// The gogcsim command line. Exit codes: 0 success, 2 bad input, 1 internal error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/gctrace.hpp"
#include "app/run.hpp"
#include "app/calibrate.hpp"
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
  gogcsim explain GCTRACE [--gogc N] each gctrace cycle annotated: goal and its bound, CPU, changes
  gogcsim validate [--markdown]      every validation scenario against real Go 1.19 recordings
  gogcsim calibrate GCTRACE [--gogc N] [-o fitted.yaml]   a scenario fitted to one real run
  gogcsim calibrate --costs          the cost preset fitted to the validation recordings
  gogcsim models                    every model kind and its parameters
  gogcsim size-classes [--go 1.19]  Go's size-class table (1.22+: per-span objects too)
  gogcsim --help | --version

`run` writes cycles.csv, timeseries.csv, pauses.csv, gctrace.txt, pacertrace.txt, summary.json
(and fragmentation.csv at the fluid level) into DIR (default out/<scenario name>) and prints
the headline numbers.
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("run options");
  opts.add_options()("scenario", po::value<std::string>(), "scenario YAML")(
      "set", po::value<std::vector<std::string>>()->composing(), "override key.path=value (repeatable)")(
      "out,o", po::value<std::string>(), "output directory (default out/<scenario name>)")(
      "quiet,q", po::bool_switch(), "print nothing on success")("help,h", po::bool_switch(), "this help");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto vm = parse(args, opts, pos);
  if (vm["help"].as<bool>()) {
    std::cout << "usage: gogcsim run SCENARIO.yaml [--set key.path=value]... [--out DIR]\n" << opts;
    return 0;
  }
  if (!vm.count("scenario")) throw UsageError("run: missing SCENARIO.yaml");
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  Scenario sc = load_scenario_file(vm["scenario"].as<std::string>(), sets);
  RunResult res = run_scenario(sc);
  std::string out = vm.count("out") ? vm["out"].as<std::string>() : "out/" + sc.name;
  write_outputs(res, out);
  if (!vm["quiet"].as<bool>()) {
    print_headline(std::cout, res.info, res.summary);
    std::cout << "  outputs       " << out << "/ (cycles.csv timeseries.csv pauses.csv gctrace.txt pacertrace.txt summary.json"
              << (sc.fidelity == "fluid" ? " fragmentation.csv" : "") << ")\n";
  }
  return 0;
}

int cmd_explain(const std::vector<std::string>& args) {
  po::options_description opts("explain options");
  opts.add_options()("trace", po::value<std::string>(), "gctrace file (- for standard input)")(
      "gogc", po::value<long>(), "the run's GOGC (default: inferred from the goals)");
  po::positional_options_description pos;
  pos.add("trace", 1);
  auto vm = parse(args, opts, pos);
  if (!vm.count("trace")) throw UsageError("explain: missing GCTRACE file");
  const std::string file = vm["trace"].as<std::string>();
  GctraceFile trace;
  if (file == "-") {
    trace = read_gctrace(std::cin);
  } else {
    std::ifstream in(file);
    if (!in) throw InputError(file + ": cannot open file");
    trace = read_gctrace(in);
  }
  if (trace.cycles.empty()) throw InputError(file + ": no gctrace lines (expected GODEBUG=gctrace=1 output)");
  explain_gctrace(std::cout, trace, vm.count("gogc") ? vm["gogc"].as<long>() : -2);
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("validate options");
  opts.add_options()("root", po::value<std::string>()->default_value("."), "source tree (scenarios/, tests/)")(
      "markdown", po::bool_switch(), "print a Markdown table")(
      "calibrated", po::bool_switch(), "predict from scenarios fitted to each program's GOGC=100 recording")(
      "set", po::value<std::vector<std::string>>()->composing(), "override applied to every scenario");
  auto vm = parse(args, opts, {});
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  print_validation(std::cout, validate(vm["root"].as<std::string>(), sets, vm["calibrated"].as<bool>()),
                   vm["markdown"].as<bool>());
  return 0;
}

int cmd_calibrate(const std::vector<std::string>& args) {
  po::options_description opts("calibrate options");
  opts.add_options()("trace", po::value<std::string>(), "gctrace of one run")(
      "gogc", po::value<std::string>()->default_value("100"), "the run's GOGC (or off)")(
      "gomemlimit", po::value<std::string>()->default_value("off"), "the run's GOMEMLIMIT")(
      "output,o", po::value<std::string>(), "write the fitted scenario here (default: standard output)")(
      "costs", po::bool_switch(), "instead: fit the cost preset to the validation recordings under --root")(
      "root", po::value<std::string>()->default_value("."), "source tree, for --costs");
  po::positional_options_description pos;
  pos.add("trace", 1);
  auto vm = parse(args, opts, pos);
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
  GctraceFile trace = read_gctrace(in);
  const std::string gogc_text = vm["gogc"].as<std::string>();
  long gogc = -1;
  if (gogc_text != "off") {
    try {
      gogc = std::stol(gogc_text);
    } catch (const std::exception&) {
      throw UsageError("calibrate: --gogc takes a percent or off, not '" + gogc_text + "'");
    }
  }
  const std::string lim = vm["gomemlimit"].as<std::string>();
  long long limit = -1;
  if (lim != "off") {
    try {
      limit = static_cast<long long>(parse_size_bytes(lim));
    } catch (const UnitError& e) {
      throw UsageError(std::string("calibrate: --gomemlimit: ") + e.what());
    }
  }
  TraceFit f = calibrate_from_gctrace(trace, file, gogc, limit);
  if (vm.count("output")) {
    OutputDir out(std::filesystem::path(vm["output"].as<std::string>()).parent_path().string().empty()
                      ? "."
                      : std::filesystem::path(vm["output"].as<std::string>()).parent_path().string());
    out.add(std::filesystem::path(vm["output"].as<std::string>()).filename().string(), f.yaml);
    out.commit();
    std::cout << "fitted " << f.cycles << " cycles into " << f.phases << " phases; residuals (relative RMS): allocation "
              << f.alloc_rate_rms_rel << ", live heap " << f.live_rms_rel << ", mark CPU " << f.mark_cpu_rms_rel << "\n";
  } else {
    std::cout << f.yaml;
  }
  return 0;
}

int cmd_size_classes(const std::vector<std::string>& args) {
  po::options_description opts("size-classes options");
  opts.add_options()("go", po::value<std::string>()->default_value("1.19"), "Go version");
  auto vm = parse(args, opts, {});
  std::string go = vm["go"].as<std::string>();
  const auto& versions = pacer_versions();
  if (std::find(versions.begin(), versions.end(), go) == versions.end()) {
    throw UsageError("size-classes: unknown Go version '" + go + "'");
  }
  print_size_classes(std::cout, span_layout_for(go));
  return 0;
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
    throw UsageError("unknown command '" + cmd + "' (see gogcsim --help)");
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
