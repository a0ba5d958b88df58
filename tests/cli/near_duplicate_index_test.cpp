// The near-duplicate index (prep/near_duplicate_index.h) answers as a scan of
// every kept image does: the closest within the distance and the luminance
// tolerance, the earliest kept on ties, whatever the distance.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "prep/near_duplicate_index.h"

using namespace lookalike::cli;

namespace {

NearDuplicateIndex::Match scan(const std::vector<PerceptualHash>& kept, const PerceptualHash& h, int max_distance,
                               int tolerance) {
  NearDuplicateIndex::Match best;
  for (std::size_t p = 0; p < kept.size(); ++p) {
    if (std::abs(h.luma - kept[p].luma) > tolerance) continue;
    const int d = hamming_distance(h.bits, kept[p].bits);
    if (d <= max_distance && (!best.found || d < best.distance)) best = {true, p, d};
  }
  return best;
}

}  // namespace

TEST_CASE("the near-duplicate index finds what a scan of every kept hash finds", "[duplicates]") {
  std::mt19937_64 random(7);
  // Clusters of hashes a few bits apart, so that matches at every distance occur.
  std::vector<PerceptualHash> hashes;
  for (int c = 0; c < 60; ++c) {
    const std::uint64_t centre = random();
    for (int k = 0; k < 20; ++k) {
      std::uint64_t bits = centre;
      for (int f = int(random() % 12); f > 0; --f) bits ^= 1ull << (random() % 64);
      hashes.push_back({bits, int(random() % 256)});
    }
  }
  for (const int max_distance : {0, 1, 3, 6, 9, 15, 16, 30}) {
    NearDuplicateIndex index(max_distance, 24);
    std::vector<PerceptualHash> kept;
    std::size_t matches = 0;
    for (const PerceptualHash& h : hashes) {
      const auto expected = scan(kept, h, max_distance, 24);
      const auto got = index.closest(h);
      REQUIRE(got.found == expected.found);
      if (got.found) {
        CHECK(got.position == expected.position);
        CHECK(got.distance == expected.distance);
        ++matches;
      }
      // Every other hash is kept, so that both outcomes are exercised.
      if (!got.found || matches % 2 == 0) {
        kept.push_back(h);
        index.add(h);
      }
    }
    INFO("max distance " << max_distance);
    CHECK(matches > 0);
  }
}
