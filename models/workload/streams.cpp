#include "models/workload/streams.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "sim/rng.hpp"

namespace gogcsim {

namespace {

constexpr double kPi = 3.141592653589793;  // math.Pi rounded to double

const char* const kNames[] = {"none", "constant", "unit", "step", "ramp", "oscillate", "random",
                              "delay", "sum", "offset", "scale", "limit", "quantize"};

[[noreturn]] void fail(ConfigSource& src, const std::string& path, const YAML::Node& n, const std::string& msg) {
  throw InputError(src.where(path, n.Mark().line + 1) + ": " + msg);
}

double number(const YAML::Node& n, const std::string& path, ConfigSource& src) {
  if (!n.IsScalar()) fail(src, path, n, "expected a number");
  const std::string& s = n.Scalar();
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) {
    fail(src, path, n, "expected a number, got '" + s + "'");
  }
  return v;
}

std::int64_t integer(const YAML::Node& n, const std::string& path, ConfigSource& src, std::int64_t min) {
  if (!n.IsScalar()) fail(src, path, n, "expected a whole number");
  const std::string& s = n.Scalar();
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) fail(src, path, n, "expected a whole number, got '" + s + "'");
  if (v < min) fail(src, path, n, "must be at least " + std::to_string(min));
  return v;
}

// Reads a map body with exactly the keys allowed (some optional).
struct Body {
  YAML::Node node;
  std::string path;
  ConfigSource& src;
  Body(YAML::Node n, std::string p, ConfigSource& s, std::set<std::string> allowed) : node(std::move(n)), path(std::move(p)), src(s) {
    if (!node.IsMap()) fail(src, path, node, "expected a map");
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string k = it->first.as<std::string>();
      if (!allowed.count(k)) {
        std::string known;
        for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
        fail(src, path + "." + k, it->first, "unknown key (known here: " + known + ")");
      }
    }
  }
  YAML::Node get(const char* key, bool required = true) const {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.as<std::string>() == key) return it->second;
    }
    if (required) fail(src, path + "." + key, node, "is required");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  std::string at(const char* key) const { return path + "." + key; }
};

// The running streams. Each keeps its own counter, as the harness's closures do.
struct ConstantStream : Stream {
  double c;
  explicit ConstantStream(double v) : c(v) {}
  double next() override { return c; }
};
struct UnitStream : Stream {
  double a;
  bool fired = false;
  explicit UnitStream(double v) : a(v) {}
  double next() override {
    if (fired) return 0;
    fired = true;
    return a;
  }
};
struct StepStream : Stream {
  std::int64_t at, n = 0;
  double to;
  StepStream(std::int64_t a, double t) : at(a), to(t) {}
  double next() override { return n++ < at ? 0 : to; }
};
struct RampStream : Stream {
  double height;
  std::int64_t length, n = 0;
  RampStream(double h, std::int64_t l) : height(h), length(l) {}
  double next() override {
    double v = height * static_cast<double>(n) / static_cast<double>(length);
    if (n < length) ++n;
    return v;
  }
};
struct OscillateStream : Stream {
  double amp, phase;
  std::int64_t period, n = 0;
  OscillateStream(double a, double p, std::int64_t per) : amp(a), phase(p), period(per) {}
  double next() override {
    double p = static_cast<double>(n) / static_cast<double>(period) * 2 * kPi + phase;
    if (++n == period) n = 0;
    return std::sin(p) * amp;
  }
};
struct RandomStream : Stream {
  double amp;
  RngStream rng;
  RandomStream(double a, std::uint64_t seed) : amp(a), rng(seed, "pacer-streams.random") {}
  double next() override { return (rng.uniform() - 0.5) * 2 * amp; }
};
struct DelayStream : Stream {
  std::int64_t k, n = 0;
  std::unique_ptr<Stream> f;
  DelayStream(std::int64_t by, std::unique_ptr<Stream> s) : k(by), f(std::move(s)) {}
  double next() override {
    if (n < k) {
      ++n;
      return 0;
    }
    return f->next();
  }
};
struct SumStream : Stream {
  std::vector<std::unique_ptr<Stream>> fs;
  double next() override {
    double s = fs[0]->next();
    for (std::size_t i = 1; i < fs.size(); ++i) s += fs[i]->next();
    return s;
  }
};
struct Map1Stream : Stream {  // offset, scale, limit, quantize
  StreamExpr::Kind kind;
  double a, b;
  std::unique_ptr<Stream> f;
  Map1Stream(StreamExpr::Kind k, double x, double y, std::unique_ptr<Stream> s) : kind(k), a(x), b(y), f(std::move(s)) {}
  double next() override {
    double v = f->next();
    switch (kind) {
      case StreamExpr::offset: return v + a;
      case StreamExpr::scale: return v * a;
      case StreamExpr::limit: return v < a ? a : (v > b ? b : v);
      default: {  // quantize
        double r = v / a;
        return r < 0 ? std::ceil(r) * a : std::floor(r) * a;
      }
    }
  }
};

std::string num(double v) {
  std::ostringstream ss;
  ss.precision(17);
  ss << v;
  return ss.str();
}

}  // namespace

std::unique_ptr<Stream> StreamExpr::instantiate() const {
  switch (kind) {
    case none:
    case constant: return std::make_unique<ConstantStream>(a);
    case unit: return std::make_unique<UnitStream>(a);
    case step: return std::make_unique<StepStream>(n, a);
    case ramp: return std::make_unique<RampStream>(a, n);
    case oscillate: return std::make_unique<OscillateStream>(a, b, n);
    case random: return std::make_unique<RandomStream>(a, seed);
    case delay: return std::make_unique<DelayStream>(n, args[0].instantiate());
    case sum: {
      auto s = std::make_unique<SumStream>();
      for (const auto& e : args) s->fs.push_back(e.instantiate());
      return s;
    }
    default: return std::make_unique<Map1Stream>(kind, a, b, args[0].instantiate());
  }
}

void StreamExpr::read(const YAML::Node& node, const std::string& path, ConfigSource& src) {
  *this = StreamExpr{};
  if (!node.IsMap() || node.size() != 1) {
    fail(src, path, node, "expected a stream: a map with one of constant, unit, step, ramp, oscillate, random, "
                          "delay, sum, offset, scale, limit, quantize");
  }
  auto it = node.begin();
  const std::string name = it->first.as<std::string>();
  const YAML::Node body = it->second;  // a copy: the iterator's pair is a temporary
  const std::string p = path + "." + name;
  int k = 0;
  for (; k < 13 && name != kNames[k]; ++k) {
  }
  if (k == 0 || k == 13) fail(src, p, it->first, "unknown stream '" + name + "'");
  kind = static_cast<Kind>(k);
  auto sub = [&](const YAML::Node& n, const std::string& at) {
    StreamExpr e;
    e.read(n, at, src);
    args.push_back(std::move(e));
  };
  switch (kind) {
    case constant:
    case unit: a = number(body, p, src); break;
    case step: {
      Body b(body, p, src, {"at", "to"});
      n = integer(b.get("at"), b.at("at"), src, 0);
      a = number(b.get("to"), b.at("to"), src);
      break;
    }
    case ramp: {
      Body b(body, p, src, {"height", "length"});
      a = number(b.get("height"), b.at("height"), src);
      n = integer(b.get("length"), b.at("length"), src, 1);
      break;
    }
    case oscillate: {
      Body bb(body, p, src, {"amp", "phase", "period"});
      a = number(bb.get("amp"), bb.at("amp"), src);
      YAML::Node ph = bb.get("phase", false);
      b = ph.IsDefined() ? number(ph, bb.at("phase"), src) : 0;
      n = integer(bb.get("period"), bb.at("period"), src, 1);
      break;
    }
    case random: {
      Body b(body, p, src, {"amp", "seed"});
      a = number(b.get("amp"), b.at("amp"), src);
      seed = static_cast<std::uint64_t>(integer(b.get("seed"), b.at("seed"), src, 0));
      break;
    }
    case delay: {
      Body b(body, p, src, {"by", "of"});
      n = integer(b.get("by"), b.at("by"), src, 0);
      sub(b.get("of"), b.at("of"));
      break;
    }
    case sum: {
      if (!body.IsSequence() || body.size() == 0) fail(src, p, body, "expected a list of streams");
      for (std::size_t i = 0; i < body.size(); ++i) sub(body[i], p + "[" + std::to_string(i) + "]");
      break;
    }
    case offset:
    case scale:
    case quantize: {
      Body b(body, p, src, {"by", "of"});
      a = number(b.get("by"), b.at("by"), src);
      if (kind == quantize && a <= 0) fail(src, b.at("by"), b.get("by"), "must be positive");
      sub(b.get("of"), b.at("of"));
      break;
    }
    case limit: {
      Body bb(body, p, src, {"min", "max", "of"});
      a = number(bb.get("min"), bb.at("min"), src);
      b = number(bb.get("max"), bb.at("max"), src);
      if (a > b) fail(src, bb.at("min"), bb.get("min"), "min is larger than max");
      sub(bb.get("of"), bb.at("of"));
      break;
    }
    default: break;
  }
}

void StreamExpr::write(YAML::Emitter& out) const {
  out << YAML::Flow << YAML::BeginMap << YAML::Key << kNames[kind] << YAML::Value;
  switch (kind) {
    case none:
    case constant:
    case unit: out << num(a); break;
    case step: out << YAML::BeginMap << YAML::Key << "at" << YAML::Value << n << YAML::Key << "to" << YAML::Value << num(a) << YAML::EndMap; break;
    case ramp: out << YAML::BeginMap << YAML::Key << "height" << YAML::Value << num(a) << YAML::Key << "length" << YAML::Value << n << YAML::EndMap; break;
    case oscillate:
      out << YAML::BeginMap << YAML::Key << "amp" << YAML::Value << num(a) << YAML::Key << "phase" << YAML::Value << num(b)
          << YAML::Key << "period" << YAML::Value << n << YAML::EndMap;
      break;
    case random: out << YAML::BeginMap << YAML::Key << "amp" << YAML::Value << num(a) << YAML::Key << "seed" << YAML::Value << seed << YAML::EndMap; break;
    case delay:
      out << YAML::BeginMap << YAML::Key << "by" << YAML::Value << n << YAML::Key << "of" << YAML::Value;
      args[0].write(out);
      out << YAML::EndMap;
      break;
    case sum:
      out << YAML::BeginSeq;
      for (const auto& e : args) e.write(out);
      out << YAML::EndSeq;
      break;
    case limit:
      out << YAML::BeginMap << YAML::Key << "min" << YAML::Value << num(a) << YAML::Key << "max" << YAML::Value << num(b)
          << YAML::Key << "of" << YAML::Value;
      args[0].write(out);
      out << YAML::EndMap;
      break;
    default:
      out << YAML::BeginMap << YAML::Key << "by" << YAML::Value << num(a) << YAML::Key << "of" << YAML::Value;
      args[0].write(out);
      out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

std::string StreamExpr::text() const {
  YAML::Emitter out;
  write(out);
  return out.c_str();
}

}  // namespace gogcsim
