#include "models/collector/tricolor.hpp"

#include <algorithm>

namespace gogcsim {

void TriColorMarker::begin(const std::vector<ObjectId>& roots) {
  for (ObjectId id = 0; id < heap_.capacity(); ++id) heap_[id].color = Color::white;
  grey_.clear();
  stats_ = {};
  marking_ = true;
  for (ObjectId r : roots) {
    if (r != kNil) shade(r);
  }
}

void TriColorMarker::shade(ObjectId id) {
  ObjectRecord& r = heap_[id];
  if (r.color != Color::white) return;
  ++stats_.marked_objects;
  stats_.marked_bytes += r.size_bytes;
  if (r.noscan || r.fields == 0) {
    // greyobject: an object with no pointers is marked and never queued.
    r.color = Color::black;
    return;
  }
  r.color = Color::grey;
  // Every oblet is queued at once (Go queues the rest when it scans the first).
  const auto oblets = static_cast<std::uint32_t>((r.size_bytes + kObletBytes - 1) / kObletBytes);
  for (std::uint32_t k = std::max<std::uint32_t>(oblets, 1); k-- > 0;) grey_.push_back({id, k});
}

Drained TriColorMarker::drain(std::uint64_t budget_bytes, double budget_ns, const MarkCosts& costs) {
  std::uint64_t done = 0;
  double ns = 0;
  while (!grey_.empty() && (done == 0 || (done < budget_bytes && ns < budget_ns))) {
    const Work w = grey_.back();
    grey_.pop_back();
    ObjectRecord& r = heap_[w.id];
    const std::uint64_t size = r.size_bytes;
    const std::uint64_t from = std::min<std::uint64_t>(size, w.oblet * kObletBytes);
    const std::uint64_t to = std::min<std::uint64_t>(size, from + kObletBytes);
    // This oblet's share of the pointer fields, spread evenly over the object.
    const auto f0 = static_cast<std::uint32_t>(size > 0 ? r.fields * from / size : 0);
    const auto f1 = static_cast<std::uint32_t>(size > 0 ? r.fields * to / size : r.fields);
    const std::uint64_t marked_before = stats_.marked_objects;
    for (std::uint32_t f = f0; f < f1; ++f) {
      const ObjectId t = heap_.field(w.id, f);
      if (t != kNil) shade(t);
    }
    const std::uint64_t work = std::max<std::uint64_t>(to - from, 1);
    done += work;
    ns += static_cast<double>(work) * costs.ns_per_byte + (w.oblet == 0 ? costs.ns_per_scanned_object : 0.0) +
          static_cast<double>(stats_.marked_objects - marked_before) * costs.ns_per_marked_object;
    // The last oblet off the stack blackens the object (oblets are pushed high to low, so
    // oblet 0 is on top and scanned first; the object is black once every oblet is done).
    if (to == size) heap_[w.id].color = Color::black;
  }
  stats_.scan_work_bytes += done;
  return {done, ns};
}

bool TriColorMarker::invariant_holds_at(ObjectId src) const {
  const ObjectRecord& r = heap_[src];
  if (r.color != Color::black) return true;
  for (std::uint32_t f = 0; f < r.fields; ++f) {
    const ObjectId t = heap_.field(src, f);
    if (t != kNil && heap_[t].color == Color::white) return false;
  }
  return true;
}

}  // namespace gogcsim
