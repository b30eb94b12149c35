// Simulated time. Wall time and mutator time are both integer nanoseconds (DESIGN §2):
// a floating-point clock drifts and makes runs depend on the order of additions, an
// integer one does not.
#pragma once

#include <chrono>
#include <cstdint>

namespace gogcsim {

/// A span of simulated time, or a point measured from the start of the simulated process.
using Ns = std::chrono::nanoseconds;

inline constexpr std::int64_t kNsPerUs = 1'000;
inline constexpr std::int64_t kNsPerMs = 1'000'000;
inline constexpr std::int64_t kNsPerS = 1'000'000'000;

/// Largest representable time; used as "never".
inline constexpr Ns kNever = Ns::max();

inline constexpr double to_seconds(Ns t) { return static_cast<double>(t.count()) / 1e9; }

}  // namespace gogcsim
