#include "models/workload/trace.hpp"

#include <filesystem>

#include "models/workload/trace_format.hpp"

namespace gogcsim {

void TraceParams::check(ConfigSource& src, const std::string& path) {
  if (file.empty()) src.fail(path + ".file", "is required");
  std::filesystem::path f(file);
  if (f.is_relative()) f = std::filesystem::path(src.file).parent_path() / f;
  file = f.lexically_normal().string();
  try {
    TraceReader probe(file);  // the header only: records are checked as they are replayed
  } catch (const InputError& e) {
    src.fail(path + ".file", e.what());
  }
}

std::unique_ptr<RecordSource> TraceWorkload::open() const { return std::make_unique<TraceReader>(p_.file); }

}  // namespace gogcsim
