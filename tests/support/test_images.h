// Images the tests make themselves: synthetic pictures and small encoders
// for what stb_image_write cannot produce (16-bit and palette PNG, GIF, EXIF).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>

#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"

namespace lookalike::testing {

using Bytes = std::vector<std::uint8_t>;

// A deterministic picture with gradients and a few blocks of colour.
Image make_pattern(int width, int height, int seed = 0);
Image solid(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b);

// PNG of raw scanlines (filter byte 0 is added), stored (uncompressed)
// deflate blocks. colour_type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
Bytes encode_png_raw(int width, int height, int colour_type, int bit_depth, const Bytes& samples,
                     const Bytes& palette_rgb = {}, const Bytes& palette_alpha = {});

// GIF87a/89a with a global palette and LZW codes kept at 9 bits by frequent
// clear codes (valid, uncompressed in effect). `indices` are palette entries.
Bytes encode_gif(int width, int height, const Bytes& palette_rgb, const Bytes& indices, int frames = 1);

// Inserts an APP1 EXIF segment carrying the Orientation tag after SOI.
Bytes with_exif_orientation(const Bytes& jpeg, int orientation, bool big_endian = false);

// The RGB image in a format stb_image_write writes (stbi_write_bmp_to_func,
// stbi_write_tga_to_func, ...); empty when the writer fails.
using StbWriter = int (*)(stbi_write_func*, void*, int, int, int, const void*);
Bytes encode_with_stb(StbWriter writer, const Image& image);

// The upright image as the CLI and the page decode it for a consumer (a
// feature, a model card) with this need: reduced when the image is large.
Image decode_for_need(const Bytes& bytes, const DecodeNeed& need);

std::string read_text_file(const std::string& path);
Bytes read_file(const std::string& path);

}  // namespace lookalike::testing
