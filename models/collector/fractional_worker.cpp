#include "models/collector/fractional_worker.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gogcsim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTickNs = 1;  // events land on whole nanoseconds
}  // namespace

void FractionalWorker::begin(int procs, double goal_per_p, std::int64_t now, double roots_cpu_ns, double first_assist_ns,
                             double check_cpu_ns, double sysmon_phase, bool every_p_busy) {
  active_ = true;
  goal_ = goal_per_p;
  scheduled_ = every_p_busy && goal_per_p > 0;
  check_ns_ = check_cpu_ns > 0 ? check_cpu_ns : kInf;
  procs_ = procs;
  mark_start_ = last_ = now;
  self_ns_.assign(static_cast<std::size_t>(procs), 0.0);
  run_end_.assign(static_cast<std::size_t>(procs), -1.0);
  preempt_.assign(static_cast<std::size_t>(procs), kInf);
  if (!scheduled_) return;
  // The goroutine that triggered the GC runs on; sysmon preempts it somewhere in its 10 ms.
  preempt_[0] = static_cast<double>(now) + sysmon_phase * static_cast<double>(kForcePreemptNs);
  // The world restarts: every other P schedules and runs the worker. (Its own root jobs check
  // after each one and leave at once at the mark's start; the other P's assist, scanning that
  // P's goroutine stack, preempts it and the worker is back: one run.)
  // But where the goroutines allocate seldom (large objects), the worker wakes before the first
  // assist comes, takes the root jobs and leaves at their check: the goroutine it
  // displaced runs until sysmon preempts it, 10 ms on (runtime/trace of large-objects: the
  // worker runs 0.12 ms, the mark waits 10.9 ms for the next one).
  for (int p = 1; p < procs; ++p) {
    if (first_assist_ns > kWorkerWakeNs) {
      run_end_[static_cast<std::size_t>(p)] = static_cast<double>(now) + roots_cpu_ns;
      preempt_[static_cast<std::size_t>(p)] = kInf;
    } else {
      start_run(p, now, roots_cpu_ns);
    }
  }
}

void FractionalWorker::set_free(bool free, std::int64_t now) {
  if (!active_ || !scheduled_ || free == free_) return;
  free_ = free;
  const double t = static_cast<double>(now);
  for (std::size_t p = 0; p < run_end_.size(); ++p) {
    run_end_[p] = -1;
    preempt_[p] = free ? kInf : preempt_after(t);
  }
}

double FractionalWorker::share() const {
  if (!active_) return 0;
  if (!scheduled_ || free_) return goal_ * procs_;
  return static_cast<double>(std::count_if(run_end_.begin(), run_end_.end(), [](double e) { return e >= 0; }));
}

void FractionalWorker::advance(std::int64_t now) {
  if (!active_ || !scheduled_ || now <= last_) return;  // continuous: nothing to account
  const double dt = static_cast<double>(now - last_);
  for (std::size_t p = 0; p < run_end_.size(); ++p) {
    if (free_) {
      self_ns_[p] += goal_ * dt;
    } else if (run_end_[p] >= 0) {
      self_ns_[p] += dt;
    }
  }
  last_ = now;
}

void FractionalWorker::react(std::int64_t now) {
  if (!active_ || !scheduled_ || free_) return;
  const double t = static_cast<double>(now);
  const double elapsed = t - static_cast<double>(mark_start_);
  for (int p = 0; p < procs_; ++p) {
    const auto i = static_cast<std::size_t>(p);
    if (run_end_[i] >= 0 && run_end_[i] <= t + kTickNs) {
      // Its work check found it over its share: the goroutine it displaced runs again, and
      // sysmon will preempt it 10 ms from now.
      run_end_[i] = -1;
      preempt_[i] = preempt_after(t);
    }
    if (run_end_[i] < 0 && preempt_[i] <= t + kTickNs) {
      // sysmon preempts the goroutine: the P schedules, and runs its worker if it is under
      // its share of the mark so far (findRunnableGCWorker); else the goroutine runs on.
      if (elapsed > 0 && self_ns_[i] / elapsed < goal_) {
        start_run(p, now);
      } else {
        preempt_[i] = preempt_after(t);
      }
    }
  }
}

void FractionalWorker::start_run(int p, std::int64_t now, double extra_ns) {
  const auto i = static_cast<std::size_t>(p);
  preempt_[i] = kInf;
  const double cap = kExitSlack * goal_;
  if (cap >= 1 || check_ns_ == kInf) {
    run_end_[i] = kInf;
    return;
  }
  // It leaves at the first check where self / elapsed > cap: after r ns of running from
  // elapsed T with s already done, (s + r) / (T + r) > cap  <=>  r > (cap T - s) / (1 - cap).
  const double elapsed = static_cast<double>(now - mark_start_);
  const double r = std::max(0.0, (cap * elapsed - self_ns_[i]) / (1 - cap));
  const double checks = std::max(1.0, std::ceil(r / check_ns_));
  run_end_[i] = static_cast<double>(now) + extra_ns + checks * check_ns_;
}

double FractionalWorker::next_change_ns(std::int64_t now) const {
  if (!active_ || !scheduled_ || free_) return kInf;
  const double t = static_cast<double>(now);
  double best = kInf;
  for (std::size_t p = 0; p < run_end_.size(); ++p) {
    best = std::min(best, run_end_[p] >= 0 ? run_end_[p] - t : preempt_[p] - t);
  }
  return std::max(0.0, best);
}

double FractionalWorker::preempt_after(double t) const {
  // sysmon wakes every 10 ms in a busy program (its delay backs off to 10 ms while it retakes
  // nothing) and preempts a goroutine that has run 10 ms: at its first wake-up after that.
  const double period = static_cast<double>(kForcePreemptNs);
  return tick_phase_ns_ + std::ceil((t + period - tick_phase_ns_) / period) * period;
}

bool FractionalWorker::running() const {
  return std::any_of(run_end_.begin(), run_end_.end(), [](double e) { return e >= 0; });
}

void FractionalWorker::end() {
  active_ = false;
  free_ = false;
  std::fill(run_end_.begin(), run_end_.end(), -1.0);
}

}  // namespace gogcsim
