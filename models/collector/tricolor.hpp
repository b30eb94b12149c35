// Tri-color concurrent marking over the object graph (reference §2, Go 1.19 mgcmark.go,
// mbarrier.go, mgcwork.go), driven in pieces so the mutator can run between them.
//
//   begin(roots)   sweep termination is over: every live object is white; the roots
//                  (globals and goroutine stacks, scanned at the start as Go does) are shaded.
//   drain(budget)  workers and assists: pop a grey object, shade every object its fields
//                  point to, blacken it; stop after `budget` bytes of scan work.
//   write(...)     the mutator's pointer store. While marking, the hybrid write barrier
//                  (Yuasa deletion + Dijkstra insertion, Go 1.8+) shades both the pointer
//                  being overwritten and the one being written, so no black object ever
//                  points to a white one (the strong tri-color invariant) and a stack that
//                  is never rescanned cannot hide an object.
//   allocate black objects allocated while marking are black (gcmarknewobject).
//   done()         no grey objects left: mark termination may start.
//
// Scan work is counted in bytes as the pacer expects it (heapScanWork): a scannable object
// costs its size, a noscan object is marked without being scanned and costs nothing. An
// object over 128 KiB is split into oblets (maxObletBytes) that are scanned separately, so
// one huge object does not hold a worker for long; each oblet costs its bytes.
// Left out: Go scans an object only up to its last pointer word (the type's ptrdata), here
// the whole object; per-P work buffers and their flush order; stack rescans (none with the
// hybrid barrier).
#pragma once

#include <cstdint>
#include <vector>

#include "models/heap/object_store.hpp"

namespace gogcsim {

struct MarkStats {
  std::uint64_t scan_work_bytes = 0;   ///< heap scan work done (heapScanWork)
  std::uint64_t marked_objects = 0;    ///< shaded this cycle (incl. allocated black)
  std::uint64_t marked_bytes = 0;      ///< their sizes (bytes marked, before allocate-black)
  std::uint64_t allocated_black = 0;   ///< objects allocated during mark
  std::uint64_t barrier_shades = 0;    ///< objects the write barrier turned grey
};

/// What marking costs in CPU (models/costs.hpp): per byte of scan work, per pointerful
/// object scanned (its first oblet), per object the scan shades.
struct MarkCosts {
  double ns_per_byte = 1;
  double ns_per_scanned_object = 0;
  double ns_per_marked_object = 0;
};

/// Work a drain did: scan work in bytes and its CPU.
struct Drained {
  std::uint64_t bytes = 0;
  double ns = 0;
};

class TriColorMarker {
 public:
  /// maxObletBytes in mgcmark.go.
  static constexpr std::uint64_t kObletBytes = 128 << 10;

  explicit TriColorMarker(ObjectStore& heap) : heap_(heap) {}

  /// Starts a cycle: every live object white, then the roots shaded.
  void begin(const std::vector<ObjectId>& roots);
  /// Scans grey objects until `budget_bytes` of scan work is done or none is left; returns
  /// the scan work done (at least the one oblet in progress, so progress is always made).
  std::uint64_t drain(std::uint64_t budget_bytes) { return drain(budget_bytes, 1e300, MarkCosts{}).bytes; }
  /// The same, stopping at whichever budget is reached first: scan work or CPU at `costs`.
  Drained drain(std::uint64_t budget_bytes, double budget_ns, const MarkCosts& costs);
  bool done() const { return grey_.empty(); }
  bool marking() const { return marking_; }
  /// Mark termination: marking stops; the colors stay for sweeping.
  void finish() { marking_ = false; }

  /// The mutator stores `target` into `src`'s field, through the write barrier.
  void write(ObjectId src, std::uint32_t field, ObjectId target) {
    const ObjectId old = heap_.write(src, field, target);
    if (marking_) {
      if (old != kNil) barrier_shade(old);
      if (target != kNil) barrier_shade(target);
    }
  }
  /// A newly allocated object: black while marking, white otherwise.
  void allocated(ObjectId id) {
    if (marking_) {
      heap_[id].color = Color::black;
      ++stats_.allocated_black;
      ++stats_.marked_objects;
    }
  }
  /// Greys a white object (roots, barrier, scanning).
  void shade(ObjectId id);

  /// True if no black object points to a white one from `src` (the strong invariant).
  bool invariant_holds_at(ObjectId src) const;
  const MarkStats& stats() const { return stats_; }

 private:
  void barrier_shade(ObjectId id) {
    if (heap_[id].color == Color::white) {
      shade(id);
      ++stats_.barrier_shades;
    }
  }
  struct Work {
    ObjectId id;
    std::uint32_t oblet;  ///< which 128 KiB piece of a large object
  };
  ObjectStore& heap_;
  std::vector<Work> grey_;
  MarkStats stats_;
  bool marking_ = false;
};

}  // namespace gogcsim
