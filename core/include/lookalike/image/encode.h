// Encoding RGB8 images to bytes (stb_image_write, in memory): thumbnails for
// the site and test images. The core still does no I/O: callers write files.
#pragma once

#include <cstdint>
#include <vector>

#include "lookalike/image/image.h"

namespace lookalike {

std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality = 85);
std::vector<std::uint8_t> encode_png(const Image& image);

}  // namespace lookalike
