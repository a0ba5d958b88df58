#include "index/int8_quantization.h"

#include <algorithm>
#include <cmath>

namespace lookalike {

Int8Scale quantize_int8(const float* values, std::size_t dim, std::int8_t* codes) {
  if (dim == 0) return {};
  float lo = values[0], hi = values[0];
  for (std::size_t i = 1; i < dim; ++i) {
    lo = std::min(lo, values[i]);
    hi = std::max(hi, values[i]);
  }
  // In double: hi − lo may exceed the float range for extreme inputs.
  const double scale = (double(hi) - double(lo)) / 255.0;
  Int8Scale s;
  s.scale = static_cast<float>(scale);
  if (!(s.scale > 0)) {  // constant vector, or a range too small for a float scale
    s.scale = 0;
    s.offset = lo;
    std::fill(codes, codes + dim, std::int8_t{0});
    return s;
  }
  s.offset = static_cast<float>(double(lo) + 128.0 * scale);
  for (std::size_t i = 0; i < dim; ++i) {
    const double code = std::nearbyint((double(values[i]) - double(s.offset)) / double(s.scale));
    codes[i] = static_cast<std::int8_t>(std::clamp(code, -128.0, 127.0));
  }
  return s;
}

void dequantize_int8(const std::int8_t* codes, std::size_t dim, Int8Scale scale, float* out) {
  for (std::size_t i = 0; i < dim; ++i) out[i] = scale.offset + scale.scale * float(codes[i]);
}

}  // namespace lookalike
