// The future event list: events ordered by (time, priority, sequence).
//
// The sequence number increases with every schedule() call, so events at the same time and
// priority come out first-in-first-out and a run never depends on heap internals (SimPy
// core.py, ns-3 EventKey). Cancellation is lazy (ns-3): cancel() marks the id, and pop()
// drops marked events when they reach the front, so cancelling is O(1) and the heap is
// never searched.
//
// Events are fixed-size and trivially copyable; a 4-ary implicit heap keeps the queue's hot
// path free of allocation after warm-up.
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "sim/time.hpp"

namespace gogcsim {

/// Identifies one scheduled event; equal to its sequence number (never reused).
using EventId = std::uint64_t;

struct Event {
  Ns time{0};              ///< When it fires (simulated wall time).
  std::int32_t priority;   ///< Lower fires first among events at the same time.
  std::uint32_t kind;      ///< What happens; meaning is the handler's.
  EventId id;              ///< Sequence number: FIFO among equal (time, priority).
  std::uint64_t payload;   ///< Handler-defined argument.
};
static_assert(std::is_trivially_copyable_v<Event>);

class EventQueue {
 public:
  /// Adds an event and returns its id (the next sequence number).
  EventId push(Ns time, std::int32_t priority, std::uint32_t kind, std::uint64_t payload = 0);
  /// Marks an event as cancelled; it is dropped when it reaches the front. Unknown or already
  /// fired ids are ignored.
  void cancel(EventId id);
  /// The next live event, without removing it.
  std::optional<Event> peek();
  /// Removes and returns the next live event; nullopt if none is left.
  std::optional<Event> pop();
  /// Live and cancelled-but-not-yet-dropped events.
  std::size_t size() const { return heap_.size(); }
  bool empty() { return !peek().has_value(); }

 private:
  static bool before(const Event& a, const Event& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.id < b.id;
  }
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void pop_front();
  bool is_cancelled(EventId id) const;
  void drop_cancelled_front();

  std::vector<Event> heap_;
  std::vector<EventId> cancelled_;  ///< Sorted ascending would cost; kept small and scanned.
  EventId next_id_ = 0;
};

}  // namespace gogcsim
