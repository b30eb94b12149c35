#include "models/heap/size_classes.hpp"

#include <cstdio>

namespace gogcsim {



namespace {

// Lookup tables as Go builds them: by 8-byte steps up to 1024, by 128-byte steps above.
struct Lookup {
  std::array<std::uint8_t, 1024 / 8 + 1> by8{};
  std::array<std::uint8_t, (kMaxSmallSizeBytes - 1024) / 128 + 1> by128{};
  Lookup() {
    int c = 1;
    for (std::uint32_t i = 0; i < by8.size(); ++i) {
      std::uint32_t size = i * 8;
      while (kSizeClassesGo119[c].bytes_per_obj < size) ++c;
      by8[i] = static_cast<std::uint8_t>(c);
    }
    for (std::uint32_t i = 0; i < by128.size(); ++i) {
      std::uint32_t size = 1024 + i * 128;
      while (kSizeClassesGo119[c].bytes_per_obj < size) ++c;
      by128[i] = static_cast<std::uint8_t>(c);
    }
  }
};
const Lookup& lookup() {
  static const Lookup l;
  return l;
}
}  // namespace


int size_to_class(std::uint32_t size_bytes) {
  if (size_bytes <= 1024 - 8) return lookup().by8[(size_bytes + 7) / 8];
  return lookup().by128[(size_bytes - 1024 + 127) / 128];
}

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

void print_size_classes(std::ostream& out) {
  out << "// class  bytes/obj  bytes/span  objects  tail waste  max waste  min align\n";
  char buf[128];
  for (int c = 1; c < kNumSizeClasses; ++c) {
    const auto& k = kSizeClassesGo119[c];
    std::snprintf(buf, sizeof buf, "// %5d  %9u  %10u  %7u  %10u  %8.2f%%  %9u\n", c, k.bytes_per_obj,
                  k.bytes_per_span, k.objects(), k.tail_waste_bytes(), 100 * max_waste_frac(c),
                  k.min_align_bytes());
    out << buf;
  }
}

}  // namespace gogcsim
