// The discrete-event loop: a clock, the future event list and one handler.
//
// A SimPy-shaped API (now, schedule, peek, step, run_until). The simulator knows nothing
// about garbage collection: a model implements EventHandler and decides what each event
// kind means. Between two events nothing happens in the engine; models integrate their
// continuous state (allocation, marking, CPU use) over the gap themselves (DESIGN §2).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/event_queue.hpp"
#include "sim/time.hpp"

namespace gogcsim {

/// Receives every event in time order. `now` has already advanced to `e.time`.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void on_event(const Event& e) = 0;
};

class Simulator {
 public:
  explicit Simulator(EventHandler& handler) : handler_(&handler) {}

  /// Current simulated time.
  Ns now() const { return now_; }
  /// Schedules `kind` at absolute time `at` (>= now). Returns an id for cancel().
  EventId schedule(Ns at, std::uint32_t kind, std::int32_t priority = 0, std::uint64_t payload = 0);
  /// Schedules `kind` `delay` after now.
  EventId schedule_in(Ns delay, std::uint32_t kind, std::int32_t priority = 0, std::uint64_t payload = 0) {
    return schedule(now_ + delay, kind, priority, payload);
  }
  void cancel(EventId id) { queue_.cancel(id); }
  /// Time of the next live event, if any.
  std::optional<Ns> peek() {
    auto e = queue_.peek();
    return e ? std::optional<Ns>(e->time) : std::nullopt;
  }
  /// Fires the next event. Returns false if none is left.
  bool step();
  /// Fires every event with time <= `until`, then sets now to `until` (if it is later).
  void run_until(Ns until);
  /// Stops run_until() after the current event.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  /// Events fired so far.
  std::uint64_t events_fired() const { return fired_; }

 private:
  EventHandler* handler_;
  EventQueue queue_;
  Ns now_{0};
  std::uint64_t fired_ = 0;
  bool stopped_ = false;
};

}  // namespace gogcsim
