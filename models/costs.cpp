#include "models/costs.hpp"

#include <algorithm>
#include <cmath>

namespace gogcsim {

bool CostParams::apply_preset(const std::string& name) {
  if (name == "go1.19-amd64") {
    // See models/costs.md for where each number comes from.
    scan_ns_per_byte = 1.33;
    scan_ns_per_object = 30.6;
    mark_ns_per_object = 1.4;
    mark_fixed_ns = 450'000;
    sweep_term_ns = 35'000;
    mark_term_ns = 15'000;
    stw_per_p_ns = 2'000;
    stop_latency_median_ns = 30'000;
    stop_latency_sigma = 1.0;
    scavenge_ns_per_byte = 0.040;
    scavenge_ns_per_call = 5200;
    sync_scavenge_ns_per_byte = 2.07;
    sweep_ns_per_span = 470;
    preset = name;
    return true;
  }
  return false;
}

double scavenge_calls(double run_bytes) {
  return std::ceil(run_bytes / (run_bytes >= kHugePageBytes ? kHugePageBytes : kScavengeQuantumBytes));
}

double scavenge_ns_per_released_byte(const CostParams& c, double run_bytes) {
  run_bytes = std::max(run_bytes, 8192.0);
  return c.scavenge_ns_per_byte + c.scavenge_ns_per_call * scavenge_calls(run_bytes) / run_bytes;
}

std::int64_t stw_pause_ns(const CostParams& c, std::int64_t fixed_ns, int procs, RngStream& rng) {
  const double stop =
      c.stop_latency_median_ns > 0 ? rng.lognormal(static_cast<double>(c.stop_latency_median_ns), c.stop_latency_sigma) : 0;
  const double total = stop + static_cast<double>(fixed_ns) + static_cast<double>(c.stw_per_p_ns) * procs;
  return std::max<std::int64_t>(1, std::llround(total));
}

}  // namespace gogcsim
