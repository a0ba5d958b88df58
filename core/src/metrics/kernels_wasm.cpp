// WASM SIMD128 kernels for the browser build (compiled with -msimd128).
#include <wasm_simd128.h>

#include "metrics/simd_kernels.h"

namespace lookalike {
namespace {

struct Simd128 {
  using reg = v128_t;
  static constexpr std::size_t width = 4;
  static reg zero() { return wasm_f32x4_splat(0.0f); }
  static reg splat(float x) { return wasm_f32x4_splat(x); }
  static reg load(const float* p) { return wasm_v128_load(p); }
  static reg add(reg a, reg b) { return wasm_f32x4_add(a, b); }
  static reg sub(reg a, reg b) { return wasm_f32x4_sub(a, b); }
  static reg mul(reg a, reg b) { return wasm_f32x4_mul(a, b); }
  static reg abs(reg a) { return wasm_f32x4_abs(a); }
  static float hsum(reg a) {
    // Same pairing as the SSE2 set: (0+2, 1+3), then the two halves.
    const float l0 = wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 2);
    const float l1 = wasm_f32x4_extract_lane(a, 1) + wasm_f32x4_extract_lane(a, 3);
    return l0 + l1;
  }

  using dreg = v128_t;
  static constexpr std::size_t dwidth = 2;
  static dreg dzero() { return wasm_f64x2_splat(0.0); }
  static dreg dsplat(double x) { return wasm_f64x2_splat(x); }
  static dreg dload(const float* p) { return wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(p)); }
  static dreg dadd(dreg a, dreg b) { return wasm_f64x2_add(a, b); }
  static dreg dsub(dreg a, dreg b) { return wasm_f64x2_sub(a, b); }
  static dreg dmul(dreg a, dreg b) { return wasm_f64x2_mul(a, b); }
  static double dhsum(dreg a) { return wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1); }

  static reg load_i8(const std::int8_t* p) {
    return wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(wasm_i16x8_extend_low_i8x16(wasm_v128_load32_zero(p))));
  }
  using ireg = v128_t;
  static constexpr std::size_t iwidth = 16;
  static ireg izero() { return wasm_i32x4_splat(0); }
  static ireg madd_i8(ireg acc, const std::int8_t* a, const std::int8_t* b) {
    const v128_t va = wasm_v128_load(a), vb = wasm_v128_load(b);
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(va), wasm_i16x8_extend_low_i8x16(vb)));
    return wasm_i32x4_add(acc,
                          wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(va), wasm_i16x8_extend_high_i8x16(vb)));
  }
  static std::int32_t ihsum(ireg a) {
    return wasm_i32x4_extract_lane(a, 0) + wasm_i32x4_extract_lane(a, 1) + wasm_i32x4_extract_lane(a, 2) +
           wasm_i32x4_extract_lane(a, 3);
  }
};

}  // namespace

const Kernels& simd128_kernels() {
  static const Kernels kernels = make_simd_kernels<Simd128>("wasm-simd128");
  return kernels;
}

}  // namespace lookalike
