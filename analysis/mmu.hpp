// Minimum mutator utilization (MMU): for a window size w, the lowest fraction of the Ps that
// ran the program (not GC) over any window of length w in the run — the curve `go tool trace`
// draws (golang.org/x/exp/trace, internal/trace MutatorUtilization: STW, background mark
// workers and assists all count as GC; an idle P is not GC).
//
// Input: a step function u(t), constant from each change point to the next. The minimum over
// window positions of a piecewise-linear integral is reached with a window edge on a change
// point, so only windows starting at a change point or ending at one are evaluated, in
// increasing order with two forward-only cursors: O(n) per window size.
#pragma once

#include <cstdint>
#include <vector>

namespace gogcsim {

struct UtilPoint {
  std::int64_t t_ns;  ///< from here...
  double u;           ///< ...mutator utilization is u (0..1) until the next point
};

/// MMU for one window size over [first point, end_ns).
double mmu(const std::vector<UtilPoint>& util, std::int64_t end_ns, std::int64_t window_ns);

/// MMU for several window sizes, sharing one pass over the change points' integral.
std::vector<double> mmu_many(const std::vector<UtilPoint>& util, std::int64_t end_ns,
                             const std::vector<std::int64_t>& windows_ns);

struct MmuPoint {
  std::int64_t window_ns;
  double mmu;
};
/// The curve at log-spaced windows from `min_window_ns` to the run length (10 per decade).
std::vector<MmuPoint> mmu_curve(const std::vector<UtilPoint>& util, std::int64_t end_ns,
                                std::int64_t min_window_ns = 100'000);

}  // namespace gogcsim
