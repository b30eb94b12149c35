// The GC CPU limiter against the real Go 1.19 limiter, step by step: every call of
// TestGCCPULimiter (runtime/mgclimit_test.go) replayed in order, with the state after each
// call compared. Truth: tests/real/limiter/gc_cpu_limiter.csv, recorded from the real
// runtime by tests/real/limiter/record.sh.
#include <doctest/doctest.h>

#include <sstream>

#include "models/cpu/limiter.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;

TEST_CASE("TestGCCPULimiter's sequence gives the real limiter's fill, overflow and state at every step") {
  std::istringstream in(read_file(source_path("tests/real/limiter/gc_cpu_limiter.csv")));
  std::string line;
  std::getline(in, line);
  REQUIRE(line.rfind("step,iteration,op,now,enable_gc,assist_time,nprocs,result,fill,capacity,overflow,enabled,"
                     "last_update", 0) == 0);
  GcCpuLimiter l;
  int steps = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::string cell;
    std::istringstream ss(line);
    while (std::getline(ss, cell, ',')) c.push_back(cell);
    CAPTURE(line);
    const std::string& op = c[2];
    auto i64 = [&](int i) { return std::stoll(c[static_cast<std::size_t>(i)]); };
    auto u64 = [&](int i) { return std::stoull(c[static_cast<std::size_t>(i)]); };
    if (op == "new" || op == "resetCapacity") {
      l.reset_capacity(i64(3), static_cast<std::int32_t>(i64(6)));
    } else if (op == "update") {
      l.update(i64(3));
    } else if (op == "needUpdate") {
      CHECK(l.need_update(i64(3)) == (i64(7) == 1));
    } else if (op == "startGCTransition") {
      l.start_gc_transition(i64(4) == 1, i64(3));
    } else if (op == "finishGCTransition") {
      l.finish_gc_transition(i64(3));
    } else if (op == "addAssistTime") {
      l.add_assist_time(i64(5));
    } else {
      FAIL("unknown op " << op);
    }
    CHECK(l.fill() == u64(8));
    CHECK(l.capacity() == u64(9));
    CHECK(l.overflow() == u64(10));
    CHECK(l.limiting() == (i64(11) == 1));
    CHECK(l.last_update_ns() == i64(12));
    CHECK(l.gc_enabled() == (i64(15) == 1));
    ++steps;
  }
  CHECK(steps == 59);
}

TEST_CASE("the limiter engages when GC takes over half of the busy CPU for GOMAXPROCS seconds") {
  // Hand calculation (reference §6): 4 Ps, marking (0.25 counted as GC) plus 2 CPUs of
  // assists: gc = (0.25 + 0.5) of the window, mutator = 0.25: fill grows by 0.5 x 4 CPU-s/s.
  // Capacity 4 CPU-s -> full after 2 s.
  GcCpuLimiter l;
  l.reset_capacity(0, 4);
  l.start_gc_transition(true, 0);
  l.finish_gc_transition(0);
  std::int64_t t = 0;
  while (!l.limiting() && t < 10'000'000'000) {
    t += 10'000'000;
    l.add_assist_time(2 * 10'000'000);
    l.update(t);
  }
  CHECK(t == 2'000'000'000);
}
