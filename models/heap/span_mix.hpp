// How a mix of object sizes occupies spans: the fluid level's span-granular accounting.
//
// From a size distribution (sampled deterministically by quantiles) and the scannable
// fraction, for one Go version's span layout:
//   share[sc]       fraction of allocated bytes in span class sc (class·2 + noscan)
//   dense_factor    span bytes per object byte when spans are full: Σ share_c / usable_c,
//                   usable_c = n_c·size_c / span_c (the span tail and in-span bitmaps are lost)
//   sparse_factor   span bytes kept in use per live byte of short-lived objects that
//                   survive a sweep with exponential lifetimes:
//
//     A span of class c holds n_c objects allocated one after another. If its objects
//     survive independently with probability p = e^(−age/τ), it stays in use unless all die:
//     1 − (1 − p)^n. Integrated over the age of the spans (age/τ = x),
//         ∫0^∞ 1 − (1 − e^−x)^n dx = H(n) = 1 + 1/2 + … + 1/n,
//     spans in use = H(n_c) × (live bytes / bytes per span). So a sweep leaves
//     Σ share_c · H(n_c) / usable_c bytes of span in use per live short-lived byte:
//     about ln(n) + 0.58 — 7.5 for 1024 tiny slots, 1 for one-object spans.
//   mcache_bytes    what each P's cached spans add to heap_live on average: the runtime
//                   counts a cached span's free slots as allocated, half a span per class
//                   in use (reference §1).
#pragma once

#include <array>
#include <vector>

#include "models/heap/allocator.hpp"

namespace gogcsim {

struct SpanMix {
  std::array<double, kNumSpanClasses> share{};  ///< byte share per span class (large: class 0)
  double dense_factor = 1;    ///< span bytes per object byte in full spans (>= 1)
  double sparse_factor = 1;   ///< span bytes in use per surviving short-lived byte after a sweep
  double mcache_bytes = 0;    ///< heap_live overcount per P from cached spans' free slots
  double mean_slot_bytes = 0; ///< mean size-class bytes per object
  double slot_bytes_variance = 0;  ///< variance of the size-class bytes of one object (bytes²)
  double mean_scan_slot_bytes = 0;    ///< ... of pointerful objects (0 if none)
  double mean_noscan_slot_bytes = 0;  ///< ... of pointer-free objects (0 if none)
  double spans_per_byte = 1.0 / 8192;  ///< spans per byte of heap in use (full spans)
  double mark_bits_per_byte = FluidHeap::kOneObjectMarkBitsPerByte;  ///< their mark-bit bytes (mark_bit_bytes) per byte in use

  /// From samples of requested sizes (equal weight per object) and the scannable fraction.
  static SpanMix from_sizes(const std::vector<double>& sizes, double scan_fraction, SpanLayout layout);

  /// Dead bytes per allocated byte that a sweep leaves inside spans it must keep, when
  /// `kept_per_byte` of the allocation is long-lived objects of `object_bytes` allocated among
  /// the short-lived ones of their span class: a span of that class holds n objects allocated
  /// one after another and stays in use unless none of them is kept, 1 − (1 − d)^n with d the
  /// kept share of the class's bytes; the rest of a kept span is unused until refilled. 0 when
  /// the mix has no short-lived objects of that class to share spans with.
  double interleaved_holes_per_byte(double kept_per_byte, std::uint64_t object_bytes, bool noscan,
                                    SpanLayout layout) const;
};

}  // namespace gogcsim
