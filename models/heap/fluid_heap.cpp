#include "models/heap/fluid_heap.hpp"

#include <algorithm>
#include <cmath>

namespace gogcsim {

void FluidHeap::set_objects(double heap_alloc, double in_use_needed) {
  heap_alloc_ = heap_alloc;
  const double need = std::max(in_use_needed, heap_alloc);
  double d = need - in_use_;
  if (d <= 0) return;
  in_use_ = need;
  peak_spans_ = std::max(peak_spans_, in_use_ * spans_per_byte_);
  peak_mark_bits_ = std::max(peak_mark_bits_, in_use_ * mark_bits_per_byte_);
  const double from_free = std::min(d, free_);
  free_ -= from_free;
  block_ = std::min(block_, free_);  // the holes go first
  d -= from_free;
  const double from_released = std::min(d, released_);
  released_ -= from_released;
  recommitted_ += from_released;
  d -= from_released;
  if (d > 0) {
    // Grow by whole 4 MiB chunks; what this allocation doesn't use stays Prepared (released).
    const double grown = std::ceil(d / kChunkBytes) * kChunkBytes;
    released_ += grown - d;
    // Heap-growth scavenging: release as much as the heap grew past the retained goal.
    const double over = retained() - retained_goal_;
    if (over > 0) release(std::min(d, over));
  }
}

void FluidHeap::sweep_to(double in_use, double block_bytes) {
  in_use = std::max(in_use, heap_alloc_);
  if (in_use >= in_use_) return;
  block_ += std::clamp(block_bytes, 0.0, in_use_ - in_use);
  free_ += in_use_ - in_use;
  in_use_ = in_use;
}

double FluidHeap::release(double bytes) {
  const double r = std::clamp(bytes, 0.0, free_);
  free_ -= r;
  block_ = std::max(0.0, block_ - r);
  released_ += r;
  scavenged_ += r;
  return r;
}

double FluidHeap::next_free_run_bytes() const {
  const double page = kPageBytes;
  if (block_ >= page) return block_;
  const double holes = free_ - block_;
  const double span = std::max(page, 1 / spans_per_byte_);
  if (holes < span) return std::max(page, holes);
  const double in_use_fraction = in_use_ / (in_use_ + holes);
  return std::clamp(in_use_fraction > 0 ? span / in_use_fraction : holes, span, holes);
}

double runtime_metadata_bytes(double arenas, double arena_metadata, double peak_spans, double peak_mark_bit_bytes) {
  return FluidHeap::kMetadataBaseBytes + arenas * arena_metadata +
         peak_spans * (FluidHeap::kMspanBytes + FluidHeap::kSpanBitsBytes) + FluidHeap::kMarkBitsCopies * peak_mark_bit_bytes;
}

double arena_metadata_bytes(SpanLayout layout) {
  return layout == SpanLayout::go119 ? 2.0625 * 1048576 : 0.0625 * 1048576;
}

double FluidHeap::metadata() const {
  return runtime_metadata_bytes(std::ceil((in_use_ + free_ + released_) / kArenaBytes), arena_metadata_, peak_spans_,
                                peak_mark_bits_);
}

MemoryClasses FluidHeap::classes() const {
  MemoryClasses m;
  m.heap_objects = heap_alloc_;
  m.heap_unused = std::max(0.0, in_use_ - heap_alloc_);
  m.heap_free = free_;
  m.heap_released = released_;
  m.heap_stacks = stacks_;
  m.other = other_ + metadata();
  return m;
}

}  // namespace gogcsim
