// The `fluid` fidelity level: the GC cycle state machine driven by byte flows.
//
// Mirrors the runtime's cycle (reference §2): trigger test → sweep-termination STW →
// concurrent mark with dedicated/fractional/idle workers and assists → mark-termination
// STW → sweep, with the pacer (models/pacer) called where the runtime calls it and the GC
// CPU limiter (models/cpu/limiter) updated at the runtime's update points.
//
// Time and CPU (DESIGN §2). The program wants m = mutator_cpus of the P = GOMAXPROCS Ps (its
// current phase's: a start-up on one goroutine wants 1, and idle workers mark beside it).
// Between two events every CPU share is constant and the state moves linearly:
//
//   GC off     mutator min(m, P); idle P − m (less the scavenger's 1 % if it has work)
//   STW        all P Ps are GC pause; the mutator stops
//   mark       D dedicated Ps and f·P of fractional worker leave A = P − D − f·P Ps;
//              u = min(m, A) run goroutines, A − u idle Ps run idle workers (up to the cap);
//              assists x Ps are the goroutine CPU that pays the allocation's scan debt:
//                  x·k = max(0, alloc_wall · assist_work_per_byte − bg·k)
//              with k = scan work per CPU-ns and alloc_wall = a·(u − x)/m, so
//                  x = (a·u·awpb/m − bg·k) / (k + a·awpb/m)   clamped to [0, u];
//              no assists while the CPU limiter is on.
//   mutator time advances at ρ = (goroutine CPUs not assisting)/m per wall ns, times the
//   segment's mark_speed σ while marking (write barrier, caches shared with the workers):
//   the program uses the same CPU and gets less done, so a = σ · its allocation per mutator ns.
//
// Mark work: a mark that starts at mutator time t must scan live_scan(t) heap bytes (what
// was reachable then: the hybrid barrier keeps it all), the goroutines' stacks and the
// globals, and marks live(t) + everything allocated during the mark (allocated black). Its
// CPU cost is scan_ns_per_byte per byte of scan work plus mark_ns_per_object per live
// object (costs preset): a few large pointer-free objects cost almost nothing to mark.
//
// The live heap a mark finds: the workload's expected live bytes, plus the spread of a finite
// sample. The short-lived objects alive at a mark's start are n = (live − retained) / mean
// object bytes draws from the size mix, so their bytes spread by √n × (sd of one object's
// size-class bytes) around the mean: nothing for many small objects (2,000 of ~90 B spread by
// 5 KB), ±5 % of the heap for 512 large ones (tests/real/memory/large-objects: ~100 MiB marked,
// sd 4.8 MiB; the real marked heap goes 96-107 MiB from cycle to cycle). The spread moves the
// goal from cycle to cycle: mapped memory follows the highest goals, and the scavenger
// releases what the lower ones leave over. Successive marks share the objects that live
// through the time between them: the draw is AR(1) in mutator time with correlation
// e^(−Δ/L), L = transient live bytes / allocation rate (their mean lifetime). The mark's CPU
// stays at the mean: where the spread matters the objects are few and cost little to mark.
//
// Memory: heap_alloc = heap_live (sweeping is not timed at this level); pages freed by a
// cycle become heap_free, are reused first, and are released by the background scavenger
// (1 % of GOMAXPROCS CPU, goal = last heap in use × goal/last goal × 1.1, reference §8) or
// synchronously when mapped memory passes the memory limit. RSS = mapped_ready + globals.
// What the program releases itself it pays for (sync_scavenge_ns_per_byte: madvise, then
// the page faults) on one goroutine, as Go's allocSpan does on the goroutine that allocated;
// the others allocate and assist on, and the mark workers get nothing done meanwhile (their
// time counts): the real near-limit at 200MiB spends 23-28 ms of worker time a cycle with
// madvise and 8.3-8.6 with a runtime that skips it, its assists unchanged
// (tests/validation/record_madvise_off.sh).
//
// `workers: scheduled` replaces the fractional worker's steady share and the assist balance
// above by Go 1.19's scheduling (fractional_worker.hpp): with every P busy the worker runs
// when its P schedules and leaves at its first work check past 1.2x its share; allocations
// steal the workers' credit (bgScanCredit) before they assist, and the first assists of a mark
// do gcOverAssistWork (64 KiB) of scan work per goroutine; later ones pay the debt as it accrues
// (what their bursts average to). Marks then last as long as the real ones
// where the worker drains most of the heap in its first run and the rest waits for sysmon.
//
// Left out at this level (documented in the closing notes): sweep-distance timing, goroutine
// stack growth.
#pragma once

#include <cstdint>

#include "models/collector/fractional_worker.hpp"
#include "models/cpu/limiter.hpp"
#include "models/heap/fluid_heap.hpp"
#include "models/observer.hpp"
#include "models/pacer/pacer.hpp"
#include "models/policy/policy.hpp"
#include "models/scenario.hpp"
#include "models/workload/workload.hpp"
#include "sim/rng.hpp"
#include "sim/simulator.hpp"

namespace gogcsim {

class FluidLevel final : public EventHandler {
 public:
  FluidLevel(const Scenario& scenario, FluidWorkload& workload, Pacer& pacer, Policy& policy, Observer& observer);
  /// Runs the workload to its end (or to an OOM kill) and returns the totals.
  RunEnd run();
  void on_event(const Event& e) override;

  /// 2 minutes: sysmon forces a GC if none ran for this long (forcegcperiod), unless GOGC=off.
  static constexpr std::int64_t kForceGcPeriodNs = 120'000'000'000;

 private:
  enum Kind : std::uint32_t { kPlanned, kSweepTermEnd, kMarkTermEnd, kSample };

  /// CPU shares (in Ps) and flows, constant until the next event.
  struct Rates {
    double rho = 0;              ///< Mutator ns per wall ns.
    double alloc_per_ns = 0;     ///< Bytes allocated per wall ns.
    double mark_cpu = 0;         ///< CPU doing mark work (bg + assists).
    double scavenge_bytes_per_ns = 0;
    double scavenge_run_cpu = 0;  ///< Ps the background scavenger's run after a sweep takes
    double debt_paid_per_ns = 0;  ///< Program CPU paying scavenge_debt_ns_.
    CpuClasses cpu;              ///< Shares of each class (Ps); sums to GOMAXPROCS.
  };

  void integrate(std::int64_t to_ns);
  void compute_rates();
  static constexpr double kOverAssistWork = 64 << 10;  ///< gcOverAssistWork
  static constexpr double kCreditSlack = 1;           ///< scan work under which the credit counts as spent
  double over_assist_target() const;  ///< credit the assisting goroutines build before they stop
  double scan_work_per_cpu_ns() const;
  /// How fast the workers' scan credit grows (negative: the allocations' debt outruns them).
  double credit_gain_per_ns() const;
  void track_assist_episode(double assist_rate);
  void plan();
  void react();
  void owe_scavenging(double released_bytes);
  /// CPUs of `mutator_cpus` paying the scavenging debt: one goroutine's.
  static double releasing_cpus(double mutator_cpus);
  void start_cycle(TriggerKind kind);
  void begin_mark();
  /// This mark's draw of the live heap's spread (see the top of this file), in bytes.
  double live_spread(const LiveHeap& live, const FlowSegment& fs);
  void end_mark();
  void end_cycle();
  void take_sample();
  void sync_pacer();
  void sync_scavenge();
  std::int64_t pause_ns(std::int64_t fixed_ns);
  double rss() const;
  double mapped_ready() const;
  double needed_in_use() const;     ///< span bytes the objects need now
  double pacer_heap_live() const;   ///< heap_live as the runtime counts it
  bool scavenger_has_work() const;
  bool limiting() const;  ///< the CPU limiter is on (never before Go 1.19)

  const Scenario& sc_;
  FluidWorkload& workload_;
  Pacer& pacer_;
  Policy& policy_;
  Observer& obs_;
  Simulator sim_;
  RngStream pause_rng_;
  RngStream sysmon_rng_;           ///< where sysmon's 10 ms wake-ups fall
  RngStream live_rng_;             ///< the spread of the live heap a mark finds
  double live_spread_ = 0;         ///< its current draw (bytes)
  double live_spread_mut_ns_ = 0;  ///< mutator time of that draw
  const bool scheduled_;           ///< workers: scheduled (FractionalWorker, credit-gated assists)
  GcCpuLimiter limiter_;
  FractionalWorker frac_;

  const int procs_;
  const double stacks_bytes_;      ///< goroutines × stack_size
  const double stack_scan_bytes_;  ///< goroutines × stack_scanned
  FluidHeap heap_;                 ///< pages: in use, free, released
  const double memory_limit_scav_factor_;  ///< background scavenger's limit goal: limit × this
  const bool use_limiter_;         ///< Go 1.19+ has the GC CPU limiter

  // Clock and flows.
  std::int64_t last_ns_ = 0;
  double mut_ns_ = 0;
  Rates rates_;
  EventId planned_ = ~EventId{0};
  bool ended_ = false;

  // Heap, bytes. heap_live_ is the bytes in objects (heap_alloc); the pacer's heap_live adds
  // what the mcaches' cached spans over-count.
  double heap_live_ = 0, heap_scan_ = 0;
  double total_alloc_ = 0, total_objects_ = 0;
  double sweep_floor_ = 0;         ///< spans a sweep left in use (live objects, scattered)
  double sweep_holes_ = 0;         ///< dead bytes a sweep will leave in kept spans (churn), accruing
  double holes_at_mark_ = 0;       ///< ... of what was allocated before this mark: this sweep's
  /// Churn holes the last sweep left (its own and older ones not yet refilled), the unused
  /// bytes it left in all, and the allocation total then: what the next sweep carries over.
  double kept_holes_ = 0, unused_at_sweep_ = 0, alloc_at_sweep_ = 0;
  MemoryClasses unswept_;  ///< the heap at the last mark termination, before its sweep
  /// The background scavenger's run after a sweep finished (scavenger.ready wakes it from
  /// park or sleep; scavengerState.run works at least minScavWorkTime): its CPU still to do.
  double scav_run_left_ns_ = 0;
  double swept_span_bytes_ = 0;    ///< long-lived objects' span bytes at the last sweep
  double last_heap_in_use_ = 0;    ///< heap in use at the last mark termination (scavenger goal).
  double sweep_left_ns_ = 0;       ///< sweep CPU work left in this cycle's sweep phase
  /// The trigger has fired with spans left unswept: gcStart has the program's goroutines sweep
  /// them before the cycle starts, and they allocate nothing meanwhile.
  bool finishing_sweep_ = false;
  double scavenge_debt_ns_ = 0;    ///< CPU the program owes for pages it released itself
  bool paying_debt_ = false;       ///< a goroutine is paying it (react())
  double sweep_ns_per_alloc_byte_ = 0;  ///< proportional sweep: sweepPagesPerByte × cost

  // The GC.
  GcPhase phase_ = GcPhase::off;
  std::int64_t cycles_ = 0;
  std::int64_t last_gc_end_ns_ = -1;
  CycleRecord cur_;
  CpuClasses cycle_cpu_start_;
  double assist_ns_ = 0, dedicated_ns_ = 0, fractional_ns_ = 0, idle_mark_ns_ = 0;  ///< this cycle
  double mark_cpu_total_ = 0, mark_cpu_done_ = 0;
  double assist_credit_ = 0;       ///< scan work done ahead of the allocations' debt (bgScanCredit, gcAssistBytes)
  bool over_assisting_ = false;    ///< goroutines assist until they are gcOverAssistWork ahead
  bool over_assisted_ = false;     ///< ... once a mark: then they pay their debt as it accrues
  double heap_work_total_ = 0, stack_work_total_ = 0, globals_work_total_ = 0;
  double live_at_mark_ = 0, alloc_at_mark_ = 0, span_bytes_at_mark_ = 0;
  double spread_span_bytes_ = 0;  ///< span bytes of this mark's live-heap spread (see live_spread)
  std::int64_t limiter_pool_assist_ = 0;
  std::int64_t assist_episode_start_ns_ = -1;  ///< -1: no assist episode open
  double assist_episode_cpu0_ns_ = 0;          ///< cpu_.gc_mark_assist_ns when it opened
  double limiter_assist_acc_ = 0, limiter_idle_acc_ = 0;
  std::int64_t mark_term_start_ns_ = 0, mark_start_ns_ = 0;
  double gc_trace_cpu_ns_ = 0;     ///< work.totaltime: Σ cycleCpu.

  // Outputs.
  CpuClasses cpu_;
  std::uint64_t sample_heap_max_ = 0, sample_rss_max_ = 0;
  RunEnd end_;
};

}  // namespace gogcsim
