// The `gogcsim._native` extension: the C++ library behind the CLI, called from Python. The
// pure-Python package around it (python/gogcsim/__init__.py) turns the rendered outputs into
// pandas DataFrames; everything the simulator computes is computed here, by the same code.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "analysis/gctrace.hpp"
#include "app/calibrate.hpp"
#include "app/compare.hpp"
#include "app/run.hpp"
#include "sim/units.hpp"

namespace py = pybind11;
using namespace gogcsim;

namespace {

// A Python value (dict / list / str / int / float / bool) as YAML, so a dict scenario goes
// through the same strict loader as a file. Anything else is a TypeError naming the key.
YAML::Node to_yaml(const py::handle& v, const std::string& path) {
  if (py::isinstance<py::bool_>(v)) return YAML::Node(v.cast<bool>());
  if (py::isinstance<py::int_>(v)) return YAML::Node(v.cast<long long>());
  if (py::isinstance<py::float_>(v)) return YAML::Node(v.cast<double>());
  if (py::isinstance<py::str>(v)) return YAML::Node(v.cast<std::string>());
  if (py::isinstance<py::dict>(v)) {
    YAML::Node n(YAML::NodeType::Map);
    for (auto [k, x] : v.cast<py::dict>()) {
      const std::string key = py::str(k).cast<std::string>();
      n[key] = to_yaml(x, path.empty() ? key : path + "." + key);
    }
    return n;
  }
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    YAML::Node n(YAML::NodeType::Sequence);
    std::size_t i = 0;
    for (auto x : v) n.push_back(to_yaml(x, path + "." + std::to_string(i++)));
    return n;
  }
  throw py::type_error("scenario key '" + path + "': cannot be a " +
                       py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>());
}

// A scenario given as a dict, YAML text or a path: where to load it from (again, per setting).
ScenarioSource source(const py::object& scenario, const std::string& name) {
  if (py::isinstance<py::dict>(scenario)) {
    YAML::Emitter e;
    e << to_yaml(scenario, "");
    return {name, std::string(e.c_str())};
  }
  const std::string s = scenario.cast<std::string>();
  // Text with a newline or a "key:" is YAML; anything else is a path.
  if (s.find('\n') != std::string::npos || s.find(": ") != std::string::npos) return {name, s};
  return {s, std::nullopt};
}

Scenario load(const py::object& scenario, const std::vector<std::string>& overrides, const std::string& name) {
  return load_scenario(source(scenario, name), overrides);
}

// A GOGC (int, or "off") and a GOMEMLIMIT (bytes, "3GiB" or "off") as compare's grid takes them.
std::int64_t gogc_value(const py::handle& v) {
  if (py::isinstance<py::str>(v)) {
    if (v.cast<std::string>() == "off") return -1;
    throw InputError("compare: gogc takes a percent or \"off\", not '" + v.cast<std::string>() + "'");
  }
  const auto g = v.cast<long long>();
  if (g < 0) throw InputError("compare: gogc takes a percent or \"off\", not " + std::to_string(g));
  return g;
}
std::int64_t limit_value(const py::handle& v) {
  if (py::isinstance<py::str>(v)) {
    const std::string s = v.cast<std::string>();
    return s == "off" ? kNoLimit : static_cast<std::int64_t>(parse_size_bytes(s));
  }
  return v.cast<long long>();
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "gogcsim's C++ core; use the `gogcsim` package, not this module";
  // Bad input raises ScenarioError (a ValueError) with the CLI's one-line message.
  static py::exception<InputError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      scenario_error(e.what());
    } catch (const UnitError& e) {
      scenario_error(e.what());
    }
  });
  m.def("version", [] { return std::string(tool_version()); });
  m.def(
      "run",
      [](const py::object& scenario, const std::vector<std::string>& overrides, const std::string& name) {
        const Scenario sc = load(scenario, overrides, name);
        std::vector<std::pair<std::string, std::string>> files;
        {
          py::gil_scoped_release nogil;
          files = render_outputs(run_scenario(sc));
        }
        py::dict out;
        for (auto& [file, text] : files) out[py::str(file)] = py::str(text);  // UTF-8 decoded
        return out;
      },
      py::arg("scenario"), py::arg("overrides") = std::vector<std::string>{}, py::arg("name") = "scenario",
      "Runs a scenario (path, YAML text or dict); returns {output file name: content}.");
  m.def(
      "compare",
      [](const py::object& scenario, const py::list& gogc, const py::list& gomemlimit, const std::vector<std::int64_t>& gomaxprocs,
         const std::vector<std::string>& overrides, const std::string& name, int jobs) {
        const ScenarioSource src = source(scenario, name);
        const Scenario sc = load_scenario(src, overrides);
        std::vector<std::int64_t> g, l;
        for (auto v : gogc) g.push_back(gogc_value(v));
        for (auto v : gomemlimit) l.push_back(limit_value(v));
        const auto grid = make_grid(g, l, gomaxprocs, GridPoint{sc.runtime.gogc, sc.runtime.gomemlimit, sc.runtime.gomaxprocs});
        std::vector<PointResult> rows;
        {
          py::gil_scoped_release nogil;
          rows = run_grid(src, overrides, grid, jobs, 0, 1, false);
        }
        finish_rows(rows);
        std::ostringstream csv;
        print_compare(csv, rows, "csv");
        return csv.str();
      },
      py::arg("scenario"), py::arg("gogc"), py::arg("gomemlimit"), py::arg("gomaxprocs"), py::arg("overrides"),
      py::arg("name"), py::arg("jobs"), "compare's grid over a scenario; returns its CSV.");
  m.def(
      "parse_gctrace",
      [](const std::string& gctrace_text) {
        std::istringstream in(gctrace_text);
        const GctraceFile f = read_gctrace(in);
        // Columns (lists) for a DataFrame; sizes in MB as gctrace prints them.
        py::dict d;
        auto col = [&](const char* name, auto get) {
          py::list l;
          for (const auto& c : f.cycles) l.append(get(c));
          d[name] = l;
        };
        col("cycle", [](const GctraceLine& c) { return c.cycle; });
        col("t_s", [](const GctraceLine& c) { return c.t_s; });
        col("gc_cpu_pct", [](const GctraceLine& c) { return c.gc_cpu_pct; });
        col("sweep_term_ms", [](const GctraceLine& c) { return c.clock_ms[0]; });
        col("mark_ms", [](const GctraceLine& c) { return c.clock_ms[1]; });
        col("mark_term_ms", [](const GctraceLine& c) { return c.clock_ms[2]; });
        col("cpu_assist_ms", [](const GctraceLine& c) { return c.cpu_ms[1]; });
        col("cpu_background_ms", [](const GctraceLine& c) { return c.cpu_ms[2]; });
        col("cpu_idle_ms", [](const GctraceLine& c) { return c.cpu_ms[3]; });
        col("heap_start_mb", [](const GctraceLine& c) { return c.heap_start_mb; });
        col("heap_peak_mb", [](const GctraceLine& c) { return c.heap_peak_mb; });
        col("heap_marked_mb", [](const GctraceLine& c) { return c.heap_marked_mb; });
        col("goal_mb", [](const GctraceLine& c) { return c.goal_mb; });
        col("stacks_mb", [](const GctraceLine& c) { return c.stacks_mb; });
        col("globals_mb", [](const GctraceLine& c) { return c.globals_mb; });
        col("procs", [](const GctraceLine& c) { return c.procs; });
        col("forced", [](const GctraceLine& c) { return c.forced; });
        return d;
      },
      py::arg("gctrace"));
  m.def(
      "explain",
      [](const std::string& gctrace_text, long gogc) {
        std::istringstream in(gctrace_text);
        std::ostringstream out;
        explain_gctrace(out, read_gctrace(in), gogc);
        return out.str();
      },
      py::arg("gctrace"), py::arg("gogc") = 100);
  m.def(
      "calibrate",
      [](const std::string& gctrace_text, const std::string& name, long gogc, long long memory_limit,
         double mean_object_bytes) {
        if (!(mean_object_bytes >= 0 && mean_object_bytes <= 0x1p40))
          throw InputError("calibrate: mean_object_bytes must be 0 (unknown) or a size up to 1 TiB");
        std::istringstream in(gctrace_text);
        const TraceFit f = calibrate_from_gctrace(read_gctrace(in), name, gogc, memory_limit, mean_object_bytes);
        py::dict d;
        d["yaml"] = f.yaml;
        d["phases"] = f.phases;
        d["cycles"] = f.cycles;
        const std::pair<const char*, double> numbers[] = {
            {"alloc_rate_rms_rel", f.alloc_rate_rms_rel}, {"live_rms_rel", f.live_rms_rel},
            {"mark_cpu_rms_rel", f.mark_cpu_rms_rel},     {"alloc_mib_per_s", f.alloc_mib_per_s},
            {"live_min_mib", f.live_min_mib},             {"live_max_mib", f.live_max_mib},
            {"mark_ns_per_byte", f.mark_ns_per_byte},     {"mutator_cpus", f.mutator_cpus},
            {"stacks_mib", f.stacks_mib},                 {"globals_mib", f.globals_mib},
            {"scan_fraction", f.scan_fraction},           {"start_up_s", f.start_up_s},
            {"start_up_cpus", f.start_up_cpus}};
        for (const auto& [key, value] : numbers) d[key] = value;
        return d;
      },
      py::arg("gctrace"), py::arg("name") = "calibrated", py::arg("gogc") = 100, py::arg("memory_limit") = -1,
      py::arg("mean_object_bytes") = 0.0);
}
