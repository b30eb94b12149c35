// The page heap and the object allocator against hand-worked cases (reference §8–§9).
#include <doctest/doctest.h>

#include <deque>

#include "models/costs.hpp"
#include "models/heap/allocator.hpp"
#include "sim/rng.hpp"

using namespace gogcsim;

TEST_CASE("the page heap grows in 4 MiB chunks of Prepared (released) memory and reuses the lowest free run") {
  PageHeap h;
  std::uint64_t a = h.alloc(1);
  CHECK(a == 0);
  CHECK(h.stats().grown_pages == 512);  // one 4 MiB chunk
  CHECK(h.stats().arenas == 1);
  CHECK(h.stats().pages_in_use == 1);
  CHECK(h.stats().pages_released == 511);  // never used: still Prepared
  CHECK(h.stats().pages_free == 0);
  CHECK(h.last_recommitted() == 1);
  std::uint64_t b = h.alloc(3);
  CHECK(b == 1);
  h.free(a, 1);
  CHECK(h.stats().pages_free == 1);  // freed pages stay Ready until scavenged
  CHECK(h.alloc(1) == 0);            // lowest address first
  CHECK(h.stats().pages_free == 0);
  h.free(0, 1);
  h.free(b, 3);  // coalesces with page 0 into one run of 4
  CHECK(h.alloc(4) == 0);
  CHECK(h.last_recommitted() == 0);
  // A run larger than the chunk grows by whole chunks: 600 pages -> 1024 more pages grown.
  h.alloc(600);
  CHECK(h.stats().grown_pages == 512 + 1024);
}

TEST_CASE("the scavenger counts the runs of free pages it releases, and each costs its madvise calls") {
  // 512 one-page spans, every other one freed: 256 free runs of one page; then the other 256
  // freed too: the chunk coalesces into one run of 512 pages (4 MiB).
  PageHeap h;
  for (std::uint64_t i = 0; i < 512; ++i) CHECK(h.alloc(1) == i);
  for (std::uint64_t i = 0; i < 512; i += 2) h.free(i, 1);
  const Scavenged scattered = h.scavenge(1000);
  CHECK(scattered.pages == 256);
  CHECK(scattered.runs == std::vector<std::uint64_t>(256, 1));
  for (std::uint64_t i = 1; i < 512; i += 2) h.free(i, 1);
  const Scavenged rest = h.scavenge(1000);  // the 256 pages still Ready, between released ones
  CHECK(rest.runs == std::vector<std::uint64_t>(256, 1));
  PageHeap c;
  c.alloc(512);
  c.free(0, 512);
  CHECK(c.scavenge(1000).runs == std::vector<std::uint64_t>{512});
  // Costs (preset: 0.040 ns/B, 5.2 us per call): one page per call, 0.040 + 5200 / 8192 =
  // 0.675 ns/B; a 4 MiB run is two 2 MiB huge pages, 0.040 + 2 x 5200 / 4 MiB = 0.0425; a
  // 100 KiB run asks for 64 KiB twice, 0.040 + 2 x 5200 / 102400 = 0.1416.
  const CostParams costs;
  CHECK(scavenge_calls(8192) == 1);
  CHECK(scavenge_calls(100 * 1024) == 2);
  CHECK(scavenge_calls(4 << 20) == 2);
  CHECK(scavenge_ns_per_released_byte(costs, 8192) == doctest::Approx(0.675).epsilon(0.001));
  CHECK(scavenge_ns_per_released_byte(costs, 4 << 20) == doctest::Approx(0.0425).epsilon(0.001));
  CHECK(scavenge_ns_per_released_byte(costs, 100 * 1024) == doctest::Approx(0.1416).epsilon(0.001));
}

TEST_CASE("the scavenger releases the highest free pages first and reuse recommits them") {
  PageHeap h;
  h.alloc(512);      // the whole first chunk
  h.free(0, 512);    // all Ready and free
  CHECK(h.stats().pages_free == 512);
  CHECK(h.scavenge(100).pages == 100);
  CHECK(h.stats().pages_released == 100);
  CHECK(h.stats().pages_free == 412);
  CHECK(h.alloc(412) == 0);            // the low, Ready pages
  CHECK(h.last_recommitted() == 0);
  CHECK(h.alloc(10) == 412);           // released pages: 10 recommitted
  CHECK(h.last_recommitted() == 10);
  CHECK(h.stats().pages_released == 90);
}

TEST_CASE("heap_live counts a refilled span's free slots and is corrected at the mcache flush") {
  Allocator a(2, SpanLayout::go119);
  a.alloc(8, false, 0);  // pointerful, so not tiny: class 1
  CHECK(a.counters().heap_live == 8192);  // class 1: the whole 8 KiB span counted at refill
  CHECK(a.counters().heap_alloc == 8);
  for (int i = 0; i < 1023; ++i) a.alloc(8, false, 0);
  CHECK(a.counters().heap_live == 8192);  // the 1024 slots of that span, no new refill yet
  a.alloc(8, false, 0);                   // span full: refill
  CHECK(a.counters().heap_live == 2 * 8192);
  CHECK(a.heap_in_use_bytes() == 2 * 8192);
  a.flush_mcaches();
  CHECK(a.counters().heap_live == 1025 * 8);  // unused slots subtracted
}

TEST_CASE("1.22 pointerful spans hold fewer objects and big pointerful objects carry a header") {
  Allocator a(1, SpanLayout::go122);
  for (int i = 0; i < 1008; ++i) a.alloc(8, false, 0);  // 1008 per span (128 B bitmap)
  CHECK(a.heap_in_use_bytes() == 8192);
  a.alloc(8, false, 0);
  CHECK(a.heap_in_use_bytes() == 2 * 8192);
  auto before = a.counters().heap_alloc;
  a.alloc(1024, false, 0);  // 1024 + 8 B header -> the 1152 B class
  CHECK(a.counters().heap_alloc - before == 1152);
  before = a.counters().heap_alloc;
  a.alloc(1024, true, 0);  // pointer-free: no header
  CHECK(a.counters().heap_alloc - before == 1024);
}

TEST_CASE("tiny objects share 16 B blocks with Go's alignment rules") {
  Allocator a(1, SpanLayout::go119);
  auto x = a.alloc(4, true, 0);
  auto y = a.alloc(4, true, 0);
  auto z = a.alloc(8, true, 0);  // aligned to 8: offset 8
  CHECK(x.span == y.span);
  CHECK(x.slot == y.slot);
  CHECK(y.tiny_offset == 4);
  CHECK(z.slot == x.slot);
  CHECK(z.tiny_offset == 8);
  auto w = a.alloc(2, true, 0);  // no room: a new block
  CHECK(w.slot != x.slot);
  CHECK(a.counters().objects == 2);  // two 16 B blocks
  CHECK(a.counters().tiny_allocs == 4);
  auto p = a.alloc(4, false, 0);  // pointerful: never tiny
  CHECK_FALSE(p.tiny);
}

TEST_CASE("large objects get their own pages and return them when freed") {
  Allocator a(1, SpanLayout::go119);
  auto r = a.alloc(40000, true, 0);  // 5 pages
  CHECK(a.counters().heap_live == 40960);
  CHECK(a.heap_in_use_bytes() == 40960);
  a.free_object(r);
  CHECK(a.heap_in_use_bytes() == 0);
  CHECK(a.page_heap().stats().pages_free == 5);
}

TEST_CASE("a span whose objects were freed while a P cached it goes back when the P moves on") {
  // Class 5 (48 B): 170 slots in one 8 KiB page. While the P caches the span, objects in it
  // die (the allocator benchmark frees at any time). When its search reaches the end, the
  // refill gives it back to the mcentral: with a free slot it is the partial span the refill
  // takes, with nothing in it its page returns. Either way one page stays in use, not two
  // (a span left out was never found again).
  Allocator a(1, SpanLayout::go119);
  SUBCASE("one object left: found again as a partial span") {
    ObjectRef prev = a.alloc(48, true, 0);
    const SpanId first = prev.span;
    for (int i = 1; i < 170; ++i) {
      const ObjectRef r = a.alloc(48, true, 0);
      a.free_object(prev);
      prev = r;
    }
    CHECK(a.span(first).alloc_count == 1);
    const ObjectRef next = a.alloc(48, true, 0);  // searched out: refill
    CHECK(next.span == first);
    CHECK(next.slot == 0);  // the search starts over from the first slot
    CHECK(a.heap_in_use_bytes() == 8192);
  }
  SUBCASE("every object freed: its page goes back to the page heap") {
    std::vector<ObjectRef> all;
    for (int i = 0; i < 170; ++i) all.push_back(a.alloc(48, true, 0));
    for (const ObjectRef& r : all) a.free_object(r);
    a.alloc(48, true, 0);  // refill: the old span is released, its page taken again
    CHECK(a.heap_in_use_bytes() == 8192);
    CHECK(a.span_ids() == 1);
  }
}

TEST_CASE("random allocation and freeing keeps every count consistent") {
  Allocator a(4, SpanLayout::go122);
  RngStream rng(3, "alloc-test");
  std::deque<ObjectRef> live;
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t size = 1 + static_cast<std::uint64_t>(rng.lognormal(96, 1.3));
    if (size > 200000) size = 200000;
    bool noscan = rng.uniform() < 0.5;
    ObjectRef r = a.alloc(size, noscan, i % 4);
    if (!r.tiny) live.push_back(r);
    if (live.size() > 5000) {
      a.free_object(live.front());
      live.pop_front();
    }
    if (i % 50000 == 49999) a.flush_mcaches();
  }
  std::uint64_t bytes = 0, objects = 0, span_bytes = 0;
  for (const auto& u : a.usage_by_class()) {
    bytes += u.object_bytes;
    objects += u.objects;
    span_bytes += u.span_bytes;
  }
  CHECK(bytes == a.counters().heap_alloc);
  CHECK(objects == a.counters().objects);
  CHECK(span_bytes == a.heap_in_use_bytes());
  CHECK(a.heap_in_use_bytes() >= a.counters().heap_alloc);
  const auto& st = a.page_heap().stats();
  CHECK(st.pages_in_use + st.pages_free + st.pages_released == st.grown_pages);
  // The object level reports the same memory classes as the fluid level.
  MemoryClasses m = a.classes(0, 0);
  CHECK(m.heap_objects + m.heap_unused == a.heap_in_use_bytes());
  CHECK(m.total() - m.other == doctest::Approx(static_cast<double>(st.grown_pages * kPageBytes)));
  // `other` is the runtime's metadata here (no other memory given): the fluid level's formula.
  CHECK(m.other == doctest::Approx(runtime_metadata_bytes(static_cast<double>(st.arenas), arena_metadata_bytes(SpanLayout::go122),
                                                          static_cast<double>(a.span_ids()), a.peak_mark_bit_bytes())));
  // The spans in use now have at most the peak's mark bits, and at least 8 B each.
  double bits_now = 0, in_use = 0;
  for (std::size_t id = 0; id < a.span_ids(); ++id) {
    const Span& s = a.span(static_cast<SpanId>(id));
    if (!s.in_use) continue;
    bits_now += mark_bit_bytes(s.nelems);
    in_use += 1;
  }
  CHECK(bits_now <= a.peak_mark_bit_bytes());
  CHECK(a.peak_mark_bit_bytes() >= 8 * in_use);
}

TEST_CASE("a span's mark bits: 8 bytes per 64 slots, at least 8, and the allocator keeps their peak over the spans in use") {
  CHECK(mark_bit_bytes(1) == 8);
  CHECK(mark_bit_bytes(64) == 8);
  CHECK(mark_bit_bytes(65) == 16);
  CHECK(mark_bit_bytes(341) == 48);   // 24 B slots in an 8 KiB span
  CHECK(mark_bit_bytes(1024) == 128); // 8 B slots
  Allocator a(1, SpanLayout::go119);
  // Three 8 KiB spans of 24 B noscan slots (341 each; 1,023 objects), then one large object.
  std::vector<ObjectRef> objs;
  for (int i = 0; i < 3 * 341; ++i) objs.push_back(a.alloc(24, true, 0));
  auto big = a.alloc(40000, true, 0);
  CHECK(a.peak_mark_bit_bytes() == 3 * 48 + 8);
  // Freeing the large object lowers what is in use, not the peak; a new one reuses its room.
  a.free_object(big);
  big = a.alloc(40000, true, 0);
  CHECK(a.peak_mark_bit_bytes() == 3 * 48 + 8);
  a.alloc(40000, true, 0);
  CHECK(a.peak_mark_bit_bytes() == 3 * 48 + 16);
}
