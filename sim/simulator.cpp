#include "sim/simulator.hpp"

#include <stdexcept>

namespace gogcsim {

EventId Simulator::schedule(Ns at, std::uint32_t kind, std::int32_t priority, std::uint64_t payload) {
  if (at < now_) throw std::logic_error("Simulator::schedule: event in the past");
  return queue_.push(at, priority, kind, payload);
}

bool Simulator::step() {
  auto e = queue_.pop();
  if (!e) return false;
  now_ = e->time;
  ++fired_;
  handler_->on_event(*e);
  return true;
}

void Simulator::run_until(Ns until) {
  stopped_ = false;
  while (!stopped_) {
    auto next = queue_.peek();
    if (!next || next->time > until) break;
    step();
  }
  if (!stopped_ && until > now_) now_ = until;
}

}  // namespace gogcsim
