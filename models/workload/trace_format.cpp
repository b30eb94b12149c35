#include "models/workload/trace_format.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <unordered_map>

#include "sim/config.hpp"
#include "sim/units.hpp"

namespace gogcsim {

static_assert(std::endian::native == std::endian::little, "the binary trace is read by memcpy on little-endian hosts");

namespace {

constexpr std::size_t kHeaderBytes = 16;
/// Version 2's last record: x and y the count of the records before it (low, high 32 bits).
constexpr TraceKind kEndKind = static_cast<TraceKind>(31);
constexpr const char* kTextHeaderV1 = "# gogcsim-trace v1";
constexpr const char* kTextHeaderV2 = "# gogcsim-trace v2";
constexpr std::uint32_t kGogcOff = 0xFFFFFFFFu;

const char* kind_name(TraceKind k) {
  switch (k) {
    case TraceKind::alloc: return "alloc";
    case TraceKind::write: return "write";
    case TraceKind::root: return "root";
    case TraceKind::unlink: return "unlink";
    case TraceKind::death: return "death";
    case TraceKind::gc: return "gc";
    case TraceKind::gogc: return "gogc";
    case TraceKind::limit: return "limit";
  }
  return nullptr;
}

bool known_kind(std::uint8_t k) { return kind_name(static_cast<TraceKind>(k)) != nullptr; }

// A whole unsigned number (no sign, no spaces, fits in `max`), or false.
bool parse_uint(const std::string& s, std::uint64_t max, std::uint64_t& v) {
  if (s.empty() || s.size() > 20) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  return true;
}

}  // namespace

TraceReader::TraceReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw InputError(path + ": cannot open trace");
  char head[kHeaderBytes] = {};
  in_.read(head, kHeaderBytes);
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (got >= 8 && std::memcmp(head, kTraceMagic, 8) == 0) {
    if (got < kHeaderBytes) throw InputError(path + ": truncated header (" + std::to_string(got) + " of 16 bytes)");
    std::uint32_t version = 0, record_bytes = 0;
    std::memcpy(&version, head + 8, 4);
    std::memcpy(&record_bytes, head + 12, 4);
    if (version != 1 && version != kTraceVersion) {
      throw InputError(path + ": trace version " + std::to_string(version) + ", this gogcsim reads versions 1 and " +
                       std::to_string(kTraceVersion));
    }
    version_ = version;
    if (record_bytes != sizeof(TraceRecord)) {
      throw InputError(path + ": record size " + std::to_string(record_bytes) + " bytes, expected 24");
    }
    binary_ = true;
    return;
  }
  // Text: start again and expect the version line.
  in_.clear();
  in_.seekg(0);
  std::string first;
  std::getline(in_, first);
  line_ = 1;
  if (first == kTextHeaderV1) {
    version_ = 1;
  } else if (first == kTextHeaderV2) {
    version_ = 2;
  } else {
    throw InputError(path + ":1: not a gogcsim trace (expected the binary magic or '" + kTextHeaderV2 + "')");
  }
}

// A version 2 trace's end: the count it states must be the records read, and nothing may
// follow it.
void TraceReader::end_at(std::uint64_t count) {
  if (count != index_) {
    fail("the end record counts " + std::to_string(count) + " records, the trace has " + std::to_string(index_));
  }
  ended_ = true;
}

void TraceReader::check_complete() {
  if (version_ >= 2 && !ended_) {
    fail("truncated: the trace ends after " + std::to_string(index_) + " records without its end record");
  }
}

void TraceReader::fail(const std::string& what) const {
  if (binary_) {
    throw InputError(path_ + ": record " + std::to_string(index_) + " (byte offset " +
                     std::to_string(kHeaderBytes + index_ * sizeof(TraceRecord)) + "): " + what);
  }
  throw InputError(path_ + ":" + std::to_string(line_) + ": " + what);
}

void TraceReader::check(const TraceRecord& r) {
  if (!known_kind(static_cast<std::uint8_t>(r.kind))) fail("unknown record kind " + std::to_string(static_cast<int>(r.kind)));
  if (r.reserved != 0) fail("reserved field is " + std::to_string(r.reserved) + ", must be 0");
  if (r.t_ns < last_t_ns_) {
    fail("time goes backwards (" + std::to_string(r.t_ns) + " ns after " + std::to_string(last_t_ns_) + " ns)");
  }
  switch (r.kind) {
    case TraceKind::alloc:
      if (r.object == kTraceNil) fail("alloc of the nil id");
      if (r.flags & ~(TraceRecord::kNoscan | TraceRecord::kRoot)) fail("unknown alloc flags");
      if ((r.flags & TraceRecord::kNoscan) && r.y != 0) fail("a noscan object cannot have pointer fields");
      if (r.y > r.x / 8 + 1) fail(std::to_string(r.y) + " pointer fields do not fit in " + std::to_string(r.x) + " bytes");
      break;
    case TraceKind::write:
      if (r.object == kTraceNil) fail("write into the nil object");
      break;
    default:
      if (r.flags != 0) fail("flags are only for alloc records");
  }
  last_t_ns_ = r.t_ns;
  ++index_;
}

bool TraceReader::parse_text_line(const std::string& line, TraceRecord& r) {
  std::istringstream ss(line);
  std::vector<std::string> w;
  for (std::string s; ss >> s;) w.push_back(s);
  if (w.empty() || w[0][0] == '#') return false;
  r = TraceRecord{};
  std::uint64_t v = 0;
  if (!parse_uint(w[0], ~std::uint64_t{0}, v)) fail("time '" + w[0] + "' is not a whole number of ns");
  r.t_ns = v;
  if (w.size() < 2) fail("missing record kind");
  const std::string& k = w[1];
  auto arg = [&](std::size_t i, const char* what) -> std::uint32_t {
    if (i >= w.size()) fail(k + ": missing " + what);
    if (w[i] == "nil") return kTraceNil;
    std::uint64_t x = 0;
    if (!parse_uint(w[i], 0xFFFFFFFEu, x)) fail(k + ": " + what + " '" + w[i] + "' is not a whole number below 2^32-1");
    return static_cast<std::uint32_t>(x);
  };
  auto expect_args = [&](std::size_t n) {
    if (w.size() > n) fail(k + ": unexpected '" + w[n] + "'");
  };
  if (k == "alloc") {
    r.kind = TraceKind::alloc;
    r.object = arg(2, "id");
    r.x = arg(3, "size");
    r.y = arg(4, "pointer fields");
    for (std::size_t i = 5; i < w.size(); ++i) {
      if (w[i] == "noscan") r.flags |= TraceRecord::kNoscan;
      else if (w[i] == "root") r.flags |= TraceRecord::kRoot;
      else fail("alloc: unknown flag '" + w[i] + "' (noscan, root)");
    }
  } else if (k == "write") {
    r.kind = TraceKind::write;
    r.object = arg(2, "source id");
    r.x = arg(3, "field");
    r.y = arg(4, "target id");
    expect_args(5);
  } else if (k == "root" || k == "unlink" || k == "death") {
    r.kind = k == "root" ? TraceKind::root : k == "unlink" ? TraceKind::unlink : TraceKind::death;
    r.object = arg(2, "id");
    expect_args(3);
  } else if (k == "gc") {
    r.kind = TraceKind::gc;
    expect_args(2);
  } else if (k == "gogc") {
    r.kind = TraceKind::gogc;
    if (w.size() < 3) fail("gogc: missing percent");
    r.x = w[2] == "off" ? kGogcOff : arg(2, "percent");
    expect_args(3);
  } else if (k == "limit") {
    r.kind = TraceKind::limit;
    if (w.size() < 3) fail("limit: missing bytes");
    std::uint64_t bytes = kTraceNoLimit;
    if (w[2] != "off") {
      try {
        bytes = parse_size_bytes(w[2]);
      } catch (const UnitError& e) {
        fail(std::string("limit: ") + e.what());
      }
    }
    r.x = static_cast<std::uint32_t>(bytes);
    r.y = static_cast<std::uint32_t>(bytes >> 32);
    expect_args(3);
  } else {
    fail("unknown record kind '" + k + "' (alloc, write, root, unlink, death, gc, gogc, limit)");
  }
  return true;
}

bool TraceReader::next_batch(std::vector<TraceRecord>& out, std::size_t max_records) {
  out.clear();
  while (binary_) {  // again only when a batch held nothing but the end record
    buf_.resize(max_records * sizeof(TraceRecord));
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    const auto got = static_cast<std::size_t>(in_.gcount());
    const std::size_t n = got / sizeof(TraceRecord);
    out.resize(n);
    if (n > 0) std::memcpy(out.data(), buf_.data(), n * sizeof(TraceRecord));
    std::size_t kept = 0;
    for (const auto& r : out) {
      if (ended_) fail("a record after the end record");
      if (version_ >= 2 && r.kind == kEndKind) {
        if (r.flags != 0 || r.reserved != 0 || r.object != 0 || r.t_ns != 0) fail("malformed end record");
        end_at((static_cast<std::uint64_t>(r.y) << 32) | r.x);
        continue;
      }
      check(r);
      out[kept++] = r;
    }
    out.resize(kept);
    if (got % sizeof(TraceRecord) != 0) {
      fail("truncated: the last record has " + std::to_string(got % sizeof(TraceRecord)) + " of 24 bytes");
    }
    if (n == 0) check_complete();
    if (kept > 0 || n == 0) return kept > 0;
  }
  std::string line;
  while (out.size() < max_records && std::getline(in_, line)) {
    ++line_;
    TraceRecord r;
    if (version_ >= 2 && line.rfind("end", 0) == 0) {
      std::uint64_t count = 0;
      if (line.size() < 5 || line[3] != ' ' || !parse_uint(line.substr(4), ~std::uint64_t{0}, count)) {
        fail("malformed end line '" + line.substr(0, 40) + "' (expected 'end COUNT')");
      }
      if (ended_) fail("a second end line");
      end_at(count);
      continue;
    }
    if (!parse_text_line(line, r)) continue;
    if (ended_) fail("a record after the end line");
    check(r);
    out.push_back(r);
  }
  if (out.empty()) check_complete();
  return !out.empty();
}

std::string trace_text_line(const TraceRecord& r) {
  // A stream, not string concatenation: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::ostringstream s;
  s << r.t_ns << ' ' << kind_name(r.kind);
  auto id = [&](std::uint32_t v) {
    if (v == kTraceNil) {
      s << " nil";
    } else {
      s << ' ' << v;
    }
  };
  switch (r.kind) {
    case TraceKind::alloc:
      id(r.object);
      s << ' ' << r.x << ' ' << r.y;
      if (r.flags & TraceRecord::kNoscan) s << " noscan";
      if (r.flags & TraceRecord::kRoot) s << " root";
      break;
    case TraceKind::write:
      id(r.object);
      s << ' ' << r.x;
      id(r.y);
      break;
    case TraceKind::root:
    case TraceKind::unlink:
    case TraceKind::death: id(r.object); break;
    case TraceKind::gc: break;
    case TraceKind::gogc:
      if (r.x == kGogcOff) {
        s << " off";
      } else {
        s << ' ' << r.x;
      }
      break;
    case TraceKind::limit: {
      const std::uint64_t bytes = (static_cast<std::uint64_t>(r.y) << 32) | r.x;
      if (bytes == kTraceNoLimit) {
        s << " off";
      } else {
        s << ' ' << bytes;
      }
      break;
    }
  }
  return s.str();
}

namespace {

// Writes through a temporary file next to `path`, renamed into place by commit(); removed
// if never committed, so a failed write leaves nothing behind. A path that exists and is not
// a regular file (/dev/null, a pipe) is written directly: renaming over it would replace it.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path) : path_(path), tmp_(path + ".tmp-gogcsim") {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    direct_ = !ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st);
    if (direct_) tmp_ = path;
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw InputError(path + ": cannot write");
  }
  ~AtomicFile() {
    if (!done_ && !direct_) {
      out_.close();
      std::error_code ec;
      std::filesystem::remove(tmp_, ec);
    }
  }
  std::ofstream& out() { return out_; }
  void commit() {
    out_.close();
    if (!out_) throw InputError(path_ + ": write failed");
    if (!direct_) std::filesystem::rename(tmp_, path_);
    done_ = true;
  }

 private:
  std::string path_, tmp_;
  std::ofstream out_;
  bool direct_ = false;
  bool done_ = false;
};

// A trace being written: the header first, then records, then the end record with their
// count (version 2), so that a reader tells a trace cut at a record boundary from a whole one.
class TraceOut {
 public:
  TraceOut(const std::string& path, bool binary) : f_(path), binary_(binary) {
    if (binary_) {
      f_.out().write(kTraceMagic, 8);
      const std::uint32_t v = kTraceVersion, rb = sizeof(TraceRecord);
      f_.out().write(reinterpret_cast<const char*>(&v), 4);
      f_.out().write(reinterpret_cast<const char*>(&rb), 4);
    } else {
      f_.out() << kTextHeaderV2 << '\n';
    }
  }
  void write(const std::vector<TraceRecord>& rs) {
    if (binary_) {
      f_.out().write(reinterpret_cast<const char*>(rs.data()), static_cast<std::streamsize>(rs.size() * sizeof(TraceRecord)));
    } else {
      for (const auto& r : rs) f_.out() << trace_text_line(r) << '\n';
    }
    count_ += rs.size();
  }
  /// Writes the end record and renames the file into place; the records written.
  std::uint64_t finish() {
    if (binary_) {
      TraceRecord end;
      end.kind = kEndKind;
      end.x = static_cast<std::uint32_t>(count_);
      end.y = static_cast<std::uint32_t>(count_ >> 32);
      f_.out().write(reinterpret_cast<const char*>(&end), sizeof end);
    } else {
      f_.out() << "end " << count_ << '\n';
    }
    f_.commit();
    return count_;
  }

 private:
  AtomicFile f_;
  bool binary_;
  std::uint64_t count_ = 0;
};

}  // namespace

void write_trace_file(const std::string& path, const std::vector<TraceRecord>& records, bool binary) {
  TraceOut out(path, binary);
  out.write(records);
  out.finish();
}

void convert_trace(const std::string& in_path, const std::string& out_path, bool to_binary) {
  TraceReader in(in_path);
  write_trace(in, out_path, to_binary);
}

std::uint64_t write_trace(RecordSource& src, const std::string& out_path, bool binary) {
  TraceOut out(out_path, binary);
  std::vector<TraceRecord> batch;
  while (src.next_batch(batch)) out.write(batch);
  return out.finish();
}

namespace {

// Type names Go allocates without pointers (allocfreetrace prints the element type).
bool pointer_free_type(std::string t) {
  while (!t.empty() && t[0] == '[') {  // [N]T: an array of T
    const auto close = t.find(']');
    if (close == std::string::npos || close == 1) return false;  // "[]T" is a slice header: it holds a pointer
    t = t.substr(close + 1);
  }
  static const char* kFree[] = {"bool",   "int",    "int8",    "int16",     "int32",      "int64",  "uint",
                                "uint8",  "uint16", "uint32",  "uint64",    "uintptr",    "float32", "float64",
                                "complex64", "complex128"};
  for (const char* f : kFree) {
    if (t == f) return true;
  }
  return false;
}

// "tracealloc(0xc000014008, 0x8, *runtime.p)" -> {addr, size, type}; false if malformed.
bool parse_trace_call(const std::string& line, std::size_t prefix, std::uint64_t& addr, std::uint64_t& size,
                      std::string& type) {
  const auto close = line.rfind(')');
  if (close == std::string::npos || close < prefix) return false;
  std::string inner = line.substr(prefix, close - prefix);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 2; ++i) {  // the type name itself may contain ", " (func types): split twice
    const auto comma = inner.find(", ", start);
    if (comma == std::string::npos) break;
    parts.push_back(inner.substr(start, comma - start));
    start = comma + 2;
  }
  parts.push_back(inner.substr(start));
  if (parts.size() < 2) return false;
  try {
    std::size_t used = 0;
    addr = std::stoull(parts[0], &used, 16);
    if (used != parts[0].size()) return false;
    size = std::stoull(parts[1], &used, 16);
    if (used != parts[1].size()) return false;
  } catch (const std::exception&) {
    return false;
  }
  type = parts.size() > 2 ? parts[2] : "";
  return true;
}

}  // namespace

AllocfreetraceImport import_allocfreetrace(const std::string& in_path, const std::string& out_path, bool binary,
                                           double alloc_bytes_per_s) {
  if (!(alloc_bytes_per_s > 0)) throw InputError("allocfreetrace import: the allocation rate must be positive");
  std::ifstream in(in_path);
  if (!in) throw InputError(in_path + ": cannot open");
  TraceOut out(out_path, binary);
  AllocfreetraceImport st;
  std::unordered_map<std::uint64_t, std::uint32_t> live;  // address -> trace id
  std::uint32_t next_id = 0;
  double allocated = 0;
  std::vector<TraceRecord> batch;
  auto now = [&] { return static_cast<std::uint64_t>(allocated / alloc_bytes_per_s * 1e9); };
  auto death = [&](std::uint32_t id) {
    TraceRecord r;
    r.kind = TraceKind::death;
    r.object = id;
    r.t_ns = now();
    batch.push_back(r);
  };
  std::string line;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::uint64_t addr = 0, size = 0;
    std::string type;
    if (line.rfind("tracealloc(", 0) == 0) {
      if (!parse_trace_call(line, 11, addr, size, type) || size > 0xFFFFFFFFull) {
        throw InputError(in_path + ":" + std::to_string(line_no) + ": malformed tracealloc line");
      }
      if (auto it = live.find(addr); it != live.end()) {
        death(it->second);
        ++st.implicit_frees;
      }
      if (next_id == kTraceNil) throw InputError(in_path + ": more than 2^32-1 allocations");
      const bool noscan = type.empty() || pointer_free_type(type);
      TraceRecord r;
      r.kind = TraceKind::alloc;
      r.object = next_id;
      r.t_ns = now();
      r.x = static_cast<std::uint32_t>(size);
      r.y = noscan ? 0 : 1;
      r.flags = TraceRecord::kRoot | (noscan ? TraceRecord::kNoscan : 0);
      batch.push_back(r);
      live[addr] = next_id++;
      allocated += static_cast<double>(size);
      ++st.allocs;
      st.noscan_allocs += noscan;
    } else if (line.rfind("tracefree(", 0) == 0) {
      if (!parse_trace_call(line, 10, addr, size, type)) {
        throw InputError(in_path + ":" + std::to_string(line_no) + ": malformed tracefree line");
      }
      auto it = live.find(addr);
      if (it == live.end()) {
        ++st.unknown_frees;
      } else {
        death(it->second);
        live.erase(it);
        ++st.frees;
      }
    } else if (line.rfind("tracegc()", 0) == 0) {
      ++st.gcs;
    }
    if (batch.size() >= 4096) {
      out.write(batch);
      batch.clear();
    }
  }
  // Nothing to import is a wrong file, not an empty program: nothing is written.
  if (st.allocs == 0) throw InputError(in_path + ": no tracealloc lines (expected Go's GODEBUG=allocfreetrace=1 output)");
  out.write(batch);
  out.finish();
  return st;
}

TraceStats stat_trace(const std::string& path) {
  TraceReader in(path);
  TraceStats s;
  struct Live {
    std::uint64_t t_ns, size;
  };
  std::unordered_map<std::uint32_t, Live> live;  // allocated and not dead
  std::uint64_t live_bytes = 0;
  std::vector<TraceRecord> batch;
  auto bad = [&](std::uint64_t index, const std::string& what) {
    throw InputError(path + ": record " + std::to_string(index) + ": " + what);
  };
  while (in.next_batch(batch)) {
    std::uint64_t index = in.records() - batch.size();
    for (const auto& r : batch) {
      if (s.records == 0) s.first_t_ns = r.t_ns;
      s.last_t_ns = r.t_ns;
      ++s.records;
      ++s.by_kind[static_cast<std::uint8_t>(r.kind)];
      auto need = [&](std::uint32_t id, const char* role) {
        if (id != kTraceNil && !live.count(id)) {
          bad(index, std::string(kind_name(r.kind)) + ": " + role + " " + std::to_string(id) + " was never allocated or is dead");
        }
      };
      switch (r.kind) {
        case TraceKind::alloc: {
          if (live.count(r.object)) bad(index, "alloc: id " + std::to_string(r.object) + " is already alive");
          live[r.object] = {r.t_ns, r.x};
          live_bytes += r.x;
          s.alloc_bytes += r.x;
          s.pointer_fields += r.y;
          s.size_histogram[r.x == 0 ? 0 : std::bit_width(r.x)]++;
          s.peak_live_objects = std::max<std::uint64_t>(s.peak_live_objects, live.size());
          s.peak_live_bytes = std::max(s.peak_live_bytes, live_bytes);
          break;
        }
        case TraceKind::write: need(r.object, "source"); need(r.y, "target"); break;
        case TraceKind::root:
        case TraceKind::unlink: need(r.object, "object"); break;
        case TraceKind::death: {
          need(r.object, "object");
          const Live l = live[r.object];
          s.lifetimes_ns.push_back(r.t_ns - l.t_ns);
          live_bytes -= l.size;
          live.erase(r.object);
          break;
        }
        default: break;
      }
      ++index;
    }
  }
  std::sort(s.lifetimes_ns.begin(), s.lifetimes_ns.end());
  return s;
}

void print_trace_stats(std::ostream& out, const std::string& path, const TraceStats& s) {
  auto pct = [&](double q) {
    if (s.lifetimes_ns.empty()) return std::string("-");
    const auto i = static_cast<std::size_t>(q * static_cast<double>(s.lifetimes_ns.size() - 1));
    return format_duration(static_cast<std::int64_t>(s.lifetimes_ns[i]));
  };
  out << path << "\n";
  out << "  records      " << s.records << " over " << format_duration(static_cast<std::int64_t>(s.last_t_ns - s.first_t_ns))
      << "\n  kinds       ";
  for (std::uint8_t k : {1, 2, 3, 4, 5, 16, 17, 18}) {
    if (s.by_kind[k]) out << " " << kind_name(static_cast<TraceKind>(k)) << " " << s.by_kind[k];
  }
  out << "\n  allocated    " << format_size(s.alloc_bytes) << " in " << s.by_kind[1] << " objects, " << s.pointer_fields
      << " pointer fields\n";
  out << "  live (by death records) peak " << s.peak_live_objects << " objects, " << format_size(s.peak_live_bytes) << "\n";
  out << "  lifetimes    " << s.lifetimes_ns.size() << " deaths; p50 " << pct(0.5) << ", p90 " << pct(0.9) << ", p99 "
      << pct(0.99) << ", max " << pct(1.0) << "\n";
  out << "  sizes";
  for (int k = 0; k < 33; ++k) {
    if (!s.size_histogram[k]) continue;
    const std::uint64_t lo = k == 0 ? 0 : std::uint64_t{1} << (k - 1), hi = k == 0 ? 0 : (std::uint64_t{1} << k) - 1;
    out << "\n    " << format_size(lo) << ".." << format_size(hi) << "  " << s.size_histogram[k];
  }
  out << "\n";
}

}  // namespace gogcsim
