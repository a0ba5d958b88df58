#include <catch2/catch.hpp>

#include <numeric>

#include "features/colour_histogram.h"
#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

TEST_CASE("pixels feature: a flat image gives its colour everywhere") {
  const auto feature = make_feature("pixels:size=8");
  CHECK(feature->spec() == "pixels:size=8");
  CHECK(feature->dim() == 192);
  const std::vector<float> v = feature->compute(solid(50, 30, 255, 51, 0));
  REQUIRE(v.size() == 192);
  for (std::size_t i = 0; i < v.size(); i += 3) {
    CHECK(v[i] == Approx(1.0f));
    CHECK(v[i + 1] == Approx(0.2f));
    CHECK(v[i + 2] == Approx(0.0f));
  }
  CHECK(make_feature("pixels")->dim() == 64 * 64 * 3);
}

TEST_CASE("HSV bins of known colours") {
  const std::uint8_t red[3] = {255, 0, 0}, green[3] = {0, 255, 0}, blue[3] = {0, 0, 255}, grey[3] = {128, 128, 128},
                     black[3] = {0, 0, 0};
  CHECK(hsv_bin(red, 8, 4, 4) == 15);    // h 0, s 3, v 3
  CHECK(hsv_bin(green, 8, 4, 4) == 47);  // h = 120° → 2, s 3, v 3
  CHECK(hsv_bin(blue, 8, 4, 4) == 95);   // h = 240° → 5, s 3, v 3
  CHECK(hsv_bin(grey, 8, 4, 4) == 2);    // no hue, no saturation, v = 0.502 → 2
  CHECK(hsv_bin(black, 8, 4, 4) == 0);
}

TEST_CASE("colour histogram is L1-normalised and counts pixels") {
  const auto feature = make_feature("colour");
  CHECK(feature->spec() == "colour:bins=8x4x4");
  Image image = solid(10, 10, 255, 0, 0);
  for (int x = 0; x < 10; ++x)
    for (int y = 0; y < 3; ++y) std::fill(image.at(x, y), image.at(x, y) + 3, 0);  // 30 % black
  const std::vector<float> h = feature->compute(image);
  REQUIRE(h.size() == 128);
  CHECK(std::accumulate(h.begin(), h.end(), 0.0) == Approx(1.0));
  CHECK(h[15] == Approx(0.7f));
  CHECK(h[0] == Approx(0.3f));
}

TEST_CASE("feature specs: defaults, slugs and precise errors") {
  CHECK(make_feature("colour:bins=16x4x4")->dim() == 256);
  CHECK(feature_slug("pixels:size=64") == "pixels");
  CHECK(feature_slug("pixels:size=32") == "pixels-32");
  CHECK(feature_slug("colour:bins=16x4x4") == "colour-16x4x4");
  for (const auto& name : traditional_feature_names()) {
    const auto f = make_feature(name);
    CHECK(f->name() == name);
    CHECK(f->version() >= 1);
    CHECK(f->compute(make_pattern(40, 30)).size() == f->dim());
    CHECK(make_feature(f->spec())->spec() == f->spec());
  }
  auto error = [](const std::string& spec) {
    try {
      make_feature(spec);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error("sift"), Catch::Contains("unknown feature \"sift\""));
  CHECK_THAT(error("pixels:size=0"), Catch::Contains("size=0 is not an integer in [1, 1024]"));
  CHECK_THAT(error("pixels:width=3"), Catch::Contains("no parameter \"width\""));
  CHECK_THAT(error("colour:bins=8x4"), Catch::Contains("needs 3 values"));
  CHECK_THAT(error("colour:bins"), Catch::Contains("expected key=value"));
}

TEST_CASE("the traditional features share one decode need on ordinary photos") {
  // The same reduction for a phone photo and none for WANG's 384 × 256, so a
  // photo is decoded once for all of them (vectors/feature_matrix.cpp).
  for (const std::string& name : traditional_feature_names()) {
    const DecodeNeed need = make_feature(name)->decode_need();
    INFO(name);
    CHECK(reduction_factor(4032, 3024, need) == 10);
    CHECK(reduction_factor(384, 256, need) == 1);
  }
  CHECK(make_feature("pixels:size=64")->decode_need() == DecodeNeed{64, 384});
}
