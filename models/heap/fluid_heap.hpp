// The heap's pages at the fluid level: in use, free, released, as byte flows.
//
// The runtime's page states (reference §8): spans in use (heap objects + unused slots),
// free pages still backed by memory (heap_free, in RSS), released pages (heap_released:
// scavenged, or never used since the heap grew). The heap grows in 4 MiB chunks; grown
// memory is released (Prepared) until used. Reuse order: free pages, then released ones
// (which come back into RSS), then growth. Growing past the scavenger's retained goal
// releases as much as it grew past it (heap-growth scavenging); the scavenger and the memory
// limit release free pages. This class keeps the books; the level decides when.
#pragma once

#include <cstdint>

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

class FluidHeap {
 public:
  static constexpr double kChunkBytes = 4.0 * 1024 * 1024;  ///< pallocChunkBytes

  FluidHeap(double stacks_bytes, double other_bytes) : stacks_(stacks_bytes), other_(other_bytes) {}

  /// Objects now take `heap_alloc` bytes and spans at least `in_use_needed` bytes; spans grow
  /// (reusing free, then released pages, then new chunks) if they hold less.
  void set_objects(double heap_alloc, double in_use_needed);
  /// A sweep left `in_use` bytes of spans in use: the rest becomes free pages.
  void sweep_to(double in_use);
  /// Releases up to `bytes` of free pages; returns what was released.
  double release(double bytes);
  /// The scavenger's retained-heap goal (heap in use + free); growth past it is released.
  void set_retained_goal(double bytes) { retained_goal_ = bytes; }
  double retained_goal() const { return retained_goal_; }

  MemoryClasses classes() const;
  double in_use() const { return in_use_; }
  double free() const { return free_; }
  double released() const { return released_; }
  double retained() const { return in_use_ + free_; }
  double recommitted() const { return recommitted_; }  ///< cumulative
  double scavenged() const { return scavenged_; }      ///< cumulative

 private:
  double stacks_, other_;
  double heap_alloc_ = 0, in_use_ = 0, free_ = 0, released_ = 0;
  double retained_goal_ = 1e300;
  double recommitted_ = 0, scavenged_ = 0;
};

}  // namespace gogcsim
