#include "support/test_images.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "lookalike/image/decode.h"

namespace lookalike::testing {
namespace {

void put_be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(std::uint8_t(v >> s));
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

void png_chunk(Bytes& out, const char* type, const Bytes& body) {
  put_be32(out, std::uint32_t(body.size()));
  Bytes typed(type, type + 4);
  typed.insert(typed.end(), body.begin(), body.end());
  out.insert(out.end(), typed.begin(), typed.end());
  put_be32(out, crc32(typed.data(), typed.size()));
}

Bytes zlib_stored(const Bytes& raw) {
  Bytes out{0x78, 0x01};
  std::size_t pos = 0;
  do {
    const std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
    const bool last = pos + len == raw.size();
    out.push_back(last ? 1 : 0);
    out.push_back(std::uint8_t(len));
    out.push_back(std::uint8_t(len >> 8));
    out.push_back(std::uint8_t(~len));
    out.push_back(std::uint8_t(~len >> 8));
    out.insert(out.end(), raw.begin() + std::ptrdiff_t(pos), raw.begin() + std::ptrdiff_t(pos + len));
    pos += len;
  } while (pos < raw.size());
  std::uint32_t a = 1, b = 0;
  for (std::uint8_t x : raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  put_be32(out, (b << 16) | a);
  return out;
}

}  // namespace

Image make_pattern(int width, int height, int seed) {
  Image image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.at(x, y);
      p[0] = std::uint8_t((x * 255) / std::max(1, width - 1));
      p[1] = std::uint8_t((y * 255) / std::max(1, height - 1));
      p[2] = std::uint8_t(((x / 4 + y / 4 + seed) % 2) ? 200 : 40);
      if (x < width / 3 && y < height / 3) p[0] = p[1] = std::uint8_t(30 + 50 * (seed % 4));
    }
  return image;
}

Image solid(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  Image image(width, height);
  for (std::size_t i = 0; i < image.pixel_count(); ++i) {
    image.rgb[i * 3] = r;
    image.rgb[i * 3 + 1] = g;
    image.rgb[i * 3 + 2] = b;
  }
  return image;
}

Bytes encode_png_raw(int width, int height, int colour_type, int bit_depth, const Bytes& samples,
                     const Bytes& palette_rgb, const Bytes& palette_alpha) {
  const int channels = colour_type == 0 ? 1 : colour_type == 2 ? 3 : colour_type == 3 ? 1 : colour_type == 4 ? 2 : 4;
  const std::size_t row_bytes = (std::size_t(width) * channels * bit_depth + 7) / 8;
  if (samples.size() != row_bytes * height) throw std::invalid_argument("encode_png_raw: wrong sample count");
  Bytes out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes header;
  put_be32(header, std::uint32_t(width));
  put_be32(header, std::uint32_t(height));
  header.insert(header.end(), {std::uint8_t(bit_depth), std::uint8_t(colour_type), 0, 0, 0});
  png_chunk(out, "IHDR", header);
  if (!palette_rgb.empty()) png_chunk(out, "PLTE", palette_rgb);
  if (!palette_alpha.empty()) png_chunk(out, "tRNS", palette_alpha);
  Bytes raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), samples.begin() + std::ptrdiff_t(y * row_bytes),
               samples.begin() + std::ptrdiff_t((y + 1) * row_bytes));
  }
  png_chunk(out, "IDAT", zlib_stored(raw));
  png_chunk(out, "IEND", {});
  return out;
}

Bytes encode_gif(int width, int height, const Bytes& palette_rgb, const Bytes& indices, int frames) {
  // 256-entry global table; 8-bit codes plus clear (256) and end (257) need 9 bits.
  Bytes out{'G', 'I', 'F', '8', '9', 'a'};
  out.insert(out.end(), {std::uint8_t(width), std::uint8_t(width >> 8), std::uint8_t(height), std::uint8_t(height >> 8),
                         0xF7, 0, 0});
  Bytes table = palette_rgb;
  table.resize(256 * 3, 0);
  out.insert(out.end(), table.begin(), table.end());
  for (int f = 0; f < frames; ++f) {
    out.insert(out.end(), {0x2C, 0, 0, 0, 0, std::uint8_t(width), std::uint8_t(width >> 8), std::uint8_t(height),
                           std::uint8_t(height >> 8), 0});
    out.push_back(8);  // LZW minimum code size
    Bytes codes;
    std::uint32_t bit_buffer = 0;
    int bits = 0;
    auto emit = [&](unsigned code) {
      bit_buffer |= code << bits;
      bits += 9;
      while (bits >= 8) {
        codes.push_back(std::uint8_t(bit_buffer));
        bit_buffer >>= 8;
        bits -= 8;
      }
    };
    emit(256);
    int since_clear = 0;
    for (std::uint8_t index : indices) {
      // Every literal adds a dictionary entry; clear well before the width would grow to 10 bits.
      if (since_clear == 200) {
        emit(256);
        since_clear = 0;
      }
      emit(f == 0 ? index : std::uint8_t(255 - index));
      ++since_clear;
    }
    emit(257);
    if (bits > 0) codes.push_back(std::uint8_t(bit_buffer));
    for (std::size_t pos = 0; pos < codes.size(); pos += 255) {
      const std::size_t len = std::min<std::size_t>(255, codes.size() - pos);
      out.push_back(std::uint8_t(len));
      out.insert(out.end(), codes.begin() + std::ptrdiff_t(pos), codes.begin() + std::ptrdiff_t(pos + len));
    }
    out.push_back(0);
  }
  out.push_back(0x3B);
  return out;
}

Bytes with_exif_orientation(const Bytes& jpeg, int orientation, bool big_endian) {
  Bytes tiff;
  // Byte by byte: GCC 12 warns (falsely) about inserting small initializer lists.
  auto u16 = [&](unsigned v) {
    for (int i = 0; i < 2; ++i) tiff.push_back(std::uint8_t(v >> (big_endian ? 8 - 8 * i : 8 * i)));
  };
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) tiff.push_back(std::uint8_t(v >> (big_endian ? 24 - 8 * i : 8 * i)));
  };
  tiff.push_back(big_endian ? 'M' : 'I');
  tiff.push_back(big_endian ? 'M' : 'I');
  u16(42);
  u32(8);
  u16(2);  // two entries: a harmless one first, then Orientation
  u16(0x010F);
  u16(2);
  u32(4);
  u32(0);  // Make, ASCII, in-line (empty)
  u16(0x0112);
  u16(3);
  u32(1);
  u16(unsigned(orientation));
  u16(0);
  u32(0);  // no next IFD
  Bytes segment{0xFF, 0xE1};
  const std::size_t length = 2 + 6 + tiff.size();
  segment.push_back(std::uint8_t(length >> 8));
  segment.push_back(std::uint8_t(length));
  segment.insert(segment.end(), {'E', 'x', 'i', 'f', 0, 0});
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  // The APP1 segment goes right after SOI (the first two bytes).
  Bytes out = jpeg;
  out.insert(out.begin() + 2, segment.begin(), segment.end());
  return out;
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Image decode_for_need(const Bytes& bytes, const DecodeNeed& need) {
  DecodeOptions options;
  options.need = need;
  return decode_image(bytes.data(), bytes.size(), options).image;
}

std::string read_text_file(const std::string& path) {
  const Bytes bytes = read_file(path);
  return std::string(bytes.begin(), bytes.end());
}

Bytes encode_with_stb(StbWriter writer, const Image& image) {
  Bytes out;
  auto append = [](void* ctx, void* data, int size) {
    auto* b = static_cast<Bytes*>(ctx);
    b->insert(b->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
  };
  if (!writer(append, &out, image.width, image.height, 3, image.rgb.data())) out.clear();
  return out;
}

}  // namespace lookalike::testing
