// Exact top-k over vectors stored prepared for their metric
// (index/vector_preparation.h), at the cost of one SIMD float kernel per
// vector instead of the metric's double-precision value for every one.
//
// Every vector gets the cheap surrogate of index/element_distance.h (L1, L2
// squared, 1 − inner product of the prepared query and vector). Only the
// vectors whose surrogate lies within a proven error bound of the k-th best
// are scored with metric_value and ranked (search/hit.h), so the result is
// exactly what scoring every vector would give:
//   L1        the surrogate is the metric's value, bit for bit;
//   L2        its square root is the metric's value, bit for bit;
//   cosine, correlation   |surrogate − (1 − value)| ≤ δ = (dim + 32)·2⁻²³,
//             from float rounding of the prepared vectors and of the float
//             sum (γ(dim + 21) for two SIMD accumulators and the tail) and of
//             the value itself; any vector with surrogate > s_k + 2δ has k
//             vectors strictly better, so it cannot be in the top k.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "lookalike/metrics/metric.h"
#include "lookalike/search/hit.h"

namespace lookalike {

struct PreparedRows {
  std::size_t count = 0;
  std::function<const float*(std::size_t row)> vector;  // dim floats, prepared
  std::function<std::uint32_t(std::size_t row)> id;
};

// `query` as the caller gave it (not prepared); scores are metric_value(query, vector).
std::vector<Hit> prepared_exact_scan(Metric metric, const float* query, std::size_t dim, std::size_t k,
                                     const PreparedRows& rows);

}  // namespace lookalike
