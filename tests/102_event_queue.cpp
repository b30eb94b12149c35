#include <doctest/doctest.h>

#include <vector>

#include "sim/event_queue.hpp"
#include "sim/simulator.hpp"

using namespace gogcsim;

TEST_CASE("events come out by time, then priority, then scheduling order") {
  EventQueue q;
  q.push(Ns(30), 0, 1);
  q.push(Ns(10), 5, 2);
  q.push(Ns(10), 0, 3);
  q.push(Ns(20), 0, 4);
  q.push(Ns(10), 0, 5);  // same time and priority as kind 3: after it (FIFO)
  std::vector<std::uint32_t> order;
  while (auto e = q.pop()) order.push_back(e->kind);
  CHECK(order == std::vector<std::uint32_t>{3, 5, 2, 4, 1});
}

TEST_CASE("a thousand events at the same time fire first-in-first-out") {
  EventQueue q;
  for (std::uint32_t i = 0; i < 1000; ++i) q.push(Ns(7), 0, i);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    auto e = q.pop();
    REQUIRE(e);
    CHECK(e->kind == i);
  }
  CHECK_FALSE(q.pop());
}

TEST_CASE("cancelled events are dropped lazily and never fire") {
  EventQueue q;
  auto a = q.push(Ns(1), 0, 1);
  q.push(Ns(2), 0, 2);
  auto c = q.push(Ns(3), 0, 3);
  q.cancel(a);
  q.cancel(c);
  q.cancel(999);  // unknown ids are ignored
  CHECK(q.peek()->kind == 2);
  CHECK(q.pop()->kind == 2);
  CHECK_FALSE(q.pop());
}

namespace {
struct Log : EventHandler {
  std::vector<std::pair<std::int64_t, std::uint32_t>> seen;
  Simulator* sim = nullptr;
  void on_event(const Event& e) override {
    seen.emplace_back(sim->now().count(), e.kind);
    if (e.kind == 1) sim->schedule_in(Ns(5), 9);  // handlers may schedule more
  }
};
}  // namespace

TEST_CASE("the simulator advances now to each event and run_until stops at the horizon") {
  Log log;
  Simulator sim(log);
  log.sim = &sim;
  sim.schedule(Ns(10), 1);
  sim.schedule(Ns(12), 2);
  sim.schedule(Ns(100), 3);
  CHECK(*sim.peek() == Ns(10));
  sim.run_until(Ns(50));
  CHECK(sim.now() == Ns(50));
  CHECK(log.seen == std::vector<std::pair<std::int64_t, std::uint32_t>>{{10, 1}, {12, 2}, {15, 9}});
  CHECK(sim.step());
  CHECK(sim.now() == Ns(100));
  CHECK_FALSE(sim.step());
  CHECK(sim.events_fired() == 4);
  CHECK_THROWS_AS(sim.schedule(Ns(99), 1), std::logic_error);
}
