#include "models/heap/size_classes.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace gogcsim {

std::uint64_t rounded_alloc_bytes(std::uint64_t size_bytes) {
  if (size_bytes == 0) return 0;
  if (size_bytes <= kMaxSmallSizeBytes) return kSizeClassesGo119[size_to_class(static_cast<std::uint32_t>(size_bytes))].bytes_per_obj;
  return (size_bytes + kPageBytes - 1) / kPageBytes * kPageBytes;
}

double max_waste_frac(int c) {
  const auto& k = kSizeClassesGo119[c];
  std::uint32_t prev = kSizeClassesGo119[c - 1].bytes_per_obj;
  return static_cast<double>((k.bytes_per_obj - prev - 1) * k.objects() + k.tail_waste_bytes()) /
         static_cast<double>(k.bytes_per_span);
}

namespace {
// Versions are "1.N": N.
int go_minor(const std::string& v) { return v.size() > 2 ? std::atoi(v.c_str() + 2) : 0; }
}  // namespace

SpanLayout span_layout_for(const std::string& v) {
  const int minor = go_minor(v);
  if (minor >= 26) return SpanLayout::greentea;
  if (minor >= 22) return SpanLayout::go122;
  return SpanLayout::go119;
}

double min_scan_bytes_per_object(const std::string& v) { return go_minor(v) <= 19 ? 16 : 0; }

const char* span_layout_name(SpanLayout l) {
  switch (l) {
    case SpanLayout::go119: return "go1.19 (separate heap bitmap)";
    case SpanLayout::go122: return "go1.22 (in-span pointer bitmaps, malloc headers)";
    case SpanLayout::greentea: return "Green Tea (1.26: inline mark bits)";
  }
  return "?";
}

std::uint32_t objects_per_span(int c, bool noscan, SpanLayout layout) {
  const auto& k = kSizeClassesGo119[c];
  std::uint32_t usable = k.bytes_per_span;
  if (layout != SpanLayout::go119 && !noscan && k.bytes_per_obj <= kMinSizeForMallocHeader) {
    usable -= k.bytes_per_span / 64;  // one pointer bit per 8-byte word
  }
  if (layout == SpanLayout::greentea && k.bytes_per_obj >= 16 && k.bytes_per_obj <= 512) {
    usable -= 128;  // inline mark bits
  }
  return usable / k.bytes_per_obj;
}

double mark_bit_bytes(std::uint32_t slots) { return 8.0 * std::max<std::uint32_t>(1, (slots + 63) / 64); }


void print_size_classes(std::ostream& out, SpanLayout layout) {
  out << "// class  bytes/obj  bytes/span  objects  tail waste  max waste  min align\n";
  char buf[128];
  for (int c = 1; c < kNumSizeClasses; ++c) {
    const auto& k = kSizeClassesGo119[c];
    std::snprintf(buf, sizeof buf, "// %5d  %9u  %10u  %7u  %10u  %8.2f%%  %9u\n", c, k.bytes_per_obj,
                  k.bytes_per_span, k.objects(), k.tail_waste_bytes(), 100 * max_waste_frac(c),
                  k.min_align_bytes());
    out << buf;
  }
  if (layout == SpanLayout::go119) return;
  out << "\n// " << span_layout_name(layout) << ": objects per span\n";
  out << "// class  bytes/obj  noscan objects  scan objects\n";
  for (int c = 1; c < kNumSizeClasses; ++c) {
    std::snprintf(buf, sizeof buf, "// %5d  %9u  %14u  %12u\n", c, kSizeClassesGo119[c].bytes_per_obj,
                  objects_per_span(c, true, layout), objects_per_span(c, false, layout));
    out << buf;
  }
  out << "// pointerful objects over " << kMinSizeForMallocHeader << " B carry an " << kMallocHeaderBytes
      << " B malloc header; over " << kMaxSmallSizeBytes - kMallocHeaderBytes << " B they are large\n";
}

}  // namespace gogcsim
