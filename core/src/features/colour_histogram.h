// `colour`: a joint HSV colour histogram with H×S×V uniform bins over the
// whole image, L1-normalised (the classic CBIR colour descriptor; 8×4×4 by
// default). Hue is binned over [0°, 360°), saturation and value over [0, 1].
#pragma once

#include <array>

#include "features/working_side.h"
#include "lookalike/features/feature.h"

namespace lookalike {

// Bin index of one 8-bit RGB pixel in an H×S×V grid (hue-major order).
int hsv_bin(const std::uint8_t* rgb, int hue_bins, int saturation_bins, int value_bins);

// Adds every pixel of `image` within [x0, x1) × [y0, y1) to `histogram`
// (hue_bins·saturation_bins·value_bins counts).
void accumulate_hsv_histogram(const Image& image, int x0, int y0, int x1, int y1, const std::array<int, 3>& bins,
                              float* histogram);

class ColourHistogramFeature : public Feature {
 public:
  explicit ColourHistogramFeature(std::array<int, 3> bins = {8, 4, 4});

  std::string name() const override { return "colour"; }
  std::string spec() const override;
  int version() const override { return 1; }
  std::size_t dim() const override { return std::size_t(bins_[0]) * bins_[1] * bins_[2]; }
  std::vector<float> compute(const Image& image) const override;
  DecodeNeed decode_need() const override { return {0, kTraditionalWorkingSide}; }

 private:
  std::array<int, 3> bins_;
};

}  // namespace lookalike
