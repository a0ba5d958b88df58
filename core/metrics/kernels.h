// Vectorised float reductions that every metric is built from.
//
// One implementation per instruction set, all from one template
// (metrics/simd_kernels.h): SSE2 and AVX2 natively (AVX2 chosen at run time,
// never required), SIMD128 in the WASM build, and a portable scalar set that
// is the reference for tests and benchmarks. Sums use several accumulators, so
// vectorised results differ from scalar ones by rounding only.
//
// L1, L2 and dot accumulate in float: their terms are all positive (or, for
// dot, only used as a ranking surrogate on normalised vectors) and float sums
// stay within 1e-5 relative. Cosine and correlation accumulate in double
// (floats promoted lane by lane): a similarity near zero is a difference of
// large sums, and only double keeps such a value within 1e-5 relative.
#pragma once

#include <cstddef>
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
};

const Kernels& scalar_kernels();
// The fastest set this CPU (or the WASM build) supports, chosen once.
const Kernels& best_kernels();
// Every set usable here, scalar first: for tests and benchmarks.
std::vector<const Kernels*> available_kernels();

}  // namespace lookalike
