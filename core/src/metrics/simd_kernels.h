// The kernel template shared by every SIMD instruction set.
//
// Included by exactly one translation unit per instruction set, each compiled
// with its own target flags; everything here has internal linkage so that no
// AVX2-compiled inline function can be merged into code run on older CPUs.
// A traits type V provides, for float lanes: reg, width, zero(), load(p),
// add, sub, mul, abs, hsum(reg) -> float; and for double lanes: dreg,
// dwidth, dzero(), dload(const float* p) (dwidth floats promoted), dsplat,
// dadd, dsub, dmul, dhsum(dreg) -> double; for int8 codes: splat(x),
// load_i8(const int8_t* p) (width codes converted to float lanes), and the
// integer lanes ireg, iwidth (codes per step), izero(), madd_i8(acc, a, b)
// (adds the iwidth products a·b into int32 lanes), ihsum(ireg) -> int32.
//
// Every instruction set adds in the same order. A float sum is kept in 16
// lanes (element i goes to lane i mod 16, whatever the register width), the
// lanes are folded as s[j] + s[j+8], then s[j] + s[j+4], then (0+2) + (1+3),
// and the n mod 16 trailing elements are added one by one at the end; double
// sums do the same with 8 lanes. hsum(reg) and dhsum(dreg) of each traits
// type fold their last register in exactly that order. So SSE2, AVX2 and WASM
// SIMD128 give bit-identical results, and a query scores the same in the
// browser as in the CLI. (The scalar set keeps one accumulator: it is the
// plain reference the benchmarks compare with.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "lookalike/metrics/kernels.h"

namespace lookalike {
namespace {

inline float scalar_abs(float x) { return x < 0 ? -x : x; }

constexpr std::size_t kFloatLanes = 16;
constexpr std::size_t kDoubleLanes = 8;

// Σ term over n elements in the canonical 16-lane order. vector_term(i)
// returns the terms of elements i .. i+width−1 as a register; scalar_term(i)
// the term of element i.
template <class V, class VectorTerm, class ScalarTerm>
float canonical_sum(std::size_t n, VectorTerm vector_term, ScalarTerm scalar_term) {
  constexpr std::size_t W = V::width, R = kFloatLanes / W;
  static_assert(R * W == kFloatLanes, "the register width must divide 16");
  typename V::reg acc[R];
  for (std::size_t r = 0; r < R; ++r) acc[r] = V::zero();
  std::size_t i = 0;
  for (; i + kFloatLanes <= n; i += kFloatLanes)
    for (std::size_t r = 0; r < R; ++r) acc[r] = V::add(acc[r], vector_term(i + r * W));
  for (std::size_t half = R / 2; half >= 1; half /= 2)
    for (std::size_t r = 0; r < half; ++r) acc[r] = V::add(acc[r], acc[r + half]);
  float s = V::hsum(acc[0]);
  for (; i < n; ++i) s += scalar_term(i);
  return s;
}

// The same for double lanes: canonical 8-lane order, several sums at once
// (one register array per sum) so that one pass serves cosine and correlation.
template <class V, std::size_t Sums>
struct CanonicalDoubleSums {
  static constexpr std::size_t W = V::dwidth, R = kDoubleLanes / W;
  static_assert(R * W == kDoubleLanes, "the register width must divide 8");
  typename V::dreg acc[Sums][R];
  CanonicalDoubleSums() {
    for (auto& sum : acc)
      for (auto& r : sum) r = V::dzero();
  }
  double fold(std::size_t which) {
    typename V::dreg* a = acc[which];
    for (std::size_t half = R / 2; half >= 1; half /= 2)
      for (std::size_t r = 0; r < half; ++r) a[r] = V::dadd(a[r], a[r + half]);
    return V::dhsum(a[0]);
  }
};

template <class V>
float simd_l1(const float* a, const float* b, std::size_t n) {
  return canonical_sum<V>(
      n, [&](std::size_t i) { return V::abs(V::sub(V::load(a + i), V::load(b + i))); },
      [&](std::size_t i) { return scalar_abs(a[i] - b[i]); });
}

template <class V>
float simd_l2_squared(const float* a, const float* b, std::size_t n) {
  return canonical_sum<V>(
      n,
      [&](std::size_t i) {
        const typename V::reg d = V::sub(V::load(a + i), V::load(b + i));
        return V::mul(d, d);
      },
      [&](std::size_t i) { return (a[i] - b[i]) * (a[i] - b[i]); });
}

template <class V>
float simd_dot(const float* a, const float* b, std::size_t n) {
  return canonical_sum<V>(
      n, [&](std::size_t i) { return V::mul(V::load(a + i), V::load(b + i)); },
      [&](std::size_t i) { return a[i] * b[i]; });
}

template <class V>
double simd_sum(const float* a, std::size_t n) {
  CanonicalDoubleSums<V, 1> sums;
  constexpr std::size_t W = V::dwidth, R = kDoubleLanes / W;
  std::size_t i = 0;
  for (; i + kDoubleLanes <= n; i += kDoubleLanes)
    for (std::size_t r = 0; r < R; ++r) sums.acc[0][r] = V::dadd(sums.acc[0][r], V::dload(a + i + r * W));
  double s = sums.fold(0);
  for (; i < n; ++i) s += a[i];
  return s;
}

template <class V>
DotAndNorms simd_centred_dot_and_norms(const float* a, const float* b, std::size_t n, double ca, double cb) {
  CanonicalDoubleSums<V, 3> sums;
  constexpr std::size_t W = V::dwidth, R = kDoubleLanes / W;
  const typename V::dreg va = V::dsplat(ca), vb = V::dsplat(cb);
  std::size_t i = 0;
  for (; i + kDoubleLanes <= n; i += kDoubleLanes)
    for (std::size_t r = 0; r < R; ++r) {
      const typename V::dreg x = V::dsub(V::dload(a + i + r * W), va);
      const typename V::dreg y = V::dsub(V::dload(b + i + r * W), vb);
      sums.acc[0][r] = V::dadd(sums.acc[0][r], V::dmul(x, y));
      sums.acc[1][r] = V::dadd(sums.acc[1][r], V::dmul(x, x));
      sums.acc[2][r] = V::dadd(sums.acc[2][r], V::dmul(y, y));
    }
  DotAndNorms result{sums.fold(0), sums.fold(1), sums.fold(2)};
  for (; i < n; ++i) {
    const double x = a[i] - ca, y = b[i] - cb;
    result.dot += x * y;
    result.a_squared += x * x;
    result.b_squared += y * y;
  }
  return result;
}

template <class V>
std::int32_t simd_dot_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  constexpr std::size_t W = V::iwidth;
  typename V::ireg acc = V::izero();
  std::size_t i = 0;
  for (; i + W <= n; i += W) acc = V::madd_i8(acc, a + i, b + i);
  std::int32_t s = V::ihsum(acc);
  for (; i < n; ++i) s += std::int32_t(a[i]) * std::int32_t(b[i]);
  return s;
}

template <class V>
float simd_dot_f32_i8(const float* a, const std::int8_t* c, std::size_t n) {
  return canonical_sum<V>(
      n, [&](std::size_t i) { return V::mul(V::load(a + i), V::load_i8(c + i)); },
      [&](std::size_t i) { return a[i] * float(c[i]); });
}

template <class V>
float simd_l2_squared_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  const typename V::reg vo = V::splat(offset), vs = V::splat(scale);
  return canonical_sum<V>(
      n,
      [&](std::size_t i) {
        const typename V::reg d = V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)));
        return V::mul(d, d);
      },
      [&](std::size_t i) {
        const float d = (a[i] - offset) - scale * float(c[i]);
        return d * d;
      });
}

template <class V>
float simd_l1_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  const typename V::reg vo = V::splat(offset), vs = V::splat(scale);
  return canonical_sum<V>(
      n, [&](std::size_t i) { return V::abs(V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)))); },
      [&](std::size_t i) { return scalar_abs((a[i] - offset) - scale * float(c[i])); });
}

template <class V>
float simd_l1_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n, float offset_difference, float scale_a,
                 float scale_b) {
  const typename V::reg vd = V::splat(offset_difference), va = V::splat(scale_a), vb = V::splat(scale_b);
  return canonical_sum<V>(
      n,
      [&](std::size_t i) {
        return V::abs(V::sub(V::add(vd, V::mul(va, V::load_i8(a + i))), V::mul(vb, V::load_i8(b + i))));
      },
      [&](std::size_t i) { return scalar_abs((offset_difference + scale_a * float(a[i])) - scale_b * float(b[i])); });
}

template <class V>
Kernels make_simd_kernels(const char* name) {
  return Kernels{name,
                 simd_l1<V>,
                 simd_l2_squared<V>,
                 simd_dot<V>,
                 simd_sum<V>,
                 simd_centred_dot_and_norms<V>,
                 simd_dot_i8<V>,
                 simd_dot_f32_i8<V>,
                 simd_l2_squared_f32_i8<V>,
                 simd_l1_f32_i8<V>,
                 simd_l1_i8<V>};
}

}  // namespace
}  // namespace lookalike
