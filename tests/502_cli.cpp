// The gogcsim binary as a user meets it: exit codes 0 / 2 / 1, one-line errors, atomic outputs.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "test_util.hpp"

using namespace gogcsim::test;
namespace fs = std::filesystem;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result run_cli(const std::string& args, const fs::path& dir) {
  std::string cmd = std::string(GOGCSIM_BINARY) + " " + args + " >" + (dir / "stdout").string() + " 2>" +
                    (dir / "stderr").string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file((dir / "stdout").string()),
          read_file((dir / "stderr").string())};
}

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("run writes all five outputs and prints the headline") {
  auto dir = temp_dir("cli-run");
  auto r = run_cli("run " + source_path("scenarios/steady-web.yaml") + " --out " + (dir / "out").string(), dir);
  CHECK(r.code == 0);
  CHECK(r.out.find("GC cycles") != std::string::npos);
  for (const char* f : {"cycles.csv", "timeseries.csv", "pauses.csv", "summary.json", "gctrace.txt"}) {
    CAPTURE(f);
    CHECK(fs::file_size(dir / "out" / f) > 0);
  }
  // Each output echoes the scenario and seed.
  CHECK(read_file((dir / "out" / "cycles.csv").string()).find("scenario=steady-web") != std::string::npos);
  CHECK(read_file((dir / "out" / "summary.json").string()).find("\"seed\": 42") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("bad input exits 2 with one line naming file, line and key, and writes nothing") {
  auto dir = temp_dir("cli-bad");
  std::string bad = (dir / "bad.yaml").string();
  {
    std::ofstream f(bad);
    f << read_file(source_path("scenarios/steady-web.yaml")) << "gc_percent: 100\n";
  }
  auto r = run_cli("run " + bad + " --out " + (dir / "out").string(), dir);
  CHECK(r.code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find(bad + ":") != std::string::npos);
  CHECK(r.err.find(": gc_percent: unknown key") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));

  r = run_cli("run " + source_path("scenarios/steady-web.yaml") + " --set runtime.gogc=-3 --out " +
                  (dir / "out").string(), dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("--set runtime.gogc") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));

  r = run_cli("run " + (dir / "missing.yaml").string(), dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("cannot open file") != std::string::npos);

  CHECK(run_cli("frobnicate", dir).code == 2);
  CHECK(run_cli("run --no-such-flag x.yaml", dir).code == 2);
  fs::remove_all(dir);
}

TEST_CASE("a run past its budget of cycles or samples stops with exit 2, names the key and writes nothing") {
  // steady-web runs 35 GC cycles in 30 s with a sample every 100 ms: a budget of 10 cycles stops
  // it at its 11th cycle; one of 100 samples at its 101st, 10 s in (the first is at 0). A phase of
  // 100000h where 100ms was meant would otherwise run for hours and fill the memory.
  auto dir = temp_dir("cli-budget");
  const std::string sc = source_path("scenarios/steady-web.yaml");
  auto r = run_cli("run " + sc + " --set output.max_cycles=10 --out " + (dir / "out").string(), dir);
  CHECK(r.code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("steady-web.yaml: output.max_cycles: the run passed 10 GC cycles") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  r = run_cli("run " + sc + " --set output.max_samples=100 --out " + (dir / "out").string(), dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("output.max_samples: the run passed 100 timeseries samples at 10.000 s") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  CHECK(run_cli("run " + sc + " --set output.max_cycles=35 --out " + (dir / "out").string(), dir).code == 0);
  fs::remove_all(dir);
}

TEST_CASE("an unwritable output directory fails without leaving partial files") {
  auto dir = temp_dir("cli-unwritable");
  { std::ofstream f(dir / "file"); }  // a file where the output directory should be
  auto r = run_cli("run " + source_path("scenarios/steady-web.yaml") + " --out " + (dir / "file" / "out").string(), dir);
  CHECK(r.code == 2);  // the user's --out, not an internal error
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("--out") != std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
  CHECK(fs::is_regular_file(dir / "file"));
  fs::remove_all(dir);
}

TEST_CASE("models lists every kind with its parameters, units and defaults") {
  auto dir = temp_dir("cli-models");
  auto r = run_cli("models", dir);
  CHECK(r.code == 0);
  for (const char* s : {"synthetic", "alloc_rate", "bytes/s", "lifetime.exponential.mean", "static", "scan_ns_per_byte",
                        "go: \"1.19\""}) {
    CAPTURE(s);
    CHECK(r.out.find(s) != std::string::npos);
  }
  CHECK(run_cli("--help", dir).code == 0);
  CHECK(run_cli("size-classes --go 1.19", dir).code == 0);
  // A run without a GC cycle says so rather than print a mean goal of 0 MiB.
  r = run_cli("run " + source_path("scenarios/steady-web.yaml") + " --set runtime.gogc=off --out " + (dir / "off").string(), dir);
  CHECK(r.code == 0);
  CHECK(r.out.find("  GC cycles     0 (0.00/s)\n") != std::string::npos);
  CHECK(r.out.find("; no GC cycle, so no goal or marked heap\n") != std::string::npos);
  CHECK(r.out.find("mean goal") == std::string::npos);
  // validate away from the source tree: a usage error, not "internal error: filesystem error".
  r = run_cli("validate --root " + dir.string(), dir);
  CHECK(r.code == 2);
  CHECK(r.err == "gogcsim: validate: no scenarios/validation under '" + dir.string() +
                     "': run it from the gogcsim source tree or pass --root DIR\n");
  fs::remove_all(dir);
}

TEST_CASE("every command's --help prints its usage line and options and exits 0") {
  // Each command lists its own line of the top-level usage and its options, -h too; a
  // command's --help needs none of its arguments.
  auto dir = temp_dir("cli-help");
  for (const std::string cmd : {"run", "explain", "compare", "merge", "validate", "calibrate", "size-classes",
                                "trace stat", "trace convert", "trace import-allocfreetrace", "trace record"}) {
    CAPTURE(cmd);
    auto r = run_cli(cmd + " --help", dir);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("  gogcsim " + cmd + " ") != std::string::npos);
    CHECK(r.out.find("-h [ --help ]") != std::string::npos);
    CHECK(run_cli(cmd + " -h", dir).out == r.out);
  }
  auto r = run_cli("trace --help", dir);
  CHECK(r.code == 0);
  CHECK(count_lines(r.out) == 5);  // "usage:" and the four trace subcommands
  CHECK(run_cli("explain --no-such-flag", dir).code == 2);
  fs::remove_all(dir);
}

TEST_CASE("explain and calibrate take --gogc as a whole percent or off, and reject anything else with exit 2") {
  auto dir = temp_dir("cli-gogc");
  const std::string off_run = source_path("tests/validation/recordings/grow-release/gogcoff_lim320MiB_rep1.gctrace");
  auto r = run_cli("explain " + off_run + " --gogc off", dir);
  CHECK(r.code == 0);
  CHECK(r.out.find("GOGC inferred") == std::string::npos);  // given, not inferred
  CHECK(r.out.find("(memory limit") != std::string::npos);  // with GOGC off every goal is the limit's
  CHECK(r.out.find("(GOGC;") == std::string::npos);
  CHECK(run_cli("calibrate " + off_run + " --gogc off --gomemlimit 320MiB", dir).code == 0);
  for (const char* bad : {"1x", "-5", "abc", "\"\""}) {
    CAPTURE(bad);
    r = run_cli(std::string("explain ") + off_run + " --gogc " + bad, dir);
    CHECK(r.code == 2);
    CHECK(r.err.find("--gogc takes a percent or off") != std::string::npos);
    CHECK(run_cli(std::string("calibrate ") + off_run + " --gogc " + bad, dir).code == 2);
  }
  fs::remove_all(dir);
}

TEST_CASE("calibrate says when a start-up ran on fewer CPUs than the rest of the run") {
  // near-limit builds its live heap on main for ~110 ms; its first six marks show idle marking.
  // The fitted start-up is the intervals up to the first mark that kept both Ps busy (37 ms of
  // program time at most: the interval to the seventh mark, at 113 ms, ran partly on both).
  auto dir = temp_dir("cli-start-up");
  const std::string run = source_path("tests/validation/recordings/near-limit/gogc100_limnone_rep1.gctrace");
  auto r = run_cli("calibrate " + run + " -o " + (dir / "fitted.yaml").string(), dir);
  CHECK(r.code == 0);
  const auto at = r.out.find("its start-up, the first ");
  REQUIRE(at != std::string::npos);
  const double ms = std::stod(r.out.substr(at + 24));
  CHECK(ms > 10);
  CHECK(ms <= 37);
  CHECK(r.out.find(" ms of program time, ran on 1 CPU: its marks show idle Ps") != std::string::npos);
  // grow-release's start-up (7 ms on main, its first two marks idle) ends inside the first
  // interval calibrate fits (10 ms at least, to the third mark at 13 ms): nothing to say.
  r = run_cli("calibrate " + source_path("tests/validation/recordings/grow-release/gogc100_limnone_rep2.gctrace") + " -o " +
                  (dir / "g.yaml").string(),
              dir);
  CHECK(r.code == 0);
  CHECK(r.out.find("its start-up") == std::string::npos);
}

TEST_CASE("calibrate takes --mean-object-size as a size and rejects anything else with exit 2") {
  auto dir = temp_dir("cli-mean-size");
  const std::string run = source_path("tests/validation/recordings/large-objects/gogc100_limnone_rep2.gctrace");
  auto r = run_cli("calibrate " + run + " --mean-object-size 48B", dir);
  CHECK(r.code == 0);
  // 48 B mean: median 48 x e^(-0.005) = 47.76 -> 48 B.
  CHECK(r.out.find("sizes: {lognormal: {median: 48B, sigma: 0.1}}") != std::string::npos);
  CHECK(r.out.find("mean object size, 48 B") != std::string::npos);
  for (const char* bad : {"-5B", "0B", "12parsecs", "2TiB", "\"\""}) {
    CAPTURE(bad);
    r = run_cli("calibrate " + run + " --mean-object-size " + bad, dir);
    CHECK(r.code == 2);
    CHECK(r.err.find("--mean-object-size") != std::string::npos);
    CHECK(r.out.empty());
  }
  // compare takes it for a gctrace, and refuses it for a scenario, which has its own sizes.
  r = run_cli("compare " + run + " --gogc 100 --gomemlimit 192MiB --mean-object-size 280200B", dir);
  CHECK(r.code == 0);
  CHECK(r.err.find("64 B stand-in") == std::string::npos);
  // Without it, under a memory limit, compare says the goal rests on stand-in sizes.
  r = run_cli("compare " + run + " --gogc 100 --gomemlimit 192MiB", dir);
  CHECK(r.code == 0);
  CHECK(r.err.find("64 B stand-in") != std::string::npos);
  r = run_cli("compare " + source_path("scenarios/validation/large-objects.yaml") + " --mean-object-size 48B", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("--mean-object-size is for a gctrace") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a truncated or corrupt gctrace is bad input: exit 2 naming the file and line") {
  // A service's log holds other lines too (they are skipped), but a line that starts as a
  // gctrace line ("gc N @") and does not parse is a cut or damaged trace: three good cycles of a
  // real recording, a line of the program's own, then the fourth cycle cut mid-line (line 5), as
  // a log rotated mid-write leaves it.
  auto dir = temp_dir("cli-gctrace");
  std::istringstream real(read_file(source_path("tests/validation/recordings/bursty/gogc100_limnone_rep1.gctrace")));
  std::string line, good;
  for (int n = 0; n < 3 && std::getline(real, line);) {
    if (line.rfind("gc ", 0) == 0) {
      good += line + "\n";
      ++n;
    }
  }
  std::getline(real, line);
  const fs::path cut = dir / "cut.gctrace";
  std::ofstream(cut) << good << "a line of the program's own\n" << line.substr(0, 30) << "\n";
  for (const char* cmd : {"explain ", "calibrate "}) {
    CAPTURE(cmd);
    auto r = run_cli(cmd + cut.string(), dir);
    CHECK(r.code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.find(cut.string() + ":5: truncated or malformed gctrace line") != std::string::npos);
  }
  // The same trace without the cut line: the program's line is skipped, the trace explained.
  std::ofstream(cut) << good << "a line of the program's own\n";
  CHECK(run_cli("explain " + cut.string(), dir).code == 0);
  fs::remove_all(dir);
}

TEST_CASE("compare takes FROM:TO:STEP ranges and rejects impossible ones with exit 2") {
  auto dir = temp_dir("cli-range");
  const std::string sc = source_path("scenarios/steady-web.yaml") + " --set workload.phases.1.duration=5s --format csv";
  // 50..400 step 50 = 8 GOGC values; 700MiB..1GiB step 162MiB = 700, 862, 1024 MiB, plus off: 8 x 4 = 32 rows + header.
  auto r = run_cli("compare " + sc + " --gogc 50:400:50 --gomemlimit off,700MiB:1GiB:162MiB", dir);
  REQUIRE(r.code == 0);
  CHECK(count_lines(r.out) == 33);
  CHECK(r.out.find("\n400,1GiB,") != std::string::npos);  // the range's end is included
  r = run_cli("compare " + sc + " --gogc 400:50:50", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("bad range '400:50:50'") != std::string::npos);
  CHECK(run_cli("compare " + sc + " --gogc 1:10", dir).code == 2);
  CHECK(run_cli("compare " + sc + " --gogc 0:100000000:1", dir).code == 2);  // too many points, not an hour of runs
  // The recommendation in the units the table uses: GC CPU to 0.01 %, RSS to 0.1 MiB (it
  // printed six significant digits, "GC CPU 1.04481 %").
  r = run_cli("compare " + sc + " --gogc 100,200 --recommend 'peak_rss<=3GiB'", dir);
  REQUIRE(r.code == 0);
  CHECK(std::regex_search(r.out, std::regex("\nrecommend \\(peak_rss<=3GiB\\): GOGC=200 GOMEMLIMIT=off GOMAXPROCS=4: "
                                            "GC CPU [0-9]+\\.[0-9]{2} %, peak RSS [0-9]+\\.[0-9] MiB\n")));
  // A bad item names its flag; off is a GOGC or a limit, not a GOMAXPROCS (it ran as -1).
  r = run_cli("compare " + sc + " --gogc 50,abc", dir);
  CHECK(r.code == 2);
  CHECK(r.err == "gogcsim: compare: --gogc: bad value 'abc' (a whole number >= 0 or off)\n");
  r = run_cli("compare " + sc + " --gomaxprocs 2,off", dir);
  CHECK(r.code == 2);
  CHECK(r.err == "gogcsim: compare: --gomaxprocs: bad value 'off' (a whole number >= 0)\n");
  fs::remove_all(dir);
}

TEST_CASE("compare takes a gctrace and compares settings for the program that wrote it") {
  auto dir = temp_dir("cli-compare-gctrace");
  // steady-noscan's GOGC=100 run (31 cycles; tests/validation/recordings): a scenario is
  // calibrated on it, its GOGC (100) inferred from the goals. At GOGC=100 it must give back
  // about the run's own 31 cycles (within 10 %); at GOGC=200, about what the real program did
  // at 200 (15-16 cycles over three runs; within 15 %, the validation targets).
  const std::string trace = source_path("tests/validation/recordings/steady-noscan/gogc100_limnone_rep1.gctrace");
  auto r = run_cli("compare " + trace + " --gogc 100,200 --format csv --jobs 1", dir);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("is a gctrace of 31 cycles: comparing a scenario calibrated on it (GOGC 100 inferred") !=
        std::string::npos);
  // ... and what the run itself did, from its last line (@1.022s 2%) and its largest Y (179 MB).
  CHECK(r.err.find("compare: the run itself (GOGC 100, GOMAXPROCS 2): 31 cycles in 1.022 s, GC CPU 2 % (gctrace's), heap "
                   "at mark end up to 179 MB") != std::string::npos);
  std::istringstream csv(r.out);
  std::string line;
  std::map<std::string, long> cycles;
  std::getline(csv, line);  // header: gogc,gomemlimit,gomaxprocs,gc_cycles,...
  while (std::getline(csv, line)) {
    const auto f = split_fields(line, ',');
    REQUIRE(f.size() >= 4);
    cycles[f[0]] = std::stol(f[3]);
  }
  MESSAGE("cycles: GOGC=100 ", cycles["100"], ", GOGC=200 ", cycles["200"]);
  CHECK(std::abs(cycles["100"] - 31) <= 3);
  CHECK(cycles["200"] >= 13);
  CHECK(cycles["200"] <= 18);
  CHECK(r.err.find("a memory limit set") == std::string::npos);  // GOGC set every goal
  // near-limit's run under GOMEMLIMIT=200MiB: the limit set 88 of its 94 goals (tests/503),
  // so without --gomemlimit compare says its grid has no limit; with one, it does not.
  const std::string limited = source_path("tests/validation/recordings/near-limit/gogc100_lim200MiB_rep1.gctrace");
  r = run_cli("compare " + limited + " --gogc 100 --format csv --jobs 1", dir);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("compare: a memory limit set 88 of the run's goals; the grid below has none unless you pass "
                   "--gomemlimit") != std::string::npos);
  r = run_cli("compare " + limited + " --gogc 100 --gomemlimit 200MiB --format csv --jobs 1", dir);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("a memory limit set") == std::string::npos);
  // Two gctrace lines are not enough to calibrate: exit 2, one line naming the file.
  std::ofstream(dir / "short.gctrace") << "gc 1 @0.001s 1%: 0.01+0.1+0.01 ms clock, 0.02+0/0.1/0+0.02 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
                                          "gc 2 @0.002s 1%: 0.01+0.1+0.01 ms clock, 0.02+0/0.1/0+0.02 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
  r = run_cli("compare " + (dir / "short.gctrace").string() + " --gogc 100", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("short.gctrace: a gctrace of 2 cycles; comparing from a gctrace needs at least 3") != std::string::npos);
  CHECK(count_lines(r.err) == 1);
}
