#include "lookalike/image/resize.h"

#include <cmath>
#include <cstring>

#include <stb/stb_image_resize.h>

#include "lookalike/common/error.h"

namespace lookalike {
namespace {

stbir_filter to_stb(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::Box: return STBIR_FILTER_BOX;
    case ResizeFilter::Bilinear: return STBIR_FILTER_TRIANGLE;
    case ResizeFilter::Bicubic: return STBIR_FILTER_CATMULLROM;
  }
  return STBIR_FILTER_DEFAULT;
}

}  // namespace

const char* filter_name(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::Box: return "box";
    case ResizeFilter::Bilinear: return "bilinear";
    case ResizeFilter::Bicubic: return "bicubic";
  }
  return "unknown";
}

ResizeFilter parse_filter(const std::string& name) {
  if (name == "box" || name == "area") return ResizeFilter::Box;
  if (name == "bilinear" || name == "triangle") return ResizeFilter::Bilinear;
  if (name == "bicubic" || name == "catmull-rom") return ResizeFilter::Bicubic;
  fail(ErrorKind::InvalidArgument, "unknown resize filter \"" + name + "\" (expected box, bilinear or bicubic)");
}

Image resize(const Image& image, int width, int height, ResizeFilter filter) {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "cannot resize an empty image");
  if (width <= 0 || height <= 0 || width > 65536 || height > 65536)
    fail(ErrorKind::InvalidArgument,
         "resize target " + std::to_string(width) + "×" + std::to_string(height) + " is out of range");
  if (width == image.width && height == image.height) return image;
  Image out(width, height);
  const stbir_filter f = to_stb(filter);
  const int ok = stbir_resize(image.rgb.data(), image.width, image.height, 0, out.rgb.data(), width, height, 0,
                              STBIR_TYPE_UINT8, 3, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP, f,
                              f, STBIR_COLORSPACE_LINEAR, nullptr);
  if (!ok) fail(ErrorKind::TooLarge, "resize failed: out of memory");
  return out;
}

Image resize_shortest_side(const Image& image, int shortest, ResizeFilter filter) {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "cannot resize an empty image");
  if (shortest <= 0) fail(ErrorKind::InvalidArgument, "shortest side must be positive");
  const bool wide = image.width >= image.height;
  const long long short_side = wide ? image.height : image.width;
  const long long long_side = wide ? image.width : image.height;
  const int scaled_long = static_cast<int>(shortest * long_side / short_side);  // truncates, as torchvision
  return wide ? resize(image, scaled_long, shortest, filter) : resize(image, shortest, scaled_long, filter);
}

const char* crop_rounding_name(CropRounding rounding) {
  return rounding == CropRounding::Floor ? "floor" : "half-even";
}

CropRounding parse_crop_rounding(const std::string& name) {
  if (name == "floor") return CropRounding::Floor;
  if (name == "half-even") return CropRounding::HalfEven;
  fail(ErrorKind::InvalidArgument, "unknown crop rounding \"" + name + "\" (expected floor or half-even)");
}

int centre_offset(int side, int window, CropRounding rounding) {
  const int margin = side - window;
  const int lower = margin / 2;
  // An odd margin puts the centre at lower + 0.5: half to even picks the even one.
  if (margin % 2 == 1 && rounding == CropRounding::HalfEven && lower % 2 == 1) return lower + 1;
  return lower;
}

Image centre_crop(const Image& image, int width, int height, CropRounding rounding) {
  if (width <= 0 || height <= 0 || width > image.width || height > image.height)
    fail(ErrorKind::InvalidArgument, "cannot crop " + std::to_string(width) + "×" + std::to_string(height) +
                                         " from a " + std::to_string(image.width) + "×" + std::to_string(image.height) +
                                         " image");
  const int left = centre_offset(image.width, width, rounding);
  const int top = centre_offset(image.height, height, rounding);
  if (left == 0 && top == 0 && width == image.width && height == image.height) return image;
  Image out(width, height);
  for (int y = 0; y < height; ++y) std::memcpy(out.at(0, y), image.at(left, top + y), std::size_t(width) * 3);
  return out;
}

}  // namespace lookalike
