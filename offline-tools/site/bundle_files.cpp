#include "site/bundle_files.h"

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

std::string bundle_file_name(const std::string& collection, const std::string& feature_slug, Metric metric) {
  return collection + "." + feature_slug + "." + metric_name(metric) + ".lkx";
}

VectorIndex load_bundle_file(const std::filesystem::path& file) {
  const std::vector<std::uint8_t> bytes = read_file(file);
  try {
    return VectorIndex::load(bytes.data(), bytes.size());
  } catch (const Error& e) {
    fail(e.kind(), file.string() + ": " + e.what());
  }
}

}  // namespace lookalike::cli
