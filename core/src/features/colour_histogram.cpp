#include "features/colour_histogram.h"

#include <algorithm>

#include "lookalike/common/error.h"

namespace lookalike {

int hsv_bin(const std::uint8_t* p, int hue_bins, int saturation_bins, int value_bins) {
  const int r = p[0], g = p[1], b = p[2];
  const int max = std::max({r, g, b}), min = std::min({r, g, b});
  const int delta = max - min;
  float hue = 0.0f;  // in sextants, [0, 6)
  if (delta > 0) {
    if (max == r)
      hue = float(g - b) / float(delta);
    else if (max == g)
      hue = 2.0f + float(b - r) / float(delta);
    else
      hue = 4.0f + float(r - g) / float(delta);
    if (hue < 0.0f) hue += 6.0f;
  }
  const float saturation = max > 0 ? float(delta) / float(max) : 0.0f;
  const float value = float(max) / 255.0f;
  const int h = std::min(int(hue / 6.0f * float(hue_bins)), hue_bins - 1);
  const int s = std::min(int(saturation * float(saturation_bins)), saturation_bins - 1);
  const int v = std::min(int(value * float(value_bins)), value_bins - 1);
  return (h * saturation_bins + s) * value_bins + v;
}

void accumulate_hsv_histogram(const Image& image, int x0, int y0, int x1, int y1, const std::array<int, 3>& bins,
                              float* histogram) {
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* p = image.at(x0, y);
    for (int x = x0; x < x1; ++x, p += 3) histogram[hsv_bin(p, bins[0], bins[1], bins[2])] += 1.0f;
  }
}

ColourHistogramFeature::ColourHistogramFeature(std::array<int, 3> bins) : bins_(bins) {
  for (int b : bins_)
    if (b < 1 || b > 64) fail(ErrorKind::InvalidArgument, "feature colour: each bin count must be in [1, 64]");
}

std::string ColourHistogramFeature::spec() const {
  return "colour:bins=" + std::to_string(bins_[0]) + "x" + std::to_string(bins_[1]) + "x" + std::to_string(bins_[2]);
}

std::vector<float> ColourHistogramFeature::compute(const Image& image) const {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "feature colour: empty image");
  std::vector<float> histogram(dim(), 0.0f);
  accumulate_hsv_histogram(image, 0, 0, image.width, image.height, bins_, histogram.data());
  const float total = float(image.pixel_count());
  for (float& h : histogram) h /= total;
  return histogram;
}

}  // namespace lookalike
