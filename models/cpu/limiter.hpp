// The GC CPU limiter (Go 1.19+): a leaky bucket that caps GC CPU near 50 % under memory
// pressure by switching mark assists off.
//
// Mirrors gcCPULimiterState in src/runtime/mgclimit.go (go1.19; unchanged through 1.25).
// Reference §6. Over each update window W = (now − last_update)·GOMAXPROCS:
//
//   gc_time      = assist time (+ 0.25·W while the GC is marking)
//   mutator_time = (W − idle time) − gc_time          idle = idle Ps + idle mark workers
//   fill        += gc_time − mutator_time, clamped to [0, capacity = GOMAXPROCS × 1 s]
//   enabled      = fill reached capacity; any change that does not saturate disables it
//
// STW phases are counted entirely as GC time (a transition charges the pause × GOMAXPROCS).
// While enabled, assists are skipped, so allocation outruns marking and the heap may pass
// the memory limit instead of the program stalling (reference §7 "death spirals").
// Pure: the level calls it at the runtime's call sites with times in ns.
#pragma once

#include <cstdint>

namespace gogcsim {

class GcCpuLimiter {
 public:
  static constexpr std::int64_t kCapacityPerProcNs = 1'000'000'000;  ///< capacityPerProc: 1 s
  static constexpr std::int64_t kUpdatePeriodNs = 10'000'000;        ///< gcCPULimiterUpdatePeriod

  /// Sets GOMAXPROCS and the capacity (resetCapacity); first call also sets last_update.
  void reset_capacity(std::int64_t now_ns, std::int32_t nprocs);
  /// A STW transition begins: updates, then records whether the GC is now marking.
  void start_gc_transition(bool enable_gc, std::int64_t now_ns);
  /// The STW transition ends: the whole pause counts as GC time.
  void finish_gc_transition(std::int64_t now_ns);
  /// The runtime updates at transitions, after assists and every 10 ms while marking.
  bool need_update(std::int64_t now_ns) const { return now_ns - last_update_ns_ > kUpdatePeriodNs; }
  void update(std::int64_t now_ns);
  void add_assist_time(std::int64_t ns) { assist_time_pool_ns_ += ns; }
  void add_idle_time(std::int64_t ns) { idle_time_pool_ns_ += ns; }

  bool limiting() const { return enabled_; }
  std::uint64_t fill() const { return fill_; }
  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t overflow() const { return overflow_; }
  bool gc_enabled() const { return gc_enabled_; }
  std::int64_t last_update_ns() const { return last_update_ns_; }
  /// Times the limiter switched on (fill reached capacity from below).
  std::uint64_t times_enabled() const { return times_enabled_; }

 private:
  void update_locked(std::int64_t now_ns);
  void accumulate(std::int64_t mutator_time, std::int64_t gc_time);

  bool enabled_ = false;
  std::uint64_t fill_ = 0, capacity_ = 0, overflow_ = 0;
  bool gc_enabled_ = false;
  bool transitioning_ = false;
  std::int64_t assist_time_pool_ns_ = 0, idle_time_pool_ns_ = 0;
  std::int64_t last_update_ns_ = 0;
  std::int32_t nprocs_ = 0;
  std::uint64_t times_enabled_ = 0;
};

}  // namespace gogcsim
