// Scalar quantisation of one prepared vector to int8, with its own offset and
// scale: x_i ≈ offset + scale·c_i, codes c_i in [−128, 127] spanning the
// vector's own [min, max]. Per-vector parameters need no training pass, so
// items can be added one at a time to a built index, and the products of two
// code vectors are exact integers (metrics/kernels.h). The worst-case error
// per value is scale/2 = (max − min)/510.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lookalike {

struct Int8Scale {
  float offset = 0;
  float scale = 0;  // 0 when the vector is constant (all codes are then 0)
};

// Codes for `dim` finite values; returns the offset and scale to restore them.
Int8Scale quantize_int8(const float* values, std::size_t dim, std::int8_t* codes);

// out_i = offset + scale·c_i.
void dequantize_int8(const std::int8_t* codes, std::size_t dim, Int8Scale scale, float* out);

}  // namespace lookalike
