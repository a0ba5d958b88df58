#include <catch2/catch.hpp>

#include <random>

#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "support/test_images.h"

#include <stb/stb_image_write.h>

using namespace lookalike;
using namespace lookalike::testing;

namespace {

Bytes encode_with(int (*writer)(stbi_write_func*, void*, int, int, int, const void*), const Image& image) {
  Bytes out;
  auto append = [](void* ctx, void* data, int size) {
    auto* b = static_cast<Bytes*>(ctx);
    b->insert(b->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
  };
  REQUIRE(writer(append, &out, image.width, image.height, 3, image.rgb.data()));
  return out;
}

DecodedImage decode(const Bytes& bytes, const DecodeOptions& options = {}) {
  return decode_image(bytes.data(), bytes.size(), options);
}

std::string decode_error(const Bytes& bytes, const DecodeOptions& options = {}) {
  try {
    decode(bytes, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("PNG RGB decodes losslessly") {
  const Image image = make_pattern(37, 23);
  const DecodedImage d = decode(encode_png(image));
  CHECK(d.format == ImageFormat::Png);
  CHECK(d.image.width == 37);
  CHECK(d.image.height == 23);
  CHECK(d.image.rgb == image.rgb);
}

TEST_CASE("BMP and TGA decode losslessly") {
  const Image image = make_pattern(19, 11, 2);
  const DecodedImage bmp = decode(encode_with(stbi_write_bmp_to_func, image));
  CHECK(bmp.format == ImageFormat::Bmp);
  CHECK(bmp.image.rgb == image.rgb);
  const DecodedImage tga = decode(encode_with(stbi_write_tga_to_func, image));
  CHECK(tga.format == ImageFormat::Tga);
  CHECK(tga.image.rgb == image.rgb);
}

TEST_CASE("JPEG decodes close to the original") {
  const Image image = make_pattern(64, 48);
  const DecodedImage d = decode(encode_jpeg(image, 95));
  CHECK(d.format == ImageFormat::Jpeg);
  REQUIRE(d.image.rgb.size() == image.rgb.size());
  double error = 0;
  for (std::size_t i = 0; i < image.rgb.size(); ++i) error += std::abs(int(d.image.rgb[i]) - int(image.rgb[i]));
  CHECK(error / double(image.rgb.size()) < 8.0);
}

TEST_CASE("grey PNG expands to equal RGB channels") {
  Bytes grey(16 * 8);
  for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = std::uint8_t(i * 2);
  const DecodedImage d = decode(encode_png_raw(16, 8, 0, 8, grey));
  REQUIRE(d.image.pixel_count() == grey.size());
  for (std::size_t i = 0; i < grey.size(); ++i) {
    CHECK(d.image.rgb[i * 3] == grey[i]);
    CHECK(d.image.rgb[i * 3 + 1] == grey[i]);
    CHECK(d.image.rgb[i * 3 + 2] == grey[i]);
  }
}

TEST_CASE("16-bit PNG keeps the high byte") {
  Bytes samples;  // 4×2 RGB, 16 bits per sample, big-endian
  std::vector<int> values;
  for (int i = 0; i < 4 * 2 * 3; ++i) {
    const int v = (i * 2731 + 17) & 0xFFFF;
    values.push_back(v);
    samples.push_back(std::uint8_t(v >> 8));
    samples.push_back(std::uint8_t(v));
  }
  const DecodedImage d = decode(encode_png_raw(4, 2, 2, 16, samples));
  REQUIRE(d.image.rgb.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(int(d.image.rgb[i]) == (values[i] >> 8));
}

TEST_CASE("alpha is composited onto white") {
  // RGBA: opaque red, transparent black, half-transparent blue.
  const Bytes rgba{255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 128};
  const DecodedImage d = decode(encode_png_raw(3, 1, 6, 8, rgba));
  CHECK(d.had_alpha);
  const Bytes expected{255, 0, 0, 255, 255, 255, 127, 127, 255};
  CHECK(d.image.rgb == std::vector<std::uint8_t>(expected.begin(), expected.end()));

  // Grey + alpha.
  const DecodedImage ga = decode(encode_png_raw(2, 1, 4, 8, Bytes{100, 255, 100, 0}));
  CHECK(ga.image.rgb == std::vector<std::uint8_t>{100, 100, 100, 255, 255, 255});
}

TEST_CASE("palette PNG with transparency") {
  const Bytes palette{10, 20, 30, 200, 100, 50};
  const Bytes alpha{255, 0};
  const DecodedImage d = decode(encode_png_raw(2, 1, 3, 8, Bytes{0, 1}, palette, alpha));
  CHECK(d.image.rgb == std::vector<std::uint8_t>{10, 20, 30, 255, 255, 255});
}

TEST_CASE("GIF decodes its first frame") {
  const int w = 30, h = 20;
  Bytes palette;
  for (int i = 0; i < 256; ++i)
    palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(255 - i), std::uint8_t(i / 2)});
  Bytes indices(w * h);
  for (int i = 0; i < w * h; ++i) indices[i] = std::uint8_t((i * 7) % 256);
  const DecodedImage d = decode(encode_gif(w, h, palette, indices, 2));
  CHECK(d.format == ImageFormat::Gif);
  REQUIRE(d.image.pixel_count() == std::size_t(w * h));
  for (int i = 0; i < w * h; ++i) {
    CHECK(d.image.rgb[i * 3] == palette[indices[i] * 3]);
    CHECK(d.image.rgb[i * 3 + 1] == palette[indices[i] * 3 + 1]);
  }
}

TEST_CASE("a header claiming 100000×100000 pixels is refused before decoding") {
  // A valid 1×1 PNG whose IHDR is rewritten to claim 100000×100000: if the
  // decoder tried to allocate 30 GB this test would fail or crash.
  Bytes png = encode_png(solid(1, 1, 1, 2, 3));
  auto put = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = std::uint8_t(v >> (24 - 8 * i));
  };
  put(16, 100000);
  put(20, 100000);
  const std::string message = decode_error(png);
  CHECK_THAT(message, Catch::Contains("100000×100000") && Catch::Contains("over the limit of 64.0 megapixels"));

  DecodeOptions small;
  small.max_pixels = 100;
  CHECK_THAT(decode_error(encode_png(solid(20, 20, 0, 0, 0)), small), Catch::Contains("over the limit"));
}

TEST_CASE("empty, truncated, random and unsupported data are refused with a reason") {
  CHECK_THAT(decode_error({}), Catch::Contains("empty"));

  const Bytes jpeg = encode_jpeg(make_pattern(40, 30), 90);
  const Bytes png = encode_png(make_pattern(40, 30));
  Bytes bmp;
  {
    const Image image = make_pattern(40, 30);
    auto append = [](void* ctx, void* data, int size) {
      auto* b = static_cast<Bytes*>(ctx);
      b->insert(b->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
    };
    stbi_write_bmp_to_func(append, &bmp, 40, 30, 3, image.rgb.data());
  }
  Bytes palette(256 * 3, 7);
  const Bytes gif = encode_gif(40, 30, palette, Bytes(40 * 30, 3));
  for (const Bytes* whole : std::vector<const Bytes*>{&jpeg, &png, &bmp, &gif}) {
    // Every cut point that removes real data must be refused, never decoded.
    const std::size_t last = whole == &gif ? whole->size() - 1 : whole->size();  // a GIF's trailer is optional
    for (std::size_t cut = 1; cut < last; cut += (cut < 64 ? 1 : 7)) {
      const Bytes part(whole->begin(), whole->begin() + std::ptrdiff_t(cut));
      INFO("format " << format_name(sniff_format(whole->data(), whole->size())) << ", cut at " << cut << " of "
                     << whole->size());
      CHECK_FALSE(decode_error(part).empty());
    }
  }
  CHECK_THAT(decode_error(Bytes(jpeg.begin(), jpeg.end() - 10)), Catch::Contains("truncated JPEG"));
  CHECK_THAT(decode_error(Bytes(png.begin(), png.end() - 20)), Catch::Contains("truncated PNG"));

  std::mt19937 rng(1234);
  for (int trial = 0; trial < 200; ++trial) {
    Bytes noise(1 + rng() % 4096);
    for (auto& b : noise) b = std::uint8_t(rng());
    CHECK_FALSE(decode_error(noise).empty());
  }

  Bytes webp{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
  CHECK_THAT(decode_error(webp), Catch::Contains("WebP images are not supported"));
  Bytes heic{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'};
  CHECK_THAT(decode_error(heic), Catch::Contains("HEIC"));
  CHECK_THAT(decode_error(Bytes{'h', 'e', 'l', 'l', 'o'}), Catch::Contains("unrecognised image format"));
}

TEST_CASE("corrupt bytes inside a complete JPEG give an error or an image, never a crash") {
  const Bytes jpeg = encode_jpeg(make_pattern(48, 32), 80);
  std::mt19937 rng(99);
  for (int trial = 0; trial < 300; ++trial) {
    Bytes damaged = jpeg;
    for (int k = 0; k < 4; ++k) damaged[2 + rng() % (damaged.size() - 4)] = std::uint8_t(rng());
    try {
      const DecodedImage d = decode(damaged);
      CHECK(d.image.rgb.size() == d.image.pixel_count() * 3);
    } catch (const Error& e) {
      CHECK(std::string(e.what()).size() > 0);
    }
  }
}
