#include "analysis/mmu.hpp"

#include <algorithm>
#include <cmath>

namespace gogcsim {

namespace {

// Prefix integral of u at the change points: prefix[k] = ∫ from util[0].t to util[k].t.
struct Integral {
  const std::vector<UtilPoint>& u;
  std::vector<double> prefix;
  explicit Integral(const std::vector<UtilPoint>& util) : u(util), prefix(util.size(), 0) {
    for (std::size_t k = 1; k < u.size(); ++k) {
      prefix[k] = prefix[k - 1] + u[k - 1].u * static_cast<double>(u[k].t_ns - u[k - 1].t_ns);
    }
  }
};

// ∫ from util[0].t to t for non-decreasing t: walks forward, O(1) amortized per query.
struct Cursor {
  const Integral& in;
  std::size_t k = 0;
  double at(std::int64_t t) {
    while (k + 1 < in.u.size() && in.u[k + 1].t_ns <= t) ++k;
    return in.prefix[k] + in.u[k].u * static_cast<double>(t - in.u[k].t_ns);
  }
};

double mmu_with(const Integral& in, std::int64_t end_ns, std::int64_t window_ns) {
  const auto& util = in.u;
  if (util.empty() || window_ns <= 0) return 1;
  const std::int64_t begin = util.front().t_ns;
  if (end_ns - begin <= window_ns) {
    Cursor c{in};
    return end_ns > begin ? c.at(end_ns) / static_cast<double>(end_ns - begin) : 1;
  }
  // Window starts at every change point and at every change point minus w, in increasing
  // order (a merge of two sorted sequences; clamping keeps the order).
  Cursor lo{in}, hi{in};
  double best = 1;
  std::size_t a = 0, b = 0;
  while (a < util.size() || b < util.size()) {
    std::int64_t s;
    if (b >= util.size() || (a < util.size() && util[a].t_ns <= util[b].t_ns - window_ns)) {
      s = util[a++].t_ns;
    } else {
      s = util[b++].t_ns - window_ns;
    }
    s = std::clamp(s, begin, end_ns - window_ns);
    const double lo_v = lo.at(s);
    best = std::min(best, (hi.at(s + window_ns) - lo_v) / static_cast<double>(window_ns));
  }
  return std::clamp(best, 0.0, 1.0);
}

}  // namespace

double mmu(const std::vector<UtilPoint>& util, std::int64_t end_ns, std::int64_t window_ns) {
  return mmu_with(Integral(util), end_ns, window_ns);
}

std::vector<double> mmu_many(const std::vector<UtilPoint>& util, std::int64_t end_ns,
                             const std::vector<std::int64_t>& windows_ns) {
  const Integral in(util);
  std::vector<double> out;
  out.reserve(windows_ns.size());
  for (auto w : windows_ns) out.push_back(mmu_with(in, end_ns, w));
  return out;
}

std::vector<MmuPoint> mmu_curve(const std::vector<UtilPoint>& util, std::int64_t end_ns, std::int64_t min_window_ns) {
  std::vector<MmuPoint> out;
  if (util.empty()) return out;
  const Integral in(util);
  const std::int64_t length = end_ns - util.front().t_ns;
  for (int k = 0;; ++k) {
    const auto w = static_cast<std::int64_t>(std::llround(static_cast<double>(min_window_ns) * std::pow(10.0, k / 10.0)));
    if (w >= length) {
      out.push_back({length, mmu_with(in, end_ns, length)});
      break;
    }
    out.push_back({w, mmu_with(in, end_ns, w)});
  }
  return out;
}

}  // namespace gogcsim
