#include "models/costs.hpp"

namespace gogcsim {

bool CostParams::apply_preset(const std::string& name) {
  if (name == "go1.19-amd64") {
    // See models/costs.md for where each number comes from.
    scan_ns_per_byte = 2.3;
    scan_ns_per_object = 15.6;
    mark_ns_per_object = 1.9;
    mark_fixed_ns = 98'000;
    sweep_term_ns = 35'000;
    mark_term_ns = 15'000;
    stw_per_p_ns = 2'000;
    stop_latency_median_ns = 30'000;
    stop_latency_sigma = 1.0;
    scavenge_ns_per_byte = 0.015;
    sweep_ns_per_page = 150;
    preset = name;
    return true;
  }
  return false;
}

}  // namespace gogcsim
