// `pixels`: the seed notebooks' baseline. The image is squashed to S×S with
// an area (box) filter, and its RGB values, flattened row by row and scaled
// to [0, 1], are the vector (3·S² floats; S = 64 by default, the notebooks
// used 448).
#pragma once

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

 private:
  int size_;
};

}  // namespace lookalike
