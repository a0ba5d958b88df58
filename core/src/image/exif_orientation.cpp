#include "lookalike/image/exif_orientation.h"

#include <cstring>

namespace lookalike {
namespace {

constexpr std::uint16_t kOrientationTag = 0x0112;
constexpr std::uint16_t kTypeShort = 3;

// Reads the Orientation tag from a TIFF structure (the payload of APP1 after
// "Exif\0\0"). Every offset is bounds-checked against the segment.
int orientation_from_tiff(const std::uint8_t* t, std::size_t n) {
  if (n < 8) return 1;
  bool little;
  if (t[0] == 'I' && t[1] == 'I')
    little = true;
  else if (t[0] == 'M' && t[1] == 'M')
    little = false;
  else
    return 1;
  auto u16 = [&](std::size_t at) -> std::uint16_t {
    return little ? std::uint16_t(t[at] | (t[at + 1] << 8)) : std::uint16_t((t[at] << 8) | t[at + 1]);
  };
  auto u32 = [&](std::size_t at) -> std::uint32_t {
    return little ? (t[at] | (std::uint32_t(t[at + 1]) << 8) | (std::uint32_t(t[at + 2]) << 16) |
                     (std::uint32_t(t[at + 3]) << 24))
                  : ((std::uint32_t(t[at]) << 24) | (std::uint32_t(t[at + 1]) << 16) | (std::uint32_t(t[at + 2]) << 8) |
                     t[at + 3]);
  };
  if (u16(2) != 42) return 1;
  const std::uint32_t ifd = u32(4);
  if (ifd > n || n - ifd < 2) return 1;
  const std::uint16_t entries = u16(ifd);
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::size_t entry = std::size_t(ifd) + 2 + std::size_t(i) * 12;
    if (entry + 12 > n) return 1;
    if (u16(entry) != kOrientationTag) continue;
    if (u16(entry + 2) != kTypeShort || u32(entry + 4) < 1) return 1;
    const int value = u16(entry + 8);
    return (value >= 1 && value <= 8) ? value : 1;
  }
  return 1;
}

}  // namespace

int read_jpeg_exif_orientation(const std::uint8_t* d, std::size_t n) {
  if (n < 4 || d[0] != 0xFF || d[1] != 0xD8) return 1;
  std::size_t pos = 2;
  // EXIF lives in an APP1 segment among the header segments before the first scan.
  while (pos + 4 <= n) {
    if (d[pos] != 0xFF) return 1;
    const std::uint8_t marker = d[pos + 1];
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return 1;
    const std::size_t length = (std::size_t(d[pos + 2]) << 8) | d[pos + 3];
    if (length < 2 || pos + 2 + length > n) return 1;
    const std::uint8_t* payload = d + pos + 4;
    const std::size_t payload_size = length - 2;
    if (marker == 0xE1 && payload_size >= 6 && std::memcmp(payload, "Exif\0\0", 6) == 0)
      return orientation_from_tiff(payload + 6, payload_size - 6);
    pos += 2 + length;
  }
  return 1;
}

Image apply_orientation(const Image& src, int orientation) {
  if (orientation < 2 || orientation > 8) return src;
  const int w = src.width, h = src.height;
  const bool swaps = orientation >= 5;
  Image dst(swaps ? h : w, swaps ? w : h);
  for (int y = 0; y < dst.height; ++y) {
    for (int x = 0; x < dst.width; ++x) {
      int sx = x, sy = y;  // where the displayed pixel (x, y) is stored
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break;  // mirrored horizontally
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;  // rotated 180°
        case 4:
          sx = x;
          sy = h - 1 - y;
          break;  // mirrored vertically
        case 5:
          sx = y;
          sy = x;
          break;  // transposed
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;  // needs 90° clockwise
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;  // transversed
        case 8:
          sx = w - 1 - y;
          sy = x;
          break;  // needs 90° counter-clockwise
      }
      std::memcpy(dst.at(x, y), src.at(sx, sy), 3);
    }
  }
  return dst;
}

}  // namespace lookalike
