#include "features/local_binary_pattern.h"

#include <algorithm>
#include <array>

namespace lookalike {
namespace {

constexpr bool is_uniform(int code) {
  int transitions = 0;
  for (int i = 0; i < 8; ++i) transitions += ((code >> i) & 1) != ((code >> ((i + 1) % 8)) & 1);
  return transitions <= 2;
}

// Uniform codes numbered 0..57 in increasing code order, the rest 58.
constexpr std::array<std::uint8_t, 256> make_uniform_table() {
  std::array<std::uint8_t, 256> table{};
  int next = 0;
  for (int code = 0; code < 256; ++code) table[code] = static_cast<std::uint8_t>(is_uniform(code) ? next++ : 58);
  return table;
}

constexpr std::array<std::uint8_t, 256> kUniformTable = make_uniform_table();
static_assert(kUniformTable[255] == 57, "there are exactly 58 uniform 8-bit patterns");

}  // namespace

GreyPlane grey_plane(const Image& image) {
  GreyPlane plane;
  plane.width = image.width;
  plane.height = image.height;
  plane.values.resize(image.pixel_count());
  const std::uint8_t* p = image.rgb.data();
  for (std::int32_t& v : plane.values) {
    v = (77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8;
    p += 3;
  }
  return plane;
}

GreyPlane halve(const GreyPlane& plane) {
  GreyPlane out;
  out.width = std::max(1, plane.width / 2);
  out.height = std::max(1, plane.height / 2);
  out.values.resize(std::size_t(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    const int y0 = std::min(2 * y, plane.height - 1), y1 = std::min(2 * y + 1, plane.height - 1);
    const std::int32_t* r0 = plane.values.data() + std::size_t(y0) * plane.width;
    const std::int32_t* r1 = plane.values.data() + std::size_t(y1) * plane.width;
    std::int32_t* o = out.values.data() + std::size_t(y) * out.width;
    for (int x = 0; x < out.width; ++x) {
      const int x0 = std::min(2 * x, plane.width - 1), x1 = std::min(2 * x + 1, plane.width - 1);
      o[x] = r0[x0] + r0[x1] + r1[x0] + r1[x1];
    }
  }
  return out;
}

int uniform_lbp_bin(int code) { return kUniformTable[static_cast<std::size_t>(code & 255)]; }

void accumulate_uniform_lbp(const GreyPlane& plane, std::int32_t threshold, std::uint32_t* histogram) {
  const int w = plane.width, h = plane.height;
  for (int y = 0; y < h; ++y) {
    const std::int32_t* up = plane.values.data() + std::size_t(y > 0 ? y - 1 : 0) * w;
    const std::int32_t* mid = plane.values.data() + std::size_t(y) * w;
    const std::int32_t* down = plane.values.data() + std::size_t(y + 1 < h ? y + 1 : h - 1) * w;
    for (int x = 0; x < w; ++x) {
      const int l = x > 0 ? x - 1 : 0, r = x + 1 < w ? x + 1 : w - 1;
      const std::int32_t c = mid[x] + threshold;
      const int code = int(up[l] >= c) | int(up[x] >= c) << 1 | int(up[r] >= c) << 2 | int(mid[r] >= c) << 3 |
                       int(down[r] >= c) << 4 | int(down[x] >= c) << 5 | int(down[l] >= c) << 6 | int(mid[l] >= c) << 7;
      ++histogram[kUniformTable[static_cast<std::size_t>(code)]];
    }
  }
}

}  // namespace lookalike
