#include <catch2/catch.hpp>

#include <array>
#include <set>

#include "features/local_binary_pattern.h"
#include "support/test_images.h"

using namespace lookalike;

namespace {

GreyPlane plane(int width, int height, std::vector<std::int32_t> values) {
  GreyPlane p;
  p.width = width;
  p.height = height;
  p.values = std::move(values);
  return p;
}

std::array<std::uint32_t, kUniformLbpBins> histogram(const GreyPlane& p, std::int32_t threshold) {
  std::array<std::uint32_t, kUniformLbpBins> h{};
  accumulate_uniform_lbp(p, threshold, h.data());
  return h;
}

}  // namespace

TEST_CASE("uniform LBP bins: 58 uniform codes numbered in order, every other code in bin 58") {
  std::set<int> uniform_bins;
  int others = 0;
  for (int code = 0; code < 256; ++code) {
    const int bin = uniform_lbp_bin(code);
    REQUIRE(bin >= 0);
    REQUIRE(bin < kUniformLbpBins);
    if (bin == 58)
      ++others;
    else
      CHECK(uniform_bins.insert(bin).second);
  }
  CHECK(uniform_bins.size() == 58);
  CHECK(others == 256 - 58);
  CHECK(uniform_lbp_bin(0) == 0);            // flat or a local maximum
  CHECK(uniform_lbp_bin(1) == 1);            // one brighter neighbour: an end point
  CHECK(uniform_lbp_bin(255) == 57);         // a local minimum (dark spot)
  CHECK(uniform_lbp_bin(0b01010101) == 58);  // alternating: not uniform
  CHECK(uniform_lbp_bin(0b00011100) != 58);  // an edge: uniform
}

TEST_CASE("grey plane uses integer Rec. 601 luma") {
  Image image(3, 1);
  const std::uint8_t pixels[] = {255, 255, 255, 0, 0, 0, 255, 0, 0};
  std::copy(std::begin(pixels), std::end(pixels), image.rgb.begin());
  const GreyPlane grey = grey_plane(image);
  REQUIRE(grey.values.size() == 3);
  CHECK(grey.values[0] == 255);
  CHECK(grey.values[1] == 0);
  CHECK(grey.values[2] == (77 * 255 + 128) >> 8);
}

TEST_CASE("halving sums 2×2 blocks, drops an odd edge and never reaches zero size") {
  const GreyPlane p = plane(5, 3,
                            {1, 2, 3, 4, 5,   //
                             6, 7, 8, 9, 10,  //
                             11, 12, 13, 14, 15});
  const GreyPlane h = halve(p);
  CHECK(h.width == 2);
  CHECK(h.height == 1);
  CHECK(h.values == std::vector<std::int32_t>{1 + 2 + 6 + 7, 3 + 4 + 8 + 9});
  const GreyPlane one = halve(plane(1, 1, {7}));
  CHECK(one.width == 1);
  CHECK(one.height == 1);
  CHECK(one.values[0] == 28);  // four times the value, like every other sum
  const GreyPlane column = halve(plane(1, 4, {1, 2, 3, 4}));
  CHECK(column.width == 1);
  CHECK(column.height == 2);
  CHECK(column.values == std::vector<std::int32_t>{6, 14});
}

TEST_CASE("LBP codes of a spot, an edge and a flat area, with the threshold inclusive") {
  // A bright spot in the middle of a dark 3×3 patch.
  const auto spot = histogram(plane(3, 3, {0, 0, 0, 0, 10, 0, 0, 0, 0}), 2);
  CHECK(spot[uniform_lbp_bin(0)] == 1);  // the spot: no neighbour brighter
  // Corners see the spot diagonally (e.g. top-left: its bottom-right, bit 4);
  // clamped neighbours repeat the corner itself, which is never brighter.
  CHECK(spot[uniform_lbp_bin(1 << 4)] == 1);
  CHECK(spot[uniform_lbp_bin(1 << 5)] == 1);  // top middle: the spot is below
  std::uint32_t total = 0;
  for (auto c : spot) total += c;
  CHECK(total == 9);

  // A vertical edge: the column left of it sees TR, R and BR brighter.
  const auto edge = histogram(plane(4, 3, {0, 0, 9, 9, 0, 0, 9, 9, 0, 0, 9, 9}), 2);
  CHECK(edge[uniform_lbp_bin(0b00011100)] == 3);
  CHECK(edge[uniform_lbp_bin(0)] == 9);  // every other pixel: nothing brighter

  // Threshold: a neighbour exactly `threshold` brighter counts, one less does not.
  CHECK(histogram(plane(2, 1, {5, 7}), 2)[uniform_lbp_bin(0b00011100)] == 1);
  CHECK(histogram(plane(2, 1, {5, 6}), 2)[uniform_lbp_bin(0)] == 2);

  // Any size, even 1×1, gives one code per pixel.
  CHECK(histogram(plane(1, 1, {3}), 2)[0] == 1);
}
