#include "index/vector_preparation.h"

#include <cmath>

#include "lookalike/common/error.h"
#include "lookalike/metrics/kernels.h"

namespace lookalike {

void prepare_vector(Metric metric, const float* in, float* out, std::size_t dim) {
  if (metric == Metric::L1 || metric == Metric::L2) {
    for (std::size_t i = 0; i < dim; ++i) out[i] = in[i];
    return;
  }
  const Kernels& kernels = best_kernels();
  const double mean = metric == Metric::Correlation && dim > 0 ? kernels.sum(in, dim) / double(dim) : 0.0;
  const double squared = kernels.centred_dot_and_norms(in, in, dim, mean, mean).a_squared;
  const double norm = std::sqrt(squared);
  for (std::size_t i = 0; i < dim; ++i) out[i] = norm > 0 ? static_cast<float>((in[i] - mean) / norm) : 0.0f;
}

void require_finite(const float* vector, std::size_t dim, const std::string& what) {
  for (std::size_t i = 0; i < dim; ++i)
    if (!std::isfinite(vector[i]))
      fail(ErrorKind::InvalidArgument, what + " has a non-finite value at dimension " + std::to_string(i));
}

}  // namespace lookalike
