#include "models/heap/span_mix.hpp"

#include <cmath>

namespace gogcsim {

namespace {
double harmonic(std::uint32_t n) {
  if (n < 64) {
    double h = 0;
    for (std::uint32_t k = 1; k <= n; ++k) h += 1.0 / k;
    return h;
  }
  const double x = n;  // asymptotic expansion, exact to 1e-10 here
  return std::log(x) + 0.5772156649015329 + 1 / (2 * x) - 1 / (12 * x * x);
}
}  // namespace

SpanMix SpanMix::from_sizes(const std::vector<double>& sizes, double scan_fraction, SpanLayout layout) {
  SpanMix m;
  double total = 0, objects = 0, large_objects = 0, total_sq = 0;
  double kind_bytes[2] = {0, 0}, kind_objects[2] = {0, 0};
  // Every sample is split into a pointerful part (scan_fraction) and a pointer-free part.
  for (double size : sizes) {
    for (int noscan = 0; noscan < 2; ++noscan) {
      const double w = noscan ? 1 - scan_fraction : scan_fraction;
      if (w <= 0) continue;
      auto req = static_cast<std::uint64_t>(std::max(1.0, std::round(size)));
      double bytes;
      int sc;
      if (noscan && req < kTinySizeBytes) {
        bytes = static_cast<double>(req);  // packed into 16 B tiny blocks of class 2
        sc = 2 * 2 + 1;
      } else {
        SlotChoice ch = choose_slot(req, noscan, layout);
        bytes = static_cast<double>(ch.slot_bytes);
        sc = ch.size_class * 2 + noscan;
        if (ch.large) large_objects += w;
      }
      m.share[static_cast<std::size_t>(sc)] += w * bytes;
      total += w * bytes;
      total_sq += w * bytes * bytes;
      objects += w;
      kind_bytes[noscan] += w * bytes;
      kind_objects[noscan] += w;
    }
  }
  if (total <= 0) return m;
  m.mean_slot_bytes = total / objects;
  m.slot_bytes_variance = std::max(0.0, total_sq / objects - m.mean_slot_bytes * m.mean_slot_bytes);
  m.mean_scan_slot_bytes = kind_objects[0] > 0 ? kind_bytes[0] / kind_objects[0] : 0;
  m.mean_noscan_slot_bytes = kind_objects[1] > 0 ? kind_bytes[1] / kind_objects[1] : 0;
  double large_bytes_share = 0;
  const double large_spans_per_byte = large_objects / total;
  double sparse = 0, dense = 0, mcache = 0, spans = 0, bits = 0;
  for (int sc = 0; sc < kNumSpanClasses; ++sc) {
    double& s = m.share[static_cast<std::size_t>(sc)];
    s /= total;
    if (s <= 0) continue;
    const int c = sc >> 1;
    if (c == 0) {  // large objects: one per span, no tail beyond page rounding (already in the slot)
      sparse += s;
      dense += s;
      large_bytes_share += s;
      continue;
    }
    const bool noscan = sc & 1;
    const auto& k = kSizeClassesGo119[c];
    const std::uint32_t n = objects_per_span(c, noscan, layout);
    const double usable = static_cast<double>(n) * k.bytes_per_obj / k.bytes_per_span;
    dense += s / usable;
    sparse += s * harmonic(n) / usable;
    spans += s / (usable * k.bytes_per_span);
    bits += s / (usable * k.bytes_per_span) * mark_bit_bytes(n);
    if (s > 0.001) mcache += k.bytes_per_span / 2.0;
  }
  // Large objects: one span per object; their share of objects is share / slot size.
  spans += large_spans_per_byte;
  bits += large_spans_per_byte * mark_bit_bytes(1);
  m.spans_per_byte = spans / dense;
  m.mark_bits_per_byte = bits / dense;
  m.dense_factor = dense;
  m.sparse_factor = sparse;
  m.mcache_bytes = mcache;
  return m;
}

double SpanMix::interleaved_holes_per_byte(double kept_per_byte, std::uint64_t object_bytes, bool noscan,
                                           SpanLayout layout) const {
  if (kept_per_byte <= 0) return 0;
  const SlotChoice ch = choose_slot(object_bytes, noscan, layout);
  if (ch.large) return 0;  // a span of its own
  const double class_share = share[static_cast<std::size_t>(ch.size_class * 2 + (noscan ? 1 : 0))];
  if (class_share <= 0) return 0;
  const double d = std::min(1.0, kept_per_byte / class_share);
  const double n = objects_per_span(ch.size_class, noscan, layout);
  return class_share * (1 - d) * (1 - std::pow(1 - d, n));
}

}  // namespace gogcsim
