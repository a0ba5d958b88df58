#include "lookalike/image/decode.h"

#include <climits>
#include <cstdint>
#include <memory>
#include <string>

#include <stb/stb_image.h>

#include "image/area_reduce.h"
#include "image/jpeg_decoder.h"
#include "lookalike/common/error.h"
#include "lookalike/image/exif_orientation.h"

namespace lookalike {
namespace {

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

std::string megapixels(std::uint64_t pixels) {
  const std::uint64_t tenths = (pixels + 50'000) / 100'000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " megapixels";
}

[[noreturn]] void unsupported(ImageFormat format) {
  if (format == ImageFormat::Unknown)
    fail(ErrorKind::Unsupported, "unrecognised image format (supported: JPEG, PNG, BMP, GIF, TGA)");
  fail(ErrorKind::Unsupported,
       std::string(format_name(format)) +
           " images are not supported by the core decoder (supported: JPEG, PNG, BMP, GIF, TGA)");
}

void check_pixel_limit(std::uint64_t width, std::uint64_t height, std::uint64_t max_pixels) {
  const std::uint64_t pixels = width * height;
  if (pixels > max_pixels)
    fail(ErrorKind::TooLarge, "image is " + std::to_string(width) + "×" + std::to_string(height) + " (" +
                                  megapixels(pixels) + "), over the limit of " + megapixels(max_pixels));
}

// Common checks of decode_image and read_image_info; returns the header facts.
// The declared size is checked against the limit first, from our own header
// reading, so that no decoder ever starts on an over-large image.
ImageInfo inspect(const std::uint8_t* data, std::size_t size, std::uint64_t max_pixels) {
  if (data == nullptr || size == 0) fail(ErrorKind::Corrupt, "empty image data (0 bytes)");
  if (size > static_cast<std::size_t>(INT_MAX)) fail(ErrorKind::TooLarge, "image data over 2 GiB");
  ImageInfo info;
  info.format = sniff_format(data, size);
  if (!core_decodes(info.format)) unsupported(info.format);
  std::uint32_t declared_width = 0, declared_height = 0;
  if (read_declared_size(info.format, data, size, declared_width, declared_height))
    check_pixel_limit(declared_width, declared_height, max_pixels);
  check_complete(info.format, data, size);
  if (info.format == ImageFormat::Jpeg) {
    const JpegHeader header = read_jpeg_header(data, size);
    info.width = header.width;
    info.height = header.height;
    info.channels = header.components == 1 ? 1 : 3;
  } else if (!stbi_info_from_memory(data, static_cast<int>(size), &info.width, &info.height, &info.channels)) {
    fail(ErrorKind::Corrupt, std::string("corrupt ") + format_name(info.format) + " header: " + stbi_failure_reason());
  }
  if (info.width <= 0 || info.height <= 0)
    fail(ErrorKind::Corrupt, std::string("corrupt ") + format_name(info.format) + " header: zero width or height");
  return info;
}

// PNG, BMP, GIF and TGA through stb_image, alpha composited onto white.
Image decode_with_stb(const std::uint8_t* data, std::size_t size, const ImageInfo& info, bool& had_alpha) {
  int width = 0, height = 0, components = 0;
  // Ask for RGBA only when the file has alpha, so it can be composited onto white.
  had_alpha = info.channels == 2 || info.channels == 4;
  const int wanted = had_alpha ? 4 : 3;
  std::unique_ptr<unsigned char, StbFree> pixels_ptr(
      stbi_load_from_memory(data, static_cast<int>(size), &width, &height, &components, wanted));
  if (!pixels_ptr)
    fail(ErrorKind::Corrupt, std::string("corrupt ") + format_name(info.format) + " data: " + stbi_failure_reason());
  Image image(width, height);
  const unsigned char* src = pixels_ptr.get();
  if (had_alpha) {
    for (std::size_t i = 0, n = image.pixel_count(); i < n; ++i) {
      const unsigned a = src[i * 4 + 3];
      for (int c = 0; c < 3; ++c)  // (c·a + 255·(255 − a)) / 255, rounded
        image.rgb[i * 3 + c] = static_cast<std::uint8_t>((src[i * 4 + c] * a + 255u * (255u - a) + 127u) / 255u);
    }
  } else {
    image.rgb.assign(src, src + image.pixel_count() * 3);
  }
  return image;
}

}  // namespace

ImageInfo read_image_info(const std::uint8_t* data, std::size_t size) { return inspect(data, size, UINT64_MAX); }

DecodedImage decode_image(const std::uint8_t* data, std::size_t size, const DecodeOptions& options) {
  const ImageInfo info = inspect(data, size, options.max_pixels);
  check_pixel_limit(std::uint64_t(info.width), std::uint64_t(info.height), options.max_pixels);

  DecodedImage out;
  out.format = info.format;
  out.stored_width = info.width;
  out.stored_height = info.height;
  const int reduction = reduction_factor(info.width, info.height, options.need);
  Image stored;
  if (info.format == ImageFormat::Jpeg) {
    // As much of the reduction as the DCT can take: a 1/8 decode reads the
    // same entropy data but skips nearly all of the inverse transform.
    out.jpeg_scale = reduction >= 8 ? 8 : reduction >= 4 ? 4 : reduction >= 2 ? 2 : 1;
    stored = decode_jpeg(data, size, out.jpeg_scale);
  } else {
    stored = decode_with_stb(data, size, info, out.had_alpha);
  }
  const int area = reduction / out.jpeg_scale;
  out.reduction = out.jpeg_scale * area;
  if (area > 1) stored = reduce_by_area(stored, area);
  if (info.format == ImageFormat::Jpeg) out.exif_orientation = read_jpeg_exif_orientation(data, size);
  if (options.apply_exif_orientation && out.exif_orientation != 1)
    out.image = apply_orientation(stored, out.exif_orientation);
  else
    out.image = std::move(stored);
  return out;
}

}  // namespace lookalike
