// Centroids for a partitioned index, trained natively with FAISS (Debian's
// libfaiss-dev): k-means on a sample of the prepared vectors, deterministic
// for a seed, and the nearest centroid of every vector. FAISS stays in this
// file; the core reads only the centroids it produces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace lookalike::cli {

struct KmeansSettings {
  std::size_t lists = 0;
  std::uint64_t seed = 1;
  int iterations = 10;
  // Points per centroid in the training sample (FAISS's own default is 256;
  // 64 trains a million vectors in minutes with the same recall, measured in
  // docs/BENCHMARKS.md).
  std::size_t points_per_list = 64;
  unsigned threads = 0;  // 0 = every core
};

// `sample`: rows × dim floats, already prepared for the metric. Returns
// lists × dim centroids. Throws Error(InvalidArgument) for fewer rows than lists.
std::vector<float> train_centroids(const float* sample, std::size_t rows, std::size_t dim,
                                   const KmeansSettings& settings);

// The nearest centroid (squared L2) of each of `rows` prepared vectors, in
// batches; `progress` is told how many rows are done.
std::vector<std::uint32_t> assign_to_centroids(const std::vector<float>& centroids, std::size_t dim,
                                               const std::function<const float*(std::size_t)>& prepared_row,
                                               std::size_t rows, unsigned threads,
                                               const std::function<void(std::size_t done)>& progress);

}  // namespace lookalike::cli
