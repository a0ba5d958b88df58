#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>

#include "features/colour_texture.h"
#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"
#include "lookalike/metrics/metric.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

using Blocks = std::array<ColourTextureFeature::Block, 6>;

double block_norm(const std::vector<float>& v, const ColourTextureFeature::Block& block) {
  double squares = 0;
  for (std::size_t i = block.offset; i < block.offset + block.size; ++i) squares += double(v[i]) * v[i];
  return std::sqrt(squares);
}

void check_well_formed(const std::vector<float>& v) {
  REQUIRE(v.size() == ColourTextureFeature::kDim);
  for (float x : v) {
    REQUIRE(std::isfinite(x));
    REQUIRE(x >= 0.0f);
  }
  for (const auto& block : ColourTextureFeature::blocks()) {
    INFO("block " << block.name);
    CHECK(block_norm(v, block) == Approx(block.weight).epsilon(1e-5));
  }
}

// A photo-like scene: a sky gradient over a noisy, textured ground.
Image landscape(int width, int height, unsigned seed) {
  Image image(width, height);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-25, 25);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.at(x, y);
      if (y < height * 2 / 5) {
        p[0] = std::uint8_t(90 + y / 4);
        p[1] = std::uint8_t(140 + y / 4);
        p[2] = 230;
      } else {
        const int n = noise(rng);
        p[0] = std::uint8_t(std::clamp(60 + n, 0, 255));
        p[1] = std::uint8_t(std::clamp(130 + n + ((x / 3 + y / 5) % 2) * 20, 0, 255));
        p[2] = std::uint8_t(std::clamp(40 + n / 2, 0, 255));
      }
    }
  return image;
}

// Something else entirely: orange and dark stripes with a grey disc.
Image stripes(int width, int height) {
  Image image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.at(x, y);
      const bool stripe = ((x + y) / 7) % 2 == 0;
      p[0] = stripe ? 230 : 50;
      p[1] = stripe ? 140 : 30;
      p[2] = stripe ? 20 : 20;
      const int dx = x - width / 2, dy = y - height / 2;
      if (dx * dx + dy * dy < height * height / 9) p[0] = p[1] = p[2] = 128;
    }
  return image;
}

Image shifted(const Image& image, int dx, int dy) {
  Image out(image.width, image.height);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      const int sx = std::clamp(x + dx, 0, image.width - 1), sy = std::clamp(y + dy, 0, image.height - 1);
      std::memcpy(out.at(x, y), image.at(sx, sy), 3);
    }
  return out;
}

Image brightened(const Image& image, int amount) {
  Image out = image;
  for (auto& c : out.rgb) c = std::uint8_t(std::clamp(int(c) + amount, 0, 255));
  return out;
}

}  // namespace

TEST_CASE("colour-texture: spec, version, dimension and registry round trip") {
  const auto feature = make_feature("colour-texture");
  CHECK(feature->name() == "colour-texture");
  CHECK(feature->spec() == "colour-texture");
  CHECK(feature->version() == 1);
  CHECK(feature->dim() == 780);
  CHECK(make_feature(feature->spec())->spec() == feature->spec());
  CHECK(make_feature("color-texture")->spec() == "colour-texture");
  CHECK(feature_slug("colour-texture") == "colour-texture");
  const auto names = traditional_feature_names();
  CHECK(std::find(names.begin(), names.end(), "colour-texture") != names.end());
  CHECK_THROWS_WITH(make_feature("colour-texture:bins=8x4x4"), Catch::Contains("no parameter \"bins\""));

  // The blocks tile the vector exactly, in order.
  std::size_t next = 0;
  for (const auto& block : ColourTextureFeature::blocks()) {
    CHECK(block.offset == next);
    next += block.size;
  }
  CHECK(next == feature->dim());
}

TEST_CASE("colour-texture: every block has L2 norm equal to its weight") {
  const auto feature = make_feature("colour-texture");
  check_well_formed(feature->compute(landscape(384, 256, 1)));
  check_well_formed(feature->compute(make_pattern(97, 61)));
  double total = 0;
  for (const auto& block : ColourTextureFeature::blocks()) total += double(block.weight) * block.weight;
  const auto v = feature->compute(stripes(200, 150));
  double squares = 0;
  for (float x : v) squares += double(x) * x;
  CHECK(std::sqrt(squares) == Approx(std::sqrt(total)).epsilon(1e-5));
  CHECK(std::sqrt(total) == Approx(std::sqrt(10.25)));
}

TEST_CASE("colour-texture: a flat image, worked out by hand") {
  // Pure red: HSV 8×4×4 bin 15 (h 0, s 3, v 3), every pixel interior; the
  // layout's 8×2×2 bin is 3 in each of the 9 cells; no neighbour is brighter,
  // so every texture scale has everything in LBP bin 0.
  const auto v = make_feature("colour-texture")->compute(solid(40, 30, 255, 0, 0));
  const Blocks& blocks = ColourTextureFeature::blocks();
  std::vector<float> want(ColourTextureFeature::kDim, 0.0f);
  want[blocks[0].offset + 15] = 1.0f;
  for (int cell = 0; cell < 9; ++cell) want[blocks[1].offset + cell * 32 + 3] = 0.5f / 3.0f;
  for (int level = 0; level < 4; ++level) want[blocks[2 + level].offset] = 1.5f;
  REQUIRE(v.size() == want.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    INFO("element " << i);
    CHECK(v[i] == Approx(want[i]).margin(1e-6));
  }
}

TEST_CASE("colour-texture: border pixels of a two-colour image are counted apart") {
  // 10×4, left half red, right half blue: columns 4 and 5 touch the other
  // colour (8 border pixels, 4 of each colour), the other 32 are interior.
  Image image = solid(10, 4, 255, 0, 0);
  for (int y = 0; y < 4; ++y)
    for (int x = 5; x < 10; ++x) image.at(x, y)[0] = 0, image.at(x, y)[2] = 255;
  const auto v = make_feature("colour-texture")->compute(image);
  const std::size_t red = 15, blue = 5 * 16 + 15, border = 128;
  // Shares 16/40 (interior) and 4/40 (border), raised to 0.375, unit norm.
  const double interior_value = std::pow(16.0 / 40, 0.375), border_value = std::pow(4.0 / 40, 0.375);
  const double norm = std::sqrt(2 * interior_value * interior_value + 2 * border_value * border_value);
  CHECK(v[red] == Approx(interior_value / norm).epsilon(1e-5));
  CHECK(v[blue] == Approx(interior_value / norm).epsilon(1e-5));
  CHECK(v[border + red] == Approx(border_value / norm).epsilon(1e-5));
  CHECK(v[border + blue] == Approx(border_value / norm).epsilon(1e-5));
}

TEST_CASE("colour-texture: tiny, thin and large images never fail") {
  const auto feature = make_feature("colour-texture");
  for (const auto& size :
       std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {3, 2}, {1, 500}, {500, 1}, {2, 2}, {7, 5}}) {
    INFO(size.first << "×" << size.second);
    check_well_formed(feature->compute(make_pattern(size.first, size.second, 3)));
  }
  for (int w = 1; w <= 12; ++w)
    for (int h = 1; h <= 12; ++h) {
      INFO(w << "×" << h);
      REQUIRE(feature->compute(make_pattern(w, h, w + h)).size() == ColourTextureFeature::kDim);
    }
  // Reductions to a side of 1 or 2 pixels, and a 12-megapixel photo, reduced
  // to 384 on its longer side first.
  check_well_formed(feature->compute(make_pattern(3000, 2, 1)));
  check_well_formed(feature->compute(make_pattern(5, 2000, 1)));
  check_well_formed(feature->compute(make_pattern(4000, 3000)));
}

TEST_CASE("colour-texture: a large image describes like its reduction") {
  // Each pixel of a 384×256 image repeated 2×2: the box reduction gives the
  // same image back, so the vector must be the same.
  const Image small = landscape(384, 256, 7);
  Image large(768, 512);
  for (int y = 0; y < 512; ++y)
    for (int x = 0; x < 768; ++x) std::memcpy(large.at(x, y), small.at(x / 2, y / 2), 3);
  const auto feature = make_feature("colour-texture");
  const auto a = feature->compute(small), b = feature->compute(large);
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("element " << i);
    CHECK(a[i] == Approx(b[i]).margin(1e-6));
  }
}

TEST_CASE("colour-texture: deterministic, also across threads") {
  const auto feature = make_feature("colour-texture");
  const Image image = landscape(300, 200, 3);
  const auto first = feature->compute(image);
  std::vector<std::vector<float>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&] { r = feature->compute(image); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(std::memcmp(r.data(), first.data(), first.size() * sizeof(float)) == 0);
}

TEST_CASE("colour-texture: an image is closer to its shifted or brightened copy than to another image") {
  const auto feature = make_feature("colour-texture");
  const Image original = landscape(384, 256, 11);
  const auto a = feature->compute(original);
  const auto moved = feature->compute(shifted(original, 6, 4));
  const auto brighter = feature->compute(brightened(original, 12));
  const auto other_scene = feature->compute(landscape(384, 256, 12));  // same kind of scene, other noise
  const auto different = feature->compute(stripes(384, 256));
  for (Metric metric : kAllMetrics) {
    INFO(metric_name(metric));
    auto value = [&](const std::vector<float>& b) { return metric_value(metric, a.data(), b.data(), a.size()); };
    CHECK(score_ranks_before(metric, value(moved), value(different)));
    CHECK(score_ranks_before(metric, value(brighter), value(different)));
    CHECK(score_ranks_before(metric, value(other_scene), value(different)));
  }
}

TEST_CASE("colour-texture: an empty image is refused with a message") {
  const auto feature = make_feature("colour-texture");
  try {
    feature->compute(Image());
    FAIL("no error for an empty image");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
    CHECK_THAT(e.what(), Catch::Contains("colour-texture") && Catch::Contains("empty image"));
  }
  Image inconsistent(4, 4);
  inconsistent.rgb.resize(10);
  CHECK_THROWS_AS(feature->compute(inconsistent), Error);
}
