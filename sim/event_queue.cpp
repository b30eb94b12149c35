#include "sim/event_queue.hpp"

#include <algorithm>

namespace gogcsim {

namespace {
constexpr std::size_t kArity = 4;
}

EventId EventQueue::push(Ns time, std::int32_t priority, std::uint32_t kind, std::uint64_t payload) {
  EventId id = next_id_++;
  heap_.push_back(Event{time, priority, kind, id, payload});
  sift_up(heap_.size() - 1);
  return id;
}

void EventQueue::cancel(EventId id) {
  if (id >= next_id_) return;
  for (const Event& e : heap_) {
    if (e.id == id) {
      cancelled_.push_back(id);
      return;
    }
  }
}

bool EventQueue::is_cancelled(EventId id) const {
  return std::find(cancelled_.begin(), cancelled_.end(), id) != cancelled_.end();
}

void EventQueue::drop_cancelled_front() {
  while (!cancelled_.empty() && !heap_.empty() && is_cancelled(heap_.front().id)) {
    EventId id = heap_.front().id;
    cancelled_.erase(std::find(cancelled_.begin(), cancelled_.end(), id));
    pop_front();
  }
}

std::optional<Event> EventQueue::peek() {
  drop_cancelled_front();
  if (heap_.empty()) return std::nullopt;
  return heap_.front();
}

std::optional<Event> EventQueue::pop() {
  drop_cancelled_front();
  if (heap_.empty()) return std::nullopt;
  Event e = heap_.front();
  pop_front();
  return e;
}

void EventQueue::pop_front() {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
}

void EventQueue::sift_up(std::size_t i) {
  Event e = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / kArity;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  Event e = heap_[i];
  for (;;) {
    std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    std::size_t last = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < last; ++c) {
      if (before(heap_[c], heap_[best])) best = c;
    }
    if (!before(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

}  // namespace gogcsim
