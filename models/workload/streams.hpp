// Per-cycle input streams: the combinators of Go's pacer test harness
// (runtime/mgcpacer_test.go, float64Stream), written as YAML expressions.
//
// A stream yields one value per GC cycle; combinators wrap streams. Semantics, including
// the order of float operations (they matter for bit-exact parity with the runtime's test):
//
//   {constant: c}                        c
//   {unit: a}                            a on the first call, 0 after (a one-cycle spike)
//   {step: {at: n, to: v}}               0 for calls 0..n−1, v from call n on
//   {ramp: {height: h, length: L}}       (h·n)/L for n = 0, 1, …, L, then h: the first call is 0
//   {oscillate: {amp: a, phase: p, period: P}}   sin((n/P)·2·π + p)·a, n wraps at P
//   {random: {amp: a, seed: s}}          (u − 0.5)·2·a with u uniform in [0, 1) from stream s
//   {delay: {by: k, of: S}}              0 for k calls (without calling S), then S
//   {sum: [S1, S2, …]}                   S1 + S2 + … (left to right)
//   {offset: {by: a, of: S}}             S + a
//   {scale: {by: a, of: S}}              S · a
//   {limit: {min: lo, max: hi, of: S}}   S clamped to [lo, hi]
//   {quantize: {by: m, of: S}}           S rounded toward zero to a multiple of m
//
// `random` uses gogcsim's own generator, not Go's math/rand: the same statistics, not the
// same numbers. To replay the runtime's own random inputs, use `inputs: FILE.csv`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config.hpp"

namespace gogcsim {

/// A running stream: each next() is one cycle.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual double next() = 0;
};

/// A parsed stream expression; instantiate() makes a fresh running stream.
struct StreamExpr {
  enum Kind { none, constant, unit, step, ramp, oscillate, random, delay, sum, offset, scale, limit, quantize };
  Kind kind = none;
  double a = 0, b = 0;           ///< constant/unit/by/amp/height/min/to, phase/max
  std::int64_t n = 0;            ///< length/period/at/delay cycles
  std::uint64_t seed = 0;
  std::vector<StreamExpr> args;  ///< wrapped streams

  bool empty() const { return kind == none; }
  std::unique_ptr<Stream> instantiate() const;
  /// Config hooks (sim/config.hpp `custom`).
  void read(const YAML::Node& node, const std::string& path, ConfigSource& source);
  void write(YAML::Emitter& out) const;
  std::string text() const;

  static StreamExpr make_constant(double c) {
    StreamExpr e;
    e.kind = constant;
    e.a = c;
    return e;
  }
};

}  // namespace gogcsim
