// Machine costs: how much CPU the collector's work takes on a given machine (DESIGN §4
// "Cost model"). The runtime's source fixes what work is done; these numbers say how fast.
//
// Presets are named after the Go version and architecture they were measured on; a scenario
// names one and may override single fields:
//
//   costs: {preset: go1.19-amd64, scan_ns_per_byte: 0.6}
//
// Derivation of each preset: models/costs.md (from the recordings under tests/validation/).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "sim/config.hpp"
#include "sim/rng.hpp"

namespace gogcsim {

struct CostParams {
  std::string preset = "go1.19-amd64";
  double scan_ns_per_byte = 0;        ///< Mark CPU per byte of scan work (heap up to last pointer, stacks, globals).
  double scan_ns_per_object = 0;      ///< Mark CPU per pointerful object scanned (loading it: a cache miss).
  double mark_ns_per_object = 0;      ///< Mark CPU per live object marked (finding its span, setting its bit).
  std::int64_t mark_fixed_ns = 0;     ///< Mark CPU per cycle regardless of the heap (roots, buffers, flushes).
  std::int64_t sweep_term_ns = 0;     ///< Fixed work in the sweep-termination pause.
  std::int64_t mark_term_ns = 0;      ///< Fixed work in the mark-termination pause.
  std::int64_t stw_per_p_ns = 0;      ///< Per-P work in each pause (per-P buffers, mcaches).
  std::int64_t stop_latency_median_ns = 0;  ///< Median time to stop the world (preemption).
  double stop_latency_sigma = 0;      ///< Lognormal shape of the stop latency.
  double scavenge_ns_per_byte = 0;    ///< Scavenger CPU per released byte (madvise of contiguous pages).
  double scavenge_ns_per_call = 0;    ///< Scavenger CPU per madvise call (scavenge_calls per run of free pages).
  /// What a goroutine pays per byte it releases itself (heap growth, over the limit): madvise
  /// in span-sized pieces, and the page faults when those pages are used again.
  double sync_scavenge_ns_per_byte = 0;
  double sweep_ns_per_span = 0;       ///< Sweeping CPU per span in use (sweepone sweeps one span).

  CostParams() { apply_preset(preset); }
  /// Fills every field from a preset. Returns false for an unknown name.
  bool apply_preset(const std::string& name);

  template <class V>
  void visit(V& v) {
    v.field("preset", preset, {.description = "named cost set", .unit = Unit::text, .choices = {"go1.19-amd64"}});
    if constexpr (std::is_same_v<V, ConfigReader>) apply_preset(preset);
    v.field("scan_ns_per_byte", scan_ns_per_byte, {.description = "mark CPU ns per byte of scan work", .unit = Unit::number, .min = 1e-6, .max = 1e6});
    v.field("scan_ns_per_object", scan_ns_per_object, {.description = "mark CPU ns per live pointerful object scanned", .unit = Unit::number, .min = 0, .max = 1e6});
    v.field("mark_fixed", mark_fixed_ns, {.description = "mark CPU per cycle regardless of the heap", .unit = Unit::duration, .max = 1e11});
    v.field("mark_ns_per_object", mark_ns_per_object, {.description = "mark CPU ns per live object marked (scan or not)", .unit = Unit::number, .min = 0, .max = 1e6});
    v.field("sweep_term", sweep_term_ns, {.description = "fixed work in the sweep-termination pause", .unit = Unit::duration, .max = 1e11});
    v.field("mark_term", mark_term_ns, {.description = "fixed work in the mark-termination pause", .unit = Unit::duration, .max = 1e11});
    v.field("stw_per_p", stw_per_p_ns, {.description = "per-P work in each pause", .unit = Unit::duration, .max = 1e10});
    v.field("stop_latency_median", stop_latency_median_ns, {.description = "median time to stop the world", .unit = Unit::duration, .max = 1e11});
    v.field("stop_latency_sigma", stop_latency_sigma, {.description = "lognormal shape of the stop latency", .unit = Unit::number, .min = 0, .max = 4});
    v.field("scavenge_ns_per_byte", scavenge_ns_per_byte, {.description = "scavenger CPU ns per released byte (contiguous free pages)", .unit = Unit::number, .min = 1e-6, .max = 1e6});
    v.field("scavenge_ns_per_call", scavenge_ns_per_call, {.description = "scavenger CPU ns per madvise call (64 KiB, or a 2 MiB huge page, of a run of free pages)", .unit = Unit::number, .min = 0, .max = 1e9});
    v.field("sync_scavenge_ns_per_byte", sync_scavenge_ns_per_byte, {.description = "program CPU ns per byte it releases itself and faults back in later", .unit = Unit::number, .min = 0, .max = 1e6});
    v.field("sweep_ns_per_span", sweep_ns_per_span, {.description = "sweeping CPU ns per span in use", .unit = Unit::number, .min = 0, .max = 1e8});
  }
};

/// The background scavenger (mgcscavenge.go, go1.19): it asks for scavengeQuantum at a time and
/// works at least minScavWorkTime per run; free huge pages go whole.
inline constexpr double kScavengeQuantumBytes = 64 << 10;
inline constexpr double kHugePageBytes = 2 << 20;  ///< physHugePageSize, linux/amd64
inline constexpr double kMinScavWorkNs = 1e6;
/// madvise calls the background scavenger makes to release a run of `run_bytes` free bytes:
/// it asks for scavengeQuantum (64 KiB) at a time, extended to whole huge pages (2 MiB) where
/// the run holds them (mgcscavenge.go: scavengerState.run, findScavengeCandidate).
double scavenge_calls(double run_bytes);
/// Scavenger CPU per released byte when the free pages lie in runs of `run_bytes`:
/// scavenge_ns_per_byte + scavenge_ns_per_call × scavenge_calls(run_bytes) / run_bytes.
double scavenge_ns_per_released_byte(const CostParams& c, double run_bytes);

/// A stop-the-world pause: the time to stop every P (lognormal around stop_latency_median,
/// drawn from `rng`), the phase's fixed work and stw_per_p per P. At least 1 ns.
std::int64_t stw_pause_ns(const CostParams& c, std::int64_t fixed_ns, int procs, RngStream& rng);

}  // namespace gogcsim
