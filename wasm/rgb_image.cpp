#include "rgb_image.h"

#include <string>
#include <vector>

#include "js_arrays.h"
#include "lookalike/common/error.h"

namespace lookalike::wasm {

emscripten::val RgbImage::rgb() const { return to_uint8_array(image_.rgb.data(), image_.rgb.size()); }

emscripten::val RgbImage::rgba() const {
  std::vector<std::uint8_t> out(image_.pixel_count() * 4);
  for (std::size_t i = 0, n = image_.pixel_count(); i < n; ++i) {
    out[i * 4] = image_.rgb[i * 3];
    out[i * 4 + 1] = image_.rgb[i * 3 + 1];
    out[i * 4 + 2] = image_.rgb[i * 3 + 2];
    out[i * 4 + 3] = 255;
  }
  return to_uint8_array(out.data(), out.size());
}

Image image_from_pixels(const std::uint8_t* pixels, std::size_t size, int width, int height, int channels) {
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
    fail(ErrorKind::InvalidArgument, "image size " + std::to_string(width) + "×" + std::to_string(height) +
                                         " is out of range (1 to 65535 pixels a side)");
  if (channels != 3 && channels != 4)
    fail(ErrorKind::InvalidArgument, "channels must be 3 (RGB) or 4 (RGBA), not " + std::to_string(channels));
  const std::size_t count = std::size_t(width) * std::size_t(height);
  if (size != count * std::size_t(channels))
    fail(ErrorKind::InvalidArgument, "pixel data holds " + std::to_string(size) + " bytes, expected " +
                                         std::to_string(count * std::size_t(channels)) + " for " +
                                         std::to_string(width) + "×" + std::to_string(height) + "×" +
                                         std::to_string(channels));
  Image image(width, height);
  if (channels == 3) {
    image.rgb.assign(pixels, pixels + size);
    return image;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned a = pixels[i * 4 + 3];
    for (int c = 0; c < 3; ++c)
      image.rgb[i * 3 + c] = static_cast<std::uint8_t>((pixels[i * 4 + c] * a + 255u * (255u - a) + 127u) / 255u);
  }
  return image;
}

}  // namespace lookalike::wasm
