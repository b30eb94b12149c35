// The object-level allocator: Go's mcache → mcentral → mheap structure, object by object.
//
// Mirrors src/runtime/malloc.go, mcache.go, mcentral.go, mheap.go (go1.19), reference §9:
//   * pointer-free objects under 16 B go to the per-P tiny allocator: packed into 16 B
//     blocks (class 2, noscan) at 8/4/2-byte alignment; a new block replaces the current one
//     if it has more room left;
//   * other objects up to 32 KiB take a slot of their size class from the P's cached span of
//     their span class (scan/noscan): next free slot in allocation-bit order;
//   * a full cached span is exchanged at refill for a span with free slots from the span
//     class's partial list, else a new span from the page heap; heap_live grows by ALL the
//     new span's free slots (the pacer's overestimate, reference §1), corrected when the
//     mcaches are flushed at mark termination;
//   * larger objects get their own span of whole pages; heap_live grows by the span.
// Sweeping frees slots through free_object(); a span with no objects left returns its pages.
// While sweeping is unfinished the allocator asks its Sweeper (set_sweeper) first: a span is
// swept before a P caches it, a refill with no partial span sweeps spans of its class
// (mcentral.cacheSpan), a large allocation sweeps until pages come free (mheap.reclaim).
// Left out: the per-P page cache, span "needzero" state, stacks' manual spans (counted apart).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/heap/fluid_heap.hpp"
#include "models/heap/page_heap.hpp"
#include "models/heap/size_classes.hpp"

namespace gogcsim {

using SpanId = std::uint32_t;
inline constexpr SpanId kNoSpan = ~SpanId{0};
inline constexpr int kNumSpanClasses = kNumSizeClasses * 2;  ///< class·2 + noscan

struct Span {
  std::uint64_t first_page = 0;
  std::uint32_t npages = 0;
  std::uint16_t size_class = 0;     ///< 0: a large object
  bool noscan = false;
  bool cached = false;              ///< some P's mcache holds it
  bool in_partial = false;          ///< on its span class's partial list
  bool in_use = false;
  std::uint32_t elem_bytes = 0;     ///< slot size (npages·8 KiB for a large object)
  std::uint32_t nelems = 0;
  std::uint32_t alloc_count = 0;
  std::uint32_t free_index = 0;     ///< slots below it are not searched until the next reuse
  /// One bit per slot, inline (no span holds more than 1,024 objects: class 1, 8 B in 8 KiB),
  /// so the allocation fast path touches one cache line less.
  std::array<std::uint64_t, 16> alloc_bits{};
};

/// 8 bytes, so that alloc() returns it in one register: a 12-byte one came back through the
/// stack, assembled by 16- and 8-bit stores and read by a 32-bit load, and that stalled store
/// forwarding took half the allocation fast path's time (perf annotate of the benchmark).
struct ObjectRef {
  SpanId span = kNoSpan;
  std::uint16_t slot = 0;           ///< below 1,024 (a span's most objects)
  std::uint8_t tiny_offset = 0;     ///< offset inside a 16 B tiny block
  bool tiny = false;
};
static_assert(sizeof(ObjectRef) == 8);

/// Heap counters in the runtime's terms.
struct HeapCounters {
  std::uint64_t heap_live = 0;          ///< span-granular, what the pacer sees
  std::uint64_t heap_alloc = 0;         ///< bytes in allocated slots (heap objects incl. unswept dead)
  std::uint64_t objects = 0;            ///< allocated slots (tiny blocks count once)
  std::uint64_t total_alloc_bytes = 0;  ///< /gc/heap/allocs:bytes (slot bytes)
  std::uint64_t total_alloc_objects = 0;
  std::uint64_t tiny_allocs = 0;        ///< objects combined into tiny blocks
  std::uint64_t refills = 0;
};


/// Whoever sweeps (the object level) — the allocator calls it before it uses or grows.
class Sweeper {
 public:
  virtual ~Sweeper() = default;
  /// Sweeps span `id` if it is unswept (it may come back empty: its pages released).
  virtual void sweep_before_use(SpanId id) = 0;
  /// No partial span of `span_class` (>= 0), or `npages` for a large object (span_class -1):
  /// sweep what may free one.
  virtual void reclaim(int span_class, std::uint64_t npages) = 0;
};

class Allocator {
 public:
  Allocator(int procs, SpanLayout layout);

  /// Allocates `size` bytes on P `p`.
  ObjectRef alloc(std::uint64_t size, bool noscan, int p);
  /// Frees an object's slot (what sweeping does for a dead object); the caller frees a tiny
  /// block once, when all objects in it are dead.
  void free_object(ObjectRef ref);
  /// Mark termination: every P's mcache gives its spans back; heap_live loses the slots
  /// that were counted at refill but never used.
  void flush_mcaches();
  void set_sweeper(Sweeper* s) { sweeper_ = s; }
  /// Span ids handed out so far (span(id) for id below it; some may be free).
  std::size_t span_ids() const { return spans_.size(); }
  /// The most mark-bit bytes (mark_bit_bytes per span) the spans in use ever had at once.
  double peak_mark_bit_bytes() const { return peak_mark_bits_; }
  /// heap_live := bytes marked (resetLive), kept here so refills keep adding to it.
  void set_heap_live(std::uint64_t bytes) { c_.heap_live = bytes; }

  const HeapCounters& counters() const { return c_; }
  PageHeap& page_heap() { return pages_; }
  const PageHeap& page_heap() const { return pages_; }
  std::uint64_t heap_in_use_bytes() const { return pages_.stats().pages_in_use * kPageBytes; }
  const Span& span(SpanId id) const { return spans_[id]; }
  std::vector<ClassUsage> usage_by_class() const;
  /// The same /memory/classes/* view the fluid level's FluidHeap gives (`other_bytes` plus
  /// the runtime's metadata for this heap).
  MemoryClasses classes(double stacks_bytes, double other_bytes) const;

 private:
  SpanId refill(int p, int span_class);
  void uncache(SpanId id);
  SpanId take_partial(int span_class);
  SpanId new_span(std::uint64_t npages, int size_class, bool noscan);
  void release_span(SpanId id);
  static bool next_free(Span& s, std::uint32_t& slot);

  SpanLayout layout_;
  PageHeap pages_;
  std::vector<Span> spans_;
  std::vector<SpanId> free_span_ids_;
  double mark_bits_in_use_ = 0, peak_mark_bits_ = 0;  ///< spans' mark-bit bytes (metadata)
  std::vector<std::array<SpanId, kNumSpanClasses>> mcache_;       ///< per P
  std::array<std::vector<SpanId>, kNumSpanClasses> partial_;      ///< mcentral partial lists
  struct Tiny {
    ObjectRef block;
    std::uint32_t offset = 0;
    bool valid = false;
  };
  std::vector<Tiny> tiny_;  ///< per P
  HeapCounters c_;
  Sweeper* sweeper_ = nullptr;
};

}  // namespace gogcsim
