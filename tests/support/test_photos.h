// Photos for tests and benchmarks of decoding and preprocessing. Decoders and
// resizers differ most on real detail, which synthetic patterns lack, so
// these are made of real camera pictures: Debian's darknet package installs
// seven (scripts/setup.sh installs it).
//
// A phone photo is 4032×3024 or so; no Debian package ships one. The large
// test photo is a mosaic of darknet's photos at their own resolution, tiled
// to the size asked for: every pixel keeps a camera's detail (nothing is
// enlarged), which is what makes a decoder's reduction measurable.
#pragma once

#include <string>
#include <vector>

#include "lookalike/image/image.h"
#include "support/test_images.h"

namespace lookalike::testing {

inline const char* const kDarknetPhotoDir = "/usr/share/darknet/data";

// darknet's photos (*.jpg), sorted by name; empty when the package is not installed.
std::vector<std::string> darknet_photos();

// A width × height mosaic of darknet's photos, each tile a window of one
// photo at full resolution (tiles differ in photo and window). Throws
// std::runtime_error when darknet's photos are not installed.
Image photo_mosaic(int width, int height);

// JPEG as cameras and phones write it, with libjpeg-turbo's encoder (the one
// built for the core): 4:2:0 chroma subsampling, baseline or progressive.
struct CameraJpeg {
  int quality = 92;
  bool progressive = false;
  bool grey = false;  // one component (the image's red channel), as a greyscale JPEG
};
Bytes encode_camera_jpeg(const Image& image, const CameraJpeg& style = {});

// A copy of `image` turned by the inverse of EXIF orientation `orientation`:
// what a phone stores when the picture is meant to be shown as `image`.
Image stored_for_orientation(const Image& image, int orientation);

}  // namespace lookalike::testing
