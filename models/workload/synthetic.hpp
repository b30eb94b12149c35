// `kind: synthetic` — a workload written as YAML phases (DESIGN §5).
//
// Each phase has a duration of mutator time, an allocation rate, an object-size mix, the
// scannable fraction of what it allocates, a lifetime distribution for short-lived objects,
// and optionally a change of the long-lived ("retained") heap. The live heap at mutator
// time t is
//
//     live(t) = R(t) + Σ_cohorts T_c(t)
//
// R(t) is the retained heap: it moves linearly to `retained.to` over `retained.over`; its
// growth is part of the allocation rate (growth can't exceed it), a release turns retained
// objects into garbage without allocating. Short-lived cohorts are what is allocated beyond
// the retained growth, at rate r over a segment [s0, s1):
//
//   exponential(mean τ):  T(t) = r·τ·(1 − e^{−(min(t,s1)−s0)/τ}) · e^{−(t − min(t,s1))/τ}
//                         (solution of dT/dt = r − T/τ; cohorts with the same τ share one bin)
//   fixed(L):             T(t) = r · |[s0, s1) ∩ [t − L, t)|
//
// `rate_noise` multiplies the allocation rate by an independent mean-1 lognormal factor every
// `period` (stream "workload" of the scenario seed), for workloads that are not metronomes.
// Leaves out: per-goroutine structure and pointer graphs (the object level has them).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/workload/workload.hpp"
#include "sim/config.hpp"
#include "sim/rng.hpp"

namespace gogcsim {

/// One entry of a discrete size mix: `{size: 64B, p: 0.25}`.
struct SizeWeight {
  std::uint64_t size_bytes = 64;
  double p = 1;
  template <class V>
  void visit(V& v) {
    v.field("size", size_bytes, {.description = "object size", .unit = Unit::bytes, .required = true, .min = 1, .max = 0x1p40});
    v.field("p", p, {.description = "probability (normalised over the list)", .unit = Unit::number, .required = true, .min = 0, .max = 1e9});
  }
};

struct SizeMix {
  enum Kind { fixed, lognormal, uniform, mix };
  int kind = lognormal;
  std::vector<SizeWeight> weights;
  std::uint64_t fixed_bytes = 64;
  std::uint64_t median_bytes = 64;
  double sigma = 1.0;
  std::uint64_t min_bytes = 8;
  std::uint64_t max_bytes = 256;

  template <class V>
  void visit(V& v) {
    v.one_of("sizes", kind, {"fixed", "lognormal", "uniform", "mix"}, "object sizes as requested from new/make",
             [&](auto& w, int k) {
               if (k == fixed) w.value(fixed_bytes, {.description = "every object's size", .unit = Unit::bytes, .min = 1});
               if (k == lognormal) {
                 w.field("median", median_bytes, {.description = "median object size", .unit = Unit::bytes, .required = true, .min = 1});
                 w.field("sigma", sigma, {.description = "shape (std. dev. of ln size)", .unit = Unit::number, .min = 0, .max = 5});
               }
               if (k == uniform) {
                 w.field("min", min_bytes, {.description = "smallest size", .unit = Unit::bytes, .required = true, .min = 1});
                 w.field("max", max_bytes, {.description = "largest size", .unit = Unit::bytes, .required = true, .min = 1});
               }
               if (k == mix) w.items(weights, "sizes and their probabilities");
             });
  }
  /// Requested sizes at evenly spaced quantiles of the distribution (deterministic).
  std::vector<double> samples() const;
};

struct Lifetime {
  enum Kind { exponential, fixed };
  int kind = exponential;
  std::int64_t mean_ns = 10 * 1'000'000;
  std::int64_t fixed_ns = 10 * 1'000'000;

  template <class V>
  void visit(V& v) {
    v.one_of("lifetime", kind, {"exponential", "fixed"}, "how long short-lived objects stay reachable",
             [&](auto& w, int k) {
               if (k == exponential) w.field("mean", mean_ns, {.description = "mean lifetime (mutator time)", .unit = Unit::duration, .required = true, .min = 1});
               if (k == fixed) w.value(fixed_ns, {.description = "every object's lifetime", .unit = Unit::duration, .min = 1});
             });
  }
};

/// A change of the long-lived heap. What a growth is made of defaults to the phase's own
/// allocation; a program that keeps one kind of object (a cache of 48 B pointerful entries
/// while it churns through pointer-free buffers) says so, and the short-lived rest is the
/// phase's allocation minus the growth. `churn`: long-lived objects of `object_size` replaced
/// per second (allocated among the short-lived ones, as many old ones dropped): the level of
/// the heap does not move, but its spans fragment (SpanMix::interleaved_holes_per_byte).
struct Retained {
  std::uint64_t to_bytes = 0;
  std::optional<std::int64_t> over_ns;  ///< Ramp length; absent: the whole phase.
  std::optional<double> scan_fraction;     ///< of the growth; absent: the phase's
  std::optional<double> pointer_fraction;  ///< of the growth; absent: = scan_fraction
  std::optional<std::uint64_t> object_size_bytes;  ///< mean size of a kept object; absent: the phase's mix
  double churn_bytes_per_s = 0;            ///< long-lived bytes replaced per second

  template <class V>
  void visit(V& v) {
    v.field("to", to_bytes, {.description = "long-lived heap at the end of the ramp", .unit = Unit::bytes, .required = true, .max = 0x1p50});
    v.field("over", over_ns, {.description = "ramp length (default: the whole phase)", .unit = Unit::duration, .min = 0});
    v.field("scan_fraction", scan_fraction, {.description = "scan work per byte of growth (default: the phase's)", .unit = Unit::fraction});
    v.field("pointer_fraction", pointer_fraction, {.description = "fraction of the growth in objects with pointers (default: its scan_fraction)", .unit = Unit::fraction});
    v.field("object_size", object_size_bytes, {.description = "size of the kept objects (default: the phase's mix)", .unit = Unit::bytes, .min = 1, .max = 0x1p40});
    v.field("churn", churn_bytes_per_s, {.description = "long-lived objects replaced per second (part of alloc_rate; needs object_size)", .unit = Unit::rate, .min = 0, .max = 0x1p45});
  }
  bool has_own_mix() const { return scan_fraction || pointer_fraction || object_size_bytes; }
  /// The kept objects' fraction of pointerful bytes: their own, else their scan fraction if
  /// given, else the phase's.
  double pointer_fraction_or(double phase_pointer_fraction) const {
    return pointer_fraction.value_or(scan_fraction ? *scan_fraction : phase_pointer_fraction);
  }
};

struct RateNoise {
  double cv = 0;
  std::int64_t period_ns = 100 * 1'000'000;
  template <class V>
  void visit(V& v) {
    v.field("cv", cv, {.description = "coefficient of variation of the allocation rate", .unit = Unit::number, .min = 0, .max = 3});
    v.field("period", period_ns, {.description = "how often the rate is redrawn", .unit = Unit::duration, .min = 1000});
  }
};

struct PhaseParams {
  std::int64_t duration_ns = 0;
  double alloc_rate_bytes_per_s = 0;
  SizeMix sizes;
  double scan_fraction = 0.5;
  std::optional<double> pointer_fraction;  ///< absent: = scan_fraction
  std::optional<double> mutator_cpus;      ///< absent: the workload's
  std::optional<double> mark_speed;        ///< absent: the workload's
  Lifetime lifetime;
  std::optional<Retained> retained;  ///< Absent: the long-lived heap stays as it is.
  RateNoise rate_noise;

  template <class V>
  void visit(V& v) {
    v.field("duration", duration_ns, {.description = "mutator time of the phase", .unit = Unit::duration, .required = true, .min = 1, .max = 0x1p62});
    v.field("alloc_rate", alloc_rate_bytes_per_s, {.description = "allocation rate (size-class bytes per mutator second)", .unit = Unit::rate, .required = true, .min = 0, .max = 0x1p45});
    v.field("mutator_cpus", mutator_cpus, {.description = "CPUs the program keeps busy in this phase (default: the workload's; a single-threaded start-up: 1)", .unit = Unit::number, .min = 0.001, .max = 4096});
    v.field("mark_speed", mark_speed, {.description = "program speed while the GC marks in this phase (default: the workload's)", .unit = Unit::fraction, .min = 0.05, .max = 1});
    sizes.visit(v);
    v.field("scan_fraction", scan_fraction, {.description = "scan work per allocated byte (bytes up to each object's last pointer)", .unit = Unit::fraction});
    v.field("pointer_fraction", pointer_fraction, {.description = "fraction of allocated bytes in objects with pointers (default: scan_fraction)", .unit = Unit::fraction});
    lifetime.visit(v);
    v.optional_child("retained", retained, "change of the long-lived heap during the phase");
    v.child("rate_noise", rate_noise, "random fluctuation of the allocation rate");
  }
};

struct SyntheticParams {
  double mutator_cpus = 1;
  double mark_speed = 1;
  std::vector<PhaseParams> phases{PhaseParams{}};

  template <class V>
  void visit(V& v) {
    v.field("mutator_cpus", mutator_cpus, {.description = "CPUs the program keeps busy without GC (<= gomaxprocs)", .unit = Unit::number, .min = 0.001, .max = 4096});
    visit_mark_speed(v, mark_speed);
    v.list("phases", phases, "the workload's phases, run in order", true);
  }
  /// Cross-field checks: retained growth within the allocation rate; sizes min <= max.
  void check(ConfigSource& src, const std::string& path) const;
};

/// What a workload needs from the scenario beyond its own parameters.
struct WorkloadContext {
  std::uint64_t seed = 0;
  std::int64_t gomaxprocs = 1;
  std::int64_t gogc = 100;
  std::int64_t memory_limit = 0;
  std::string go = "1.19";  ///< decides the span layout
};

class SyntheticWorkload : public FluidWorkload {
 public:
  SyntheticWorkload(const SyntheticParams& p, const WorkloadContext& ctx);
  double mutator_cpus() const override { return p_.mutator_cpus; }  ///< the most any phase keeps busy
  const FlowSegment& segment() const override { return seg_; }
  bool advance() override;
  LiveHeap live_at(double mutator_ns) override;
  double end_ns() const override { return end_ns_; }

 private:
  /// Live bytes, their scan work, and the bytes of pointerful objects among them.
  struct Mass {
    double live = 0, scan = 0, ptr = 0, objects = 0, ptr_objects = 0;
    Mass operator*(double k) const { return {live * k, scan * k, ptr * k, objects * k, ptr_objects * k}; }
    Mass operator+(const Mass& o) const {
      return {live + o.live, scan + o.scan, ptr + o.ptr, objects + o.objects, ptr_objects + o.ptr_objects};
    }
    Mass operator-(const Mass& o) const { return *this + o * -1.0; }
  };
  struct ExpBin {
    double tau_ns;
    Mass m;
  };
  struct FixedCohort {
    double begin, end;
    Mass rate;
    double life_ns;
  };
  /// Per byte of objects with these scan and pointer fractions: with a mean object size, or
  /// sized like the current phase's mix.
  Mass composition(double scan, double ptr, std::optional<std::uint64_t> object_bytes) const;
  Mass per_byte() const;  ///< per allocated byte of the current phase: bytes, scan, pointer bytes, objects
  Mass growth_per_byte() const;     ///< per byte of retained growth
  Mass transient_per_byte() const;  ///< per byte of the short-lived rest
  void start_phase(std::size_t i, double at_ns);
  void make_segment(double begin_ns);
  double transient_rate() const { return seg_.alloc_bytes_per_ns - std::max(0.0, seg_.retained_bytes_per_ns); }

  SyntheticParams p_;
  RngStream rng_;
  std::vector<double> phase_begin_ns_;
  std::vector<SpanMix> phase_mix_;
  SpanLayout layout_;
  double min_scan_bytes_;  ///< min_scan_bytes_per_object of the scenario's Go version
  double end_ns_ = 0;

  std::size_t phase_ = 0;
  FlowSegment seg_;
  double ramp_end_ns_ = 0;       ///< Mutator time the current phase's retained ramp ends.
  double retained_rate_ = 0;     ///< Retained change per ns during the ramp.
  Mass retained_;                ///< The retained heap at the segment's start.
  double noise_factor_ = 1;
  double next_noise_ns_ = 0;

  std::vector<ExpBin> exp_bins_;     ///< Advanced to seg_.begin_ns.
  std::deque<FixedCohort> fixed_;    ///< Closed fixed-lifetime cohorts still partly live.
};

}  // namespace gogcsim
