#include "sim/rng.hpp"

namespace gogcsim {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

RngStream::RngStream(std::uint64_t seed, std::string_view stream_name) {
  // FNV-1a of the name, mixed with the seed; then SplitMix64 fills the state.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : stream_name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  std::uint64_t state = seed ^ h;
  for (auto& s : s_) s = splitmix64(state);
}

namespace {
inline std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t RngStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RngStream::normal() {
  double u1 = uniform_open0();
  double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace gogcsim
