#include "models/collector/object_level.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <stdexcept>

#include "sim/config.hpp"

namespace gogcsim {

ObjectLevel::ObjectLevel(const Scenario& scenario, RecordSource& records, double mutator_cpus, Pacer& pacer,
                         Observer& obs, bool verify)
    : sc_(scenario),
      records_(records),
      mutator_cpus_(mutator_cpus),
      pacer_(pacer),
      obs_(obs),
      verify_(verify),
      procs_(static_cast<int>(scenario.runtime.gomaxprocs)),
      alloc_(procs_, span_layout_for(scenario.go)),
      marker_(store_),
      sample_interval_ns_(scenario.output.sample_interval_ns) {
  pacer_.init(sc_.runtime.gogc, sc_.runtime.gomemlimit);
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
  end_.wall_ns = std::llround(wall_ns());
  // Whole nanoseconds: the rounding is idle time, so the classes still add up exactly.
  cpu_.idle_ns += procs_ * (static_cast<double>(end_.wall_ns) - wall_ns());
  end_.mutator_ns = mutator_ns_;
  end_.events = index;
  end_.final_memory = alloc_.classes(0, 0);
  end_.cpu = cpu_;
  take_sample();
  obs_.on_end(end_);
  return end_;
}

// Mutator time moves to `t`. While marking, the background workers (dedicated, fractional
// and idle, as the pacer planned them) drain at 1/scan_ns_per_byte bytes per ns each and the
// program runs on the Ps they leave (slower if it wanted more); the mark may end, and
// samples fall, on the way.
void ObjectLevel::advance_to(std::uint64_t t) {
  double dt = static_cast<double>(t) - mutator_ns_;  // mutator ns still to run
  while (dt > 0) {
    const Split w = split();
    const double speed = w.program / mutator_cpus_;
    double step = dt / speed;  // wall ns
    const double to_sample = next_sample_ns_ - wall_ns();
    const bool sample = to_sample <= step;
    if (sample) step = std::max(0.0, to_sample);
    if (marking_) {
      const double rate = w.background() / sc_.costs.scan_ns_per_byte;  // bytes per wall ns
      // drain() always finishes the oblet it starts, so it may overshoot the budget; the
      // overshoot is carried as negative credit, so marking never runs faster than `rate`.
      const double avail = bg_credit_bytes_ + step * rate;
      const double done = avail >= 1 ? static_cast<double>(marker_.drain(static_cast<std::uint64_t>(avail))) : 0.0;
      if (marker_.done()) step = std::clamp((done - bg_credit_bytes_) / rate, 0.0, step);
      bg_credit_bytes_ = marker_.done() ? 0 : avail - done;
      pacer_.state().heap_scan_work = static_cast<std::int64_t>(marker_.stats().scan_work_bytes);
      pacer_.update(0, 0);
    }
    account(step, w.program);
    const double ran = std::min(dt, step * speed);
    mutator_ns_ += ran;
    stall_ns_ += step - ran;
    dt -= ran;
    if (marking_ && marker_.done()) {
      end_mark();
    } else if (sample && wall_ns() >= next_sample_ns_ - 0.5) {
      take_sample();
      next_sample_ns_ += static_cast<double>(sample_interval_ns_);
    }
  }
}

// How the Ps are used now. Outside a mark the program takes what it wants. During one, the
// pacer's dedicated workers and fractional goal come first (Go 1.19 startCycle), the program
// runs on what they leave, and up to max_idle_mark_workers of the Ps still idle mark too
// (findRunnableGCWorker's idle mode), as at the fluid level.
ObjectLevel::Split ObjectLevel::split() const {
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

// CPU of `wall` ns of running with `program` Ps on the program (fewer than split()'s while
// it assists): the background workers as split() has them, the rest idle. Every class
// together is GOMAXPROCS x wall.
void ObjectLevel::account(double wall, double program) {
  const Split w = split();
  cpu_.mutator_ns += program * wall;
  cpu_.gc_mark_dedicated_ns += w.dedicated * wall;
  cpu_.gc_mark_fractional_ns += w.fractional * wall;
  cpu_.gc_mark_idle_ns += w.idle * wall;
  cpu_.idle_ns += (procs_ - w.program - w.background()) * wall;
  dedicated_ns_ += w.dedicated * wall;
  fractional_ns_ += w.fractional * wall;
  idle_mark_ns_ += w.idle * wall;
}

// An allocating goroutine marks for `ns` of CPU before its allocation returns: while it does,
// the program's Ps are assisting rather than running it (stall `ns` / their number); the
// background workers keep marking meanwhile.
void ObjectLevel::assist(double ns) {
  const Split w = split();
  const double wall = ns / w.program;
  account(wall, 0);
  cpu_.gc_mark_assist_ns += ns;
  assist_ns_ += ns;
  stall_ns_ += wall;
  bg_credit_bytes_ += wall * w.background() / sc_.costs.scan_ns_per_byte;
}

// A stop-the-world pause of `ns`: every P stopped.
void ObjectLevel::pause(std::int64_t ns) {
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
      pacer_.update(static_cast<std::int64_t>(alloc_.counters().heap_live) - static_cast<std::int64_t>(s.heap_live),
                    noscan || s.gc_running ? 0 : static_cast<std::int64_t>(r.x));
      end_.peak_heap_live = std::max(end_.peak_heap_live, s.heap_live);
      end_.peak_heap_in_use = std::max(end_.peak_heap_in_use, alloc_.heap_in_use_bytes());
      if (marking_) {
        marker_.allocated(id);
        // gcAssistAlloc: this allocation pays for its bytes in scan work before it returns.
        const double debt = static_cast<double>(r.x) * s.assist_work_per_byte;
        if (debt >= 1 && !marker_.done()) {
          const auto done = static_cast<double>(marker_.drain(static_cast<std::uint64_t>(debt)));
          assist(done * sc_.costs.scan_ns_per_byte);
          s.heap_scan_work = static_cast<std::int64_t>(marker_.stats().scan_work_bytes);
          pacer_.update(0, 0);
          if (marker_.done()) end_mark();
        }
      } else if (s.heap_live >= pacer_.trigger().trigger) {
        start_cycle(TriggerKind::heap);
      }
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
      break;
    case TraceKind::limit: {
      const std::uint64_t bytes = (static_cast<std::uint64_t>(r.y) << 32) | r.x;
      pacer_.set_memory_limit(bytes == kTraceNoLimit ? kNoLimit : static_cast<std::int64_t>(std::min<std::uint64_t>(bytes, kNoLimit)));
      pacer_.commit(false);
      break;
    }
  }
}

void ObjectLevel::start_cycle(TriggerKind kind) {
  const auto now = static_cast<std::int64_t>(wall_ns());
  ++cycles_;
  cur_ = begin_cycle_record(cycles_, kind, now, pacer_, procs_);
  const std::int64_t pause = sc_.costs.sweep_term_ns + sc_.costs.stw_per_p_ns * procs_;
  cur_.sweep_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::sweep_termination, now, pause});
  this->pause(pause);
  marking_ = true;
  mark_start_ns_ = wall_ns();
  bg_credit_bytes_ = 0;
  assist_ns_ = dedicated_ns_ = fractional_ns_ = idle_mark_ns_ = 0;
  marker_.begin(roots_);
  if (sc_.output.reachability) cur_.live_bytes_at_start = reachable_bytes();
  if (marker_.done()) end_mark();
}

void ObjectLevel::end_mark() {
  auto& s = pacer_.state();
  const auto now = static_cast<std::int64_t>(wall_ns());
  cur_.mark_wall_ns = now - static_cast<std::int64_t>(mark_start_ns_);
  s.heap_scan_work = static_cast<std::int64_t>(marker_.stats().scan_work_bytes);
  s.stack_scan_work = 0;
  s.globals_scan_work = 0;
  s.assist_time_ns = std::llround(assist_ns_);
  s.dedicated_mark_time_ns = std::llround(dedicated_ns_);
  s.fractional_mark_time_ns = std::llround(fractional_ns_);
  s.idle_mark_time_ns = std::llround(idle_mark_ns_);
  pacer_.end_cycle(now, procs_, cur_.trigger_kind == TriggerKind::user_forced);
  marker_.finish();
  if (verify_) verify_marking();
  if (sc_.output.reachability) reachable_bytes(&cur_.floating_garbage_bytes);
  cur_.heap_peak = s.heap_live;
  cur_.heap_goal = s.last_heap_goal;
  cur_.goal_bound = s.last_heap_goal < s.gc_percent_heap_goal ? GoalBound::memory_limit
                    : s.gc_percent < 0                       ? GoalBound::gogc_off
                                                             : GoalBound::gogc;
  cur_.cons_mark = s.cons_mark;
  cur_.cons_mark_measured = s.last_cons_mark_measured;
  cur_.gc_utilization = s.last_utilization;
  cur_.assist_utilization = s.last_utilization - 0.25;  // gcBackgroundUtilization
  cur_.idle_utilization = s.last_idle_utilization;
  cur_.heap_scan_work = s.heap_scan_work;
  cur_.assist_cpu_ns = assist_ns_;
  cur_.dedicated_cpu_ns = dedicated_ns_;
  cur_.fractional_cpu_ns = fractional_ns_;
  cur_.idle_cpu_ns = idle_mark_ns_;
  cur_.marked_objects = static_cast<double>(marker_.stats().marked_objects);
  sweep();
  alloc_.flush_mcaches();
  const std::uint64_t marked = alloc_.counters().heap_alloc;  // after the sweep: the marked slots
  pacer_.reset_live(marked);
  alloc_.set_heap_live(s.heap_live);
  cur_.heap_marked = s.heap_marked;
  cur_.stacks_bytes = pacer_.trace_stacks_bytes();
  const std::int64_t pause = sc_.costs.mark_term_ns + sc_.costs.stw_per_p_ns * procs_;
  cur_.mark_term_wall_ns = pause;
  obs_.on_pause({cycles_, GcPhase::mark_termination, now, pause});
  this->pause(pause);
  pacer_.commit(false);
  cur_.sweep_term_cpu_ns = static_cast<double>(cur_.sweep_term_wall_ns) * procs_;
  cur_.mark_term_cpu_ns = static_cast<double>(cur_.mark_term_wall_ns) * procs_;
  gc_trace_cpu_ns_ += cur_.sweep_term_cpu_ns + cur_.assist_cpu_ns + cur_.dedicated_cpu_ns + cur_.fractional_cpu_ns +
                      cur_.mark_term_cpu_ns;
  const double wall = wall_ns();
  cur_.gc_cpu_fraction = wall > 0 ? gc_trace_cpu_ns_ / (wall * procs_) : 0;
  marking_ = false;
  obs_.on_cycle(cur_);
}

void ObjectLevel::sweep() {
  for (ObjectId id = 0; id < store_.capacity(); ++id) {
    const ObjectRecord& r = store_[id];
    if (!r.live || r.color != Color::white) continue;
    if (!r.slot.tiny) {
      alloc_.free_object(r.slot);
    } else if (auto it = tiny_live_.find(tiny_key(r.slot)); --it->second == 0) {
      alloc_.free_object(r.slot);
      tiny_live_.erase(it);
    }
    if (ids_.find(trace_id_[id]) == id) ids_.erase(trace_id_[id]);
    if (root_refs_[id] > 0) throw std::logic_error("object level: swept an object a root holds");
    store_.remove(id);
  }
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
  x.cpu = cpu_;
  // Memory as the runtime maps it (the heap only: no stacks or runtime metadata here).
  const MemoryClasses m = alloc_.classes(0, 0);
  x.heap_free = static_cast<std::uint64_t>(m.heap_free);
  x.heap_released = static_cast<std::uint64_t>(m.heap_released);
  x.heap_unused = static_cast<std::uint64_t>(m.heap_unused);
  x.mapped_ready = static_cast<std::uint64_t>(m.mapped_ready());
  x.rss = x.mapped_ready;
  x.rss_max = x.rss;
  end_.peak_rss = std::max(end_.peak_rss, x.rss);
  end_.peak_mapped_ready = std::max(end_.peak_mapped_ready, x.mapped_ready);
  obs_.on_sample(x);
}

}  // namespace gogcsim
