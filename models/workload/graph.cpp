#include "models/workload/graph.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <queue>

#include "sim/rng.hpp"

namespace gogcsim {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = kTraceNil;
constexpr std::uint64_t kPointerBytes = 8;
constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;  ///< an empty index into a generator's own arrays

// Writes one operation's records at time `t` and hands out trace ids, reusing dead ones.
class Emitter {
 public:
  explicit Emitter(std::string name) : name_(std::move(name)) {}
  std::vector<TraceRecord>* out = nullptr;
  std::uint64_t t = 0;
  std::uint64_t objects = 0;  ///< allocated by the current operation

  /// A new object on the allocating goroutine's stack until end_op(): `alloc … root`.
  std::uint32_t alloc(std::uint64_t size, std::uint32_t fields) {
    const std::uint32_t id = make(size, fields);
    held_.push_back(id);
    return id;
  }
  /// A new object a global holds for the whole run (or, for requests, until unlinked).
  std::uint32_t global(std::uint64_t size, std::uint32_t fields) { return make(size, fields); }
  void write(std::uint32_t src, std::uint32_t field, std::uint32_t dst) {
    out->push_back({TraceKind::write, 0, 0, src, t, field, dst});
  }
  void unlink(std::uint32_t id) { out->push_back({TraceKind::unlink, 0, 0, id, t, 0, 0}); }
  /// The program dropped the last pointer to `id`: unreachable from now on.
  void death(std::uint32_t id) {
    out->push_back({TraceKind::death, 0, 0, id, t, 0, 0});
    free_.push_back(id);
  }
  /// The operation returns: its stack lets go of the objects it allocated.
  void end_op() {
    for (std::uint32_t id : held_) unlink(id);
    held_.clear();
  }

 private:
  std::uint32_t make(std::uint64_t size, std::uint32_t fields) {
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      if (next_id_ == kTraceNil) throw InputError(name_ + ": more than 2^32-1 objects alive at once");
      id = next_id_++;
    }
    const std::uint8_t flags = TraceRecord::kRoot | (fields == 0 ? TraceRecord::kNoscan : 0);
    out->push_back({TraceKind::alloc, flags, 0, id, t, static_cast<std::uint32_t>(size), fields});
    ++objects;
    return id;
  }

  std::string name_;
  std::uint32_t next_id_ = 0;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> held_;
};

// One structure's timeline: next_ns is when its next operation runs (kNever: no more).
class Shape {
 public:
  Shape(std::uint64_t seed, int index, double build_gap_ns)
      : rng(seed, "workload.graph." + std::to_string(index)), build_gap_ns_(build_gap_ns) {}
  virtual ~Shape() = default;
  double next_ns = 0;
  /// Runs the operation due at next_ns and moves next_ns on.
  void step(Emitter& o) {
    o.objects = 0;
    const bool building = build(o);
    if (!building) operate(o);
    o.end_op();
    next_ns = building ? next_ns + static_cast<double>(std::max<std::uint64_t>(o.objects, 1)) * build_gap_ns_ : after();
  }

 protected:
  /// Adds one piece of the structure; false once it is complete.
  virtual bool build(Emitter& o) = 0;
  /// One steady-state operation.
  virtual void operate(Emitter& o) = 0;
  /// When the operation after the one just run is due.
  virtual double after() const { return next_ns + gap_ns_; }
  static double gap_for(double per_s) { return per_s > 0 ? 1e9 / per_s : kNever; }
  std::uint64_t below(std::uint64_t n) { return rng.next_u64() % n; }

  RngStream rng;
  double gap_ns_ = kNever;

 private:
  double build_gap_ns_;
};

class ListGen : public Shape {
 public:
  ListGen(const ListShape& s, std::uint64_t seed, int index, double build_gap)
      : Shape(seed, index, build_gap), s_(s), payload_(s.payload_bytes > 0) {
    gap_ns_ = gap_for(s.replace_per_s);
    node_.reserve(static_cast<std::size_t>(s.nodes));
  }

 private:
  bool build(Emitter& o) override {
    if (static_cast<std::int64_t>(node_.size()) == s_.nodes) return false;
    if (anchor_ == kNone) anchor_ = o.global(kPointerBytes, 1);  // var head *node
    const Node n = make(o);
    o.write(node_.empty() ? anchor_ : node_.back().id, 0, n.id);
    node_.push_back(n);
    return true;
  }
  void operate(Emitter& o) override {
    const std::size_t i = below(node_.size());
    const Node n = make(o);
    if (i + 1 < node_.size()) o.write(n.id, 0, node_[i + 1].id);
    o.write(i == 0 ? anchor_ : node_[i - 1].id, 0, n.id);
    o.death(node_[i].id);
    if (payload_) o.death(node_[i].payload);
    node_[i] = n;
  }

  struct Node {
    std::uint32_t id, payload;
  };
  Node make(Emitter& o) {
    Node n{o.alloc(s_.node_bytes, payload_ ? 2 : 1), kNone};
    if (payload_) {
      n.payload = o.alloc(s_.payload_bytes, 0);
      o.write(n.id, 1, n.payload);
    }
    return n;
  }
  ListShape s_;
  bool payload_;
  std::uint32_t anchor_ = kNone;
  std::vector<Node> node_;
};

class TreeGen : public Shape {
 public:
  TreeGen(const TreeShape& s, std::uint64_t seed, int index, double build_gap)
      : Shape(seed, index, build_gap), s_(s), n_(static_cast<std::uint64_t>(s.nodes)) {
    gap_ns_ = gap_for(s.replace_per_s);
    id_.reserve(n_);
    // A subtree of height h holds 2^h - 1 nodes: the height closest to subtree_nodes.
    const auto h = std::max<int>(1, static_cast<int>(std::lround(std::log2(static_cast<double>(s.subtree_nodes) + 1))));
    const int levels = std::bit_width(n_);
    depth_ = std::max(0, levels - h);
  }

 private:
  bool build(Emitter& o) override {
    if (id_.size() == n_) return false;
    if (anchor_ == kNone) anchor_ = o.global(kPointerBytes, 1);  // var root *node
    const std::uint64_t i = id_.size();
    const std::uint32_t n = o.alloc(s_.node_bytes, 2);
    link(o, i, n);
    id_.push_back(n);
    return true;
  }
  // Rebuilds the subtree under a random node at depth_, then swings its parent's pointer.
  void operate(Emitter& o) override {
    const std::uint64_t first = (std::uint64_t{1} << depth_) - 1;
    const std::uint64_t last = std::min(n_, 2 * first + 1);
    const std::uint64_t k = first + below(last - first);
    // The subtree's nodes in breadth-first order are a heap of their own: the parent of
    // position a is position (a - 1) / 2.
    sub_.assign(1, k);
    for (std::size_t a = 0; a < sub_.size(); ++a) {
      for (std::uint64_t c = 2 * sub_[a] + 1; c <= 2 * sub_[a] + 2 && c < n_; ++c) sub_.push_back(c);
    }
    fresh_.clear();
    for (std::size_t a = 0; a < sub_.size(); ++a) {
      fresh_.push_back(o.alloc(s_.node_bytes, 2));
      if (a > 0) o.write(fresh_[(a - 1) / 2], static_cast<std::uint32_t>((a - 1) % 2), fresh_[a]);
    }
    link(o, k, fresh_[0]);
    for (std::size_t a = 0; a < sub_.size(); ++a) {
      o.death(id_[sub_[a]]);
      id_[sub_[a]] = fresh_[a];
    }
  }
  // Stores node `n` at heap index i: in its parent, or in the root variable.
  void link(Emitter& o, std::uint64_t i, std::uint32_t n) {
    if (i == 0) o.write(anchor_, 0, n);
    else o.write(id_[(i - 1) / 2], static_cast<std::uint32_t>((i - 1) % 2), n);
  }

  TreeShape s_;
  std::uint64_t n_;
  int depth_ = 0;
  std::uint32_t anchor_ = kNone;
  std::vector<std::uint32_t> id_;  ///< heap index -> trace id
  std::vector<std::uint64_t> sub_;
  std::vector<std::uint32_t> fresh_;
};

class MapGen : public Shape {
 public:
  MapGen(const MapShape& s, std::uint64_t seed, int index, double build_gap)
      : Shape(seed, index, build_gap), s_(s), buckets_(static_cast<std::uint32_t>(s.bucket_count())), chain_(buckets_) {
    const double ops = s.update_per_s + s.churn_per_s;
    gap_ns_ = gap_for(ops);
    update_share_ = ops > 0 ? s.update_per_s / ops : 0;
    entry_.reserve(static_cast<std::size_t>(s.entries));
  }

 private:
  bool build(Emitter& o) override {
    if (static_cast<std::int64_t>(entry_.size()) == s_.entries) return false;
    if (table_ == kNone) table_ = o.global(kPointerBytes * buckets_, buckets_);
    entry_.push_back({});
    insert(o, static_cast<std::uint32_t>(entry_.size() - 1));
    return true;
  }
  void operate(Emitter& o) override {
    const auto e = static_cast<std::uint32_t>(below(entry_.size()));
    if (rng.uniform() < update_share_) {  // m[k] = newValue()
      const std::uint32_t v = o.alloc(s_.value_bytes, 0);
      o.write(entry_[e].id, 1, v);
      o.death(entry_[e].value);
      entry_[e].value = v;
      return;
    }
    // delete(m, k); m[k2] = v2
    auto& c = chain_[entry_[e].bucket];
    const auto p = static_cast<std::size_t>(std::find(c.begin(), c.end(), e) - c.begin());
    const std::uint32_t next = p > 0 ? entry_[c[p - 1]].id : kNone;
    if (p + 1 == c.size()) o.write(table_, entry_[e].bucket, next);
    else o.write(entry_[c[p + 1]].id, 0, next);
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(p));
    o.death(entry_[e].id);
    if (entry_[e].value != kNone) o.death(entry_[e].value);
    insert(o, e);
  }
  // A new entry (and value) at the head of a random bucket's chain.
  void insert(Emitter& o, std::uint32_t e) {
    Entry& x = entry_[e];
    x.bucket = static_cast<std::uint32_t>(below(buckets_));
    x.id = o.alloc(s_.entry_bytes, 2);
    x.value = kNone;
    if (s_.value_bytes > 0) {
      x.value = o.alloc(s_.value_bytes, 0);
      o.write(x.id, 1, x.value);
    }
    auto& c = chain_[x.bucket];  // tail first, head last
    if (!c.empty()) o.write(x.id, 0, entry_[c.back()].id);
    o.write(table_, x.bucket, x.id);
    c.push_back(e);
  }

  struct Entry {
    std::uint32_t id = kNone, value = kNone, bucket = 0;
  };
  MapShape s_;
  std::uint32_t buckets_;
  double update_share_ = 0;
  std::uint32_t table_ = kNone;
  std::vector<Entry> entry_;
  std::vector<std::vector<std::uint32_t>> chain_;  ///< per bucket: entry indices, tail first
};

class LruGen : public Shape {
 public:
  LruGen(const LruShape& s, std::uint64_t seed, int index, double build_gap)
      : Shape(seed, index, build_gap), s_(s), cap_(static_cast<std::uint32_t>(s.capacity)) {
    gap_ns_ = gap_for(s.get_per_s);
    slot_.reserve(cap_);
  }

 private:
  static constexpr std::uint32_t kPrev = 0, kNext = 1, kValue = 2, kHead = 0, kTail = 1;

  bool build(Emitter& o) override {
    if (slot_.size() == cap_) return false;
    if (list_ == kNone) {
      list_ = o.global(2 * kPointerBytes, 2);           // the list's head and tail
      table_ = o.global(kPointerBytes * cap_, cap_);   // the index: key -> entry
    }
    slot_.push_back({});
    fill(o, static_cast<std::uint32_t>(slot_.size() - 1));
    return true;
  }
  void operate(Emitter& o) override {
    if (rng.uniform() < s_.hit_ratio) {  // hit: move the entry to the front
      const auto s = static_cast<std::uint32_t>(below(cap_));
      if (s == head_) return;
      unlink(o, s);
      o.write(slot_[s].id, kPrev, kNone);
      push_front(o, s);
      return;
    }
    // Miss: evict the tail, insert the new entry at the front in its index slot.
    const std::uint32_t s = tail_;
    unlink(o, s);
    o.death(slot_[s].id);
    if (slot_[s].value != kNone) o.death(slot_[s].value);
    fill(o, s);
  }
  void fill(Emitter& o, std::uint32_t s) {
    Slot& x = slot_[s];
    x.id = o.alloc(s_.entry_bytes, 3);
    x.value = kNone;
    if (s_.value_bytes > 0) {
      x.value = o.alloc(s_.value_bytes, 0);
      o.write(x.id, kValue, x.value);
    }
    push_front(o, s);
    o.write(table_, s, x.id);
  }
  std::uint32_t id(std::uint32_t s) const { return s == kNoSlot ? kNone : slot_[s].id; }
  void push_front(Emitter& o, std::uint32_t s) {
    slot_[s].prev = kNoSlot;
    slot_[s].next = head_;
    if (head_ != kNoSlot) {
      o.write(slot_[s].id, kNext, slot_[head_].id);
      o.write(slot_[head_].id, kPrev, slot_[s].id);
      slot_[head_].prev = s;
    } else {
      tail_ = s;
      o.write(list_, kTail, slot_[s].id);
    }
    head_ = s;
    o.write(list_, kHead, slot_[s].id);
  }
  void unlink(Emitter& o, std::uint32_t s) {
    const std::uint32_t p = slot_[s].prev, n = slot_[s].next;
    if (p != kNoSlot) {
      o.write(slot_[p].id, kNext, id(n));
      slot_[p].next = n;
    } else {
      head_ = n;
      o.write(list_, kHead, id(n));
    }
    if (n != kNoSlot) {
      o.write(slot_[n].id, kPrev, id(p));
      slot_[n].prev = p;
    } else {
      tail_ = p;
      o.write(list_, kTail, id(p));
    }
  }

  struct Slot {
    std::uint32_t id = kNone, value = kNone, prev = kNoSlot, next = kNoSlot;
  };
  LruShape s_;
  std::uint32_t cap_;
  std::uint32_t list_ = kNone, table_ = kNone;
  std::vector<Slot> slot_;
  std::uint32_t head_ = kNoSlot, tail_ = kNoSlot;
};

class RequestGen : public Shape {
 public:
  RequestGen(const RequestShape& s, std::uint64_t seed, int index, double build_gap)
      : Shape(seed, index, build_gap), s_(s), sizes_(s.sizes.samples()) {
    gap_ns_ = gap_for(s.per_s);
    poisson_ = s.arrivals == "poisson";
    arrival_ns_ = gap_ns_ == kNever ? kNever : 0;
    if (s.keep_last > 0) ring_.assign(static_cast<std::size_t>(s.keep_last), kNoSlot);
    next_ns = arrival_ns_;
  }

 private:
  // No structure to build; the ring of kept responses is made with the first request.
  bool build(Emitter&) override { return false; }
  void operate(Emitter& o) override {
    if (!ends_.empty() && ends_.top().first <= arrival_ns_) {
      const std::uint32_t r = ends_.top().second;
      ends_.pop();
      finish(o, r);
    } else {
      arrive(o);
      arrival_ns_ += poisson_ ? rng.exponential(gap_ns_) : gap_ns_;
    }
  }
  double after() const override { return std::min(arrival_ns_, ends_.empty() ? kNever : ends_.top().first); }
  void arrive(Emitter& o) {
    if (!ring_.empty() && ring_obj_ == kNone) {
      ring_obj_ = o.global(kPointerBytes * ring_.size(), static_cast<std::uint32_t>(ring_.size()));
    }
    std::uint32_t r;
    if (!free_.empty()) {
      r = free_.back();
      free_.pop_back();
    } else {
      r = static_cast<std::uint32_t>(req_.size());
      req_.emplace_back();
    }
    auto& ids = req_[r];
    ids.clear();
    const auto k = static_cast<std::uint32_t>(s_.objects);
    // The request object holds a pointer to each of the others at most: k - 1 fields. Alone
    // (objects: 1) it is an object of the size mix, with pointers at `pointer_fraction`.
    std::uint64_t root_size = size();
    std::uint32_t root_fields = k - 1;
    if (k == 1) {
      root_fields = root_size >= kPointerBytes && rng.uniform() < s_.pointer_fraction
                        ? static_cast<std::uint32_t>(std::min<std::uint64_t>(root_size / kPointerBytes, 4))
                        : 0;
    }
    root_size = std::max<std::uint64_t>(root_size, kPointerBytes * root_fields);
    ids.push_back(o.global(root_size, root_fields));  // its goroutine's stack holds it
    open_.clear();
    if (k > 1) open_.push_back({ids[0], 0, k - 1});
    for (std::uint32_t j = 1; j < k; ++j) {
      const std::uint64_t sz = size();
      const bool ptr = sz >= kPointerBytes && rng.uniform() < s_.pointer_fraction;
      const auto fields = ptr ? static_cast<std::uint32_t>(std::min<std::uint64_t>(sz / kPointerBytes, 4)) : 0;
      const std::uint32_t x = o.alloc(sz, fields);
      ids.push_back(x);
      // Hang it from a random earlier object with a free field (the request object always has one).
      const std::size_t pi = below(open_.size());
      Open& p = open_[pi];
      o.write(p.id, p.used++, x);
      if (p.used == p.fields) {
        p = open_.back();
        open_.pop_back();
      }
      if (fields > 0) open_.push_back({x, 0, fields});
    }
    const double life = s_.lifetime.kind == Lifetime::fixed ? static_cast<double>(s_.lifetime.fixed_ns)
                                                            : rng.exponential(static_cast<double>(s_.lifetime.mean_ns));
    ends_.push({arrival_ns_ + life, r});
  }
  // The request returns: its graph dies, or goes into the ring and an old one dies.
  void finish(Emitter& o, std::uint32_t r) {
    if (ring_.empty()) {
      o.unlink(req_[r][0]);
      drop(o, r);
      return;
    }
    const std::size_t slot = ring_next_++ % ring_.size();
    o.write(ring_obj_, static_cast<std::uint32_t>(slot), req_[r][0]);
    o.unlink(req_[r][0]);
    if (ring_[slot] != kNoSlot) drop(o, ring_[slot]);
    ring_[slot] = r;
  }
  void drop(Emitter& o, std::uint32_t r) {
    for (std::uint32_t id : req_[r]) o.death(id);
    free_.push_back(r);
  }
  std::uint64_t size() { return std::max<std::uint64_t>(1, std::llround(sizes_[below(sizes_.size())])); }

  struct Open {
    std::uint32_t id, used, fields;
  };
  using End = std::pair<double, std::uint32_t>;
  RequestShape s_;
  std::vector<double> sizes_;
  double arrival_ns_ = 0;
  bool poisson_ = false;
  std::priority_queue<End, std::vector<End>, std::greater<>> ends_;
  std::vector<std::vector<std::uint32_t>> req_;  ///< request slot -> its objects' ids (request object first)
  std::vector<std::uint32_t> free_;
  std::vector<Open> open_;
  std::vector<std::uint32_t> ring_;  ///< kept requests (request slots)
  std::size_t ring_next_ = 0;
  std::uint32_t ring_obj_ = kNone;
};

class GraphSource : public RecordSource {
 public:
  GraphSource(const GraphParams& p, std::uint64_t seed, std::string name)
      : name_(std::move(name)), emit_(name_), end_ns_(static_cast<double>(p.duration_ns)) {
    const double build_gap = 1e9 / p.build_objects_per_s;
    for (std::size_t i = 0; i < p.structures.size(); ++i) {
      const StructureParams& s = p.structures[i];
      const int k = static_cast<int>(i);
      if (s.list) shapes_.push_back(std::make_unique<ListGen>(*s.list, seed, k, build_gap));
      if (s.tree) shapes_.push_back(std::make_unique<TreeGen>(*s.tree, seed, k, build_gap));
      if (s.map) shapes_.push_back(std::make_unique<MapGen>(*s.map, seed, k, build_gap));
      if (s.lru) shapes_.push_back(std::make_unique<LruGen>(*s.lru, seed, k, build_gap));
      if (s.requests) shapes_.push_back(std::make_unique<RequestGen>(*s.requests, seed, k, build_gap));
    }
  }
  bool next_batch(std::vector<TraceRecord>& out, std::size_t max_records) override {
    out.clear();
    emit_.out = &out;
    while (out.size() < max_records) {
      Shape* next = nullptr;
      for (auto& s : shapes_) {
        if (!next || s->next_ns < next->next_ns) next = s.get();
      }
      if (!next || !(next->next_ns < end_ns_)) break;
      emit_.t = static_cast<std::uint64_t>(next->next_ns);
      next->step(emit_);
    }
    return !out.empty();
  }
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  Emitter emit_;
  double end_ns_;
  std::vector<std::unique_ptr<Shape>> shapes_;
};

}  // namespace

std::int64_t MapShape::bucket_count() const {
  if (buckets) return *buckets;
  // Go grows a map when it averages more than 6.5 entries per bucket (loadFactorNum/Den).
  std::int64_t b = 1;
  while (static_cast<double>(entries) > 6.5 * static_cast<double>(b)) b *= 2;
  return b;
}

void GraphParams::check(ConfigSource& src, const std::string& path) const {
  double live = 0;  // objects alive at once, about: what the host must hold
  for (std::size_t i = 0; i < structures.size(); ++i) {
    const StructureParams& s = structures[i];
    const std::string at = path + ".structures[" + std::to_string(i) + "]";
    const int shapes = s.list.has_value() + s.tree.has_value() + s.map.has_value() + s.lru.has_value() + s.requests.has_value();
    if (shapes != 1) src.fail(at, "needs exactly one of list, tree, map, lru, requests (has " + std::to_string(shapes) + ")");
    if (s.list && s.list->payload_bytes > 0 && s.list->node_bytes < 2 * kPointerBytes) {
      src.fail(at + ".list.node_size", "must be at least 16B to hold next and payload pointers");
    }
    if (s.map && s.map->update_per_s > 0 && s.map->value_bytes == 0) {
      src.fail(at + ".map.update_per_s", "needs values (value_size > 0) to update");
    }
    if (s.requests) {
      const auto& r = *s.requests;
      for (double x : r.sizes.samples()) {
        if (x > 0x1p32 - 1) src.fail(at + ".requests.sizes", "objects must be smaller than 4GiB");
      }
      if (r.sizes.kind == SizeMix::uniform && r.sizes.min_bytes > r.sizes.max_bytes) {
        src.fail(at + ".requests.sizes.uniform", "min is larger than max");
      }
      const double life_s =
          static_cast<double>(r.lifetime.kind == Lifetime::fixed ? r.lifetime.fixed_ns : r.lifetime.mean_ns) / 1e9;
      live += (r.per_s * life_s + static_cast<double>(r.keep_last)) * static_cast<double>(r.objects);
    }
    if (s.list) live += static_cast<double>(s.list->nodes) * (s.list->payload_bytes > 0 ? 2 : 1);
    if (s.tree) live += static_cast<double>(s.tree->nodes);
    if (s.map) live += static_cast<double>(s.map->entries) * (s.map->value_bytes > 0 ? 2 : 1);
    if (s.lru) live += static_cast<double>(s.lru->capacity) * (s.lru->value_bytes > 0 ? 2 : 1);
  }
  // The object level keeps every object in host memory (~40-80 B each with its indexes).
  constexpr double kMaxLive = 50e6;
  if (live > kMaxLive) {
    src.fail(path + ".structures", "would keep about " + std::to_string(std::llround(live / 1e6)) +
                                       " M objects alive at once; the object level holds at most 50 M (about 4 GB of host memory)");
  }
}

std::unique_ptr<RecordSource> GraphWorkload::open() const {
  return std::make_unique<GraphSource>(p_, seed_, "graph workload");
}

}  // namespace gogcsim
