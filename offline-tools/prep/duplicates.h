// Deciding which images are the same picture (exact duplicates: equal pixel
// hashes) or nearly the same (near duplicates: perceptual hashes within a
// Hamming distance and mean luminance within a tolerance), and which one of
// each group is kept.
//
// Deterministic: the decisions depend only on the hashes, sizes and the
// order of the input (the caller's canonical order), never on timing.
//   exact: the first image of a group (in input order) is kept;
//   near:  images are visited by pixel count (largest first), then file size
//          (largest first), then input order; each one within reach of an
//          already kept image is a duplicate of the closest such image
//          (ties: the one kept first), otherwise it is kept. No chains: an
//          image is only ever compared with kept images.
// Every duplicate points at a kept image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prep/perceptual_hash.h"

namespace lookalike::cli {

struct DuplicateCandidate {
  std::string pixel_hash;
  PerceptualHash perceptual;
  int width = 0, height = 0;
  std::uint64_t bytes = 0;
};

struct NearDuplicateOptions {
  bool enabled = true;
  int max_distance = 6;     // Hamming distance over 64 bits (usually even: a hash has 32 ones)
  int luma_tolerance = 24;  // mean luminance difference, 0..255
};

struct DuplicateDecision {
  bool kept = true;
  bool exact = false;  // when not kept: same pixels as `of`, else near
  std::size_t of = 0;  // the kept image it duplicates (input index)
  int distance = 0;    // perceptual-hash distance to `of`
};

std::vector<DuplicateDecision> find_duplicates(const std::vector<DuplicateCandidate>& images,
                                               const NearDuplicateOptions& options);

}  // namespace lookalike::cli
