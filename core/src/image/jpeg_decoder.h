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

// Which scans of a progressive JPEG are decoded.
enum class JpegScans {
  Needed,  // at 1/8, not the AC scans of components whose 1 × 1 inverse DCT reads the DC alone
  All,     // every scan (what Needed is tested against)
};

// RGB pixels as stored (no EXIF orientation), decoded at 1/scale, where scale
// is 1, 2, 4 or 8: each side becomes ceil(side / scale). Fails, rather than
// returning a partly grey picture, on entropy data libjpeg could not decode.
//
// A progressive JPEG keeps most of its bytes in AC scans, which cost most of
// its decoding time; at 1/8 a full-resolution component's block becomes one
// pixel, its DC value, so with JpegScans::Needed the AC scans of such
// components (luma, in 4:2:0) are left out before libjpeg sees the file (and
// block smoothing, which would estimate the missing coefficients, is off):
// the very pixels of a decode of every scan at 1/8, in a fraction of the
// time. A fault inside a left-out scan then goes unnoticed, as it changes
// nothing.
Image decode_jpeg(const std::uint8_t* data, std::size_t size, int scale, JpegScans scans = JpegScans::Needed);

}  // namespace lookalike
