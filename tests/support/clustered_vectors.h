// Synthetic vectors shaped like image embeddings, for index tests and
// benchmarks: points gather in clusters, and within a cluster they vary
// along a few directions (a low intrinsic dimension, as real embeddings do)
// plus a little isotropic noise. Queries are fresh points from the same
// clusters, not copies of indexed ones. Deterministic for a seed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace lookalike {
namespace testing {

struct ClusteredVectors {
  std::size_t dim = 0;
  std::vector<float> points;   // count × dim
  std::vector<float> queries;  // queries × dim
};

// The same points streamed to callbacks, for collections too large to hold
// twice (the points first, then the queries; identical values to
// make_clustered_vectors for the same arguments).
template <class OnPoint, class OnQuery>
void generate_clustered_vectors(std::size_t count, std::size_t queries, std::size_t dim, std::uint32_t seed,
                                std::size_t clusters, std::size_t latent_dim, float noise, OnPoint&& on_point,
                                OnQuery&& on_query) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  // Per cluster: a centre and latent_dim directions of decreasing weight.
  std::vector<float> centres(clusters * dim), directions(clusters * latent_dim * dim);
  for (float& x : centres) x = normal(rng);
  for (std::size_t c = 0; c < clusters; ++c)
    for (std::size_t l = 0; l < latent_dim; ++l)
      for (std::size_t j = 0; j < dim; ++j)
        directions[(c * latent_dim + l) * dim + j] = normal(rng) * 0.6f / float(1 + l / 3);
  std::uniform_int_distribution<std::size_t> pick(0, clusters - 1);
  std::vector<float> point(dim);
  const auto sample = [&](float* out) {
    const std::size_t c = pick(rng);
    for (std::size_t j = 0; j < dim; ++j) out[j] = centres[c * dim + j] + noise * normal(rng);
    for (std::size_t l = 0; l < latent_dim; ++l) {
      const float z = normal(rng);
      const float* d = &directions[(c * latent_dim + l) * dim];
      for (std::size_t j = 0; j < dim; ++j) out[j] += z * d[j];
    }
  };
  for (std::size_t i = 0; i < count; ++i) {
    sample(point.data());
    on_point(i, point.data());
  }
  for (std::size_t i = 0; i < queries; ++i) {
    sample(point.data());
    on_query(i, point.data());
  }
}

inline ClusteredVectors make_clustered_vectors(std::size_t count, std::size_t queries, std::size_t dim,
                                               std::uint32_t seed, std::size_t clusters = 400,
                                               std::size_t latent_dim = 32, float noise = 0.5f) {
  ClusteredVectors v;
  v.dim = dim;
  v.points.resize(count * dim);
  v.queries.resize(queries * dim);
  generate_clustered_vectors(
      count, queries, dim, seed, clusters, latent_dim, noise,
      [&](std::size_t i, const float* p) { std::copy(p, p + dim, &v.points[i * dim]); },
      [&](std::size_t i, const float* p) { std::copy(p, p + dim, &v.queries[i * dim]); });
  return v;
}

}  // namespace testing
}  // namespace lookalike
