// Random number streams, one per model component, split from the scenario seed.
//
// Each stream is seeded from (scenario seed, stream name) through SplitMix64, so adding a
// new stream or drawing more numbers in one component never changes another component's
// numbers — a run stays comparable when a model changes elsewhere. The generator is
// xoshiro256** (Blackman & Vigna): fast, 256-bit state, and its output is specified exactly,
// so runs are byte-identical across compilers and standard libraries (unlike the
// distributions in <random>, whose algorithms are implementation-defined).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace gogcsim {

class RngStream {
 public:
  RngStream(std::uint64_t seed, std::string_view stream_name);

  /// Uniform 64-bit integer.
  std::uint64_t next_u64();
  /// Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1]: safe for log().
  double uniform_open0() { return 1.0 - uniform(); }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log(uniform_open0()); }
  /// Standard normal (Box–Muller; one value per call, the pair's second is dropped so the
  /// stream position depends only on the number of calls).
  double normal();
  /// Lognormal with the given median and shape sigma (median * exp(sigma * N(0,1))).
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

 private:
  std::uint64_t s_[4];
};

/// SplitMix64 step: used for seeding and for hashing stream names.
std::uint64_t splitmix64(std::uint64_t& state);

}  // namespace gogcsim
