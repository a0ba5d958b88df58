// SSE2 kernels: the x86-64 baseline, always available there.
#include <emmintrin.h>

#include <cstring>

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
  // Folds in the canonical order of simd_kernels.h: (0+2) + (1+3).
  static float hsum(reg a) {
    const reg pairs = _mm_add_ps(a, _mm_movehl_ps(a, a));
    return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_shuffle_ps(pairs, pairs, 1)));
  }

  using dreg = __m128d;
  static constexpr std::size_t dwidth = 2;
  static dreg dzero() { return _mm_setzero_pd(); }
  static dreg dsplat(double x) { return _mm_set1_pd(x); }
  static dreg dload(const float* p) {
    return _mm_cvtps_pd(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(p))));
  }
  static dreg dadd(dreg a, dreg b) { return _mm_add_pd(a, b); }
  static dreg dsub(dreg a, dreg b) { return _mm_sub_pd(a, b); }
  static dreg dmul(dreg a, dreg b) { return _mm_mul_pd(a, b); }
  static double dhsum(dreg a) { return _mm_cvtsd_f64(_mm_add_sd(a, _mm_unpackhi_pd(a, a))); }

  // SSE2 has no sign extension: duplicate each byte into the high byte of
  // its lane and shift it back down arithmetically.
  static reg load_i8(const std::int8_t* p) {
    std::int32_t bits;
    std::memcpy(&bits, p, 4);
    __m128i x = _mm_cvtsi32_si128(bits);
    x = _mm_unpacklo_epi8(x, x);
    x = _mm_unpacklo_epi16(x, x);
    return _mm_cvtepi32_ps(_mm_srai_epi32(x, 24));
  }
  using ireg = __m128i;
  static constexpr std::size_t iwidth = 16;
  static ireg izero() { return _mm_setzero_si128(); }
  static ireg madd_i8(ireg acc, const std::int8_t* a, const std::int8_t* b) {
    const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    const __m128i a_low = _mm_srai_epi16(_mm_unpacklo_epi8(va, va), 8),
                  a_high = _mm_srai_epi16(_mm_unpackhi_epi8(va, va), 8);
    const __m128i b_low = _mm_srai_epi16(_mm_unpacklo_epi8(vb, vb), 8),
                  b_high = _mm_srai_epi16(_mm_unpackhi_epi8(vb, vb), 8);
    acc = _mm_add_epi32(acc, _mm_madd_epi16(a_low, b_low));
    return _mm_add_epi32(acc, _mm_madd_epi16(a_high, b_high));
  }
  static std::int32_t ihsum(ireg a) {
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(1, 0, 3, 2)));
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(a);
  }
};

}  // namespace

const Kernels& sse2_kernels() {
  static const Kernels kernels = make_simd_kernels<Sse2>("sse2");
  return kernels;
}

}  // namespace lookalike
