// Go's size classes: every small object (<= 32 KiB) is rounded up to one of 67 sizes and
// lives in a span of whole 8 KiB pages holding objects of that size only.
//
// The table is data (src/runtime/sizeclasses.go of go1.19; identical through 1.25, see the
// reference §9), in the column format of that file's header comment:
//
//   class  bytes/obj  bytes/span  objects  tail waste  max waste  min align
//
// Only bytes/obj and bytes/span are stored; the other columns are derived exactly as Go's
// mksizeclasses.go derives them, and static_asserts pin the shape of the table.
//
// What fits in a span changed after 1.21 (reference §9 "Version differences"):
//   go119     (1.5–1.21)  a separate heap bitmap: objects = span bytes / object size
//   go122     (1.22–1.25) pointerful objects <= 512 B keep their pointer bitmap at the end of
//                         the span (span bytes / 64: 128 B per 8 KiB); pointerful objects
//                         > 512 B carry an 8 B malloc header (the class is chosen for size + 8,
//                         and anything over 32760 B is large)
//   greentea  (1.25 with GOEXPERIMENT=greenteagc, 1.26) as go122, and spans of the 16–512 B
//                         classes also reserve 128 B of inline mark bits, scan and noscan
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

namespace gogcsim {

inline constexpr std::uint32_t kPageBytes = 8192;         ///< _PageSize (1 << 13)
inline constexpr std::uint32_t kMaxSmallSizeBytes = 32768;  ///< _MaxSmallSize
inline constexpr std::uint32_t kTinySizeBytes = 16;        ///< _TinySize
inline constexpr int kNumSizeClasses = 68;                  ///< including class 0 (large objects)

struct SizeClass {
  std::uint32_t bytes_per_obj;
  std::uint32_t bytes_per_span;
  constexpr std::uint32_t objects() const { return bytes_per_obj ? bytes_per_span / bytes_per_obj : 0; }
  constexpr std::uint32_t tail_waste_bytes() const { return bytes_per_span - objects() * bytes_per_obj; }
  constexpr std::uint32_t pages() const { return bytes_per_span / kPageBytes; }
  /// Largest power of two dividing the size, at most one page.
  constexpr std::uint32_t min_align_bytes() const {
    std::uint32_t a = bytes_per_obj & (~bytes_per_obj + 1);
    return a > kPageBytes ? kPageBytes : a;
  }
};

/// Index 0 is the large-object class (no fixed size).
// bytes/obj, bytes/span for classes 0..67 (go1.19 src/runtime/sizeclasses.go).
inline constexpr std::array<SizeClass, kNumSizeClasses> kSizeClassesGo119{{
    {0, 0},         {8, 8192},      {16, 8192},     {24, 8192},     {32, 8192},     {48, 8192},
    {64, 8192},     {80, 8192},     {96, 8192},     {112, 8192},    {128, 8192},    {144, 8192},
    {160, 8192},    {176, 8192},    {192, 8192},    {208, 8192},    {224, 8192},    {240, 8192},
    {256, 8192},    {288, 8192},    {320, 8192},    {352, 8192},    {384, 8192},    {416, 8192},
    {448, 8192},    {480, 8192},    {512, 8192},    {576, 8192},    {640, 8192},    {704, 8192},
    {768, 8192},    {896, 8192},    {1024, 8192},   {1152, 8192},   {1280, 8192},   {1408, 16384},
    {1536, 8192},   {1792, 16384},  {2048, 8192},   {2304, 16384},  {2688, 8192},   {3072, 24576},
    {3200, 16384},  {3456, 24576},  {4096, 8192},   {4864, 24576},  {5376, 16384},  {6144, 24576},
    {6528, 32768},  {6784, 40960},  {6912, 49152},  {8192, 8192},   {9472, 57344},  {9728, 49152},
    {10240, 40960}, {10880, 32768}, {12288, 24576}, {13568, 40960}, {14336, 57344}, {16384, 16384},
    {18432, 73728}, {19072, 57344}, {20480, 40960}, {21760, 65536}, {24576, 24576}, {27264, 81920},
    {28672, 57344}, {32768, 32768},
}};

namespace detail {
constexpr bool table_is_sane() {
  for (int c = 1; c < kNumSizeClasses; ++c) {
    const auto& k = kSizeClassesGo119[c];
    if (k.bytes_per_span % kPageBytes != 0 || k.objects() == 0) return false;
    if (c > 1 && kSizeClassesGo119[c - 1].bytes_per_obj >= k.bytes_per_obj) return false;
  }
  return kSizeClassesGo119[kNumSizeClasses - 1].bytes_per_obj == kMaxSmallSizeBytes;
}
}  // namespace detail
static_assert(kNumSizeClasses == 68, "go1.19 has 68 size classes including class 0");
static_assert(detail::table_is_sane(), "size classes must grow, fill whole pages and end at 32 KiB");

enum class SpanLayout { go119, go122, greentea };
/// The layout of a Go version ("1.19" -> go119, "1.22" -> go122, "1.26" -> greentea).
SpanLayout span_layout_for(const std::string& go_version);
const char* span_layout_name(SpanLayout layout);

/// Heap scan work of a pointerful object of two words or more, at least. Go 1.19's 2-bit heap
/// bitmap sets the scan bit of an object's first two words whatever its type (mbitmap.go,
/// heapBitsSetType), and scanobject stops at the first word without one: 16 B for a record
/// whose only pointer is its first word (tests/validation's bursty: gcpacertrace counts 2.2 MB
/// of heap scan work a cycle for 131,072 such 256 B records). 1.20's 1-bit bitmap scans to the
/// last pointer: no minimum beyond it (0). (mallocgc adds the type's ptrdata to heapScan, 8 B
/// for such a record; the fluid level counts the scan work for both, so between marks its
/// heapScan can run ahead of the runtime's by the difference.)
double min_scan_bytes_per_object(const std::string& go_version);

inline constexpr std::uint32_t kMallocHeaderBytes = 8;      ///< mallocHeaderSize (1.22+)
inline constexpr std::uint32_t kMinSizeForMallocHeader = 512;  ///< larger pointerful objects get a header

/// Objects of class `c` in one span (`noscan`: pointer-free span class).
std::uint32_t objects_per_span(int c, bool noscan, SpanLayout layout);
/// A span's mark bits (gcBits; its allocation bits are as many): 8 bytes per 64 slots, at
/// least 8.
double mark_bit_bytes(std::uint32_t slots);

/// Where an allocation of `size_bytes` goes: its class (0 = large), the bytes it occupies
/// (the class's slot, or whole pages for a large object) and whether a malloc header is in it.
struct SlotChoice {
  int size_class = 0;
  std::uint64_t slot_bytes = 0;
  bool large = false;
  bool header = false;
};

namespace detail {
// Lookup tables as Go builds them: by 8-byte steps up to 1024, by 128-byte steps above.
// Built at compile time, so a lookup is one load; in the header, so that the allocator's fast
// path inlines it.
struct ClassLookup {
  std::array<std::uint8_t, 1024 / 8 + 1> by8{};
  std::array<std::uint8_t, (kMaxSmallSizeBytes - 1024) / 128 + 1> by128{};
  constexpr ClassLookup() {
    int c = 1;
    for (std::uint32_t i = 0; i < by8.size(); ++i) {
      while (kSizeClassesGo119[c].bytes_per_obj < i * 8) ++c;
      by8[i] = static_cast<std::uint8_t>(c);
    }
    for (std::uint32_t i = 0; i < by128.size(); ++i) {
      while (kSizeClassesGo119[c].bytes_per_obj < 1024 + i * 128) ++c;
      by128[i] = static_cast<std::uint8_t>(c);
    }
  }
};
inline constexpr ClassLookup kClassLookup{};
}  // namespace detail

/// The smallest class whose objects fit `size_bytes` (1 .. 32768); Go's size_to_class8/128.
inline int size_to_class(std::uint32_t size_bytes) {
  if (size_bytes <= 1024 - 8) return detail::kClassLookup.by8[(size_bytes + 7) / 8];
  return detail::kClassLookup.by128[(size_bytes - 1024 + 127) / 128];
}

inline SlotChoice choose_slot(std::uint64_t size, bool noscan, SpanLayout layout) {
  SlotChoice s;
  std::uint64_t need = size == 0 ? 1 : size;
  if (layout != SpanLayout::go119 && !noscan && need > kMinSizeForMallocHeader) {
    need += kMallocHeaderBytes;
    s.header = true;
  }
  if (need > kMaxSmallSizeBytes) {
    s.large = true;
    s.header = false;  // large objects keep their type in the span, no header
    s.slot_bytes = (size + kPageBytes - 1) / kPageBytes * kPageBytes;
    return s;
  }
  s.size_class = size_to_class(static_cast<std::uint32_t>(need));
  s.slot_bytes = kSizeClassesGo119[s.size_class].bytes_per_obj;
  return s;
}

/// Per span class of a heap the object level built: what is in use and what the spans hold
/// (the fragmentation report).
struct ClassUsage {
  int size_class = 0;
  bool noscan = false;
  std::uint64_t spans = 0;
  std::uint64_t objects = 0;
  std::uint64_t object_bytes = 0;  ///< allocated slots × slot size
  std::uint64_t span_bytes = 0;    ///< pages of those spans
};

/// Bytes Go actually uses for an object of `size_bytes`: the class size, or whole pages for
/// a large object.
std::uint64_t rounded_alloc_bytes(std::uint64_t size_bytes);
/// Worst-case waste of class c as a fraction (Go's "max waste" column).
double max_waste_frac(int c);
/// Prints the table in sizeclasses.go's comment format; for layouts after go119 a second
/// table gives the objects per span of scan and noscan span classes.
void print_size_classes(std::ostream& out, SpanLayout layout = SpanLayout::go119);

}  // namespace gogcsim
