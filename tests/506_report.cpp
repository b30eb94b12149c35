// report.html in a real browser: headless Chromium (Debian `chromium`, installed by
// `tools/setup.sh --browser`) loads the page with no script errors, every chart has data,
// and a screenshot is written next to the page (report-<name>.png in the test's temporary
// directory: never into the directory the tests were started from).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "analysis/report.hpp"
#include "test_util.hpp"

using namespace gogcsim;
using namespace gogcsim::test;
namespace fs = std::filesystem;

namespace {

const char* kChromium = "/usr/bin/chromium";

// `tag` names the profile and stdout files; `mode` is the Chromium flag that does the work.
std::string browser(const fs::path& page, const std::string& tag, const std::string& mode, const fs::path& dir) {
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --window-size=900,1500 --user-data-dir=" + (dir / ("profile-" + tag)).string();
  const fs::path out = dir / (tag + ".out");
  const std::string cmd = std::string(kChromium) + flags + " " + mode + " file://" + page.string() + " >" + out.string() +
                          " 2>/dev/null";
  const int status = std::system(cmd.c_str());
  CHECK_MESSAGE(WIFEXITED(status), cmd);
  return read_file(out.string());
}

void check_page(const fs::path& page, const std::string& name, int charts) {
  REQUIRE_MESSAGE(fs::exists(kChromium), "headless Chromium is needed: tools/setup.sh --browser");
  const fs::path dir = page.parent_path();
  const std::string dom = browser(page, "dom", "--dump-dom", dir);
  CHECK(dom.find("data-charts=\"" + std::to_string(charts) + "\"") != std::string::npos);
  CHECK(dom.find("data-charts-ok=\"" + std::to_string(charts) + "\"") != std::string::npos);  // every chart has data
  CHECK(dom.find("data-errors=\"0\"") != std::string::npos);                                  // no script errors
  const fs::path shot = dir / ("report-" + name + ".png");
  browser(page, "shot", "--screenshot=" + shot.string(), dir);
  CHECK(fs::exists(shot));
  CHECK(fs::file_size(shot) > 10000);
}

}  // namespace

TEST_CASE("a run's report.html loads in headless Chromium with every chart drawn") {
  auto dir = temp_dir("report-run");
  RunResult r = run_scenario(load_scenario_file(source_path("scenarios/near-limit.yaml")));
  write_outputs(r, (dir / "out").string());
  check_page(dir / "out" / "report.html", "run", 4);
  fs::remove_all(dir);
}

TEST_CASE("compare's report.html shows GC CPU, peak RSS and slowdown heat-maps") {
  auto dir = temp_dir("report-compare");
  const std::string cmd = std::string(GOGCSIM_BINARY) + " compare " + source_path("scenarios/steady-web.yaml") +
                          " --gogc 50,100,200 --gomemlimit off,700MiB,1GiB --jobs 2 --out " + (dir / "cmp").string() +
                          " > " + (dir / "stdout").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(read_file((dir / "cmp" / "compare.csv").string()).find("gogc,gomemlimit") == 0);
  check_page(dir / "cmp" / "report.html", "compare", 3);
  fs::remove_all(dir);
}

TEST_CASE("explain --html draws a real gctrace cycle by cycle and carries the explanation") {
  auto dir = temp_dir("report-explain");
  // bursty's GOGC=100 run: 64 cycles, so each chart has 64 points per series (4 + 4 + 2 series).
  const std::string trace = source_path("tests/validation/recordings/bursty/gogc100_limnone_rep1.gctrace");
  const std::string cmd = std::string(GOGCSIM_BINARY) + " explain " + trace + " --html " + (dir / "x" / "explain.html").string() +
                          " > " + (dir / "stdout").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string html = read_file((dir / "x" / "explain.html").string());
  CHECK(html.find("data-points=\"256\"") != std::string::npos);  // heap: 4 series x 64 cycles
  CHECK(html.find("data-points=\"128\"") != std::string::npos);  // pauses: 2 x 64
  // The page carries what explain printed, ending with its summary.
  const std::string text = read_file((dir / "stdout").string());
  CHECK(text.find("# summary: 64 cycles") != std::string::npos);
  CHECK(html.find("# summary: 64 cycles") != std::string::npos);
  check_page(dir / "x" / "explain.html", "explain", 3);
  fs::remove_all(dir);
}
