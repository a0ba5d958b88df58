// An 8-bit RGB image in row-major, interleaved order: the one pixel type the
// core works with after decoding (alpha is composited away, grey expanded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lookalike {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width * height * 3 bytes

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3, 0) {}

  std::size_t pixel_count() const { return static_cast<std::size_t>(width) * height; }
  std::uint8_t* at(int x, int y) { return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  const std::uint8_t* at(int x, int y) const { return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  bool empty() const { return width <= 0 || height <= 0; }
};

}  // namespace lookalike
