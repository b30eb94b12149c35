// Go's float64 -> integer conversions as the amd64 compiler implements them.
//
// In Go they truncate toward zero; values out of range (and NaN) give 0x8000000000000000
// (CVTTSD2SQ's "integer indefinite"). In C++ an out-of-range conversion is undefined
// behaviour, so every pacer conversion goes through these.
#pragma once

#include <cmath>
#include <cstdint>

namespace gogcsim {

inline std::int64_t go_i64(double x) {
  if (!(x >= -0x1p63 && x < 0x1p63)) return INT64_MIN;
  return static_cast<std::int64_t>(x);
}

inline std::uint64_t go_u64(double x) {
  // Go's uint64(f) on amd64: values below 2^63 convert directly, values in [2^63, 2^64)
  // via subtracting 2^63; anything else is the indefinite integer.
  if (x >= 0 && x < 0x1p63) return static_cast<std::uint64_t>(x);
  if (x >= 0x1p63 && x < 0x1p64) return static_cast<std::uint64_t>(x - 0x1p63) | 0x8000000000000000ULL;
  if (x < 0 && x > -0x1p63) return static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
  return 0x8000000000000000ULL;
}

}  // namespace gogcsim
