// A partitioned index built in memory for tests, fuzz corpora and reference
// outputs: centroids are evenly spaced items (prepared for the metric), not
// k-means (the CLI trains those with FAISS), stored as half floats or
// product-quantised with a codebook made of the centroids' own sub-vectors
// (the CLI trains codebooks with FAISS), which is all a test of the format
// and the search needs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/index/partitioned_writer.h"

namespace lookalike {
namespace testing {

struct BuiltPartitioned {
  std::vector<std::uint8_t> header;
  std::vector<std::vector<std::uint8_t>> files;
};

// Codebook entry k of sub-quantiser q: sub-vector q of centroid k mod
// lists, shifted a little for each repetition; each code the nearest entry.
inline PartitionedCentroids product_quantized_for_test(const std::vector<float>& centroids, std::size_t dim,
                                                       std::uint32_t code_bytes) {
  const std::size_t lists = centroids.size() / dim, sub = dim / code_bytes, entries = partitioned::kCodebookEntries;
  std::vector<float> codebook(entries * dim);
  for (std::size_t q = 0; q < code_bytes; ++q)
    for (std::size_t k = 0; k < entries; ++k)
      for (std::size_t j = 0; j < sub; ++j)
        codebook[(q * entries + k) * sub + j] = centroids[(k % lists) * dim + q * sub + j] + 0.01f * float(k / lists);
  std::vector<std::uint8_t> codes(lists * code_bytes);
  for (std::size_t l = 0; l < lists; ++l)
    for (std::size_t q = 0; q < code_bytes; ++q) {
      float best = -1;
      for (std::size_t k = 0; k < entries; ++k) {
        float d = 0;
        for (std::size_t j = 0; j < sub; ++j) {
          const float t = centroids[l * dim + q * sub + j] - codebook[(q * entries + k) * sub + j];
          d += t * t;
        }
        if (best < 0 || d < best) {
          best = d;
          codes[l * code_bytes + q] = static_cast<std::uint8_t>(k);
        }
      }
    }
  return PartitionedCentroids::product_quantized(dim, code_bytes, codebook, std::move(codes));
}

inline BuiltPartitioned build_partitioned(const IndexConfig& config, const float* vectors, const std::uint32_t* ids,
                                          std::size_t count, std::size_t lists, std::uint32_t nprobe,
                                          std::uint32_t rerank = 40, std::uint64_t max_file_bytes = 0,
                                          std::uint32_t code_bytes = 0) {
  const std::size_t dim = config.dim;
  std::vector<float> centroids(lists * dim);
  for (std::size_t l = 0; l < lists; ++l) {
    const std::size_t row = count ? l * count / lists : 0;
    std::vector<float> prepared(dim, 0.0f);
    if (count) prepare_for_metric(config.metric, vectors + row * dim, prepared.data(), dim);
    std::copy(prepared.begin(), prepared.end(), centroids.begin() + l * dim);
  }
  const PartitionedCentroids stored = code_bytes ? product_quantized_for_test(centroids, dim, code_bytes)
                                                 : PartitionedCentroids::halves(centroids, dim);
  std::vector<std::vector<std::size_t>> members(lists);
  for (std::size_t i = 0; i < count; ++i) members[nearest_list(config.metric, stored, vectors + i * dim)].push_back(i);
  BuiltPartitioned built;
  PartitionedParams params;
  params.nprobe = nprobe;
  params.rerank = rerank;
  params.max_file_bytes = max_file_bytes;
  PartitionedWriter writer(config, stored, params,
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
