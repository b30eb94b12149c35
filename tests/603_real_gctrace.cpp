// Real Go 1.19 gctrace, recorded by tests/validation/record.sh from the programs in
// tests/validation/: every line parses with the regex the simulated gctrace is tested with
// (501), and the recorded numbers are self-consistent the way the runtime prints them.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "test_util.hpp"

using namespace gogcsim::test;

TEST_CASE("every recorded real Go 1.19 gctrace line parses with the gctrace regex") {
  std::regex re(kGctraceRegex);
  std::size_t files = 0, lines = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_path("tests/validation/recordings"))) {
    if (e.path().extension() != ".gctrace") continue;
    ++files;
    std::istringstream in(read_file(e.path().string()));
    std::string line;
    long long expect = 1;
    while (std::getline(in, line)) {
      std::smatch m;
      REQUIRE_MESSAGE(std::regex_match(line, m, re), e.path().string() << ": " << line);
      CHECK(std::stoll(m[1]) == expect++);  // gc N counts from 1
      // recorded with GOMAXPROCS=2, but the one-P runs (record_gomaxprocs1.sh)
      CHECK(std::stoi(m[18]) == (e.path().parent_path().filename() == "gomaxprocs1" ? 1 : 2));
      // heap0 -> heap1: the heap only grows during the mark.
      CHECK(std::stoll(m[12]) <= std::stoll(m[13]));
      ++lines;
    }
  }
  MESSAGE("real gctrace files: ", files, ", lines: ", lines);
  CHECK(files >= 100);
  CHECK(lines >= 10000);
}
