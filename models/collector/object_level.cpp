#include "models/collector/object_level.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <stdexcept>

#include "sim/config.hpp"

namespace gogcsim {

ObjectLevel::ObjectLevel(const Scenario& scenario, RecordSource& records, double mutator_cpus, double mark_speed,
                         Pacer& pacer, Observer& obs, bool verify)
    : sc_(scenario),
      records_(records),
      mutator_cpus_(mutator_cpus),
      mark_speed_(mark_speed),
      pacer_(pacer),
      obs_(obs),
      verify_(verify),
      procs_(static_cast<int>(scenario.runtime.gomaxprocs)),
      alloc_(procs_, span_layout_for(scenario.go)),
      marker_(store_),
      mark_costs_{scenario.costs.scan_ns_per_byte, scenario.costs.scan_ns_per_object, scenario.costs.mark_ns_per_object},
      pause_rng_(scenario.seed, "pauses"),
      sample_interval_ns_(scenario.output.sample_interval_ns),
      use_limiter_(pacer.has_memory_limit()),
      stacks_bytes_(static_cast<double>(scenario.memory.goroutines) * static_cast<double>(scenario.memory.stack_size_bytes)),
      stack_scan_bytes_(static_cast<double>(scenario.memory.goroutines) *
                        static_cast<double>(scenario.memory.stack_scanned_bytes)),
      // As at the fluid level: 1.19–1.21 wrote limit x 95 (#62449), 1.22+ 95 %.
      memory_limit_scav_factor_(span_layout_for(scenario.go) == SpanLayout::go119 ? 95.0 : 0.95) {
  pacer_.init(sc_.runtime.gogc, sc_.runtime.gomemlimit);
  auto& s = pacer_.state();
  s.max_stack_scan = static_cast<std::uint64_t>(stacks_bytes_);
  s.globals_scan = sc_.memory.globals_bytes;
  limiter_.reset_capacity(0, procs_);
  alloc_.set_sweeper(this);
  split_ = plan_split();
}

RunEnd ObjectLevel::run() {
  std::vector<TraceRecord> batch;
  std::uint64_t index = 0;
  while (records_.next_batch(batch)) {
    for (const auto& r : batch) {
      advance_to(r.t_ns);
      try {
        apply(r);
      } catch (const InputError& e) {
        throw InputError(records_.name() + ": record " + std::to_string(index) + ": " + e.what());
      }
      ++index;
    }
  }
  utilization(util_u_);  // closes the last whole bucket
  end_.wall_ns = std::llround(wall_ns());
  // Whole nanoseconds: the rounding is idle time, so the classes still add up exactly.
  cpu_.idle_ns += procs_ * (static_cast<double>(end_.wall_ns) - wall_ns());
  end_.mutator_ns = mutator_ns_;
  end_.events = index;
  end_.final_memory = memory();
  end_.scavenged_bytes = static_cast<double>(alloc_.page_heap().stats().scavenged_pages * kPageBytes);
  end_.final_classes = alloc_.usage_by_class();
  end_.cpu = cpu_;
  end_.limiter_enabled_times = limiter_.times_enabled();
  take_sample();
  obs_.on_end(end_);
  return end_;
}

// Mutator time moves to `t`. While marking, the background workers (dedicated, fractional
// and idle, as the pacer planned them) drain at 1/scan_ns_per_byte bytes per ns each and the
// program runs on the Ps they leave (slower if it wanted more, and at mark_speed of its speed:
// write barrier, shared caches); the mark may end, and samples fall, on the way.
void ObjectLevel::advance_to(std::uint64_t t) {
  double dt = static_cast<double>(t) - mutator_ns_;  // mutator ns still to run
  while (dt > 0) {
    const Split& w = split();
    const double speed = w.program / mutator_cpus_ * (marking_ ? mark_speed_ : 1.0);
    double step = dt / speed;  // wall ns
    const double to_sample = next_sample_ns_ - wall_ns();
    const bool sample = to_sample <= step;
    if (sample) step = std::max(0.0, to_sample);
    if (marking_) {
      const double rate = w.background();  // mark CPU-ns per wall ns
      // drain() always finishes the oblet it starts, so it may overshoot the budget; the
      // overshoot is carried as negative credit, so marking never runs faster than `rate`.
      const double avail = bg_credit_ns_ + step * rate;
      const Work work = avail > 0 ? mark_work(kUnlimited, avail) : Work{};
      const double done = work.ns;
      bg_scan_credit_bytes_ += work.bytes;  // gcFlushBgCredit: assists may steal it
      if (mark_done()) step = std::clamp((done - bg_credit_ns_) / rate, 0.0, step);
      bg_credit_ns_ = mark_done() ? 0 : avail - done;
    }
    account(step, w.program);
    if (!marking_ && sweep_pages_left_ > 0) background_sweep(step, w);
    background_scavenge(step, w);
    feed_limiter();
    const double ran = std::min(dt, step * speed);
    mutator_ns_ += ran;
    stall_ns_ += step - ran;
    dt -= ran;
    if (marking_ && mark_done()) {
      end_mark();
    } else if (sample && wall_ns() >= next_sample_ns_ - 0.5) {
      take_sample();
      next_sample_ns_ += static_cast<double>(sample_interval_ns_);
    }
  }
}

// bgsweep: one low-priority goroutine sweeping on an idle P, if there is one, for `wall` ns.
// The overshoot of the last span it sweeps is carried as negative credit.
void ObjectLevel::background_sweep(double wall, const Split& w) {
  const double bg = std::min(1.0, procs_ - w.program);
  if (bg <= 0) return;
  const double per_span = sc_.costs.sweep_ns_per_span;
  if (per_span <= 0) {
    sweep_pages(sweep_pages_left_);
    spans_unpaid_ = 0;
    return;
  }
  bg_sweep_credit_ns_ += wall * bg;
  double spent = 0;
  while (bg_sweep_credit_ns_ > 0 && sweep_next_ < sweep_queue_.size()) {
    if (sweep_span(sweep_queue_[sweep_next_++], nullptr, nullptr) == 0) continue;  // swept already
    bg_sweep_credit_ns_ -= per_span;
    spent += per_span;
  }
  spans_unpaid_ = 0;  // the sweeper's, paid from its own credit
  if (sweep_pages_left_ <= 0) bg_sweep_credit_ns_ = 0;
  cpu_.idle_ns -= spent;  // account() counted that P idle
  cpu_.sweep_ns += spent;
}

// Mark work until `budget_bytes` of scan work or `budget_ns` of CPU is done, whichever comes
// first: root jobs first (the fixed per-cycle work, the scanned part of each goroutine's
// stack, the globals), then grey objects at the scenario's costs (drain() may finish an
// oblet past the budget).
ObjectLevel::Work ObjectLevel::mark_work(double budget_bytes, double budget_ns) {
  Work d;
  const double per_byte = sc_.costs.scan_ns_per_byte;
  const double fixed = std::min(fixed_work_left_ns_, budget_ns);
  fixed_work_left_ns_ -= fixed;
  d.ns += fixed;
  for (double* left : {&stack_work_left_, &globals_work_left_}) {
    const double r = std::max(0.0, std::min({*left, budget_bytes - d.bytes, (budget_ns - d.ns) / per_byte}));
    *left -= r;
    d.bytes += r;
    d.ns += r * per_byte;
  }
  if (budget_bytes - d.bytes >= 1 && budget_ns - d.ns > 0 && !marker_.done()) {
    const double bytes_left = budget_bytes - d.bytes;
    const auto b = bytes_left >= 0x1p63 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(bytes_left);
    const Drained h = marker_.drain(b, budget_ns - d.ns, mark_costs_);
    d.bytes += static_cast<double>(h.bytes);
    d.ns += h.ns;
  }
  auto& s = pacer_.state();
  s.heap_scan_work = static_cast<std::int64_t>(marker_.stats().scan_work_bytes);
  s.stack_scan_work = std::llround(stack_scan_bytes_ - stack_work_left_);
  s.globals_scan_work = std::llround(static_cast<double>(sc_.memory.globals_bytes) - globals_work_left_);
  pacer_.update(0, 0);
  return d;
}

bool ObjectLevel::mark_done() const {
  return fixed_work_left_ns_ <= 0 && stack_work_left_ <= 0 && globals_work_left_ <= 0 && marker_.done();
}

MemoryClasses ObjectLevel::memory() const {
  return alloc_.classes(stacks_bytes_, static_cast<double>(sc_.memory.other_bytes));
}

// What the memory-limit goal reads (gcControllerState.memoryLimitHeapGoal's inputs).
void ObjectLevel::sync_memory() { set_memory(pacer_.state(), memory()); }

bool ObjectLevel::limited() const { return pacer_.state().memory_limit != kNoLimit && pacer_.has_memory_limit(); }

// Free heap pages the scavenger should return now: what the heap retains beyond the goal
// gcPaceScavenger set, or mapped memory beyond the limit's share (1.22+; see the factor).
double ObjectLevel::scavenge_excess() const {
  const MemoryClasses m = memory();
  double excess = m.heap_objects + m.heap_unused + m.heap_free - retained_goal_;
  if (limited()) {
    excess = std::max(excess, m.mapped_ready() - static_cast<double>(pacer_.state().memory_limit) * memory_limit_scav_factor_);
  }
  return std::min(excess, m.heap_free);
}

// The background scavenger: 1 % of GOMAXPROCS, on idle Ps first, releasing free pages
// (highest addresses first) while there is excess. Each run of free pages it releases costs
// scavenge_ns_per_call per madvise call (64 KiB or a 2 MiB huge page each) and
// scavenge_ns_per_byte per byte (models/costs.md).
void ObjectLevel::background_scavenge(double wall, const Split& w) {
  if (retained_goal_ >= 1e299 && !limited()) return;  // no goal yet (before the first cycle)
  const double excess = scavenge_excess();
  const double page = kPageBytes;
  if (excess < page) {
    scav_credit_ns_ = 0;
    scav_run_left_ns_ = 0;  // the run stops: nothing to do
    return;
  }
  // Its sleeps hold it to 1 % of GOMAXPROCS, but the end of a sweep wakes it for a run of
  // 1 ms on a P (as the fluid level).
  const double run = std::min(wall, scav_run_left_ns_);
  scav_run_left_ns_ -= run;
  scav_credit_ns_ += run + (wall - run) * 0.01 * procs_;
  // What the credit buys if the free pages lie in runs of their mean length; the runs
  // actually released are what it pays.
  PageHeap& heap = alloc_.page_heap();
  const double runs = static_cast<double>(std::max<std::uint64_t>(1, heap.free_runs()));
  const double per_byte = scavenge_ns_per_released_byte(sc_.costs, static_cast<double>(heap.stats().pages_free) * page / runs);
  // It asks for 64 KiB at a time (scavengeQuantum): wait until the credit buys that much.
  const double bytes = std::min(scav_credit_ns_ / per_byte, excess);  // < 0 while in debt
  if (bytes < std::max(page, std::min(kScavengeQuantumBytes, excess))) return;
  const auto pages = static_cast<std::uint64_t>(bytes / page);
  const Scavenged done = heap.scavenge(pages);
  double cost = 0;
  for (const std::uint64_t run_pages : done.runs) {
    const double run_bytes = static_cast<double>(run_pages) * page;
    cost += run_bytes * scavenge_ns_per_released_byte(sc_.costs, run_bytes);
  }
  scav_credit_ns_ = done.pages < pages ? 0 : scav_credit_ns_ - cost;
  const double from_idle = std::min(cost, (procs_ - w.program - w.background()) * wall);
  cpu_.idle_ns -= from_idle;
  cpu_.scavenge_ns += from_idle;
  if (cost > from_idle) {
    cpu_.scavenge_ns += cost - from_idle;
    stall(cost - from_idle);
  }
}

// The page heap just grew: the allocating goroutine scavenges what the heap now retains
// beyond the retained goal, up to the growth (mheap.grow), as the fluid level does.
void ObjectLevel::scavenge_on_growth() {
  const std::uint64_t now_grown = alloc_.page_heap().stats().grown_pages;
  const double growth = static_cast<double>((now_grown - grown_pages_) * kPageBytes);
  grown_pages_ = now_grown;
  const MemoryClasses m = memory();
  const double over = std::min({growth, m.heap_objects + m.heap_unused + m.heap_free - retained_goal_, m.heap_free});
  if (over < static_cast<double>(kPageBytes)) return;
  program_scavenges(static_cast<std::uint64_t>(over / static_cast<double>(kPageBytes)));
}

// The allocating goroutine releases up to `pages` free pages itself, with its own CPU, and
// will fault them back in when they are used again (sync_scavenge_ns_per_byte covers both).
void ObjectLevel::program_scavenges(std::uint64_t pages) {
  const std::uint64_t released = alloc_.page_heap().scavenge(pages).pages;
  const double cost = static_cast<double>(released * kPageBytes) * sc_.costs.sync_scavenge_ns_per_byte;
  if (cost <= 0) return;
  cpu_.scavenge_ns += cost;
  stall(cost);
}

// Over the memory limit after an allocation: the allocating goroutine scavenges the excess
// itself (mheap.grow / allocSpan under the limit), unless the CPU limiter is on.
void ObjectLevel::scavenge_over_limit() {
  const MemoryClasses m = memory();
  const double over = std::min(m.mapped_ready() - static_cast<double>(pacer_.state().memory_limit), m.heap_free);
  if (over <= 0) return;  // within the limit, or nothing free to return
  program_scavenges(static_cast<std::uint64_t>(std::ceil(over / static_cast<double>(kPageBytes))));
}

// How the Ps are used now. Outside a mark the program takes what it wants. During one, the
// pacer's dedicated workers and fractional goal come first (Go 1.19 startCycle), the program
// runs on what they leave, and up to max_idle_mark_workers of the Ps still idle mark too
// (findRunnableGCWorker's idle mode), as at the fluid level.
ObjectLevel::Split ObjectLevel::plan_split() const {
  Split w;
  if (!marking_) {
    w.program = std::min(mutator_cpus_, static_cast<double>(procs_));
    return w;
  }
  const auto& s = pacer_.state();
  w.dedicated = static_cast<double>(s.dedicated_mark_workers_needed);
  w.fractional = s.fractional_utilization_goal * procs_;
  const double avail = std::max(0.0, procs_ - w.dedicated - w.fractional);
  w.program = std::min(mutator_cpus_, avail);
  w.idle = std::min(avail - w.program, static_cast<double>(std::max(0, s.max_idle_mark_workers)));
  return w;
}

// The trigger tested on every allocation outside a mark. Without a memory limit nothing it
// depends on moves between the pacer calls that invalidate it; with one, it follows mapped
// memory and is asked for every time.
std::uint64_t ObjectLevel::trigger() {
  if (!trigger_valid_ || limited()) {
    trigger_ = pacer_.trigger().trigger;
    trigger_valid_ = !limited();
  }
  return trigger_;
}

// CPU of `wall` ns of running with `program` Ps on the program (fewer than split()'s while
// it assists): the background workers as split() has them, the rest idle. Every class
// together is GOMAXPROCS x wall.
void ObjectLevel::account(double wall, double program, bool program_marks) {
  const Split& w = split();
  // Mutator utilization as go tool trace counts it: the Ps not doing GC work (marking,
  // assisting), from now on.
  utilization(1 - (w.background() + (program_marks ? w.program : 0.0)) / procs_);
  cpu_.mutator_ns += program * wall;
  cpu_.gc_mark_dedicated_ns += w.dedicated * wall;
  cpu_.gc_mark_fractional_ns += w.fractional * wall;
  cpu_.gc_mark_idle_ns += w.idle * wall;
  cpu_.idle_ns += (procs_ - w.program - w.background()) * wall;
  dedicated_ns_ += w.dedicated * wall;
  fractional_ns_ += w.fractional * wall;
  idle_mark_ns_ += w.idle * wall;
  limiter_idle_acc_ += (procs_ - w.program - w.dedicated - w.fractional) * wall;  // idle Ps and idle marking
}

// Utilization changes with every assist here (each allocation pays its own, a few µs; Go's
// goroutines assist in chunks of 64 KiB of work, ~150 µs), so it is reported as the mean of
// each 10 µs bucket: MMU changes by at most 10 µs / window (1 % at 1 ms), and the points stay
// few enough for the MMU curve's O(points) per window.
void ObjectLevel::utilization(double u) {
  const double t = wall_ns();
  // The same value inside the open bucket: nothing to do until it changes or the bucket ends
  // (the area since util_t_ is added then).
  if (u == util_u_ && t < util_bucket_ns_ + kUtilBucketNs) return;
  while (t >= util_bucket_ns_ + kUtilBucketNs) {  // close the bucket the last value ran into
    util_area_ += util_u_ * (util_bucket_ns_ + kUtilBucketNs - util_t_);
    emit_utilization(static_cast<std::int64_t>(util_bucket_ns_), util_area_ / kUtilBucketNs);
    util_bucket_ns_ += kUtilBucketNs;
    util_t_ = util_bucket_ns_;
    util_area_ = 0;
    if (t >= util_bucket_ns_ + kUtilBucketNs) {  // whole buckets at the same value
      emit_utilization(static_cast<std::int64_t>(util_bucket_ns_), util_u_);
      util_bucket_ns_ = std::floor(t / kUtilBucketNs) * kUtilBucketNs;
      util_t_ = util_bucket_ns_;
    }
  }
  util_area_ += util_u_ * (t - util_t_);
  util_t_ = t;
  util_u_ = u;
}

void ObjectLevel::emit_utilization(std::int64_t t_ns, double u) {
  if (u == last_utilization_) return;
  last_utilization_ = u;
  obs_.on_utilization(t_ns, u);
}

// Hands whole nanoseconds of assist and idle time to the limiter (it counts in int64 ns) and
// updates it when a mark has gone 10 ms without an update.
void ObjectLevel::feed_limiter() {
  if (!use_limiter_) return;
  const auto assist = static_cast<std::int64_t>(limiter_assist_acc_);
  const auto idle = static_cast<std::int64_t>(limiter_idle_acc_);
  limiter_.add_assist_time(assist);
  limiter_.add_idle_time(idle);
  limiter_assist_acc_ -= static_cast<double>(assist);
  limiter_idle_acc_ -= static_cast<double>(idle);
  if (marking_ && limiter_.need_update(now_ns())) limiter_.update(now_ns());
  if (marking_ && limiter_.limiting()) cur_.limiter_on = true;
}

// gcAssistAlloc: the program's allocation credit (gcAssistBytes) went negative. The debt,
// in scan work, is rounded up to gcOverAssistWork (64 KiB) so that assists come in chunks
// and leave credit for the allocations after; it is paid first from the background
// workers' credit pool (bgScanCredit), the rest by marking.
void ObjectLevel::gc_assist_alloc() {
  const double per_byte = pacer_.state().assist_work_per_byte;  // assistWorkPerByte
  double debt_bytes = -assist_bytes_;
  double work = per_byte * debt_bytes;
  if (work < kOverAssistWork) {
    work = kOverAssistWork;
    debt_bytes = work / per_byte;  // assistBytesPerWork x scanWork
  }
  const double stolen = std::min(work, bg_scan_credit_bytes_);
  bg_scan_credit_bytes_ -= stolen;
  if (stolen >= work) {
    assist_bytes_ += debt_bytes;
    return;
  }
  assist_bytes_ += stolen / per_byte;
  const Work w = mark_work(work - stolen, kUnlimited);
  assist(w.ns);
  assist_bytes_ += w.bytes / per_byte;
  if (mark_done()) end_mark();
}

// An allocating goroutine marks for `ns` of CPU before its allocation returns: while it does,
// the program's Ps are assisting rather than running it (stall `ns` / their number); the
// background workers keep marking meanwhile.
void ObjectLevel::assist(double ns) {
  const double wall = stall(ns, true);
  cpu_.gc_mark_assist_ns += ns;
  assist_ns_ += ns;
  limiter_assist_acc_ += ns;
  feed_limiter();
  // gcAssistAlloc1 hands its assist time to the controller and updates the limiter once a P
  // has more than gcAssistTimeSlack of it, not only every 10 ms.
  assist_since_update_ns_ += ns;
  if (use_limiter_ && marking_ && assist_since_update_ns_ > kAssistTimeSlackNs) {
    limiter_.update(now_ns());
    assist_since_update_ns_ = 0;
    if (limiter_.limiting()) cur_.limiter_on = true;
  }
  bg_credit_ns_ += wall * split().background();
}

// A stop-the-world pause of `ns`: every P stopped.
void ObjectLevel::pause(std::int64_t ns) {
  utilization(0);
  cpu_.gc_pause_ns += static_cast<double>(ns) * procs_;
  stall_ns_ += static_cast<double>(ns);
}

ObjectId ObjectLevel::id_of(std::uint32_t trace_id) const {
  const ObjectId id = ids_.find(trace_id);
  if (id == kNil) throw InputError("object " + std::to_string(trace_id) + " was never allocated or has died");
  return id;
}

void ObjectLevel::IdMap::set(std::uint32_t trace_id, ObjectId id) {
  if (trace_id < kDenseLimit) {
    if (trace_id >= dense_.size()) {
      if (id == kNil) return;
      dense_.resize(std::clamp<std::size_t>(dense_.size() * 2, trace_id + 1, kDenseLimit), kNil);
    }
    dense_[trace_id] = id;
  } else if (id == kNil) {
    sparse_.erase(trace_id);
  } else {
    sparse_[trace_id] = id;
  }
}

void ObjectLevel::add_root(ObjectId id) {
  if (root_refs_[id]++ > 0) return;
  root_pos_[id] = static_cast<std::uint32_t>(roots_.size());
  roots_.push_back(id);
}

// Removes one reference (or all); the last one leaves roots_ by swapping with its end.
void ObjectLevel::drop_root(ObjectId id, bool all) {
  if (root_refs_[id] == 0) return;
  root_refs_[id] = all ? 0 : root_refs_[id] - 1;
  if (root_refs_[id] > 0) return;
  const ObjectId last = roots_.back();
  roots_[root_pos_[id]] = last;
  root_pos_[last] = root_pos_[id];
  roots_.pop_back();
}

void ObjectLevel::apply(const TraceRecord& r) {
  auto& s = pacer_.state();
  switch (r.kind) {
    case TraceKind::alloc: {
      const bool noscan = (r.flags & TraceRecord::kNoscan) != 0;
      // Pointer-free objects under 16 B share 16 B tiny blocks (the allocator packs them);
      // a block's slot is freed when the last object in it is swept.
      const int p = static_cast<int>(end_.allocated_objects) % procs_;
      const ObjectRef slot = alloc_.alloc(std::max<std::uint32_t>(r.x, 1), noscan, p);
      if (slot.tiny) ++tiny_live_[tiny_key(slot)];
      const ObjectId id = store_.add(r.x, r.y, noscan, slot);
      if (trace_id_.size() <= id) {
        trace_id_.resize(id + 1);
        root_refs_.resize(id + 1, 0);
        root_pos_.resize(id + 1, 0);
      }
      trace_id_[id] = r.object;
      ids_.set(r.object, id);
      if (r.flags & TraceRecord::kRoot) add_root(id);
      end_.allocated_bytes += static_cast<double>(r.x);
      end_.allocated_objects += 1;
      if (sweep_pages_left_ > 0) {
        // deductSweepCredit: allocation keeps sweeping ahead of the pace gcPaceSweeper set.
        sweep_alloc_bytes_ += static_cast<double>(r.x);
        const double owed = sweep_alloc_bytes_ * sweep_pages_per_byte_ - sweep_pages_done_;
        if (owed >= 1) {
          sweep_pages(owed);
          program_sweeps();
        }
      }
      pacer_.update(static_cast<std::int64_t>(alloc_.counters().heap_live) - static_cast<std::int64_t>(s.heap_live),
                    noscan || s.gc_running ? 0 : static_cast<std::int64_t>(r.x));
      end_.peak_heap_live = std::max(end_.peak_heap_live, s.heap_live);
      if (alloc_.page_heap().stats().grown_pages > grown_pages_) scavenge_on_growth();
      if (alloc_.heap_in_use_bytes() > end_.peak_heap_in_use) {  // a new memory peak
        end_.peak_heap_in_use = alloc_.heap_in_use_bytes();
        note_peak_memory(memory());
      }
      if (marking_) {
        marker_.allocated(id);
        // mallocgc charges the slot (a tiny object: its own size) to the goroutine's credit.
        assist_bytes_ -= slot.tiny ? static_cast<double>(r.x) : static_cast<double>(alloc_.span(slot.span).elem_bytes);
        if (assist_bytes_ < 0 && !limiting() && s.assist_work_per_byte > 0 && !mark_done()) gc_assist_alloc();
      } else {
        if (limited()) sync_memory();  // the limit's goal follows mapped memory
        if (s.heap_live >= trigger()) start_cycle(TriggerKind::heap);
      }
      if (limited() && !limiting()) scavenge_over_limit();
      break;
    }
    case TraceKind::write: {
      const ObjectId src = id_of(r.object);
      if (r.x >= store_[src].fields) {
        throw InputError("write: object " + std::to_string(r.object) + " has " + std::to_string(store_[src].fields) +
                         " pointer fields, not field " + std::to_string(r.x));
      }
      marker_.write(src, r.x, r.y == kTraceNil ? kNil : id_of(r.y));
      break;
    }
    case TraceKind::root: {
      const ObjectId id = id_of(r.object);
      add_root(id);
      // A stack that takes a pointer during mark got it from somewhere already shaded or
      // about to be; shading it here is what the hybrid barrier guarantees for stacks.
      if (marking_) marker_.shade(id);
      break;
    }
    case TraceKind::unlink: drop_root(id_of(r.object), false); break;
    case TraceKind::death: {
      const ObjectId id = id_of(r.object);
      drop_root(id, true);
      ids_.erase(r.object);  // the trace may reuse the id for a new object
      break;
    }
    case TraceKind::gc:
      if (!marking_) start_cycle(TriggerKind::user_forced);
      break;
    case TraceKind::gogc:
      pacer_.set_gc_percent(r.x == 0xFFFFFFFFu ? -1 : static_cast<std::int64_t>(r.x));
      pacer_.commit(false);
      trigger_valid_ = false;
      break;
    case TraceKind::limit: {
      const std::uint64_t bytes = (static_cast<std::uint64_t>(r.y) << 32) | r.x;
      pacer_.set_memory_limit(bytes == kTraceNoLimit ? kNoLimit : static_cast<std::int64_t>(std::min<std::uint64_t>(bytes, kNoLimit)));
      pacer_.commit(false);
      trigger_valid_ = false;
      break;
    }
  }
}

void ObjectLevel::start_cycle(TriggerKind kind) {
  // gcStart: the goroutine that triggers the cycle first sweeps what is left.
  sweep_pages(sweep_pages_left_);
  program_sweeps();
  const auto now = static_cast<std::int64_t>(wall_ns());
  ++cycles_;
  cur_ = begin_cycle_record(cycles_, kind, now, pacer_, procs_);
  const std::int64_t pause = stw_pause_ns(sc_.costs, sc_.costs.sweep_term_ns, procs_, pause_rng_);
  cur_.sweep_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::sweep_termination, now, pause});
  feed_limiter();
  if (use_limiter_) limiter_.start_gc_transition(true, now_ns());
  this->pause(pause);
  if (use_limiter_) limiter_.finish_gc_transition(now_ns());
  marking_ = true;
  split_ = plan_split();  // the pacer planned this cycle's workers in start_cycle
  trigger_valid_ = false;
  mark_start_ns_ = wall_ns();
  bg_credit_ns_ = 0;
  bg_scan_credit_bytes_ = 0;
  assist_bytes_ = 0;  // gcResetMarkState
  fixed_work_left_ns_ = static_cast<double>(sc_.costs.mark_fixed_ns);
  assist_ns_ = dedicated_ns_ = fractional_ns_ = idle_mark_ns_ = 0;
  marker_.begin(roots_);
  stack_work_left_ = stack_scan_bytes_;
  globals_work_left_ = static_cast<double>(sc_.memory.globals_bytes);
  if (sc_.output.reachability) cur_.live_bytes_at_start = reachable_bytes();
  if (mark_done()) end_mark();
}

void ObjectLevel::end_mark() {
  auto& s = pacer_.state();
  const auto now = static_cast<std::int64_t>(wall_ns());
  cur_.mark_wall_ns = now - static_cast<std::int64_t>(mark_start_ns_);
  s.heap_scan_work = static_cast<std::int64_t>(marker_.stats().scan_work_bytes);
  s.stack_scan_work = std::llround(stack_scan_bytes_ - stack_work_left_);
  s.globals_scan_work = std::llround(static_cast<double>(sc_.memory.globals_bytes) - globals_work_left_);
  const MarkCpu mark{assist_ns_, dedicated_ns_, fractional_ns_, idle_mark_ns_};
  set_mark_time(s, mark);
  pacer_.end_cycle(now, procs_, cur_.trigger_kind == TriggerKind::user_forced);
  marker_.finish();
  if (verify_) verify_marking();
  if (sc_.output.reachability) reachable_bytes(&cur_.floating_garbage_bytes);
  end_cycle_record(cur_, s, mark);
  cur_.marked_objects = static_cast<double>(marker_.stats().marked_objects);
  alloc_.flush_mcaches();
  heap_in_use_at_mark_ = static_cast<double>(alloc_.heap_in_use_bytes());
  const double dead_bytes = prepare_sweep();
  cur_.sweep_pages = sweep_pages_left_;
  const auto marked = alloc_.counters().heap_alloc - static_cast<std::uint64_t>(dead_bytes);  // the marked slots
  pacer_.reset_live(marked);
  alloc_.set_heap_live(s.heap_live);
  cur_.heap_marked = s.heap_marked;
  cur_.stacks_bytes = pacer_.trace_stacks_bytes();
  const std::int64_t pause = stw_pause_ns(sc_.costs, sc_.costs.mark_term_ns, procs_, pause_rng_);
  cur_.mark_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::mark_termination, now, pause});
  cur_.limiter_on = cur_.limiter_on || limiting();
  feed_limiter();
  if (use_limiter_) limiter_.start_gc_transition(false, now_ns());
  this->pause(pause);
  if (use_limiter_) limiter_.finish_gc_transition(now_ns());
  pacer_.commit(false);
  // gcPaceSweeper: every page in use swept before heap_live reaches the trigger (less 1 MiB
  // of slack): allocation owes sweep_pages_per_byte pages per byte.
  const double distance = std::max(8192.0, static_cast<double>(pacer_.trigger().trigger) -
                                               static_cast<double>(s.heap_live) - 1048576.0);
  sweep_pages_per_byte_ = sweep_pages_left_ / distance;
  // gcPaceScavenger: keep the heap retained within 10 % of what the new goal implies.
  if (s.last_heap_goal > 0) {
    const double g = heap_in_use_at_mark_ * (static_cast<double>(pacer_.heap_goal()) / static_cast<double>(s.last_heap_goal));
    retained_goal_ = g + g / 10;  // retainExtraPercent = 10
  }
  sweep_alloc_bytes_ = sweep_pages_done_ = 0;
  cur_.sweep_term_cpu_ns = static_cast<double>(cur_.sweep_term_wall_ns) * procs_;
  cur_.mark_term_cpu_ns = static_cast<double>(cur_.mark_term_wall_ns) * procs_;
  gc_trace_cpu_ns_ += cur_.sweep_term_cpu_ns + cur_.assist_cpu_ns + cur_.dedicated_cpu_ns + cur_.fractional_cpu_ns +
                      cur_.mark_term_cpu_ns;
  const double wall = wall_ns();
  cur_.gc_cpu_fraction = wall > 0 ? gc_trace_cpu_ns_ / (wall * procs_) : 0;
  marking_ = false;
  split_ = plan_split();
  trigger_valid_ = false;
  obs_.on_cycle(cur_);
}

// Mark termination: every span in use becomes unswept, and each white object is queued on
// its span for the sweep that frees it (a tiny block's slot with its last object). Returns
// the bytes of the slots that will be freed; heap_marked is what the heap holds less these.
double ObjectLevel::prepare_sweep() {
  const std::size_t n = alloc_.span_ids();
  dead_in_span_.resize(n);
  unswept_.assign(n, 0);
  sweep_queue_.clear();
  sweep_next_ = 0;
  for (auto& c : unswept_by_class_) c.clear();
  sweep_pages_left_ = 0;
  for (SpanId id = 0; id < n; ++id) {
    const Span& sp = alloc_.span(id);
    if (!sp.in_use) continue;
    unswept_[id] = 1;
    sweep_queue_.push_back(id);
    sweep_pages_left_ += sp.npages;
    if (sp.size_class != 0) unswept_by_class_[static_cast<std::size_t>(sp.size_class * 2 + (sp.noscan ? 1 : 0))].push_back(id);
  }
  double dead_bytes = 0;
  for (ObjectId id = 0; id < store_.capacity(); ++id) {
    const ObjectRecord& r = store_[id];
    if (!r.live || r.color != Color::white) continue;
    if (root_refs_[id] > 0) throw std::logic_error("object level: a root holds an unmarked object");
    if (ids_.find(trace_id_[id]) == id) ids_.erase(trace_id_[id]);  // no record may name it again
    bool frees_slot = true;
    if (r.slot.tiny) {
      auto it = tiny_live_.find(tiny_key(r.slot));
      frees_slot = --it->second == 0;
      if (frees_slot) tiny_live_.erase(it);
    }
    if (frees_slot) dead_bytes += alloc_.span(r.slot.span).elem_bytes;
    dead_in_span_[r.slot.span].push_back({id, frees_slot});
  }
  return dead_bytes;
}

// Sweeps span `id` if it is still unswept: its dead objects' slots are freed (the span goes
// back to its partial list, or its pages to the page heap when nothing in it lives). Returns
// the span's pages (0 if it was swept already); `freed_slots` and `released_pages` report
// what it gave back.
std::uint64_t ObjectLevel::sweep_span(SpanId id, std::uint64_t* freed_slots, std::uint64_t* released_pages) {
  if (id >= unswept_.size() || !unswept_[id]) return 0;
  unswept_[id] = 0;
  const std::uint64_t pages = alloc_.span(id).npages;
  std::uint64_t freed = 0;
  for (const Dead& d : dead_in_span_[id]) {
    if (d.frees_slot) {
      alloc_.free_object(store_[d.id].slot);
      ++freed;
    }
    store_.remove(d.id);
  }
  std::vector<Dead>().swap(dead_in_span_[id]);
  if (freed_slots) *freed_slots += freed;
  if (released_pages && !alloc_.span(id).in_use) *released_pages += pages;
  const bool was_left = sweep_pages_left_ > 0;
  sweep_pages_left_ -= static_cast<double>(pages);
  sweep_pages_done_ += static_cast<double>(pages);
  // The last sweeper wakes the scavenger, parked or asleep: it works a run at once.
  if (was_left && sweep_pages_left_ <= 0) scav_run_left_ns_ = kMinScavWorkNs;
  spans_unpaid_ += 1;
  return pages;
}

// Sweeps spans in order until `pages` pages are swept (the last span may overshoot) or none
// is left; whoever swept pays for the spans (spans_unpaid_).
void ObjectLevel::sweep_pages(double pages) {
  for (double done = 0; done < pages && sweep_next_ < sweep_queue_.size();) {
    done += static_cast<double>(sweep_span(sweep_queue_[sweep_next_++], nullptr, nullptr));
  }
}

// The allocator would grow the heap: sweep first, as mcentral.cacheSpan (spans of the same
// class until one frees a slot) and mheap.reclaim (until enough pages are free) do. The
// allocating goroutine pays.
void ObjectLevel::reclaim(int span_class, std::uint64_t npages) {
  if (sweep_pages_left_ <= 0) return;
  if (span_class >= 0) {
    auto& mine = unswept_by_class_[static_cast<std::size_t>(span_class)];
    std::uint64_t freed = 0;
    while (freed == 0 && !mine.empty()) {
      const SpanId id = mine.back();
      mine.pop_back();
      sweep_span(id, &freed, nullptr);
    }
  } else {
    std::uint64_t released = 0;
    while (released < npages && sweep_next_ < sweep_queue_.size()) sweep_span(sweep_queue_[sweep_next_++], nullptr, &released);
  }
  program_sweeps();
}

// A span a P is about to cache is swept first (mcentral.cacheSpan), by the program.
void ObjectLevel::sweep_before_use(SpanId id) {
  sweep_span(id, nullptr, nullptr);
  program_sweeps();
}

// The program's goroutines paid for the spans swept since the last call (proportional
// sweeping, reclaim, or the sweep a GC start finishes): their CPU, stalling the program as an
// assist does.
void ObjectLevel::program_sweeps() {
  const double ns = spans_unpaid_ * sc_.costs.sweep_ns_per_span;
  spans_unpaid_ = 0;
  if (ns <= 0) return;
  cpu_.sweep_ns += ns;
  stall(ns);
}

// `cpu_ns` of the program's CPU go to GC work (assists: `marking_work`; sweeping,
// scavenging): its Ps do it instead of running it (a stall of cpu_ns / their number), while
// everything else goes on. Returns the stall's wall time.
double ObjectLevel::stall(double cpu_ns, bool marking_work) {
  const double wall = cpu_ns / split().program;
  account(wall, 0, marking_work);
  stall_ns_ += wall;
  return wall;
}

void ObjectLevel::verify_marking() const {
  const std::vector<bool> seen = reachable();
  for (ObjectId id = 0; id < store_.capacity(); ++id) {
    if (seen[id] && store_[id].color != Color::black) {
      throw std::logic_error("object level: object " + std::to_string(id) + " is reachable but not marked");
    }
  }
}

std::vector<bool> ObjectLevel::reachable() const {
  std::vector<bool> seen(store_.capacity(), false);
  struct Visit : boost::default_bfs_visitor {
    std::vector<bool>* seen;
    void discover_vertex(ObjectId v, const ObjectStore&) const { (*seen)[v] = true; }
  } vis;
  vis.seen = &seen;
  if (!roots_.empty()) {
    boost::two_bit_color_map<boost::identity_property_map> colors(store_.capacity());
    boost::queue<ObjectId> q;
    boost::breadth_first_search(store_, roots_.begin(), roots_.end(), q, vis, colors);
  }
  return seen;
}

double ObjectLevel::reachable_bytes(double* floating) const {
  const std::vector<bool> seen = reachable();
  double live = 0, dead_marked = 0;
  for (ObjectId id = 0; id < store_.capacity(); ++id) {
    const ObjectRecord& r = store_[id];
    if (!r.live) continue;
    if (seen[id]) live += r.size_bytes;
    else if (r.color == Color::black) dead_marked += r.size_bytes;
  }
  if (floating) *floating = dead_marked;
  return live;
}

void ObjectLevel::take_sample() {
  const auto& s = pacer_.state();
  Sample x;
  x.t_ns = static_cast<std::int64_t>(wall_ns());
  x.mutator_ns = mutator_ns_;
  x.heap_live = s.heap_live;
  x.heap_live_max = s.heap_live;
  x.heap_goal = pacer_.heap_goal();
  x.trigger = pacer_.trigger().trigger;
  x.heap_alloc = alloc_.counters().heap_alloc;
  x.heap_in_use = alloc_.heap_in_use_bytes();
  x.memory_limit = s.memory_limit;
  x.phase = marking_ ? GcPhase::mark : GcPhase::off;
  x.limiter_on = limiting();
  x.cpu = cpu_;
  // Memory as the runtime maps it; RSS adds the binary's globals, as at the fluid level.
  const MemoryClasses m = memory();
  x.heap_free = static_cast<std::uint64_t>(m.heap_free);
  x.heap_released = static_cast<std::uint64_t>(m.heap_released);
  x.heap_unused = static_cast<std::uint64_t>(m.heap_unused);
  x.mapped_ready = static_cast<std::uint64_t>(m.mapped_ready());
  x.rss = x.mapped_ready + sc_.memory.globals_bytes;
  x.rss_max = x.rss;
  note_peak_memory(m);
  obs_.on_sample(x);
}

void ObjectLevel::note_peak_memory(const MemoryClasses& m) {
  const auto mapped = static_cast<std::uint64_t>(m.mapped_ready());
  end_.peak_mapped_ready = std::max(end_.peak_mapped_ready, mapped);
  end_.peak_rss = std::max(end_.peak_rss, mapped + sc_.memory.globals_bytes);
}

}  // namespace gogcsim
