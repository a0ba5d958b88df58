#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "image/jpeg_decoder.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/exif_orientation.h"
#include "support/test_images.h"
#include "support/test_photos.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

Bytes encode_with(StbWriter writer, const Image& image) {
  Bytes out = encode_with_stb(writer, image);
  REQUIRE(!out.empty());
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

TEST_CASE("reduction factors keep every bound of the need") {
  CHECK(reduction_factor(4032, 3024, {}) == 1);
  CHECK(reduction_factor(4032, 3024, {512, 0}) == 5);  // ceil(3024 / 5) = 605 ≥ 512; / 6 = 504 < 512
  CHECK(reduction_factor(3024, 4032, {512, 0}) == 5);  // orientation does not matter
  CHECK(reduction_factor(4032, 3024, {0, 384}) == 10);
  CHECK(reduction_factor(4032, 3024, {64, 384}) == 10);
  CHECK(reduction_factor(384, 256, {0, 384}) == 1);
  CHECK(reduction_factor(384, 256, {64, 0}) == 4);
  CHECK(reduction_factor(100, 80, {200, 0}) == 1);  // never enlarged
  CHECK(reduction_factor(60000, 60000, {1, 0}) == kMaxReduction);
  CHECK(reduced_side(3024, 8) == 378);
  CHECK(reduced_side(4033, 8) == 505);
}

TEST_CASE("a large JPEG is decoded at a reduced DCT scale, then area-filtered") {
  const Image image = make_pattern(800, 600, 3);
  const Bytes jpeg = encode_jpeg(image, 92);
  DecodeOptions options;
  options.need = {150, 0};  // factor 4: the DCT's 1/4, no area filter
  const DecodedImage quarter = decode(jpeg, options);
  CHECK(quarter.reduction == 4);
  CHECK(quarter.jpeg_scale == 4);
  CHECK(quarter.image.width == 200);
  CHECK(quarter.image.height == 150);
  CHECK(quarter.stored_width == 800);
  CHECK(quarter.stored_height == 600);

  options.need = {37, 0};  // factor 16: the DCT's 1/8, then 2 × 2 averages
  const DecodedImage sixteenth = decode(jpeg, options);
  CHECK(sixteenth.reduction == 16);
  CHECK(sixteenth.jpeg_scale == 8);
  CHECK(sixteenth.image.width == 50);
  CHECK(sixteenth.image.height == 38);  // ceil(600 / 16)

  // The reduced decode stays close to averaging the full decode.
  options.need = {150, 0};
  const Image full = decode(jpeg).image;
  double difference = 0;
  for (int y = 0; y < 150; ++y)
    for (int x = 0; x < 200; ++x)
      for (int c = 0; c < 3; ++c) {
        int sum = 0;
        for (int dy = 0; dy < 4; ++dy)
          for (int dx = 0; dx < 4; ++dx) sum += full.at(4 * x + dx, 4 * y + dy)[c];
        difference += std::abs(quarter.image.at(x, y)[c] - sum / 16.0);
      }
  CHECK(difference / (200 * 150 * 3) < 3.0);
}

TEST_CASE("other formats are reduced by the area filter alone, exactly") {
  const Image image = make_pattern(103, 61, 4);
  DecodeOptions options;
  options.need = {20, 0};  // factor 3: 35 × 21, the last column and row average what they have
  const DecodedImage d = decode(encode_png(image), options);
  CHECK(d.reduction == 3);
  CHECK(d.jpeg_scale == 1);
  REQUIRE(d.image.width == 35);
  REQUIRE(d.image.height == 21);
  for (const auto& [x, y] : std::vector<std::pair<int, int>>{{0, 0}, {10, 7}, {34, 20}, {34, 0}, {0, 20}})
    for (int c = 0; c < 3; ++c) {
      int sum = 0, count = 0;
      for (int sy = 3 * y; sy < std::min(61, 3 * y + 3); ++sy)
        for (int sx = 3 * x; sx < std::min(103, 3 * x + 3); ++sx, ++count) sum += image.at(sx, sy)[c];
      INFO("pixel " << x << "," << y << " channel " << c);
      CHECK(int(d.image.at(x, y)[c]) == (sum + count / 2) / count);
    }
}

TEST_CASE("EXIF orientation applies after the reduction") {
  const Bytes jpeg = with_exif_orientation(encode_jpeg(make_pattern(640, 480, 5), 90), 6);
  DecodeOptions options;
  options.need = {120, 0};  // factor 4
  const DecodedImage d = decode(jpeg, options);
  CHECK(d.exif_orientation == 6);
  CHECK(d.image.width == 120);  // upright: portrait
  CHECK(d.image.height == 160);
  options.apply_exif_orientation = false;
  const DecodedImage stored = decode(jpeg, options);
  CHECK(stored.image.width == 160);
  CHECK(apply_orientation(stored.image, 6).rgb == d.image.rgb);
}

TEST_CASE("a JPEG whose entropy data libjpeg must fill in is refused, not returned part grey") {
  const Bytes jpeg = encode_jpeg(make_pattern(64, 48, 6), 90);
  // Find the scan's entropy data (after SOS) and overwrite a stretch of it
  // with a marker libjpeg does not expect there.
  std::size_t sos = 2;
  while (sos + 4 < jpeg.size() && !(jpeg[sos] == 0xFF && jpeg[sos + 1] == 0xDA))
    sos += 2 + ((std::size_t(jpeg[sos + 2]) << 8) | jpeg[sos + 3]);
  REQUIRE(sos + 4 < jpeg.size());
  const std::size_t data = sos + 2 + ((std::size_t(jpeg[sos + 2]) << 8) | jpeg[sos + 3]);
  Bytes damaged(jpeg.begin(), jpeg.begin() + std::ptrdiff_t(data + 40));
  damaged.push_back(0xFF);
  damaged.push_back(0xD9);  // the image ends after 40 bytes of its data
  CHECK_THAT(decode_error(damaged), Catch::Contains("corrupt JPEG data"));
}

TEST_CASE("a progressive JPEG with hundreds of repeated scans is refused") {
  const Bytes jpeg = encode_camera_jpeg(make_pattern(64, 48, 7), {90, true});
  REQUIRE(decode(jpeg).image.width == 64);
  // The first scan (DC, SOS to the next marker) repeated 600 times: each
  // repeat decodes (libjpeg only warns that the progression is odd), so only
  // a limit on the number of scans stops the decoder.
  std::size_t first_sos = 0;
  while (first_sos + 1 < jpeg.size() && !(jpeg[first_sos] == 0xFF && jpeg[first_sos + 1] == 0xDA)) ++first_sos;
  REQUIRE(first_sos + 1 < jpeg.size());
  std::size_t end = first_sos + 2 + ((std::size_t(jpeg[first_sos + 2]) << 8) | jpeg[first_sos + 3]);
  while (end + 1 < jpeg.size() &&
         !(jpeg[end] == 0xFF && jpeg[end + 1] != 0 && (jpeg[end + 1] < 0xD0 || jpeg[end + 1] > 0xD7)))
    ++end;
  const Bytes scan(jpeg.begin() + std::ptrdiff_t(first_sos), jpeg.begin() + std::ptrdiff_t(end));
  auto repeated = [&](int times) {
    Bytes out(jpeg.begin(), jpeg.begin() + std::ptrdiff_t(end));
    for (int k = 0; k < times; ++k) out.insert(out.end(), scan.begin(), scan.end());
    out.insert(out.end(), jpeg.begin() + std::ptrdiff_t(end), jpeg.end());
    return out;
  };
  CHECK(decode(repeated(400)).image.width == 64);  // repeats decode: the limit is what stops 600
  CHECK_THAT(decode_error(repeated(600)), Catch::Contains("more than 500 scans"));
}

TEST_CASE("a greyscale JPEG decodes to equal RGB channels, at full size and reduced") {
  const Image image = make_pattern(64, 40, 10);
  const Bytes jpeg = encode_camera_jpeg(image, {95, false, true});
  for (const DecodeNeed need : {DecodeNeed{}, DecodeNeed{10, 0}}) {
    DecodeOptions options;
    options.need = need;
    const DecodedImage d = decode(jpeg, options);
    CHECK(d.image.width == reduced_side(64, d.reduction));
    for (std::size_t i = 0; i < d.image.pixel_count(); ++i) {
      CHECK(d.image.rgb[i * 3] == d.image.rgb[i * 3 + 1]);
      CHECK(d.image.rgb[i * 3] == d.image.rgb[i * 3 + 2]);
    }
  }
  const ImageInfo info = read_image_info(jpeg.data(), jpeg.size());
  CHECK(info.channels == 1);
}

TEST_CASE("baseline and progressive camera JPEGs decode to the same pixels") {
  const Image image = make_pattern(333, 211, 8);
  const Image baseline = decode(encode_camera_jpeg(image, {90, false})).image;
  const Image progressive = decode(encode_camera_jpeg(image, {90, true})).image;
  CHECK(baseline.rgb == progressive.rgb);  // same coefficients, only their order in the file differs
}

TEST_CASE("a progressive JPEG decoded at 1/8 from its DC scans alone gives the pixels of all its scans") {
  // White-box (image/jpeg_decoder.h): the AC scans a 1/8 decode leaves out
  // change nothing it outputs, for colour, grey, odd sizes and EXIF files.
  std::vector<Bytes> files = {
      encode_camera_jpeg(make_pattern(333, 211, 11), {90, true}),
      encode_camera_jpeg(make_pattern(64, 64, 12), {75, true, true}),
      with_exif_orientation(encode_camera_jpeg(make_pattern(97, 130, 13), {95, true}), 6),
  };
  if (!darknet_photos().empty()) files.push_back(encode_camera_jpeg(photo_mosaic(1000, 700), {92, true}));
  for (std::size_t i = 0; i < files.size(); ++i) {
    INFO("file " << i);
    const Image needed = decode_jpeg(files[i].data(), files[i].size(), 8, JpegScans::Needed);
    const Image all = decode_jpeg(files[i].data(), files[i].size(), 8, JpegScans::All);
    CHECK(needed.width == all.width);
    CHECK(needed.rgb == all.rgb);
  }
  // Baseline files have no scans to leave out.
  const Bytes baseline = encode_camera_jpeg(make_pattern(120, 90, 14), {90, false});
  CHECK(decode_jpeg(baseline.data(), baseline.size(), 8).rgb ==
        decode_jpeg(baseline.data(), baseline.size(), 8, JpegScans::All).rgb);
}
