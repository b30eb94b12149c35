#include "models/heap/page_heap.hpp"

#include <bit>
#include <stdexcept>

namespace gogcsim {

namespace {
bool test_bit(const std::vector<std::uint64_t>& b, std::uint64_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
void set_bits(std::vector<std::uint64_t>& b, std::uint64_t first, std::uint64_t n, bool v) {
  for (std::uint64_t i = first; i < first + n; ++i) {
    if (v) {
      b[i >> 6] |= std::uint64_t{1} << (i & 63);
    } else {
      b[i >> 6] &= ~(std::uint64_t{1} << (i & 63));
    }
  }
}
}  // namespace

std::uint64_t PageHeap::count_released(std::uint64_t first, std::uint64_t n) const {
  std::uint64_t c = 0;
  for (std::uint64_t i = first; i < first + n; ++i) c += test_bit(released_, i) ? 1 : 0;
  return c;
}

void PageHeap::grow(std::uint64_t npages) {
  const std::uint64_t ask = (npages + kPagesPerChunk - 1) / kPagesPerChunk * kPagesPerChunk;
  if (end_page_ + ask > arena_end_page_) {
    // Reserve whole arenas; the runtime's hints make consecutive arenas contiguous.
    const std::uint64_t need = end_page_ + ask - arena_end_page_;
    const std::uint64_t arenas = (need + kPagesPerArena - 1) / kPagesPerArena;
    arena_end_page_ += arenas * kPagesPerArena;
    stats_.arenas += arenas;
  }
  const std::uint64_t first = end_page_;
  end_page_ += ask;
  released_.resize((end_page_ + 63) / 64, 0);
  set_bits(released_, first, ask, true);  // Prepared memory: released until first used
  stats_.grown_pages += ask;
  stats_.pages_released += ask;
  insert_run(first, ask);
}

void PageHeap::take(std::map<std::uint64_t, std::uint64_t>::iterator it, std::uint64_t first, std::uint64_t npages) {
  const std::uint64_t run_first = it->first, run_len = it->second;
  free_.erase(it);
  if (first > run_first) free_.emplace(run_first, first - run_first);
  if (first + npages < run_first + run_len) free_.emplace(first + npages, run_first + run_len - first - npages);
}

std::uint64_t PageHeap::alloc(std::uint64_t npages) {
  if (npages == 0) throw std::logic_error("PageHeap::alloc of zero pages");
  auto it = free_.begin();
  for (; it != free_.end() && it->second < npages; ++it) {
  }
  if (it == free_.end()) {
    grow(npages);
    it = free_.begin();
    for (; it != free_.end() && it->second < npages; ++it) {
    }
  }
  const std::uint64_t first = it->first;
  take(it, first, npages);
  const std::uint64_t rel = count_released(first, npages);
  if (rel > 0) set_bits(released_, first, npages, false);
  last_recommitted_ = rel;
  stats_.recommitted_pages += rel;
  stats_.pages_released -= rel;
  stats_.pages_free -= npages - rel;
  stats_.pages_in_use += npages;
  return first;
}

void PageHeap::free(std::uint64_t first, std::uint64_t npages) {
  insert_run(first, npages);
  stats_.pages_in_use -= npages;
  stats_.pages_free += npages;
}

void PageHeap::insert_run(std::uint64_t first, std::uint64_t npages) {
  auto next = free_.lower_bound(first);
  std::uint64_t f = first, n = npages;
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == first) {
      f = prev->first;
      n += prev->second;
      free_.erase(prev);
    }
  }
  if (next != free_.end() && next->first == first + npages) {
    n += next->second;
    free_.erase(next);
  }
  free_.emplace(f, n);
}

Scavenged PageHeap::scavenge(std::uint64_t max_pages) {
  Scavenged done;
  for (auto it = free_.rbegin(); it != free_.rend() && done.pages < max_pages; ++it) {
    bool in_run = false;  // the page above was released by this call: the same run
    for (std::uint64_t p = it->first + it->second; p-- > it->first && done.pages < max_pages;) {
      const bool take = !test_bit(released_, p);
      if (take) {
        released_[p >> 6] |= std::uint64_t{1} << (p & 63);
        ++done.pages;
        if (!in_run) done.runs.push_back(0);
        ++done.runs.back();
      }
      in_run = take;
    }
  }
  stats_.pages_free -= done.pages;
  stats_.pages_released += done.pages;
  stats_.scavenged_pages += done.pages;
  return done;
}

}  // namespace gogcsim
