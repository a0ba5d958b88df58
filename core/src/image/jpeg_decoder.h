// JPEG through libjpeg-turbo (built from Debian's source for both targets,
// cmake/libjpeg_turbo.cmake): the header alone, or the pixels at full scale
// or reduced in the DCT domain. Private to the core; decode_image() is the
// entry point, which checks format, limits and completeness first.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lookalike/image/image.h"

namespace lookalike {

struct JpegHeader {
  int width = 0, height = 0;
  int components = 0;  // 1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK
};

// Throws Error(Corrupt or Unsupported) with libjpeg's reason.
JpegHeader read_jpeg_header(const std::uint8_t* data, std::size_t size);

// RGB pixels as stored (no EXIF orientation), decoded at 1/scale, where scale
// is 1, 2, 4 or 8: each side becomes ceil(side / scale). Fails, rather than
// returning a partly grey picture, on entropy data libjpeg could not decode.
Image decode_jpeg(const std::uint8_t* data, std::size_t size, int scale);

}  // namespace lookalike
