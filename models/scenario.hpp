// A scenario: everything one run needs, parsed once from YAML into typed structs
// (DESIGN §5). The loader is strict: unknown keys, wrong types or units, negative sizes and
// missing required fields are InputErrors naming the file, line and key path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/costs.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"

namespace gogcsim {

struct RuntimeParams {
  std::int64_t gomaxprocs = 4;
  std::int64_t gogc = 100;
  std::int64_t gomemlimit = kNoLimit;

  template <class V>
  void visit(V& v) {
    v.field("gomaxprocs", gomaxprocs, {.description = "Ps (GOMAXPROCS)", .unit = Unit::count, .min = 1, .max = 1024});
    v.field("gogc", gogc, {.description = "GOGC percent, or off", .unit = Unit::gogc, .min = -1, .max = 1e9});
    v.field("gomemlimit", gomemlimit, {.description = "GOMEMLIMIT, or off", .unit = Unit::limit, .min = 0});
  }
};

struct MemoryParams {
  std::int64_t goroutines = 100;
  std::uint64_t stack_size_bytes = 8 << 10;
  std::uint64_t stack_scanned_bytes = 2 << 10;
  std::uint64_t globals_bytes = 256 << 10;
  std::uint64_t other_bytes = 1 << 20;
  std::int64_t container_limit_bytes = kNoLimit;

  template <class V>
  void visit(V& v) {
    v.field("goroutines", goroutines, {.description = "goroutines (each owns a stack)", .unit = Unit::count, .min = 0, .max = 1e8});
    v.field("stack_size", stack_size_bytes, {.description = "allocated stack per goroutine", .unit = Unit::bytes, .min = 2048, .max = 0x1p30});
    v.field("stack_scanned", stack_scanned_bytes, {.description = "stack bytes in use (scanned) per goroutine", .unit = Unit::bytes, .max = 0x1p30});
    v.field("globals", globals_bytes, {.description = "data+bss of the binary (scanned as roots)", .unit = Unit::bytes, .max = 0x1p40});
    v.field("other", other_bytes, {.description = "other runtime memory counted by the limit, beyond the modelled heap metadata", .unit = Unit::bytes, .max = 0x1p50});
    v.field("container_limit", container_limit_bytes, {.description = "RSS at which the process is OOM-killed, or off", .unit = Unit::limit, .min = 0});
  }
};

struct OutputParams {
  std::int64_t sample_interval_ns = 100'000'000;
  bool reachability = true;  ///< object level: live bytes and floating garbage per cycle (a BFS each)
  /// A run that passes this many GC cycles or timeseries samples stops with an error: a cycle's
  /// record takes ~0.5 KB, a sample's ~0.25 KB, and a phase of 100000h instead of 100ms would
  /// otherwise run for hours and fill the memory. 2 M cycles: ~3 s of the fluid level, ~1 GB of
  /// records; 2 M samples: 55 hours at the default interval.
  std::int64_t max_cycles = 2'000'000;
  std::int64_t max_samples = 2'000'000;
  template <class V>
  void visit(V& v) {
    v.field("sample_interval", sample_interval_ns, {.description = "time between timeseries samples (wall)", .unit = Unit::duration, .min = 1000, .max = 0x1p50});
    v.field("reachability", reachability, {.description = "object level: reachable bytes and floating garbage per cycle (two graph searches per cycle)", .unit = Unit::flag});
    v.field("max_cycles", max_cycles, {.description = "stop with an error past this many GC cycles (~0.5 KB of records each)", .unit = Unit::count, .min = 1, .max = 1e9});
    v.field("max_samples", max_samples, {.description = "stop with an error past this many timeseries samples (~0.25 KB each)", .unit = Unit::count, .min = 1, .max = 1e9});
  }
};

struct CompareParams {
  std::vector<std::int64_t> gogc;
  std::vector<std::int64_t> gomemlimit;
  std::vector<std::int64_t> gomaxprocs;
  template <class V>
  void visit(V& v) {
    v.field("gogc", gogc, {.description = "GOGC values to sweep", .unit = Unit::gogc, .min = -1, .max = 1e9});
    v.field("gomemlimit", gomemlimit, {.description = "GOMEMLIMIT values to sweep", .unit = Unit::limit, .min = 0});
    v.field("gomaxprocs", gomaxprocs, {.description = "GOMAXPROCS values to sweep", .unit = Unit::count, .min = 1, .max = 1024});
  }
};

/// A registry choice as a config field: `{kind: NAME, ...the kind's parameters}`.
template <class RegistryT>
struct ModelField {
  const RegistryT* registry;
  typename RegistryT::ChoiceT choice;
  const char* default_kind;

  template <class V>
  void visit(V& v) {
    if constexpr (std::is_same_v<V, ConfigReader>) {
      choice = registry->parse(v);
    } else if constexpr (std::is_same_v<V, ConfigWriter>) {
      std::string kind = choice.kind;
      v.field("kind", kind, {.unit = Unit::text});
      choice.write(v);
    } else {
      std::string kind = default_kind;
      v.field("kind", kind, {.description = ("one of: " + registry->names()).c_str(), .unit = Unit::text});
    }
  }
};

struct Scenario {
  std::string name = "unnamed";
  std::uint64_t seed = 1;
  std::string go = "1.19";
  std::string fidelity = "fluid";
  std::string workers = "continuous";
  RuntimeParams runtime;
  MemoryParams memory;
  ModelField<WorkloadRegistry> workload{&workload_registry(), {}, "synthetic"};
  CostParams costs;
  ModelField<PolicyRegistry> policy{&policy_registry(), {}, "static"};
  OutputParams output;
  CompareParams compare;

  template <class V>
  void visit(V& v) {
    v.field("name", name, {.description = "scenario name (echoed in outputs)", .unit = Unit::text});
    v.field("seed", seed, {.description = "seed of every random stream", .unit = Unit::seed, .max = 1.8446744073709552e19});
    std::vector<std::string> versions(pacer_versions().begin(), pacer_versions().end());
    v.field("go", go, {.description = "Go version whose runtime is modelled", .unit = Unit::text, .choices = versions});
    v.field("fidelity", fidelity, {.description = "level of detail", .unit = Unit::text, .choices = {"cycle", "fluid", "object"}});
    v.field("workers", workers,
            {.description = "fluid level: the fractional mark worker at its share all the time (continuous), or as Go 1.19's "
                            "scheduler runs it when every P is busy, with assists that wait for the workers' credit (scheduled)",
             .unit = Unit::text, .choices = {"continuous", "scheduled"}});
    v.child("runtime", runtime, "runtime settings (GOMAXPROCS, GOGC, GOMEMLIMIT)");
    v.child("memory", memory, "non-heap memory and the container");
    v.child("workload", workload, "what the program does", true);
    v.child("costs", costs, "machine costs");
    v.child("policy", policy, "what changes settings between cycles");
    v.child("output", output, "output options");
    v.child("compare", compare, "grid for `gogcsim compare`");
  }

  /// The file (or "<text>") it was read from.
  std::string source_file;
  /// Resolved scenario as one-line flow YAML (every default explicit): echoed in outputs.
  std::string resolved_yaml() const;
};

/// What a workload is told about the scenario around it.
inline WorkloadContext workload_context(const Scenario& s) {
  return WorkloadContext{s.seed, s.runtime.gomaxprocs, s.runtime.gogc, s.runtime.gomemlimit, s.go};
}

/// Loads and checks a scenario; `overrides` are `key.path=value` strings (`--set`).
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});
Scenario load_scenario_text(const std::string& yaml, const std::string& name,
                            const std::vector<std::string>& overrides = {});

}  // namespace gogcsim
