#include "models/workload/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/units.hpp"

namespace gogcsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Inverse of the standard normal CDF (P. J. Acklam's rational approximation, relative error
// < 1.2e-9): used to integrate over a lognormal size mix deterministically by quantiles.
double inverse_normal_cdf(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double lo = 0.02425, hi = 1 - lo;
  if (p < lo) {
    double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > hi) {
    double q = std::sqrt(-2 * std::log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

std::vector<double> SizeMix::samples() const {
  std::vector<double> v;
  switch (kind) {
    case fixed: v.push_back(static_cast<double>(fixed_bytes)); break;
    case lognormal: {
      constexpr int n = 4096;  // midpoint quantiles: the mean is exact to < 0.1 % for sigma <= 3
      for (int i = 0; i < n; ++i) {
        double q = (i + 0.5) / n;
        v.push_back(std::min(0x1p40, static_cast<double>(median_bytes) * std::exp(sigma * inverse_normal_cdf(q))));
      }
      break;
    }
    case mix: {
      // 4096 samples in proportion to the probabilities (largest remainders), so each size's
      // share of objects is exact to 1/4096.
      double total = 0;
      for (const auto& w : weights) total += w.p;
      constexpr int n = 4096;
      for (const auto& w : weights) {
        const auto count = static_cast<int>(std::lround(w.p / total * n));
        for (int i = 0; i < count; ++i) v.push_back(static_cast<double>(w.size_bytes));
      }
      if (v.empty()) v.push_back(static_cast<double>(weights.front().size_bytes));
      break;
    }
    default: {
      std::uint64_t span = max_bytes - min_bytes + 1;
      std::uint64_t n = std::min<std::uint64_t>(span, 4096);
      for (std::uint64_t i = 0; i < n; ++i) {
        v.push_back(static_cast<double>(min_bytes) +
                    std::round((static_cast<double>(span) - 1) * static_cast<double>(i) /
                               std::max<double>(1, static_cast<double>(n - 1))));
      }
    }
  }
  return v;
}

void SyntheticParams::check(ConfigSource& src, const std::string& path) const {
  double level = 0;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const auto& ph = phases[i];
    std::string at = path + ".phases[" + std::to_string(i) + "]";
    if (ph.sizes.kind == SizeMix::uniform && ph.sizes.min_bytes > ph.sizes.max_bytes) {
      src.fail(at + ".sizes.uniform.min", "min is larger than max");
    }
    if (ph.sizes.kind == SizeMix::mix) {
      double total = 0;
      for (const auto& w : ph.sizes.weights) total += w.p;
      if (total <= 0) src.fail(at + ".sizes.mix", "the probabilities sum to zero");
    }
    if (ph.mutator_cpus && *ph.mutator_cpus > mutator_cpus) {
      src.fail(at + ".mutator_cpus", "is more than workload.mutator_cpus (" + format_value(mutator_cpus, {.unit = Unit::number}) +
                                         "), the most the program keeps busy");
    }
    if (ph.pointer_fraction && *ph.pointer_fraction < ph.scan_fraction) {
      src.fail(at + ".pointer_fraction", "is smaller than scan_fraction (only objects with pointers are scanned)");
    }
    if (!ph.retained) continue;
    if (ph.retained->churn_bytes_per_s > 0) {
      if (!ph.retained->object_size_bytes) src.fail(at + ".retained.churn", "needs object_size: the size of the replaced objects");
      if (ph.retained->churn_bytes_per_s > ph.alloc_rate_bytes_per_s) {
        src.fail(at + ".retained.churn", "replacing " + format_rate(ph.retained->churn_bytes_per_s) + " needs more than alloc_rate " +
                                             format_rate(ph.alloc_rate_bytes_per_s));
      }
    }
    double to = static_cast<double>(ph.retained->to_bytes);
    std::int64_t over = ph.retained->over_ns.value_or(ph.duration_ns);
    if (over > ph.duration_ns) src.fail(at + ".retained.over", "ramp is longer than the phase (" + format_duration(ph.duration_ns) + ")");
    if (to > level) {
      if (over == 0) src.fail(at + ".retained.over", "the retained heap cannot grow in zero time");
      double growth_per_s = (to - level) / static_cast<double>(over) * 1e9;
      if (growth_per_s > ph.alloc_rate_bytes_per_s * (1 + 1e-12)) {
        src.fail(at + ".retained.to", "growing the retained heap to " + format_size(ph.retained->to_bytes) + " needs " +
                                          format_rate(growth_per_s) + ", more than alloc_rate " +
                                          format_rate(ph.alloc_rate_bytes_per_s));
      }
      // The growth is part of what the phase allocates: it cannot hold more scan work or
      // pointerful bytes than the phase allocates in all.
      const Retained& k = *ph.retained;
      const double phase_ptr = ph.pointer_fraction.value_or(ph.scan_fraction);
      const double scan = k.scan_fraction.value_or(ph.scan_fraction);
      const double ptr = k.pointer_fraction_or(phase_ptr);
      const double share = growth_per_s / ph.alloc_rate_bytes_per_s;
      if (ptr < scan) src.fail(at + ".retained.pointer_fraction", "is smaller than scan_fraction (only objects with pointers are scanned)");
      if (scan * share > ph.scan_fraction * (1 + 1e-9)) {
        src.fail(at + ".retained.scan_fraction", "the growth alone would scan more than the phase's scan_fraction of all it allocates");
      }
      if (ptr * share > phase_ptr * (1 + 1e-9)) {
        src.fail(at + ".retained.pointer_fraction", "the growth alone would hold more pointerful bytes than the phase's pointer_fraction of all it allocates");
      }
    } else if (ph.retained->has_own_mix() && ph.retained->churn_bytes_per_s <= 0) {
      src.fail(at + ".retained", "scan_fraction, pointer_fraction and object_size describe a growth or churn; this ramp has neither");
    }
    level = to;
  }
}

SyntheticWorkload::SyntheticWorkload(const SyntheticParams& p, const WorkloadContext& ctx)
    : p_(p), rng_(ctx.seed, "workload"), layout_(span_layout_for(ctx.go)), min_scan_bytes_(min_scan_bytes_per_object(ctx.go)) {
  double t = 0;
  for (const auto& ph : p_.phases) {
    phase_begin_ns_.push_back(t);
    phase_mix_.push_back(SpanMix::from_sizes(ph.sizes.samples(), ph.pointer_fraction.value_or(ph.scan_fraction), layout_));
    t += static_cast<double>(ph.duration_ns);
  }
  end_ns_ = t;
  start_phase(0, 0);
}

void SyntheticWorkload::start_phase(std::size_t i, double at_ns) {
  phase_ = i;
  const auto& ph = p_.phases[i];
  ramp_end_ns_ = at_ns;
  retained_rate_ = 0;
  if (ph.retained) {
    double over = static_cast<double>(ph.retained->over_ns.value_or(ph.duration_ns));
    double to = static_cast<double>(ph.retained->to_bytes);
    if (over == 0) {  // instant release (checked: never an instant growth)
      retained_ = retained_.live > 0 ? retained_ * (to / retained_.live) : Mass{};
    } else {
      ramp_end_ns_ = at_ns + over;
      retained_rate_ = (to - retained_.live) / over;
    }
  }
  next_noise_ns_ = at_ns;
  make_segment(at_ns);
}

void SyntheticWorkload::make_segment(double begin_ns) {
  const auto& ph = p_.phases[phase_];
  double phase_end = phase_ + 1 < p_.phases.size() ? phase_begin_ns_[phase_ + 1] : end_ns_;
  double end = phase_end;
  if (ramp_end_ns_ > begin_ns) end = std::min(end, ramp_end_ns_);
  if (ph.rate_noise.cv > 0) {
    if (begin_ns >= next_noise_ns_) {
      // Mean-1 lognormal factor with the requested coefficient of variation.
      double s2 = std::log1p(ph.rate_noise.cv * ph.rate_noise.cv);
      noise_factor_ = std::exp(std::sqrt(s2) * rng_.normal() - s2 / 2);
      next_noise_ns_ = begin_ns + static_cast<double>(ph.rate_noise.period_ns);
    }
    end = std::min(end, next_noise_ns_);
  } else {
    noise_factor_ = 1;
  }
  seg_.begin_ns = begin_ns;
  seg_.end_ns = end;
  seg_.retained_bytes_per_ns = begin_ns < ramp_end_ns_ ? retained_rate_ : 0;
  seg_.alloc_bytes_per_ns = std::max(ph.alloc_rate_bytes_per_s / 1e9 * noise_factor_,
                                     std::max(0.0, seg_.retained_bytes_per_ns));
  seg_.scan_frac = ph.scan_fraction;
  seg_.mean_object_bytes = phase_mix_[phase_].mean_slot_bytes;
  seg_.mix = &phase_mix_[phase_];
  seg_.sweep_holes_per_byte = 0;
  if (ph.retained && ph.retained->churn_bytes_per_s > 0 && seg_.alloc_bytes_per_ns > 0) {
    // New long-lived objects among the short-lived ones keep their spans; the old ones they
    // replace leave holes among their long-lived neighbours.
    const Retained& k = *ph.retained;
    const double kept = std::min(1.0, k.churn_bytes_per_s / 1e9 / seg_.alloc_bytes_per_ns);
    const double ptr = k.pointer_fraction_or(ph.pointer_fraction.value_or(ph.scan_fraction));
    seg_.sweep_holes_per_byte = phase_mix_[phase_].interleaved_holes_per_byte(kept, *k.object_size_bytes, ptr < 0.5, layout_) + kept;
  }
  seg_.phase = static_cast<int>(phase_);
  seg_.mutator_cpus = ph.mutator_cpus.value_or(p_.mutator_cpus);
  seg_.mark_speed = ph.mark_speed.value_or(p_.mark_speed);
}

SyntheticWorkload::Mass SyntheticWorkload::composition(double scan, double ptr, std::optional<std::uint64_t> object_bytes) const {
  // The scan work the version's collector does on them: at least min_scan_bytes_ an object
  // (a one-word object scans its word).
  auto scanned = [&](double ptr_objects, double min_bytes) { return std::max(scan, std::min(ptr, min_bytes * ptr_objects)); };
  if (object_bytes) {
    const double per_object = 1.0 / static_cast<double>(*object_bytes);
    const double min_bytes = std::min(min_scan_bytes_, static_cast<double>(*object_bytes));
    return {1.0, scanned(ptr * per_object, min_bytes), ptr, per_object, ptr * per_object};
  }
  const SpanMix& mix = phase_mix_[phase_];
  const double ptr_objects = mix.mean_scan_slot_bytes > 0 ? ptr / mix.mean_scan_slot_bytes : 0;
  const double noscan_objects = mix.mean_noscan_slot_bytes > 0 ? (1 - ptr) / mix.mean_noscan_slot_bytes : 0;
  return {1.0, scanned(ptr_objects, std::min(min_scan_bytes_, mix.mean_scan_slot_bytes)), ptr, ptr_objects + noscan_objects,
          ptr_objects};
}

SyntheticWorkload::Mass SyntheticWorkload::per_byte() const {
  const auto& ph = p_.phases[phase_];
  return composition(ph.scan_fraction, ph.pointer_fraction.value_or(ph.scan_fraction), std::nullopt);
}

SyntheticWorkload::Mass SyntheticWorkload::growth_per_byte() const {
  const auto& ph = p_.phases[phase_];
  if (!ph.retained || !ph.retained->has_own_mix()) return per_byte();
  const Retained& k = *ph.retained;
  return composition(k.scan_fraction.value_or(ph.scan_fraction), k.pointer_fraction_or(ph.pointer_fraction.value_or(ph.scan_fraction)),
                     k.object_size_bytes);
}

// The phase's scan and pointer fractions describe everything it allocates; what the growth
// keeps of them is not short-lived (SyntheticParams::check keeps the rest non-negative). The
// short-lived objects are sized like the phase's mix.
SyntheticWorkload::Mass SyntheticWorkload::transient_per_byte() const {
  const double g = std::max(0.0, seg_.retained_bytes_per_ns);
  const double t = transient_rate();
  if (g <= 0 || t <= 0) return per_byte();
  const Mass m = (per_byte() * seg_.alloc_bytes_per_ns - growth_per_byte() * g) * (1 / t);
  return composition(std::max(0.0, m.scan), std::max(0.0, m.ptr), std::nullopt);
}

bool SyntheticWorkload::advance() {
  const auto& ph = p_.phases[phase_];
  const double dt = seg_.end_ns - seg_.begin_ns;
  const Mass r = transient_per_byte() * transient_rate();
  // Close the segment: fold its short-lived allocation into the cohort state.
  if (ph.lifetime.kind == Lifetime::exponential) {
    double tau = static_cast<double>(ph.lifetime.mean_ns);
    bool found = false;
    for (auto& b : exp_bins_) found = found || b.tau_ns == tau;
    if (!found) exp_bins_.push_back({tau, {}});
  } else if (r.live > 0 && dt > 0) {
    fixed_.push_back({seg_.begin_ns, seg_.end_ns, r, static_cast<double>(ph.lifetime.fixed_ns)});
  }
  for (auto& b : exp_bins_) {
    double decay = std::exp(-dt / b.tau_ns);
    bool active = ph.lifetime.kind == Lifetime::exponential && b.tau_ns == static_cast<double>(ph.lifetime.mean_ns);
    b.m = b.m * decay + (active ? r * (b.tau_ns * (1 - decay)) : Mass{});
  }
  // Retained heap: growth adds bytes at its own fractions, release removes them in
  // proportion.
  const double g = seg_.retained_bytes_per_ns;
  const double r_end = std::max(0.0, retained_.live + g * dt);
  if (g >= 0) {
    retained_ = retained_ + growth_per_byte() * (g * dt);
  } else {
    retained_ = retained_.live > 0 ? retained_ * (r_end / retained_.live) : Mass{};
  }

  const double t = seg_.end_ns;
  std::erase_if(fixed_, [t](const FixedCohort& c) { return c.end + c.life_ns <= t; });
  std::erase_if(exp_bins_, [](const ExpBin& b) { return b.m.live < 1e-3; });

  double phase_end = phase_ + 1 < p_.phases.size() ? phase_begin_ns_[phase_ + 1] : end_ns_;
  if (t >= phase_end) {
    if (phase_ + 1 >= p_.phases.size()) return false;
    start_phase(phase_ + 1, t);
  } else {
    make_segment(t);
  }
  return true;
}

LiveHeap SyntheticWorkload::live_at(double t) {
  const auto& ph = p_.phases[phase_];
  const double dt = std::max(0.0, t - seg_.begin_ns);
  const Mass r = transient_per_byte() * transient_rate();
  const SpanMix& mix = phase_mix_[phase_];
  Mass total;
  double exp_live = 0;
  bool found = false;
  for (const auto& b : exp_bins_) {
    const double decay = std::exp(-dt / b.tau_ns);
    const bool active = ph.lifetime.kind == Lifetime::exponential && b.tau_ns == static_cast<double>(ph.lifetime.mean_ns);
    found = found || active;
    const Mass m = b.m * decay + (active ? r * (b.tau_ns * (1 - decay)) : Mass{});
    total = total + m;
    exp_live += m.live;
  }
  if (ph.lifetime.kind == Lifetime::exponential) {
    if (!found) {  // first segment with this lifetime: the bin starts empty
      const double tau = static_cast<double>(ph.lifetime.mean_ns);
      const Mass m = r * (tau * (1 - std::exp(-dt / tau)));
      total = total + m;
      exp_live += m.live;
    }
  } else {
    total = total + r * std::min(dt, static_cast<double>(ph.lifetime.fixed_ns));
  }
  for (const auto& c : fixed_) {
    const double overlap = std::min(c.end, t) - std::max(c.begin, t - c.life_ns);
    if (overlap > 0) total = total + c.rate * overlap;
  }
  const double g = seg_.retained_bytes_per_ns;
  const double ret = std::max(0.0, retained_.live + g * dt);
  const Mass retained = g >= 0 ? retained_ + growth_per_byte() * (g * dt)
                               : (retained_.live > 0 ? retained_ * (ret / retained_.live) : Mass{});
  total = total + retained;
  LiveHeap h;
  h.live_bytes = total.live;
  h.live_scan_bytes = total.scan;
  h.live_pointer_bytes = total.ptr;
  h.live_objects = total.objects;
  h.live_pointer_objects = total.ptr_objects;
  h.retained_bytes = retained.live;
  // Short-lived objects with exponential lifetimes survive scattered over many spans
  // (SpanMix::sparse_factor); the retained heap and fixed-lifetime cohorts fill spans densely.
  h.span_bytes = exp_live * mix.sparse_factor + (h.live_bytes - exp_live) * mix.dense_factor;
  return h;
}

}  // namespace gogcsim
