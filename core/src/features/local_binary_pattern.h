// Uniform local binary patterns (Ojala, Pietikäinen and Mäenpää 2002) on a
// grey pyramid: the texture half of the `colour-texture` descriptor.
//
// Each pixel is compared with its 8 neighbours (clamped at the border, so
// every pixel of any image, even 1×1, gets a code); a neighbour at least
// `threshold` brighter than the centre sets its bit. The 58 "uniform" codes
// (at most two 0/1 transitions around the circle: spots, edges, corners,
// line ends, flat areas) get a bin each and every other code shares bin 58,
// which keeps the histogram small and its counts stable. Everything is
// integer arithmetic, so native and WASM builds agree exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "lookalike/image/image.h"

namespace lookalike {

constexpr int kUniformLbpBins = 59;

// A single-channel integer plane. Pyramid levels hold sums of 4^level grey
// values rather than averages, so halving never rounds.
struct GreyPlane {
  int width = 0;
  int height = 0;
  std::vector<std::int32_t> values;  // row-major, width * height
};

// Luma (77R + 150G + 29B + 128) >> 8, the integer form of Rec. 601 weights.
GreyPlane grey_plane(const Image& image);

// Each output value is the sum of a 2×2 block; the size is
// max(1, width / 2) × max(1, height / 2) (an odd last row or column is
// dropped; a side of 1 is summed with itself, so values stay 4× the input).
GreyPlane halve(const GreyPlane& plane);

// The uniform-pattern bin (0..58) of an 8-bit code whose bit i is the
// neighbour at position i of the ring TL, T, TR, R, BR, B, BL, L.
int uniform_lbp_bin(int code);

// Adds the uniform LBP code of every pixel of `plane` to `histogram`
// (kUniformLbpBins counts). Values plus threshold must fit an int32, which
// holds for a few pyramid levels of 8-bit grey.
void accumulate_uniform_lbp(const GreyPlane& plane, std::int32_t threshold, std::uint32_t* histogram);

}  // namespace lookalike
