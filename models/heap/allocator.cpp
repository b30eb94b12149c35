#include "models/heap/allocator.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace gogcsim {

Allocator::Allocator(int procs, SpanLayout layout) : layout_(layout), mcache_(static_cast<std::size_t>(procs)), tiny_(static_cast<std::size_t>(procs)) {
  for (auto& m : mcache_) m.fill(kNoSpan);
}

bool Allocator::next_free(Span& s, std::uint32_t& slot) {
  while (s.free_index < s.nelems) {
    const std::uint32_t word = s.free_index >> 6, bit = s.free_index & 63;
    const std::uint64_t free_bits = ~s.alloc_bits[word] >> bit;
    if (free_bits != 0) {
      const std::uint32_t idx = s.free_index + static_cast<std::uint32_t>(std::countr_zero(free_bits));
      if (idx >= s.nelems) break;
      slot = idx;
      s.free_index = idx + 1;
      return true;
    }
    s.free_index = (word + 1) << 6;
  }
  s.free_index = s.nelems;
  return false;
}

SpanId Allocator::new_span(std::uint64_t npages, int size_class, bool noscan) {
  SpanId id;
  if (!free_span_ids_.empty()) {
    id = free_span_ids_.back();
    free_span_ids_.pop_back();
  } else {
    id = static_cast<SpanId>(spans_.size());
    spans_.emplace_back();
  }
  Span& s = spans_[id];
  s.first_page = pages_.alloc(npages);
  s.npages = static_cast<std::uint32_t>(npages);
  s.size_class = static_cast<std::uint16_t>(size_class);
  s.noscan = noscan;
  s.in_use = true;
  s.cached = s.in_partial = false;
  s.alloc_count = 0;
  s.free_index = 0;
  if (size_class == 0) {
    s.elem_bytes = static_cast<std::uint32_t>(npages * kPageBytes);
    s.nelems = 1;
  } else {
    s.elem_bytes = kSizeClassesGo119[size_class].bytes_per_obj;
    s.nelems = objects_per_span(size_class, noscan, layout_);
  }
  if (s.nelems > 64 * s.alloc_bits.size()) throw std::logic_error("Allocator: a span of more than 1024 objects");
  mark_bits_in_use_ += mark_bit_bytes(s.nelems);
  peak_mark_bits_ = std::max(peak_mark_bits_, mark_bits_in_use_);
  std::fill_n(s.alloc_bits.begin(), (s.nelems + 63) / 64, 0);
  return id;
}

void Allocator::release_span(SpanId id) {
  Span& s = spans_[id];
  pages_.free(s.first_page, s.npages);
  mark_bits_in_use_ -= mark_bit_bytes(s.nelems);
  s.in_use = false;
  free_span_ids_.push_back(id);
}

SpanId Allocator::take_partial(int span_class) {
  auto& partial = partial_[static_cast<std::size_t>(span_class)];
  while (!partial.empty()) {
    const SpanId cand = partial.back();
    partial.pop_back();
    // Swept while still marked partial, so that freeing its slots does not queue it again.
    if (sweeper_ && spans_[cand].in_use) sweeper_->sweep_before_use(cand);
    Span& s = spans_[cand];
    s.in_partial = false;
    if (s.in_use && s.alloc_count < s.nelems) return cand;
  }
  return kNoSpan;
}

// A span leaves a P's mcache (refill, flush): it goes back to the mcentral. Its search
// reached its end, but slots below may have been freed while it was cached: with some free
// it goes on the partial list, with nothing in it its pages go back to the page heap (left
// alone, such a span was never found again: 58,146 spans in use for 1,000 live objects in
// the allocator benchmark's loop).
void Allocator::uncache(SpanId id) {
  Span& s = spans_[id];
  s.cached = false;
  if (s.alloc_count == 0) {
    release_span(id);
  } else if (s.alloc_count < s.nelems && !s.in_partial) {
    s.in_partial = true;
    partial_[static_cast<std::size_t>(s.size_class * 2 + (s.noscan ? 1 : 0))].push_back(id);
  }
}

SpanId Allocator::refill(int p, int span_class) {
  auto& cached = mcache_[static_cast<std::size_t>(p)][static_cast<std::size_t>(span_class)];
  if (cached != kNoSpan) uncache(cached);
  SpanId id = take_partial(span_class);
  if (id == kNoSpan && sweeper_) {
    sweeper_->reclaim(span_class, 0);
    id = take_partial(span_class);
  }
  if (id == kNoSpan) {
    const int c = span_class >> 1;
    id = new_span(kSizeClassesGo119[c].pages(), c, span_class & 1);
  }
  Span& s = spans_[id];
  s.free_index = 0;  // reuse: search the whole span again (as sweeping resets freeindex)
  s.cached = true;
  cached = id;
  // The runtime counts every free slot of the new span as allocated (mcache.refill).
  c_.heap_live += static_cast<std::uint64_t>(s.nelems - s.alloc_count) * s.elem_bytes;
  ++c_.refills;
  return id;
}

ObjectRef Allocator::alloc(std::uint64_t size, bool noscan, int p) {
  ++c_.total_alloc_objects;
  if (noscan && size < kTinySizeBytes && size > 0) {
    Tiny& t = tiny_[static_cast<std::size_t>(p)];
    std::uint32_t off = t.offset;
    if (size % 8 == 0) {
      off = (off + 7) & ~7u;
    } else if (size % 4 == 0) {
      off = (off + 3) & ~3u;
    } else if (size % 2 == 0) {
      off = (off + 1) & ~1u;
    }
    ++c_.tiny_allocs;
    if (t.valid && off + size <= kTinySizeBytes) {
      t.offset = off + static_cast<std::uint32_t>(size);
      ObjectRef r = t.block;
      r.tiny_offset = static_cast<std::uint8_t>(off);
      r.tiny = true;
      return r;
    }
    ObjectRef block = alloc(kTinySizeBytes, true, p);  // a new 16 B block (class 2 noscan)
    --c_.total_alloc_objects;                          // counted once, as the tiny object
    block.tiny = true;
    if (!t.valid || size < t.offset) {  // keep whichever block has more room left
      t.block = block;
      t.offset = static_cast<std::uint32_t>(size);
      t.valid = true;
    }
    return block;
  }
  const SlotChoice ch = choose_slot(size, noscan, layout_);
  if (ch.large) {
    if (sweeper_) sweeper_->reclaim(-1, ch.slot_bytes / kPageBytes);
    SpanId id = new_span(ch.slot_bytes / kPageBytes, 0, noscan);
    Span& s = spans_[id];
    s.alloc_bits[0] = 1;
    s.alloc_count = 1;
    s.free_index = 1;
    c_.heap_live += ch.slot_bytes;
    c_.heap_alloc += ch.slot_bytes;
    c_.total_alloc_bytes += ch.slot_bytes;
    ++c_.objects;
    return {id, 0, 0, false};
  }
  const int sc = ch.size_class * 2 + (noscan ? 1 : 0);
  SpanId id = mcache_[static_cast<std::size_t>(p)][static_cast<std::size_t>(sc)];
  std::uint32_t slot = 0;
  if (id == kNoSpan || !next_free(spans_[id], slot)) {
    id = refill(p, sc);
    if (!next_free(spans_[id], slot)) throw std::logic_error("Allocator: refilled span has no free slot");
  }
  Span& s = spans_[id];
  s.alloc_bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
  ++s.alloc_count;
  c_.heap_alloc += s.elem_bytes;
  c_.total_alloc_bytes += s.elem_bytes;
  ++c_.objects;
  return {id, static_cast<std::uint16_t>(slot), 0, false};
}

void Allocator::free_object(ObjectRef ref) {
  Span& s = spans_[ref.span];
  const std::uint64_t bit = std::uint64_t{1} << (ref.slot & 63);
  if (!s.in_use || !(s.alloc_bits[ref.slot >> 6] & bit)) throw std::logic_error("Allocator: double free");
  s.alloc_bits[ref.slot >> 6] &= ~bit;
  --s.alloc_count;
  c_.heap_alloc -= s.elem_bytes;
  --c_.objects;
  if (s.cached) return;  // the P keeps using it
  if (s.alloc_count == 0) {
    // An empty span goes back to the page heap (sweeping a fully dead span).
    const int sc = s.size_class * 2 + (s.noscan ? 1 : 0);
    if (s.in_partial) {
      auto& partial = partial_[static_cast<std::size_t>(sc)];
      for (auto& x : partial) {
        if (x == ref.span) {
          x = partial.back();
          partial.pop_back();
          break;
        }
      }
      s.in_partial = false;
    }
    release_span(ref.span);
  } else if (!s.in_partial && s.size_class != 0) {
    s.in_partial = true;
    partial_[static_cast<std::size_t>(s.size_class * 2 + (s.noscan ? 1 : 0))].push_back(ref.span);
  }
}

void Allocator::flush_mcaches() {
  for (auto& m : mcache_) {
    for (auto& id : m) {
      if (id == kNoSpan) continue;
      const Span& s = spans_[id];
      c_.heap_live -= static_cast<std::uint64_t>(s.nelems - s.alloc_count) * s.elem_bytes;
      uncache(id);
      id = kNoSpan;
    }
  }
  for (auto& t : tiny_) t.valid = false;
}

std::vector<ClassUsage> Allocator::usage_by_class() const {
  std::vector<ClassUsage> u(kNumSpanClasses);
  for (int sc = 0; sc < kNumSpanClasses; ++sc) {
    u[static_cast<std::size_t>(sc)].size_class = sc >> 1;
    u[static_cast<std::size_t>(sc)].noscan = sc & 1;
  }
  for (const Span& s : spans_) {
    if (!s.in_use) continue;
    auto& x = u[static_cast<std::size_t>(s.size_class * 2 + (s.noscan ? 1 : 0))];
    ++x.spans;
    x.objects += s.alloc_count;
    x.object_bytes += static_cast<std::uint64_t>(s.alloc_count) * s.elem_bytes;
    x.span_bytes += static_cast<std::uint64_t>(s.npages) * kPageBytes;
  }
  return u;
}

}  // namespace gogcsim

namespace gogcsim {

MemoryClasses Allocator::classes(double stacks_bytes, double other_bytes) const {
  const auto& st = pages_.stats();
  MemoryClasses m;
  m.heap_objects = static_cast<double>(c_.heap_alloc);
  m.heap_unused = static_cast<double>(heap_in_use_bytes() - c_.heap_alloc);
  m.heap_free = static_cast<double>(st.pages_free * kPageBytes);
  m.heap_released = static_cast<double>(st.pages_released * kPageBytes);
  m.heap_stacks = stacks_bytes;
  // Metadata as the fluid level counts it: span ids handed out are the most spans at once.
  const auto arenas = static_cast<double>(std::max<std::uint64_t>(st.arenas, 1));
  m.other = other_bytes + runtime_metadata_bytes(arenas, arena_metadata_bytes(layout_), static_cast<double>(spans_.size()),
                                                 peak_mark_bits_);
  return m;
}

}  // namespace gogcsim
