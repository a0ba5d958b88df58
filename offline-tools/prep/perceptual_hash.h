// A perceptual hash: pictures that look alike (re-encoded, resized, slightly
// brightened or cropped by a few pixels) get hashes a few bits apart, so
// near-duplicates can be found by Hamming distance.
//
// DCT pHash: the luminance of a 32×32 area-resized copy goes through a 2-D
// DCT-II; the 8×8 lowest frequencies without the DC row and column
// ((1..8)×(1..8)) are compared with their median, one bit each. The hash sees
// structure, not brightness or colour, so a flat picture of any colour hashes
// like any other flat picture: the mean luminance is kept beside it, and
// near-duplicate decisions compare both (prep/duplicates.h).
#pragma once

#include <cstdint>

#include "lookalike/image/image.h"

namespace lookalike::cli {

struct PerceptualHash {
  std::uint64_t bits = 0;
  int luma = 0;  // mean luminance of the picture, 0..255
};

PerceptualHash perceptual_hash(const Image& image);

int hamming_distance(std::uint64_t a, std::uint64_t b);

}  // namespace lookalike::cli
