#include "support/test_photos.h"

#include <algorithm>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <jpeglib.h>

#include "lookalike/image/decode.h"
#include "lookalike/image/exif_orientation.h"

namespace lookalike::testing {
namespace {

[[noreturn]] void encoder_error(j_common_ptr cinfo) {
  char text[JMSG_LENGTH_MAX] = {0};
  (*cinfo->err->format_message)(cinfo, text);
  throw std::runtime_error(std::string("libjpeg encoder: ") + text);
}

// The tile size: a 4:3 window that every darknet photo but scream.jpg
// (352×448) holds at full resolution.
constexpr int kTileWidth = 448, kTileHeight = 336;

}  // namespace

std::vector<std::string> darknet_photos() {
  std::vector<std::string> out;
  std::error_code error;
  if (!std::filesystem::is_directory(kDarknetPhotoDir, error)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(kDarknetPhotoDir, error))
    if (entry.path().extension() == ".jpg") out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Image photo_mosaic(int width, int height) {
  std::vector<Image> photos;
  for (const std::string& path : darknet_photos()) {
    const Bytes bytes = read_file(path);
    Image photo = decode_image(bytes.data(), bytes.size()).image;
    if (photo.width >= kTileWidth && photo.height >= kTileHeight) photos.push_back(std::move(photo));
  }
  if (photos.empty())
    throw std::runtime_error(std::string("no darknet photos in ") + kDarknetPhotoDir +
                             " (install Debian's darknet package; scripts/setup.sh does)");
  Image out(width, height);
  for (int ty = 0; ty * kTileHeight < height; ++ty)
    for (int tx = 0; tx * kTileWidth < width; ++tx) {
      const int n = ty * 7 + tx * 3;  // neighbours differ in photo and window
      const Image& photo = photos[std::size_t(n) % photos.size()];
      const int left = (n * 37) % (photo.width - kTileWidth + 1);
      const int top = (n * 23) % (photo.height - kTileHeight + 1);
      for (int y = 0; y < kTileHeight && ty * kTileHeight + y < height; ++y) {
        const int columns = std::min(kTileWidth, width - tx * kTileWidth);
        std::copy_n(photo.at(left, top + y), std::size_t(columns) * 3, out.at(tx * kTileWidth, ty * kTileHeight + y));
      }
    }
  return out;
}

Bytes encode_camera_jpeg(const Image& image, const CameraJpeg& style) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr errors{};
  cinfo.err = jpeg_std_error(&errors);
  errors.error_exit = encoder_error;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  try {
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = JDIMENSION(image.width);
    cinfo.image_height = JDIMENSION(image.height);
    cinfo.input_components = style.grey ? 1 : 3;
    cinfo.in_color_space = style.grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);  // YCbCr, 4:2:0 (2×2 luma samples per chroma sample)
    jpeg_set_quality(&cinfo, style.quality, TRUE);
    if (style.progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<JSAMPLE> grey_row(style.grey ? std::size_t(image.width) : 0);
    while (cinfo.next_scanline < cinfo.image_height) {
      JSAMPROW row = const_cast<JSAMPROW>(image.at(0, int(cinfo.next_scanline)));
      if (style.grey) {
        for (int x = 0; x < image.width; ++x) grey_row[std::size_t(x)] = row[x * 3];
        row = grey_row.data();
      }
      jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
  } catch (...) {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    throw;
  }
  Bytes out(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

Image stored_for_orientation(const Image& image, int orientation) {
  // Turning back: 6 (shown turned clockwise) and 8 undo each other; the others are their own inverse.
  const int inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation;
  return apply_orientation(image, inverse);
}

}  // namespace lookalike::testing
