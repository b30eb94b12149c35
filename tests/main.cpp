// doctest main with one guard: a run whose filters match no test case fails. ctest runs each
// test case by name, so a renamed or mis-escaped case would otherwise "pass" by running
// nothing — a test that cannot fail.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

unsigned g_cases_run = 0;

struct CountingListener : doctest::IReporter {
  explicit CountingListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& s) override { g_cases_run = s.numTestCasesPassingFilters; }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("counting", 1, CountingListener);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context ctx(argc, argv);
  const int failed = ctx.run();
  if (ctx.shouldExit()) return failed;  // --list-test-cases, --help, ...
  if (g_cases_run == 0) {
    std::fprintf(stderr, "gogcsim_tests: no test case matched the filters\n");
    return 1;
  }
  return failed;
}
