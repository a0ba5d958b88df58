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

// Where the centred window goes when the margin (H − h) is odd and half a
// pixel must be placed. The reference implementations differ:
enum class CropRounding {
  Floor,     // (H − h) // 2: Hugging Face's image processors (CLIPImageProcessor)
  HalfEven,  // round((H − h) / 2) with Python's rounding, half to even: torchvision's CenterCrop
};

const char* crop_rounding_name(CropRounding rounding);
// Parses "floor" or "half-even"; throws Error naming the value otherwise.
CropRounding parse_crop_rounding(const std::string& name);

// The offset of a centred window of `window` pixels in `side` pixels.
int centre_offset(int side, int window, CropRounding rounding);

// Cuts the centred width × height window. Throws when the image is smaller
// than the window.
Image centre_crop(const Image& image, int width, int height, CropRounding rounding);

}  // namespace lookalike
