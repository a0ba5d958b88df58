// Decoding image bytes (never a path: the core does no I/O) into upright RGB8.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"
#include "lookalike/image/image_format.h"

namespace lookalike {

struct DecodeOptions {
  // Images whose header declares more pixels than this are refused before
  // any pixel memory is allocated (a 100000×100000 header costs nothing).
  std::uint64_t max_pixels = 64'000'000;
  // Apply the EXIF Orientation tag, as image viewers do.
  bool apply_exif_orientation = true;
  // The least the caller needs (decode_need.h); the default is the full image.
  DecodeNeed need;
};

struct DecodedImage {
  Image image;  // upright, RGB8, alpha composited onto white
  ImageFormat format = ImageFormat::Unknown;
  int exif_orientation = 1;                 // the tag found (1 when none); applied if asked
  int stored_width = 0, stored_height = 0;  // as in the file, before orientation and reduction
  bool had_alpha = false;
  // The image is the file's reduced by this factor (1: full size): each side
  // ceil(side / reduction). Of it, jpeg_scale came from decoding the JPEG at
  // 1/jpeg_scale in the DCT domain (1, 2, 4 or 8), the rest from the area filter.
  int reduction = 1;
  int jpeg_scale = 1;
};

// Decodes JPEG (baseline, progressive, arithmetic; libjpeg-turbo), PNG (1–16
// bit, grey, palette, alpha), BMP, GIF (first frame) and TGA (stb_image).
// Throws lookalike::Error naming the reason: empty data, an unsupported
// format (WebP, AVIF, HEIC, TIFF, unknown), truncated or corrupt data
// (including JPEG entropy data that libjpeg could only fill in), or a
// declared size over options.max_pixels.
//
// With a need, a large image is reduced on the way: reduction_factor() of
// the stored size, as much of it as possible in the JPEG decoder (1/2, 1/4,
// 1/8), the rest by averaging reduction × reduction blocks.
DecodedImage decode_image(const std::uint8_t* data, std::size_t size, const DecodeOptions& options = {});

// Reads only the header: format and stored size, without decoding pixels.
struct ImageInfo {
  ImageFormat format = ImageFormat::Unknown;
  int width = 0, height = 0;
  int channels = 0;  // as stored: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
};
ImageInfo read_image_info(const std::uint8_t* data, std::size_t size);

}  // namespace lookalike
