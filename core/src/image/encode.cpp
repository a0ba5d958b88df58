#include "lookalike/image/encode.h"

#include <stb/stb_image_write.h>

#include "lookalike/common/error.h"

namespace lookalike {
namespace {

void append(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(context);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

void require_pixels(const Image& image) {
  if (image.empty() || image.rgb.size() != image.pixel_count() * 3)
    fail(ErrorKind::InvalidArgument, "cannot encode an empty or inconsistent image");
}

}  // namespace

std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality) {
  require_pixels(image);
  std::vector<std::uint8_t> out;
  if (!stbi_write_jpg_to_func(append, &out, image.width, image.height, 3, image.rgb.data(), quality))
    fail(ErrorKind::InvalidArgument, "JPEG encoding failed");
  return out;
}

std::vector<std::uint8_t> encode_png(const Image& image) {
  require_pixels(image);
  std::vector<std::uint8_t> out;
  if (!stbi_write_png_to_func(append, &out, image.width, image.height, 3, image.rgb.data(), image.width * 3))
    fail(ErrorKind::InvalidArgument, "PNG encoding failed");
  return out;
}

}  // namespace lookalike
