#include "lookalike/image/image_format.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "lookalike/common/error.h"

namespace lookalike {
namespace {

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
std::uint32_t read_le32(const std::uint8_t* p) {
  return p[0] | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
}
std::uint16_t read_le16(const std::uint8_t* p) { return std::uint16_t(p[0] | (p[1] << 8)); }

[[noreturn]] void truncated(const char* format, const std::string& what) {
  fail(ErrorKind::Corrupt, std::string("truncated ") + format + " data: " + what);
}

bool looks_like_tga(const std::uint8_t* d, std::size_t n) {
  if (n < 18) return false;
  const int colour_map_type = d[1], image_type = d[2];
  if (colour_map_type > 1) return false;
  if (!(image_type == 1 || image_type == 2 || image_type == 3 || image_type == 9 || image_type == 10 ||
        image_type == 11))
    return false;
  if ((image_type == 1 || image_type == 9) != (colour_map_type == 1)) return false;
  const int width = read_le16(d + 12), height = read_le16(d + 14), bits = d[16];
  if (width == 0 || height == 0) return false;
  return bits == 8 || bits == 15 || bits == 16 || bits == 24 || bits == 32;
}

void check_jpeg(const std::uint8_t* d, std::size_t n) {
  // Walk the marker segments; entropy-coded data after each SOS runs until the
  // next marker (0xFF followed by anything but 0x00 or a restart marker).
  std::size_t pos = 2;
  bool seen_scan = false;
  while (pos < n) {
    if (d[pos] != 0xFF) {
      if (!seen_scan) fail(ErrorKind::Corrupt, "corrupt JPEG data: expected a marker at byte " + std::to_string(pos));
      ++pos;
      continue;
    }
    if (pos + 1 >= n) break;
    const std::uint8_t marker = d[pos + 1];
    if (marker == 0xFF) {
      ++pos;
      continue;
    }                            // fill byte
    if (marker == 0xD9) return;  // end of image
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > n) break;
    const std::size_t length = (std::size_t(d[pos + 2]) << 8) | d[pos + 3];
    if (length < 2)
      fail(ErrorKind::Corrupt, "corrupt JPEG data: segment length below 2 at byte " + std::to_string(pos));
    if (pos + 2 + length > n) break;
    pos += 2 + length;
    if (marker == 0xDA) {
      seen_scan = true;
      while (pos + 1 < n) {
        if (d[pos] == 0xFF && d[pos + 1] != 0x00 && !(d[pos + 1] >= 0xD0 && d[pos + 1] <= 0xD7)) break;
        ++pos;
      }
      if (pos + 1 >= n) break;
    }
  }
  truncated("JPEG", seen_scan ? "the end-of-image marker is missing" : "the file ends before the image data");
}

void check_png(const std::uint8_t* d, std::size_t n) {
  std::size_t pos = 8;
  while (pos + 12 <= n) {
    const std::uint32_t length = read_be32(d + pos);
    if (length > 0x7FFFFFFFu)
      fail(ErrorKind::Corrupt, "corrupt PNG data: chunk length over 2^31 at byte " + std::to_string(pos));
    if (pos + 12 + std::size_t(length) > n) truncated("PNG", "a chunk runs past the end of the data");
    if (std::memcmp(d + pos + 4, "IEND", 4) == 0) return;
    pos += 12 + std::size_t(length);
  }
  truncated("PNG", "the IEND chunk is missing");
}

void check_gif(const std::uint8_t* d, std::size_t n) {
  // Only the first frame is decoded, so only it must be complete.
  if (n < 13) truncated("GIF", "the header is incomplete");
  std::size_t pos = 13;
  if (d[10] & 0x80) pos += 3u * (2u << (d[10] & 7));
  auto skip_sub_blocks = [&]() {
    while (true) {
      if (pos >= n) truncated("GIF", "the first frame's data is cut short");
      const std::uint8_t block = d[pos++];
      if (block == 0) return;
      pos += block;
    }
  };
  while (true) {
    if (pos >= n) truncated("GIF", "no image found before the end of the data");
    const std::uint8_t introducer = d[pos++];
    if (introducer == 0x21) {  // extension: label, then sub-blocks
      ++pos;
      skip_sub_blocks();
    } else if (introducer == 0x2C) {  // image descriptor
      if (pos + 9 > n) truncated("GIF", "the image descriptor is incomplete");
      const std::uint8_t flags = d[pos + 8];
      pos += 9;
      if (flags & 0x80) pos += 3u * (2u << (flags & 7));
      ++pos;  // LZW minimum code size
      skip_sub_blocks();
      return;
    } else if (introducer == 0x3B) {
      fail(ErrorKind::Corrupt, "corrupt GIF data: the file holds no image");
    } else {
      fail(ErrorKind::Corrupt,
           "corrupt GIF data: unknown block 0x" + std::to_string(introducer) + " at byte " + std::to_string(pos - 1));
    }
  }
}

void check_bmp(const std::uint8_t* d, std::size_t n) {
  if (n < 26) truncated("BMP", "the header is incomplete");
  const std::uint32_t data_offset = read_le32(d + 10);
  const std::uint32_t header_size = read_le32(d + 14);
  std::uint64_t width, height;
  unsigned bits, compression = 0;
  if (header_size == 12) {
    width = read_le16(d + 18);
    height = read_le16(d + 20);
    bits = read_le16(d + 24);
  } else {
    if (n < 34) truncated("BMP", "the header is incomplete");
    width = static_cast<std::uint64_t>(std::llabs(static_cast<std::int32_t>(read_le32(d + 18))));
    height = static_cast<std::uint64_t>(std::llabs(static_cast<std::int32_t>(read_le32(d + 22))));
    bits = read_le16(d + 28);
    compression = read_le32(d + 30);
  }
  if (compression != 0 && compression != 3) return;  // RLE: size unknown until decoded
  const std::uint64_t row_bytes = ((bits * width + 31) / 32) * 4;
  if (std::uint64_t(data_offset) + row_bytes * height > n)
    truncated("BMP", "the pixel rows run past the end of the data");
}

void check_tga(const std::uint8_t* d, std::size_t n) {
  const int image_type = d[2];
  if (image_type >= 9) return;  // run-length encoded: size unknown until decoded
  const std::uint64_t id_length = d[0];
  const std::uint64_t map_entries = read_le16(d + 5), map_bits = d[7];
  const std::uint64_t width = read_le16(d + 12), height = read_le16(d + 14), bits = d[16];
  const std::uint64_t map_bytes = d[1] ? map_entries * ((map_bits + 7) / 8) : 0;
  if (18 + id_length + map_bytes + width * height * ((bits + 7) / 8) > n)
    truncated("TGA", "the pixel data runs past the end of the data");
}

}  // namespace

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Gif: return "GIF";
    case ImageFormat::Tga: return "TGA";
    case ImageFormat::WebP: return "WebP";
    case ImageFormat::Avif: return "AVIF";
    case ImageFormat::Heic: return "HEIC";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

std::string format_key(ImageFormat format) {
  std::string key = format_name(format);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return key;
}

bool core_decodes(ImageFormat format) {
  return format == ImageFormat::Jpeg || format == ImageFormat::Png || format == ImageFormat::Bmp ||
         format == ImageFormat::Gif || format == ImageFormat::Tga;
}

ImageFormat sniff_format(const std::uint8_t* d, std::size_t n) {
  auto starts = [&](const char* magic, std::size_t offset = 0) {
    const std::size_t len = std::strlen(magic);
    return n >= offset + len && std::memcmp(d + offset, magic, len) == 0;
  };
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return ImageFormat::Jpeg;
  if (starts("\x89PNG\r\n\x1a\n")) return ImageFormat::Png;
  if (starts("GIF87a") || starts("GIF89a")) return ImageFormat::Gif;
  if (starts("BM") && n >= 18) return ImageFormat::Bmp;
  if (starts("RIFF") && starts("WEBP", 8)) return ImageFormat::WebP;
  if (starts("ftyp", 4)) {
    if (starts("avif", 8) || starts("avis", 8)) return ImageFormat::Avif;
    if (starts("heic", 8) || starts("heix", 8) || starts("mif1", 8) || starts("msf1", 8) || starts("hevc", 8))
      return ImageFormat::Heic;
  }
  if (n >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) ||
                 (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42)))
    return ImageFormat::Tiff;
  if (looks_like_tga(d, n)) return ImageFormat::Tga;
  return ImageFormat::Unknown;
}

bool read_declared_size(ImageFormat format, const std::uint8_t* d, std::size_t n, std::uint32_t& width,
                        std::uint32_t& height) {
  switch (format) {
    case ImageFormat::Png:
      if (n < 24) return false;
      width = read_be32(d + 16);
      height = read_be32(d + 20);
      return true;
    case ImageFormat::Gif:
      if (n < 10) return false;
      width = read_le16(d + 6);
      height = read_le16(d + 8);
      return true;
    case ImageFormat::Tga:
      width = read_le16(d + 12);
      height = read_le16(d + 14);
      return true;
    case ImageFormat::Bmp: {
      if (n < 26) return false;
      if (read_le32(d + 14) == 12) {
        width = read_le16(d + 18);
        height = read_le16(d + 20);
      } else {
        width = static_cast<std::uint32_t>(std::llabs(static_cast<std::int32_t>(read_le32(d + 18))));
        height = static_cast<std::uint32_t>(std::llabs(static_cast<std::int32_t>(read_le32(d + 22))));
      }
      return true;
    }
    case ImageFormat::Jpeg: {
      // The frame header (SOF0..SOF15 except DHT, JPG and DAC) holds the size.
      std::size_t pos = 2;
      while (pos + 9 <= n && d[pos] == 0xFF) {
        const std::uint8_t marker = d[pos + 1];
        if (marker == 0xFF) {
          ++pos;
          continue;
        }
        if (marker == 0xDA || marker == 0xD9) return false;
        const std::size_t length = (std::size_t(d[pos + 2]) << 8) | d[pos + 3];
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
          height = (std::uint32_t(d[pos + 5]) << 8) | d[pos + 6];
          width = (std::uint32_t(d[pos + 7]) << 8) | d[pos + 8];
          return true;
        }
        if (length < 2) return false;
        pos += 2 + length;
      }
      return false;
    }
    default: return false;
  }
}

void check_complete(ImageFormat format, const std::uint8_t* data, std::size_t size) {
  switch (format) {
    case ImageFormat::Jpeg: return check_jpeg(data, size);
    case ImageFormat::Png: return check_png(data, size);
    case ImageFormat::Gif: return check_gif(data, size);
    case ImageFormat::Bmp: return check_bmp(data, size);
    case ImageFormat::Tga: return check_tga(data, size);
    default: return;
  }
}

}  // namespace lookalike
