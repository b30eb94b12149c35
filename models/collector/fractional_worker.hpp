// The fractional mark worker as the Go 1.19 scheduler runs it.
//
// The pacer asks for a fraction of each P (fractional_utilization_goal, e.g. 0.25 of each of 2
// Ps), but a P runs its worker only when it schedules (findRunnableGCWorker, called from
// schedule()), and the worker leaves at its first work check once its own P's share since the
// mark began passes 1.2 x the goal (pollFractionalWorkerExit; gcDrain checks after every root
// job and after every drainCheckThreshold = 100,000 units of scan work). In a program that keeps
// every P busy, a P schedules when the world restarts for the mark (the Ps whose goroutines
// stopped), when a stack scan preempts its goroutine, and when sysmon preempts a goroutine that
// has run 10 ms (forcePreemptNS). Between those points the worker does not run at all and the
// mark waits, or is done by assists.
//
// Measured (runtime/trace of tests/validation/steady-noscan, GOMAXPROCS=2): the worker starts
// on the P that did not trigger the GC, runs 0.08 ms of root jobs, leaves, comes back when an
// assist's stack scan preempts that P's goroutine and runs one heap check (0.9 ms), then
// nothing for 6 ms until sysmon preempts both goroutines, when it finishes the mark; gctrace's
// background CPU is 0.10-0.26 of the mark's wall time in the CPU-bound validation programs,
// not the 0.5 the goal asks for. With GOMAXPROCS=1 the same program's marks take 8 ms with the
// worker at 3 % of the wall time.
//
// A second recording (steady-noscan, GOGC=100, 29 marks): the worker on one P drains the heap
// for ~0.9 ms, leaves at a check with work left, and the mark waits until sysmon preempts a
// goroutine: 10.7-20.4 ms into the mark (sysmon wakes every 10 ms once it has nothing to
// retake, and preempts a goroutine that has run 10 ms at its first wake-up after that), or
// until an assist, which comes only once the worker's credit is spent. Marks whose work ends
// within a run end at once (0.4-1.5 ms).
//
// Who takes the root jobs decides the first run. Assists take root jobs too, and a goroutine's
// first allocation after the world restarts assists (its credit starts at zero). Where that
// comes before the worker wakes on the stopped P (45 us median: 44-45 in 58 marks of
// steady-noscan and large-objects), the assists do the roots and the worker drains the heap to
// its first check (steady-noscan: 0.8 ms, in 22 of 27 marks the assist came first). Where the
// goroutines allocate seldom (large-objects: a ~440 KiB object every ~0.3 ms, the worker first
// in 19 of 31 marks) the worker does the roots and leaves at their check: nothing runs it again
// until a goroutine is preempted (one such mark: worker 0.12 ms, then 10.9 ms of waiting).
//
// With idle Ps (a program that does not keep every P busy) Ps schedule all the time and the
// worker gets its share: the model then runs it continuously at the goal.
#pragma once

#include <cstdint>
#include <vector>

namespace gogcsim {

class FractionalWorker {
 public:
  static constexpr std::int64_t kForcePreemptNs = 10'000'000;  ///< sysmon's forcePreemptNS
  static constexpr double kDrainCheckWork = 100'000;           ///< gcDrain's drainCheckThreshold
  static constexpr double kExitSlack = 1.2;                    ///< pollFractionalWorkerExit
  /// From the world's restart to the worker running on a stopped P (its thread wakes):
  /// median 44-45 us over 58 marks of steady-noscan and large-objects (runtime/trace).
  static constexpr double kWorkerWakeNs = 45'000;

  /// A mark begins at `now`. `goal_per_p`: the pacer's fractional_utilization_goal.
  /// `roots_cpu_ns`: the root jobs, which the first run does before the heap. `first_assist_ns`:
  /// when the first goroutine allocates after the world restarts and assists, taking root jobs
  /// itself: if that comes after the worker wakes (kWorkerWakeNs), the worker takes the root
  /// jobs and leaves at their check (over its share: it is all of the mark so far). `check_cpu_ns`:
  /// worker CPU between two heap work checks (100,000 units of heap scan work at this mark's
  /// rate; 0: the heap has no scan work, the worker never checks). `sysmon_phase` in [0, 1):
  /// where in its 10 ms the first preemption falls (the goroutine that triggered the GC has
  /// been running for an unknown time). `every_p_busy`: the program keeps all Ps busy (else:
  /// the worker runs continuously at its goal).
  void begin(int procs, double goal_per_p, std::int64_t now, double roots_cpu_ns, double first_assist_ns,
             double check_cpu_ns, double sysmon_phase, bool every_p_busy);
  /// Ps' worth of CPU the worker takes now.
  double share() const;
  /// The program's goroutines are in syscalls (madvise: scavenging the memory they need) and
  /// leave their Ps to the scheduler: the worker gets its share while this holds.
  void set_free(bool free, std::int64_t now);
  /// Accounts the running workers' CPU from the last call to `now`.
  void advance(std::int64_t now);
  /// Ends the runs and starts the ones due at `now` (call after advance).
  void react(std::int64_t now);
  /// Nanoseconds from `now` to the next start or end of a run (infinite if none).
  double next_change_ns(std::int64_t now) const;
  void end();
  /// Where sysmon's 10 ms wake-ups fall (ns in [0, 10 ms)): set once per run.
  void set_sysmon_phase(double ns) { tick_phase_ns_ = ns; }
  /// Every P is busy and the worker runs only when its P schedules (see above).
  bool waits_for_scheduling() const { return active_ && scheduled_ && !free_; }
  /// A worker runs on some P now.
  bool running() const;

 private:
  double preempt_after(double t) const;
  void start_run(int p, std::int64_t now, double extra_ns = 0);

  bool active_ = false, scheduled_ = false, free_ = false;
  double goal_ = 0, check_ns_ = 0;
  int procs_ = 0;
  std::int64_t mark_start_ = 0, last_ = 0;
  std::vector<double> self_ns_;   ///< this mark's worker CPU on each P
  std::vector<double> run_end_;   ///< when the running worker leaves; < 0: not running
  std::vector<double> preempt_;   ///< when sysmon preempts the P's goroutine (10 ms after it started)
  double tick_phase_ns_ = 0;
};

}  // namespace gogcsim
