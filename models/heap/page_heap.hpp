// The page heap (mheap + pageAlloc): 8 KiB pages handed out in runs for spans, grown in
// 4 MiB chunks inside 64 MiB arenas, released to the OS by the scavenger.
//
// Mirrors src/runtime/mheap.go and mpagealloc.go (go1.19), reference §8–§9:
//   * allocation takes the lowest-addressed free run that fits (first fit by address);
//   * when nothing fits, the heap grows by roundup(npages, 512 pages) (a 4 MiB chunk) at the
//     end of the current arena reservation; a new 64 MiB arena is reserved when it is full;
//   * grown memory starts Prepared: counted as released until a span first uses it;
//   * freed pages stay Ready (heap_free, in RSS) until scavenged; the scavenger releases the
//     highest-addressed free pages first; reusing released pages makes them Ready again.
// Page state is a bitmap of released pages plus a map of free runs; runs coalesce on free.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace gogcsim {

inline constexpr std::uint64_t kPagesPerChunk = 512;    ///< pallocChunkPages: 4 MiB
inline constexpr std::uint64_t kPagesPerArena = 8192;   ///< heapArenaBytes / pageSize: 64 MiB

struct PageHeapStats {
  std::uint64_t pages_in_use = 0;     ///< in spans (heap in use + stacks)
  std::uint64_t pages_free = 0;       ///< free and Ready (heap_free)
  std::uint64_t pages_released = 0;   ///< free and released (heap_released)
  std::uint64_t arenas = 0;           ///< 64 MiB reservations
  std::uint64_t grown_pages = 0;      ///< address space handed to the page allocator
  std::uint64_t recommitted_pages = 0;  ///< released pages reused (cumulative)
  std::uint64_t scavenged_pages = 0;    ///< pages released by scavenging (cumulative)
};

/// What one scavenge released: pages, in how many contiguous runs of free pages.
struct Scavenged {
  std::uint64_t pages = 0;
  std::vector<std::uint64_t> runs;  ///< pages of each contiguous run released
};

class PageHeap {
 public:
  /// A run of `npages` pages; its first page index. Grows the heap if needed.
  std::uint64_t alloc(std::uint64_t npages);
  /// Returns a run to the free pool (Ready, not released).
  void free(std::uint64_t first_page, std::uint64_t npages);
  /// Releases up to `max_pages` free Ready pages, highest addresses first.
  Scavenged scavenge(std::uint64_t max_pages);
  /// Free runs (Ready or released pages between spans in use).
  std::uint64_t free_runs() const { return free_.size(); }
  const PageHeapStats& stats() const { return stats_; }
  /// Released pages inside the last allocated run (re-committed by that allocation).
  std::uint64_t last_recommitted() const { return last_recommitted_; }

 private:
  void grow(std::uint64_t npages);
  void insert_run(std::uint64_t first, std::uint64_t npages);  ///< adds a free run, coalescing
  void take(std::map<std::uint64_t, std::uint64_t>::iterator it, std::uint64_t first, std::uint64_t npages);
  std::uint64_t count_released(std::uint64_t first, std::uint64_t npages) const;

  std::map<std::uint64_t, std::uint64_t> free_;  ///< first page -> length of each free run
  std::vector<std::uint64_t> released_;          ///< one bit per page of address space
  std::uint64_t end_page_ = 0;                   ///< end of the grown address space
  std::uint64_t arena_end_page_ = 0;             ///< end of the current arena reservation
  std::uint64_t last_recommitted_ = 0;
  PageHeapStats stats_;
};

}  // namespace gogcsim
