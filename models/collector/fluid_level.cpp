#include "models/collector/fluid_level.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gogcsim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kReviseFloorNs = 1'000'000;  // revise at least every 1 ms of a long mark phase
// Span bytes per object byte in full spans for a segment's size mix (1 without one).
double dense_factor(const SpanMix* mix) { return mix ? mix->dense_factor : 1.0; }
}  // namespace

FluidLevel::FluidLevel(const Scenario& scenario, FluidWorkload& workload, Pacer& pacer, Policy& policy,
                       Observer& observer)
    : sc_(scenario),
      workload_(workload),
      pacer_(pacer),
      policy_(policy),
      obs_(observer),
      sim_(*this),
      pause_rng_(scenario.seed, "pauses"),
      sysmon_rng_(scenario.seed, "sysmon"),
      live_rng_(scenario.seed, "live"),
      scheduled_(scenario.workers == "scheduled"),
      procs_(static_cast<int>(scenario.runtime.gomaxprocs)),
      stacks_bytes_(static_cast<double>(scenario.memory.goroutines) * static_cast<double>(scenario.memory.stack_size_bytes)),
      stack_scan_bytes_(static_cast<double>(scenario.memory.goroutines) *
                        static_cast<double>(scenario.memory.stack_scanned_bytes)),
      heap_(stacks_bytes_, static_cast<double>(scenario.memory.other_bytes),
            arena_metadata_bytes(span_layout_for(scenario.go))),
      // 1.22+ keep mapped memory under 95 % of the limit in the background; 1.19–1.21 wrote
      // limit × 95 (#62449), so their background scavenger never acts on the limit.
      memory_limit_scav_factor_(span_layout_for(scenario.go) == SpanLayout::go119 ? 95.0 : 0.95),
      use_limiter_(pacer.has_memory_limit()) {
  pacer_.init(sc_.runtime.gogc, sc_.runtime.gomemlimit);
  auto& s = pacer_.state();
  s.max_stack_scan = static_cast<std::uint64_t>(stacks_bytes_);
  s.globals_scan = sc_.memory.globals_bytes;
  limiter_.reset_capacity(0, procs_);
  frac_.set_sysmon_phase(sysmon_rng_.uniform() * static_cast<double>(FractionalWorker::kForcePreemptNs));
}

bool FluidLevel::limiting() const { return use_limiter_ && limiter_.limiting(); }

double FluidLevel::mapped_ready() const { return heap_.classes().mapped_ready(); }

double FluidLevel::needed_in_use() const {
  return std::max(sweep_floor_, heap_live_ * dense_factor(workload_.segment().mix));
}

double FluidLevel::pacer_heap_live() const {
  // Between a mark termination's flush and the next, every P's cached spans count their free
  // slots as allocated (reference §1); they refill right after the flush.
  const SpanMix* mix = workload_.segment().mix;
  return heap_live_ + (mix ? mix->mcache_bytes * procs_ : 0.0);
}

bool FluidLevel::scavenger_has_work() const {
  if (heap_.free() <= 0) return false;
  const double limit = static_cast<double>(pacer_.state().memory_limit);
  return heap_.retained() > heap_.retained_goal() ||
         (pacer_.has_memory_limit() && mapped_ready() > limit * memory_limit_scav_factor_);
}

double FluidLevel::rss() const { return mapped_ready() + static_cast<double>(sc_.memory.globals_bytes); }

std::int64_t FluidLevel::pause_ns(std::int64_t fixed_ns) { return stw_pause_ns(sc_.costs, fixed_ns, procs_, pause_rng_); }

RunEnd FluidLevel::run() {
  sim_.schedule(Ns(0), kSample, 1);
  react();
  while (!ended_ && sim_.step()) {
  }
  end_.wall_ns = last_ns_;
  end_.mutator_ns = mut_ns_;
  end_.cpu = cpu_;
  end_.events = sim_.events_fired();
  end_.limiter_enabled_times = limiter_.times_enabled();
  end_.allocated_bytes = total_alloc_;
  end_.allocated_objects = total_objects_;
  end_.final_memory = heap_.classes();
  end_.scavenged_bytes = heap_.scavenged();
  if (workload_.segment().mix) end_.final_mix = *workload_.segment().mix;
  track_assist_episode(0);
  take_sample();
  obs_.on_end(end_);
  return end_;
}

void FluidLevel::on_event(const Event& e) {
  integrate(e.time.count());
  switch (e.kind) {
    case kPlanned:
      planned_ = ~EventId{0};
      break;
    case kSweepTermEnd: begin_mark(); break;
    case kMarkTermEnd: end_cycle(); break;
    case kSample:
      take_sample();
      sim_.schedule_in(Ns(sc_.output.sample_interval_ns), kSample, 1);
      return;  // a sample changes nothing: keep the plan
  }
  // The workload's segment ended: next rates, or the end of the run.
  const auto& seg = workload_.segment();
  if (mut_ns_ >= seg.end_ns - 1e-6) {
    if (!workload_.advance()) {
      ended_ = true;
      sim_.stop();
      return;
    }
  }
  react();
}

void FluidLevel::react() {
  if (ended_) return;
  const std::int64_t now = sim_.now().count();
  // The runtime updates the limiter at least every 10 ms of a mark phase; rates are constant
  // between events here, so updating at every event of the mark is the same account.
  if (use_limiter_ && phase_ == GcPhase::mark) limiter_.update(now);
  sync_scavenge();
  // A goroutine releases pages a span at a time, one madvise call each: it pays once a call's
  // worth (8 KiB) is owed, until less than a 16th of one is. (Paying down to nothing would,
  // with the others allocating past the limit meanwhile, plan an event every nanosecond.)
  const double call_ns = 8192 * sc_.costs.sync_scavenge_ns_per_byte;
  if (scavenge_debt_ns_ <= 0 || scavenge_debt_ns_ < call_ns / 16) {
    paying_debt_ = false;
  } else if (scavenge_debt_ns_ >= call_ns) {
    paying_debt_ = true;
  }
  sync_pacer();
  if (sc_.memory.container_limit_bytes != kNoLimit && rss() > static_cast<double>(sc_.memory.container_limit_bytes)) {
    end_.oom = true;
    end_.oom_at_ns = now;
    ended_ = true;
    sim_.stop();
    return;
  }
  if (phase_ == GcPhase::off) {
    // gcStart first sweeps what is left of the last cycle's spans (reference §2): a cycle
    // that comes before the sweep is done waits for the program's goroutines to finish it.
    const bool heap_trigger = pacer_.state().heap_live >= pacer_.trigger().trigger;
    const bool time_trigger = sc_.runtime.gogc >= 0 && last_gc_end_ns_ >= 0 && now - last_gc_end_ns_ > kForceGcPeriodNs;
    finishing_sweep_ = (heap_trigger || time_trigger) && sweep_left_ns_ > 0;
    if (!finishing_sweep_ && heap_trigger) {
      start_cycle(TriggerKind::heap);
    } else if (!finishing_sweep_ && time_trigger) {
      start_cycle(TriggerKind::time);
    }
  } else if (phase_ == GcPhase::mark && mark_cpu_done_ >= mark_cpu_total_ * (1 - 1e-12)) {
    end_mark();
  }
  if (phase_ == GcPhase::mark && scheduled_) {
    // A P schedules often when the program's goroutines are in madvise (paying scavenging debt)
    // or the background scavenger has work (it runs ~1 ms, then sleeps): the worker gets its
    // share then.
    frac_.set_free(paying_debt_ || scavenger_has_work(), now);
    frac_.react(now);
    if (!over_assisted_ && assist_credit_ <= kCreditSlack) over_assisting_ = true;
    if (over_assisting_ && assist_credit_ >= over_assist_target() * (1 - 1e-9)) {
      over_assisting_ = false;
      over_assisted_ = true;
    }
  }
  if (phase_ == GcPhase::off && !scavenger_has_work()) scav_run_left_ns_ = 0;  // the run stops: nothing to do
  compute_rates();
  plan();
}

void FluidLevel::integrate(std::int64_t to_ns) {
  const std::int64_t dt_ns = to_ns - last_ns_;
  if (dt_ns <= 0) return;
  frac_.advance(to_ns);
  const double dt = static_cast<double>(dt_ns);
  const auto& seg = workload_.segment();
  mut_ns_ += rates_.rho * dt;
  const double alloc = rates_.alloc_per_ns * dt;
  heap_live_ += alloc;
  heap_scan_ += alloc * seg.scan_frac;
  total_alloc_ += alloc;
  sweep_holes_ += alloc * seg.sweep_holes_per_byte;
  if (seg.mean_object_bytes > 0) total_objects_ += alloc / seg.mean_object_bytes;
  if (seg.mix) heap_.set_spans_per_byte(seg.mix->spans_per_byte, seg.mix->mark_bits_per_byte);
  const double released_before = heap_.scavenged();
  heap_.set_objects(heap_live_, needed_in_use());  // may grow the heap and scavenge past the goal
  owe_scavenging(heap_.scavenged() - released_before);
  if (rates_.scavenge_bytes_per_ns > 0) heap_.release(rates_.scavenge_bytes_per_ns * dt);
  scavenge_debt_ns_ = std::max(0.0, scavenge_debt_ns_ - rates_.debt_paid_per_ns * dt);
  scav_run_left_ns_ = std::max(0.0, scav_run_left_ns_ - rates_.scavenge_run_cpu * dt);
  if (sweep_left_ns_ > 0) {
    sweep_left_ns_ = std::max(0.0, sweep_left_ns_ - rates_.cpu.sweep_ns * dt);
    // The last sweeper wakes the scavenger, parked or asleep: it works a run at once.
    if (sweep_left_ns_ == 0) scav_run_left_ns_ = kMinScavWorkNs;
  }

  const CpuClasses& r = rates_.cpu;
  cpu_.mutator_ns += r.mutator_ns * dt;
  cpu_.gc_pause_ns += r.gc_pause_ns * dt;
  cpu_.gc_mark_dedicated_ns += r.gc_mark_dedicated_ns * dt;
  cpu_.gc_mark_fractional_ns += r.gc_mark_fractional_ns * dt;
  cpu_.gc_mark_idle_ns += r.gc_mark_idle_ns * dt;
  cpu_.gc_mark_assist_ns += r.gc_mark_assist_ns * dt;
  cpu_.scavenge_ns += r.scavenge_ns * dt;
  cpu_.sweep_ns += r.sweep_ns * dt;
  cpu_.idle_ns += r.idle_ns * dt;
  if (phase_ == GcPhase::mark) {
    mark_cpu_done_ = std::min(mark_cpu_total_, mark_cpu_done_ + rates_.mark_cpu * dt);
    if (scheduled_) {
      assist_credit_ = std::max(0.0, assist_credit_ + credit_gain_per_ns() * dt);
    }
    assist_ns_ += r.gc_mark_assist_ns * dt;
    dedicated_ns_ += r.gc_mark_dedicated_ns * dt;
    fractional_ns_ += r.gc_mark_fractional_ns * dt;
    idle_mark_ns_ += r.gc_mark_idle_ns * dt;
  }
  // The limiter takes whole nanoseconds; carry the fractions.
  limiter_assist_acc_ += r.gc_mark_assist_ns * dt;
  limiter_idle_acc_ += (r.idle_ns + r.gc_mark_idle_ns) * dt;
  auto whole_assist = static_cast<std::int64_t>(limiter_assist_acc_);
  auto whole_idle = static_cast<std::int64_t>(limiter_idle_acc_);
  limiter_.add_assist_time(whole_assist);
  limiter_.add_idle_time(whole_idle);
  limiter_assist_acc_ -= static_cast<double>(whole_assist);
  limiter_idle_acc_ -= static_cast<double>(whole_idle);

  auto live = static_cast<std::uint64_t>(heap_live_);
  auto rss_now = static_cast<std::uint64_t>(rss());
  sample_heap_max_ = std::max(sample_heap_max_, live);
  sample_rss_max_ = std::max(sample_rss_max_, rss_now);
  end_.peak_heap_live = std::max(end_.peak_heap_live, live);
  end_.peak_rss = std::max(end_.peak_rss, rss_now);
  end_.peak_mapped_ready = std::max(end_.peak_mapped_ready, static_cast<std::uint64_t>(mapped_ready()));
  end_.peak_heap_in_use = std::max(end_.peak_heap_in_use, static_cast<std::uint64_t>(heap_.in_use()));
  last_ns_ = to_ns;
}

void FluidLevel::sync_scavenge() {
  // Allocation-time scavenging when mapped memory passes the limit, unless the limiter is on.
  if (sc_.runtime.gomemlimit == kNoLimit && pacer_.state().memory_limit == kMaxInt64) return;
  if (!pacer_.has_memory_limit() || limiting()) return;
  double over = mapped_ready() - static_cast<double>(pacer_.state().memory_limit);
  if (over <= 0) return;
  const double released_before = heap_.scavenged();
  heap_.release(over);
  owe_scavenging(heap_.scavenged() - released_before);
}

// Pages the program released itself (heap growth, over the limit) cost its goroutines the
// madvise calls and, when the pages are used again, the faults: the program pays that CPU
// before it allocates on (compute_rates), as an allocating goroutine does.
void FluidLevel::owe_scavenging(double released_bytes) {
  if (released_bytes > 0) scavenge_debt_ns_ += released_bytes * sc_.costs.sync_scavenge_ns_per_byte;
}

// Go 1.19's allocSpan releases the whole overage (mappedReady − limit) on the goroutine that
// allocated the span, and heap growth past the retained goal on the one that grew it: one
// goroutine pays a debt, the others allocate on.
double FluidLevel::releasing_cpus(double mutator_cpus) { return std::min(mutator_cpus, 1.0); }

void FluidLevel::sync_pacer() {
  auto& s = pacer_.state();
  const auto live = static_cast<std::uint64_t>(phase_ == GcPhase::mark_termination ? heap_live_ : pacer_heap_live());
  const auto scan = static_cast<std::uint64_t>(heap_scan_);
  set_memory(s, heap_.classes());
  if (phase_ == GcPhase::mark) {
    double p = mark_cpu_total_ > 0 ? mark_cpu_done_ / mark_cpu_total_ : 1;
    s.heap_scan_work = static_cast<std::int64_t>(p * heap_work_total_);
    s.stack_scan_work = static_cast<std::int64_t>(p * stack_work_total_);
    s.globals_scan_work = static_cast<std::int64_t>(p * globals_work_total_);
    s.assist_time_ns = std::llround(assist_ns_);
    s.dedicated_mark_time_ns = std::llround(dedicated_ns_);
    s.fractional_mark_time_ns = std::llround(fractional_ns_);
    s.idle_mark_time_ns = std::llround(idle_mark_ns_);
  }
  pacer_.update(static_cast<std::int64_t>(live - s.heap_live),
                s.gc_running ? 0 : static_cast<std::int64_t>(scan - s.heap_scan));
}

double FluidLevel::over_assist_target() const {
  return kOverAssistWork * std::max(1.0, workload_.segment().mutator_cpus);
}

double FluidLevel::scan_work_per_cpu_ns() const {
  const double work_total = heap_work_total_ + stack_work_total_ + globals_work_total_;
  return mark_cpu_total_ > 0 ? work_total / mark_cpu_total_ : 0;
}

double FluidLevel::credit_gain_per_ns() const {
  return rates_.mark_cpu * scan_work_per_cpu_ns() - rates_.alloc_per_ns * pacer_.state().assist_work_per_byte;
}

void FluidLevel::compute_rates() {
  Rates r;
  const double P = procs_;
  const auto& seg = workload_.segment();
  const double m = seg.mutator_cpus;
  switch (phase_) {
    case GcPhase::off: {
      double mut = std::min(m, P);
      double idle = P - mut;
      if (scavenger_has_work()) {
        // The background scavenger targets 1 % of GOMAXPROCS CPU (its sleeps), but the end of
        // every sweep wakes it for a run of 1 ms on a P; it runs on idle Ps first. (Real
        // runs, GOMAXPROCS=2, tests/real/memory/record_scavenger.sh: 0.8-1.2 runs a cycle,
        // 1.6-3.2 % of the CPU in a program that collects every 6 ms.)
        const double scav = scav_run_left_ns_ > 0 ? 1.0 : 0.01 * P;
        r.scavenge_run_cpu = scav_run_left_ns_ > 0 ? scav : 0;
        const double from_idle = std::min(idle, scav);
        idle -= from_idle;
        mut -= scav - from_idle;
        r.cpu.scavenge_ns += scav;
        // Its cost per byte: madvise calls per run of free pages, and the bytes.
        r.scavenge_bytes_per_ns = scav / scavenge_ns_per_released_byte(sc_.costs, heap_.next_free_run_bytes());
      }
      // A goroutine that released pages itself is in madvise, then page faults (debt below);
      // the others go on. gcStart's sweep comes first (no allocation, no madvise).
      const double paying = paying_debt_ && !finishing_sweep_ ? releasing_cpus(mut) : 0;
      mut -= paying;
      if (sweep_left_ns_ > 0) {
        // The background sweeper is one low-priority goroutine: it sweeps on an idle P.
        // Allocating goroutines also sweep in proportion to what they allocate, so that
        // sweeping ends before the next trigger (reference §2 "Sweep"): s = sweep CPU per
        // allocated byte; with a = allocation per mutator ns, a·(mut − prop)/m·s = prop.
        const double bg = std::min(1.0, idle);
        idle -= bg;
        const double as = seg.alloc_bytes_per_ns * sweep_ns_per_alloc_byte_ / m;
        double prop = bg > 0 ? 0.0 : std::min(mut, as * mut / (1 + as));
        if (finishing_sweep_) prop = mut;
        mut -= prop;
        r.cpu.sweep_ns = bg + prop;
      }
      r.debt_paid_per_ns = paying;
      r.cpu.scavenge_ns += paying;
      r.cpu.mutator_ns = mut;
      r.cpu.idle_ns = idle;
      r.rho = mut / m;
      break;
    }
    case GcPhase::sweep_termination:
    case GcPhase::mark_termination:
      r.cpu.gc_pause_ns = P;
      r.rho = 0;
      break;
    case GcPhase::mark: {
      const auto& s = pacer_.state();
      const double D = static_cast<double>(s.dedicated_mark_workers_needed);
      const double F = frac_.share();
      const double avail = std::max(0.0, P - D - F);
      const double u = std::min(m, avail);
      const double spare = avail - u;
      const double idle_mark = std::min(spare, static_cast<double>(std::max(0, s.max_idle_mark_workers)));
      const double bg = D + F + idle_mark;
      const double k = scan_work_per_cpu_ns();
      double x = 0;
      const double a = seg.alloc_bytes_per_ns * seg.mark_speed;
      // A goroutine paying its release debt neither allocates nor assists, and meanwhile the
      // mark workers get nothing done, their time counted (the top of fluid_level.hpp).
      const double paying = paying_debt_ ? releasing_cpus(u) : 0;
      const double ua = u - paying;  // the goroutines that allocate (and assist)
      const double working = paying > 0 ? 0 : bg;
      if (!limiting() && ua > 0 && k > 0 && a > 0) {
        if (scheduled_ && (over_assisting_ || assist_credit_ > kCreditSlack)) {
          // Allocations steal the workers' credit first (gcAssistAlloc, bgScanCredit); once it is
          // spent a goroutine assists, and does at least gcOverAssistWork (64 KiB) of scan work:
          // the goroutines assist until they are that far ahead (react()). Later in the mark the
          // bursts average out to paying the debt as it accrues (below): one burst a mark keeps
          // the events few.
          x = over_assisting_ ? ua : 0;
        } else {
          // Assists pay the allocation's debt as it accrues, less what the workers do meanwhile.
          const double debt = a * s.assist_work_per_byte / m;
          x = std::clamp((debt * ua - working * k) / (k + debt), 0.0, ua);
        }
      }
      r.cpu.gc_mark_dedicated_ns = D;
      r.cpu.gc_mark_fractional_ns = F;
      r.cpu.gc_mark_idle_ns = idle_mark;
      r.cpu.gc_mark_assist_ns = x;
      r.cpu.scavenge_ns = paying;
      r.debt_paid_per_ns = paying;
      r.cpu.mutator_ns = u - x - paying;
      r.cpu.idle_ns = spare - idle_mark;
      r.mark_cpu = working + x;
      r.rho = seg.mark_speed * (u - x - paying) / m;
      break;
    }
  }
  r.alloc_per_ns = seg.alloc_bytes_per_ns * r.rho;
  track_assist_episode(r.cpu.gc_mark_assist_ns);
  rates_ = r;
  // Mutator utilization as go tool trace counts it: every P not doing GC work.
  obs_.on_utilization(sim_.now().count(), 1 - r.cpu.gc_total_ns() / P);
}

// Opens an episode when the assist rate becomes positive, closes it when it returns to zero
// (at the latest at mark termination, or at the end of the run).
void FluidLevel::track_assist_episode(double assist_rate) {
  const std::int64_t now = sim_.now().count();
  if (assist_rate > 0 && assist_episode_start_ns_ < 0) {
    assist_episode_start_ns_ = now;
    assist_episode_cpu0_ns_ = cpu_.gc_mark_assist_ns;
  } else if (assist_rate <= 0 && assist_episode_start_ns_ >= 0) {
    if (now > assist_episode_start_ns_) {
      obs_.on_assist({cycles_, assist_episode_start_ns_, now - assist_episode_start_ns_,
                      cpu_.gc_mark_assist_ns - assist_episode_cpu0_ns_});
    }
    assist_episode_start_ns_ = -1;
  }
}

void FluidLevel::plan() {
  if (planned_ != ~EventId{0}) sim_.cancel(planned_);
  planned_ = ~EventId{0};
  const std::int64_t now = sim_.now().count();
  double best = kInf;
  auto consider = [&best](double dt) {
    if (dt >= 0 && dt < best) best = dt;
  };
  const auto& seg = workload_.segment();
  const auto& s = pacer_.state();
  if (rates_.rho > 0) consider((seg.end_ns - mut_ns_) / rates_.rho);
  if (rates_.debt_paid_per_ns > 0) consider(scavenge_debt_ns_ / rates_.debt_paid_per_ns);  // (react() stops at 1/16)
  const double alloc = rates_.alloc_per_ns;
  if (phase_ == GcPhase::off) {
    if (alloc > 0) consider((static_cast<double>(pacer_.trigger().trigger) - heap_live_) / alloc);
    if (sc_.runtime.gogc >= 0 && last_gc_end_ns_ >= 0) {
      consider(static_cast<double>(last_gc_end_ns_ + kForceGcPeriodNs + 1 - now));
    }
    if (rates_.scavenge_run_cpu > 0) consider(scav_run_left_ns_ / rates_.scavenge_run_cpu);
    if (rates_.scavenge_bytes_per_ns > 0) {
      // Re-plan when the free pages run out or the retained goal is reached.
      double excess = std::min(heap_.free(), std::max(0.0, heap_.retained() - heap_.retained_goal()));
      if (excess <= 0) excess = heap_.free();
      consider(excess / rates_.scavenge_bytes_per_ns);
    }
    if (sweep_left_ns_ > 0 && rates_.cpu.sweep_ns > 0) consider(sweep_left_ns_ / rates_.cpu.sweep_ns);
  } else if (phase_ == GcPhase::mark) {
    double remaining = std::max(0.0, mark_cpu_total_ - mark_cpu_done_);
    double to_done = rates_.mark_cpu > 0 ? remaining / rates_.mark_cpu : kInf;
    consider(to_done);
    consider(frac_.next_change_ns(now));
    if (scheduled_) {  // where the assists start (credit spent) or stop (64 KiB per goroutine ahead)
      const double gain = credit_gain_per_ns();
      if (over_assisting_ && gain > 0) consider((over_assist_target() - assist_credit_) / gain + 1);
      if (!over_assisting_ && assist_credit_ > kCreditSlack && gain < 0) consider((assist_credit_ - kCreditSlack) / -gain + 1);
    }
    // Revise where the assist ratio changes regime: heap_live crossing the goal, and the
    // scan work passing last cycle's (the goal is then extended).
    double goal = static_cast<double>(pacer_.heap_goal());
    if (alloc > 0 && heap_live_ < goal) consider((goal - heap_live_) / alloc + 1);
    double work_total = heap_work_total_ + stack_work_total_ + globals_work_total_;
    double expected = static_cast<double>(s.last_heap_scan + s.last_stack_scan + s.globals_scan);
    double work = mark_cpu_total_ > 0 ? mark_cpu_done_ / mark_cpu_total_ * work_total : 0;
    double work_rate = mark_cpu_total_ > 0 ? rates_.mark_cpu * work_total / mark_cpu_total_ : 0;
    if (work < expected && work_rate > 0) consider((expected - work) / work_rate + 1);
    // Between those points the assist ratio needs no revision: with assists the scan work
    // and the heap distance shrink in proportion (awpb is constant), without them the ratio
    // only falls. Only when assists take every goroutine CPU does it drift: revise then.
    if (rates_.cpu.gc_mark_assist_ns > 0 && rates_.cpu.mutator_ns <= 1e-9 && to_done < kInf) {
      consider(std::max(static_cast<double>(kReviseFloorNs), to_done / 2));
    }
    // Under a memory limit the goal itself moves: it follows mapped memory (non-heap growth,
    // and 1:1 with the heap once mapped memory passes the limit), and with it the extended
    // goal and the assist ratio. The runtime revises at every heap_live update; revise here
    // whenever the heap has grown by 1 % of the goal.
    if (s.memory_limit != kNoLimit && alloc > 0) consider(std::max(0.01 * goal / alloc, 1000.0));
    // The limiter: while on, re-check every update period (it turns off on any
    // non-saturating window); while filling, wake up when the bucket would be full.
    if (!use_limiter_) {
    } else if (limiter_.limiting()) {
      consider(static_cast<double>(GcCpuLimiter::kUpdatePeriodNs));
    } else {
      const CpuClasses& c = rates_.cpu;
      const double fill_rate = 2 * c.gc_mark_assist_ns - 0.5 * procs_ + c.idle_ns + c.gc_mark_idle_ns;
      if (fill_rate > 0) {
        consider(static_cast<double>(limiter_.capacity() - limiter_.fill()) / fill_rate + 1);
      }
    }
  }
  if (sc_.memory.container_limit_bytes != kNoLimit && alloc > 0) {
    double headroom = static_cast<double>(sc_.memory.container_limit_bytes) - rss() + heap_.free();
    consider(headroom / alloc);
  }
  if (best < kInf) {
    double at = static_cast<double>(now) + std::max(1.0, std::ceil(best));
    if (at < 9e18) planned_ = sim_.schedule(Ns(static_cast<std::int64_t>(at)), kPlanned);
  }
}

void FluidLevel::start_cycle(TriggerKind kind) {
  const std::int64_t now = sim_.now().count();
  ++cycles_;
  cur_ = begin_cycle_record(cycles_, kind, now, pacer_, procs_);
  assist_ns_ = dedicated_ns_ = fractional_ns_ = idle_mark_ns_ = 0;
  if (use_limiter_) limiter_.start_gc_transition(true, now);
  phase_ = GcPhase::sweep_termination;
  const std::int64_t pause = pause_ns(sc_.costs.sweep_term_ns);
  cur_.sweep_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::sweep_termination, now, pause});
  sim_.schedule_in(Ns(pause), kSweepTermEnd);
}

void FluidLevel::begin_mark() {
  const std::int64_t now = sim_.now().count();
  if (use_limiter_) limiter_.finish_gc_transition(now);
  phase_ = GcPhase::mark;
  mark_start_ns_ = now;
  const LiveHeap live = workload_.live_at(mut_ns_);
  heap_work_total_ = live.live_scan_bytes;
  stack_work_total_ = stack_scan_bytes_;
  globals_work_total_ = static_cast<double>(sc_.memory.globals_bytes);
  // Objects in the live heap, pointerful and pointer-free (each cohort counted with the
  // size mix it was allocated with).
  const double scan_objects = live.live_pointer_objects;
  const double all_objects = live.live_objects;
  cur_.scan_objects = scan_objects;
  cur_.marked_objects = all_objects;
  mark_cpu_total_ = (heap_work_total_ + stack_work_total_ + globals_work_total_) * sc_.costs.scan_ns_per_byte +
                    scan_objects * sc_.costs.scan_ns_per_object + all_objects * sc_.costs.mark_ns_per_object +
                    static_cast<double>(sc_.costs.mark_fixed_ns);
  mark_cpu_total_ = std::max(mark_cpu_total_, 1.0);
  mark_cpu_done_ = 0;
  assist_credit_ = 0;
  over_assisting_ = false;
  over_assisted_ = false;
  // The worker's first run does the root jobs, then drains the heap to its first check: 100,000
  // units of heap scan work (pointer-free objects are marked without any).
  const double roots_cpu_ns = (stack_work_total_ + globals_work_total_) * sc_.costs.scan_ns_per_byte;
  const double heap_cpu_ns = std::max(0.0, mark_cpu_total_ - roots_cpu_ns);
  const double check_cpu_ns = heap_work_total_ > 0 ? FractionalWorker::kDrainCheckWork * heap_cpu_ns / heap_work_total_ : 0;
  // The first assist: the triggering goroutine's next allocation after the world restarts,
  // half an allocation interval on average at its share of the allocation rate.
  const FlowSegment& fs = workload_.segment();
  const double per_goroutine = fs.alloc_bytes_per_ns / std::max(1.0, fs.mutator_cpus);
  const double first_assist_ns = per_goroutine > 0 ? 0.5 * fs.mean_object_bytes / per_goroutine : 0;
  frac_.begin(procs_, pacer_.state().fractional_utilization_goal, now, roots_cpu_ns, first_assist_ns, check_cpu_ns,
              sysmon_rng_.uniform(), scheduled_ && fs.mutator_cpus >= procs_ - 1e-9);
  const double spread = live_spread(live, fs);
  live_at_mark_ = live.live_bytes + spread;
  span_bytes_at_mark_ = live.span_bytes;
  spread_span_bytes_ = spread * dense_factor(fs.mix);
  holes_at_mark_ = sweep_holes_;
  sweep_holes_ = 0;
  alloc_at_mark_ = total_alloc_;
  cur_.live_bytes_at_start = live_at_mark_;
}

double FluidLevel::live_spread(const LiveHeap& live, const FlowSegment& fs) {
  const double transient = std::max(0.0, live.live_bytes - live.retained_bytes);
  if (!fs.mix || fs.mix->mean_slot_bytes <= 0 || transient <= 0 || fs.alloc_bytes_per_ns <= 0) return 0;
  const double sd = std::sqrt(transient / fs.mix->mean_slot_bytes * fs.mix->slot_bytes_variance);
  const double lifetime_ns = transient / fs.alloc_bytes_per_ns;
  const double rho = std::exp(-std::max(0.0, mut_ns_ - live_spread_mut_ns_) / lifetime_ns);
  live_spread_ = rho * live_spread_ + std::sqrt(1 - rho * rho) * sd * live_rng_.normal();
  live_spread_mut_ns_ = mut_ns_;
  return std::clamp(live_spread_, -transient, transient);
}

void FluidLevel::end_mark() {
  const std::int64_t now = sim_.now().count();
  auto& s = pacer_.state();
  phase_ = GcPhase::mark_termination;
  frac_.end();
  mark_term_start_ns_ = now;
  cur_.mark_wall_ns = now - mark_start_ns_;
  s.heap_scan_work = static_cast<std::int64_t>(heap_work_total_);
  s.stack_scan_work = static_cast<std::int64_t>(stack_work_total_);
  s.globals_scan_work = static_cast<std::int64_t>(globals_work_total_);
  const MarkCpu mark{assist_ns_, dedicated_ns_, fractional_ns_, idle_mark_ns_};
  set_mark_time(s, mark);
  cur_.limiter_on = cur_.limiter_on || limiting();
  if (use_limiter_) limiter_.start_gc_transition(false, now);
  pacer_.end_cycle(now, procs_, cur_.trigger_kind == TriggerKind::user_forced);
  end_cycle_record(cur_, s, mark);

  // Marked: everything live when the mark began plus everything allocated black since.
  const double black = total_alloc_ - alloc_at_mark_;
  const double marked = std::min(heap_live_, live_at_mark_ + black);
  last_heap_in_use_ = heap_.in_use();
  pacer_.reset_live(static_cast<std::uint64_t>(marked));
  heap_live_ = static_cast<double>(s.heap_live);
  heap_scan_ = static_cast<double>(s.heap_scan);
  // The sweep frees dead objects; spans left with no live object return their pages. Short-
  // lived survivors keep many spans partly used (SpanMix::sparse_factor); objects allocated
  // black sit densely in the newest spans. The sweep's CPU is spent in the following phase.
  const SpanMix* mix = workload_.segment().mix;
  sweep_left_ns_ = heap_.spans() * sc_.costs.sweep_ns_per_span;
  cur_.sweep_pages = heap_.in_use() / 8192.0;
  // Long-lived objects replaced between the last sweep and this mark keep their spans in use,
  // and the ones they replaced leave holes among long-lived neighbours (churn): unused until
  // refilled. (What was allocated during the mark is marked; its holes come at the next sweep.)
  // Earlier churn holes stay unless allocation refilled them: a span holding one long-lived
  // object never frees, and the allocation since the last sweep spread over all the unused
  // slots that sweep left.
  const double dense = dense_factor(mix);
  const double refilled =
      unused_at_sweep_ > 0 ? std::min(1.0, (total_alloc_ - alloc_at_sweep_) * dense / unused_at_sweep_) : 1.0;
  kept_holes_ = holes_at_mark_ + kept_holes_ * (1 - refilled);
  sweep_floor_ = span_bytes_at_mark_ + spread_span_bytes_ + black * dense + kept_holes_;
  holes_at_mark_ = 0;
  unswept_ = heap_.classes();
  heap_.set_objects(heap_live_, 0);
  // Spans of long-lived objects that died since the last sweep were allocated together (as
  // the heap grew): their pages come free as one block. (Not the live heap's spread: those are
  // short-lived objects, scattered.)
  heap_.sweep_to(sweep_floor_, std::max(0.0, swept_span_bytes_ - span_bytes_at_mark_));
  swept_span_bytes_ = span_bytes_at_mark_;
  unused_at_sweep_ = heap_.classes().heap_unused;
  alloc_at_sweep_ = total_alloc_;
  cur_.heap_marked = s.heap_marked;
  cur_.stacks_bytes = pacer_.trace_stacks_bytes();
  cur_.trigger_ratio = s.trigger_ratio;

  const std::int64_t pause = pause_ns(sc_.costs.mark_term_ns);
  cur_.mark_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::mark_termination, now, pause});
  sim_.schedule_in(Ns(pause), kMarkTermEnd);
}

void FluidLevel::end_cycle() {
  const std::int64_t now = sim_.now().count();
  auto& s = pacer_.state();
  if (use_limiter_) limiter_.finish_gc_transition(now);
  phase_ = GcPhase::off;
  last_gc_end_ns_ = now;
  sync_pacer();
  pacer_.commit(false);  // sweeping starts now (reference §2)
  // gcPaceScavenger: keep the heap retained within 10 % of what the new goal implies. It runs
  // before the sweep frees anything: the memory limit's goal sees the dead objects still in
  // heap_alloc, not the holes they will leave (this level sweeps at once).
  set_memory(s, unswept_);
  const double goal = static_cast<double>(pacer_.heap_goal());
  set_memory(s, heap_.classes());
  if (s.last_heap_goal > 0) {
    double g = last_heap_in_use_ * (goal / static_cast<double>(s.last_heap_goal));
    heap_.set_retained_goal(g + g / 10);  // retainExtraPercent = 10
  }
  // gcPaceSweeper: the pages to sweep over the heap distance to the next trigger, less
  // 1 MiB of slack, at least one page.
  const double distance =
      std::max(8192.0, static_cast<double>(pacer_.trigger().trigger) - pacer_heap_live() - 1048576.0);
  sweep_ns_per_alloc_byte_ = sweep_left_ns_ / distance;
  cur_.sweep_term_cpu_ns = static_cast<double>(cur_.sweep_term_wall_ns) * procs_;
  cur_.mark_term_cpu_ns = static_cast<double>(cur_.mark_term_wall_ns) * procs_;
  gc_trace_cpu_ns_ += cur_.sweep_term_cpu_ns + cur_.assist_cpu_ns + cur_.dedicated_cpu_ns + cur_.fractional_cpu_ns +
                      cur_.mark_term_cpu_ns;
  cur_.gc_cpu_fraction = now > 0 ? gc_trace_cpu_ns_ / (static_cast<double>(now) * procs_) : 0;
  obs_.on_cycle(cur_);
  PolicyActions act = policy_.on_cycle_end(cur_);
  if (act.gogc || act.memory_limit) {
    if (act.gogc) pacer_.set_gc_percent(*act.gogc);
    if (act.memory_limit) pacer_.set_memory_limit(*act.memory_limit);
    pacer_.commit(false);
  }
}

void FluidLevel::take_sample() {
  const auto& s = pacer_.state();
  Sample x;
  x.t_ns = last_ns_;
  x.mutator_ns = mut_ns_;
  x.heap_live = s.heap_live;
  x.heap_goal = pacer_.heap_goal();
  x.trigger = phase_ == GcPhase::off ? pacer_.trigger().trigger : s.triggered;
  x.heap_live_max = std::max(sample_heap_max_, s.heap_live);
  x.live_bytes = ended_ ? 0 : workload_.live_at(std::max(mut_ns_, workload_.segment().begin_ns)).live_bytes;
  const MemoryClasses mc = heap_.classes();
  x.heap_alloc = static_cast<std::uint64_t>(mc.heap_objects);
  x.heap_in_use = static_cast<std::uint64_t>(mc.heap_objects + mc.heap_unused);
  x.heap_free = static_cast<std::uint64_t>(mc.heap_free);
  x.heap_released = static_cast<std::uint64_t>(mc.heap_released);
  x.heap_unused = static_cast<std::uint64_t>(mc.heap_unused);
  x.other = static_cast<std::uint64_t>(mc.other);
  x.stacks = static_cast<std::uint64_t>(stacks_bytes_);
  x.mapped_ready = static_cast<std::uint64_t>(mapped_ready());
  x.rss = static_cast<std::uint64_t>(rss());
  x.rss_max = std::max(sample_rss_max_, x.rss);
  x.memory_limit = s.memory_limit;
  x.phase = phase_;
  x.workload_phase = workload_.segment().phase;
  x.cpu = cpu_;
  x.limiter_on = limiting();
  obs_.on_sample(x);
  sample_heap_max_ = s.heap_live;
  sample_rss_max_ = x.rss;
}

}  // namespace gogcsim
