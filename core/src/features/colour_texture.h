// `colour-texture`: the core's stronger classic descriptor, 780 floats made
// of three parts that each catch what the others miss.
//
//  1. Colour, split by context (256 floats). A joint HSV 8×4×4 histogram
//     (the `colour` feature's bins) counted twice: once over "interior"
//     pixels, whose four neighbours fall in the same colour bin, and once
//     over "border" pixels (Stehling, Nascimento and Falcão's BIC, 2002).
//     A blue sky and a blue shirt of the same area fill the same bin of a
//     plain histogram; here the sky is interior, the patterned shirt border.
//  2. Coarse layout (288 floats). A 3×3 grid of HSV 8×2×2 histograms, each
//     normalised on its own so every cell weighs the same: where the colours are (sky above sea above sand) without caring about
//     small shifts. Weighted low, because objects move within a frame.
//  3. Texture (4 × 59 floats). Uniform local binary pattern histograms
//     (features/local_binary_pattern.h) on a grey pyramid at full, 1/2, 1/4
//     and 1/8 resolution, with a neighbour counting as brighter only when it
//     exceeds the centre by 2 grey levels (JPEG noise in flat areas would
//     otherwise fill the histogram with random codes). Several scales
//     because grass, fur, water and masonry differ at different scales.
//
// Each part is a histogram of counts, made comparable across image sizes by
// dividing by its total (L1), then compressed with a power of 0.375
// (computed as √(√x·⁴√x)). Like the square root of the Hellinger kernel,
// the power stops a few dominant bins (a large sky) from outweighing the
// many small ones that tell images apart; 0.375 rather than 0.5 measured
// better under L2, cosine and correlation and the same under L1. Each part
// is then scaled to unit L2 norm and multiplied by its weight: colour 1,
// each texture scale 1.5, layout 0.5 (texture is the part a colour
// histogram lacks entirely; the weights were chosen on WANG in steps of
// 0.5). The whole vector therefore has L2 norm √10.25 ≈ 3.2016.
//
// Images whose longer side exceeds 384 pixels are first reduced with the
// box filter so that it is 384 (aspect ratio kept): the texture scales then
// mean the same on a phone photo as on a thumbnail, and a 12-megapixel image
// costs no more than a small one. Everything after that reduction is integer
// arithmetic, IEEE division and sqrt, so native and WASM agree exactly.
//
// Measured on WANG (1000 images, leave-one-out, every image queries the
// other 999, ties to the lower index), this C++ implementation:
//   P@10  L1 .833  L2 .809  cosine .809  correlation .815
//   mAP   L1 .625  L2 .582  cosine .582  correlation .589
// (best published classic figure on this set 0.777; √ HSV 16×4×4 0.769).
// tests/features/wang_reference_test.cpp checks P@10 ≥ 0.80 with every metric.
#pragma once

#include <array>

#include "features/working_side.h"
#include "lookalike/features/feature.h"

namespace lookalike {

class ColourTextureFeature : public Feature {
 public:
  // One part of the vector: [offset, offset + size), L2 norm `weight`, made
  // of `cells` equal histograms that are each L1-normalised on their own.
  struct Block {
    const char* name;
    std::size_t offset;
    std::size_t size;
    std::size_t cells;
    float weight;
  };
  static constexpr int kWorkingSide = kTraditionalWorkingSide;
  static constexpr std::size_t kDim = 780;
  static const std::array<Block, 6>& blocks();

  std::string name() const override { return "colour-texture"; }
  std::string spec() const override { return "colour-texture"; }
  int version() const override { return 1; }
  std::size_t dim() const override { return kDim; }
  std::vector<float> compute(const Image& image) const override;
  // compute() box-reduces to kWorkingSide itself; the decoder may do part of it.
  DecodeNeed decode_need() const override { return {0, kWorkingSide}; }
};

}  // namespace lookalike
