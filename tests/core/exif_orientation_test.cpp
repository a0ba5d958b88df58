#include <catch2/catch.hpp>

#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/exif_orientation.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

// A 4×2 "upright" picture of large flat blocks so JPEG keeps the colours:
// each 16×16 block has its own colour, so any flip or turn is visible.
Image upright() {
  const std::uint8_t colours[8][3] = {{255, 0, 0},   {0, 255, 0},   {0, 0, 255},     {255, 255, 0},
                                      {0, 255, 255}, {255, 0, 255}, {255, 255, 255}, {0, 0, 0}};
  Image image(64, 32);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 64; ++x) {
      const auto* c = colours[(y / 16) * 4 + x / 16];
      std::copy(c, c + 3, image.at(x, y));
    }
  return image;
}

// What a camera stores so that applying `orientation` shows `shown`: the
// inverse transform (orientations 6 and 8 are each other's inverse).
Image stored_for(const Image& shown, int orientation) {
  const int inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation;
  return apply_orientation(shown, inverse);
}

bool close_colour(const std::uint8_t* a, const std::uint8_t* b) {
  for (int c = 0; c < 3; ++c)
    if (std::abs(int(a[c]) - int(b[c])) > 40) return false;
  return true;
}

}  // namespace

TEST_CASE("all eight EXIF orientations come out upright") {
  const Image shown = upright();
  for (int orientation = 1; orientation <= 8; ++orientation) {
    for (bool big_endian : {false, true}) {
      const Bytes jpeg =
          with_exif_orientation(encode_jpeg(stored_for(shown, orientation), 95), orientation, big_endian);
      INFO("orientation " << orientation << (big_endian ? " (Motorola byte order)" : " (Intel byte order)"));
      CHECK(read_jpeg_exif_orientation(jpeg.data(), jpeg.size()) == orientation);
      const DecodedImage d = decode_image(jpeg.data(), jpeg.size());
      REQUIRE(d.image.width == 64);
      REQUIRE(d.image.height == 32);
      for (int by = 0; by < 2; ++by)
        for (int bx = 0; bx < 4; ++bx) {
          INFO("block " << bx << "," << by);
          CHECK(close_colour(d.image.at(bx * 16 + 8, by * 16 + 8), shown.at(bx * 16 + 8, by * 16 + 8)));
        }
      DecodeOptions raw;
      raw.apply_exif_orientation = false;
      const DecodedImage unturned = decode_image(jpeg.data(), jpeg.size(), raw);
      CHECK(unturned.image.width == (orientation >= 5 ? 32 : 64));
    }
  }
}

TEST_CASE("orientation transforms map pixels exactly") {
  Image image(3, 2);
  for (int i = 0; i < 6; ++i) image.rgb[i * 3] = std::uint8_t(i);  // red = index: 0 1 2 / 3 4 5
  auto reds = [](const Image& im) {
    std::vector<int> out;
    for (std::size_t i = 0; i < im.pixel_count(); ++i) out.push_back(im.rgb[i * 3]);
    return out;
  };
  CHECK(reds(apply_orientation(image, 1)) == std::vector<int>{0, 1, 2, 3, 4, 5});
  CHECK(reds(apply_orientation(image, 2)) == std::vector<int>{2, 1, 0, 5, 4, 3});
  CHECK(reds(apply_orientation(image, 3)) == std::vector<int>{5, 4, 3, 2, 1, 0});
  CHECK(reds(apply_orientation(image, 4)) == std::vector<int>{3, 4, 5, 0, 1, 2});
  CHECK(reds(apply_orientation(image, 5)) == std::vector<int>{0, 3, 1, 4, 2, 5});
  CHECK(reds(apply_orientation(image, 6)) == std::vector<int>{3, 0, 4, 1, 5, 2});
  CHECK(reds(apply_orientation(image, 7)) == std::vector<int>{5, 2, 4, 1, 3, 0});
  CHECK(reds(apply_orientation(image, 8)) == std::vector<int>{2, 5, 1, 4, 0, 3});
}

TEST_CASE("malformed EXIF never fails a decode") {
  Bytes jpeg = with_exif_orientation(encode_jpeg(make_pattern(16, 16), 90), 6);
  // Point the IFD offset far past the segment.
  jpeg[2 + 4 + 6 + 4] = 0xFF;
  CHECK(read_jpeg_exif_orientation(jpeg.data(), jpeg.size()) == 1);
  CHECK(decode_image(jpeg.data(), jpeg.size()).image.width == 16);
  const Bytes bad_value = with_exif_orientation(encode_jpeg(make_pattern(16, 16), 90), 9);
  CHECK(read_jpeg_exif_orientation(bad_value.data(), bad_value.size()) == 1);
}
