#include "models/heap/object_store.hpp"

#include <stdexcept>

namespace gogcsim {

ObjectId ObjectStore::add(std::uint32_t size_bytes, std::uint32_t fields, bool noscan, ObjectRef slot) {
  if (noscan) fields = 0;
  if (pool_.size() + fields >= kNil) throw std::length_error("object store: more than 2^32 pointer fields");
  ObjectId id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    if (rec_.size() >= kNil) throw std::length_error("object store: more than 2^32 objects");
    id = static_cast<ObjectId>(rec_.size());
    rec_.emplace_back();
  }
  ObjectRecord& r = rec_[id];
  r.size_bytes = size_bytes;
  r.slot = slot;
  r.fields_begin = static_cast<std::uint32_t>(pool_.size());
  r.fields = fields;
  r.color = Color::white;
  r.live = true;
  r.noscan = noscan;
  pool_.insert(pool_.end(), fields, kNil);
  ++live_;
  live_fields_ += fields;
  return id;
}

void ObjectStore::remove(ObjectId id) {
  ObjectRecord& r = rec_[id];
  r.live = false;
  --live_;
  live_fields_ -= r.fields;
  dead_fields_ += r.fields;
  // A freed object has no pointers: BGL walks over it find nothing, and a stale id in a
  // dead object's field cannot make anything look reachable.
  for (std::uint32_t i = 0; i < r.fields; ++i) pool_[r.fields_begin + i] = kNil;
  r.fields = 0;
  free_ids_.push_back(id);
  if (dead_fields_ > live_fields_ && dead_fields_ > 4096) compact();
}

void ObjectStore::compact() {
  std::vector<ObjectId> pool;
  pool.reserve(live_fields_ + live_fields_ / 4);
  for (ObjectRecord& r : rec_) {
    if (!r.live || r.fields == 0) continue;
    const std::uint32_t begin = static_cast<std::uint32_t>(pool.size());
    pool.insert(pool.end(), pool_.begin() + r.fields_begin, pool_.begin() + r.fields_begin + r.fields);
    r.fields_begin = begin;
  }
  pool_.swap(pool);
  dead_fields_ = 0;
}

double ObjectStore::bytes_per_object() const {
  if (live_ == 0) return 0;
  const double bytes = static_cast<double>(rec_.capacity() * sizeof(ObjectRecord) + pool_.capacity() * sizeof(ObjectId) +
                                           free_ids_.capacity() * sizeof(ObjectId));
  return bytes / static_cast<double>(live_);
}

std::size_t out_degree(ObjectId v, const ObjectStore& g) {
  auto [b, e] = out_edges(v, g);
  std::size_t n = 0;
  for (; b != e; ++b) ++n;
  return n;
}

}  // namespace gogcsim
