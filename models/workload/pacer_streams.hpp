// `kind: pacer-streams` — the inputs of Go's pacer test harness (runtime/mgcpacer_test.go),
// one set per GC cycle, for the `cycle` fidelity level.
//
// Either stream expressions (models/workload/streams.hpp), evaluated once per cycle in the
// harness's order and clamped as it clamps them:
//
//   alloc_rate, scan_rate, growth_rate  = max(0.0001, stream)       KiB per CPU-ms, ratio
//   scannable_frac                      = clamp(stream, 0, 1)
//   stack_bytes                         = max(0, stream rounded toward zero to 2048 B)
//
// with GOGC, the memory limit and GOMAXPROCS from the scenario's `runtime:`; or a CSV file,
// `inputs: FILE.csv` (relative to the scenario), one row per cycle with exactly the columns
//
//   cycle,gcPercent,memoryLimit,nCores,allocRate,scanRate,growthRate,scannableFrac,stackBytes,globalsBytes
//
// in the harness's names and units (gcPercent −1 = off; memoryLimit 9223372036854775807 =
// none). GOGC and the limit may change between cycles; per-cycle measurements of a real
// service can be fed the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/workload/streams.hpp"
#include "models/workload/synthetic.hpp"
#include "models/workload/workload.hpp"

namespace gogcsim {

struct PacerStreamsParams {
  std::optional<std::int64_t> cycles;
  StreamExpr alloc_rate, scan_rate = StreamExpr::make_constant(1024), growth_rate,
                         scannable_frac = StreamExpr::make_constant(1), stack_bytes = StreamExpr::make_constant(8192);
  std::uint64_t globals_bytes = 32768;
  std::optional<std::string> inputs;
  std::vector<CycleInputs> rows;  ///< Loaded from `inputs` by check().

  template <class V>
  void visit(V& v) {
    v.field("cycles", cycles, {.description = "cycles to run (default 50, or every row of inputs)", .unit = Unit::count, .min = 1, .max = 1e8});
    v.custom("alloc_rate", alloc_rate, {.description = "KiB allocated per mutator CPU-ms", .unit = Unit::stream});
    v.custom("scan_rate", scan_rate, {.description = "KiB scanned per GC CPU-ms", .unit = Unit::stream});
    v.custom("growth_rate", growth_rate, {.description = "live heap growth factor per cycle", .unit = Unit::stream});
    v.custom("scannable_frac", scannable_frac, {.description = "scannable fraction of the heap", .unit = Unit::stream});
    v.custom("stack_bytes", stack_bytes, {.description = "stack bytes to scan", .unit = Unit::stream});
    v.field("globals", globals_bytes, {.description = "globals bytes to scan", .unit = Unit::bytes, .max = 0x1p40});
    v.field("inputs", inputs, {.description = "CSV of per-cycle inputs instead of streams", .unit = Unit::text});
  }
  /// Streams or inputs, not both; loads and checks the inputs file.
  void check(ConfigSource& src, const std::string& path);
};

/// Reads an inputs CSV (format above). Throws InputError naming file, line and column.
std::vector<CycleInputs> read_cycle_inputs_csv(const std::string& file);

class PacerStreamsWorkload : public Workload, public CycleWorkload {
 public:
  PacerStreamsWorkload(const PacerStreamsParams& p, const WorkloadContext& ctx);
  CycleWorkload* cycle() override { return this; }
  std::int64_t cycles() const override { return cycles_; }
  CycleInputs next() override;

 private:
  PacerStreamsParams p_;
  WorkloadContext ctx_;
  std::int64_t cycles_ = 0;
  std::int64_t i_ = 0;
  std::unique_ptr<Stream> alloc_, scan_, growth_, frac_, stack_;
};

}  // namespace gogcsim
