// The `object` fidelity level: replays allocation records (a trace, or a graph workload's
// generator) object by object through the allocator (models/heap/allocator.hpp), the heap
// graph (object_store.hpp), the tri-color marker (tricolor.hpp) and the version's pacer.
//
// Time: a record's t_ns is mutator time. Wall time = mutator time + what GC took from the
// program: stop-the-world pauses, assists (the program's Ps mark instead of running it), and
// marking's background workers when the program wants more Ps than they leave. CPU is split
// into classes that add up to GOMAXPROCS x wall time.
//
// A cycle, as the runtime runs it (reference §2):
//   trigger     heap_live (span-granular, from the allocator's refills) reaches the trigger,
//               or a `gc` record: sweep termination pause (stop latency + costs.sweep_term
//               + stw_per_p, as at the fluid level);
//   mark        roots = every object a stack or global holds (trace `root`/`unlink`/alloc
//               `root`); background workers (the pacer's dedicated workers and fractional
//               goal, and idle Ps up to max_idle_mark_workers) do root jobs (mark_fixed,
//               scanned stacks, globals), then drain grey objects, at the scenario's costs
//               (per byte, per object scanned, per object marked); an allocation of B bytes
//               owes B x assist_work_per_byte bytes of scan work (see `assists`); the write
//               barrier shades both pointers of every store; new objects are allocated black;
//   termination when no grey object is left: mark termination pause, mcaches flushed,
//               heap_marked = bytes in marked slots, the pacer's end_cycle / commit;
//   sweep       concurrent, from mark termination on: each span in use is swept once, its
//               white objects' slots freed (a tiny block with its last object), a span left
//               empty returning its pages. The background sweeper sweeps on an idle P at
//               sweep_ns_per_span; allocation sweeps ahead of gcPaceSweeper's pace (pages
//               in use over the distance to the next trigger); a refill that would take a
//               new span first sweeps its class, a large allocation sweeps until pages come
//               free; the goroutine that starts the next cycle sweeps what is left. The
//               program pays for all but the background sweeper with its own CPU.
//   limiter     the GC CPU limiter as in models/cpu/limiter.hpp: while on, no assists.
//   memory      the scenario's stacks (scanned part: root work before the heap), globals
//               (root work) and other memory, plus the runtime's metadata, as at the fluid
//               level; the memory-limit goal reads mapped memory; the background scavenger
//               (1 % of GOMAXPROCS) returns free pages beyond gcPaceScavenger's retained goal
//               (and, from 1.22, beyond 95 % of the limit); an allocation that grows the
//               heap scavenges what it retains beyond the goal, and one over the limit
//               the excess, unless the limiter is on.
//   assists     each allocation's slot comes out of the program's credit (gcAssistBytes);
//               a debt is paid in chunks of at least 64 KiB of scan work (gcOverAssistWork),
//               first from the background workers' credit pool (bgScanCredit), then by
//               marking, and what is paid beyond the debt is credit for what follows.
// Left out: credit per goroutine (the program's goroutines share one here).
// Truth the runtime cannot see, from a Boost.Graph breadth-first search per cycle: the bytes
// reachable at mark start (live_bytes_at_start) and the floating garbage at mark termination
// (marked objects no longer reachable: they survive until the next cycle).
// `verify` (tests): after every mark, every object reachable from the roots must be black,
// checked with the same search; a violation throws std::logic_error.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/collector/tricolor.hpp"
#include "models/cpu/limiter.hpp"
#include "models/heap/allocator.hpp"
#include "models/heap/object_store.hpp"
#include "models/observer.hpp"
#include "models/pacer/pacer.hpp"
#include "models/scenario.hpp"
#include "models/workload/trace_format.hpp"

namespace gogcsim {

class ObjectLevel : private Sweeper {
 public:
  /// Replays `records` (a trace file or a generator; read once, by run()), a program that keeps
  /// `mutator_cpus` busy and runs at `mark_speed` of its speed while the GC marks
  /// (visit_mark_speed).
  ObjectLevel(const Scenario& scenario, RecordSource& records, double mutator_cpus, double mark_speed, Pacer& pacer,
              Observer& obs, bool verify = false);
  RunEnd run();

 private:
  void apply(const TraceRecord& r);
  void advance_to(std::uint64_t mutator_ns);
  /// Ps by use at this moment (they add up to GOMAXPROCS with the idle ones).
  struct Split {
    double program = 0, dedicated = 0, fractional = 0, idle = 0;  ///< idle: idle mark workers
    double background() const { return dedicated + fractional + idle; }
  };
  /// How the Ps are used now: planned at each phase change (plan_split).
  const Split& split() const { return split_; }
  Split plan_split() const;
  Split split_;
  std::uint64_t trigger();
  std::uint64_t trigger_ = 0;
  bool trigger_valid_ = false;
  /// `program_marks`: the program's Ps are assisting (GC work for utilization).
  void account(double wall_ns, double program, bool program_marks = false);
  void utilization(double u);
  void emit_utilization(std::int64_t t_ns, double u);
  static constexpr double kUtilBucketNs = 10'000;
  double last_utilization_ = -1;
  double util_bucket_ns_ = 0, util_t_ = 0, util_u_ = 1, util_area_ = 0;
  void background_sweep(double wall_ns, const Split& w);
  void assist(double cpu_ns);
  void pause(std::int64_t ns);
  void start_cycle(TriggerKind kind);
  void end_mark();
  double prepare_sweep();
  std::uint64_t sweep_span(SpanId id, std::uint64_t* freed_slots, std::uint64_t* released_pages);
  void sweep_pages(double pages);
  void reclaim(int span_class, std::uint64_t npages) override;
  void sweep_before_use(SpanId id) override;
  void program_sweeps();
  double stall(double cpu_ns, bool marking_work = false);
  void verify_marking() const;
  /// Objects reachable from the roots now (Boost.Graph breadth-first search).
  std::vector<bool> reachable() const;
  /// Bytes of live objects reachable from the roots now, and (if `floating`) the bytes of
  /// marked objects that are not: Boost.Graph BFS, O(live objects).
  double reachable_bytes(double* floating = nullptr) const;
  void take_sample();
  ObjectId id_of(std::uint32_t trace_id) const;
  void add_root(ObjectId id);
  void drop_root(ObjectId id, bool all);

  const Scenario& sc_;
  RecordSource& records_;
  double mutator_cpus_;
  double mark_speed_;
  Pacer& pacer_;
  Observer& obs_;
  bool verify_;
  int procs_;

  Allocator alloc_;
  ObjectStore store_;
  TriColorMarker marker_;
  MarkCosts mark_costs_;
  RngStream pause_rng_;            ///< stop latencies, the "pauses" stream as at the fluid level
  /// Trace id -> store id (kNil: none): a vector for the dense ids generators and most
  /// traces use, a hash map for ids beyond it.
  class IdMap {
   public:
    ObjectId find(std::uint32_t trace_id) const {
      if (trace_id < dense_.size()) return dense_[trace_id];
      auto it = sparse_.find(trace_id);
      return it == sparse_.end() ? kNil : it->second;
    }
    void set(std::uint32_t trace_id, ObjectId id);
    void erase(std::uint32_t trace_id) { set(trace_id, kNil); }

   private:
    static constexpr std::uint32_t kDenseLimit = 1u << 25;  // 128 MiB of vector at most
    std::vector<ObjectId> dense_;
    std::unordered_map<std::uint32_t, ObjectId> sparse_;
  };
  IdMap ids_;
  std::vector<std::uint32_t> trace_id_;              ///< store id -> trace id
  std::vector<std::uint32_t> root_refs_;             ///< store id -> references from roots
  std::vector<ObjectId> roots_;                      ///< ids with root_refs_ > 0
  std::vector<std::uint32_t> root_pos_;              ///< store id -> index in roots_
  std::unordered_map<std::uint64_t, std::uint32_t> tiny_live_;  ///< tiny block -> live objects in it
  static std::uint64_t tiny_key(const ObjectRef& r) { return (std::uint64_t{r.span} << 32) | r.slot; }

  // Time.
  double mutator_ns_ = 0;
  double stall_ns_ = 0;            ///< wall time GC took from the program so far
  double wall_ns() const { return mutator_ns_ + stall_ns_; }
  double next_sample_ns_ = 0;
  std::int64_t sample_interval_ns_;

  // The current cycle.
  bool marking_ = false;
  std::int64_t cycles_ = 0;
  CycleRecord cur_;
  double mark_start_ns_ = 0;
  double bg_credit_ns_ = 0;        ///< background mark CPU available but not yet used
  double bg_scan_credit_bytes_ = 0;  ///< gcController.bgScanCredit: workers' work assists may steal
  double assist_bytes_ = 0;          ///< the program's gcAssistBytes: allocation credit (< 0: debt)
  static constexpr double kOverAssistWork = 64 << 10;  ///< gcOverAssistWork
  static constexpr double kAssistTimeSlackNs = 5000;    ///< gcAssistTimeSlack
  void gc_assist_alloc();
  double assist_ns_ = 0, dedicated_ns_ = 0, fractional_ns_ = 0, idle_mark_ns_ = 0;
  double gc_trace_cpu_ns_ = 0;

  // Sweeping, from one mark termination until the next cycle starts (or the run ends).
  struct Dead {
    ObjectId id;
    bool frees_slot;  ///< false for a tiny object whose block still holds a live one
  };
  std::vector<std::vector<Dead>> dead_in_span_;  ///< span id -> its dead objects
  std::vector<std::uint8_t> unswept_;            ///< span id -> 1 until swept
  std::vector<SpanId> sweep_queue_;              ///< every span in use at mark termination
  std::size_t sweep_next_ = 0;
  std::array<std::vector<SpanId>, kNumSpanClasses> unswept_by_class_;
  double sweep_pages_left_ = 0, sweep_pages_done_ = 0;
  double sweep_pages_per_byte_ = 0;  ///< gcPaceSweeper's pace
  double sweep_alloc_bytes_ = 0;     ///< allocated since mark termination
  double bg_sweep_credit_ns_ = 0;    ///< the background sweeper's CPU not yet spent on spans
  double spans_unpaid_ = 0;          ///< spans swept since the program last paid (program_sweeps)

  // The GC CPU limiter (1.19+): fed assist and idle time, updated at transitions, after
  // assists and every 10 ms of a mark; while on, allocations skip their assists.
  GcCpuLimiter limiter_;
  bool use_limiter_;
  double limiter_assist_acc_ = 0, limiter_idle_acc_ = 0;  ///< fractions of a ns not yet handed over
  double assist_since_update_ns_ = 0;  ///< assist time since the limiter last heard of it
  void feed_limiter();
  bool limiting() const { return use_limiter_ && limiter_.limiting(); }
  std::int64_t now_ns() const { return std::llround(wall_ns()); }

  // Memory beyond the heap (scenario `memory:`), root scan work, the scavenger.
  double stacks_bytes_, stack_scan_bytes_;
  double memory_limit_scav_factor_;
  double stack_work_left_ = 0, globals_work_left_ = 0;  ///< root jobs of the running mark (bytes)
  double fixed_work_left_ns_ = 0;                       ///< costs.mark_fixed not yet done
  struct Work {
    double bytes = 0, ns = 0;
  };
  static constexpr double kUnlimited = 1e300;
  Work mark_work(double budget_bytes, double budget_ns);
  double retained_goal_ = 1e300;      ///< gcPaceScavenger's goal for heap in use + free
  double heap_in_use_at_mark_ = 0;    ///< heap in use at the last mark termination
  double scav_credit_ns_ = 0;
  double scav_run_left_ns_ = 0;  ///< the scavenger's run after a sweep finished: CPU still to do
  bool mark_done() const;
  MemoryClasses memory() const;
  void sync_memory();
  bool limited() const;
  double scavenge_excess() const;
  void background_scavenge(double wall_ns, const Split& w);
  void scavenge_over_limit();
  void scavenge_on_growth();
  void program_scavenges(std::uint64_t pages);
  std::uint64_t grown_pages_ = 0;     ///< page heap growth already answered by scavenge_on_growth
  void note_peak_memory(const MemoryClasses& m);

  CpuClasses cpu_;                 ///< cumulative, every class: GOMAXPROCS x wall in total
  RunEnd end_;
};

}  // namespace gogcsim
