// How a vector is stored for its metric, so that one cheap inner product or
// distance ranks it as the metric does:
//   L1, L2       stored as given;
//   cosine       divided by its L2 norm (cosine becomes the inner product);
//   correlation  centred on its mean, then divided by its norm (Pearson's r
//                becomes the inner product).
// Cosine and correlation are invariant to those steps, so scores computed on a
// prepared vector are the metric's values for the original, up to rounding.
// A zero vector (or, for correlation, a constant one) prepares to zeros.
#pragma once

#include <cstddef>
#include <string>

#include "lookalike/metrics/metric.h"

namespace lookalike {

void prepare_vector(Metric metric, const float* in, float* out, std::size_t dim);

// Throws Error(InvalidArgument) "<what> has a non-finite value at dimension i".
void require_finite(const float* vector, std::size_t dim, const std::string& what);

}  // namespace lookalike
