// AVX2 kernels. This file alone is compiled with -mavx2 (see core/CMakeLists.txt)
// and is only called after a run-time check; FMA stays off so that results
// round as the other sets do.
#include <immintrin.h>

#include "metrics/simd_kernels.h"

namespace lookalike {
namespace {

struct Avx2 {
  using reg = __m256;
  static constexpr std::size_t width = 8;
  static reg zero() { return _mm256_setzero_ps(); }
  static reg splat(float x) { return _mm256_set1_ps(x); }
  static reg load(const float* p) { return _mm256_loadu_ps(p); }
  static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  static reg abs(reg a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  // Folds in the canonical order of simd_kernels.h: lanes j + j+4, then (0+2) + (1+3).
  static float hsum(reg a) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    return _mm_cvtss_f32(_mm_add_ss(x, _mm_shuffle_ps(x, x, 1)));
  }

  using dreg = __m256d;
  static constexpr std::size_t dwidth = 4;
  static dreg dzero() { return _mm256_setzero_pd(); }
  static dreg dsplat(double x) { return _mm256_set1_pd(x); }
  static dreg dload(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
  static dreg dadd(dreg a, dreg b) { return _mm256_add_pd(a, b); }
  static dreg dsub(dreg a, dreg b) { return _mm256_sub_pd(a, b); }
  static dreg dmul(dreg a, dreg b) { return _mm256_mul_pd(a, b); }
  // Lanes (0+2) + (1+3), the canonical order of simd_kernels.h.
  static double dhsum(dreg a) {
    __m128d x = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
  }

  static reg load_i8(const std::int8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  }
  using ireg = __m256i;
  static constexpr std::size_t iwidth = 16;
  static ireg izero() { return _mm256_setzero_si256(); }
  static ireg madd_i8(ireg acc, const std::int8_t* a, const std::int8_t* b) {
    const __m256i va = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a)));
    const __m256i vb = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b)));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(va, vb));
  }
  static std::int32_t ihsum(ireg a) {
    __m128i x = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2)));
    x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(x);
  }
};

}  // namespace

const Kernels& avx2_kernels() {
  static const Kernels kernels = make_simd_kernels<Avx2>("avx2");
  return kernels;
}

}  // namespace lookalike
