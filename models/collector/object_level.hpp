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
//               or a `gc` record: sweep termination pause (costs.sweep_term + stop latency);
//   mark        roots = every object a stack or global holds (trace `root`/`unlink`/alloc
//               `root`); background workers (the pacer's dedicated workers and fractional
//               goal, and idle Ps up to max_idle_mark_workers) drain grey objects at
//               1/scan_ns_per_byte bytes per ns each; an allocation of B bytes during mark first
//               assists with B x assist_work_per_byte bytes of scan work; the write barrier
//               shades both pointers of every store; new objects are allocated black;
//   termination when no grey object is left: mark termination pause, mcaches flushed,
//               heap_marked = bytes in marked slots, the pacer's end_cycle / commit;
//   sweep       concurrent, from mark termination on: each span in use is swept once, its
//               white objects' slots freed (a tiny block with its last object), a span left
//               empty returning its pages. The background sweeper sweeps on an idle P at
//               sweep_ns_per_page; allocation sweeps ahead of gcPaceSweeper's pace (pages
//               in use over the distance to the next trigger); a refill that would take a
//               new span first sweeps its class, a large allocation sweeps until pages come
//               free; the goroutine that starts the next cycle sweeps what is left. The
//               program pays for all but the background sweeper with its own CPU.
// Left out: the background credit pool assists steal from, the GC CPU limiter and the
// scavenger.
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
#include "models/heap/allocator.hpp"
#include "models/heap/object_store.hpp"
#include "models/observer.hpp"
#include "models/pacer/pacer.hpp"
#include "models/scenario.hpp"
#include "models/workload/trace_format.hpp"

namespace gogcsim {

class ObjectLevel : private Sweeper {
 public:
  /// Replays `records` (a trace file or a generator; read once, by run()).
  ObjectLevel(const Scenario& scenario, RecordSource& records, double mutator_cpus, Pacer& pacer, Observer& obs,
              bool verify = false);
  RunEnd run();
  const ObjectStore& store() const { return store_; }

 private:
  void apply(const TraceRecord& r);
  void advance_to(std::uint64_t mutator_ns);
  /// Ps by use at this moment (they add up to GOMAXPROCS with the idle ones).
  struct Split {
    double program = 0, dedicated = 0, fractional = 0, idle = 0;  ///< idle: idle mark workers
    double background() const { return dedicated + fractional + idle; }
  };
  Split split() const;
  void account(double wall_ns, double program);
  void background_sweep(double wall_ns, const Split& w);
  void assist(double cpu_ns);
  void pause(std::int64_t ns);
  void start_cycle(TriggerKind kind);
  void end_mark();
  double prepare_sweep();
  std::uint64_t sweep_span(SpanId id, std::uint64_t* freed_slots, std::uint64_t* released_pages);
  double sweep_pages(double pages);
  void reclaim(int span_class, std::uint64_t npages) override;
  void sweep_before_use(SpanId id) override;
  void program_sweeps(double pages);
  double stall(double cpu_ns);
  void sync_heap_live();
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
  Pacer& pacer_;
  Observer& obs_;
  bool verify_;
  int procs_;

  Allocator alloc_;
  ObjectStore store_;
  TriColorMarker marker_;
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
  double bg_credit_bytes_ = 0;     ///< background scan work available but not yet done
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
  double bg_sweep_credit_pages_ = 0;

  CpuClasses cpu_;                 ///< cumulative, every class: GOMAXPROCS x wall in total
  RunEnd end_;
};

}  // namespace gogcsim
