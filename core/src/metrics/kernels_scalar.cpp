// The portable scalar kernels: one accumulator, in index order. They are the
// fallback on CPUs without SIMD and the baseline the benchmarks compare with.
#include <cmath>

#include "lookalike/metrics/kernels.h"

namespace lookalike {
namespace {

float l1(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += std::fabs(a[i] - b[i]);  // branch-free, unlike a comparison
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

std::int32_t dot_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  std::int32_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s += std::int32_t(a[i]) * std::int32_t(b[i]);
  return s;
}
float dot_f32_i8(const float* a, const std::int8_t* c, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * float(c[i]);
  return s;
}
float l2_squared_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float d = (a[i] - offset) - scale * float(c[i]);
    s += d * d;
  }
  return s;
}
float l1_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float d = (a[i] - offset) - scale * float(c[i]);
    s += d < 0 ? -d : d;
  }
  return s;
}
float l1_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n, float offset_difference, float scale_a,
            float scale_b) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float d = (offset_difference + scale_a * float(a[i])) - scale_b * float(b[i]);
    s += d < 0 ? -d : d;
  }
  return s;
}

}  // namespace

const Kernels& scalar_kernels() {
  static const Kernels kernels{"scalar", l1,         l2_squared,        dot,       sum,  centred_dot_and_norms,
                               dot_i8,   dot_f32_i8, l2_squared_f32_i8, l1_f32_i8, l1_i8};
  return kernels;
}

}  // namespace lookalike
