// `kind: graph` — programs with real pointer structure for the `object` level, written in
// YAML: linked lists, trees, a map-like table, an LRU cache, request/response graphs. The
// workload generates trace records (models/workload/trace_format.hpp) as the level asks for
// them, so a run needs no trace file and memory grows with the live structures only;
// `gogcsim trace record SCENARIO OUT` writes the same records to a file.
//
//   workload:
//     kind: graph
//     mutator_cpus: 2
//     duration: 10s
//     structures:
//       - lru: {capacity: 100000, entry_size: 64B, value_size: 1KiB, get_per_s: 200000, hit_ratio: 0.9}
//       - requests: {per_s: 5000, objects: 40, sizes: {fixed: 64B}, lifetime: {exponential: {mean: 20ms}}}
//
// How the program behaves, in the terms a Go programmer would write it:
//   * every structure hangs off a global (a root for the whole run);
//   * a new object is on the allocating goroutine's stack (a root) until the operation that
//     made it has stored it into the heap: `alloc … root`, the writes, then `unlink`;
//   * an object the program drops becomes unreachable then and there: the generator writes
//     a `death` record for it (so `trace stat` shows true lifetimes), and its trace id may be
//     used again;
//   * structures are built first, at `build_objects_per_s`, then operated on at their rates
//     until `duration` (mutator time, build included). Operations are evenly spaced; the
//     objects they touch are drawn from the scenario seed (stream "workload.graph.N").
// Pointer writes happen whenever the program runs, so marks see them through the barrier.
//
// Shapes (pointer fields are 8 bytes each; sizes are what new/make ask for):
//   list      `nodes` nodes (fields: next[, payload]), each optionally with a noscan
//             payload; `replace_per_s`: a random node is replaced by a new one (2 writes).
//   tree      a complete binary tree of `nodes` nodes (fields: left, right); `replace_per_s`:
//             a random subtree of about `subtree_nodes` nodes is rebuilt and swung in.
//   map       a bucket table (one object of `buckets` pointer fields: over 128 KiB it is
//             marked in oblets) with chained entries (fields: next, value) and noscan
//             values; `update_per_s`: a key gets a new value; `churn_per_s`: a key is
//             deleted and a new one inserted.
//   lru       `capacity` entries (fields: prev, next, value) on a doubly linked list, indexed
//             by a table object of `capacity` fields; `get_per_s` lookups, `hit_ratio` of them
//             hits (move to front: up to 6 writes); a miss evicts the tail and inserts a new
//             entry and value at the front.
//   requests  `per_s` requests (`arrivals: poisson` for exponential gaps), each building a tree of `objects` objects (sizes from
//             `sizes`, `pointer_fraction` of them with pointers) under a request object that
//             its goroutine holds for `lifetime` (`objects: 1`: one object of the mix per
//             request, a plain allocation stream with lifetimes); `keep_last` > 0 keeps the last that many
//             finished requests' graphs reachable from a global ring (a response cache).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/workload/synthetic.hpp"
#include "models/workload/trace.hpp"
#include "models/workload/trace_format.hpp"
#include "sim/config.hpp"

namespace gogcsim {

struct ListShape {
  std::int64_t nodes = 0;
  std::uint64_t node_bytes = 32;
  std::uint64_t payload_bytes = 0;
  double replace_per_s = 0;

  template <class V>
  void visit(V& v) {
    v.field("nodes", nodes, {.description = "list length", .unit = Unit::count, .required = true, .min = 1, .max = 1e8});
    v.field("node_size", node_bytes, {.description = "node size (8 B per pointer field: next, payload)", .unit = Unit::bytes, .min = 8, .max = 32768});
    v.field("payload_size", payload_bytes, {.description = "noscan payload per node (0: none)", .unit = Unit::bytes, .min = 0, .max = 0x1p32 - 1});
    v.field("replace_per_s", replace_per_s, {.description = "nodes replaced per mutator second", .unit = Unit::number, .min = 0, .max = 1e9});
  }
};

struct TreeShape {
  std::int64_t nodes = 0;
  std::uint64_t node_bytes = 48;
  std::int64_t subtree_nodes = 15;
  double replace_per_s = 0;

  template <class V>
  void visit(V& v) {
    v.field("nodes", nodes, {.description = "tree size", .unit = Unit::count, .required = true, .min = 1, .max = 1e8});
    v.field("node_size", node_bytes, {.description = "node size (fields: left, right)", .unit = Unit::bytes, .min = 16, .max = 32768});
    v.field("subtree_nodes", subtree_nodes, {.description = "about how many nodes one replacement rebuilds", .unit = Unit::count, .min = 1, .max = 1e8});
    v.field("replace_per_s", replace_per_s, {.description = "subtrees rebuilt per mutator second", .unit = Unit::number, .min = 0, .max = 1e9});
  }
};

struct MapShape {
  std::int64_t entries = 0;
  std::uint64_t entry_bytes = 48;
  std::uint64_t value_bytes = 64;
  std::optional<std::int64_t> buckets;
  double update_per_s = 0;
  double churn_per_s = 0;

  template <class V>
  void visit(V& v) {
    v.field("entries", entries, {.description = "keys in the map", .unit = Unit::count, .required = true, .min = 1, .max = 1e8});
    v.field("entry_size", entry_bytes, {.description = "entry size (fields: next, value)", .unit = Unit::bytes, .min = 16, .max = 32768});
    v.field("value_size", value_bytes, {.description = "noscan value per entry (0: none)", .unit = Unit::bytes, .min = 0, .max = 0x1p32 - 1});
    v.field("buckets", buckets, {.description = "table size (default: the power of two Go's load factor 6.5 gives)", .unit = Unit::count, .min = 1, .max = 1 << 28});
    v.field("update_per_s", update_per_s, {.description = "values replaced per mutator second", .unit = Unit::number, .min = 0, .max = 1e9});
    v.field("churn_per_s", churn_per_s, {.description = "keys deleted and new ones inserted per mutator second", .unit = Unit::number, .min = 0, .max = 1e9});
  }
  std::int64_t bucket_count() const;
};

struct LruShape {
  std::int64_t capacity = 0;
  std::uint64_t entry_bytes = 64;
  std::uint64_t value_bytes = 1024;
  double get_per_s = 0;
  double hit_ratio = 0.9;

  template <class V>
  void visit(V& v) {
    v.field("capacity", capacity, {.description = "entries the cache holds", .unit = Unit::count, .required = true, .min = 1, .max = 1e8});
    v.field("entry_size", entry_bytes, {.description = "entry size (fields: prev, next, value)", .unit = Unit::bytes, .min = 24, .max = 32768});
    v.field("value_size", value_bytes, {.description = "noscan value per entry (0: none)", .unit = Unit::bytes, .min = 0, .max = 0x1p32 - 1});
    v.field("get_per_s", get_per_s, {.description = "lookups per mutator second", .unit = Unit::number, .min = 0, .max = 1e9});
    v.field("hit_ratio", hit_ratio, {.description = "fraction of lookups that hit", .unit = Unit::fraction});
  }
};

struct RequestShape {
  double per_s = 0;
  std::string arrivals = "uniform";
  std::int64_t objects = 16;
  SizeMix sizes;
  double pointer_fraction = 0.5;
  Lifetime lifetime;
  std::int64_t keep_last = 0;

  RequestShape() {
    sizes.kind = SizeMix::fixed;
    sizes.fixed_bytes = 64;
  }
  template <class V>
  void visit(V& v) {
    v.field("per_s", per_s, {.description = "requests per mutator second", .unit = Unit::number, .required = true, .min = 0, .max = 1e9});
    v.field("arrivals", arrivals, {.description = "evenly spaced, or a Poisson process (exponential gaps)", .unit = Unit::text, .choices = {"uniform", "poisson"}});
    v.field("objects", objects, {.description = "objects per request, the request object included", .unit = Unit::count, .min = 1, .max = 1e6});
    sizes.visit(v);
    v.field("pointer_fraction", pointer_fraction, {.description = "fraction of a request's other objects that hold pointers", .unit = Unit::fraction});
    lifetime.visit(v);
    v.field("keep_last", keep_last, {.description = "finished requests kept reachable from a global ring (0: none)", .unit = Unit::count, .min = 0, .max = 1e8});
  }
};

/// One entry of `structures`: a map with exactly one shape key.
struct StructureParams {
  std::optional<ListShape> list;
  std::optional<TreeShape> tree;
  std::optional<MapShape> map;
  std::optional<LruShape> lru;
  std::optional<RequestShape> requests;

  template <class V>
  void visit(V& v) {
    v.optional_child("list", list, "a singly linked list");
    v.optional_child("tree", tree, "a complete binary tree");
    v.optional_child("map", map, "a chained hash table");
    v.optional_child("lru", lru, "an LRU cache: list + index table");
    v.optional_child("requests", requests, "short-lived request/response object graphs");
  }
};

struct GraphParams {
  double mutator_cpus = 1;
  double mark_speed = 1;
  std::int64_t duration_ns = 0;
  double build_objects_per_s = 10e6;
  std::vector<StructureParams> structures;

  template <class V>
  void visit(V& v) {
    v.field("mutator_cpus", mutator_cpus, {.description = "CPUs the program keeps busy", .unit = Unit::number, .min = 0.01, .max = 1e4});
    visit_mark_speed(v, mark_speed);
    v.field("duration", duration_ns, {.description = "mutator time of the run, building included", .unit = Unit::duration, .required = true, .min = 1, .max = 0x1p62});
    v.field("build_objects_per_s", build_objects_per_s, {.description = "objects per mutator second while structures are built", .unit = Unit::number, .min = 1, .max = 1e10});
    v.list("structures", structures, "what the program keeps and churns", true);
  }
  /// Exactly one shape per entry; sizes that fit their pointer fields; ids that fit u32.
  void check(ConfigSource& src, const std::string& path) const;
};

class GraphWorkload : public ObjectWorkload {
 public:
  GraphWorkload(const GraphParams& p, const WorkloadContext& ctx) : p_(p), seed_(ctx.seed) {}
  double mutator_cpus() const override { return p_.mutator_cpus; }
  double mark_speed() const override { return p_.mark_speed; }
  std::unique_ptr<RecordSource> open() const override;

 private:
  GraphParams p_;
  std::uint64_t seed_;
};

}  // namespace gogcsim
