#include "prep/near_duplicate_index.h"

#include <cstdlib>

namespace lookalike::cli {
namespace {

constexpr int kMaxIndexedDistance = 15;  // block radius 3: 697 probes per block

std::uint16_t block(std::uint64_t bits, int b) { return static_cast<std::uint16_t>(bits >> (16 * b)); }

}  // namespace

NearDuplicateIndex::NearDuplicateIndex(int max_distance, int luma_tolerance)
    : max_distance_(max_distance),
      luma_tolerance_(luma_tolerance),
      radius_(max_distance >= 0 && max_distance <= kMaxIndexedDistance ? max_distance / 4 : -1) {}

void NearDuplicateIndex::add(const PerceptualHash& hash) {
  const auto position = static_cast<std::uint32_t>(kept_.size());
  kept_.push_back(hash);
  seen_.push_back(0);
  if (radius_ < 0) return;
  for (int b = 0; b < 4; ++b) blocks_[b][block(hash.bits, b)].push_back(position);
}

void NearDuplicateIndex::consider(std::uint32_t position, const PerceptualHash& hash, Match& best) const {
  const PerceptualHash& k = kept_[position];
  if (std::abs(hash.luma - k.luma) > luma_tolerance_) return;
  const int d = hamming_distance(hash.bits, k.bits);
  if (d > max_distance_) return;
  if (!best.found || d < best.distance || (d == best.distance && position < best.position)) best = {true, position, d};
}

// Calls visit with every 16-bit value within `flips` bits of `value`,
// flipping bits from `from_bit` up (each value once).
template <typename Visit>
void NearDuplicateIndex::each_block_neighbour(std::uint16_t value, int flips, int from_bit, Visit&& visit) const {
  visit(value);
  if (flips == 0) return;
  for (int bit = from_bit; bit < 16; ++bit)
    each_block_neighbour(static_cast<std::uint16_t>(value ^ (1u << bit)), flips - 1, bit + 1, visit);
}

NearDuplicateIndex::Match NearDuplicateIndex::closest(const PerceptualHash& hash) const {
  Match best;
  if (radius_ < 0) {
    for (std::uint32_t p = 0; p < kept_.size(); ++p) consider(p, hash, best);
    return best;
  }
  ++query_;
  for (int b = 0; b < 4; ++b) {
    const auto& buckets = blocks_[b];
    each_block_neighbour(block(hash.bits, b), radius_, 0, [&](std::uint16_t value) {
      const auto it = buckets.find(value);
      if (it == buckets.end()) return;
      for (const std::uint32_t p : it->second) {
        if (seen_[p] == query_) continue;
        seen_[p] = query_;
        consider(p, hash, best);
      }
    });
  }
  return best;
}

}  // namespace lookalike::cli
