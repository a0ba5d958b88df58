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
#pragma once

#include <cstddef>
#include <cstdint>

#include "metrics/kernels.h"

namespace lookalike {
namespace {

inline float scalar_abs(float x) { return x < 0 ? -x : x; }

template <class V>
float simd_l1(const float* a, const float* b, std::size_t n) {
  constexpr std::size_t W = V::width;
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::add(acc0, V::abs(V::sub(V::load(a + i), V::load(b + i))));
    acc1 = V::add(acc1, V::abs(V::sub(V::load(a + i + W), V::load(b + i + W))));
  }
  if (i + W <= n) {
    acc0 = V::add(acc0, V::abs(V::sub(V::load(a + i), V::load(b + i))));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += scalar_abs(a[i] - b[i]);
  return s;
}

template <class V>
float simd_l2_squared(const float* a, const float* b, std::size_t n) {
  constexpr std::size_t W = V::width;
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    const typename V::reg d0 = V::sub(V::load(a + i), V::load(b + i));
    const typename V::reg d1 = V::sub(V::load(a + i + W), V::load(b + i + W));
    acc0 = V::add(acc0, V::mul(d0, d0));
    acc1 = V::add(acc1, V::mul(d1, d1));
  }
  if (i + W <= n) {
    const typename V::reg d0 = V::sub(V::load(a + i), V::load(b + i));
    acc0 = V::add(acc0, V::mul(d0, d0));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

template <class V>
float simd_dot(const float* a, const float* b, std::size_t n) {
  constexpr std::size_t W = V::width;
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::add(acc0, V::mul(V::load(a + i), V::load(b + i)));
    acc1 = V::add(acc1, V::mul(V::load(a + i + W), V::load(b + i + W)));
  }
  if (i + W <= n) {
    acc0 = V::add(acc0, V::mul(V::load(a + i), V::load(b + i)));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

template <class V>
double simd_sum(const float* a, std::size_t n) {
  constexpr std::size_t W = V::dwidth;
  typename V::dreg acc0 = V::dzero(), acc1 = V::dzero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::dadd(acc0, V::dload(a + i));
    acc1 = V::dadd(acc1, V::dload(a + i + W));
  }
  double s = V::dhsum(V::dadd(acc0, acc1));
  for (; i < n; ++i) s += a[i];
  return s;
}

template <class V>
DotAndNorms simd_centred_dot_and_norms(const float* a, const float* b, std::size_t n, double ca, double cb) {
  constexpr std::size_t W = V::dwidth;
  const typename V::dreg va = V::dsplat(ca), vb = V::dsplat(cb);
  typename V::dreg ab = V::dzero(), aa = V::dzero(), bb = V::dzero();
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    const typename V::dreg x = V::dsub(V::dload(a + i), va);
    const typename V::dreg y = V::dsub(V::dload(b + i), vb);
    ab = V::dadd(ab, V::dmul(x, y));
    aa = V::dadd(aa, V::dmul(x, x));
    bb = V::dadd(bb, V::dmul(y, y));
  }
  DotAndNorms r{V::dhsum(ab), V::dhsum(aa), V::dhsum(bb)};
  for (; i < n; ++i) {
    const double x = a[i] - ca, y = b[i] - cb;
    r.dot += x * y;
    r.a_squared += x * x;
    r.b_squared += y * y;
  }
  return r;
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
  constexpr std::size_t W = V::width;
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::add(acc0, V::mul(V::load(a + i), V::load_i8(c + i)));
    acc1 = V::add(acc1, V::mul(V::load(a + i + W), V::load_i8(c + i + W)));
  }
  if (i + W <= n) {
    acc0 = V::add(acc0, V::mul(V::load(a + i), V::load_i8(c + i)));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += a[i] * float(c[i]);
  return s;
}

template <class V>
float simd_l2_squared_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  constexpr std::size_t W = V::width;
  const typename V::reg vo = V::splat(offset), vs = V::splat(scale);
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    const typename V::reg d0 = V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)));
    const typename V::reg d1 = V::sub(V::sub(V::load(a + i + W), vo), V::mul(vs, V::load_i8(c + i + W)));
    acc0 = V::add(acc0, V::mul(d0, d0));
    acc1 = V::add(acc1, V::mul(d1, d1));
  }
  if (i + W <= n) {
    const typename V::reg d0 = V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)));
    acc0 = V::add(acc0, V::mul(d0, d0));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) {
    const float d = (a[i] - offset) - scale * float(c[i]);
    s += d * d;
  }
  return s;
}

template <class V>
float simd_l1_f32_i8(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale) {
  constexpr std::size_t W = V::width;
  const typename V::reg vo = V::splat(offset), vs = V::splat(scale);
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::add(acc0, V::abs(V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)))));
    acc1 = V::add(acc1, V::abs(V::sub(V::sub(V::load(a + i + W), vo), V::mul(vs, V::load_i8(c + i + W)))));
  }
  if (i + W <= n) {
    acc0 = V::add(acc0, V::abs(V::sub(V::sub(V::load(a + i), vo), V::mul(vs, V::load_i8(c + i)))));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += scalar_abs((a[i] - offset) - scale * float(c[i]));
  return s;
}

template <class V>
float simd_l1_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n, float offset_difference, float scale_a,
                 float scale_b) {
  constexpr std::size_t W = V::width;
  const typename V::reg vd = V::splat(offset_difference), va = V::splat(scale_a), vb = V::splat(scale_b);
  typename V::reg acc0 = V::zero(), acc1 = V::zero();
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    acc0 = V::add(acc0, V::abs(V::sub(V::add(vd, V::mul(va, V::load_i8(a + i))), V::mul(vb, V::load_i8(b + i)))));
    acc1 = V::add(acc1,
                  V::abs(V::sub(V::add(vd, V::mul(va, V::load_i8(a + i + W))), V::mul(vb, V::load_i8(b + i + W)))));
  }
  if (i + W <= n) {
    acc0 = V::add(acc0, V::abs(V::sub(V::add(vd, V::mul(va, V::load_i8(a + i))), V::mul(vb, V::load_i8(b + i)))));
    i += W;
  }
  float s = V::hsum(V::add(acc0, acc1));
  for (; i < n; ++i) s += scalar_abs((offset_difference + scale_a * float(a[i])) - scale_b * float(b[i]));
  return s;
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
