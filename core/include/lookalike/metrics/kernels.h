// Vectorised float reductions that every metric is built from.
//
// One implementation per instruction set, all from one template
// (metrics/simd_kernels.h): SSE2 and AVX2 natively (AVX2 chosen at run time,
// never required), SIMD128 in the WASM build, and a portable scalar set that
// is the reference for tests and benchmarks. The SIMD sets all add in one
// canonical order (see simd_kernels.h), so they give bit-identical results:
// the browser scores a query exactly as the CLI does. They differ from the
// single-accumulator scalar set by rounding only.
//
// L1, L2 and dot accumulate in float: their terms are all positive (or, for
// dot, only used as a ranking surrogate on normalised vectors) and float sums
// stay within 1e-5 relative. Cosine and correlation accumulate in double
// (floats promoted lane by lane): a similarity near zero is a difference of
// large sums, and only double keeps such a value within 1e-5 relative.
//
// The int8 kernels serve the compact element type of the index
// (index/int8_quantization.h): a stored vector is x_i = offset + scale·c_i
// with int8 codes c. Two codes vectors are compared by an exact integer dot
// product (the graph build), a float query against codes by the affine
// kernels (the search), so no vector is ever expanded to float32 in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lookalike {

struct DotAndNorms {
  double dot = 0, a_squared = 0, b_squared = 0;
};

struct Kernels {
  const char* name;
  float (*l1)(const float* a, const float* b, std::size_t n);          // Σ|a−b|
  float (*l2_squared)(const float* a, const float* b, std::size_t n);  // Σ(a−b)²
  float (*dot)(const float* a, const float* b, std::size_t n);         // Σab
  double (*sum)(const float* a, std::size_t n);                        // Σa, in double
  // Σ(a−ca)(b−cb), Σ(a−ca)², Σ(b−cb)² in one pass, in double (ca = cb = 0
  // gives cosine's terms).
  DotAndNorms (*centred_dot_and_norms)(const float* a, const float* b, std::size_t n, double ca, double cb);

  // Σab over int8 codes, exact in int32 for n ≤ kMaxInt8KernelLength.
  std::int32_t (*dot_i8)(const std::int8_t* a, const std::int8_t* b, std::size_t n);
  // Σ a·c: a float vector against int8 codes.
  float (*dot_f32_i8)(const float* a, const std::int8_t* c, std::size_t n);
  // Σ((a − offset) − scale·c)²: squared L2 from a float vector to offset + scale·c.
  float (*l2_squared_f32_i8)(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale);
  // Σ|(a − offset) − scale·c|: L1 from a float vector to offset + scale·c.
  float (*l1_f32_i8)(const float* a, const std::int8_t* c, std::size_t n, float offset, float scale);
  // Σ|(offset_difference + scale_a·a) − scale_b·b|: L1 between two affine
  // int8 vectors (offset_difference = offset_a − offset_b).
  float (*l1_i8)(const std::int8_t* a, const std::int8_t* b, std::size_t n, float offset_difference, float scale_a,
                 float scale_b);
};

// dot_i8 sums products of at most 128·128 in int32 lanes: exact up to this length.
constexpr std::size_t kMaxInt8KernelLength = 65536;

const Kernels& scalar_kernels();
// The fastest set this CPU (or the WASM build) supports, chosen once.
const Kernels& best_kernels();
// Every set usable here, scalar first: for tests and benchmarks.
std::vector<const Kernels*> available_kernels();

}  // namespace lookalike
