// Thumbnails: small JPEG copies of collection images for the results grid of
// the site (about 256 px) and for reports (smaller, inline).
#pragma once

#include <cstdint>
#include <vector>

#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"

namespace lookalike::cli {

constexpr int kThumbnailSide = 256;

// Scaled to fit within max_side × max_side, aspect ratio kept (at least 1 px
// each way), with an antialiased filter; never enlarged.
Image make_thumbnail(const Image& image, int max_side = kThumbnailSide);

// What make_thumbnail needs of the decoded image: its bilinear filter's margin
// over the longer side it scales to.
inline DecodeNeed thumbnail_need(int max_side = kThumbnailSide) { return {0, kInterpolationMargin * max_side}; }

// make_thumbnail, encoded as a baseline JPEG with the core's encoder.
std::vector<std::uint8_t> thumbnail_jpeg(const Image& image, int max_side = kThumbnailSide, int quality = 85);

}  // namespace lookalike::cli
