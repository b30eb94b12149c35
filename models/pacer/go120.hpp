// The Go 1.20 and Go 1.21 pacers: Go 1.19's with cons/mark smoothing changed and (1.21) a
// proportional memory-limit headroom. Details: models/pacer/VERSIONS.md §2–§3.
//
//   1.20  `triggered` is the actual heap_live when the cycle starts (1.19: the precomputed
//         trigger, #53738); cons/mark = (this measurement + the last one) / 2 (#53892);
//         gctrace's "MB stacks" is the stack bytes scanned.
//   1.21  as 1.20, but cons/mark = max(this measurement, the last four) — biased toward
//         starting early, to avoid assist storms (#56966) — and the memory-limit goal keeps
//         max(3 % of it, 1 MiB) of headroom (#57069). Also used for 1.22–1.25, whose pacer
//         math is the same.
#pragma once

#include <array>

#include "models/pacer/go119.hpp"

namespace gogcsim {

class Go120Pacer : public Go119Pacer {
 public:
  std::string go_version() const override { return "1.20"; }
  std::uint64_t trace_stacks_bytes() const override { return s_.last_stack_scan; }

 protected:
  std::uint64_t cycle_trigger() const override { return s_.heap_live; }
  void smooth_cons_mark(double current) override {
    s_.cons_mark = (current + last_cons_mark_) / 2;
    last_cons_mark_ = current;
  }

 private:
  double last_cons_mark_ = 0;
};

class Go121Pacer : public Go120Pacer {
 public:
  std::string go_version() const override { return "1.21"; }

 protected:
  std::uint64_t memory_limit_headroom(std::uint64_t goal) const override {
    const std::uint64_t h = (goal / 100) * 3;  // memoryLimitHeapGoalHeadroomPercent, divide first
    return h < (1 << 20) ? (1 << 20) : h;      // memoryLimitMinHeapGoalHeadroom
  }
  void smooth_cons_mark(double current) override {
    s_.cons_mark = current;
    for (double past : last_cons_mark_) {
      if (past > s_.cons_mark) s_.cons_mark = past;
    }
    for (std::size_t i = 0; i + 1 < last_cons_mark_.size(); ++i) last_cons_mark_[i] = last_cons_mark_[i + 1];
    last_cons_mark_.back() = current;
  }

 private:
  std::array<double, 4> last_cons_mark_{};
};

}  // namespace gogcsim
