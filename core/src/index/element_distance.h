// The internal distances the HNSW graph is built and searched with: smaller
// is closer, and for a fixed query each ranks elements as the metric does.
//   L2           squared distance (the square root changes no ranking);
//   L1           distance;
//   cosine, correlation   1 − inner product of prepared vectors.
// They are surrogates: callers get the metric's natural value, computed
// afresh for the few candidates that are returned (index/vector_index.cpp).
//
// Between two elements (the graph build) int8 elements meet through an exact
// integer dot product of their codes; a float query meets int8 elements
// through the affine kernels (asymmetric distance: only the stored side is
// quantised, which roughly halves the error of quantising both).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/element_layout.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/metrics/metric.h"

namespace lookalike {

struct DistanceSpace {
  Metric metric;
  ElementLayout layout;
  const Kernels* kernels;
};

// hnswlib's distance signature: (element a, element b, DistanceSpace*).
using ElementDistanceFunction = float (*)(const void* a, const void* b, const void* space);
ElementDistanceFunction element_distance_function(Metric metric, ElementType element);

// A prepared query against stored elements.
class QueryDistance {
 public:
  QueryDistance(const DistanceSpace& space, const float* prepared_query);
  float operator()(const std::uint8_t* element) const;

 private:
  const DistanceSpace* space_;
  std::vector<float> query_;
  float query_sum_ = 0;  // Σq, for the int8 inner product
};

}  // namespace lookalike
