// `pixels`: the seed notebooks' baseline. The image is squashed to S×S with
// an area (box) filter, and its RGB values, flattened row by row and scaled
// to [0, 1], are the vector (3·S² floats; S = 64 by default, the notebooks
// used 448).
#pragma once

#include "features/working_side.h"
#include "lookalike/features/feature.h"

namespace lookalike {

class PixelsFeature : public Feature {
 public:
  static constexpr int kDefaultSize = 64;
  explicit PixelsFeature(int size = kDefaultSize);

  std::string name() const override { return "pixels"; }
  std::string spec() const override;
  int version() const override { return 1; }
  std::size_t dim() const override { return std::size_t(3) * size_ * size_; }
  std::vector<float> compute(const Image& image) const override;
  // Each side at least S (the box filter only averages what a reduction
  // averaged already), and the longer side the other traditional features
  // need, so that one decode serves them all.
  DecodeNeed decode_need() const override { return {size_, kTraditionalWorkingSide}; }

 private:
  int size_;
};

}  // namespace lookalike
