// Models chosen by name from configuration (STYLE "Chosen by name from config").
//
// A Registry maps a YAML `kind:` to (a) a parser that reads the kind's typed Params from a
// ConfigReader and returns a Choice, and (b) a describer for `gogcsim models`. A Choice
// holds the parsed Params behind a factory, so the resolved scenario can be echoed and the
// model built later, any number of times (compare runs build one per grid point).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/config.hpp"

namespace gogcsim {

/// A parsed model choice: its kind, an echo of its parameters, and a factory.
template <class Interface, class Context>
struct Choice {
  std::string kind;
  std::function<void(ConfigWriter&)> write;
  std::function<std::unique_ptr<Interface>(const Context&)> make;
  explicit operator bool() const { return static_cast<bool>(make); }
};

template <class Interface, class Context>
class Registry {
 public:
  using ChoiceT = Choice<Interface, Context>;

  /// Registers `Impl`, constructed as Impl(const Params&, const Context&). Params must have
  /// `template <class V> void visit(V&)` and may have `void check(ConfigSource&, const std::string& path) const`.
  template <class Impl, class Params>
  void add(std::string kind, std::string summary) {
    Entry e;
    e.summary = std::move(summary);
    std::string k = kind;
    e.parse = [k](ConfigReader& r) {
      auto p = std::make_shared<Params>();
      p->visit(r);
      if constexpr (requires { p->check(r.source(), r.path()); }) p->check(r.source(), r.path());
      ChoiceT c;
      c.kind = k;
      c.write = [p](ConfigWriter& w) { p->visit(w); };
      c.make = [p](const Context& ctx) { return std::unique_ptr<Interface>(new Impl(*p, ctx)); };
      return c;
    };
    e.describe = [](std::ostream& out, const std::string& prefix) {
      Params p;
      ConfigDescriber d(out, prefix);
      p.visit(d);
    };
    entries_.emplace(std::move(kind), std::move(e));
  }

  /// Reads `kind` from the reader's map and the kind's parameters from the same map.
  ChoiceT parse(ConfigReader& r) const {
    std::string kind;
    r.field("kind", kind, {.description = "model kind", .unit = Unit::text, .required = true});
    auto it = entries_.find(kind);
    if (it == entries_.end()) r.source().fail(r.path() + ".kind", "unknown kind '" + kind + "' (known: " + names() + ")");
    return it->second.parse(r);
  }
  bool has(const std::string& kind) const { return entries_.count(kind) != 0; }
  std::string names() const {
    std::string s;
    for (const auto& [k, e] : entries_) s += (s.empty() ? "" : ", ") + k;
    return s;
  }
  void describe(std::ostream& out, const std::string& family) const {
    for (const auto& [k, e] : entries_) {
      out << "  " << family << " kind: " << k << " — " << e.summary << "\n";
      e.describe(out, "");
    }
  }

 private:
  struct Entry {
    std::string summary;
    std::function<ChoiceT(ConfigReader&)> parse;
    std::function<void(std::ostream&, const std::string&)> describe;
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace gogcsim
