// The portable scalar kernels: one accumulator, in index order. They are the
// fallback on CPUs without SIMD and the baseline the benchmarks compare with.
#include "metrics/kernels.h"

namespace lookalike {
namespace {

float l1(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
  return s;
}
float l2_squared(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}
float dot(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
double sum(const float* a, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i];
  return s;
}
DotAndNorms centred_dot_and_norms(const float* a, const float* b, std::size_t n, double ca, double cb) {
  DotAndNorms r;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = a[i] - ca, y = b[i] - cb;
    r.dot += x * y;
    r.a_squared += x * x;
    r.b_squared += y * y;
  }
  return r;
}

}  // namespace

const Kernels& scalar_kernels() {
  static const Kernels kernels{"scalar", l1, l2_squared, dot, sum, centred_dot_and_norms};
  return kernels;
}

}  // namespace lookalike
