// The size-class table against the reference (../shared/reference/go-gc-model.md §9, itself
// taken from go1.19 src/runtime/sizeclasses.go) row by row, and the size -> class lookup
// exhaustively over every small size.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "models/heap/size_classes.hpp"

using namespace gogcsim;

namespace {
struct Row {
  int cls;
  std::uint32_t bytes, span, objects, tail;
  double max_waste_pct;
  std::uint32_t align;
};
// class, bytes/obj, bytes/span, objects, tail waste, max waste %, min align: the reference table.
const Row kReference[] = {
    {1, 8, 8192, 1024, 0, 87.50, 8},
    {2, 16, 8192, 512, 0, 43.75, 16},
    {3, 24, 8192, 341, 8, 29.24, 8},
    {4, 32, 8192, 256, 0, 21.88, 32},
    {5, 48, 8192, 170, 32, 31.52, 16},
    {6, 64, 8192, 128, 0, 23.44, 64},
    {7, 80, 8192, 102, 32, 19.07, 16},
    {8, 96, 8192, 85, 32, 15.95, 32},
    {9, 112, 8192, 73, 16, 13.56, 16},
    {10, 128, 8192, 64, 0, 11.72, 128},
    {11, 144, 8192, 56, 128, 11.82, 16},
    {12, 160, 8192, 51, 32, 9.73, 32},
    {13, 176, 8192, 46, 96, 9.59, 16},
    {14, 192, 8192, 42, 128, 9.25, 64},
    {15, 208, 8192, 39, 80, 8.12, 16},
    {16, 224, 8192, 36, 128, 8.15, 32},
    {17, 240, 8192, 34, 32, 6.62, 16},
    {18, 256, 8192, 32, 0, 5.86, 256},
    {19, 288, 8192, 28, 128, 12.16, 32},
    {20, 320, 8192, 25, 192, 11.80, 64},
    {21, 352, 8192, 23, 96, 9.88, 32},
    {22, 384, 8192, 21, 128, 9.51, 128},
    {23, 416, 8192, 19, 288, 10.71, 32},
    {24, 448, 8192, 18, 128, 8.37, 64},
    {25, 480, 8192, 17, 32, 6.82, 32},
    {26, 512, 8192, 16, 0, 6.05, 512},
    {27, 576, 8192, 14, 128, 12.33, 64},
    {28, 640, 8192, 12, 512, 15.48, 128},
    {29, 704, 8192, 11, 448, 13.93, 64},
    {30, 768, 8192, 10, 512, 13.94, 256},
    {31, 896, 8192, 9, 128, 15.52, 128},
    {32, 1024, 8192, 8, 0, 12.40, 1024},
    {33, 1152, 8192, 7, 128, 12.41, 128},
    {34, 1280, 8192, 6, 512, 15.55, 256},
    {35, 1408, 16384, 11, 896, 14.00, 128},
    {36, 1536, 8192, 5, 512, 14.00, 512},
    {37, 1792, 16384, 9, 256, 15.57, 256},
    {38, 2048, 8192, 4, 0, 12.45, 2048},
    {39, 2304, 16384, 7, 256, 12.46, 256},
    {40, 2688, 8192, 3, 128, 15.59, 128},
    {41, 3072, 24576, 8, 0, 12.47, 1024},
    {42, 3200, 16384, 5, 384, 6.22, 128},
    {43, 3456, 24576, 7, 384, 8.83, 128},
    {44, 4096, 8192, 2, 0, 15.60, 4096},
    {45, 4864, 24576, 5, 256, 16.65, 256},
    {46, 5376, 16384, 3, 256, 10.92, 256},
    {47, 6144, 24576, 4, 0, 12.48, 2048},
    {48, 6528, 32768, 5, 128, 6.23, 128},
    {49, 6784, 40960, 6, 256, 4.36, 128},
    {50, 6912, 49152, 7, 768, 3.37, 256},
    {51, 8192, 8192, 1, 0, 15.61, 8192},
    {52, 9472, 57344, 6, 512, 14.28, 256},
    {53, 9728, 49152, 5, 512, 3.64, 512},
    {54, 10240, 40960, 4, 0, 4.99, 2048},
    {55, 10880, 32768, 3, 128, 6.24, 128},
    {56, 12288, 24576, 2, 0, 11.45, 4096},
    {57, 13568, 40960, 3, 256, 9.99, 256},
    {58, 14336, 57344, 4, 0, 5.35, 2048},
    {59, 16384, 16384, 1, 0, 12.49, 8192},
    {60, 18432, 73728, 4, 0, 11.11, 2048},
    {61, 19072, 57344, 3, 128, 3.57, 128},
    {62, 20480, 40960, 2, 0, 6.87, 4096},
    {63, 21760, 65536, 3, 256, 6.25, 256},
    {64, 24576, 24576, 1, 0, 11.45, 8192},
    {65, 27264, 81920, 3, 128, 10.00, 128},
    {66, 28672, 57344, 2, 0, 4.91, 4096},
    {67, 32768, 32768, 1, 0, 12.50, 8192},
};
}  // namespace

TEST_CASE("every row of the go1.19 size-class table matches the reference") {
  CHECK(std::size(kReference) == kNumSizeClasses - 1);
  for (const Row& r : kReference) {
    CAPTURE(r.cls);
    const SizeClass& c = kSizeClassesGo119[r.cls];
    CHECK(c.bytes_per_obj == r.bytes);
    CHECK(c.bytes_per_span == r.span);
    CHECK(c.objects() == r.objects);
    CHECK(c.tail_waste_bytes() == r.tail);
    CHECK(c.min_align_bytes() == r.align);
    CHECK(std::fabs(100 * max_waste_frac(r.cls) - r.max_waste_pct) <= 0.005);  // printed with 2 decimals
  }
}

TEST_CASE("every size 1..32768 maps to the smallest class that fits it") {
  for (std::uint32_t size = 1; size <= kMaxSmallSizeBytes; ++size) {
    int c = size_to_class(size);
    REQUIRE(c >= 1);
    REQUIRE(c < kNumSizeClasses);
    REQUIRE(kSizeClassesGo119[c].bytes_per_obj >= size);
    REQUIRE(kSizeClassesGo119[c - 1].bytes_per_obj < size);
  }
}

TEST_CASE("allocation rounding: small sizes to their class, large ones to whole pages") {
  CHECK(rounded_alloc_bytes(1) == 8);
  CHECK(rounded_alloc_bytes(100) == 112);
  CHECK(rounded_alloc_bytes(1025) == 1152);
  CHECK(rounded_alloc_bytes(32768) == 32768);
  CHECK(rounded_alloc_bytes(32769) == 40960);  // 5 pages
  CHECK(rounded_alloc_bytes(1 << 20) == 1 << 20);
}

TEST_CASE("gogcsim size-classes prints Go's comment format") {
  std::ostringstream out;
  print_size_classes(out);
  std::string s = out.str();
  // Lines copied from the header comment of go1.19 src/runtime/sizeclasses.go.
  CHECK(s.find("// class  bytes/obj  bytes/span  objects  tail waste  max waste  min align\n") == 0);
  CHECK(s.find("\n//     1          8        8192     1024           0     87.50%          8\n") != std::string::npos);
  CHECK(s.find("\n//    67      32768       32768        1           0     12.50%       8192\n") != std::string::npos);
}

TEST_CASE("objects per span for classes 1-26 match the reference for every layout") {
  // Reference §9 "Objects per 8 KiB span for classes 1–26".
  const std::uint32_t all_noscan[] = {1024, 512, 341, 256, 170, 128, 102, 85, 73, 64, 56, 51, 46, 42, 39, 36, 34, 32, 28, 25, 23, 21, 19, 18, 17, 16};
  const std::uint32_t scan_122[] = {1008, 504, 336, 252, 168, 126, 100, 84, 72, 63, 56, 50, 45, 42, 38, 36, 33, 31, 28, 25, 22, 21, 19, 18, 16, 15};
  const std::uint32_t greentea_noscan[] = {1024, 504, 336, 252, 168, 126, 100, 84, 72, 63, 56, 50, 45, 42, 38, 36, 33, 31, 28, 25, 22, 21, 19, 18, 16, 15};
  const std::uint32_t greentea_scan[] = {1008, 496, 330, 248, 165, 124, 99, 82, 70, 62, 55, 49, 45, 41, 38, 35, 33, 31, 27, 24, 22, 20, 19, 17, 16, 15};
  for (int c = 1; c <= 26; ++c) {
    CAPTURE(c);
    CHECK(objects_per_span(c, true, SpanLayout::go119) == all_noscan[c - 1]);
    CHECK(objects_per_span(c, false, SpanLayout::go119) == all_noscan[c - 1]);
    CHECK(objects_per_span(c, true, SpanLayout::go122) == all_noscan[c - 1]);
    CHECK(objects_per_span(c, false, SpanLayout::go122) == scan_122[c - 1]);
    CHECK(objects_per_span(c, true, SpanLayout::greentea) == greentea_noscan[c - 1]);
    CHECK(objects_per_span(c, false, SpanLayout::greentea) == greentea_scan[c - 1]);
  }
  // Above 512 B nothing is reserved in the span (1.22 uses malloc headers there).
  for (int c = 27; c < kNumSizeClasses; ++c) {
    CHECK(objects_per_span(c, false, SpanLayout::greentea) == kSizeClassesGo119[c].objects());
  }
}

TEST_CASE("every size 1..32768 goes to the smallest class that fits it under every layout") {
  for (SpanLayout layout : {SpanLayout::go119, SpanLayout::go122, SpanLayout::greentea}) {
    for (bool noscan : {true, false}) {
      for (std::uint64_t size = 1; size <= kMaxSmallSizeBytes; ++size) {
        SlotChoice s = choose_slot(size, noscan, layout);
        // 1.22+: pointerful objects over 512 B need 8 more bytes for the malloc header.
        const bool header = layout != SpanLayout::go119 && !noscan && size > 512;
        const std::uint64_t need = size + (header ? 8 : 0);
        if (need > kMaxSmallSizeBytes) {
          REQUIRE(s.large);
          REQUIRE(s.slot_bytes == 32768);  // 32761..32768 B: a large object of 4 whole pages
          continue;
        }
        REQUIRE_FALSE(s.large);
        REQUIRE(s.header == header);
        REQUIRE(s.slot_bytes >= need);
        REQUIRE(kSizeClassesGo119[s.size_class - 1].bytes_per_obj < need);
      }
    }
  }
  CHECK(span_layout_for("1.19") == SpanLayout::go119);
  CHECK(span_layout_for("1.21") == SpanLayout::go119);
  CHECK(span_layout_for("1.22") == SpanLayout::go122);
  CHECK(span_layout_for("1.25") == SpanLayout::go122);
  CHECK(span_layout_for("1.26") == SpanLayout::greentea);
  CHECK(span_layout_for("1.5") == SpanLayout::go119);
}
