// The index `lookalike query` (and anything else answering as the page does)
// searches: a bundle loaded whole (flat or HNSW, .lkx), or a partitioned
// index (.lkp) whose lists are read from disk as the search wants them.
// Both give the page's ids and scores for the same options.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "lookalike/index/vector_index.h"
#include "partitioned/partitioned_files.h"

namespace lookalike::cli {

struct QueryOptions {
  SearchOptions search;      // k, ef (HNSW), accept (a label filter)
  std::uint32_t nprobe = 0;  // partitioned: lists probed; 0 = the index's default
  std::uint32_t rerank = 0;  // partitioned: candidates scored exactly; 0 = the index's default
};

class QueryIndex {
 public:
  // By the file's kind; throws as load_bundle_file / PartitionedFiles::open.
  static QueryIndex open(const std::filesystem::path& file);

  const IndexConfig& config() const;
  std::size_t size() const;
  bool partitioned() const { return files_.has_value(); }
  std::uint32_t default_nprobe() const;  // 0 for a bundle
  bool contains(std::uint32_t id) const;
  std::vector<Hit> search(const float* query, const QueryOptions& options) const;
  // More like this: the item's stored vector, the item left out.
  std::vector<Hit> search_by_id(std::uint32_t id, const QueryOptions& options) const;

 private:
  std::optional<VectorIndex> bundle_;
  mutable std::optional<PartitionedFiles> files_;  // its list cache fills as lists are read
};

}  // namespace lookalike::cli
