// The object level's heap graph: every object with its size, its size-class slot, whether it
// holds pointers (scan/noscan) and its pointer fields — the graph the tri-color marker walks.
//
// Layout (measured by bytes_per_object(); issue target ≤ 48 B per object + 8 B per pointer):
//   * one 24-byte record per object id: size, the allocator's slot (ObjectRef), where its
//     pointer fields start in the shared field pool, how many it has, its mark color;
//   * one 4-byte ObjectId per pointer field in a single pool. A Go object's pointer fields
//     are fixed by its type, so an object's fields are allocated once, at allocation, and
//     never move; freed ranges are reclaimed by compact() (after sweeping), which keeps the
//     pool within 2x of the live fields.
// Ids of freed objects are reused (LIFO), so the store stays as large as the peak of live
// objects, not the total allocated.
//
// The store is a Boost.Graph IncidenceGraph and VertexListGraph (vertex = ObjectId, edge =
// a non-nil pointer field), so BGL algorithms — the breadth-first search the marker's tests
// use as an independent oracle — run on it directly.
#pragma once

#include <boost/graph/graph_traits.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "models/heap/allocator.hpp"

namespace gogcsim {

using ObjectId = std::uint32_t;
inline constexpr ObjectId kNil = std::numeric_limits<ObjectId>::max();

/// Tri-color marking state: white (not yet reached), grey (reached, fields not yet
/// scanned), black (reached and scanned, or allocated during mark).
enum class Color : std::uint8_t { white = 0, grey = 1, black = 2 };

struct ObjectRecord {
  std::uint32_t size_bytes = 0;       ///< requested size
  ObjectRef slot;                     ///< where the allocator put it
  std::uint32_t fields_begin = 0;     ///< first pointer field in the pool
  std::uint32_t fields = 0;           ///< pointer fields (0 for noscan objects)
  Color color = Color::white;
  bool live = false;                  ///< allocated and not yet swept
  bool noscan = false;
};
static_assert(sizeof(ObjectRecord) <= 24, "keep the per-object record within 24 bytes");

class ObjectStore {
 public:
  /// A new object with `fields` nil pointer fields (noscan objects have none).
  ObjectId add(std::uint32_t size_bytes, std::uint32_t fields, bool noscan, ObjectRef slot);
  /// Forgets a swept object; its id is reused. Its fields become garbage until compact().
  void remove(ObjectId id);
  /// Stores `target` into field `field` of `src`; returns the pointer it overwrote.
  ObjectId write(ObjectId src, std::uint32_t field, ObjectId target) {
    ObjectId& f = pool_[rec_[src].fields_begin + field];
    const ObjectId old = f;
    f = target;
    return old;
  }
  ObjectId field(ObjectId src, std::uint32_t field) const { return pool_[rec_[src].fields_begin + field]; }
  /// Rewrites the field pool without the ranges of removed objects.
  void compact();

  const ObjectRecord& operator[](ObjectId id) const { return rec_[id]; }
  ObjectRecord& operator[](ObjectId id) { return rec_[id]; }
  /// Ids ever handed out (live or free): the BGL vertex count.
  std::uint32_t capacity() const { return static_cast<std::uint32_t>(rec_.size()); }
  std::uint64_t live_objects() const { return live_; }
  std::uint64_t live_fields() const { return live_fields_; }
  /// Host bytes held per live object: records, field pool, free-id list (vector capacities).
  double bytes_per_object() const;
  const std::vector<ObjectId>& pool() const { return pool_; }

 private:
  std::vector<ObjectRecord> rec_;
  std::vector<ObjectId> pool_;
  std::vector<ObjectId> free_ids_;
  std::uint64_t live_ = 0, live_fields_ = 0, dead_fields_ = 0;
};

/// A pointer field that is not nil: (source object, index into the field pool).
struct PointerEdge {
  ObjectId source = kNil;
  std::uint32_t index = 0;
  bool operator==(const PointerEdge& o) const { return source == o.source && index == o.index; }
};

/// Iterates the non-nil fields of one object.
class PointerEdgeIterator
    : public boost::iterator_facade<PointerEdgeIterator, PointerEdge, boost::forward_traversal_tag, PointerEdge> {
 public:
  PointerEdgeIterator() = default;
  PointerEdgeIterator(const ObjectStore* g, ObjectId src, std::uint32_t index, std::uint32_t end)
      : g_(g), src_(src), index_(index), end_(end) {
    skip_nil();
  }

 private:
  friend class boost::iterator_core_access;
  void skip_nil() {
    while (index_ < end_ && g_->pool()[index_] == kNil) ++index_;
  }
  void increment() {
    ++index_;
    skip_nil();
  }
  bool equal(const PointerEdgeIterator& o) const { return index_ == o.index_ && src_ == o.src_; }
  PointerEdge dereference() const { return {src_, index_}; }
  const ObjectStore* g_ = nullptr;
  ObjectId src_ = kNil;
  std::uint32_t index_ = 0, end_ = 0;
};

// Boost.Graph free functions (found by argument-dependent lookup).
inline std::pair<PointerEdgeIterator, PointerEdgeIterator> out_edges(ObjectId v, const ObjectStore& g) {
  const ObjectRecord& r = g[v];
  return {PointerEdgeIterator(&g, v, r.fields_begin, r.fields_begin + r.fields),
          PointerEdgeIterator(&g, v, r.fields_begin + r.fields, r.fields_begin + r.fields)};
}
inline ObjectId source(const PointerEdge& e, const ObjectStore&) { return e.source; }
inline ObjectId target(const PointerEdge& e, const ObjectStore& g) { return g.pool()[e.index]; }
std::size_t out_degree(ObjectId v, const ObjectStore& g);
inline std::pair<boost::counting_iterator<ObjectId>, boost::counting_iterator<ObjectId>> vertices(const ObjectStore& g) {
  return {boost::counting_iterator<ObjectId>(0), boost::counting_iterator<ObjectId>(g.capacity())};
}
inline std::size_t num_vertices(const ObjectStore& g) { return g.capacity(); }

}  // namespace gogcsim

namespace boost {
template <>
struct graph_traits<gogcsim::ObjectStore> {
  using vertex_descriptor = gogcsim::ObjectId;
  using edge_descriptor = gogcsim::PointerEdge;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  struct traversal_category : incidence_graph_tag, vertex_list_graph_tag {};
  using out_edge_iterator = gogcsim::PointerEdgeIterator;
  using vertex_iterator = counting_iterator<gogcsim::ObjectId>;
  using degree_size_type = std::size_t;
  using vertices_size_type = std::size_t;
  using edges_size_type = std::size_t;
  using adjacency_iterator = void;
  using in_edge_iterator = void;
  using edge_iterator = void;
  static vertex_descriptor null_vertex() { return gogcsim::kNil; }
};
}  // namespace boost
