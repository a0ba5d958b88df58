// IEEE 754 binary16 ("half") conversions for the partitioned header's
// centroids: round to nearest even on the way in, exact on the way out.
// Written out bit by bit so that the native and WASM builds agree exactly.
#pragma once

#include <cstdint>

namespace lookalike {

std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t half);
// False for the infinities and NaNs.
inline bool half_is_finite(std::uint16_t half) { return (half & 0x7c00u) != 0x7c00u; }

}  // namespace lookalike
