#include "sim/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace gogcsim {
namespace {

struct UnitScale {
  std::string_view name;
  double scale;
};

// The largest quantity accepted anywhere: 2^62 keeps every sum of two values in int64.
constexpr double kMaxQuantity = 4611686018427387904.0;

constexpr std::array<UnitScale, 5> kSizeUnits{{
    {"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0}}};
constexpr std::array<UnitScale, 6> kDurationUnits{{
    {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}}};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "1.5GiB" into 1.5 and "GiB". Only plain decimal notation: no sign, no exponent.
std::pair<double, std::string_view> split_number(std::string_view text, const char* what) {
  std::string_view s = trim(text);
  if (s.empty()) throw UnitError(std::string("empty ") + what);
  if (s.front() == '-') throw UnitError(std::string("negative ") + what + " " + quoted(text));
  std::size_t i = 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits) throw UnitError(std::string("expected a ") + what + ", got " + quoted(text));
  double value = 0;
  auto res = std::from_chars(s.data(), s.data() + i, value);
  if (res.ec != std::errc() || res.ptr != s.data() + i || !std::isfinite(value)) {
    throw UnitError(std::string("bad number in ") + what + " " + quoted(text));
  }
  return {value, trim(s.substr(i))};
}

template <std::size_t N>
double scale_of(std::string_view unit, const std::array<UnitScale, N>& units, std::string_view text,
                const char* what, const char* hint) {
  for (const auto& u : units) {
    if (u.name == unit) return u.scale;
  }
  if (unit.empty()) throw UnitError(std::string(what) + " " + quoted(text) + " needs a unit (" + hint + ")");
  throw UnitError(std::string("unknown ") + what + " unit " + quoted(unit) + " in " + quoted(text) +
                  " (use " + hint + ")");
}

constexpr const char* kSizeHint = "B, KiB, MiB, GiB or TiB";
constexpr const char* kDurationHint = "ns, us, ms, s, m or h";

}  // namespace

std::uint64_t parse_size_bytes(std::string_view text) {
  auto [value, unit] = split_number(text, "size");
  double scale = unit.empty() ? 1.0 : scale_of(unit, kSizeUnits, text, "size", kSizeHint);
  double bytes = value * scale;
  if (bytes > kMaxQuantity) throw UnitError("size " + quoted(text) + " is too large (max 4EiB)");
  double whole = std::round(bytes);
  if (std::fabs(bytes - whole) > 1e-6 * std::max(1.0, bytes)) {
    throw UnitError("size " + quoted(text) + " is not a whole number of bytes");
  }
  return static_cast<std::uint64_t>(whole);
}

std::int64_t parse_duration_ns(std::string_view text) {
  auto [value, unit] = split_number(text, "duration");
  double ns = value * scale_of(unit, kDurationUnits, text, "duration", kDurationHint);
  if (ns > kMaxQuantity) throw UnitError("duration " + quoted(text) + " is too large");
  return static_cast<std::int64_t>(std::llround(ns));
}

double parse_rate_bytes_per_s(std::string_view text) {
  std::string_view s = trim(text);
  auto slash = s.rfind('/');
  if (slash == std::string_view::npos) {
    throw UnitError("rate " + quoted(text) + " needs a time unit, e.g. 200MiB/s");
  }
  std::string_view per = trim(s.substr(slash + 1));
  if (per != "s") throw UnitError("rate " + quoted(text) + " must be per second ('/s'), not '/" + std::string(per) + "'");
  auto [value, unit] = split_number(s.substr(0, slash), "rate");
  double scale = unit.empty() ? 1.0 : scale_of(unit, kSizeUnits, text, "rate", kSizeHint);
  double rate = value * scale;
  if (rate > kMaxQuantity) throw UnitError("rate " + quoted(text) + " is too large");
  return rate;
}

namespace {
template <std::size_t N>
std::string format_scaled(double value, const std::array<UnitScale, N>& units) {
  // Choose the largest unit that gives a value >= 1, printed with up to 6 significant digits.
  const UnitScale* best = &units[0];
  for (const auto& u : units) {
    if (value >= u.scale) best = &u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g%.*s", value / best->scale, static_cast<int>(best->name.size()),
                best->name.data());
  return buf;
}
}  // namespace

std::string format_size(std::uint64_t bytes) {
  // Exact when possible: pick the largest unit that divides the value.
  for (std::size_t i = kSizeUnits.size(); i-- > 1;) {
    auto scale = static_cast<std::uint64_t>(kSizeUnits[i].scale);
    if (bytes != 0 && bytes % scale == 0) return std::to_string(bytes / scale) + std::string(kSizeUnits[i].name);
  }
  return std::to_string(bytes) + "B";
}

std::string format_duration(std::int64_t ns) {
  if (ns == 0) return "0s";
  std::array<UnitScale, 6> units = kDurationUnits;
  for (std::size_t i = units.size(); i-- > 1;) {
    auto scale = static_cast<std::int64_t>(units[i].scale);
    if (ns % scale == 0) return std::to_string(ns / scale) + std::string(units[i].name);
  }
  return format_scaled(static_cast<double>(ns), kDurationUnits);
}

std::string format_rate(double bytes_per_s) { return format_scaled(bytes_per_s, kSizeUnits) + "/s"; }

}  // namespace gogcsim
