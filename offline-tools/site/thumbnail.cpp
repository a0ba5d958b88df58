#include "site/thumbnail.h"

#include <algorithm>
#include <cmath>

#include "lookalike/common/error.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/resize.h"

namespace lookalike::cli {

Image make_thumbnail(const Image& image, int max_side) {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "cannot make a thumbnail of an empty image");
  if (max_side < 1) fail(ErrorKind::InvalidArgument, "thumbnail size must be positive");
  if (image.width <= max_side && image.height <= max_side) return image;
  const double scale = double(max_side) / double(std::max(image.width, image.height));
  const int width = std::clamp(int(std::lround(image.width * scale)), 1, max_side);
  const int height = std::clamp(int(std::lround(image.height * scale)), 1, max_side);
  return resize(image, width, height, ResizeFilter::Bilinear);
}

std::vector<std::uint8_t> thumbnail_jpeg(const Image& image, int max_side, int quality) {
  return encode_jpeg(make_thumbnail(image, max_side), quality);
}

}  // namespace lookalike::cli
