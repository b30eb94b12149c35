// Allocation traces for the object level: a versioned binary format of fixed-size
// little-endian records, and a text twin that converts to and from it losslessly.
//
// Binary (version 2):
//   header  16 bytes: "GOGCTRC\0", u32 version = 2, u32 record_bytes = 24
//   record  24 bytes: u8 kind, u8 flags, u16 reserved (0), u32 object, u64 t_ns, u32 x, u32 y
//   end     the last record: kind 31, all else 0 but x, y: the count of records before it
//           (low, high 32 bits). A trace cut at a record boundary, a block of a copy that
//           never arrived, lacks it and is rejected; version 1 (no end record) still reads.
// Text: a first line "# gogcsim-trace v2", then one record per line (other '#' lines are
// comments), and last "end COUNT" (version 1 text, "# gogcsim-trace v1", has none):
//   T alloc ID SIZE FIELDS [noscan] [root]   a new object of SIZE bytes with FIELDS pointer
//                                            fields; `root`: a stack or global holds it
//   T write SRC FIELD DST|nil                SRC's pointer field FIELD := DST
//   T root ID                                a stack or global takes a reference to ID
//   T unlink ID                              ... and drops it
//   T death ID                               ID is unreachable from now on (traces without
//                                            pointers, e.g. Go's allocfreetrace)
//   T gc                                     runtime.GC()
//   T gogc PERCENT|off                       debug.SetGCPercent
//   T limit BYTES|off                        debug.SetMemoryLimit
// T is the program's time in ns (mutator time: GC slows its passage, not its order) and
// never decreases. Object ids are the trace's own: any u32 but nil (2^32-1), unique among
// objects alive at once.
//
// TraceReader streams either form in batches (memory does not grow with the trace) and
// rejects corrupt input with the record's index and byte offset (binary) or line (text).
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace gogcsim {

enum class TraceKind : std::uint8_t {
  alloc = 1, write = 2, root = 3, unlink = 4, death = 5, gc = 16, gogc = 17, limit = 18,
};

/// One record, exactly as stored on disk (little-endian hosts: memcpy-able).
struct TraceRecord {
  TraceKind kind = TraceKind::alloc;
  std::uint8_t flags = 0;          ///< alloc: kNoscan | kRoot
  std::uint16_t reserved = 0;
  std::uint32_t object = 0;        ///< alloc/root/unlink/death: the object; write: the source
  std::uint64_t t_ns = 0;
  std::uint32_t x = 0;             ///< alloc: size; write: field; gogc: percent (or ~0 = off); limit: low 32 bits
  std::uint32_t y = 0;             ///< alloc: pointer fields; write: target (kTraceNil); limit: high 32 bits

  static constexpr std::uint8_t kNoscan = 1, kRoot = 2;
  bool operator==(const TraceRecord&) const = default;
};
static_assert(sizeof(TraceRecord) == 24, "trace records are 24 bytes on disk");

inline constexpr std::uint32_t kTraceNil = 0xFFFFFFFFu;
inline constexpr std::uint32_t kTraceVersion = 2;  ///< written; 1 is read too
inline constexpr char kTraceMagic[8] = {'G', 'O', 'G', 'C', 'T', 'R', 'C', '\0'};
/// limit records: the 64-bit value for "off" (no limit).
inline constexpr std::uint64_t kTraceNoLimit = ~std::uint64_t{0};

/// Where the object level's records come from: a trace file (TraceReader) or a generator
/// (models/workload/graph.hpp). Records arrive in time order.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  /// Replaces `out` with the next records (about `max_records`: a generator finishes the
  /// operation it is in); false at the end.
  virtual bool next_batch(std::vector<TraceRecord>& out, std::size_t max_records = 4096) = 0;
  /// Names the source in error messages (a path).
  virtual const std::string& name() const = 0;
};

class TraceReader : public RecordSource {
 public:
  /// Opens `path`; binary if it starts with the magic, text otherwise. Throws InputError.
  explicit TraceReader(const std::string& path);
  /// Replaces `out` with up to `max_records` next records; false at the end of the trace.
  bool next_batch(std::vector<TraceRecord>& out, std::size_t max_records = 4096) override;
  const std::string& name() const override { return path_; }
  bool binary() const { return binary_; }
  /// Records read so far.
  std::uint64_t records() const { return index_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void check(const TraceRecord& r);
  void end_at(std::uint64_t count);
  void check_complete();
  bool parse_text_line(const std::string& line, TraceRecord& r);

  std::string path_;
  std::ifstream in_;
  bool binary_ = false;
  std::uint32_t version_ = kTraceVersion;
  bool ended_ = false;           ///< version 2: the end record was read
  std::uint64_t index_ = 0;      ///< records accepted
  std::uint64_t line_ = 0;       ///< text: current line
  std::uint64_t last_t_ns_ = 0;
  std::vector<char> buf_;        ///< binary: one batch of raw bytes
};

/// One record as a text line (no newline).
std::string trace_text_line(const TraceRecord& r);
/// Writes a whole trace to `path` atomically (a temporary file renamed into place), in
/// binary or text form.
void write_trace_file(const std::string& path, const std::vector<TraceRecord>& records, bool binary);
/// Streams `in_path` into `out_path` in the other form (or the same), atomically.
void convert_trace(const std::string& in_path, const std::string& out_path, bool to_binary);
/// Streams every record of `src` into `out_path`, atomically; returns the record count.
std::uint64_t write_trace(RecordSource& src, const std::string& out_path, bool binary);

/// What importing Go's GODEBUG=allocfreetrace=1 output found.
struct AllocfreetraceImport {
  std::uint64_t allocs = 0, frees = 0;
  std::uint64_t noscan_allocs = 0;
  std::uint64_t implicit_frees = 0;   ///< an address allocated again without a tracefree
  std::uint64_t unknown_frees = 0;    ///< tracefree of an address never seen allocated
  std::uint64_t gcs = 0;              ///< tracegc lines (cycles the real runtime ran)
};
/// Converts Go 1.19's allocfreetrace output (tracealloc / tracefree / tracegc lines; stack
/// traces and program output are skipped) into a trace. Go prints no times, so the clock is
/// the bytes allocated so far at `alloc_bytes_per_s`. Every object is held by a root from its
/// tracealloc until its tracefree (a `death`): the runtime frees at sweep, after the object
/// died, so lifetimes are upper bounds. No pointer graph: an object is noscan when Go
/// allocated it without a type or with a pointer-free one (bool, ints, floats, uintptr and
/// arrays of them); other objects get one nil pointer field so that marking them costs
/// their size.
AllocfreetraceImport import_allocfreetrace(const std::string& in_path, const std::string& out_path, bool binary,
                                           double alloc_bytes_per_s);

/// What `gogcsim trace stat` prints.
struct TraceStats {
  std::uint64_t records = 0;
  std::uint64_t by_kind[256] = {};
  std::uint64_t alloc_bytes = 0;
  std::uint64_t first_t_ns = 0, last_t_ns = 0;
  std::uint64_t size_histogram[33] = {};      ///< [k]: sizes in [2^(k-1), 2^k) (k = 0: size 0)
  std::uint64_t peak_live_objects = 0;        ///< by death/unlink-free accounting (see stat_trace)
  std::uint64_t peak_live_bytes = 0;
  std::vector<std::uint64_t> lifetimes_ns;    ///< alloc to death, for objects with a death record
  std::uint64_t pointer_fields = 0;
};
/// Reads a whole trace once (streaming) and validates that every record refers to an object
/// that exists: writes, roots, unlinks and deaths name allocated, not-yet-dead objects.
TraceStats stat_trace(const std::string& path);
void print_trace_stats(std::ostream& out, const std::string& path, const TraceStats& s);

}  // namespace gogcsim
