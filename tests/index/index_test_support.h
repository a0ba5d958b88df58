// Small helpers shared by the index tests.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/metric.h"

namespace lookalike {
namespace testing {

// One way of storing an index: its kind, element type and whether int8
// elements keep float copies for re-ranking.
struct IndexVariant {
  IndexKind kind;
  ElementType element;
  bool keep_floats;
};

// "cosine hnsw int8 +floats": a variant in a test's messages.
inline std::string describe(Metric metric, const IndexVariant& v) {
  return std::string(metric_name(metric)) + " " + index_kind_name(v.kind) + " " + element_type_name(v.element) +
         (v.keep_floats ? " +floats" : "");
}

inline IndexConfig index_config(Metric metric, std::uint32_t dim, IndexKind kind,
                                ElementType element = ElementType::Float32, bool keep_floats = false) {
  IndexConfig config;
  config.feature_spec = "test:dim=" + std::to_string(dim);
  config.metric = metric;
  config.dim = dim;
  config.kind = kind;
  config.element = element;
  config.keep_float_vectors = keep_floats;
  return config;
}

inline std::vector<float> random_vectors(std::size_t count, std::size_t dim, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(count * dim);
  for (float& x : v) x = normal(rng) + 0.2f;
  return v;
}

inline std::vector<std::uint32_t> sequential_ids(std::size_t count, std::uint32_t first = 0, std::uint32_t step = 1) {
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = first + static_cast<std::uint32_t>(i) * step;
  return ids;
}

inline std::vector<std::uint32_t> hit_ids(const std::vector<Hit>& hits) {
  std::vector<std::uint32_t> ids;
  for (const Hit& h : hits) ids.push_back(h.id);
  return ids;
}

}  // namespace testing
}  // namespace lookalike
