// Allocation traces: the binary format and its text twin, streaming, corrupt input, stats.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "models/workload/trace_format.hpp"
#include "sim/config.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;
namespace fs = std::filesystem;

namespace {

// A small program: a root list of two nodes, a payload, a temporary that dies.
const char* kTiny =
    "# gogcsim-trace v2\n"
    "100 alloc 1 32 2 root\n"
    "150 alloc 2 32 2\n"
    "160 write 1 0 2\n"
    "200 alloc 3 1024 0 noscan\n"
    "210 write 2 1 3\n"
    "300 alloc 4 48 0 noscan\n"
    "450 death 4\n"
    "500 gc\n"
    "600 gogc 200\n"
    "650 gogc off\n"
    "700 limit 8589934592\n"
    "750 limit off\n"
    "800 write 1 0 nil\n"
    "900 unlink 1\n"
    "end 14\n";

std::vector<TraceRecord> read_all(const std::string& path, std::size_t batch = 4096) {
  TraceReader r(path);
  std::vector<TraceRecord> all, b;
  while (r.next_batch(b, batch)) all.insert(all.end(), b.begin(), b.end());
  return all;
}

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("text and binary traces convert into each other without loss") {
  auto dir = temp_dir("trace-roundtrip");
  write_text(dir / "a.txt", kTiny);
  convert_trace((dir / "a.txt").string(), (dir / "a.bin").string(), true);
  // 16-byte header + 14 records of 24 bytes + the end record.
  CHECK(fs::file_size(dir / "a.bin") == 16 + 15 * 24);
  convert_trace((dir / "a.bin").string(), (dir / "b.txt").string(), false);
  CHECK(read_file((dir / "b.txt").string()) == kTiny);  // the text is canonical: byte for byte
  const auto recs = read_all((dir / "a.bin").string());
  REQUIRE(recs.size() == 14);
  CHECK(recs[0].kind == TraceKind::alloc);
  CHECK(recs[0].flags == TraceRecord::kRoot);
  CHECK(recs[3].flags == TraceRecord::kNoscan);
  CHECK(recs[12].y == kTraceNil);                             // write 1 0 nil
  CHECK(recs[10].x == 0u);                                    // 8 GiB: low 32 bits
  CHECK(recs[10].y == 2u);                                    // ... high 32 bits
  CHECK(read_all((dir / "a.txt").string()) == recs);          // both forms read the same
  fs::remove_all(dir);
}

TEST_CASE("the reader streams in batches and its buffer does not grow with the trace") {
  auto dir = temp_dir("trace-stream");
  std::vector<TraceRecord> recs;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    TraceRecord r;
    r.kind = TraceKind::alloc;
    r.object = i;
    r.t_ns = i * 10;
    r.x = 64;
    r.y = 2;
    recs.push_back(r);
  }
  write_trace_file((dir / "big.bin").string(), recs, true);
  TraceReader reader((dir / "big.bin").string());
  std::vector<TraceRecord> b;
  std::size_t total = 0, batches = 0;
  while (reader.next_batch(b, 1000)) {
    CHECK(b.size() <= 1000);
    CHECK(b.capacity() <= 1000);
    total += b.size();
    ++batches;
  }
  CHECK(total == 100000);
  CHECK(batches == 100);
  fs::remove_all(dir);
}

TEST_CASE("corrupt and truncated traces fail with the record index and byte offset") {
  auto dir = temp_dir("trace-corrupt");
  write_text(dir / "a.txt", kTiny);
  convert_trace((dir / "a.txt").string(), (dir / "a.bin").string(), true);
  const std::string bin = read_file((dir / "a.bin").string());
  // Cut in the middle of record 5 (byte 16 + 5*24 + 10).
  std::ofstream(dir / "cut.bin", std::ios::binary) << bin.substr(0, 16 + 5 * 24 + 10);
  CHECK_THROWS_WITH_AS(read_all((dir / "cut.bin").string()),
                       doctest::Contains("cut.bin: record 5 (byte offset 136): truncated: the last record has 10 of 24 bytes"),
                       InputError);
  // An unknown kind in record 2.
  std::string bad = bin;
  bad[16 + 2 * 24] = 9;
  std::ofstream(dir / "kind.bin", std::ios::binary) << bad;
  CHECK_THROWS_WITH_AS(read_all((dir / "kind.bin").string()),
                       doctest::Contains("record 2 (byte offset 64): unknown record kind 9"), InputError);
  // Time going backwards in record 1.
  bad = bin;
  std::uint64_t t = 99;
  std::memcpy(&bad[16 + 24 + 8], &t, 8);
  std::ofstream(dir / "time.bin", std::ios::binary) << bad;
  CHECK_THROWS_WITH_AS(read_all((dir / "time.bin").string()), doctest::Contains("record 1 (byte offset 40): time goes backwards"),
                       InputError);
  // Another version.
  bad = bin;
  bad[8] = 3;
  std::ofstream(dir / "v3.bin", std::ios::binary) << bad;
  CHECK_THROWS_WITH_AS(read_all((dir / "v3.bin").string()), doctest::Contains("trace version 3"), InputError);
  // Cut at a record boundary (a copy that lost its last block): no end record. Version 1 had
  // none and read 5 records as a whole trace.
  std::ofstream(dir / "cut5.bin", std::ios::binary) << bin.substr(0, 16 + 5 * 24);
  CHECK_THROWS_WITH_AS(read_all((dir / "cut5.bin").string()),
                       doctest::Contains("cut5.bin: record 5 (byte offset 136): truncated: the trace ends after 5 records "
                                         "without its end record"),
                       InputError);
  // An end record that counts otherwise, and a record after it.
  bad = bin;
  bad[16 + 14 * 24 + 16] = 13;  // x: the count's low byte
  std::ofstream(dir / "count.bin", std::ios::binary) << bad;
  CHECK_THROWS_WITH_AS(read_all((dir / "count.bin").string()),
                       doctest::Contains("record 14 (byte offset 352): the end record counts 13 records, the trace has 14"),
                       InputError);
  std::ofstream(dir / "after.bin", std::ios::binary) << bin + bin.substr(16, 24);
  CHECK_THROWS_WITH_AS(read_all((dir / "after.bin").string()), doctest::Contains("a record after the end record"), InputError);
  // Text: the same, by line.
  const std::string tiny = kTiny;
  write_text(dir / "cut.txt", tiny.substr(0, tiny.find("900 unlink")));
  CHECK_THROWS_WITH_AS(read_all((dir / "cut.txt").string()),
                       doctest::Contains("cut.txt:14: truncated: the trace ends after 13 records without its end record"),
                       InputError);
  write_text(dir / "after.txt", tiny + "950 gc\n");
  CHECK_THROWS_WITH_AS(read_all((dir / "after.txt").string()), doctest::Contains("after.txt:17: a record after the end line"),
                       InputError);
  // Version 1 (no end record) still reads: the same records.
  std::string v1 = tiny.substr(0, tiny.find("end 14"));
  v1.replace(v1.find("v2"), 2, "v1");
  write_text(dir / "v1.txt", v1);
  CHECK(read_all((dir / "v1.txt").string()) == read_all((dir / "a.bin").string()));
  bad = bin.substr(0, 16 + 14 * 24);
  bad[8] = 1;
  std::ofstream(dir / "v1.bin", std::ios::binary) << bad;
  CHECK(read_all((dir / "v1.bin").string()).size() == 14);
  // Text: the line of the bad record.
  write_text(dir / "t.txt", "# gogcsim-trace v1\n100 alloc 1 32 2\n200 free 1\n");
  CHECK_THROWS_WITH_AS(read_all((dir / "t.txt").string()), doctest::Contains("t.txt:3: unknown record kind 'free'"), InputError);
  write_text(dir / "n.txt", "# gogcsim-trace v1\n100 alloc 1 -32 2\n");
  CHECK_THROWS_WITH_AS(read_all((dir / "n.txt").string()), doctest::Contains("n.txt:2: alloc: size '-32' is not a whole number"),
                       InputError);
  write_text(dir / "p.txt", "# gogcsim-trace v1\n100 alloc 1 32 2 noscan\n");
  CHECK_THROWS_WITH_AS(read_all((dir / "p.txt").string()), doctest::Contains("a noscan object cannot have pointer fields"),
                       InputError);
  write_text(dir / "x.txt", "hello\n");
  CHECK_THROWS_WITH_AS(read_all((dir / "x.txt").string()), doctest::Contains("x.txt:1: not a gogcsim trace"), InputError);
  // stat checks references: a write from an object that was never allocated.
  write_text(dir / "r.txt", "# gogcsim-trace v1\n100 alloc 1 32 2\n200 write 7 0 1\n");
  CHECK_THROWS_WITH_AS(stat_trace((dir / "r.txt").string()),
                       doctest::Contains("record 1: write: source 7 was never allocated or is dead"), InputError);
  fs::remove_all(dir);
}

TEST_CASE("trace stat counts kinds, bytes, sizes and lifetimes") {
  auto dir = temp_dir("trace-stat");
  write_text(dir / "a.txt", kTiny);
  const TraceStats s = stat_trace((dir / "a.txt").string());
  CHECK(s.records == 14);
  CHECK(s.by_kind[static_cast<int>(TraceKind::alloc)] == 4);
  CHECK(s.by_kind[static_cast<int>(TraceKind::write)] == 3);
  CHECK(s.alloc_bytes == 32 + 32 + 1024 + 48);
  CHECK(s.pointer_fields == 4);
  CHECK(s.size_histogram[6] == 3);   // 32 and 48 B: [32, 64)
  CHECK(s.size_histogram[11] == 1);  // 1024 B: [1024, 2048)
  REQUIRE(s.lifetimes_ns.size() == 1);
  CHECK(s.lifetimes_ns[0] == 150);   // object 4: allocated at 300, dead at 450
  CHECK(s.peak_live_objects == 4);
  CHECK(s.last_t_ns - s.first_t_ns == 800);
  fs::remove_all(dir);
}

TEST_CASE("gogcsim trace convert writes nothing when the input is corrupt") {
  auto dir = temp_dir("trace-cli");
  write_text(dir / "bad.txt", "# gogcsim-trace v1\n100 alloc 1 32 2\n50 gc\n");
  const std::string cmd = std::string(GOGCSIM_BINARY) + " trace convert " + (dir / "bad.txt").string() + " " +
                          (dir / "out.bin").string() + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(read_file((dir / "err").string()).find("bad.txt:3: time goes backwards") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out.bin"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 2);  // no temporary left
  fs::remove_all(dir);
}

TEST_CASE("a real Go 1.19 allocfreetrace imports into a trace that checks out") {
  // tests/real/allocfreetrace/recording.txt: main.go under GODEBUG=allocfreetrace=1
  // (record.sh). The program allocates 1000 list nodes (main.node, 48 B, with a pointer)
  // and 1000 pointer-free 256 B buffers, calls runtime.GC 4 times, and drops all buffers
  // and the first of its two lists.
  auto dir = temp_dir("trace-aft");
  const std::string rec = source_path("tests/real/allocfreetrace/recording.txt");
  const std::string text = read_file(rec);
  std::size_t tracealloc_lines = 0, node_lines = 0;
  for (std::size_t p = 0; (p = text.find("tracealloc(", p)) != std::string::npos; ++p) ++tracealloc_lines;
  for (std::size_t p = 0; (p = text.find(", 0x30, main.node)", p)) != std::string::npos; ++p) ++node_lines;
  CHECK(node_lines == 1000);
  const auto st = import_allocfreetrace(rec, (dir / "t.bin").string(), true, 100.0 * 1048576);
  CHECK(st.allocs == tracealloc_lines);
  CHECK(st.gcs == 4);
  CHECK(st.implicit_frees == 0);
  CHECK(st.frees >= 1499);                 // 999 dropped buffers + 500 nodes of the first list
  CHECK(st.frees <= st.allocs - 501);      // the second list and the last buffer stay alive
  const TraceStats s = stat_trace((dir / "t.bin").string());  // every death names a live object
  CHECK(s.by_kind[static_cast<int>(TraceKind::alloc)] == st.allocs);
  CHECK(s.by_kind[static_cast<int>(TraceKind::death)] == st.frees);
  // The clock is bytes allocated at 100 MiB/s: the trace spans its bytes at that rate.
  CHECK(static_cast<double>(s.last_t_ns) == doctest::Approx(static_cast<double>(s.alloc_bytes) / (100.0 * 1048576) * 1e9).epsilon(0.01));
  // Types decide noscan: every 256 B buffer ([]byte: element uint8) is noscan, every node is not.
  TraceReader r((dir / "t.bin").string());
  std::vector<TraceRecord> b;
  std::size_t buffers_noscan = 0, nodes_scan = 0;
  while (r.next_batch(b)) {
    for (const auto& x : b) {
      if (x.kind != TraceKind::alloc) continue;
      if (x.x == 256 && (x.flags & TraceRecord::kNoscan)) ++buffers_noscan;
      if (x.x == 48 && !(x.flags & TraceRecord::kNoscan)) ++nodes_scan;
    }
  }
  CHECK(buffers_noscan >= 1000);
  CHECK(nodes_scan >= 1000);
  // A file with no tracealloc line (the program's stdout, say) is an error and writes
  // nothing; it wrote an empty trace.
  write_text(dir / "stdout.txt", "hello\nGC forced\n");
  CHECK_THROWS_WITH_AS(import_allocfreetrace((dir / "stdout.txt").string(), (dir / "none.bin").string(), true, 1e8),
                       doctest::Contains("stdout.txt: no tracealloc lines"), InputError);
  CHECK_FALSE(fs::exists(dir / "none.bin"));
  fs::remove_all(dir);
}
