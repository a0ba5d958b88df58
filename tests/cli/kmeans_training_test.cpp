// The k-means for many small lists (offline-tools/partitioned/kmeans_training.h):
// searching the centroids on every coordinate or on sketches (projections on
// principal components), and seeding
// the smallest lists again between iterations (on by default), it puts
// almost every point in the list of its nearest centroid, gathers clusters
// of the data into lists, and gives the same partition for the same seed.
// (What seeding again gains shows at scale: docs/BENCHMARKS.md.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "partitioned/kmeans_training.h"
#include "support/clustered_vectors.h"

using namespace lookalike;
using namespace lookalike::cli;

namespace {

constexpr std::size_t kDim = 64, kClusters = 100, kPerCluster = 20, kRows = kClusters * kPerCluster;

float squared_l2(const float* a, const float* b) {
  float s = 0;
  for (std::size_t j = 0; j < kDim; ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  return s;
}

struct Trained {
  std::vector<float> unit;  // the rows, normalised (as for cosine)
  Partition partition;
};

Trained train(std::size_t projected_dims, std::uint64_t seed) {
  const testing::ClusteredVectors data = testing::make_clustered_vectors(kRows, 0, kDim, 11, kClusters, 4, 0.3f);
  Trained t;
  t.unit = data.points;
  for (std::size_t i = 0; i < kRows; ++i) {
    float n = 0;
    for (std::size_t j = 0; j < kDim; ++j) n += t.unit[i * kDim + j] * t.unit[i * kDim + j];
    for (std::size_t j = 0; j < kDim; ++j) t.unit[i * kDim + j] /= std::sqrt(n);
  }
  ManyListsSettings s;
  s.lists = kClusters;
  s.seed = seed;
  s.candidates = 8;
  s.projected_dims = projected_dims;
  s.spherical = true;
  s.threads = 2;
  t.partition = train_many_lists([&t](std::size_t row, float* out) { std::copy_n(&t.unit[row * kDim], kDim, out); },
                                 kRows, kDim, s, {});
  return t;
}

}  // namespace

TEST_CASE("k-means for many lists puts points in their nearest list and gathers clusters", "[partitioned]") {
  // 0: every coordinate; 16 and 8: sketches on principal components. The
  // clusters lie in 4 latent directions of the 64, so 8 components rank
  // centroids almost as the full vectors do (a random projection to 8
  // coordinates would keep an eighth of each direction).
  const std::size_t projected = GENERATE(std::size_t{0}, std::size_t{16}, std::size_t{8});
  INFO("projected dimensions " << projected);
  const Trained t = train(projected, 3);
  REQUIRE(t.partition.centroids.size() == kClusters * kDim);
  REQUIRE(t.partition.list_of.size() == kRows);
  std::size_t nearest = 0;
  for (std::size_t i = 0; i < kRows; ++i) {
    const float* x = &t.unit[i * kDim];
    std::size_t best = 0;
    for (std::size_t l = 1; l < kClusters; ++l)
      if (squared_l2(x, &t.partition.centroids[l * kDim]) < squared_l2(x, &t.partition.centroids[best * kDim]))
        best = l;
    nearest += t.partition.list_of[i] == best;
  }
  INFO("in the nearest list " << nearest << " of " << kRows);
  CHECK(nearest >= kRows * 93 / 100);
  // Clusters gathered: the points of a list agree on a few lists only. The
  // generator draws each point's cluster at random, so "cluster" here is
  // the list of most of a point's 5 nearest neighbours, which in these
  // well-separated clusters are all of its own cluster.
  std::size_t agree = 0;
  for (std::size_t i = 0; i < kRows; ++i) {
    std::vector<std::pair<float, std::size_t>> near;
    for (std::size_t j = 0; j < kRows; ++j)
      if (j != i) near.push_back({squared_l2(&t.unit[i * kDim], &t.unit[j * kDim]), j});
    std::partial_sort(near.begin(), near.begin() + 5, near.end());
    for (std::size_t k = 0; k < 5; ++k) agree += t.partition.list_of[near[k].second] == t.partition.list_of[i];
  }
  INFO("neighbours in the same list " << agree << " of " << kRows * 5);
  CHECK(agree >= kRows * 5 * 3 / 4);
  // Deterministic for a seed.
  const Trained again = train(projected, 3);
  CHECK(again.partition.list_of == t.partition.list_of);
  CHECK(again.partition.centroids == t.partition.centroids);
}

TEST_CASE("k-means for many lists refuses more lists than points", "[partitioned]") {
  ManyListsSettings s;
  s.lists = 10;
  CHECK_THROWS_WITH(train_many_lists([](std::size_t, float* out) { std::fill_n(out, 4, 0.0f); }, 5, 4, s, {}),
                    Catch::Contains("cannot train 10 lists"));
}
