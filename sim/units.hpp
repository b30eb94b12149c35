// Parsing and printing of quantities with units: sizes, durations and rates.
//
// Accepted forms (DESIGN §5):
//   size      "4096", "4096B", "64KiB", "1.5GiB", "2TiB"      (binary units; plain number = bytes)
//   duration  "250ns", "10us", "1.5ms", "30s", "2m", "1h"      (a unit is required)
//   rate      "200MiB/s", "1.5GiB/s", "4096/s"                (a size per second)
// Decimal units (KB, MB, GB) are rejected on purpose: Go reports MiB but prints "MB", and a
// silent factor of 1.048576 is exactly the kind of error a what-if tool must not make.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gogcsim {

/// A malformed quantity. The message says what was wrong with the text only; the config
/// layer adds the file, line and key.
struct UnitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Bytes. Throws UnitError on a negative, fractional-byte, unknown-unit or > 2^62 value.
std::uint64_t parse_size_bytes(std::string_view text);
/// Nanoseconds. Throws UnitError on a missing or unknown unit, a negative or > 2^62 ns value.
std::int64_t parse_duration_ns(std::string_view text);
/// Bytes per second of mutator time. Throws UnitError unless the text is "<size>/s".
double parse_rate_bytes_per_s(std::string_view text);

/// "64MiB", "1.5GiB", "123B": the shortest exact-ish form, for echoing resolved scenarios.
std::string format_size(std::uint64_t bytes);
/// "10ms", "1.5s", "250ns".
std::string format_duration(std::int64_t ns);
/// "200MiB/s".
std::string format_rate(double bytes_per_s);

}  // namespace gogcsim
