#include "models/workload/pacer_streams.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gogcsim {

namespace {
constexpr const char* kColumns = "cycle,gcPercent,memoryLimit,nCores,allocRate,scanRate,growthRate,scannableFrac,stackBytes,globalsBytes";
const char* const kColumnNames[] = {"cycle",    "gcPercent",     "memoryLimit", "nCores",     "allocRate",
                                    "scanRate", "growthRate",   "scannableFrac", "stackBytes", "globalsBytes"};

template <class T>
T parse_cell(const std::string& cell, const std::string& where, int col) {
  T v{};
  auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (r.ec != std::errc() || r.ptr != cell.data() + cell.size()) {
    throw InputError(where + ": column " + kColumnNames[col] + ": bad value '" + cell + "'");
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(v) || v < 0) throw InputError(where + ": column " + kColumnNames[col] + ": must be finite and >= 0");
  }
  return v;
}
}  // namespace

std::vector<CycleInputs> read_cycle_inputs_csv(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open inputs file");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != kColumns) throw InputError(file + ":1: expected the header '" + std::string(kColumns) + "'");
  std::vector<CycleInputs> rows;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    const std::string where = file + ":" + std::to_string(lineno);
    if (cells.size() != 10) throw InputError(where + ": expected 10 columns, found " + std::to_string(cells.size()));
    CycleInputs r;
    auto cycle = parse_cell<std::int64_t>(cells[0], where, 0);
    if (cycle != static_cast<std::int64_t>(rows.size()) + 1) {
      throw InputError(where + ": column cycle: expected " + std::to_string(rows.size() + 1) + ", got " + cells[0]);
    }
    r.gc_percent = parse_cell<std::int64_t>(cells[1], where, 1);
    if (r.gc_percent < -1) throw InputError(where + ": column gcPercent: must be >= -1 (-1 = off)");
    r.memory_limit = parse_cell<std::int64_t>(cells[2], where, 2);
    if (r.memory_limit < 0) throw InputError(where + ": column memoryLimit: must be >= 0");
    auto cores = parse_cell<std::int64_t>(cells[3], where, 3);
    if (cores < 1 || cores > 1024) throw InputError(where + ": column nCores: must be 1..1024");
    r.n_cores = static_cast<int>(cores);
    r.alloc_rate = parse_cell<double>(cells[4], where, 4);
    r.scan_rate = parse_cell<double>(cells[5], where, 5);
    r.growth_rate = parse_cell<double>(cells[6], where, 6);
    r.scannable_frac = parse_cell<double>(cells[7], where, 7);
    if (r.scannable_frac > 1) throw InputError(where + ": column scannableFrac: must be <= 1");
    r.stack_bytes = parse_cell<std::uint64_t>(cells[8], where, 8);
    r.globals_bytes = parse_cell<std::uint64_t>(cells[9], where, 9);
    rows.push_back(r);
  }
  if (rows.empty()) throw InputError(file + ": no rows");
  return rows;
}

void PacerStreamsParams::check(ConfigSource& src, const std::string& path) {
  if (inputs) {
    if (!alloc_rate.empty() || !growth_rate.empty()) {
      src.fail(path + ".inputs", "give either inputs or the streams alloc_rate/growth_rate, not both");
    }
    std::filesystem::path f(*inputs);
    if (f.is_relative()) f = std::filesystem::path(src.file).parent_path() / f;
    rows = read_cycle_inputs_csv(f.string());
    inputs = f.lexically_normal().string();  // the resolved scenario names the file it read
    if (cycles && *cycles > static_cast<std::int64_t>(rows.size())) {
      src.fail(path + ".cycles", "is more than the " + std::to_string(rows.size()) + " rows of inputs");
    }
    return;
  }
  if (alloc_rate.empty()) src.fail(path + ".alloc_rate", "is required (or give inputs: FILE.csv)");
  if (growth_rate.empty()) src.fail(path + ".growth_rate", "is required (or give inputs: FILE.csv)");
}

PacerStreamsWorkload::PacerStreamsWorkload(const PacerStreamsParams& p, const WorkloadContext& ctx) : p_(p), ctx_(ctx) {
  if (p_.inputs) {
    cycles_ = p_.cycles.value_or(static_cast<std::int64_t>(p_.rows.size()));
  } else {
    cycles_ = p_.cycles.value_or(50);
    alloc_ = p_.alloc_rate.instantiate();
    scan_ = p_.scan_rate.instantiate();
    growth_ = p_.growth_rate.instantiate();
    frac_ = p_.scannable_frac.instantiate();
    stack_ = p_.stack_bytes.instantiate();
  }
}

CycleInputs PacerStreamsWorkload::next() {
  CycleInputs c;
  if (p_.inputs) {
    c = p_.rows[static_cast<std::size_t>(i_)];
  } else {
    c.gc_percent = ctx_.gogc;
    c.memory_limit = ctx_.memory_limit;
    c.n_cores = static_cast<int>(ctx_.gomaxprocs);
    c.globals_bytes = p_.globals_bytes;
    // The harness's order: alloc, scan, growth, scannable fraction, stack.
    c.alloc_rate = alloc_->next();
    c.scan_rate = scan_->next();
    c.growth_rate = growth_->next();
    c.scannable_frac = frac_->next();
    double stack = stack_->next();
    stack = stack / 2048 < 0 ? std::ceil(stack / 2048) * 2048 : std::floor(stack / 2048) * 2048;
    c.stack_bytes = static_cast<std::uint64_t>(std::max(0.0, stack));
  }
  c.alloc_rate = std::max(0.0001, c.alloc_rate);
  c.scan_rate = std::max(0.0001, c.scan_rate);
  c.growth_rate = std::max(0.0001, c.growth_rate);
  c.scannable_frac = c.scannable_frac < 0 ? 0 : (c.scannable_frac > 1 ? 1 : c.scannable_frac);
  ++i_;
  return c;
}

}  // namespace gogcsim
