#include "prep/duplicates.h"

#include "prep/near_duplicate_index.h"

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
    NearDuplicateIndex index(options.max_distance, options.luma_tolerance);
    for (std::size_t i : order) {
      const NearDuplicateIndex::Match match = index.closest(images[i].perceptual);
      if (match.found) {
        decisions[i].kept = false;
        decisions[i].exact = false;
        decisions[i].of = kept[match.position];
        decisions[i].distance = match.distance;
      } else {
        kept.push_back(i);
        index.add(images[i].perceptual);
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
