// The heap's pages at the fluid level: in use, free, released, as byte flows.
//
// The runtime's page states (reference §8): spans in use (heap objects + unused slots),
// free pages still backed by memory (heap_free, in RSS), released pages (heap_released:
// scavenged, or never used since the heap grew). The heap grows in 4 MiB chunks; grown
// memory is released (Prepared) until used. Reuse order: free pages, then released ones
// (which come back into RSS), then growth. Growing past the scavenger's retained goal
// releases as much as it grew past it (heap-growth scavenging); the scavenger and the memory
// limit release free pages. This class keeps the books; the level decides when.
//
// Runtime metadata grows with the heap and is never returned (/memory/classes/metadata/*):
//   a fixed base (page-allocator summaries, other runtime structures: 5.6 MiB measured on
//   Go 1.19 at start-up), per 64 MiB arena the heapArena record (1.19–1.21: a 2 MiB heap
//   bitmap + 64 KiB span index; 1.22+ keeps pointer bits in spans: only the index), and per
//   span ever needed at once its mspan record (144 B) and its mark bits (gcBits: 8 B per 64
//   slots, at least 8), which the runtime keeps in 64 KiB arenas for the next, the current and
//   the previous cycle: measured 9.5 B + 3.5 x a span's mark-bit bytes
//   (tests/validation/record_mark_bits.sh). Measured (tests/real/memory): 7.7 MiB with one
//   arena, 17.6 MiB at 280 MiB of heap; at the end of the validation programs' runs 10-45 MiB
//   (tests/validation/record_metadata.sh).
#pragma once

#include <cstdint>

#include "models/heap/size_classes.hpp"

namespace gogcsim {

/// Go's /memory/classes/* in bytes.
struct MemoryClasses {
  double heap_objects = 0;   ///< /memory/classes/heap/objects (incl. unswept dead objects)
  double heap_unused = 0;    ///< /memory/classes/heap/unused: span bytes not in objects
  double heap_free = 0;      ///< /memory/classes/heap/free: free pages, backed
  double heap_released = 0;  ///< /memory/classes/heap/released
  double heap_stacks = 0;    ///< /memory/classes/heap/stacks
  double other = 0;          ///< metadata and other runtime memory
  double total() const { return heap_objects + heap_unused + heap_free + heap_released + heap_stacks + other; }
  /// What GOMEMLIMIT counts: mapped and not released (total − released).
  double mapped_ready() const { return total() - heap_released; }
};

/// Runtime metadata (/memory/classes/metadata/*), never returned: what the runtime maps at
/// start-up, per 64 MiB arena (heapArena: 2 MiB + 64 KiB in 1.19–1.21, 64 KiB from 1.22), and
/// an mspan record per span the heap ever had at once.
double runtime_metadata_bytes(double arenas, double arena_metadata_bytes, double peak_spans, double peak_mark_bit_bytes);
/// heapArena metadata per arena for a span layout's Go versions.
double arena_metadata_bytes(SpanLayout layout);

class FluidHeap {
 public:
  static constexpr double kChunkBytes = 4.0 * 1024 * 1024;  ///< pallocChunkBytes

  static constexpr double kArenaBytes = 64.0 * 1024 * 1024;        ///< heapArenaBytes
  static constexpr double kMetadataBaseBytes = 5.6 * 1024 * 1024;  ///< measured, Go 1.19 start-up
  static constexpr double kMspanBytes = 144;                       ///< sizeof(mspan), go1.19 amd64
  /// gcBits per span beyond its mspan: kSpanBitsBytes + kMarkBitsCopies × its mark-bit bytes
  /// (recordings/mark_bits.tsv: 37.6 B for 8 B of bits, 178 B for 48 B).
  static constexpr double kSpanBitsBytes = 9.5;
  static constexpr double kMarkBitsCopies = 3.5;
  /// Mark-bit bytes per byte in use when every 8 KiB span holds one object (8 B of bits).
  static constexpr double kOneObjectMarkBitsPerByte = 8.0 / 8192;

  /// `arena_metadata_bytes`: metadata per 64 MiB arena (2 MiB + 64 KiB in 1.19–1.21).
  FluidHeap(double stacks_bytes, double other_bytes, double arena_metadata_bytes = 2.0625 * 1024 * 1024)
      : stacks_(stacks_bytes), other_(other_bytes), arena_metadata_(arena_metadata_bytes) {}
  /// Spans per byte of heap in use for the current size mix (mspan records).
  /// ... and their mark-bit bytes per byte of heap in use (SpanMix::mark_bits_per_byte).
  void set_spans_per_byte(double spans_per_byte, double mark_bits_per_byte = kOneObjectMarkBitsPerByte) {
    spans_per_byte_ = spans_per_byte;
    mark_bits_per_byte_ = mark_bits_per_byte;
  }
  /// Spans in use now (what the sweeper sweeps once a cycle).
  double spans() const { return in_use_ * spans_per_byte_; }
  double metadata() const;

  /// Objects now take `heap_alloc` bytes and spans at least `in_use_needed` bytes; spans grow
  /// (reusing free, then released pages, then new chunks) if they hold less.
  void set_objects(double heap_alloc, double in_use_needed);
  /// A sweep left `in_use` bytes of spans in use: the rest becomes free pages. Of them,
  /// `block_bytes` were spans of long-lived objects allocated together and now dead (the
  /// long-lived heap shrank): one contiguous block, the others holes among spans in use.
  void sweep_to(double in_use, double block_bytes = 0);
  /// Releases up to `bytes` of free pages, the highest first (the block, then holes);
  /// returns what was released.
  double release(double bytes);
  /// The scavenger's retained-heap goal (heap in use + free); growth past it is released.
  void set_retained_goal(double bytes) { retained_goal_ = bytes; }
  double retained_goal() const { return retained_goal_; }

  MemoryClasses classes() const;
  double in_use() const { return in_use_; }
  double free() const { return free_; }
  double released() const { return released_; }
  double retained() const { return in_use_ + free_; }
  /// Length of the run of free pages the scavenger releases next (highest addresses first):
  /// the free block while there is one; else the holes, freed spans scattered at random among
  /// the spans in use: a run of spans each free with probability f = holes / (in use + holes)
  /// is 1 / (1 - f) spans long on average (at most all holes, at least one span).
  double next_free_run_bytes() const;
  double recommitted() const { return recommitted_; }  ///< cumulative
  double scavenged() const { return scavenged_; }      ///< cumulative

 private:
  double stacks_, other_, arena_metadata_;
  double spans_per_byte_ = 1.0 / 8192;
  double mark_bits_per_byte_ = kOneObjectMarkBitsPerByte;
  double peak_spans_ = 0, peak_mark_bits_ = 0;
  double heap_alloc_ = 0, in_use_ = 0, free_ = 0, released_ = 0;
  /// Of free_: one contiguous run above the spans in use, left by long-lived objects that
  /// died together. Allocation (lowest address first) takes the holes below it first.
  double block_ = 0;
  double retained_goal_ = 1e300;
  double recommitted_ = 0, scavenged_ = 0;
};

}  // namespace gogcsim
