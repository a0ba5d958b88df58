// The pixel hash tells identical pictures from different ones; the perceptual
// hash keeps look-alikes close and unrelated pictures far apart.
#include <catch2/catch.hpp>

#include "cli_test_support.h"
#include "common/base64.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/resize.h"
#include "prep/perceptual_hash.h"
#include "prep/pixel_hash.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

TEST_CASE("pixel_hash depends on every pixel and on the size", "[hashes]") {
  const Image a = distinct_picture(50, 40, 1);
  Image b = a;
  CHECK(pixel_hash(a) == pixel_hash(b));
  CHECK(pixel_hash(a).size() == 32);
  b.rgb[b.rgb.size() - 1] ^= 1;
  CHECK(pixel_hash(a) != pixel_hash(b));
  // Same bytes, other shape.
  Image c(40, 50);
  c.rgb = a.rgb;
  CHECK(pixel_hash(a) != pixel_hash(c));
  // The hash is of decoded pixels: a PNG round trip keeps it.
  const auto png = encode_png(a);
  CHECK(pixel_hash(decode_image(png.data(), png.size()).image) == pixel_hash(a));
}

TEST_CASE("perceptual_hash: look-alikes are close, unrelated pictures far", "[hashes]") {
  const Image original = smooth_picture(160, 120, 7);
  const PerceptualHash h = perceptual_hash(original);

  const Image smaller = resize(original, 100, 75, ResizeFilter::Bilinear);
  CHECK(hamming_distance(h.bits, perceptual_hash(smaller).bits) <= 4);

  const auto jpeg = encode_jpeg(original, 60);
  const Image recompressed = decode_image(jpeg.data(), jpeg.size()).image;
  CHECK(hamming_distance(h.bits, perceptual_hash(recompressed).bits) <= 4);

  const PerceptualHash brighter = perceptual_hash(brightened(original, 20));
  CHECK(hamming_distance(h.bits, brighter.bits) <= 4);
  CHECK(brighter.luma > h.luma);

  int closest = 64;
  for (std::uint32_t seed = 100; seed < 120; ++seed)
    closest = std::min(closest, hamming_distance(h.bits, perceptual_hash(smooth_picture(160, 120, seed)).bits));
  CHECK(closest > 12);
}

TEST_CASE("perceptual_hash: flat pictures differ by their luminance", "[hashes]") {
  const PerceptualHash dark = perceptual_hash(grey(64, 64, 20));
  const PerceptualHash light = perceptual_hash(grey(64, 64, 220));
  CHECK(dark.luma == 20);
  CHECK(light.luma == 220);
}

TEST_CASE("hamming_distance counts differing bits", "[hashes]") {
  CHECK(hamming_distance(0, 0) == 0);
  CHECK(hamming_distance(0, ~0ull) == 64);
  CHECK(hamming_distance(0xF0, 0x0F) == 8);
}

TEST_CASE("base64_encode follows RFC 4648", "[base64]") {
  auto enc = [](const std::string& s) {
    return base64_encode(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  CHECK(enc("") == "");
  CHECK(enc("f") == "Zg==");
  CHECK(enc("fo") == "Zm8=");
  CHECK(enc("foo") == "Zm9v");
  CHECK(enc("foobar") == "Zm9vYmFy");
  CHECK(base64_encode({0xFF, 0xFE, 0x00}) == "//4A");
}
