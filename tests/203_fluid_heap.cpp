// The fluid level's span accounting (SpanMix) and page books (FluidHeap).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "models/heap/fluid_heap.hpp"
#include "models/heap/span_mix.hpp"
#include "sim/rng.hpp"
#include "test_util.hpp"

using namespace gogcsim;

TEST_CASE("a span of n objects with independent exponential survival stays in use for H(n) lifetimes") {
  // The identity SpanMix relies on: ∫0^∞ 1 − (1 − e^−x)^n dx = H(n), checked numerically.
  for (int n : {1, 2, 5, 64}) {
    double integral = 0;
    const double dx = 1e-4;
    for (double x = dx / 2; x < 60; x += dx) integral += (1 - std::pow(1 - std::exp(-x), n)) * dx;
    double h = 0;
    for (int k = 1; k <= n; ++k) h += 1.0 / k;
    CHECK(integral == doctest::Approx(h).epsilon(1e-4));
  }
  // And by simulation: spans of 8 objects whose lifetimes are exponential(1): the time the
  // last one dies has mean H(8) = 2.7179.
  RngStream rng(9, "spans");
  double total = 0;
  const int spans = 200000;
  for (int i = 0; i < spans; ++i) {
    double last = 0;
    for (int k = 0; k < 8; ++k) last = std::max(last, rng.exponential(1.0));
    total += last;
  }
  CHECK(total / spans == doctest::Approx(2.717857).epsilon(0.01));
}

TEST_CASE("span mix of one size: shares, fill and survivor factor by hand") {
  // 64 B pointer-free objects: class 6, 128 per 8 KiB span, no tail.
  SpanMix m = SpanMix::from_sizes({64}, 0.0, SpanLayout::go119);
  CHECK(m.share[6 * 2 + 1] == 1.0);
  CHECK(m.dense_factor == 1.0);
  double h128 = 0;
  for (int k = 1; k <= 128; ++k) h128 += 1.0 / k;
  CHECK(m.sparse_factor == doctest::Approx(h128));  // 5.4331
  CHECK(m.mcache_bytes == 4096);                    // half a span per P
  // 48 B objects: 170 per span, 32 B tail: span bytes per object byte = 8192/8160.
  SpanMix t = SpanMix::from_sizes({48}, 1.0, SpanLayout::go119);
  CHECK(t.dense_factor == doctest::Approx(8192.0 / 8160.0));
  // Go 1.22: 8 B pointerful objects, 1008 per span (the 128 B bitmap is lost).
  SpanMix b = SpanMix::from_sizes({8}, 1.0, SpanLayout::go122);
  CHECK(b.dense_factor == doctest::Approx(8192.0 / 8064.0));
  // Tiny: 4 B pointer-free objects pack into class 2 noscan blocks at their own size.
  SpanMix tiny = SpanMix::from_sizes({4}, 0.0, SpanLayout::go119);
  CHECK(tiny.share[2 * 2 + 1] == 1.0);
  CHECK(tiny.mean_slot_bytes == 4);
  // Large objects: one per span.
  SpanMix large = SpanMix::from_sizes({100000}, 0.0, SpanLayout::go119);
  CHECK(large.share[1] == 1.0);
  CHECK(large.sparse_factor == 1.0);
  CHECK(large.mean_slot_bytes == 106496);  // 13 pages
}

TEST_CASE("the spread of one object's size-class bytes: tests/real/memory/large-objects' mix by hand") {
  // 64 KiB .3, 100,000 B .2, 128 KiB .15, 256 KiB .15, 300,000 B .1, 512 KiB .06, 1 MiB .04; as
  // large objects 100,000 and 300,000 B take whole pages: 106,496 and 303,104 B. Mean 203,653.12 B
  // (the program's header), E[s^2] - mean^2 = 4.4627e10 B^2 (sd 211 KB): 512 of them (its two
  // rings of 256) spread by sqrt(512) x 211 KB = 4.56 MiB.
  std::vector<double> sizes;
  const std::pair<double, int> mix[] = {{65536, 30}, {100000, 20}, {131072, 15}, {262144, 15}, {300000, 10}, {524288, 6}, {1048576, 4}};
  for (const auto& [size, n] : mix) sizes.insert(sizes.end(), static_cast<std::size_t>(n), size);
  const SpanMix m = SpanMix::from_sizes(sizes, 0.0, SpanLayout::go119);
  CHECK(m.mean_slot_bytes == doctest::Approx(203653.12));
  CHECK(m.slot_bytes_variance == doctest::Approx(4.46274214e10));
  // One size: no spread.
  CHECK(SpanMix::from_sizes({100000}, 0.0, SpanLayout::go119).slot_bytes_variance == doctest::Approx(0));
}

TEST_CASE("long-lived objects among short-lived ones of their class: the dead slots a sweep keeps, by hand") {
  // One class: 24 B pointerful objects, 8192 / 24 = 341 per span. 21 % of the bytes stay live:
  // a span dies only if none of its 341 does, 0.79^341 ~ 1e-35, so every span stays and 79 %
  // of what was allocated is left unused in them.
  SpanMix m = SpanMix::from_sizes({24}, 1.0, SpanLayout::go119);
  CHECK(m.interleaved_holes_per_byte(0.21, 24, false, SpanLayout::go119) == doctest::Approx(0.79));
  // One in a thousand: 1 - 0.999^341 = 28.9 % of the spans stay, holding 99.9 % dead slots.
  CHECK(m.interleaved_holes_per_byte(0.001, 24, false, SpanLayout::go119) ==
        doctest::Approx(0.999 * (1 - std::pow(0.999, 341))).epsilon(1e-9));
  // Long-lived objects of a class the short-lived ones do not use, or large ones (a span
  // each), share no span with the dead: no holes.
  CHECK(m.interleaved_holes_per_byte(0.21, 24, true, SpanLayout::go119) == 0);   // noscan: other class
  CHECK(m.interleaved_holes_per_byte(0.21, 64, false, SpanLayout::go119) == 0);
  CHECK(m.interleaved_holes_per_byte(0.21, 100000, false, SpanLayout::go119) == 0);
  // Everything in the class kept: no dead slot.
  CHECK(m.interleaved_holes_per_byte(1.0, 24, false, SpanLayout::go119) == 0);
}

TEST_CASE("the page books: 4 MiB growth, Prepared memory counted released, reuse order, sweeps") {
  const double MiB = 1048576;
  FluidHeap h(2 * MiB, 10 * MiB);
  h.set_objects(1 * MiB, 1 * MiB);
  CHECK(h.in_use() == 1 * MiB);
  CHECK(h.released() == 3 * MiB);  // the rest of the first 4 MiB chunk
  CHECK(h.classes().mapped_ready() == 1 * MiB + 2 * MiB + 10 * MiB + h.metadata());
  // Metadata: the base, one arena's record, per 8 KiB span in use an mspan and its mark bits
  // (the default: one object a span, 8 B of bits): 144 + 9.5 + 3.5 x 8 B.
  CHECK(h.metadata() == doctest::Approx(5.6 * MiB + 2.0625 * MiB + 128 * (144 + 9.5 + 3.5 * 8)));
  h.set_objects(5 * MiB, 5 * MiB);  // 3 MiB recommitted, 1 MiB grown (a new 4 MiB chunk)
  CHECK(h.recommitted() == 3 * MiB);
  CHECK(h.released() == 3 * MiB);
  h.set_objects(2 * MiB, 0);  // the sweep freed objects...
  h.sweep_to(3 * MiB);        // ...and left 3 MiB of spans in use
  CHECK(h.in_use() == 3 * MiB);
  CHECK(h.free() == 2 * MiB);
  CHECK(h.classes().heap_unused == 1 * MiB);
  h.set_objects(4 * MiB, 4 * MiB);  // free pages are reused before released ones
  CHECK(h.free() == 1 * MiB);
  CHECK(h.released() == 3 * MiB);
  CHECK(h.release(5 * MiB) == 1 * MiB);  // only free pages can be released
  // Growing past the retained goal releases as much as the heap grew past it.
  h.set_retained_goal(6 * MiB);
  h.set_objects(10 * MiB, 10 * MiB);
  CHECK(h.retained() <= 10 * MiB);
  CHECK(h.classes().total() == doctest::Approx(h.in_use() + h.free() + h.released() + 12 * MiB + h.metadata()));
}

TEST_CASE("the scavenger meets the free pages in runs: a dead block whole, holes among spans in use") {
  const double MiB = 1048576;
  FluidHeap h(0, 0);
  h.set_spans_per_byte(1.0 / 8192);  // one-page spans
  h.set_objects(64 * MiB, 64 * MiB);
  // The sweep frees 16 MiB of spans, 8 of them spans of long-lived objects that died together.
  h.set_objects(40 * MiB, 0);
  h.sweep_to(48 * MiB, 8 * MiB);
  CHECK(h.free() == 16 * MiB);
  CHECK(h.next_free_run_bytes() == 8 * MiB);  // the block first: it lies highest
  CHECK(h.release(6 * MiB) == 6 * MiB);
  CHECK(h.next_free_run_bytes() == 2 * MiB);
  h.release(2 * MiB);
  // Then the 8 MiB of holes among 48 MiB of spans in use: each span free with probability
  // 8/56, runs of 1 / (1 - 8/56) = 1.167 spans, 9,557 B.
  CHECK(h.next_free_run_bytes() == doctest::Approx(8192 * 56.0 / 48));
  // Spans of four pages: runs of four times that.
  h.set_spans_per_byte(1.0 / 32768);
  CHECK(h.next_free_run_bytes() == doctest::Approx(32768 * 56.0 / 48));
  // Allocation takes the holes below the block first.
  FluidHeap g(0, 0);
  g.set_objects(64 * MiB, 64 * MiB);
  g.set_objects(40 * MiB, 0);
  g.sweep_to(48 * MiB, 8 * MiB);
  g.set_objects(54 * MiB, 54 * MiB);  // 6 MiB of the 8 MiB of holes refilled
  CHECK(g.free() == 10 * MiB);
  CHECK(g.next_free_run_bytes() == 8 * MiB);
  g.set_objects(60 * MiB, 60 * MiB);  // the holes are gone, 4 MiB of the block taken
  CHECK(g.next_free_run_bytes() == 4 * MiB);
}

TEST_CASE("a span's metadata beyond its mspan is the real runtime's: gcBits for three cycles") {
  // tests/validation/recordings/mark_bits.tsv (record_mark_bits.sh): with its arenas mapped
  // beforehand, Go 1.19's metadata/other grows by m_big a span for spans of one 8 KiB object
  // (8 B of mark bits) and by m_small for spans of 341 x 24 B (48 B; that case also holds
  // 2,500 spans of 8 B of bits for its 20,000 row slices, 0.125 of a big span each). Medians of
  // the repetitions; per span a + c x bits: a + 8c = m_big, a + 48c + 0.125 m_big = m_small.
  std::istringstream in(gogcsim::test::read_file(gogcsim::test::source_path("tests/validation/recordings/mark_bits.tsv")));
  std::map<std::string, std::vector<double>> other, mspan;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("case\t", 0) == 0) continue;
    const auto f = gogcsim::test::split_fields(line, '\t');  // case, rep, spans, bits, mspan, other
    REQUIRE(f.size() == 6);
    mspan[f[0]].push_back(std::stod(f[4]));
    other[f[0]].push_back(std::stod(f[5]));
  }
  auto median = [](std::vector<double> v) {
    REQUIRE(v.size() >= 3);
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  const double big = median(other["big"]), small = median(other["small"]);
  const double copies = (small - 0.125 * big - big) / 40;
  const double fixed = big - 8 * copies;
  MESSAGE("per span: ", fixed, " B + ", copies, " x its mark bits (model ", FluidHeap::kSpanBitsBytes, " + ",
          FluidHeap::kMarkBitsCopies, "); mspan ", median(mspan["big"]), " B (model ", FluidHeap::kMspanBytes, ")");
  CHECK(copies == doctest::Approx(FluidHeap::kMarkBitsCopies).epsilon(0.05));
  CHECK(fixed == doctest::Approx(FluidHeap::kSpanBitsBytes).epsilon(0.10));
  CHECK(median(mspan["big"]) == doctest::Approx(FluidHeap::kMspanBytes).epsilon(0.01));
  // And the fluid level's per-byte rate for a mix of 24 B objects, by hand: 341 slots in an
  // 8 KiB span, 48 B of mark bits a span: 48 / 8,192 per byte of spans in use.
  const SpanMix m = SpanMix::from_sizes({24}, 0, SpanLayout::go119);
  CHECK(m.mark_bits_per_byte == doctest::Approx(48.0 / 8192).epsilon(1e-9));
  CHECK(m.spans_per_byte == doctest::Approx(1.0 / 8192).epsilon(1e-9));
}
