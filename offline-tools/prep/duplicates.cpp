#include "prep/duplicates.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <unordered_map>

namespace lookalike::cli {

std::vector<DuplicateDecision> find_duplicates(const std::vector<DuplicateCandidate>& images,
                                               const NearDuplicateOptions& options) {
  const std::size_t n = images.size();
  std::vector<DuplicateDecision> decisions(n);

  // Exact: the first of each pixel hash represents the group.
  std::unordered_map<std::string, std::size_t> first_with_hash;
  std::vector<std::size_t> representatives;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, inserted] = first_with_hash.emplace(images[i].pixel_hash, i);
    if (inserted) {
      representatives.push_back(i);
    } else {
      decisions[i].kept = false;
      decisions[i].exact = true;
      decisions[i].of = it->second;
    }
  }

  if (options.enabled) {
    std::vector<std::size_t> order = representatives;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const std::uint64_t pa = std::uint64_t(images[a].width) * std::uint64_t(images[a].height);
      const std::uint64_t pb = std::uint64_t(images[b].width) * std::uint64_t(images[b].height);
      if (pa != pb) return pa > pb;
      if (images[a].bytes != images[b].bytes) return images[a].bytes > images[b].bytes;
      return a < b;
    });
    std::vector<std::size_t> kept;
    for (std::size_t i : order) {
      int best_distance = options.max_distance + 1;
      std::size_t best = 0;
      for (std::size_t k : kept) {
        if (std::abs(images[i].perceptual.luma - images[k].perceptual.luma) > options.luma_tolerance) continue;
        const int d = hamming_distance(images[i].perceptual.bits, images[k].perceptual.bits);
        if (d < best_distance) {
          best_distance = d;
          best = k;
        }
      }
      if (best_distance <= options.max_distance) {
        decisions[i].kept = false;
        decisions[i].exact = false;
        decisions[i].of = best;
        decisions[i].distance = best_distance;
      } else {
        kept.push_back(i);
      }
    }
  }

  // Exact duplicates of an image that turned out to be a near duplicate point
  // at the image finally kept.
  for (std::size_t i = 0; i < n; ++i) {
    if (decisions[i].kept || !decisions[i].exact) continue;
    const DuplicateDecision& representative = decisions[decisions[i].of];
    if (!representative.kept) {
      decisions[i].exact = false;
      decisions[i].of = representative.of;
      decisions[i].distance = representative.distance;
    }
  }
  return decisions;
}

}  // namespace lookalike::cli
