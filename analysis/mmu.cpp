#include "analysis/mmu.hpp"

#include <algorithm>
#include <cmath>

namespace gogcsim {

namespace {

// Prefix integral of u at the change points: I[k] = ∫ from util[0].t to util[k].t.
struct Integral {
  const std::vector<UtilPoint>& u;
  std::int64_t end;
  std::vector<double> prefix;
  Integral(const std::vector<UtilPoint>& util, std::int64_t end_ns) : u(util), end(end_ns), prefix(util.size(), 0) {
    for (std::size_t k = 1; k < u.size(); ++k) {
      prefix[k] = prefix[k - 1] + u[k - 1].u * static_cast<double>(u[k].t_ns - u[k - 1].t_ns);
    }
  }
  // ∫ from util[0].t to t (t within the run).
  double at(std::int64_t t) const {
    auto it = std::upper_bound(u.begin(), u.end(), t, [](std::int64_t x, const UtilPoint& p) { return x < p.t_ns; });
    const auto k = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, (it - u.begin()) - 1));
    return prefix[k] + u[k].u * static_cast<double>(t - u[k].t_ns);
  }
};

}  // namespace

double mmu(const std::vector<UtilPoint>& util, std::int64_t end_ns, std::int64_t window_ns) {
  if (util.empty() || window_ns <= 0) return 1;
  const std::int64_t begin = util.front().t_ns;
  if (end_ns - begin <= window_ns) {
    Integral in(util, end_ns);
    return end_ns > begin ? in.at(end_ns) / static_cast<double>(end_ns - begin) : 1;
  }
  Integral in(util, end_ns);
  double best = 1;
  auto consider = [&](std::int64_t s) {
    s = std::clamp(s, begin, end_ns - window_ns);
    best = std::min(best, (in.at(s + window_ns) - in.at(s)) / static_cast<double>(window_ns));
  };
  for (const auto& p : util) {
    consider(p.t_ns);
    consider(p.t_ns - window_ns);
  }
  return std::clamp(best, 0.0, 1.0);
}

std::vector<MmuPoint> mmu_curve(const std::vector<UtilPoint>& util, std::int64_t end_ns, std::int64_t min_window_ns) {
  std::vector<MmuPoint> out;
  if (util.empty()) return out;
  const std::int64_t length = end_ns - util.front().t_ns;
  for (int k = 0;; ++k) {
    const auto w = static_cast<std::int64_t>(std::llround(static_cast<double>(min_window_ns) * std::pow(10.0, k / 10.0)));
    if (w >= length) {
      out.push_back({length, mmu(util, end_ns, length)});
      break;
    }
    out.push_back({w, mmu(util, end_ns, w)});
  }
  return out;
}

}  // namespace gogcsim
