#include <doctest/doctest.h>

#include "sim/units.hpp"

using namespace gogcsim;

TEST_CASE("sizes parse with binary units and plain numbers are bytes") {
  CHECK(parse_size_bytes("4096") == 4096);
  CHECK(parse_size_bytes("4096B") == 4096);
  CHECK(parse_size_bytes("64KiB") == 65536);
  CHECK(parse_size_bytes("1.5GiB") == 1610612736ULL);
  CHECK(parse_size_bytes("2TiB") == 2199023255552ULL);
  CHECK(parse_size_bytes(" 8 MiB ") == 8388608);
}

TEST_CASE("sizes with decimal units, signs, fractions of a byte or no number are errors") {
  CHECK_THROWS_WITH_AS(parse_size_bytes("64MB"), doctest::Contains("unknown size unit 'MB'"), UnitError);
  CHECK_THROWS_WITH_AS(parse_size_bytes("-1MiB"), doctest::Contains("negative"), UnitError);
  CHECK_THROWS_WITH_AS(parse_size_bytes("0.5B"), doctest::Contains("whole number of bytes"), UnitError);
  CHECK_THROWS_AS(parse_size_bytes("MiB"), UnitError);
  CHECK_THROWS_AS(parse_size_bytes(""), UnitError);
  CHECK_THROWS_WITH_AS(parse_size_bytes("9999999TiB"), doctest::Contains("too large"), UnitError);
}

TEST_CASE("durations need a unit and accept ns us ms s m h") {
  CHECK(parse_duration_ns("250ns") == 250);
  CHECK(parse_duration_ns("10us") == 10'000);
  CHECK(parse_duration_ns("1.5ms") == 1'500'000);
  CHECK(parse_duration_ns("30s") == 30'000'000'000);
  CHECK(parse_duration_ns("2m") == 120'000'000'000);
  CHECK(parse_duration_ns("1h") == 3'600'000'000'000);
  CHECK_THROWS_WITH_AS(parse_duration_ns("10"), doctest::Contains("needs a unit"), UnitError);
  CHECK_THROWS_WITH_AS(parse_duration_ns("10sec"), doctest::Contains("unknown duration unit"), UnitError);
  CHECK_THROWS_AS(parse_duration_ns("-5s"), UnitError);
}

TEST_CASE("rates are sizes per second") {
  CHECK(parse_rate_bytes_per_s("200MiB/s") == doctest::Approx(200.0 * 1048576));
  CHECK(parse_rate_bytes_per_s("4096/s") == 4096);
  CHECK_THROWS_WITH_AS(parse_rate_bytes_per_s("200MiB"), doctest::Contains("needs a time unit"), UnitError);
  CHECK_THROWS_WITH_AS(parse_rate_bytes_per_s("200MiB/ms"), doctest::Contains("per second"), UnitError);
  CHECK_THROWS_AS(parse_rate_bytes_per_s("200MB/s"), UnitError);
}

TEST_CASE("formatting round-trips through parsing") {
  for (std::uint64_t b : {1ULL, 4096ULL, 65536ULL, 1610612736ULL, 12345ULL}) {
    CHECK(parse_size_bytes(format_size(b)) == b);
  }
  for (std::int64_t ns : {1LL, 1500LL, 1'500'000LL, 30'000'000'000LL, 7'200'000'000'000LL}) {
    CHECK(parse_duration_ns(format_duration(ns)) == ns);
  }
}
