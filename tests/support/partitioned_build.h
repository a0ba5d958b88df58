// A partitioned index built in memory for tests, fuzz corpora and reference
// outputs: centroids are evenly spaced items (prepared for the metric), not
// k-means (the CLI trains those with FAISS), which is all a test of the
// format and the search needs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lookalike/index/partitioned_index.h"
#include "lookalike/index/partitioned_writer.h"

namespace lookalike {
namespace testing {

struct BuiltPartitioned {
  std::vector<std::uint8_t> header;
  std::vector<std::vector<std::uint8_t>> files;
};

inline BuiltPartitioned build_partitioned(const IndexConfig& config, const float* vectors, const std::uint32_t* ids,
                                          std::size_t count, std::size_t lists, std::uint32_t nprobe,
                                          std::uint32_t rerank = 40, std::uint64_t max_file_bytes = 0) {
  const std::size_t dim = config.dim;
  std::vector<float> centroids(lists * dim);
  for (std::size_t l = 0; l < lists; ++l) {
    const std::size_t row = count ? l * count / lists : 0;
    std::vector<float> prepared(dim, 0.0f);
    if (count) prepare_for_metric(config.metric, vectors + row * dim, prepared.data(), dim);
    std::copy(prepared.begin(), prepared.end(), centroids.begin() + l * dim);
  }
  centroids = stored_centroids(centroids);
  std::vector<std::vector<std::size_t>> members(lists);
  for (std::size_t i = 0; i < count; ++i)
    members[nearest_list(config.metric, centroids, dim, vectors + i * dim)].push_back(i);
  BuiltPartitioned built;
  PartitionedParams params;
  params.nprobe = nprobe;
  params.rerank = rerank;
  params.max_file_bytes = max_file_bytes;
  PartitionedWriter writer(config, centroids, params,
                           [&built](std::uint32_t file, const std::vector<std::uint8_t>& bytes) {
                             built.files.resize(file + 1);
                             built.files[file] = bytes;
                           });
  for (const auto& m : members) {
    std::vector<std::uint32_t> list_ids;
    std::vector<float> list_vectors;
    for (const std::size_t i : m) {
      list_ids.push_back(ids[i]);
      list_vectors.insert(list_vectors.end(), vectors + i * dim, vectors + (i + 1) * dim);
    }
    writer.add_list(list_ids.data(), list_vectors.data(), list_ids.size());
  }
  built.header = writer.finish();
  return built;
}

inline PartitionedList list_of(const PartitionedIndex& index, const BuiltPartitioned& built, std::uint32_t list) {
  const ListLocation& where = index.header().lists[list];
  return PartitionedList::parse(index, list, built.files.at(where.file).data() + where.offset, where.bytes);
}

// A whole search, every wanted list read from the built files.
inline PartitionedSearch search_partitioned(const PartitionedIndex& index, const BuiltPartitioned& built,
                                            const float* query, const PartitionedSearchOptions& options) {
  PartitionedSearch search(index, query, options);
  while (!search.done()) {
    const std::vector<std::uint32_t> wanted = search.wanted();
    for (const std::uint32_t list : wanted) search.score(list_of(index, built, list));
  }
  return search;
}

}  // namespace testing
}  // namespace lookalike
