// The workload family: what the program does, in mutator time (DESIGN §2).
//
// A fluid workload is a sequence of segments of mutator time over which its rates are
// constant, plus the live heap it holds at any mutator time. "Mutator time" is the time the
// program would need with no GC at all; the level maps it to wall time as GC takes CPU.
//
// Allocation is counted in size-class bytes, the way Go counts /gc/heap/allocs:bytes and
// heap profiles (an object of 100 B occupies and is counted as 112 B), so a rate measured
// on a real service can be entered as is.
#pragma once

#include <cstdint>
#include <memory>

#include "models/heap/span_mix.hpp"
#include "sim/config.hpp"

namespace gogcsim {

/// A stretch of mutator time with constant rates.
struct FlowSegment {
  double begin_ns = 0;                ///< Mutator time the segment starts.
  double end_ns = 0;                  ///< Mutator time it ends (exclusive).
  double alloc_bytes_per_ns = 0;      ///< All allocation, size-class bytes per mutator ns.
  double retained_bytes_per_ns = 0;   ///< Change of the long-lived heap (negative: release).
  double scan_frac = 0;               ///< Scannable fraction of newly allocated bytes.
  double mean_object_bytes = 0;       ///< Mean size-class bytes per object (objects = bytes / this).
  const SpanMix* mix = nullptr;       ///< How its objects fill spans (the scenario's Go version).
  double sweep_holes_per_byte = 0;    ///< Dead bytes per allocated byte a sweep leaves in kept spans.
  int phase = 0;                      ///< Index of the YAML phase it belongs to.
  double mutator_cpus = 1;            ///< CPUs the program keeps busy in it (<= the workload's).
  double mark_speed = 1;              ///< Its speed while the GC marks (visit_mark_speed).
};

/// The live heap at one mutator time: what a mark started then would have to mark.
struct LiveHeap {
  double live_bytes = 0;       ///< Reachable bytes (retained + short-lived not yet dead).
  double live_scan_bytes = 0;  ///< Scannable part: the heap scan work a mark would do.
  double live_pointer_bytes = 0;  ///< Bytes of the live objects that contain pointers.
  double live_objects = 0;         ///< Live objects (from each cohort's size mix).
  double live_pointer_objects = 0; ///< Live objects that contain pointers.
  double retained_bytes = 0;   ///< The long-lived part alone.
  double span_bytes = 0;       ///< Span bytes these objects keep in use after a sweep.
};

/// The `mark_speed` key of every workload kind: the program's speed while the GC marks,
/// relative to its speed between marks. The write barrier is on, and the mark workers share
/// the caches and memory bandwidth: a program that chases and writes pointers through a large
/// heap runs at half speed (the validation programs' gctraces: pointer-heavy 0.5, the others
/// 0.8-0.95; `calibrate` measures it from a gctrace). The program's CPU time is unchanged, its
/// progress (mutator time, allocation) slower.
template <class V>
void visit_mark_speed(V& v, double& mark_speed) {
  v.field("mark_speed", mark_speed,
          {.description = "program speed while the GC marks, relative to between marks (write barrier, shared caches)",
           .unit = Unit::fraction, .min = 0.05, .max = 1});
}

class FluidWorkload;
class CycleWorkload;
class ObjectWorkload;
class RecordSource;

/// Any workload. A fidelity level asks for the view it runs on; a kind that cannot drive a
/// level returns nullptr and the scenario loader reports the mismatch.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual FluidWorkload* fluid() { return nullptr; }
  virtual CycleWorkload* cycle() { return nullptr; }
  virtual ObjectWorkload* object() { return nullptr; }
};

/// A workload the `object` level replays record by record (trace_format.hpp): a trace file
/// or a generator.
class ObjectWorkload : public Workload {
 public:
  ObjectWorkload* object() override { return this; }
  /// CPUs the program keeps busy when nothing stops it (<= GOMAXPROCS).
  virtual double mutator_cpus() const = 0;
  /// The program's speed while the GC marks (visit_mark_speed), 1 = unchanged.
  virtual double mark_speed() const = 0;
  /// A fresh stream of the workload's records, from the start.
  virtual std::unique_ptr<RecordSource> open() const = 0;
};

/// One GC cycle's inputs at the `cycle` level, in the units of Go's pacer test harness
/// (runtime/mgcpacer_test.go): rates in KiB per CPU-millisecond.
struct CycleInputs {
  std::int64_t gc_percent = 100;         ///< GOGC; -1 = off.
  std::int64_t memory_limit = 0;         ///< Bytes; MaxInt64 = none.
  int n_cores = 1;                       ///< GOMAXPROCS.
  double alloc_rate = 0;                 ///< KiB allocated per mutator CPU-ms.
  double scan_rate = 0;                  ///< KiB scanned per GC CPU-ms.
  double growth_rate = 0;                ///< Live heap of this cycle / live heap of the last.
  double scannable_frac = 0;             ///< Scannable fraction of the heap.
  std::uint64_t stack_bytes = 0;         ///< Stack bytes to scan.
  std::uint64_t globals_bytes = 0;       ///< Globals bytes to scan.
};

class CycleWorkload {
 public:
  virtual ~CycleWorkload() = default;
  /// Number of cycles to run.
  virtual std::int64_t cycles() const = 0;
  /// The next cycle's inputs (each call is one cycle).
  virtual CycleInputs next() = 0;
};

class FluidWorkload : public Workload {
 public:
  FluidWorkload* fluid() override { return this; }
  /// CPUs the program keeps busy when nothing stops it (<= GOMAXPROCS).
  virtual double mutator_cpus() const = 0;
  /// The current segment (its mark_speed: the program's speed while the GC marks).
  virtual const FlowSegment& segment() const = 0;
  /// Moves to the next segment; false when the workload has ended.
  virtual bool advance() = 0;
  /// The live heap at `mutator_ns`, which must lie in the current segment and not precede
  /// an earlier query.
  virtual LiveHeap live_at(double mutator_ns) = 0;
  /// Total mutator time of the workload.
  virtual double end_ns() const = 0;
};

}  // namespace gogcsim
