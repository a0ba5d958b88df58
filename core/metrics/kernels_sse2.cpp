// SSE2 kernels: the x86-64 baseline, always available there.
#include <emmintrin.h>

#include "metrics/simd_kernels.h"

namespace lookalike {
namespace {

struct Sse2 {
  using reg = __m128;
  static constexpr std::size_t width = 4;
  static reg zero() { return _mm_setzero_ps(); }
  static reg splat(float x) { return _mm_set1_ps(x); }
  static reg load(const float* p) { return _mm_loadu_ps(p); }
  static reg add(reg a, reg b) { return _mm_add_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm_mul_ps(a, b); }
  static reg abs(reg a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
  static float hsum(reg a) {
    const reg pairs = _mm_add_ps(a, _mm_movehl_ps(a, a));
    return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_shuffle_ps(pairs, pairs, 1)));
  }

  using dreg = __m128d;
  static constexpr std::size_t dwidth = 2;
  static dreg dzero() { return _mm_setzero_pd(); }
  static dreg dsplat(double x) { return _mm_set1_pd(x); }
  static dreg dload(const float* p) { return _mm_cvtps_pd(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(p)))); }
  static dreg dadd(dreg a, dreg b) { return _mm_add_pd(a, b); }
  static dreg dsub(dreg a, dreg b) { return _mm_sub_pd(a, b); }
  static dreg dmul(dreg a, dreg b) { return _mm_mul_pd(a, b); }
  static double dhsum(dreg a) { return _mm_cvtsd_f64(_mm_add_sd(a, _mm_unpackhi_pd(a, a))); }
};

}  // namespace

const Kernels& sse2_kernels() {
  static const Kernels kernels = make_simd_kernels<Sse2>("sse2");
  return kernels;
}

}  // namespace lookalike
