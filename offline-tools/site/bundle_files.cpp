#include "site/bundle_files.h"

#include "common/files.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_index.h"
#include "partitioned/partitioned_files.h"

namespace lookalike::cli {

std::string bundle_file_name(const std::string& collection, const std::string& feature_slug, Metric metric,
                             IndexKind kind) {
  return collection + "." + feature_slug + "." + metric_name(metric) +
         (kind == IndexKind::Partitioned ? ".lkp" : ".lkx");
}

std::vector<std::string> bundle_file_names(const CollectionBundle& bundle) {
  std::vector<std::string> names{bundle.file};
  for (std::uint32_t f = 0; f < bundle.data_files; ++f)
    names.push_back(PartitionedIndex::data_file_name(bundle.file, f));
  return names;
}

IndexFacts read_index_facts(const std::filesystem::path& file) {
  if (file.extension() == ".lkp") {
    const PartitionedFiles files = PartitionedFiles::open(file);
    return {files.index().config(), files.ids()};
  }
  const VectorIndex index = load_bundle_file(file);
  return {index.config(), index.ids()};
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
