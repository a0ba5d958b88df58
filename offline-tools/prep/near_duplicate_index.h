// The kept images' perceptual hashes, indexed so that the closest kept image
// within a Hamming distance is found without comparing a new image with
// every kept one: a merge of a million images' shards would otherwise make
// 5 * 10^11 comparisons. Multi-index hashing: the 64 bits are cut into four
// 16-bit blocks; two hashes within distance D differ in at most D / 4 bits in
// at least one block, so only the kept images whose block is within D / 4
// bits of the new image's, in some block, can match. Beyond D = 15 the
// probes outnumber the images saved and every kept image is compared.
//
// The answer is the linear scan's: the closest match, the earliest kept on
// ties.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "prep/perceptual_hash.h"

namespace lookalike::cli {

class NearDuplicateIndex {
 public:
  NearDuplicateIndex(int max_distance, int luma_tolerance);

  // The next kept image (its position: the number added before it).
  void add(const PerceptualHash& hash);

  struct Match {
    bool found = false;
    std::size_t position = 0;  // of the kept image
    int distance = 0;
  };
  // The kept image within max_distance whose mean luminance is within the
  // tolerance: the closest, the earliest added on ties.
  Match closest(const PerceptualHash& hash) const;

 private:
  void consider(std::uint32_t position, const PerceptualHash& hash, Match& best) const;
  template <typename Visit>
  void each_block_neighbour(std::uint16_t value, int flips, int from_bit, Visit&& visit) const;

  int max_distance_, luma_tolerance_;
  int radius_;  // block distance probed; -1: compare with every kept image
  std::vector<PerceptualHash> kept_;
  std::array<std::unordered_map<std::uint16_t, std::vector<std::uint32_t>>, 4> blocks_;
  mutable std::vector<std::uint32_t> seen_;  // per kept image: the query that last compared it
  mutable std::uint32_t query_ = 0;
};

}  // namespace lookalike::cli
