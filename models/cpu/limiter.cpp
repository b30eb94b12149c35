#include "models/cpu/limiter.hpp"

#include <stdexcept>

namespace gogcsim {

void GcCpuLimiter::reset_capacity(std::int64_t now_ns, std::int32_t nprocs) {
  update_locked(now_ns);
  nprocs_ = nprocs;
  capacity_ = static_cast<std::uint64_t>(nprocs) * kCapacityPerProcNs;
  if (fill_ > capacity_) {
    fill_ = capacity_;
    if (!enabled_) ++times_enabled_;
    enabled_ = true;
  } else if (fill_ < capacity_) {
    enabled_ = false;
  }
}

void GcCpuLimiter::start_gc_transition(bool enable_gc, std::int64_t now_ns) {
  if (gc_enabled_ == enable_gc) throw std::logic_error("GcCpuLimiter: transition to the same GC state");
  update_locked(now_ns);
  gc_enabled_ = enable_gc;
  transitioning_ = true;
}

void GcCpuLimiter::finish_gc_transition(std::int64_t now_ns) {
  if (!transitioning_) throw std::logic_error("GcCpuLimiter: finish without start");
  if (now_ns >= last_update_ns_) accumulate(0, (now_ns - last_update_ns_) * nprocs_);
  last_update_ns_ = now_ns;
  transitioning_ = false;
}

void GcCpuLimiter::update(std::int64_t now_ns) {
  if (transitioning_) throw std::logic_error("GcCpuLimiter: update during a transition");
  update_locked(now_ns);
}

void GcCpuLimiter::update_locked(std::int64_t now_ns) {
  if (now_ns < last_update_ns_) return;
  std::int64_t window_total = (now_ns - last_update_ns_) * nprocs_;
  last_update_ns_ = now_ns;
  std::int64_t assist = assist_time_pool_ns_;
  std::int64_t idle = idle_time_pool_ns_;
  assist_time_pool_ns_ = 0;
  idle_time_pool_ns_ = 0;
  std::int64_t window_gc = assist;
  if (gc_enabled_) window_gc += static_cast<std::int64_t>(static_cast<double>(window_total) * 0.25);
  window_total -= idle;
  accumulate(window_total - window_gc, window_gc);
}

void GcCpuLimiter::accumulate(std::int64_t mutator_time, std::int64_t gc_time) {
  const std::uint64_t headroom = capacity_ - fill_;
  const bool was_enabled = headroom == 0;
  const std::int64_t change = gc_time - mutator_time;
  if (change > 0 && headroom <= static_cast<std::uint64_t>(change)) {
    overflow_ += static_cast<std::uint64_t>(change) - headroom;
    fill_ = capacity_;
    if (!was_enabled) {
      enabled_ = true;
      ++times_enabled_;
    }
    return;
  }
  if (change < 0 && fill_ <= static_cast<std::uint64_t>(-change)) {
    fill_ = 0;
  } else if (change < 0) {
    fill_ -= static_cast<std::uint64_t>(-change);
  } else {
    fill_ += static_cast<std::uint64_t>(change);
  }
  if (change != 0 && was_enabled) enabled_ = false;
}

}  // namespace gogcsim
