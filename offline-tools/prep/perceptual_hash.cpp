#include "prep/perceptual_hash.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "lookalike/image/resize.h"

namespace lookalike::cli {
namespace {

constexpr int kSize = 32;  // the DCT's input is 32×32
constexpr int kLow = 8;    // frequencies 1..8 in each direction make the 64 bits

// cos((2x + 1)·u·π / 64) for u = 0..8, x = 0..31: the DCT-II basis, enough
// rows for the low frequencies used.
const std::array<std::array<double, kSize>, kLow + 1>& dct_basis() {
  static const auto table = [] {
    std::array<std::array<double, kSize>, kLow + 1> t{};
    const double pi = std::acos(-1.0);
    for (int u = 0; u <= kLow; ++u)
      for (int x = 0; x < kSize; ++x) t[u][x] = std::cos((2.0 * x + 1.0) * u * pi / (2.0 * kSize));
    return t;
  }();
  return table;
}

}  // namespace

PerceptualHash perceptual_hash(const Image& image) {
  const Image small = resize(image, kSize, kSize, ResizeFilter::Box);
  std::array<double, kSize * kSize> luma{};
  double sum = 0;
  for (int i = 0; i < kSize * kSize; ++i) {
    const std::uint8_t* p = small.rgb.data() + 3 * i;
    luma[i] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    sum += luma[i];
  }
  const auto& basis = dct_basis();
  // Rows first (frequencies along x), then columns, only for u, v ≤ 8.
  std::array<std::array<double, kLow + 1>, kSize> rows{};
  for (int y = 0; y < kSize; ++y)
    for (int u = 0; u <= kLow; ++u) {
      double s = 0;
      for (int x = 0; x < kSize; ++x) s += luma[y * kSize + x] * basis[u][x];
      rows[y][u] = s;
    }
  std::array<double, kLow * kLow> coefficients{};
  for (int v = 1; v <= kLow; ++v)
    for (int u = 1; u <= kLow; ++u) {
      double s = 0;
      for (int y = 0; y < kSize; ++y) s += rows[y][u] * basis[v][y];
      coefficients[(v - 1) * kLow + (u - 1)] = s;
    }
  auto sorted = coefficients;
  std::nth_element(sorted.begin(), sorted.begin() + 31, sorted.end());
  const double low_median = sorted[31];
  const double high_median = *std::min_element(sorted.begin() + 32, sorted.end());
  const double median = 0.5 * (low_median + high_median);
  PerceptualHash hash;
  for (int i = 0; i < kLow * kLow; ++i)
    if (coefficients[i] > median) hash.bits |= std::uint64_t(1) << i;
  hash.luma = int(std::lround(sum / (kSize * kSize)));
  return hash;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) { return __builtin_popcountll(a ^ b); }

}  // namespace lookalike::cli
