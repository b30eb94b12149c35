#include "sim/config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/units.hpp"

namespace gogcsim {

const char* unit_name(Unit u) {
  switch (u) {
    case Unit::bytes: return "bytes";
    case Unit::duration: return "duration";
    case Unit::rate: return "bytes/s";
    case Unit::fraction: return "fraction";
    case Unit::count: return "count";
    case Unit::number: return "number";
    case Unit::gogc: return "percent|off";
    case Unit::limit: return "bytes|off";
    case Unit::seed: return "integer";
    case Unit::text: return "text";
    case Unit::flag: return "bool";
    case Unit::stream: return "stream";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------
std::string ConfigSource::where(const std::string& path, int line) const {
  // An override names itself; otherwise the innermost read path with a known line.
  for (std::string p = path;;) {
    if (overridden.count(p)) return file + ": --set " + path;
    auto dot = p.find_last_of(".[");
    if (dot == std::string::npos) break;
    p = p.substr(0, dot);
  }
  if (line <= 0) {
    for (std::string p = path;;) {
      auto it = lines.find(p);
      if (it != lines.end()) {
        line = it->second;
        break;
      }
      auto dot = p.find_last_of(".[");
      if (dot == std::string::npos) {
        auto root = lines.find("");
        if (root != lines.end()) line = root->second;
        break;
      }
      p = p.substr(0, dot);
    }
  }
  std::string loc = file;
  if (line > 0) loc += ":" + std::to_string(line);
  return path.empty() ? loc : loc + ": " + path;
}

void ConfigSource::fail(const std::string& path, const std::string& message) const {
  throw InputError(where(path, 0) + ": " + message);
}

namespace {

// "workload.phases.0.alloc_rate" or the form errors print, "workload.phases[0].alloc_rate"
// -> parts {workload, phases, 0, alloc_rate}. A bracket holds an index and is followed by
// '.', '[' or the end; anything else is an empty part, which the caller rejects.
std::vector<std::string> split_key_path(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (true) {
    const std::size_t end = std::min(key.find('.', i), key.find('[', i));
    parts.push_back(key.substr(i, end == std::string::npos ? std::string::npos : end - i));
    i = end == std::string::npos ? key.size() : end;
    while (i < key.size() && key[i] == '[') {
      const std::size_t close = key.find(']', i);
      if (close == std::string::npos) {
        parts.push_back("");  // a malformed bracket: reported as an empty key
        return parts;
      }
      parts.push_back(key.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    if (i >= key.size()) return parts;
    if (key[i] != '.') {
      parts.push_back("");
      return parts;
    }
    ++i;  // a trailing '.' leaves an empty last part
  }
}

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

void apply_override(YAML::Node root, const std::string& assignment, ConfigSource& source) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(source.file + ": --set '" + assignment + "': expected key.path=value");
  }
  std::string key = assignment.substr(0, eq);
  std::string text = assignment.substr(eq + 1);
  auto parts = split_key_path(key);
  std::string reader_path;
  YAML::Node cur = root;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) throw InputError(source.file + ": --set '" + assignment + "': an empty or malformed key in the path (use a.b, or a.list[0].b)");
    bool last = i + 1 == parts.size();
    if (is_index(part)) {
      std::size_t idx = std::stoul(part);
      if (!cur.IsSequence() || idx >= cur.size()) {
        throw InputError(source.file + ": --set " + key + ": '" + reader_path + "' has no entry " + part);
      }
      reader_path += "[" + part + "]";
      if (last) {
        cur[idx] = YAML::Load(text);
      } else {
        YAML::Node next = cur[idx];
        cur.reset(next);
      }
    } else {
      if (cur.IsDefined() && !cur.IsNull() && !cur.IsMap()) {
        throw InputError(source.file + ": --set " + key + ": '" + reader_path + "' is not a map");
      }
      reader_path += (reader_path.empty() ? "" : ".") + part;
      if (last) {
        try {
          cur[part] = YAML::Load(text);
        } catch (const YAML::Exception& e) {
          throw InputError(source.file + ": --set " + key + ": bad value '" + text + "': " + e.msg);
        }
      } else {
        if (!cur[part] || cur[part].IsNull()) cur[part] = YAML::Node(YAML::NodeType::Map);
        YAML::Node next = cur[part];
        cur.reset(next);
      }
    }
  }
  source.overridden.insert(reader_path);
}

YAML::Node finish_load(YAML::Node root, const std::vector<std::string>& overrides, ConfigSource& source) {
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw InputError(source.file + ":1: the scenario must be a YAML map of keys");
  for (const auto& o : overrides) apply_override(root, o, source);
  return root;
}

}  // namespace

YAML::Node load_yaml_text(const std::string& text, const std::string& name,
                          const std::vector<std::string>& overrides, ConfigSource& source) {
  source.file = name;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(name + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
  return finish_load(root, overrides, source);
}

YAML::Node load_yaml_file(const std::string& path, const std::vector<std::string>& overrides,
                          ConfigSource& source) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_yaml_text(ss.str(), path, overrides, source);
}

// ---------------------------------------------------------------------------------------
ConfigReader::ConfigReader(YAML::Node node, ConfigSource& source, std::string path)
    : node_(std::move(node)), source_(&source), path_(std::move(path)) {
  note_line(path_, node_);
}

void ConfigReader::note_line(const std::string& path, const YAML::Node& n) {
  if (n && n.Mark().line >= 0 && !source_->lines.count(path)) source_->lines[path] = n.Mark().line + 1;
}

void ConfigReader::expect_map() {
  if (node_.IsNull()) {
    node_ = YAML::Node(YAML::NodeType::Map);
    return;
  }
  if (!node_.IsMap()) source_->fail(path_, "expected a map of keys");
}

bool ConfigReader::has(const char* key) const {
  if (!node_.IsMap()) return false;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.as<std::string>() == key) return !it->second.IsNull();
  }
  return false;
}

std::optional<YAML::Node> ConfigReader::take(const char* key, bool required) {
  std::string path = join(key);
  taken_.insert(key);
  if (node_.IsMap()) {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      if (it->first.as<std::string>() == key) {
        note_line(path, it->first);
        if (it->second.IsNull() && required) source_->fail(path, "is required but empty");
        if (it->second.IsNull()) return std::nullopt;
        return it->second;
      }
    }
  }
  if (required) source_->fail(path, "is required");
  return std::nullopt;
}

void ConfigReader::finish() {
  if (consumed_all_ || !node_.IsMap()) return;
  std::set<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    std::string key = it->first.as<std::string>();
    std::string path = join(key.c_str());
    note_line(path, it->first);
    if (!seen.insert(key).second) throw InputError(source_->where(path, it->first.Mark().line + 1) + ": duplicate key");
    if (!taken_.count(key)) {
      std::string known;
      for (const auto& k : taken_) known += (known.empty() ? "" : ", ") + k;
      source_->fail(path, "unknown key (known here: " + known + ")");
    }
  }
}

std::string ConfigReader::list_names(std::initializer_list<const char*> kinds) {
  std::string s;
  for (const char* k : kinds) s += std::string(s.empty() ? "" : ", ") + k;
  return s;
}

std::string ConfigReader::scalar_text(const YAML::Node& n, const std::string& path, const FieldSpec& spec) {
  if (!n.IsScalar()) source_->fail(path, std::string("expected a single value (") + unit_name(spec.unit) + ")");
  return n.Scalar();
}

namespace {
// A value or bound in the field's own unit ("1us", "4MiB", "1GiB/s"), as a user writes it.
std::string in_unit(double v, const FieldSpec& spec) {
  if (spec.unit == Unit::duration && std::fabs(v) < 0x1p62) return format_duration(static_cast<std::int64_t>(v));
  if ((spec.unit == Unit::bytes || spec.unit == Unit::limit) && v >= 0 && v < 0x1p63) {
    return format_size(static_cast<std::uint64_t>(v));
  }
  if (spec.unit == Unit::rate) return format_rate(v);
  std::ostringstream ss;
  ss.precision(10);
  ss << v;
  return ss.str();
}
}  // namespace

void ConfigReader::check_range(const std::string& path, double v, const FieldSpec& spec) {
  if (!std::isfinite(v)) source_->fail(path, "must be a finite number");
  if (v < spec.min || v > spec.max) {
    std::string msg = "out of range: " + in_unit(v, spec);
    // One-sided bounds say so: "1 .. 1.797693135e+308" reads like a bug.
    if (spec.max == std::numeric_limits<double>::max()) {
      msg += " (allowed: at least " + in_unit(spec.min, spec) + ")";
    } else if (spec.min == std::numeric_limits<double>::lowest()) {
      msg += " (allowed: at most " + in_unit(spec.max, spec) + ")";
    } else {
      msg += " (allowed " + in_unit(spec.min, spec) + " .. " + in_unit(spec.max, spec) + ")";
    }
    source_->fail(path, msg);
  }
}

namespace {
template <class Int>
bool parse_int(const std::string& s, Int& out) {
  auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}
}  // namespace

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, std::uint64_t& out,
                               const FieldSpec& spec) {
  std::string s = scalar_text(n, path, spec);
  try {
    if (spec.unit == Unit::bytes) {
      out = parse_size_bytes(s);
    } else if (!parse_int(s, out)) {
      source_->fail(path, "expected a non-negative integer, got '" + s + "'");
    }
  } catch (const UnitError& e) {
    source_->fail(path, e.what());
  }
  check_range(path, static_cast<double>(out), spec);
}

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, std::int64_t& out,
                               const FieldSpec& spec) {
  std::string s = scalar_text(n, path, spec);
  try {
    switch (spec.unit) {
      case Unit::duration: out = parse_duration_ns(s); break;
      case Unit::bytes: out = static_cast<std::int64_t>(parse_size_bytes(s)); break;
      case Unit::gogc:
        if (s == "off") {
          out = -1;
          return;
        }
        if (!parse_int(s, out) || out < 0) {
          source_->fail(path, "expected a GOGC percent (a whole number >= 0) or off, got '" + s + "'");
        }
        break;
      case Unit::limit:
        if (s == "off") {
          out = kNoLimit;
          return;
        }
        out = static_cast<std::int64_t>(parse_size_bytes(s));
        break;
      default:
        if (!parse_int(s, out)) source_->fail(path, "expected a whole number, got '" + s + "'");
    }
  } catch (const UnitError& e) {
    source_->fail(path, e.what());
  }
  check_range(path, static_cast<double>(out), spec);
}

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, double& out, const FieldSpec& spec) {
  std::string s = scalar_text(n, path, spec);
  try {
    if (spec.unit == Unit::rate) {
      out = parse_rate_bytes_per_s(s);
    } else if (spec.unit == Unit::bytes) {
      out = static_cast<double>(parse_size_bytes(s));
    } else if (spec.unit == Unit::duration) {
      out = static_cast<double>(parse_duration_ns(s));
    } else {
      auto res = std::from_chars(s.data(), s.data() + s.size(), out);
      if (res.ec != std::errc() || res.ptr != s.data() + s.size()) {
        source_->fail(path, "expected a number, got '" + s + "'");
      }
    }
  } catch (const UnitError& e) {
    source_->fail(path, e.what());
  }
  FieldSpec bounded = spec;
  if (spec.unit == Unit::fraction) {
    bounded.min = std::max(spec.min, 0.0);
    bounded.max = std::min(spec.max, 1.0);
  }
  check_range(path, out, bounded);
}

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, std::string& out,
                               const FieldSpec& spec) {
  out = scalar_text(n, path, spec);
  if (!spec.choices.empty()) {
    for (const auto& c : spec.choices) {
      if (c == out) return;
    }
    std::string known;
    for (const auto& c : spec.choices) known += (known.empty() ? "" : ", ") + c;
    source_->fail(path, "unknown value '" + out + "' (one of: " + known + ")");
  }
}

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, bool& out, const FieldSpec& spec) {
  std::string s = scalar_text(n, path, spec);
  if (s == "true") {
    out = true;
  } else if (s == "false") {
    out = false;
  } else {
    source_->fail(path, "expected true or false, got '" + s + "'");
  }
}

void ConfigReader::read_scalar(const YAML::Node& n, const std::string& path, std::vector<std::int64_t>& out,
                               const FieldSpec& spec) {
  out.clear();
  YAML::Node seq = n;
  if (n.IsScalar()) {  // a single value is a one-element list
    seq = YAML::Node(YAML::NodeType::Sequence);
    seq.push_back(n);
  }
  if (!seq.IsSequence()) source_->fail(path, "expected a list");
  for (std::size_t i = 0; i < seq.size(); ++i) {
    std::int64_t v = 0;
    read_scalar(seq[i], path + "[" + std::to_string(i) + "]", v, spec);
    out.push_back(v);
  }
}

// ---------------------------------------------------------------------------------------
std::string format_value(std::uint64_t v, const FieldSpec& spec) {
  return spec.unit == Unit::bytes ? format_size(v) : std::to_string(v);
}

std::string format_value(std::int64_t v, const FieldSpec& spec) {
  switch (spec.unit) {
    case Unit::duration: return format_duration(v);
    case Unit::bytes: return format_size(static_cast<std::uint64_t>(v));
    case Unit::gogc: return v < 0 ? "off" : std::to_string(v);
    case Unit::limit: return v == kNoLimit ? "off" : format_size(static_cast<std::uint64_t>(v));
    default: return std::to_string(v);
  }
}

std::string format_value(double v, const FieldSpec& spec) {
  if (spec.unit == Unit::rate) return format_rate(v);
  std::ostringstream ss;
  ss.precision(12);
  ss << v;
  return ss.str();
}

std::string format_value(const std::string& v, const FieldSpec&) { return v; }
std::string format_value(bool v, const FieldSpec&) { return v ? "true" : "false"; }
std::string format_value(const std::vector<std::int64_t>& v, const FieldSpec& spec) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + format_value(v[i], spec);
  return s + "]";
}

void ConfigWriter::write_scalar(std::uint64_t v, const FieldSpec& spec) { *out_ << format_value(v, spec); }
void ConfigWriter::write_scalar(std::int64_t v, const FieldSpec& spec) { *out_ << format_value(v, spec); }
void ConfigWriter::write_scalar(double v, const FieldSpec& spec) { *out_ << format_value(v, spec); }
void ConfigWriter::write_scalar(const std::string& v, const FieldSpec&) { *out_ << v; }
void ConfigWriter::write_scalar(bool v, const FieldSpec&) { *out_ << (v ? "true" : "false"); }
void ConfigWriter::write_scalar(const std::vector<std::int64_t>& v, const FieldSpec& spec) {
  *out_ << YAML::Flow << YAML::BeginSeq;
  for (auto x : v) *out_ << format_value(x, spec);
  *out_ << YAML::EndSeq;
}

// ---------------------------------------------------------------------------------------
void ConfigDescriber::line(const char* key, const std::string& unit, const std::string& def,
                           const std::string& desc, const std::vector<std::string>& choices) {
  std::string name = prefix_ + key;
  std::string d = desc;
  if (!choices.empty()) {
    d += " (one of:";
    for (const auto& c : choices) d += " " + c;
    d += ")";
  }
  *out_ << "    " << name;
  for (std::size_t i = name.size(); i < 34; ++i) *out_ << ' ';
  std::string u = unit;
  *out_ << ' ' << u;
  for (std::size_t i = u.size(); i < 12; ++i) *out_ << ' ';
  std::string dv = def.empty() ? "-" : def;
  *out_ << ' ' << dv;
  for (std::size_t i = dv.size(); i < 12; ++i) *out_ << ' ';
  *out_ << ' ' << d << '\n';
}

}  // namespace gogcsim
