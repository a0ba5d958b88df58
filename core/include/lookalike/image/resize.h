// Resizing with stb_image_resize, on 8-bit values as stored (no gamma
// conversion), the way PIL and OpenCV resize for model preprocessing.
#pragma once

#include <string>

#include "lookalike/image/image.h"

namespace lookalike {

enum class ResizeFilter {
  Box,       // area average when shrinking: the pixel baseline's filter
  Bilinear,  // triangle filter, widened when shrinking (antialiased, like PIL)
  Bicubic,   // Catmull-Rom cubic, widened when shrinking (like PIL's BICUBIC)
};

const char* filter_name(ResizeFilter filter);
// Parses "box", "area", "bilinear", "bicubic"; throws Error naming the value otherwise.
ResizeFilter parse_filter(const std::string& name);

// Resizes to exactly width × height (aspect ratio not kept).
Image resize(const Image& image, int width, int height, ResizeFilter filter);

// Scales so that the shorter side becomes `shortest`, keeping the aspect
// ratio; the longer side is truncated as torchvision does (int(S·long/short)).
Image resize_shortest_side(const Image& image, int shortest, ResizeFilter filter);

// Cuts the centred width × height window (torchvision's CenterCrop offsets:
// round((H − h) / 2)). Throws when the image is smaller than the window.
Image centre_crop(const Image& image, int width, int height);

}  // namespace lookalike
