// Centroids for a partitioned index, trained natively with FAISS (Debian's
// libfaiss-dev): k-means on a sample of the prepared vectors and the
// nearest centroid of every vector (few lists), k-means with candidate
// lists on every vector (many lists), and the product quantisation of
// centroids; deterministic for a seed. FAISS stays in this file; the core
// reads only the centroids and codes it produces.
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

// k-means for many small lists (thousands to tens of thousands, of about
// 20 items each, which is what a million items need: docs/BENCHMARKS.md).
// FAISS's own Clustering compares every point with every centroid in every
// iteration: a million points and 50 000 lists in 512 dimensions is ten
// minutes of BLAS on two cores per iteration. Here every iteration finds
// each point's `candidates` nearest centroids with FAISS (by BLAS, on every
// coordinate while that is affordable, else on sketches: the projections on
// the `projected_dims` principal components of a sample, a quarter of the
// work at 128 of 512) and compares the point in full with those and its
// current list only. Lists this small need several iterations to gather
// each cluster of the data into one list (docs/BENCHMARKS.md), so from
// `partial_from` on only the worst-fitting `refit_fraction` of the points
// search again: the others have found their list and keep their
// candidates. The result is the centroids and every point's list (its
// nearest candidate), so no separate assignment pass is needed. Between
// iterations, clusters of the data that no list gathered get lists of their
// own (ManyListsSettings::reseed_share); after the last one, with sketches,
// the worst-fitting points search every centroid in full (polish_fraction).
struct ManyListsSettings {
  std::size_t lists = 0;
  std::uint64_t seed = 1;
  int iterations = 10;
  std::size_t candidates = 16;
  std::size_t projected_dims = 0;  // 0: search on every coordinate
  int partial_from = 2;
  double refit_fraction = 0.35;
  bool spherical = false;  // unit-length centroids (cosine, correlation)
  // Orphan clusters seeded again per iteration (reseed_orphans in the .cpp):
  // up to this share of the lists, taken from lists of at most
  // `reseed_small` times the mean size.
  double reseed_share = 0.05;
  double reseed_small = 0.5;
  // With sketches: the worst-fitting share of the points searches every
  // centroid on every coordinate at the end.
  double polish_fraction = 0.1;
  unsigned threads = 0;
};

struct Partition {
  std::vector<float> centroids;        // lists × dim
  std::vector<std::uint32_t> list_of;  // per row
};

// `prepare(row, out)` writes row's prepared vector (dim floats); it is called
// from several threads at once. `progress(done, total)` counts iterations.
Partition train_many_lists(const std::function<void(std::size_t row, float* out)>& prepare, std::size_t rows,
                           std::size_t dim, const ManyListsSettings& settings,
                           const std::function<void(std::size_t done, std::size_t total)>& progress);

// Product quantisation of centroids for the header
// (lookalike/index/partitioned_centroids.h), trained with FAISS's
// ProductQuantizer: `code_bytes` codebooks of 256 sub-vectors, and each
// centroid's codes. Needs at least 256 centroids.
struct CentroidCodes {
  std::vector<float> codebook;      // code_bytes × 256 × (dim / code_bytes)
  std::vector<std::uint8_t> codes;  // lists × code_bytes
};
CentroidCodes quantize_centroids(const std::vector<float>& centroids, std::size_t dim, std::uint32_t code_bytes,
                                 unsigned threads);

}  // namespace lookalike::cli
