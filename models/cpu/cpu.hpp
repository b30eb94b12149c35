// CPU accounting by class, as Go's /cpu/classes/* metrics name them (DESIGN §2).
//
// Every nanosecond of every P is charged to exactly one class, so the classes of a run sum
// to GOMAXPROCS × wall time (a test checks it). Values are CPU-nanoseconds as doubles:
// fractional workers and assists occupy fractions of Ps, and a double sum of ns is exact to
// well below a nanosecond over any realistic run.
#pragma once

namespace gogcsim {

struct CpuClasses {
  double mutator_ns = 0;             ///< /cpu/classes/user: goroutines doing program work.
  double gc_pause_ns = 0;            ///< /cpu/classes/gc/pause: STW × GOMAXPROCS.
  double gc_mark_dedicated_ns = 0;   ///< dedicated mark workers.
  double gc_mark_fractional_ns = 0;  ///< the fractional mark worker.
  double gc_mark_idle_ns = 0;        ///< idle mark workers (idle Ps marking).
  double gc_mark_assist_ns = 0;      ///< mark assists by allocating goroutines.
  double scavenge_ns = 0;            ///< background and synchronous scavenging.
  double sweep_ns = 0;               ///< sweeping (Go counts it as user time; kept apart here).
  double idle_ns = 0;                ///< Ps with nothing to run.

  /// GC CPU as gctrace's "%" counts it (Go 1.19): pause + assist + dedicated + fractional.
  double gc_trace_ns() const {
    return gc_pause_ns + gc_mark_assist_ns + gc_mark_dedicated_ns + gc_mark_fractional_ns;
  }
  /// All GC CPU including idle marking (/cpu/classes/gc/total).
  double gc_total_ns() const { return gc_trace_ns() + gc_mark_idle_ns; }
  double total_ns() const { return gc_total_ns() + mutator_ns + scavenge_ns + sweep_ns + idle_ns; }

  CpuClasses& operator+=(const CpuClasses& o) {
    mutator_ns += o.mutator_ns;
    gc_pause_ns += o.gc_pause_ns;
    gc_mark_dedicated_ns += o.gc_mark_dedicated_ns;
    gc_mark_fractional_ns += o.gc_mark_fractional_ns;
    gc_mark_idle_ns += o.gc_mark_idle_ns;
    gc_mark_assist_ns += o.gc_mark_assist_ns;
    scavenge_ns += o.scavenge_ns;
    sweep_ns += o.sweep_ns;
    idle_ns += o.idle_ns;
    return *this;
  }
  /// Difference of two cumulative readings (e.g. to drop a warm-up).
  friend CpuClasses operator-(CpuClasses a, const CpuClasses& b) {
    a.mutator_ns -= b.mutator_ns;
    a.gc_pause_ns -= b.gc_pause_ns;
    a.gc_mark_dedicated_ns -= b.gc_mark_dedicated_ns;
    a.gc_mark_fractional_ns -= b.gc_mark_fractional_ns;
    a.gc_mark_idle_ns -= b.gc_mark_idle_ns;
    a.gc_mark_assist_ns -= b.gc_mark_assist_ns;
    a.scavenge_ns -= b.scavenge_ns;
    a.sweep_ns -= b.sweep_ns;
    a.idle_ns -= b.idle_ns;
    return a;
  }
};

}  // namespace gogcsim
