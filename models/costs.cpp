#include "models/costs.hpp"

namespace gogcsim {

bool CostParams::apply_preset(const std::string& name) {
  if (name == "go1.19-amd64") {
    // See models/costs.md for where each number comes from.
    scan_ns_per_byte = 0.5;
    mark_ns_per_object = 13;
    sweep_term_ns = 20'000;
    mark_term_ns = 40'000;
    stw_per_p_ns = 2'000;
    stop_latency_median_ns = 20'000;
    stop_latency_sigma = 0.6;
    scavenge_ns_per_byte = 0.015;
    sweep_ns_per_page = 150;
    preset = name;
    return true;
  }
  return false;
}

}  // namespace gogcsim
