// Strict configuration reading: YAML in, typed parameter structs out, errors that name the
// file, the line and the key.
//
// Every parameter struct describes itself once, with a `visit` member template:
//
//   struct RuntimeParams {
//     std::int64_t gomaxprocs = 4;
//     template <class V> void visit(V& v) {
//       v.field("gomaxprocs", gomaxprocs, {.description = "Ps (GOMAXPROCS)", .unit = Unit::count, .min = 1});
//     }
//   };
//
// and three visitors walk it: ConfigReader fills it from YAML (rejecting unknown keys, wrong
// types, bad units and out-of-range values), ConfigWriter echoes the resolved values (every
// default made explicit) and ConfigDescriber lists fields, units and defaults for
// `gogcsim models`. One description, so the reader, the echo and the help cannot disagree.
// Models never see YAML (STYLE "Config stops at the edge").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace gogcsim {

/// Bad user input. what() is one line: "FILE:LINE: KEY.PATH: what is wrong". The CLI prints
/// it and exits with code 2.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// How a scalar field is written and checked.
enum class Unit {
  bytes,     ///< uint64 bytes: "64MiB"
  duration,  ///< int64 ns: "10ms"
  rate,      ///< double bytes per second: "200MiB/s"
  fraction,  ///< double in [0, 1]
  count,     ///< int64 integer
  number,    ///< double
  gogc,      ///< int64 percent; "off" = -1
  limit,     ///< int64 bytes; "off" = INT64_MAX (Go's "no limit")
  seed,      ///< uint64 integer
  text,      ///< std::string
  flag,      ///< bool: true or false
  stream,    ///< a per-cycle stream expression (models/workload/streams.hpp)
};

const char* unit_name(Unit u);

struct FieldSpec {
  const char* description = "";
  Unit unit = Unit::number;
  bool required = false;
  double min = std::numeric_limits<double>::lowest();  ///< Inclusive, in the field's base unit.
  double max = std::numeric_limits<double>::max();     ///< Inclusive.
  std::vector<std::string> choices = {};               ///< For Unit::text: the allowed values.
};

inline constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

/// Where values came from: the file and the line of every key path read, and which paths a
/// `--set` override wrote (so errors can name the override instead of a file line).
struct ConfigSource {
  std::string file;
  std::set<std::string> overridden;  ///< Paths in reader form: "workload.phases[0].alloc_rate".
  std::map<std::string, int> lines;  ///< 1-based line of every path read.

  /// Formats "FILE:LINE: PATH: message" (or "FILE: --set PATH: message").
  std::string where(const std::string& path, int line) const;
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;
};

/// Parses a YAML file, applies `--set key.path=value` overrides, and returns the tree.
/// Throws InputError for unreadable files, YAML syntax errors and malformed overrides.
YAML::Node load_yaml_file(const std::string& path, const std::vector<std::string>& overrides,
                          ConfigSource& source);
/// Same, for YAML text (the Python module and tests use it); `name` is used in messages.
YAML::Node load_yaml_text(const std::string& text, const std::string& name,
                          const std::vector<std::string>& overrides, ConfigSource& source);

// ---------------------------------------------------------------------------------------
class ConfigReader {
 public:
  ConfigReader(YAML::Node node, ConfigSource& source, std::string path);

  template <class T>
  void field(const char* key, T& ref, const FieldSpec& spec) {
    if (auto n = take(key, spec.required)) read_scalar(*n, join(key), ref, spec);
  }
  /// A scalar that may be absent (nullopt = "not given": the model decides).
  template <class T>
  void field(const char* key, std::optional<T>& ref, const FieldSpec& spec) {
    if (auto n = take(key, spec.required)) {
      T v{};
      read_scalar(*n, join(key), v, spec);
      ref = v;
    } else {
      ref.reset();
    }
  }
  template <class S>
  void child(const char* key, S& s, const char* /*description*/, bool required = false) {
    auto n = take(key, required);
    if (!n) return;
    ConfigReader sub(*n, *source_, join(key));
    sub.expect_map();
    s.visit(sub);
    sub.finish();
  }
  /// A map that may be absent: `out` is set only when the key is present.
  template <class S>
  void optional_child(const char* key, std::optional<S>& out, const char* description) {
    if (!has(key)) {
      take(key, false);
      out.reset();
      return;
    }
    S s{};
    child(key, s, description, true);
    out = std::move(s);
  }
  template <class S>
  void list(const char* key, std::vector<S>& out, const char* /*description*/, bool required = false) {
    auto opt = take(key, required);
    if (!opt) return;
    YAML::Node n = *opt;
    std::string path = join(key);
    if (!n.IsSequence()) source_->fail(path, "expected a list");
    if (n.size() == 0 && required) source_->fail(path, "needs at least one entry");
    out.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      std::string item = path + "[" + std::to_string(i) + "]";
      note_line(item, n[i]);
      ConfigReader sub(n[i], *source_, item);
      sub.expect_map();
      S s{};
      s.visit(sub);
      sub.finish();
      out.push_back(std::move(s));
    }
  }
  /// A map with exactly one key naming a variant: `sizes: {lognormal: {median: 64B, sigma: 1}}`.
  /// `fn(reader, index)` reads the chosen variant's body.
  template <class F>
  void one_of(const char* key, int& kind, std::initializer_list<const char*> kinds, const char* /*description*/,
              F&& fn, bool required = false) {
    auto opt = take(key, required);
    if (!opt) return;
    YAML::Node n = *opt;
    std::string path = join(key);
    if (!n.IsMap() || n.size() != 1) {
      source_->fail(path, "expected exactly one of: " + list_names(kinds));
    }
    auto it = n.begin();
    std::string name = it->first.as<std::string>();
    int index = 0;
    for (const char* k : kinds) {
      if (name == k) break;
      ++index;
    }
    if (index == static_cast<int>(kinds.size())) {
      source_->fail(path, "unknown kind '" + name + "' (known: " + list_names(kinds) + ")");
    }
    kind = index;
    ConfigReader sub(it->second, *source_, path + "." + name);
    note_line(path + "." + name, it->second);
    fn(sub, index);
    sub.finish();
  }
  /// Reads the node itself as a list of maps (inside one_of, for `mix: [{...}, ...]`).
  template <class S>
  void items(std::vector<S>& out, const char* /*description*/) {
    consumed_all_ = true;
    if (!node_.IsSequence() || node_.size() == 0) source_->fail(path_, "expected a non-empty list");
    out.clear();
    for (std::size_t i = 0; i < node_.size(); ++i) {
      std::string item = path_ + "[" + std::to_string(i) + "]";
      note_line(item, node_[i]);
      ConfigReader sub(node_[i], *source_, item);
      sub.expect_map();
      S s{};
      s.visit(sub);
      sub.finish();
      out.push_back(std::move(s));
    }
  }
  /// Reads the node itself as a scalar (inside one_of, for `fixed: 64B`).
  template <class T>
  void value(T& ref, const FieldSpec& spec) {
    consumed_all_ = true;
    read_scalar(node_, path_, ref, spec);
  }
  /// A value with its own reader: `obj.read(node, path, source)` (recursive expressions).
  template <class T>
  void custom(const char* key, T& obj, const FieldSpec& spec) {
    if (auto n = take(key, spec.required)) obj.read(*n, join(key), *source_);
  }
  /// Records a key as read without reading it (fields interpreted by the caller).
  void skip(const char* key) { take(key, false); }
  /// Throws for any key of this map that no field took.
  void finish();
  void expect_map();
  bool has(const char* key) const;
  const std::string& path() const { return path_; }
  ConfigSource& source() { return *source_; }

 private:
  /// The value under `key`, or nullopt if absent (or null) and not required.
  std::optional<YAML::Node> take(const char* key, bool required);
  std::string join(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  void note_line(const std::string& path, const YAML::Node& n);
  static std::string list_names(std::initializer_list<const char*> kinds);

  void read_scalar(const YAML::Node& n, const std::string& path, std::uint64_t& out, const FieldSpec& spec);
  void read_scalar(const YAML::Node& n, const std::string& path, std::int64_t& out, const FieldSpec& spec);
  void read_scalar(const YAML::Node& n, const std::string& path, double& out, const FieldSpec& spec);
  void read_scalar(const YAML::Node& n, const std::string& path, std::string& out, const FieldSpec& spec);
  void read_scalar(const YAML::Node& n, const std::string& path, bool& out, const FieldSpec& spec);
  void read_scalar(const YAML::Node& n, const std::string& path, std::vector<std::int64_t>& out,
                   const FieldSpec& spec);
  std::string scalar_text(const YAML::Node& n, const std::string& path, const FieldSpec& spec);
  void check_range(const std::string& path, double v, const FieldSpec& spec);

  YAML::Node node_;
  ConfigSource* source_;
  std::string path_;
  std::set<std::string> taken_;
  bool consumed_all_ = false;
};

// ---------------------------------------------------------------------------------------
/// Writes resolved values back as YAML, every default explicit.
class ConfigWriter {
 public:
  explicit ConfigWriter(YAML::Emitter& out) : out_(&out) {}

  template <class T>
  void field(const char* key, const T& ref, const FieldSpec& spec) {
    open_body_if_pending();
    *out_ << YAML::Key << key << YAML::Value;
    write_scalar(ref, spec);
  }
  template <class T>
  void field(const char* key, const std::optional<T>& ref, const FieldSpec& spec) {
    if (ref) field(key, *ref, spec);
  }
  template <class S>
  void child(const char* key, S& s, const char*, bool = false) {
    open_body_if_pending();
    *out_ << YAML::Key << key << YAML::Value << YAML::BeginMap;
    s.visit(*this);
    *out_ << YAML::EndMap;
  }
  template <class S>
  void optional_child(const char* key, std::optional<S>& v, const char* description) {
    if (v) child(key, *v, description);
  }
  template <class T>
  void custom(const char* key, const T& obj, const FieldSpec& spec) {
    if (spec.required || !obj.empty()) {
      open_body_if_pending();
      *out_ << YAML::Key << key << YAML::Value;
      obj.write(*out_);
    }
  }
  template <class S>
  void list(const char* key, std::vector<S>& v, const char*, bool = false) {
    open_body_if_pending();
    *out_ << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (auto& s : v) {
      *out_ << YAML::BeginMap;
      s.visit(*this);
      *out_ << YAML::EndMap;
    }
    *out_ << YAML::EndSeq;
  }
  template <class F>
  void one_of(const char* key, int& kind, std::initializer_list<const char*> kinds, const char*, F&& fn,
              bool = false) {
    open_body_if_pending();
    *out_ << YAML::Key << key << YAML::Value << YAML::BeginMap << YAML::Key << kinds.begin()[kind]
          << YAML::Value;
    // The variant's body is either one scalar (value()) or a map of fields; the map is opened
    // by the first field written. Nested one_of bodies save and restore the flags.
    bool saved_pending = pending_body_, saved_open = open_body_;
    pending_body_ = true;
    open_body_ = false;
    fn(*this, kind);
    if (pending_body_) *out_ << YAML::BeginMap;  // no fields at all: an empty map
    if (pending_body_ || open_body_) *out_ << YAML::EndMap;
    pending_body_ = saved_pending;
    open_body_ = saved_open;
    *out_ << YAML::EndMap;
  }
  template <class T>
  void value(const T& ref, const FieldSpec& spec) {
    pending_body_ = false;
    write_scalar(ref, spec);
  }
  template <class S>
  void items(std::vector<S>& v, const char*) {
    pending_body_ = false;
    *out_ << YAML::BeginSeq;
    for (auto& s : v) {
      *out_ << YAML::BeginMap;
      s.visit(*this);
      *out_ << YAML::EndMap;
    }
    *out_ << YAML::EndSeq;
  }
  void skip(const char*) {}

  /// Called by field() inside a one_of body: opens the body map on first use.
  void open_body_if_pending() {
    if (pending_body_) {
      *out_ << YAML::BeginMap;
      pending_body_ = false;
      open_body_ = true;
    }
  }

 private:
  void write_scalar(std::uint64_t v, const FieldSpec& spec);
  void write_scalar(std::int64_t v, const FieldSpec& spec);
  void write_scalar(double v, const FieldSpec& spec);
  void write_scalar(const std::string& v, const FieldSpec& spec);
  void write_scalar(bool v, const FieldSpec& spec);
  void write_scalar(const std::vector<std::int64_t>& v, const FieldSpec& spec);

  YAML::Emitter* out_;
  bool pending_body_ = false;
  bool open_body_ = false;
};

/// Formats a scalar the way the writer would (also used by the describer for defaults).
std::string format_value(std::uint64_t v, const FieldSpec& spec);
std::string format_value(std::int64_t v, const FieldSpec& spec);
std::string format_value(double v, const FieldSpec& spec);
std::string format_value(const std::string& v, const FieldSpec& spec);
std::string format_value(bool v, const FieldSpec& spec);
std::string format_value(const std::vector<std::int64_t>& v, const FieldSpec& spec);

// ---------------------------------------------------------------------------------------
/// Lists every field with its unit, default and description (`gogcsim models`).
class ConfigDescriber {
 public:
  ConfigDescriber(std::ostream& out, std::string prefix) : out_(&out), prefix_(std::move(prefix)) {}

  template <class T>
  void field(const char* key, const T& ref, const FieldSpec& spec) {
    line(key, unit_name(spec.unit), spec.required ? "required" : format_value(ref, spec), spec.description,
         spec.choices);
  }
  template <class T>
  void field(const char* key, const std::optional<T>& ref, const FieldSpec& spec) {
    line(key, unit_name(spec.unit), ref ? format_value(*ref, spec) : "-", spec.description, spec.choices);
  }
  template <class S>
  void child(const char* key, S& s, const char* description, bool = false) {
    line(key, "map", "", description, {});
    ConfigDescriber sub(*out_, prefix_ + key + ".");
    s.visit(sub);
  }
  template <class T>
  void custom(const char* key, const T& obj, const FieldSpec& spec) {
    line(key, unit_name(spec.unit), obj.empty() ? "-" : obj.text(), spec.description, {});
  }
  template <class S>
  void optional_child(const char* key, std::optional<S>& v, const char* description) {
    S s = v ? *v : S{};
    child(key, s, (std::string(description) + " (optional)").c_str());
  }
  template <class S>
  void list(const char* key, std::vector<S>& v, const char* description, bool = false) {
    line(key, "list", "", description, {});
    ConfigDescriber sub(*out_, prefix_ + key + "[].");
    S s = v.empty() ? S{} : v.front();
    s.visit(sub);
  }
  template <class F>
  void one_of(const char* key, int& kind, std::initializer_list<const char*> kinds, const char* description,
              F&& fn, bool = false) {
    std::string names;
    for (const char* k : kinds) names += std::string(names.empty() ? "" : " | ") + k;
    line(key, "one of", kinds.begin()[kind], description + std::string(" (") + names + ")", {});
    int i = 0;
    for (const char* k : kinds) {
      ConfigDescriber sub(*out_, prefix_ + key + "." + k + ".");
      int saved = kind;
      fn(sub, i++);
      kind = saved;
    }
  }
  template <class S>
  void items(std::vector<S>& v, const char* description) {
    std::string p = prefix_.substr(0, prefix_.size() - 1);
    std::string saved = prefix_;
    prefix_.clear();
    line(p.c_str(), "list", "", description, {});
    prefix_ = p + "[].";
    S s = v.empty() ? S{} : v.front();
    s.visit(*this);
    prefix_ = saved;
  }
  template <class T>
  void value(const T& ref, const FieldSpec& spec) {
    std::string p = prefix_.substr(0, prefix_.size() - 1);  // drop the trailing '.'
    std::string saved = prefix_;
    prefix_.clear();
    line(p.c_str(), unit_name(spec.unit), format_value(ref, spec), spec.description, spec.choices);
    prefix_ = saved;
  }
  void skip(const char*) {}
  void open_body_if_pending() {}

 private:
  void line(const char* key, const std::string& unit, const std::string& def, const std::string& desc,
            const std::vector<std::string>& choices);
  std::ostream* out_;
  std::string prefix_;
};

}  // namespace gogcsim
