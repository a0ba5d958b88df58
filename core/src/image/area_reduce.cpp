#include "image/area_reduce.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/image/decode_need.h"

namespace lookalike {

Image reduce_by_area(const Image& image, int factor) {
  if (factor <= 1 || image.empty()) return image;
  // reduction_factor() keeps factors at most kMaxReduction, so a block's sum
  // (factor² · 255) fits 32 bits.
  if (factor > kMaxReduction) fail(ErrorKind::InvalidArgument, "area reduction factor over the maximum");
  const int width = reduced_side(image.width, factor), height = reduced_side(image.height, factor);
  Image out(width, height);
  std::vector<std::uint32_t> sums(std::size_t(width) * 3);
  for (int oy = 0; oy < height; ++oy) {
    std::fill(sums.begin(), sums.end(), 0u);
    const int y0 = oy * factor, y1 = std::min(image.height, y0 + factor);
    for (int y = y0; y < y1; ++y) {
      const std::uint8_t* p = image.at(0, y);
      for (int ox = 0; ox < width; ++ox) {
        const int columns = std::min(factor, image.width - ox * factor);
        std::uint32_t r = 0, g = 0, b = 0;
        for (int k = 0; k < columns; ++k, p += 3) {
          r += p[0];
          g += p[1];
          b += p[2];
        }
        sums[std::size_t(ox) * 3] += r;
        sums[std::size_t(ox) * 3 + 1] += g;
        sums[std::size_t(ox) * 3 + 2] += b;
      }
    }
    const std::uint32_t rows = std::uint32_t(y1 - y0);
    std::uint8_t* q = out.at(0, oy);
    for (int ox = 0; ox < width; ++ox) {
      const std::uint32_t count = rows * std::uint32_t(std::min(factor, image.width - ox * factor));
      for (int c = 0; c < 3; ++c) *q++ = static_cast<std::uint8_t>((sums[std::size_t(ox) * 3 + c] + count / 2) / count);
    }
  }
  return out;
}

}  // namespace lookalike
